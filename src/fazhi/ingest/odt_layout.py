"""Resolved layout of an .odt: paragraph and text styles through their parents, the first page
style's page layout, and the page number fields of its footers.

Text properties follow ODF: the paragraph family's default style, then the paragraph style and
its style:parent-style-name chain (root first), then the text:span styles around the text
(outermost first). Chinese text is set in the "asian" font and size (style:font-name-asian,
style:font-size-asian); digits in the Latin ones. The page's bottom margin counts the footer's
height (ODF puts the footer inside the page margins, Word outside them). Unknown stays None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from lxml import etree

from fazhi.model import Layout, PageNumber, PageSetup, ParagraphLayout, RunLayout

STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_S, _F, _T = f"{{{STYLE}}}", f"{{{FO}}}", f"{{{TEXT}}}"
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|cm|mm|in|pc|px)?\s*$")
_PT = {"pt": 1.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "in": 72.0, "pc": 12.0, "px": 0.75, None: 1.0}
_ALIGN = {"start": "left", "left": "left", "center": "center", "end": "right", "right": "right", "justify": "justify"}
MM_PER_PT = 25.4 / 72


def length_pt(value: str | None) -> float | None:
    m = _LENGTH.match(value or "")
    return None if m is None else float(m.group(1)) * _PT[m.group(2)]


@dataclass(slots=True)
class _Props:
    font: str | None = None
    latin: str | None = None
    size: float | None = None  # asian size
    latin_size: float | None = None
    bold: bool | None = None
    align: str | None = None
    first: float | None = None
    left: float | None = None
    right: float | None = None
    line_rule: str | None = None
    line: float | None = None

    def merge(self, style: etree._Element, faces: dict[str, str]) -> "_Props":
        out = replace(self)
        text = style.find(f"{_S}text-properties")
        if text is not None:
            out.font = _face(text, "font-name-asian", "font-family-asian", faces) or out.font
            out.latin = _face(text, "font-name", "font-family", faces) or out.latin
            out.latin_size = _size(text.get(f"{_F}font-size"), out.latin_size)
            out.size = _size(text.get(f"{_S}font-size-asian"), out.size)
            weight = text.get(f"{_S}font-weight-asian") or text.get(f"{_F}font-weight")
            if weight:
                out.bold = weight in ("bold", "600", "700", "800", "900")
        para = style.find(f"{_S}paragraph-properties")
        if para is not None:
            align = para.get(f"{_F}text-align")
            if align in _ALIGN:
                out.align = _ALIGN[align]
            for attr, key in (("text-indent", "first"), ("margin-left", "left"), ("margin-right", "right")):
                value = length_pt(para.get(f"{_F}{attr}"))
                if value is not None:
                    setattr(out, key, value)
            height = para.get(f"{_F}line-height")
            least = length_pt(para.get(f"{_S}line-height-at-least"))
            if height and height.endswith("%"):
                try:
                    out.line_rule, out.line = "auto", float(height[:-1]) / 100
                except ValueError:
                    pass
            elif length_pt(height) is not None:
                out.line_rule, out.line = "exact", length_pt(height)
            elif least is not None:
                out.line_rule, out.line = "atLeast", least
        return out


def _face(el: etree._Element, name_attr: str, family_attr: str, faces: dict[str, str]) -> str | None:
    name = el.get(f"{_S}{name_attr}")
    if name:
        return faces.get(name, name)
    family = el.get(f"{_F}{family_attr}") if family_attr == "font-family" else el.get(f"{_S}{family_attr}")
    return family.strip("'\" ") if family else None


def _size(value: str | None, current: float | None) -> float | None:
    if not value:
        return current
    if value.endswith("%"):
        try:
            return None if current is None else current * float(value[:-1]) / 100
        except ValueError:
            return current
    size = length_pt(value)
    return size if size and 1 <= size <= 1638 else current


class OdtStyles:
    """The styles of an .odt (styles.xml and content.xml's automatic styles)."""

    def __init__(self, content: etree._Element, styles: etree._Element | None):
        self.faces: dict[str, str] = {}
        self.styles: dict[tuple[str, str], etree._Element] = {}
        self.defaults: dict[str, etree._Element] = {}
        self.root_styles = styles
        self._cache: dict[tuple[str, ...], _Props] = {}
        for root in (styles, content):
            if root is None:
                continue
            for face in root.iter(f"{_S}font-face"):
                family = face.get(f"{{{SVG}}}font-family")
                if face.get(f"{_S}name") and family:
                    self.faces[face.get(f"{_S}name")] = family.strip("'\" ")
            for style in root.iter(f"{_S}style"):
                name, family = style.get(f"{_S}name"), style.get(f"{_S}family")
                if name and family:
                    self.styles[(family, name)] = style  # content's automatic styles come last and win
            for style in root.iter(f"{_S}default-style"):
                if style.get(f"{_S}family"):
                    self.defaults.setdefault(style.get(f"{_S}family"), style)

    def _chain(self, family: str, name: str | None) -> list[etree._Element]:
        out: list[etree._Element] = []
        seen: set[str] = set()
        while name and (family, name) in self.styles and name not in seen and len(out) < 32:
            seen.add(name)
            style = self.styles[(family, name)]
            out.append(style)
            name = style.get(f"{_S}parent-style-name")
        return out[::-1]

    def paragraph_props(self, name: str | None) -> _Props:
        key = ("paragraph", name or "")
        if key not in self._cache:
            props = _Props()
            if "paragraph" in self.defaults:
                props = props.merge(self.defaults["paragraph"], self.faces)
            for style in self._chain("paragraph", name):
                props = props.merge(style, self.faces)
            self._cache[key] = props
        return self._cache[key]

    def span_props(self, base: _Props, names: tuple[str, ...]) -> _Props:
        out = base
        for name in names:
            for style in self._chain("text", name):
                out = out.merge(style, self.faces)
        return out

    def paragraph(self, p: etree._Element, spans: list[tuple[int, int, tuple[str, ...]]], text: str) -> ParagraphLayout:
        """The layout of text:p/text:h `p` whose `text` has the given span offsets and styles."""
        style = p.get(f"{_T}style-name")
        base = self.paragraph_props(style)
        runs = _runs(len(text), spans)
        layout_runs = []
        for a, b, names in runs:
            props = self.span_props(base, names) if names else base
            layout_runs.append(RunLayout(a, b, props.font, props.latin, props.size, props.bold))
        named = self.styles.get(("paragraph", style or ""))
        display = named.get(f"{_S}display-name") if named is not None else None
        return ParagraphLayout(style=display or style, align=base.align or "left", indent_first=base.first or 0.0,
                               indent_left=base.left or 0.0, indent_right=base.right or 0.0, line_rule=base.line_rule,
                               line=base.line, runs=layout_runs)  # fmt: skip


def _runs(length: int, spans: list[tuple[int, int, tuple[str, ...]]]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Cut [0, length) into runs, each with the style chain of the innermost span over it."""
    if length <= 0:
        return []
    chains: list[tuple[str, ...]] = [()] * length
    for a, b, names in sorted(spans, key=lambda s: len(s[2])):  # outer spans first, inner ones override
        for i in range(max(a, 0), min(b, length)):
            chains[i] = names
    out: list[tuple[int, int, tuple[str, ...]]] = []
    start = 0
    for i in range(1, length + 1):
        if i == length or chains[i] != chains[start]:
            out.append((start, i, chains[start]))
            start = i
    return out


def document_layout(st: OdtStyles, first_paragraph_style: str | None) -> Layout:
    """The page setup of the first page style and the page numbers of its footers."""
    out = Layout()
    root = st.root_styles
    if root is None:
        return out
    masters = {m.get(f"{_S}name"): m for m in root.iter(f"{_S}master-page")}
    name = _master_of(st, first_paragraph_style) or ("Standard" if "Standard" in masters else next(iter(masters), None))
    master = masters.get(name)
    if master is None:
        return out
    layouts = {pl.get(f"{_S}name"): pl for pl in root.iter(f"{_S}page-layout")}
    layout = layouts.get(master.get(f"{_S}page-layout-name"))
    footer = master.find(f"{_S}footer")
    footer_left = master.find(f"{_S}footer-left")
    header = master.find(f"{_S}header")
    if layout is not None:
        out.pages.append(_page(layout, footer is not None and footer.get(f"{_S}display") != "false",
                               header is not None and header.get(f"{_S}display") != "false"))
    shared = footer_left is None or footer_left.get(f"{_S}display") == "false"
    out.even_odd = not shared
    for part, el in (("default", footer), ("even", None if shared else footer_left)):
        if el is not None:
            out.page_numbers.extend(_page_numbers(st, el, part))
    return out


def _master_of(st: OdtStyles, style: str | None) -> str | None:
    for el in reversed(st._chain("paragraph", style)):
        name = el.get(f"{_S}master-page-name")
        if name:
            return name
    return None


def _page(layout: etree._Element, has_footer: bool, has_header: bool) -> PageSetup:
    props = layout.find(f"{_S}page-layout-properties")
    page = PageSetup()
    if props is None:
        return page

    def mm(attr: str, ns: str = _F) -> float | None:
        value = length_pt(props.get(f"{ns}{attr}"))
        return None if value is None else value * MM_PER_PT

    page.width, page.height = mm("page-width"), mm("page-height")
    page.top, page.bottom, page.left, page.right = mm("margin-top"), mm("margin-bottom"), mm("margin-left"), mm("margin-right")
    for present, tag, attr in ((has_footer, "footer-style", "bottom"), (has_header, "header-style", "top")):
        hf = layout.find(f"{_S}{tag}/{_S}header-footer-properties")
        if present and getattr(page, attr) is not None:
            extra = length_pt(hf.get(f"{_F}min-height")) if hf is not None else None
            setattr(page, attr, getattr(page, attr) + (extra or 0.0) * MM_PER_PT)
    mode = props.get(f"{_S}layout-grid-mode")
    if mode in ("line", "both"):
        page.grid = "lines" if mode == "line" else "linesAndChars"
        base = length_pt(props.get(f"{_S}layout-grid-base-height"))
        ruby = length_pt(props.get(f"{_S}layout-grid-ruby-height")) or 0.0
        page.line_pitch = None if base is None else base + ruby
        if mode == "both":
            page.char_pitch = length_pt(props.get(f"{_S}layout-grid-base-width"))
    fmt = props.get(f"{_S}num-format")
    page.number_format = {"1": "decimal", "i": "lowerRoman", "I": "upperRoman", "a": "lowerLetter",
                          "A": "upperLetter"}.get(fmt or "1", fmt)  # fmt: skip
    return page


def _page_numbers(st: OdtStyles, footer: etree._Element, part: str) -> list[PageNumber]:
    out = []
    for p in footer.iter(f"{_T}p", f"{_T}h"):
        field = next(p.iter(f"{_T}page-number"), None)
        if field is None:
            continue
        pieces: list[str] = []
        _footer_text(p, field, pieces)
        base = st.paragraph_props(p.get(f"{_T}style-name"))
        names = tuple(a.get(f"{_T}style-name") for a in field.iterancestors(f"{_T}span") if a.get(f"{_T}style-name"))[::-1]
        props = st.span_props(base, names)
        out.append(PageNumber(part, base.align or "left", "".join(pieces), props.latin, props.latin_size))
    return out


def _footer_text(el: etree._Element, field: etree._Element, out: list[str]) -> None:
    if el.text and el is not field:
        out.append(el.text)
    for child in el:
        if child is field:
            out.append("1")
        elif child.tag == f"{_T}s":
            count = child.get(f"{_T}c") or "1"
            out.append(" " * (min(int(count), 64) if count.isdigit() else 1))
        elif child.tag == f"{_T}tab":
            out.append("\t")
        elif isinstance(child.tag, str):
            _footer_text(child, field, out)
        if child.tail:
            out.append(child.tail)
