"""Word .docx (and .docm) reader: the main document part's paragraphs and tables in order.

What is read, and how:

* Body paragraphs and tables in document order. A table's cells become Blocks of kind "cell",
  row by row; nested tables are flattened into the enclosing cell. Text boxes anchored in a
  paragraph follow that paragraph as extra Blocks (origin key "textbox").
* Tracked changes are shown as if accepted: inserted and moved-to text is kept, deleted and
  moved-from text is dropped, deleted table rows are dropped, and a paragraph whose paragraph
  mark was deleted is joined to the next paragraph (as Word does on accepting).
* Not read: headers, footers, comments, footnotes and endnotes (separate parts), field
  instructions (only a field's displayed result is kept), hidden text (w:vanish), ruby
  guide text, drawings other than text boxes, and altChunk imports (noted).
* Characters: w:tab and w:ptab become "\\t"; a soft line break (w:br, w:cr) is dropped when it
  sits between Chinese characters and becomes one space between Latin letters or digits, so a
  Block stays one line; page and column breaks are dropped; w:noBreakHyphen is "-", w:softHyphen
  is dropped; w:sym gives its character, except symbol-font glyphs in the private use area.
* Word's automatic numbering is computed from numbering.xml and put in Block.number (see
  `Numbering`).
* Layout (fazhi.ingest.layout): each Block gets its resolved paragraph and run formatting, the
  RawDocument the sections' page setup and the page number fields of their footers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from fazhi.ingest import layout as layout_mod
from fazhi.ingest.limits import LIMITS
from fazhi.ingest.ooxml_safe import SOFT_BREAK, Package, corrupt, encrypted_error, is_ole2, join_soft_breaks, parse_xml
from fazhi.model import Block, IngestError, RawDocument

KIND = ".docx"
W_MAIN = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
MATH = "http://schemas.openxmlformats.org/officeDocument/2006/math"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


def read(data: bytes) -> RawDocument:
    """Read a .docx given as bytes; raises IngestError for anything unreadable."""
    try:
        if is_ole2(data):  # an encrypted package (a .doc named .docx goes to the doc reader)
            raise encrypted_error()
        return read_package(Package(data, KIND))
    except IngestError:
        raise
    except Exception:  # a malformed package must never surface as a traceback
        raise corrupt(KIND) from None


def read_package(pkg: Package) -> RawDocument:
    main = _main_part(pkg)
    data = pkg.read(main)
    if data is None:
        raise corrupt(KIND, "缺少正文部分 word/document.xml")
    _check_runs(data)
    root = parse_xml(data, main, KIND)
    ns = etree.QName(root).namespace or W_MAIN
    if ns not in (W_MAIN, W_STRICT):
        raise corrupt(KIND, "正文部分不是 Word 文档")
    body = root.find(f"{{{ns}}}body")
    rels = _part_rels(pkg, main)
    styles_root = _parse(pkg, rels.get("styles", "word/styles.xml"))
    styles = Styles(styles_root, ns)
    numbering = Numbering(_parse(pkg, rels.get("numbering", "word/numbering.xml")), ns, styles)
    settings = _optional(pkg, rels.get("settings", "word/settings.xml"))
    try:
        resolver = layout_mod.Resolver.build(styles_root, _optional(pkg, rels.get("theme", "")), settings, ns)
    except IngestError:
        raise
    except Exception:  # layout is best effort: unreadable styles give no layout, not an error
        resolver = layout_mod.Resolver(f"{{{ns}}}")
    walker = _Walker(ns, styles, numbering, layout_mod.ParagraphResolver(resolver))
    if body is not None:
        walker.body(body)
        final = body.find(f"{{{ns}}}sectPr")
        if final is not None:
            walker.sections.append((final, walker.section_start))
    targets = _part_rels_by_id(pkg, main)

    def part(rid: str) -> etree._Element | None:
        return _optional(pkg, targets[rid]) if rid in targets else None

    try:
        layout = layout_mod.document_layout(resolver, settings, walker.sections, part)
    except IngestError:
        raise
    except Exception:  # layout is best effort: the text is read whatever the page setup
        layout = None
    return RawDocument("docx", walker.blocks, walker.notes, layout=layout)


# A run start tag in any namespace prefix: <w:r> or <w:r ...>, not <w:rPr>.
_RUN_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?r[\s>/]")


def _check_runs(xml: bytes) -> None:
    """Refuse, before building the tree, a body cut into more runs than any report has: the
    tree costs about 500 bytes a run (1.9 million one-character runs took 909 MB)."""
    runs = sum(1 for _ in _RUN_TAG.finditer(xml))
    if runs > LIMITS.max_runs:
        raise IngestError(
            "too-many-runs",
            f"文件正文被拆成 {runs:,} 个格式片段（上限 {LIMITS.max_runs:,}），不像正常的 Word 文档，为避免耗尽内存已拒绝读取；可在 Word 中另存后重试",
        )


# --- package structure ------------------------------------------------------------------------


def _parse(pkg: Package, name: str) -> etree._Element | None:
    data = pkg.read(name)
    return None if data is None else parse_xml(data, name, KIND)


def _optional(pkg: Package, name: str) -> etree._Element | None:
    """A part only layout needs (theme, settings, footers): a malformed one is as good as absent;
    the security refusals (zip bomb, XML entities) still stop the reading."""
    if not name:
        return None
    try:
        return _parse(pkg, name)
    except IngestError as exc:
        if exc.code == "corrupt":
            return None
        raise


def _resolve(base_dir: str, target: str) -> str:
    """A relationship target resolved against the source part's folder, as a member name."""
    path = target.lstrip("/") if target.startswith("/") else f"{base_dir}{target}"
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _rels(pkg: Package, rels_name: str, base_dir: str) -> dict[str, str]:
    """Relationship type suffix (e.g. "officeDocument", "styles") -> target member name."""
    root = _parse(pkg, rels_name)
    out: dict[str, str] = {}
    if root is None:
        return out
    for rel in root.iter(f"{{{PKG_RELS}}}Relationship"):
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        target = rel.get("Target")
        if target and rel.get("TargetMode") != "External":
            out.setdefault(kind, _resolve(base_dir, target))
    return out


def _main_part(pkg: Package) -> str:
    main = _rels(pkg, "_rels/.rels", "").get("officeDocument", "word/document.xml")
    if main.endswith(("workbook.xml", "presentation.xml")):
        raise IngestError(
            "unsupported-format", "这是 Excel/PowerPoint 文件而不是 Word 文档，请提供报告的 Word、PDF 或文本文件"
        )
    return main


def _part_rels(pkg: Package, part: str) -> dict[str, str]:
    folder, _, name = part.rpartition("/")
    base = f"{folder}/" if folder else ""
    return _rels(pkg, f"{base}_rels/{name}.rels", base)


def _part_rels_by_id(pkg: Package, part: str) -> dict[str, str]:
    """Relationship id -> target member name, for the parts a section references (footers)."""
    folder, _, name = part.rpartition("/")
    base = f"{folder}/" if folder else ""
    root = _parse(pkg, f"{base}_rels/{name}.rels")
    out: dict[str, str] = {}
    if root is not None:
        for rel in root.iter(f"{{{PKG_RELS}}}Relationship"):
            if rel.get("Id") and rel.get("Target") and rel.get("TargetMode") != "External":
                out[rel.get("Id")] = _resolve(base, rel.get("Target"))
    return out


# --- styles -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None


class Styles:
    """Paragraph and numbering styles: what numbering a style gives, through basedOn."""

    def __init__(self, root: etree._Element | None, ns: str):
        self.paragraph: dict[str, _Style] = {}
        self.numbering: dict[str, str] = {}  # numbering style id -> numId
        self.default: str | None = None
        if root is None:
            return
        w = f"{{{ns}}}"
        for style in root.iter(f"{w}style"):
            sid = style.get(f"{w}styleId")
            if not sid:
                continue
            num_id, ilvl = _num_pr(style.find(f"{w}pPr"), w)
            if style.get(f"{w}type") == "numbering":
                if num_id:
                    self.numbering[sid] = num_id
                continue
            if style.get(f"{w}type", "paragraph") != "paragraph":
                continue
            based = style.find(f"{w}basedOn")
            self.paragraph[sid] = _Style(None if based is None else based.get(f"{w}val"), num_id, ilvl)
            if style.get(f"{w}default") in ("1", "true", "on") and self.default is None:
                self.default = sid

    def numbering_of(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, id of the style that carries them) following the basedOn chain."""
        sid = style_id if style_id in self.paragraph else self.default
        seen: set[str] = set()
        while sid and sid not in seen:
            seen.add(sid)
            style = self.paragraph.get(sid)
            if style is None:
                break
            if style.num_id is not None:
                return style.num_id, style.ilvl, sid
            sid = style.based_on
        return None, None, None


def _num_pr(ppr: etree._Element | None, w: str) -> tuple[str | None, int | None]:
    """(numId, ilvl) of a w:pPr's w:numPr; either may be None."""
    if ppr is None:
        return None, None
    num_pr = ppr.find(f"{w}numPr")
    if num_pr is None:
        return None, None
    num = num_pr.find(f"{w}numId")
    lvl = num_pr.find(f"{w}ilvl")
    return (None if num is None else num.get(f"{w}val")), _int(None if lvl is None else lvl.get(f"{w}val"))


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# --- numbering --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    restart: int | None = None  # w:lvlRestart: one-based level whose use restarts this one; 0 never
    legal: bool = False  # w:isLgl: show all levels' numbers in Arabic digits
    style: str | None = None  # w:pStyle: the paragraph style linked to this level


@dataclass(slots=True)
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # lvlOverride/startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # lvlOverride/lvl
    pending: set[int] = field(default_factory=set)  # overrides not applied yet


class Numbering:
    """Word's automatic list numbering, replayed over the paragraphs in document order.

    Counters belong to the abstract numbering definition, so that w:num instances sharing one
    continue each other's count (as Word does); a w:num with a w:startOverride restarts the
    level at its first use. Using a level resets the deeper levels, unless a deeper level's
    w:lvlRestart says otherwise.
    """

    def __init__(self, root: etree._Element | None, ns: str, styles: Styles):
        self._w = f"{{{ns}}}"
        self._styles = styles
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._style_link: dict[str, str] = {}  # abstractNumId -> numbering style (numStyleLink)
        self._nums: dict[str, _Num] = {}
        self._counters: dict[str, list[int | None]] = {}
        if root is not None:
            self._load(root)

    def _load(self, root: etree._Element) -> None:
        w = self._w
        for absn in root.iter(f"{w}abstractNum"):
            aid = absn.get(f"{w}abstractNumId")
            if aid is None:
                continue
            self._abstract[aid] = {lvl: level for lvl, level in (self._level(el) for el in absn.iter(f"{w}lvl"))}
            link = absn.find(f"{w}numStyleLink")
            if link is not None and link.get(f"{w}val"):
                self._style_link[aid] = link.get(f"{w}val")
        for num in root.iter(f"{w}num"):
            nid = num.get(f"{w}numId")
            ref = num.find(f"{w}abstractNumId")
            if nid is None or ref is None or ref.get(f"{w}val") is None:
                continue
            entry = _Num(ref.get(f"{w}val"))
            for over in num.iter(f"{w}lvlOverride"):
                ilvl = _int(over.get(f"{w}ilvl"), 0) or 0
                start = over.find(f"{w}startOverride")
                if start is not None:
                    entry.starts[ilvl] = _int(start.get(f"{w}val"), 0) or 0
                lvl = over.find(f"{w}lvl")
                if lvl is not None:
                    entry.levels[ilvl] = self._level(lvl)[1]
            entry.pending = set(entry.starts)
            self._nums[nid] = entry

    def _level(self, el: etree._Element) -> tuple[int, _Level]:
        w = self._w

        def val(tag: str) -> str | None:
            child = el.find(f"{w}{tag}")
            return None if child is None else child.get(f"{w}val")

        legal = el.find(f"{w}isLgl")
        return _int(el.get(f"{w}ilvl"), 0) or 0, _Level(
            fmt=val("numFmt") or "decimal",
            text=val("lvlText") if val("lvlText") is not None else "",
            start=_int(val("start"), 1) or 0,
            restart=_int(val("lvlRestart")),
            legal=legal is not None and legal.get(f"{w}val") not in ("0", "false", "off"),
            style=val("pStyle"),
        )

    def _abstract_id(self, num: _Num) -> str:
        """Follow numStyleLink (an abstractNum that defers to a numbering style's list)."""
        aid = num.abstract
        for _ in range(4):
            style = self._style_link.get(aid)
            target = self._nums.get(self._styles.numbering.get(style or "", ""))
            if target is None or target.abstract == aid:
                break
            aid = target.abstract
        return aid

    def label(self, ppr: etree._Element | None) -> str:
        """The numbering label of a paragraph with these properties, advancing the counters."""
        w = self._w
        num_id, ilvl = _num_pr(ppr, w)
        style_el = None if ppr is None else ppr.find(f"{w}pStyle")
        style_id = None if style_el is None else style_el.get(f"{w}val")
        if num_id is None:
            num_id, style_ilvl, carrier = self._styles.numbering_of(style_id)
            if num_id is None:
                return ""
            if ilvl is None:
                ilvl = style_ilvl
            if ilvl is None:
                ilvl = self._level_for_style(num_id, style_id, carrier)
        num = self._nums.get(num_id)
        if num is None:  # numId 0 removes numbering; unknown ids number nothing
            return ""
        ilvl = min(max(ilvl or 0, 0), 8)
        aid = self._abstract_id(num)
        levels = self._abstract.get(aid, {})
        level = num.levels.get(ilvl) or levels.get(ilvl)
        if level is None:
            return ""
        values = self._advance(aid, num, ilvl, levels)
        if level.fmt == "bullet":
            return ""
        return self._render(level, values, num, levels)

    def _level_for_style(self, num_id: str, *style_ids: str | None) -> int:
        num = self._nums.get(num_id)
        if num is None:
            return 0
        for lvl, level in sorted(self._abstract.get(self._abstract_id(num), {}).items()):
            if level.style and level.style in style_ids:
                return lvl
        return 0

    def _def(self, num: _Num, levels: dict[int, _Level], lvl: int) -> _Level:
        return num.levels.get(lvl) or levels.get(lvl) or _Level()

    def _advance(self, aid: str, num: _Num, ilvl: int, levels: dict[int, _Level]) -> list[int | None]:
        counters = self._counters.setdefault(aid, [None] * 9)
        if ilvl in num.pending:
            num.pending.discard(ilvl)
            counters[ilvl] = num.starts[ilvl]
        elif counters[ilvl] is None:
            counters[ilvl] = self._def(num, levels, ilvl).start
        else:
            counters[ilvl] = (counters[ilvl] or 0) + 1
        for deeper in range(ilvl + 1, 9):
            restart = self._def(num, levels, deeper).restart
            # Default: restart after any shallower level; lvlRestart=N: only after levels 1..N.
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        return counters

    def _render(self, level: _Level, values: list[int | None], num: _Num, levels: dict[int, _Level]) -> str:
        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            fmt_level = self._def(num, levels, k)
            value = values[k]
            if value is None:
                value = num.starts.get(k, fmt_level.start)
            fmt = "decimal" if level.legal and fmt_level.fmt not in ("decimalZero",) else fmt_level.fmt
            return format_number(value, fmt)

        return _LVL_PLACEHOLDER.sub(sub, level.text).strip()


_LVL_PLACEHOLDER = re.compile(r"%([1-9])")
_MAX_COUNTER = 99_999

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_LEGAL_TRAD = "零壹貳參肆伍陸柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip


def chinese_count(n: int, digits: str = "一二三四五六七八九", units: str = "十百千", zero: str = "零") -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 105 -> 一百零五, 10010 -> 一万零一十."""
    if n <= 0:
        return "〇" if n == 0 else str(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        head = chinese_count(high, digits, units, zero) + "万"
        if low == 0:
            return head
        gap = zero if low < 1000 else ""
        return head + gap + _chinese_below_10000(low, digits, units, zero, bare_ten=False)
    return _chinese_below_10000(n, digits, units, zero, bare_ten=True)


def _chinese_below_10000(n: int, digits: str, units: str, zero: str, bare_ten: bool) -> str:
    """1..9999; `bare_ten` writes 十一 rather than 一十一 when the number starts with the tens."""
    out: list[str] = []
    pending_zero = False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        d, n = divmod(n, power)
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(zero)
            pending_zero = False
        if not (bare_ten and power == 10 and d == 1 and not out):
            out.append(digits[d - 1])
        out.append(unit)
    return "".join(out)


def _letters(n: int, base: str) -> str:
    """Word's letter numbering: A..Z, then AA, BB, ... ZZ, AAA, ..."""
    if n <= 0:
        return str(n)
    return chr(ord(base) + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in _ROMAN:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def _enclosed(n: int, first: int, last: int) -> str:
    return chr(first + n - 1) if 1 <= n <= last - first + 1 else str(n)


def _circled(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)  # ① .. ⑳
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)  # ㉑ .. ㉟
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)  # ㊱ .. ㊿
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a w:numFmt style."""
    if not 0 <= n <= _MAX_COUNTER:  # hostile w:start values must not build huge labels
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting", "japaneseLegal"):  # fmt: skip
        return chinese_count(n)
    if fmt == "chineseLegalSimplified":
        return chinese_count(n, _CN_LEGAL[1:], "拾佰仟")
    if fmt == "ideographLegalTraditional":
        return chinese_count(n, _CN_LEGAL_TRAD[1:], "拾佰仟")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n)) if n >= 0 else str(n)
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "ideographEnclosedCircle":
        return _enclosed(n, 0x3280, 0x3289)  # ㊀ .. ㊉
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _circled(n)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, 0x2488, 0x249B)  # ⒈ .. ⒛
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, 0x2474, 0x2487)  # ⑴ .. ⒇
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FULLWIDTH)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "upperLetter":
        return _letters(n, "A")
    if fmt == "lowerLetter":
        return _letters(n, "a")
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "none":
        return ""
    return str(n)  # decimal, decimalHalfWidth, ordinal, cardinalText and anything unknown


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# --- the document walk ------------------------------------------------------------------------


class _Walker:
    """Turns the main document part into Blocks, keeping numbering and field state in order."""

    def __init__(self, ns: str, styles: Styles, numbering: Numbering, layout: layout_mod.ParagraphResolver | None = None):
        w = f"{{{ns}}}"
        self.w = w
        self.numbering = numbering
        self.layout = layout
        self.sections: list[tuple[etree._Element, int]] = []  # (w:sectPr, first Block index)
        self.section_start = 0
        self._runs: list[tuple[int, int, etree._Element | None]] = []  # (first piece, end piece, w:rPr)
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self._fields: list[bool] = []  # open complex fields: True while in the instruction part
        self._carry: tuple[str, dict[str, Any], str] | None = None  # text of a deleted paragraph mark
        self.P, self.TBL, self.TR, self.TC = f"{w}p", f"{w}tbl", f"{w}tr", f"{w}tc"
        self.R, self.PPR, self.RPR, self.FLDCHAR = f"{w}r", f"{w}pPr", f"{w}rPr", f"{w}fldChar"
        self.TXBX = f"{w}txbxContent"
        self.ALT, self.CHOICE, self.FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
        self.block_wrappers = {f"{w}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag")}
        # inline elements whose content is not displayed text
        self.inline_skip = {f"{w}{t}" for t in ("pPr", "rPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "rt",
                                                "customXmlPr", "smartTagPr")}  # fmt: skip
        self.run_handlers = {
            f"{w}t": self._text,
            f"{{{MATH}}}t": self._text,
            f"{w}tab": lambda el, out, boxes: out.append("\t"),
            f"{w}ptab": lambda el, out, boxes: out.append("\t"),
            f"{w}br": self._break,
            f"{w}cr": lambda el, out, boxes: out.append(SOFT_BREAK),
            f"{w}noBreakHyphen": lambda el, out, boxes: out.append("-"),
            f"{w}sym": self._sym,
            f"{w}fldChar": self._field_char,
            f"{w}drawing": self._drawing,
            f"{w}pict": self._drawing,
            f"{w}object": self._drawing,
        }

    # block level

    def body(self, body: etree._Element) -> None:
        paragraph = 0
        table = 0
        for el in self._flow(body):
            if el.tag == self.P:
                self._paragraph(el, {"paragraph": paragraph}, "p")
                paragraph += 1
                sect = el.find(f"{self.PPR}/{self.w}sectPr")
                if sect is not None:
                    self._flush_carry()
                    self.sections.append((sect, self.section_start))
                    self.section_start = len(self.blocks)
            else:
                self._flush_carry()  # a deleted paragraph mark does not join text into a table
                self._table(el, table)
                table += 1
        self._flush_carry()

    def _flow(self, container: etree._Element) -> Iterator[etree._Element]:
        """Block-level w:p and w:tbl in order, looking through content controls and insertions."""
        for child in container:
            tag = child.tag
            if tag == self.P or tag == self.TBL:
                yield child
            elif tag in self.block_wrappers:
                yield from self._flow(child)
            elif tag == f"{self.w}altChunk":
                note = "文档中嵌入的外部内容（altChunk）未读取"
                if note not in self.notes:
                    self.notes.append(note)

    def _rows(self, tbl: etree._Element) -> Iterator[etree._Element]:
        for el in self._children(tbl, self.TR):
            trpr = el.find(f"{self.w}trPr")
            if trpr is not None and trpr.find(f"{self.w}del") is not None:
                continue  # a deleted row
            yield el

    def _children(self, el: etree._Element, tag: str) -> Iterator[etree._Element]:
        for child in el:
            if child.tag == tag:
                yield child
            elif child.tag in self.block_wrappers:
                yield from self._children(child, tag)

    def _table(self, tbl: etree._Element, t: int) -> None:
        for r, row in enumerate(self._rows(tbl)):
            for c, cell in enumerate(self._children(row, self.TC)):
                for p, para in enumerate(self._paragraphs_deep(cell)):
                    self._paragraph(para, {"table": t, "row": r, "cell": c, "paragraph": p}, "cell")
                self._flush_carry()

    def _paragraphs_deep(self, container: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs of a cell or text box, with any nested table flattened in reading order."""
        for el in self._flow(container):
            if el.tag == self.P:
                yield el
            else:
                for row in self._rows(el):
                    for cell in self._children(row, self.TC):
                        yield from self._paragraphs_deep(cell)

    def _paragraph(self, p: etree._Element, origin: dict[str, Any], kind: str) -> None:
        out: list[str] = []
        boxes: list[etree._Element] = []
        outer_runs, self._runs = self._runs, []
        self._inline(p, out, boxes)
        runs, self._runs = self._runs, outer_runs
        # A field instruction never spans paragraphs in practice; don't let a broken one hide more.
        self._fields = [False for _ in self._fields]
        raw = "".join(out)
        text = join_soft_breaks(raw)
        ppr = p.find(self.PPR)
        if _mark_deleted(ppr, self.w):
            prev = self._carry[0] if self._carry else ""
            self._carry = (prev + text, self._carry[1] if self._carry else origin, kind)
        else:
            carried = self._carry is not None
            if self._carry is not None:
                text = self._carry[0] + text
                self._carry = None
            number = self.numbering.label(ppr)
            if text or number:
                layout = None
                if self.layout is not None:
                    try:
                        layout = self.layout.paragraph(ppr, [] if carried else _run_spans(out, runs, raw, text), text)
                    except Exception:  # layout is best effort: the text is read whatever the formatting
                        layout = None
                self.blocks.append(Block(text, origin, number, kind, layout))
        outer_carry, self._carry = self._carry, None
        for b, box in enumerate(boxes):
            for j, para in enumerate(self._paragraphs_deep(box)):
                self._paragraph(para, {**origin, "textbox": b, "textbox_paragraph": j}, kind)
            self._flush_carry()
        self._carry = outer_carry

    def _flush_carry(self) -> None:
        if self._carry is not None:
            text, origin, kind = self._carry
            self._carry = None
            if text:
                self.blocks.append(Block(text, origin, "", kind))

    # inline level

    def _inline(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        for child in el:
            tag = child.tag
            if tag == self.R:
                self._run(child, out, boxes)
            elif tag in self.inline_skip or not isinstance(tag, str):
                continue
            elif tag == self.ALT:
                branch = self._alternative(child)
                if branch is not None:
                    self._inline(branch, out, boxes)
            elif tag in self.run_handlers:  # run content outside a w:r (e.g. m:t inside math)
                self.run_handlers[tag](child, out, boxes)
            elif len(child):  # leaf markers (bookmarks, proofErr, ...) carry no text
                self._inline(child, out, boxes)

    def _alternative(self, alt: etree._Element) -> etree._Element | None:
        """The first mc:Choice, else the mc:Fallback: never both, or text boxes would double."""
        branch = alt.find(self.CHOICE)
        return branch if branch is not None else alt.find(self.FALLBACK)

    def _run(self, run: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        first = len(out)
        self._run_content(run, out, boxes)
        if len(out) > first:
            self._runs.append((first, len(out), run.find(self.RPR)))

    def _run_content(self, run: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        hidden = False
        for child in run:
            tag = child.tag
            if tag == self.RPR:
                hidden = _hidden(child, self.w)
                continue
            if hidden and tag != self.FLDCHAR:  # hidden text; field structure still counts
                continue
            handler = self.run_handlers.get(tag)
            if handler is not None:
                handler(child, out, boxes)
            elif tag == self.ALT:
                branch = self._alternative(child)
                if branch is not None:
                    self._run_content(branch, out, boxes)

    def _text(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        if el.text and not (self._fields and any(self._fields)):
            out.append(el.text.replace("\r", " ").replace("\n", " "))

    def _break(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        if el.get(f"{self.w}type") not in ("page", "column"):
            out.append(SOFT_BREAK)

    def _sym(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        try:
            code = int(el.get(f"{self.w}char") or "", 16)
        except ValueError:
            return
        if 0 < code < 0x110000 and not 0xE000 <= code <= 0xF8FF and not 0xD800 <= code <= 0xDFFF:
            out.append(chr(code))

    def _field_char(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        kind = el.get(f"{self.w}fldCharType")
        if kind == "begin":
            self._fields.append(True)
        elif kind == "separate" and self._fields:
            self._fields[-1] = False
        elif kind == "end" and self._fields:
            self._fields.pop()

    def _drawing(self, el: etree._Element, out: list[str], boxes: list[etree._Element]) -> None:
        """Collect the text boxes of a drawing (not descending into a text box's own boxes)."""
        stack = [el]
        while stack:
            node = stack.pop()
            for child in node:
                if child.tag == self.TXBX:
                    boxes.append(child)
                elif child.tag == self.ALT:
                    branch = self._alternative(child)
                    if branch is not None:
                        stack.append(branch)
                elif isinstance(child.tag, str):
                    stack.append(child)


def _run_spans(pieces: list[str], runs: list[tuple[int, int, etree._Element | None]], raw: str,
               text: str) -> list[tuple[int, int, etree._Element | None]]:
    """Runs as (start, end, w:rPr) offsets in the paragraph's text, from their pieces of `raw`;
    soft breaks that join_soft_breaks dropped shift the offsets after them."""
    bounds = [0]
    for piece in pieces:
        bounds.append(bounds[-1] + len(piece))
    dropped = len(raw) - len(text)
    breaks = [i for i, ch in enumerate(raw) if ch == SOFT_BREAK] if dropped else []

    def at(i: int) -> int:
        if not breaks:
            return min(i, len(text))
        before = sum(1 for b in breaks if b < i)
        return max(0, min(len(text), i - round(before * dropped / len(breaks))))

    return [(at(bounds[a]), at(bounds[b]), rpr) for a, b, rpr in runs]


def _hidden(rpr: etree._Element, w: str) -> bool:
    vanish = f"{w}vanish"
    for prop in rpr:  # a plain loop: much faster than find() for the few properties of a run
        if prop.tag == vanish:
            return prop.get(f"{w}val") not in ("0", "false", "off")
    return False


def _mark_deleted(ppr: etree._Element | None, w: str) -> bool:
    """True when the paragraph mark itself is a tracked deletion (the paragraph joins the next)."""
    if ppr is None:
        return False
    rpr = ppr.find(f"{w}rPr")
    return rpr is not None and (rpr.find(f"{w}del") is not None or rpr.find(f"{w}moveFrom") is not None)
