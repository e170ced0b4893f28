"""Safe reading of zip packages (docx, odt) and of the XML parts inside them.

Hostile packages are the norm for a tool that reads files from the web, so:

* the zip is opened from memory and every failure becomes IngestError("corrupt");
* before a member is decompressed, its declared size and compression ratio are checked against
  LIMITS (a zip bomb is refused as "zip-bomb"), and the read itself is capped, so a member that
  lies about its size cannot exhaust memory either; the total of all members read is bounded;
* XML is parsed by lxml with entity resolution, DTD loading and network access disabled and
  without `huge_tree`; a part that declares a DOCTYPE (and so possibly entities) is refused as
  "xml-entities", because no legitimate Office or OpenDocument part has one.

Only members that a reader asks for are ever decompressed: embedded images and other media are
not inspected, so their sizes do not matter.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from lxml import etree

from fazhi.ingest.limits import LIMITS
from fazhi.model import IngestError

SOFT_BREAK = "\x00"  # marks a soft line break in extracted text; cannot occur in XML text
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Below this declared size a member is never treated as a bomb by its ratio alone: a small
# part of repetitive XML can compress very well, and it cannot hurt anyway.
_RATIO_FLOOR_BYTES = 1024 * 1024

# Markers of a document type declaration, in the encodings an XML part may use.
_DOCTYPE_MARKERS = tuple(
    marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)


def corrupt(kind: str, why: str = "") -> IngestError:
    """The error for a package that cannot be read; `kind` names the format, e.g. ".docx"."""
    detail = f"（{why}）" if why else ""
    return IngestError("corrupt", f"文件已损坏或不完整，无法作为 {kind} 读取{detail}，请重新获取原件或另存后重试")


def encrypted_error() -> IngestError:
    return IngestError("encrypted", "文件设有密码保护（已加密），无法读取：请先在 Word/WPS 中取消密码并另存后重试")


class Package:
    """A zip package opened from bytes, with bounded member reads."""

    def __init__(self, data: bytes, kind: str):
        self.kind = kind
        self._budget = LIMITS.max_unzipped_bytes
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
            raise corrupt(kind, "不是有效的压缩包") from None
        # Member names are compared case-sensitively by the formats; keep the first of duplicates.
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._infos.setdefault(info.filename, info)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes | None:
        """The member's bytes, or None when the package has no such member."""
        info = self._infos.get(name)
        if info is None:
            return None
        self._check_declared(info)
        cap = min(LIMITS.max_member_bytes, self._budget)
        try:
            with self._zip.open(info) as fh:
                data = fh.read(cap + 1)
        except RuntimeError:  # zipfile's "File is encrypted, password required"
            raise encrypted_error() from None
        except NotImplementedError:
            raise corrupt(self.kind, "压缩方式不受支持") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise corrupt(self.kind, f"部件 {name} 无法解压") from None
        if len(data) > cap:
            raise _bomb(name, f"解压后超过 {cap // 1048576} MB")
        self._budget -= len(data)
        return data

    def _check_declared(self, info: zipfile.ZipInfo) -> None:
        """Refuse a member by its central-directory entry, before decompressing anything."""
        size = info.file_size
        if size > LIMITS.max_member_bytes or size > self._budget:
            raise _bomb(info.filename, f"声明解压后 {size // 1048576} MB")
        if size >= _RATIO_FLOOR_BYTES:
            ratio = size / max(info.compress_size, 1)
            if ratio > LIMITS.max_ratio:
                raise _bomb(info.filename, f"压缩比 {ratio:.0f}:1")


def _bomb(name: str, why: str) -> IngestError:
    return IngestError("zip-bomb", f"压缩包中的 {name} 解压后体积异常（{why}），疑似压缩炸弹，已拒绝读取")


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not safe to share between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def parse_xml(data: bytes, part: str, kind: str) -> etree._Element:
    """Parse one XML part safely; refuses DOCTYPE/ENTITY declarations."""
    if any(marker in data for marker in _DOCTYPE_MARKERS):
        raise _entities(part)
    try:
        root = etree.fromstring(data, _parser())
    except (etree.XMLSyntaxError, ValueError):
        raise corrupt(kind, f"部件 {part} 不是有效的 XML") from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # an encoding the byte scan did not cover
        raise _entities(part)
    return root


def _entities(part: str) -> IngestError:
    return IngestError("xml-entities", f"文件中的 XML 部件 {part} 含有 DOCTYPE/实体声明，为安全起见拒绝读取")


def is_ole2(data: bytes) -> bool:
    return data[:4] == OLE2_MAGIC[:4]


_ASCII_WORD = re.compile(r"[A-Za-z0-9]")


def join_soft_breaks(text: str) -> str:
    """Resolve soft-break markers: nothing between Chinese text, one space between Latin words."""
    if SOFT_BREAK not in text:
        return text
    pieces = [piece for piece in text.split(SOFT_BREAK) if piece]
    out = pieces[:1]
    for piece in pieces[1:]:
        if _ASCII_WORD.match(out[-1][-1]) and _ASCII_WORD.match(piece[0]):
            out.append(" ")
        out.append(piece)
    return "".join(out)
