"""Writing an output file safely: into a temporary file next to the target, moved into place
only when complete, so an interrupted write, a full disk or a failed render never truncates or
half-writes a file the user already had. Faults become OutputError with a Chinese message."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


class OutputError(Exception):
    """An output file could not be written; `code` is stable, `message` one line of Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def write_atomic(target: str | os.PathLike[str], write: Callable[[Path], T], *, make_parents: bool = True) -> T:
    """`write(tmp)` fills a temporary file in the target's folder, which then replaces `target`.
    Missing parent folders are created (make_parents) or refused."""
    target = Path(target)
    if target.is_dir():
        raise OutputError("is-directory", f"{target} 是一个文件夹，请指定输出文件名")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        if not make_parents:
            raise OutputError("not-found", f"输出文件夹不存在：{folder}")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise os_error(exc, target) from None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise os_error(exc, target) from None
    os.close(fd)
    tmp = Path(name)
    try:
        value = write(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
        return value
    except OSError as exc:
        raise os_error(exc, target) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(target: str | os.PathLike[str], text: str) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    write_atomic(target, write)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one file (by device and inode, so links and other spellings count)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _mode_for(target: Path) -> int:
    """The replaced file's mode, or what a new file would get (mkstemp makes it 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def os_error(exc: OSError, target: Path) -> OutputError:
    if exc.errno == 28:
        return OutputError("disk-full", f"磁盘已满，无法写入 {target}；原有文件未改动")
    if isinstance(exc, PermissionError) or exc.errno in (1, 13, 30):
        return OutputError("readonly", f"没有写入权限：{target}")
    if exc.errno == 21:
        return OutputError("is-directory", f"{target} 是一个文件夹，请指定输出文件名")
    if exc.errno in (2, 20):
        return OutputError("not-found", f"输出路径无效：{target}（路径中有不存在的文件夹或不是文件夹的部分）")
    return OutputError("write-failed", f"无法写入 {target}（系统错误号 {exc.errno}）")
