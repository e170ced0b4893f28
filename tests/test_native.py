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
def test_every_kernel_is_built_where_it_can_be(source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAZHI_PURE", raising=False)  # built, even when this run uses the pure paths
    assert kernel(source.stem) is not None, f"{source.name} was not built, or changed since: rebuild with pip install -e . (it shows why)"


def test_pure_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAZHI_PURE", "1")
    assert all(kernel(s.stem) is None for s in SOURCES)
    assert kernel("_no_such_kernel") is None


def test_a_kernel_older_than_its_source_is_not_used(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A .so built before its .c last changed may disagree with the Python beside it: the pure
    path is used instead (and the test above asks for a rebuild)."""
    import importlib
    import os
    import sys
    import types

    (tmp_path / "setup.py").touch()  # a working copy: <root>/src/fazhi/_native/
    folder = tmp_path / "src" / "fazhi" / "_native"
    folder.mkdir(parents=True)
    built = folder / "_fake.so"
    source = folder / "_fake.c"
    built.write_bytes(b"")
    source.write_text("/* newer */")
    module = types.ModuleType("fazhi._native._fake")
    module.__file__ = str(built)
    monkeypatch.setitem(sys.modules, "fazhi._native._fake", module)
    monkeypatch.delenv("FAZHI_PURE", raising=False)
    os.utime(built, (1_000_000, 1_000_000))
    os.utime(source, (2_000_000, 2_000_000))
    assert kernel("_fake") is None
    os.utime(built, (3_000_000, 3_000_000))
    assert kernel("_fake") is module
    source.unlink()  # no source beside it
    assert kernel("_fake") is module
    source.write_text("/* newer */")
    (tmp_path / "setup.py").unlink()  # an installed copy (site-packages): its files' times say nothing
    assert kernel("_fake") is module
    assert importlib.import_module("fazhi._native._fake") is module
