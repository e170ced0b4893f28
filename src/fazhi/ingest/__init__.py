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
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"


def sniff(data: bytes, suffix: str) -> str:
    """The format of `data`, from its leading bytes where they are decisive, else from `suffix`."""
    by_ext = EXTENSIONS.get(suffix.lower())
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        if by_ext in ("docx", "odt"):
            return by_ext
        return "docx"  # ingest.package tells docx from odt by the package's content
    if head.startswith(OLE2_MAGIC):  # OLE2 compound file: .doc, .wps, or encrypted OOXML
        return by_ext if by_ext in ("doc", "wps") else "doc"
    if by_ext is not None:
        return by_ext
    lowered = data[:2048].lower()
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return "html"
    return "txt"


def read_bytes(data: bytes, fmt: str, suffix: str = "") -> RawDocument:
    """Run the reader for `fmt` over `data`. A file whose content is another format than its name
    says (a .docx saved as .doc, a web page saved as .doc, an OpenDocument package named .docx, an
    old Word file named .docx) goes to the reader of its content, with a note where the user should
    know; the readers themselves never hand a file to each other."""
    if not data or not data.strip(b"\x00 \t\r\n\xef\xbb\xbf"):
        raise IngestError("empty", "文件为空，没有可读取的内容")
    # each reader, and the parser library it needs, is loaded only when a file of its format arrives
    if fmt in ("doc", "wps", "docx", "odt") and data.startswith(ZIP_MAGIC):
        from fazhi.ingest import package  # loaded when its format arrives

        return package.read(data, "odt" if fmt == "odt" else "docx")
    if fmt == "txt":
        from fazhi.ingest import txt  # loaded when its format arrives

        return txt.read(data)
    if fmt == "docx" and data.startswith(OLE2_MAGIC):
        return _old_word_named_docx(data)
    if fmt == "docx":
        from fazhi.ingest import docx  # loaded when its format arrives

        return docx.read(data)
    if fmt == "odt":
        from fazhi.ingest import odt  # loaded when its format arrives

        return odt.read(data)
    if fmt in ("doc", "wps") and not data.startswith(OLE2_MAGIC) and looks_like_html(data):
        mhtml = data[:4096].lstrip().lower().startswith(b"mime-version:")
        raw = read_bytes(data, "html", ".mht" if mhtml else ".html")
        raw.notes.append(f"扩展名为 .{fmt}，但实际是网页（HTML）格式")
        return raw
    if fmt in ("doc", "wps"):
        from fazhi.ingest import doc  # loaded when its format arrives

        return doc.read(data, fmt)
    if fmt == "pdf":
        from fazhi.ingest import pdf  # loaded when its format arrives

        return pdf.read(data)
    if fmt == "html":
        from fazhi.ingest import html  # loaded when its format arrives

        return html.read(data, mhtml=suffix.lower() in (".mhtml", ".mht"))
    raise IngestError("unsupported-format", f"不支持的文件格式：{suffix or fmt}")


def looks_like_html(data: bytes) -> bool:
    """A web page (or MHTML archive), whatever its name."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"mime-version:") or b"\ncontent-type: multipart/related" in head:
        return True
    return head.startswith((b"<html", b"<!doctype html", b"<?xml")) and b"<html" in head


def _old_word_named_docx(data: bytes) -> RawDocument:
    """An OLE2 compound file named .docx: an encrypted OOXML package, or a renamed .doc."""
    # loaded only for this rare file: the doc reader and the OLE2 helpers
    from fazhi.ingest import doc
    from fazhi.ingest.ooxml_safe import encrypted_error

    kind = doc.ole_kind(data)
    if kind in ("encrypted", "invalid"):
        raise encrypted_error()
    raw = doc.read(data, "doc")
    if kind == "word97":
        raw.notes.append("扩展名为 .docx，但实际是旧版 Word（.doc）文件")
    return raw


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
