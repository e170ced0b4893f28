"""Readers: one module per source format, each turning bytes into a RawDocument of Blocks.

`load_raw(path)` picks the reader by content (magic bytes) first and by extension second, and
turns every failure into an IngestError with a stable code and a one-line Chinese message.
"""

from __future__ import annotations

import os
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
        from fazhi.ingest import txt

        return txt.read(data)
    if fmt == "docx":
        from fazhi.ingest import docx

        return docx.read(data)
    if fmt == "odt":
        from fazhi.ingest import odt

        return odt.read(data)
    if fmt in ("doc", "wps"):
        from fazhi.ingest import doc

        return doc.read(data, fmt)
    if fmt == "pdf":
        from fazhi.ingest import pdf

        return pdf.read(data)
    if fmt == "html":
        from fazhi.ingest import html

        return html.read(data, mhtml=suffix.lower() in (".mhtml", ".mht"))
    raise IngestError("unsupported-format", f"不支持的文件格式：{suffix or fmt}")


def load_raw(path: str | os.PathLike[str]) -> RawDocument:
    """Read one file into a RawDocument, or raise IngestError."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise IngestError("not-found", f"找不到文件：{p}") from None
    except OSError as exc:
        raise IngestError("unreadable", f"无法读取文件：{exc.strerror or exc}") from None
    if p.is_dir():
        raise IngestError("is-directory", f"这是一个文件夹而不是文件：{p}")
    suffix = p.suffix
    if suffix.lower() not in EXTENSIONS and suffix:
        raise IngestError("unsupported-format", f"不支持的文件格式“{suffix}”，支持：{'、'.join(SUPPORTED)}")
    if size > LIMITS.max_file_bytes:
        raise IngestError(
            "too-large",
            f"文件过大（{size / 1048576:.0f} MB），超过上限 {LIMITS.max_file_bytes // 1048576} MB，不像一份年度报告",
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError("unreadable", f"无法读取文件：{exc.strerror or exc}") from None
    return read_bytes(data, sniff(data, suffix), suffix)
