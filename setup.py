"""The compiled kernels (src/fazhi/_native/*.c), each optional: built when the machine has a C
compiler and Python's headers; without them the install goes on and fazhi uses the pure-Python
paths, which the tests prove give the same results. FAZHI_NO_NATIVE=1 builds without them (the
portable py3-none-any wheel of scripts/wheelhouse.sh). Everything else is in pyproject.toml."""

import os
from pathlib import Path

from setuptools import Extension, setup

HERE = Path(__file__).parent
KERNELS = [] if os.environ.get("FAZHI_NO_NATIVE") else sorted((HERE / "src" / "fazhi" / "_native").glob("*.c"))

setup(
    ext_modules=[
        Extension(f"fazhi._native.{c.stem}", [str(c.relative_to(HERE))], optional=True)
        for c in KERNELS
    ]
)
