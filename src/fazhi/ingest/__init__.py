"""Readers: one module per source format, each turning bytes into a RawDocument of Blocks.

`load_raw(path)` picks the reader by content (magic bytes) first and by extension second, and
turns every failure into an IngestError with a stable code and a one-line Chinese message.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from fazhi.model import IngestError, RawDocument
from fazhi.ingest.limits import LIMITS

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".docx": "docx",
    ".docm": "docx",
    ".doc": "doc",
    ".wps": "wps",
    ".odt": "odt",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".mhtml": "html",
    ".mht": "html",
}

SUPPORTED = tuple(sorted(EXTENSIONS))


def sniff(data: bytes, suffix: str) -> str:
    """The format of `data`, from its leading bytes where they are decisive, else from `suffix`."""
    by_ext = EXTENSIONS.get(suffix.lower())
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if by_ext in ("docx", "odt"):
            return by_ext
        return "docx"  # the reader tells docx from odt by the package's content
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 compound file: .doc, .wps, or encrypted OOXML
        return by_ext if by_ext in ("doc", "wps") else "doc"
    if by_ext is not None:
        return by_ext
    lowered = data[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    return "txt"


def read_bytes(data: bytes, fmt: str, suffix: str = "") -> RawDocument:
    """Run the reader for `fmt` over `data`."""
    if not data or not data.strip(b"\x00 \t\r\n\xef\xbb\xbf"):
        raise IngestError("empty", "文件为空，没有可读取的内容")
    if fmt == "txt":
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import txt

        return txt.read(data)
    if fmt == "docx":
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import docx

        return docx.read(data)
    if fmt == "odt":
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import odt

        return odt.read(data)
    if fmt in ("doc", "wps"):
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import doc

        return doc.read(data, fmt)
    if fmt == "pdf":
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import pdf

        return pdf.read(data)
    if fmt == "html":
        # each reader and its parser library load only when a file of its format arrives
        from fazhi.ingest import html

        return html.read(data, mhtml=suffix.lower() in (".mhtml", ".mht"))
    raise IngestError("unsupported-format", f"不支持的文件格式：{suffix or fmt}")


def read_regular(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file, at most LIMITS.max_file_bytes of them, or IngestError.

    Opened without blocking and checked on the open descriptor, so a FIFO, a socket or a link
    to a device (/dev/zero) is refused instead of hanging or filling memory, and the size cap
    holds while reading even when the size the file system reports is wrong (0 for /proc)."""
    limit = LIMITS.max_file_bytes
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise IngestError("not-found", f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise IngestError("is-directory", f"这是一个文件夹而不是文件：{path}") from None
    except OSError as exc:
        raise IngestError("unreadable", f"无法读取文件：{exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IngestError("is-directory", f"这是一个文件夹而不是文件：{path}")
        if not stat.S_ISREG(st.st_mode):
            raise IngestError("not-a-file", f"不是普通文件（管道、设备或套接字），不读取：{path}")
        if st.st_size > limit:
            raise IngestError("too-large", f"文件过大（{st.st_size / 1048576:.0f} MB），超过上限 {limit // 1048576} MB，不像一份年度报告")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise IngestError("too-large", f"文件过大，超过上限 {limit // 1048576} MB，不像一份年度报告")
        return b"".join(chunks)
    except OSError as exc:
        raise IngestError("unreadable", f"无法读取文件：{exc.strerror or exc}") from None
    finally:
        os.close(fd)


def load_raw(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file into a RawDocument, or raise IngestError."""
    p = Path(path)
    suffix = p.suffix
    try:
        is_dir = stat.S_ISDIR(p.stat().st_mode)
    except FileNotFoundError:
        raise IngestError("not-found", f"找不到文件：{p}") from None
    except OSError as exc:
        raise IngestError("unreadable", f"无法读取文件：{exc.strerror or exc}") from None
    if is_dir:
        raise IngestError("is-directory", f"这是一个文件夹而不是文件：{p}")
    if suffix.lower() not in EXTENSIONS and suffix:
        raise IngestError("unsupported-format", f"不支持的文件格式“{suffix}”，支持：{'、'.join(SUPPORTED)}")
    data = read_regular(p)
    return read_bytes(data, sniff(data, suffix), suffix)
