"""Resolved layout of a .docx: what Word shows, not what one element says.

Run properties are resolved as Word does: document defaults (w:docDefaults), then the paragraph
style and its w:basedOn chain (root first), then the character style chain (w:rStyle), then the
run's direct formatting; each property (and each font slot of w:rFonts) overrides separately.
A theme font reference (w:eastAsiaTheme="minorEastAsia") takes precedence over a font name on
the same element and is looked up in the theme part (a:ea, else the script font for the
document's East Asian language, else Simplified Chinese). Paragraph properties (alignment,
indents, line spacing) follow the same chain. Section properties give the page setup of each
section; footers (and headers) referenced from the sections are searched for PAGE fields.

Anything missing or odd resolves to None, which the checks read as "unknown" (no finding).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Callable

from lxml import etree

from fazhi.model import Layout, PageNumber, PageSetup, ParagraphLayout, RunLayout

DRAWING_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
TWIP_MM = 25.4 / 1440
_ALIGN = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right", "both": "justify",
          "distribute": "distribute", "thaiDistribute": "distribute", "lowKashida": "justify",
          "mediumKashida": "justify", "highKashida": "justify"}  # fmt: skip
_THEME_SCRIPTS = {"zh-CN": "Hans", "zh-SG": "Hans", "zh-TW": "Hant", "zh-HK": "Hant", "zh-MO": "Hant",
                  "ja-JP": "Jpan", "ko-KR": "Hang"}  # fmt: skip
_OFF = ("0", "false", "off")


@dataclass(slots=True)
class RunProps:
    """Run properties while resolving: each font slot is ("name", X) or ("theme", X) or None."""

    east_asia: tuple[str, str] | None = None
    ascii: tuple[str, str] | None = None
    size: float | None = None
    bold: bool | None = None

    def merge(self, rpr: etree._Element | None, w: str) -> "RunProps":
        if rpr is None:
            return self
        out = replace(self)
        for prop in rpr:
            tag = prop.tag
            if tag == f"{w}rFonts":
                out.east_asia = _font_slot(prop, w, "eastAsia") or out.east_asia
                out.ascii = _font_slot(prop, w, "ascii") or out.ascii
            elif tag == f"{w}sz":
                size = _number(prop.get(f"{w}val"))
                if size is not None:
                    out.size = size / 2 if 2 <= size <= 3276 else math.nan
            elif tag == f"{w}b":
                out.bold = prop.get(f"{w}val") not in _OFF
        return out


def _font_slot(el: etree._Element, w: str, slot: str) -> tuple[str, str] | None:
    theme = el.get(f"{w}{slot}Theme")
    if theme:
        return ("theme", theme)
    name = el.get(f"{w}{slot}")
    return ("name", name.strip()) if name and name.strip() else None


@dataclass(slots=True)
class ParaProps:
    align: str | None = None
    first: float | None = None  # points
    first_chars: float | None = None  # characters
    left: float | None = None
    left_chars: float | None = None
    right: float | None = None
    right_chars: float | None = None
    line_rule: str | None = None
    line: float | None = None  # raw w:line

    def merge(self, ppr: etree._Element | None, w: str) -> "ParaProps":
        if ppr is None:
            return self
        out = replace(self)
        jc = ppr.find(f"{w}jc")
        if jc is not None and jc.get(f"{w}val") in _ALIGN:
            out.align = _ALIGN[jc.get(f"{w}val")]
        ind = ppr.find(f"{w}ind")
        if ind is not None:
            hanging = _number(ind.get(f"{w}hanging"))
            first = _number(ind.get(f"{w}firstLine"))
            if hanging is not None:
                out.first, out.first_chars = -hanging / 20, None
            elif first is not None:
                out.first, out.first_chars = first / 20, None
            hanging_chars = _number(ind.get(f"{w}hangingChars"))
            first_chars = _number(ind.get(f"{w}firstLineChars"))
            if hanging_chars is not None:
                out.first_chars = -hanging_chars / 100
            elif first_chars is not None:
                out.first_chars = first_chars / 100
            for attr, key in (("left", "left"), ("start", "left"), ("right", "right"), ("end", "right")):
                value = _number(ind.get(f"{w}{attr}"))
                if value is not None:
                    setattr(out, key, value / 20)
                    setattr(out, f"{key}_chars", None)
            for attr, key in (("leftChars", "left"), ("startChars", "left"), ("rightChars", "right"), ("endChars", "right")):
                value = _number(ind.get(f"{w}{attr}"))
                if value is not None:
                    setattr(out, f"{key}_chars", value / 100)
        spacing = ppr.find(f"{w}spacing")
        if spacing is not None and _number(spacing.get(f"{w}line")) is not None:
            out.line = _number(spacing.get(f"{w}line"))
            out.line_rule = spacing.get(f"{w}lineRule") or "auto"
        return out


def _number(value: str | None) -> float | None:
    """An attribute's number; None when absent, NaN when present but unreadable (an unknown value,
    which must neither fall back to an inherited one nor give a finding)."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return math.nan


def _known(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


@dataclass(slots=True)
class _StyleDef:
    based_on: str | None
    name: str | None
    ppr: etree._Element | None
    rpr: etree._Element | None


@dataclass(slots=True)
class Resolver:
    """Style inheritance and theme fonts of one .docx."""

    w: str
    paragraph_styles: dict[str, _StyleDef] = field(default_factory=dict)
    character_styles: dict[str, _StyleDef] = field(default_factory=dict)
    default_paragraph: str | None = None
    default_character: str | None = None
    defaults_r: RunProps = field(default_factory=RunProps)
    defaults_p: ParaProps = field(default_factory=ParaProps)
    theme: dict[str, str] = field(default_factory=dict)  # "minorEastAsia" -> typeface
    _cache: dict[tuple[str, str | None], Any] = field(default_factory=dict)

    @classmethod
    def build(cls, styles: etree._Element | None, theme: etree._Element | None, settings: etree._Element | None,
              ns: str) -> "Resolver":
        w = f"{{{ns}}}"
        res = cls(w)
        res.theme = _theme_fonts(theme, settings, w)
        if styles is None:
            return res
        defaults = styles.find(f"{w}docDefaults")
        if defaults is not None:
            res.defaults_r = RunProps().merge(defaults.find(f"{w}rPrDefault/{w}rPr"), w)
            res.defaults_p = ParaProps().merge(defaults.find(f"{w}pPrDefault/{w}pPr"), w)
        for style in styles.iter(f"{w}style"):
            sid = style.get(f"{w}styleId")
            kind = style.get(f"{w}type", "paragraph")
            if not sid or kind not in ("paragraph", "character"):
                continue
            based = style.find(f"{w}basedOn")
            name = style.find(f"{w}name")
            entry = _StyleDef(None if based is None else based.get(f"{w}val"), None if name is None else name.get(f"{w}val"),
                              style.find(f"{w}pPr"), style.find(f"{w}rPr"))
            table = res.paragraph_styles if kind == "paragraph" else res.character_styles
            table.setdefault(sid, entry)
            if style.get(f"{w}default") in ("1", "true", "on"):
                if kind == "paragraph" and res.default_paragraph is None:
                    res.default_paragraph = sid
                elif kind == "character" and res.default_character is None:
                    res.default_character = sid
        return res

    def _chain(self, table: dict[str, _StyleDef], sid: str | None) -> list[_StyleDef]:
        out: list[_StyleDef] = []
        seen: set[str] = set()
        while sid and sid in table and sid not in seen and len(out) < 32:
            seen.add(sid)
            out.append(table[sid])
            sid = table[sid].based_on
        return out[::-1]

    def paragraph_style(self, ppr: etree._Element | None) -> str | None:
        el = None if ppr is None else ppr.find(f"{self.w}pStyle")
        sid = None if el is None else el.get(f"{self.w}val")
        return sid if sid in self.paragraph_styles else self.default_paragraph

    def style_props(self, sid: str | None) -> tuple[ParaProps, RunProps]:
        key = ("p", sid)
        if key not in self._cache:
            pp, rp = self.defaults_p, self.defaults_r
            for style in self._chain(self.paragraph_styles, sid):
                pp, rp = pp.merge(style.ppr, self.w), rp.merge(style.rpr, self.w)
            self._cache[key] = (pp, rp)
        return self._cache[key]

    def run_props(self, base: RunProps, rpr: etree._Element | None) -> RunProps:
        el = None if rpr is None else rpr.find(f"{self.w}rStyle")
        sid = None if el is None else el.get(f"{self.w}val")
        out = base
        for style in self._chain(self.character_styles, sid or self.default_character):
            out = out.merge(style.rpr, self.w)
        return out.merge(rpr, self.w)

    def font(self, slot: tuple[str, str] | None, east_asian: bool) -> str | None:
        if slot is None:
            return None
        kind, value = slot
        if kind == "name":
            return value
        if not east_asian and value.endswith("EastAsia"):
            return None
        return self.theme.get(value)

    def style_name(self, sid: str | None) -> str | None:
        style = self.paragraph_styles.get(sid or "")
        return style.name if style else None


def _theme_fonts(theme: etree._Element | None, settings: etree._Element | None, w: str) -> dict[str, str]:
    """{"minorEastAsia": ..., "majorEastAsia": ..., "minorHAnsi": ..., ...} from theme1.xml."""
    if theme is None:
        return {}
    lang = None
    if settings is not None:
        tfl = settings.find(f"{w}themeFontLang")
        if tfl is not None:
            lang = tfl.get(f"{w}eastAsia")
    script = _THEME_SCRIPTS.get(lang or "", "Hans")
    a = f"{{{DRAWING_A}}}"
    out: dict[str, str] = {}
    for which in ("major", "minor"):
        scheme = theme.find(f".//{a}{which}Font")
        if scheme is None:
            continue
        latin = scheme.find(f"{a}latin")
        if latin is not None and latin.get("typeface"):
            for slot in ("Ascii", "HAnsi"):
                out[f"{which}{slot}"] = latin.get("typeface")
        ea = scheme.find(f"{a}ea")
        face = ea.get("typeface") if ea is not None else None
        if not face:
            for font in scheme.findall(f"{a}font"):
                if font.get("script") == script and font.get("typeface"):
                    face = font.get("typeface")
        if face:
            out[f"{which}EastAsia"] = face
    return out


class ParagraphResolver:
    """Turns one w:p and the text offsets of its runs into a ParagraphLayout."""

    def __init__(self, res: Resolver):
        self.res = res

    def paragraph(self, ppr: etree._Element | None, runs: list[tuple[int, int, etree._Element | None]],
                  text: str) -> ParagraphLayout:
        res, w = self.res, self.res.w
        sid = res.paragraph_style(ppr)
        pp, base = res.style_props(sid)
        pp = pp.merge(ppr, w)
        layout_runs: list[RunLayout] = []
        for start, end, rpr in runs:
            if end <= start:
                continue
            rp = res.run_props(base, rpr)
            layout_runs.append(RunLayout(start, end, res.font(rp.east_asia, True), res.font(rp.ascii, False),
                                         _known(rp.size), rp.bold))
        size = _majority_size(layout_runs) or base.size  # character units follow the text's size
        unit = size or 10.5

        def length(pt: float | None, chars: float | None) -> float | None:
            value = chars * unit if chars is not None else pt
            return 0.0 if value is None else _known(value)  # unset is 0; unreadable is unknown

        line = None
        if pp.line is not None and not math.isnan(pp.line):
            line = pp.line / 20 if pp.line_rule in ("exact", "atLeast") else pp.line / 240
        return ParagraphLayout(
            style=res.style_name(sid),
            align=pp.align or "left",
            indent_first=length(pp.first, pp.first_chars),
            indent_left=length(pp.left, pp.left_chars),
            indent_right=length(pp.right, pp.right_chars),
            line_rule=pp.line_rule,
            line=line,
            runs=layout_runs,
        )


def _majority_size(runs: list[RunLayout]) -> float | None:
    sizes: dict[float, int] = {}
    for r in runs:
        if r.size is not None:
            sizes[r.size] = sizes.get(r.size, 0) + r.end - r.start
    return max(sizes, key=lambda s: sizes[s]) if sizes else None


# --- sections and footers -----------------------------------------------------------------------


def page_setup(sect: etree._Element, w: str, mirror: bool, gutter_at_top: bool) -> PageSetup:
    def twips(el: etree._Element | None, attr: str) -> float | None:
        value = None if el is None else _known(_number(el.get(f"{w}{attr}")))
        return None if value is None else value * TWIP_MM

    size = sect.find(f"{w}pgSz")
    mar = sect.find(f"{w}pgMar")
    out = PageSetup(width=twips(size, "w"), height=twips(size, "h"))
    if mar is not None:
        top = twips(mar, "top")
        bottom = twips(mar, "bottom")
        out.top = None if top is None else abs(top)
        out.bottom = None if bottom is None else abs(bottom)
        out.left, out.right = twips(mar, "left"), twips(mar, "right")
        out.gutter = twips(mar, "gutter") or 0.0
        if out.gutter and out.left is not None and not gutter_at_top:
            out.left += out.gutter  # the gutter widens the inner margin (订口)
        elif out.gutter and out.top is not None:
            out.top += out.gutter
    grid = sect.find(f"{w}docGrid")
    if grid is not None:
        out.grid = grid.get(f"{w}type") or "default"
        pitch = _known(_number(grid.get(f"{w}linePitch")))
        out.line_pitch = None if pitch is None else pitch / 20
    fmt = sect.find(f"{w}pgNumType")
    if fmt is not None:
        out.number_format = fmt.get(f"{w}fmt")
    return out


def char_pitch(page: PageSetup, grid: etree._Element | None, default_size: float | None, w: str) -> float | None:
    """Points per character with a character grid (w:charSpace adds 1/4096 pt to the font size)."""
    if grid is None or page.grid not in ("linesAndChars", "snapToChars") or default_size is None:
        return None
    space = _known(_number(grid.get(f"{w}charSpace"))) or 0.0
    return default_size + space / 4096


def footer_page_numbers(root: etree._Element, res: Resolver, part: str, in_header: bool = False) -> list[PageNumber]:
    """PAGE fields in a footer (or header) part: one PageNumber per paragraph holding one."""
    w = res.w
    out: list[PageNumber] = []
    for p in root.iter(f"{w}p"):
        found = _footer_paragraph(p, w)
        if found is None:
            continue
        text, runs, number_rpr = found
        ppr = p.find(f"{w}pPr")
        layout = ParagraphResolver(res).paragraph(ppr, runs, text)
        align = layout.align
        frame = None if ppr is None else ppr.find(f"{w}framePr")
        if frame is not None and frame.get(f"{w}xAlign"):
            align = {"outside": "outside", "inside": "inside", "left": "left", "right": "right",
                     "center": "center"}.get(frame.get(f"{w}xAlign") or "", align)  # fmt: skip
        _, base = res.style_props(res.paragraph_style(ppr))
        number = res.run_props(base, number_rpr)
        out.append(PageNumber(part, align, text, res.font(number.ascii, False), number.size, in_header))
    return out


_SKIP_ANCESTORS = ("del", "moveFrom", "txbxContent")


def _footer_paragraph(p: etree._Element, w: str) -> tuple[str, list[tuple[int, int, etree._Element | None]], etree._Element | None] | None:
    """(text with the page number shown as "1", runs, the number's w:rPr) of a paragraph with a
    PAGE field, else None. The text is "" when it cannot be known."""
    skip = {f"{w}{t}" for t in _SKIP_ANCESTORS}
    text: list[str] = []
    runs: list[tuple[int, int, etree._Element | None]] = []
    fields: list[list[Any]] = []  # [instruction, showing result]
    number_rpr: etree._Element | None = None
    found = False
    pos = 0
    page_simple = f"{w}fldSimple"
    for r in p.iter(f"{w}r", page_simple):
        if r.tag == page_simple:
            if _is_page_instr(r.get(f"{w}instr") or ""):
                inner = r.find(f"{w}r")
                number_rpr, found = (None if inner is None else inner.find(f"{w}rPr")), True
                runs.append((pos, pos + 1, number_rpr))
                text.append("1")
                pos += 1
            continue
        parent = r.getparent()
        hidden = False
        while parent is not None and parent is not p:
            if parent.tag in skip or (parent.tag == page_simple and _is_page_instr(parent.get(f"{w}instr") or "")):
                hidden = True
                break
            parent = parent.getparent()
        if hidden:
            continue
        rpr = r.find(f"{w}rPr")
        piece: list[str] = []
        for child in r:
            tag = child.tag
            if tag == f"{w}fldChar":
                kind = child.get(f"{w}fldCharType")
                if kind == "begin":
                    fields.append(["", False])
                elif kind == "separate" and fields:
                    fields[-1][1] = True
                    if _is_page_instr(fields[-1][0]):
                        number_rpr, found = rpr, True
                        piece.append("1")
                elif kind == "end" and fields:
                    instr, shown = fields.pop()
                    if _is_page_instr(instr) and not shown:
                        number_rpr, found = rpr, True
                        piece.append("1")
            elif tag == f"{w}instrText" and fields and not fields[-1][1]:
                fields[-1][0] += child.text or ""
            elif tag == f"{w}t" and not any(_is_page_instr(f[0]) for f in fields) and all(f[1] for f in fields):
                piece.append(child.text or "")
            elif tag in (f"{w}tab", f"{w}ptab"):
                piece.append("\t")
        joined = "".join(piece)
        if joined:
            runs.append((pos, pos + len(joined), rpr))
            text.append(joined)
            pos += len(joined)
    if not found:
        return None
    # a field left open hides the rest of the paragraph in an unknowable way: the text is unknown
    return ("" if fields else "".join(text)), runs, number_rpr


def _is_page_instr(instr: str) -> bool:
    words = instr.strip().split()
    return bool(words) and words[0].upper() == "PAGE"


def document_layout(res: Resolver, settings: etree._Element | None, sections: list[tuple[etree._Element, int]],
                    part_by_id: Callable[[str], etree._Element | None]) -> Layout:
    """The Layout of a document from its sections ((w:sectPr, index of its first Block)), and
    the footer and header parts they reference (found through `part_by_id`)."""
    w = res.w
    R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

    def flag(name: str) -> bool:
        el = None if settings is None else settings.find(f"{w}{name}")
        return el is not None and el.get(f"{w}val") not in _OFF

    mirror, gutter_top = flag("mirrorMargins"), flag("gutterAtTop")
    _, default_run = res.style_props(res.default_paragraph)
    out = Layout(even_odd=flag("evenAndOddHeaders") if settings is not None else None)
    seen_parts: set[str] = set()
    for sect, first_block in sections:
        page = page_setup(sect, w, mirror, gutter_top)
        page.first_block = first_block
        page.char_pitch = char_pitch(page, sect.find(f"{w}docGrid"), default_run.size, w)
        out.pages.append(page)
        title = sect.find(f"{w}titlePg")
        if title is not None and title.get(f"{w}val") not in _OFF:
            out.title_page = True
        for tag, in_header in (("footerReference", False), ("headerReference", True)):
            for ref in sect.findall(f"{w}{tag}"):
                rid = ref.get(R)
                if not rid or rid in seen_parts:
                    continue
                seen_parts.add(rid)
                root = part_by_id(rid)
                if root is not None:
                    out.page_numbers.extend(footer_page_numbers(root, res, ref.get(f"{w}type") or "default", in_header))
    return out
