"""OpenDocument text (.odt) reader: content.xml's headings, paragraphs, lists and tables in order.

* text:h and text:p become Blocks (a heading's origin carries its outline level); list items'
  paragraphs are read in place; table cells become Blocks of kind "cell" (nested tables are
  flattened into the enclosing cell); text boxes (draw:frame/draw:text-box) follow the paragraph
  they are anchored in.
* Inline: text:span, links and fields give their text; text:s gives its text:c spaces;
  text:tab is "\\t"; text:line-break is handled like a Word soft break (dropped between Chinese
  characters, a space between Latin words); runs of white space in the XML collapse to one
  space, as ODF prescribes.
* Skipped: annotations (office:annotation), footnotes and endnotes (text:note), ruby guide text,
  hidden sections and hidden text, and the deleted text of tracked changes (kept apart in
  text:tracked-changes, so the visible text is the accepted state).
* List numbering: ODF stores list labels as styles, not text, so they are computed here from
  the list styles (content.xml's automatic styles and styles.xml) and put in Block.number: a
  list item's first paragraph is numbered at its nesting depth, a text:list continues an earlier
  list only through text:continue-numbering or text:continue-list, text:start-value is honoured,
  display-levels and prefix/suffix (or LibreOffice's loext:num-list-format) shape the label.
  Headings outside lists are numbered by the outline style. A label cached in the file as
  text:number is preferred. Not modelled: list styles attached only through a paragraph style's
  parent chain, and text:list-level-style-number's text:style-name character formatting.
* Layout (fazhi.ingest.odt_layout): each Block gets its resolved paragraph and span formatting,
  the RawDocument the first page style's setup and its footers' page numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from fazhi.ingest import odt_layout
from fazhi.ingest.docx import _run_spans, format_number
from fazhi.ingest.ooxml_safe import SOFT_BREAK, Package, corrupt, encrypted_error, is_ole2, join_soft_breaks, parse_xml
from fazhi.model import Block, IngestError, RawDocument

KIND = ".odt"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEXT_MIMETYPES = (
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.text-template",
    b"application/vnd.oasis.opendocument.text-master",
    b"application/vnd.oasis.opendocument.text-web",
)
_MAX_SPACES = 256  # text:s c="…" is trusted only this far

_O, _T, _TB, _D = f"{{{OFFICE}}}", f"{{{TEXT}}}", f"{{{TABLE}}}", f"{{{DRAW}}}"
P, H, LIST, LIST_ITEM, LIST_HEADER = f"{_T}p", f"{_T}h", f"{_T}list", f"{_T}list-item", f"{_T}list-header"
NUMBER, SECTION, SPAN = f"{_T}number", f"{_T}section", f"{_T}span"
TBL, ROW, CELL, COVERED = f"{_TB}table", f"{_TB}table-row", f"{_TB}table-cell", f"{_TB}covered-table-cell"
FRAME, TEXT_BOX = f"{_D}frame", f"{_D}text-box"
# Containers whose block-level children are read in place.
_BLOCK_WRAPPERS = {LIST, LIST_ITEM, LIST_HEADER, SECTION, f"{_T}index-body", f"{_T}index-title"} | {
    f"{_T}{name}"
    for name in (
        "table-of-content",
        "illustration-index",
        "table-index",
        "object-index",
        "user-index",
        "alphabetical-index",
        "bibliography",
    )  # fmt: skip
}
_ROW_WRAPPERS = {f"{_TB}table-header-rows", f"{_TB}table-rows", f"{_TB}table-row-group"}
# Inline elements whose content is not displayed text (their tails still are).
_INLINE_SKIP = {
    f"{_O}annotation", f"{_O}annotation-end", f"{_T}note", f"{_T}ruby-text", f"{_T}tracked-changes",
    f"{_T}change", NUMBER, f"{_T}hidden-text", f"{_T}bookmark", f"{_T}soft-page-break",
}  # fmt: skip
_WS = re.compile(r"[ \t\r\n]+")


def read(data: bytes) -> RawDocument:
    """Read an .odt given as bytes; raises IngestError for anything unreadable."""
    try:
        if is_ole2(data):
            raise encrypted_error()
        return read_package(Package(data, KIND))
    except IngestError:
        raise
    except Exception:  # a malformed package must never surface as a traceback
        raise corrupt(KIND) from None


def read_package(pkg: Package) -> RawDocument:
    mimetype = (pkg.read("mimetype") or b"").strip()
    if mimetype and mimetype not in TEXT_MIMETYPES:
        raise IngestError(
            "unsupported-format",
            "这是 OpenDocument 表格/演示文稿等文件而不是文字文档，请提供报告的文字文档、PDF 或文本文件",
        )
    _check_encryption(pkg)
    content = pkg.read("content.xml")
    if content is None:
        raise corrupt(KIND, "缺少正文部分 content.xml")
    root = parse_xml(content, "content.xml", KIND)
    text = root.find(f"{_O}body/{_O}text")
    if text is None:
        raise corrupt(KIND, "content.xml 中没有文字正文")
    styles_data = pkg.read("styles.xml")
    styles = None if styles_data is None else parse_xml(styles_data, "styles.xml", KIND)
    layout_styles = odt_layout.OdtStyles(root, styles)
    walker = _Walker(ListStyles(root, styles), layout_styles)
    walker.body(text)
    first = next(text.iter(P, H), None)
    try:
        layout = odt_layout.document_layout(layout_styles, None if first is None else first.get(f"{_T}style-name"))
    except Exception:  # layout is best effort: the text is read whatever the page setup
        layout = None
    return RawDocument("odt", walker.blocks, [], layout=layout)


def _check_encryption(pkg: Package) -> None:
    data = pkg.read("META-INF/manifest.xml")
    if data is None:
        return
    manifest = parse_xml(data, "META-INF/manifest.xml", KIND)
    for entry in manifest.iter(f"{{{MANIFEST}}}file-entry"):
        if entry.find(f"{{{MANIFEST}}}encryption-data") is not None:
            raise encrypted_error()


class _Walker:
    def __init__(self, lists: ListStyles, layout: odt_layout.OdtStyles | None = None) -> None:
        self.blocks: list[Block] = []
        self.lists = lists
        self.layout = layout

    def body(self, text: etree._Element) -> None:
        paragraph = 0
        table = 0
        for el, number in self._flow(text):
            if el.tag == TBL:
                self._table(el, table)
                table += 1
            else:
                self._paragraph(el, {"paragraph": paragraph}, "p", number)
                paragraph += 1

    def _flow(self, container: etree._Element) -> Iterator[tuple[etree._Element, str]]:
        """Block-level paragraphs, headings and tables in order, each with its numbering label."""
        for child in container:
            tag = child.tag
            if tag == LIST:
                yield from self._list(child, None)
            elif tag == H:
                yield child, self.lists.heading_label(child)
            elif tag in (P, TBL):
                yield child, ""
            elif tag == SECTION and child.get(f"{_T}display") == "none":
                continue
            elif tag in _BLOCK_WRAPPERS:
                yield from self._flow(child)

    def _list(self, lst: etree._Element, parent: _ListContext | None) -> Iterator[tuple[etree._Element, str]]:
        ctx = self.lists.enter(lst, parent)
        for item in lst:
            if item.tag not in (LIST_ITEM, LIST_HEADER):
                continue
            numbered = item.tag == LIST_ITEM
            cached = item.find(NUMBER)
            for child in item:
                tag = child.tag
                if tag in (P, H):
                    label = ""
                    if numbered:  # only an item's first paragraph carries the label
                        label = self.lists.advance(ctx, item, child, None if cached is None else _plain(cached))
                        numbered = False
                    yield child, label
                elif tag == LIST:
                    yield from self._list(child, ctx)
                elif tag == TBL:
                    yield child, ""

    def _table(self, tbl: etree._Element, t: int) -> None:
        for r, row in enumerate(self._rows(tbl)):
            for c, cell in self._cells(row):
                for p, (para, number) in enumerate(self._paragraphs_deep(cell)):
                    self._paragraph(para, {"table": t, "row": r, "cell": c, "paragraph": p}, "cell", number)

    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        for child in tbl:
            if child.tag == ROW:
                yield child
            elif child.tag in _ROW_WRAPPERS:
                yield from self._rows(child)

    def _cells(self, row: etree._Element) -> Iterator[tuple[int, etree._Element]]:
        """(column index, cell); repeated cells are read once but keep the index honest."""
        c = 0
        for cell in row:
            if cell.tag not in (CELL, COVERED):
                continue
            yield c, cell
            c += max(1, min(_count(cell.get(f"{_TB}number-columns-repeated")), 16384))

    def _paragraphs_deep(self, container: etree._Element) -> Iterator[tuple[etree._Element, str]]:
        for el, number in self._flow(container):
            if el.tag == TBL:
                for row in self._rows(el):
                    for _, cell in self._cells(row):
                        yield from self._paragraphs_deep(cell)
            else:
                yield el, number

    def _paragraph(self, p: etree._Element, origin: dict[str, Any], kind: str, number: str) -> None:
        out: list[str] = []
        boxes: list[etree._Element] = []
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        _inline(p, out, boxes, spans)
        raw = "".join(out)
        text = join_soft_breaks(raw)
        if p.tag == H:
            origin = {**origin, "heading": _count(p.get(f"{_T}outline-level"))}
        if text or number:
            layout = None
            if self.layout is not None:
                try:
                    layout = self.layout.paragraph(p, _run_spans(out, spans, raw, text), text)  # type: ignore[arg-type]
                except Exception:  # layout is best effort: the text is read whatever the formatting
                    layout = None
            self.blocks.append(Block(text, origin, number.strip(), kind, layout))
        for b, box in enumerate(boxes):
            for j, (para, label) in enumerate(self._paragraphs_deep(box)):
                self._paragraph(para, {**origin, "textbox": b, "textbox_paragraph": j}, kind, label)


def _inline(el: etree._Element, out: list[str], boxes: list[etree._Element],
            spans: list[tuple[int, int, tuple[str, ...]]] | None = None, chain: tuple[str, ...] = ()) -> None:
    """Displayed text of a paragraph's content, in order; text boxes are collected in `boxes`;
    text:span elements are recorded in `spans` as (first piece, end piece, style names outermost first)."""
    if el.text:
        out.append(_WS.sub(" ", el.text))
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _INLINE_SKIP:
            pass
        elif tag == f"{_T}s":
            out.append(" " * max(1, min(_count(child.get(f"{_T}c")), _MAX_SPACES)))
        elif tag == f"{_T}tab":
            out.append("\t")
        elif tag == f"{_T}line-break":
            out.append(SOFT_BREAK)
        elif tag == FRAME:
            boxes.extend(box for box in child if box.tag == TEXT_BOX)
        elif tag.startswith(_D):
            pass  # shapes, images and their captions
        elif tag == SPAN and spans is not None:
            first = len(out)
            inner = chain + ((child.get(f"{_T}style-name") or ""),)
            _inline(child, out, boxes, spans, inner)
            spans.append((first, len(out), inner))
        else:
            _inline(child, out, boxes, spans, chain)
        if child.tail:
            out.append(_WS.sub(" ", child.tail))


def _plain(el: etree._Element) -> str:
    return "".join(el.itertext()).strip()


def _count(value: str | None) -> int:
    try:
        return int(value) if value else 1
    except ValueError:
        return 1


# --- list numbering ---------------------------------------------------------------------------


@dataclass(slots=True)
class _ListLevel:
    fmt: str = "decimal"  # a w:numFmt name understood by docx.format_number, or "bullet"
    prefix: str = ""
    suffix: str = ""
    display: int = 1  # text:display-levels
    start: int = 1
    pattern: str | None = None  # loext:num-list-format, e.g. "（%2%）" or "%1%.%2%."


@dataclass(slots=True)
class _ListContext:
    counters: list[int | None]
    levels: dict[int, _ListLevel]
    depth: int  # 1-based nesting depth


@dataclass(slots=True)
class _Chain:
    counters: list[int | None] = field(default_factory=lambda: [None] * 11)


# ODF style:num-format values (LibreOffice spells East Asian ones as a sample sequence) -> numFmt.
_ODF_FORMATS = {
    "1": "decimal", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman", "": "none",
    "一": "chineseCounting", "壹": "chineseLegalSimplified", "①": "decimalEnclosedCircle", "甲": "ideographTraditional",
    "子": "ideographZodiac", "１": "decimalFullWidth", "〇": "ideographDigital", "⑴": "decimalEnclosedParen",
    "⒈": "decimalEnclosedFullstop", "㊀": "ideographEnclosedCircle",
}  # fmt: skip


def _odf_format(value: str) -> str:
    first = value.split(",")[0].strip()
    if first == "壹" and "貳" in value:
        return "ideographLegalTraditional"
    return _ODF_FORMATS.get(first, "decimal")


class ListStyles:
    """List and outline styles of a document, and the counters that replay its numbering."""

    def __init__(self, content: etree._Element, styles: etree._Element | None):
        self.lists: dict[str, dict[int, _ListLevel]] = {}
        self.paragraph_lists: dict[str, str] = {}  # paragraph style -> style:list-style-name
        self.outline: dict[int, _ListLevel] = {}
        for root in (styles, content):  # content.xml's automatic styles win over styles.xml
            if root is not None:
                self._load(root)
        self._by_id: dict[str, _Chain] = {}
        self._last: _Chain | None = None
        self._outline_chain = _Chain()

    def _load(self, root: etree._Element) -> None:
        for style in root.iter(f"{_T}list-style"):
            name = style.get(f"{{{STYLE}}}name")
            if name:
                self.lists[name] = _levels(style)
        for outline in root.iter(f"{_T}outline-style"):
            self.outline = _levels(outline)
        for style in root.iter(f"{{{STYLE}}}style"):
            list_name = style.get(f"{{{STYLE}}}list-style-name")
            if list_name and style.get(f"{{{STYLE}}}name"):
                self.paragraph_lists[style.get(f"{{{STYLE}}}name")] = list_name

    def enter(self, lst: etree._Element, parent: _ListContext | None) -> _ListContext:
        """The numbering context of a text:list: a new or continued chain at the top level."""
        own = self.lists.get(lst.get(f"{_T}style-name") or "")
        if parent is not None:
            return _ListContext(parent.counters, parent.levels or own or {}, parent.depth + 1)
        target = self._by_id.get(lst.get(f"{_T}continue-list") or "")
        if target is None and lst.get(f"{_T}continue-numbering") == "true":
            target = self._last
        chain = target or _Chain()
        if lst.get(XML_ID):
            self._by_id[lst.get(XML_ID)] = chain
        self._last = chain
        return _ListContext(chain.counters, own or {}, 1)

    def advance(self, ctx: _ListContext, item: etree._Element, para: etree._Element, cached: str | None) -> str:
        """Count a list item's first paragraph and return its label."""
        levels = ctx.levels or self.lists.get(self.paragraph_lists.get(para.get(f"{_T}style-name") or "", ""), {})
        start = item.get(f"{_T}start-value")
        label = _count_and_render(ctx.counters, levels, min(ctx.depth, 10), _int(start))
        return cached if cached is not None else label

    def heading_label(self, h: etree._Element) -> str:
        """A heading outside any list, numbered by the outline style (or its cached text:number)."""
        cached = h.find(NUMBER)
        if h.get(f"{_T}is-list-header") == "true":
            return "" if cached is None else _plain(cached)
        level = min(max(_count(h.get(f"{_T}outline-level")), 1), 10)
        counters = self._outline_chain.counters
        if h.get(f"{_T}restart-numbering") == "true":
            counters[level] = None
        label = ""
        if level in self.outline:
            label = _count_and_render(counters, self.outline, level, _int(h.get(f"{_T}start-value")))
        return label if cached is None else _plain(cached)


def _levels(style: etree._Element) -> dict[int, _ListLevel]:
    levels: dict[int, _ListLevel] = {}
    for el in style:
        if not isinstance(el.tag, str):
            continue
        kind = etree.QName(el).localname
        level = _int(el.get(f"{_T}level")) or 1
        if kind in ("list-level-style-bullet", "list-level-style-image"):
            levels[level] = _ListLevel(fmt="bullet")
        elif kind in ("list-level-style-number", "outline-level-style"):
            levels[level] = _ListLevel(
                fmt=_odf_format(el.get(f"{{{STYLE}}}num-format") or ""),
                prefix=el.get(f"{{{STYLE}}}num-prefix") or "",
                suffix=el.get(f"{{{STYLE}}}num-suffix") or "",
                display=_int(el.get(f"{_T}display-levels")) or 1,
                start=_int(el.get(f"{_T}start-value")) or 1,
                pattern=el.get(f"{{{LOEXT}}}num-list-format"),
            )
    return levels


def _count_and_render(counters: list[int | None], levels: dict[int, _ListLevel], depth: int, start: int | None) -> str:
    """Advance the counter at `depth` (resetting deeper ones) and render the label there."""
    level = levels.get(depth)
    current = counters[depth]
    if start is not None:
        counters[depth] = start
    elif current is None:
        counters[depth] = level.start if level else 1
    else:
        counters[depth] = current + 1
    for deeper in range(depth + 1, len(counters)):
        counters[deeper] = None
    if level is None or level.fmt == "bullet":  # an unknown list style numbers nothing
        return ""

    def value(k: int) -> str:
        lvl = levels.get(k, _ListLevel())
        n = counters[k] if counters[k] is not None else lvl.start
        return "" if lvl.fmt == "bullet" else format_number(n or 0, lvl.fmt)

    if level.pattern:  # LibreOffice's explicit label pattern, e.g. "（%2%）"

        def placeholder(m: re.Match[str]) -> str:
            k = int(m.group(1))
            return value(k) if 1 <= k < len(counters) else ""

        return _PATTERN.sub(placeholder, level.pattern).strip()
    if level.fmt == "none":
        return (level.prefix + level.suffix).strip()
    shown = range(max(1, depth - level.display + 1), depth + 1)
    return (level.prefix + ".".join(value(k) for k in shown) + level.suffix).strip()


_PATTERN = re.compile(r"%(\d+)%")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
