"""Zip packages: a Word (.docx) package and an OpenDocument (.odt) one look alike from outside, and
either may carry the other's name. The package is opened once and handed to the reader its content
calls for, so that neither reader hands files to the other."""

from __future__ import annotations

from fazhi.ingest import docx, odt
from fazhi.ingest.ooxml_safe import Package, corrupt
from fazhi.model import IngestError, RawDocument

ODF_MIMETYPE_PREFIX = b"application/vnd.oasis.opendocument"


def read(data: bytes, fmt: str) -> RawDocument:
    """Read a zip package named as `fmt` ("docx" or "odt"); errors name the format asked for."""
    kind = odt.KIND if fmt == "odt" else docx.KIND
    try:
        pkg = Package(data, kind)
        mimetype = (pkg.read("mimetype") or b"").strip()
        if fmt == "odt":
            # an .odt without a mimetype that holds a Word body is a .docx renamed
            reader = docx if not mimetype and pkg.has("word/document.xml") else odt
        else:
            reader = odt if mimetype.startswith(ODF_MIMETYPE_PREFIX) else docx
        return reader.read_package(pkg)
    except IngestError:
        raise
    except Exception:  # a malformed package must never surface as a traceback
        raise corrupt(kind) from None
