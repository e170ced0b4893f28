"""The compiled kernels (src/fazhi/_native/*.c), each optional: built when the machine has a C
compiler and Python's headers; without them the install goes on and fazhi uses the pure-Python
paths, which the tests prove give the same results. Everything else is in pyproject.toml."""

from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).parent
KERNELS = sorted((HERE / "src" / "fazhi" / "_native").glob("*.c"))

setup(
    ext_modules=[
        Extension(f"fazhi._native.{c.stem}", [str(c.relative_to(HERE))], optional=True)
        for c in KERNELS
    ]
)
