"""The compiled kernels (src/fazhi/_native): built wherever a C compiler and Python's headers
exist, so that a build that failed quietly (the kernels are optional) does not go unnoticed, and
switched off by FAZHI_PURE. Each kernel's equality with its pure-Python path is tested beside the
code that uses it."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

import pytest

from fazhi import _native
from fazhi._native import kernel

SOURCES = sorted(Path(_native.__file__).parent.glob("*.c"))
CAN_BUILD = shutil.which("cc") is not None and (Path(sysconfig.get_paths()["include"]) / "Python.h").exists()


@pytest.mark.skipif(not CAN_BUILD, reason="no C compiler or Python headers here: the pure-Python paths are used")
@pytest.mark.parametrize("source", SOURCES, ids=[s.stem for s in SOURCES])
def test_every_kernel_is_built_where_it_can_be(source: Path) -> None:
    assert kernel(source.stem) is not None, f"{source.name} was not built: pip install -e . shows why"


def test_pure_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_PURE", "1")
    assert all(kernel(s.stem) is None for s in SOURCES)
    assert kernel("_no_such_kernel") is None
