"""Builders of test files: .docx and .odt packages from raw XML, OLE2 compound files, zip bombs.

Raw XML (rather than python-docx) keeps numbering definitions, tracked changes and fields under
exact control. Typical use:

    make_docx(["某县司法局2024年法治政府建设年度报告", p("主要举措和成效", num=(1, 0))],
              numbering=numbering_xml({0: [("chineseCounting", "%1、")]}, {1: 0}))
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_DECL = (
    f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


# --- WordprocessingML fragments ---------------------------------------------------------------


def r(text: str) -> str:
    """A run with text."""
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def p(*content: str, num: tuple[int, int] | None = None, style: str | None = None, ppr: str = "") -> str:
    """A paragraph. Each item of `content` is plain text (made a run) or raw XML (starts "<")."""
    props = ""
    if style:
        props += f'<w:pStyle w:val="{style}"/>'
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    inner = "".join(c if c.startswith("<") else r(c) for c in content)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{inner}</w:p>"


def tbl(rows: Sequence[Sequence[str | Sequence[str]]]) -> str:
    """A table; a cell is a text, or a list of paragraphs (text or raw w:p XML)."""
    out = ["<w:tbl><w:tblPr/>"]
    for row in rows:
        out.append("<w:tr>")
        for cell in row:
            paras = [cell] if isinstance(cell, str) else list(cell)
            out.append(
                "<w:tc>"
                + "".join(x if x.startswith("<w:p") or x.startswith("<w:tbl") else p(x) for x in paras)
                + "</w:tc>"
            )
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def ins(text: str) -> str:
    return f'<w:ins w:id="1" w:author="某人" w:date="2024-01-01T00:00:00Z">{r(text)}</w:ins>'


def dele(text: str) -> str:
    return (
        f'<w:del w:id="2" w:author="某人" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def field(instruction: str, result: str) -> str:
    """A complex field: instruction runs are hidden, the result is what Word shows."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve">{escape(instruction)}</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{r(result)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def numbering_xml(
    abstracts: Mapping[int, Sequence[tuple[str, str] | tuple[str, str, int] | tuple[str, str, int, str]]],
    nums: Mapping[int, int | tuple[int, Mapping[int, int]]],
    restarts: Mapping[tuple[int, int], int] | None = None,
) -> str:
    """numbering.xml. abstracts: id -> levels (numFmt, lvlText[, start[, pStyle]]) for ilvl 0..;
    nums: numId -> abstractNumId or (abstractNumId, {ilvl: startOverride});
    restarts: (abstractNumId, ilvl) -> w:lvlRestart value."""
    restarts = restarts or {}
    out = [f"{XML_HEAD}<w:numbering {_W_DECL}>"]
    for aid, levels in abstracts.items():
        out.append(f'<w:abstractNum w:abstractNumId="{aid}">')
        for ilvl, level in enumerate(levels):
            fmt, text = level[0], level[1]
            start = level[2] if len(level) > 2 else 1
            pstyle = f'<w:pStyle w:val="{level[3]}"/>' if len(level) > 3 else ""
            restart = f'<w:lvlRestart w:val="{restarts[(aid, ilvl)]}"/>' if (aid, ilvl) in restarts else ""
            out.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{restart}{pstyle}'
                f'<w:lvlText w:val="{escape(text, {chr(34): "&quot;"})}"/><w:lvlJc w:val="left"/></w:lvl>'
            )
        out.append("</w:abstractNum>")
    for nid, ref in nums.items():
        aid, overrides = (ref, {}) if isinstance(ref, int) else ref
        over = "".join(
            f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            for lvl, start in overrides.items()
        )
        out.append(f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{over}</w:num>')
    out.append("</w:numbering>")
    return "".join(out)


def styles_xml(paragraph_styles: Mapping[str, tuple[str | None, tuple[int, int | None] | None]]) -> str:
    """styles.xml with paragraph styles: id -> (basedOn, (numId, ilvl or None) or None)."""
    out = [f"{XML_HEAD}<w:styles {_W_DECL}>"]
    out.append('<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>')
    for sid, (based_on, num) in paragraph_styles.items():
        based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
        ppr = ""
        if num is not None:
            lvl = f'<w:ilvl w:val="{num[1]}"/>' if num[1] is not None else ""
            ppr = f'<w:pPr><w:numPr>{lvl}<w:numId w:val="{num[0]}"/></w:numPr></w:pPr>'
        out.append(f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>{based}{ppr}</w:style>')
    out.append("</w:styles>")
    return "".join(out)


# --- packages ---------------------------------------------------------------------------------


def document_xml(body: Iterable[str] | str, prolog: str = "") -> str:
    """word/document.xml around body content; plain strings become paragraphs."""
    parts = [body] if isinstance(body, str) else [x if x.startswith("<") else p(x) for x in body]
    return f"{XML_HEAD}{prolog}<w:document {_W_DECL}><w:body>{''.join(parts)}<w:sectPr/></w:body></w:document>"


def make_docx(
    paragraphs: Iterable[str] | str,
    *,
    numbering: str | None = None,
    styles: str | None = None,
    header: str | None = None,
    footer: str | None = None,
    comments: str | None = None,
    footnotes: str | None = None,
    document: str | None = None,
    extra: Mapping[str, bytes | str] | None = None,
) -> bytes:
    """A minimal but valid .docx. `paragraphs` are texts or raw body XML (w:p, w:tbl, ...);
    header/footer/comments/footnotes are texts placed in those parts; `document` replaces the
    whole document.xml; `extra` adds or replaces members."""
    parts: dict[str, bytes | str] = {}
    rels = [("rId1", "styles", "styles.xml")]
    overrides = {
        "/word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
    }
    parts["word/styles.xml"] = styles or styles_xml({})
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
        rels.append(("rId2", "numbering", "numbering.xml"))
        overrides["/word/numbering.xml"] = (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
        )
    body_extra = ""
    for rid, kind, text, root in (
        ("rId3", "header", header, "hdr"),
        ("rId4", "footer", footer, "ftr"),
    ):
        if text is not None:
            parts[f"word/{kind}1.xml"] = f"{XML_HEAD}<w:{root} {_W_DECL}>{p(text)}</w:{root}>"
            rels.append((rid, kind, f"{kind}1.xml"))
            body_extra += f'<w:{kind}Reference w:type="default" r:id="{rid}"/>'
    if comments is not None:
        parts["word/comments.xml"] = (
            f'{XML_HEAD}<w:comments {_W_DECL}><w:comment w:id="0" w:author="某人">{p(comments)}</w:comment></w:comments>'
        )
        rels.append(("rId5", "comments", "comments.xml"))
    if footnotes is not None:
        parts["word/footnotes.xml"] = (
            f'{XML_HEAD}<w:footnotes {_W_DECL}><w:footnote w:id="1">{p(footnotes)}</w:footnote></w:footnotes>'
        )
        rels.append(("rId6", "footnotes", "footnotes.xml"))
    if document is None:
        document = document_xml(paragraphs)
        if body_extra:
            document = document.replace("<w:sectPr/>", f"<w:sectPr>{body_extra}</w:sectPr>")
    parts["word/document.xml"] = document
    parts["word/_rels/document.xml.rels"] = _rels_xml((rid, f"{REL_BASE}/{kind}", target) for rid, kind, target in rels)
    parts["_rels/.rels"] = _rels_xml([("rId1", f"{REL_BASE}/officeDocument", "word/document.xml")])
    parts["[Content_Types].xml"] = _content_types(overrides)
    parts.update(extra or {})
    return zip_members(parts)


def _rels_xml(rels: Iterable[tuple[str, str, str]]) -> str:
    items = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def _content_types(overrides: Mapping[str, str]) -> str:
    items = "".join(f'<Override PartName="{name}" ContentType="{ct}"/>' for name, ct in overrides.items())
    return (
        f'{XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def zip_members(parts: Mapping[str, bytes | str], stored_first: str | None = None) -> bytes:
    """A zip of `parts` (deflated); `stored_first` names a member written first, uncompressed."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if stored_first is not None:
            z.writestr(stored_first, parts[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != stored_first:
                z.writestr(name, data)
    return buf.getvalue()


ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"'
)


def odt_list_style(
    name: str, levels: Sequence[tuple[str, str, str] | tuple[str, str, str, int]], tag: str = "list-style"
) -> str:
    """A text:list-style (or, with tag="outline-style", the outline style); each level is
    (num-format, prefix, suffix[, display-levels]); num-format "bullet" makes a bullet level."""
    out = [f'<text:{tag} style:name="{name}">']
    for i, level in enumerate(levels, start=1):
        fmt, prefix, suffix = level[0], level[1], level[2]
        display = f' text:display-levels="{level[3]}"' if len(level) > 3 else ""
        if fmt == "bullet":
            out.append(f'<text:list-level-style-bullet text:level="{i}" text:bullet-char="•"/>')
        else:
            kind = "outline-level-style" if tag == "outline-style" else "list-level-style-number"
            out.append(
                f'<text:{kind} text:level="{i}" style:num-format="{fmt}" style:num-prefix="{escape(prefix)}" '
                f'style:num-suffix="{escape(suffix)}"{display}/>'
            )
    out.append(f"</text:{tag}>")
    return "".join(out)


def make_odt(
    body: Iterable[str] | str,
    *,
    mimetype: str = "application/vnd.oasis.opendocument.text",
    encrypted: bool = False,
    content: str | None = None,
    automatic_styles: str = "",
    styles: str | None = None,
) -> bytes:
    """A minimal .odt. `body` items are texts (made text:p) or raw XML for office:text;
    `automatic_styles` goes into content.xml, `styles` (office:styles content) into styles.xml."""
    items = (
        [body] if isinstance(body, str) else [x if x.startswith("<") else f"<text:p>{escape(x)}</text:p>" for x in body]
    )
    if content is None:
        content = (
            f'{XML_HEAD}<office:document-content {ODT_NS} office:version="1.3">'
            f"<office:automatic-styles>{automatic_styles}</office:automatic-styles><office:body><office:text>"
            f"{''.join(items)}</office:text></office:body></office:document-content>"
        )
    encryption = (
        '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="AAAA">'
        '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" manifest:initialisation-vector="AAAA"/>'
        '<manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:iteration-count="1024" manifest:salt="AAAA"/>'
        "</manifest:encryption-data>"
        if encrypted
        else ""
    )
    manifest = (
        f'{XML_HEAD}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{encryption}</manifest:file-entry>'
        "</manifest:manifest>"
    )
    parts = {"mimetype": mimetype, "content.xml": content, "META-INF/manifest.xml": manifest}
    if styles is not None:
        parts["styles.xml"] = (
            f'{XML_HEAD}<office:document-styles {ODT_NS} office:version="1.3"><office:styles>{styles}'
            "</office:styles></office:document-styles>"
        )
    return zip_members(parts, stored_first="mimetype")


# --- hostile and odd files --------------------------------------------------------------------


def zip_bomb(member: str = "word/document.xml", size: int = 300 * 1024 * 1024, level: int = 1) -> bytes:
    """A zip whose `member` inflates to `size` zero bytes, written in a streaming way (fast, small)."""
    buf = io.BytesIO()
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", _content_types({}))
        with z.open(member, "w", force_zip64=size >= 0xFFFFFFFF) as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)
            fh.write(b"\0" * (size % len(chunk)))
    return buf.getvalue()


def lie_about_size(data: bytes, member: str, declared: int) -> bytes:
    """Rewrite the uncompressed size of `member` in its local and central headers (no zip64)."""
    out = bytearray(data)
    name = member.encode()
    for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = out.find(sig)
        while pos != -1:
            (name_len,) = struct.unpack_from("<H", out, pos + name_len_at)
            if bytes(out[pos + name_at : pos + name_at + name_len]) == name:
                struct.pack_into("<I", out, pos + size_at, declared)
            pos = out.find(sig, pos + 4)
    return bytes(out)


def make_ole2(streams: Mapping[str, bytes]) -> bytes:
    """A minimal version-3 compound file (512-byte sectors) holding `streams` at the root.

    Each stream is padded to at least 4096 bytes so it lives in regular sectors (no mini stream).
    """
    sector = 512
    blobs = [(name, data.ljust(4096, b"\0")) for name, data in streams.items()]
    chains: list[tuple[int, int]] = []  # (start sector, sector count) of each stream
    n = 0
    for _, data in blobs:
        count = -(-len(data) // sector)
        chains.append((n, count))
        n += count
    dir_entries = 1 + len(blobs)
    dir_sectors = -(-dir_entries * 128 // sector)
    dir_start = n
    n += dir_sectors
    fat_start = n
    fat_sectors = 1
    while (n + fat_sectors) * 4 > fat_sectors * sector:
        fat_sectors += 1
    total = n + fat_sectors
    fat = [0xFFFFFFFF] * (fat_sectors * sector // 4)
    for start, count in chains + [(dir_start, dir_sectors)]:
        for i in range(count):
            fat[start + i] = start + i + 1 if i < count - 1 else 0xFFFFFFFE
    for i in range(fat_sectors):
        fat[fat_start + i] = 0xFFFFFFFD  # FATSECT
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, fat_sectors, dir_start, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    difat = [fat_start + i for i in range(fat_sectors)] + [0xFFFFFFFF] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 0x4C, *difat)

    def entry(name: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        e = bytearray(128)
        raw = name.encode("utf-16-le") + b"\0\0"
        e[: len(raw)] = raw
        struct.pack_into("<HBB", e, 0x40, len(raw), kind, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, right, child)
        struct.pack_into("<IQ", e, 0x74, start, size)
        return bytes(e)

    directory = [entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1 if blobs else 0xFFFFFFFF)]
    for i, ((name, data), (start, _)) in enumerate(zip(blobs, chains, strict=True)):
        directory.append(entry(name, 2, start, len(data), right=i + 2 if i + 1 < len(blobs) else 0xFFFFFFFF))
    dir_bytes = b"".join(directory).ljust(dir_sectors * sector, b"\0")
    body = b"".join(data.ljust(count * sector, b"\0") for (_, data), (_, count) in zip(blobs, chains, strict=True))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    out = bytes(header) + body + dir_bytes + fat_bytes
    assert len(out) == (total + 1) * sector
    return out


def word_fib(encrypted: bool = False) -> bytes:
    """The start of a Word 97 WordDocument stream: wIdent, nFib and the flags word."""
    flags = 0x0100 if encrypted else 0
    return struct.pack("<HHHHH", 0xA5EC, 0x00C1, 0, 0, 0) + struct.pack("<H", flags)
