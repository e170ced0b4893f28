"""Compiled kernels for the review's hottest loops (issue 12, item 22).

Each kernel is a small C module in this folder (`_name.c`), built by setup.py when the machine has
a C compiler and Python's headers, and optional: an install without a compiler goes on, and every
caller keeps its pure-Python path. The tests compare each kernel with that path on random and real
text, so both always give the same findings. `FAZHI_PURE=1` in the environment makes fazhi use the
pure-Python paths (for the comparison, and for anyone who distrusts a compiled module)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

def kernel(name: str) -> ModuleType | None:
    """The compiled module `fazhi._native.<name>`, or None: not built here, FAZHI_PURE set, or
    built from an older version of its source (a working copy where the .c changed after the
    last `pip install -e .`: its tables or its answers may no longer match the Python beside it;
    tests/test_native.py then fails and says to rebuild)."""
    if os.environ.get("FAZHI_PURE"):
        return None
    try:
        module = importlib.import_module(f"{__name__}.{name}")
    except ImportError:
        return None
    built = Path(module.__file__ or "")
    source = built.with_name(f"{name}.c")
    if (built.parents[3] / "setup.py").exists():  # a working copy (src/fazhi/_native), not an install
        try:
            if source.stat().st_mtime > built.stat().st_mtime:
                return None
        except OSError:
            pass
    return module
