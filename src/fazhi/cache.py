"""A small on-disk cache for data that is slow to build from its source files at every start
(the jieba word list, the gazetteer): the built value is kept with `marshal` (plain data only,
never code) in the user's cache folder, keyed by fazhi's version and each source file's path,
size and modification time, so that an upgraded package or an edited file is read afresh.

The cache is an optimization only: a folder that cannot be written, a damaged or foreign file,
anything unexpected, and the value is simply built from the sources as before. Writes go to a
temporary file that replaces the final one, so a reader never sees half a file.

Folder: $FAZHI_CACHE_DIR, else $XDG_CACHE_HOME/fazhi, else ~/.cache/fazhi. FAZHI_CACHE_DIR=""
turns the cache off.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from fazhi.version import __version__

T = TypeVar("T")


def folder() -> Path | None:
    env = os.environ.get("FAZHI_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fazhi"


def install_id() -> str:
    """Which installation of fazhi this is (its package folder): a venv and a system install
    share the cache folder but must not delete each other's files."""
    here = os.path.dirname(os.path.abspath(__file__))
    return hashlib.sha256(here.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _key(name: str, sources: Iterable[str | os.PathLike[str]]) -> str:
    h = hashlib.sha256(f"{name}\0{__version__}".encode())
    for src in sources:
        st = os.stat(src)
        h.update(f"\0{os.fspath(src)}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()[:24]


def cached(name: str, sources: Iterable[str | os.PathLike[str]], build: Callable[[], T]) -> T:
    """`build()`, or the value kept from an earlier call with the same sources. `name` is a plain
    word (no "-"); the value must be plain data that marshal keeps: str, numbers, tuples, lists,
    dicts, sets, frozensets."""
    sources = list(sources)
    where = folder()
    try:
        path = where / f"{name}-{install_id()}-{_key(name, sources)}.marshal" if where else None
    except OSError:  # a source file is gone: let build() report it the way it always has
        path = None
    if path is not None:
        try:
            return marshal.loads(path.read_bytes())  # type: ignore[no-any-return]
        except (OSError, ValueError, EOFError, TypeError):
            pass
    value = build()
    if path is not None:
        _store(path, name, value)
    return value


def _store(path: Path, name: str, value: Any) -> None:
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        for old in path.parent.glob(f"{name}-{install_id()}-*.marshal"):
            if old != path:  # this installation's earlier copy (another installation's stay)
                old.unlink(missing_ok=True)
        for old in path.parent.glob(f"{name}-" + "?" * 24 + ".marshal"):
            old.unlink(missing_ok=True)  # the layout before install ids, which no install reads
    except (OSError, ValueError):
        pass
