"""Layout checks against GB/T 9704-2012 (category `format`): page setup, fonts and sizes by role,
headings, page numbers, the 主送 line and the form of the 成文日期.

The checks read only the Document: readers that know layout (.docx, and .doc/.wps through their
.docx conversion) put a resolved ParagraphLayout on each Block and a Layout (sections, page
number fields) on the RawDocument. Where they put nothing (text, web pages, PDF) only the date
check runs. An unknown value (None) never gives a finding. The figures come from
knowledge/layout.toml, overridable under [layout] in fazhi.toml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from fazhi.knowledge.layout import LayoutSpec, spec
from fazhi.model import Block, Document, Heading, Layout, PageNumber, PageSetup, ParagraphLayout, RunLayout
from fazhi.numerals import cn_to_int
from fazhi.rules.registry import Context, Hit, rule

MM_PT = 72 / 25.4
_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_GROUP = 3  # more findings of one kind than this become one finding with a count
_ALIGN_NAMES = {"left": "左对齐", "center": "居中", "right": "右对齐", "justify": "两端对齐", "distribute": "分散对齐",
                "outside": "外侧", "inside": "内侧"}  # fmt: skip
_ROLE_NAMES = {"title": "标题", "addressee": "主送机关", "body": "正文", "signoff": "发文机关署名", "date": "成文日期",
               "heading1": "一级标题", "heading2": "二级标题", "heading3": "三级标题", "heading4": "四级标题"}  # fmt: skip


@dataclass(slots=True)
class Placed:
    """A line of the report with its role and the Block it came from."""

    block: int
    role: str  # title | addressee | body | heading1..4 | signoff | date
    start: int
    end: int
    run_in: tuple[int, int, int] | None = None  # (start, end, level) of a heading that runs into the line


# GB/T 9704-2012 7.3.3 names the fonts by layer, and the layers by their numbering: 一、（一）1.（1）
_LAYER_OF_STYLE = {"cn": 1, "paren_cn": 2, "arabic": 3, "paren_arabic": 4}


def heading_layer(h: Heading) -> int:
    """The standard's layer of a heading: from its numbering form when it is one of the four the
    standard lists (a report that skips from 一、 to 1. still sets 1. in 仿宋), else its depth."""
    return _LAYER_OF_STYLE.get(h.style, h.level)


def layout_spec(ctx: Context) -> LayoutSpec:
    return spec(getattr(ctx.config, "layout", None))


def roles(doc: Document) -> list[Placed]:
    """Every line of the report from the title to the 成文日期 with its role (memoized)."""
    if "layout_roles" in doc.memo:
        return doc.memo["layout_roles"]
    out: list[Placed] = []
    raw = doc.raw
    meta = doc.metadata
    headings = {h.start: h for h in doc.headings if not h.inline and 1 <= heading_layer(h) <= 4}
    first = meta.title_span[0] if meta.title_span else (doc.paragraphs[0][0] if doc.paragraphs else 0)
    last = max((s[1] for s in (meta.signed_date_span, meta.signoff_span) if s), default=len(doc.text))
    title_end = meta.title_span[1] if meta.title_span else None
    for a, b in doc.paragraphs:
        if a < first or a >= last:
            continue
        if _subtitle(doc, a, b, title_end):
            continue  # a subtitle or date line under the title: the standard says nothing of it
        block, _ = doc.provenance.locate(a)
        if raw is not None and 0 <= block < len(raw.blocks):
            blk = raw.blocks[block]
            if blk.kind != "p" or "textbox" in blk.origin:
                continue
        role, run_in = "body", None
        if meta.title_span and a < meta.title_span[1] and b > meta.title_span[0]:
            role = "title"
        elif meta.addressee_span and a <= meta.addressee_span[0] < b:
            role = "addressee"
        elif meta.signed_date_span and a <= meta.signed_date_span[0] < b:
            role = "date"
        elif meta.signoff_span and a <= meta.signoff_span[0] < b:
            role = "signoff"
        elif a in headings:
            h = headings[a]
            if h.end >= b - 1:
                role = f"heading{heading_layer(h)}"
            else:
                run_in = (h.start, h.end, heading_layer(h))
        out.append(Placed(block, role, a, b, run_in))
    doc.memo["layout_roles"] = out
    return out


def _subtitle(doc: Document, a: int, b: int, title_end: int | None) -> bool:
    """A line between the title and the 主送机关 (or, without one, a bracketed or dashed line
    right under the title): a subtitle such as "（2025年1月20日）" or "——在……上的报告"."""
    meta = doc.metadata
    if title_end is None or a < title_end:
        return False
    if meta.addressee_span:
        return a < meta.addressee_span[0]
    following = next((s for s, _ in doc.paragraphs if s >= title_end), None)
    line = doc.text[a:b].strip()
    return a == following and len(line) <= 40 and line.startswith(("（", "(", "—", "－"))


def _block(doc: Document, index: int) -> Block | None:
    if doc.raw is None or not 0 <= index < len(doc.raw.blocks):
        return None
    return doc.raw.blocks[index]


def _to_text(doc: Document, block: int, offset: int, line: tuple[int, int]) -> int:
    """The normalized offset of a block offset, clamped to the line."""
    for start, off, length in _provenance_by_block(doc).get(block, ()):
        if off <= offset <= off + length:
            return max(line[0], min(line[1], start + offset - off))
    return line[0]


def _provenance_by_block(doc: Document) -> dict[int, list[tuple[int, int, int]]]:
    """Block index -> its provenance runs (normalized start, block offset, length), built once."""
    if "layout_provenance" not in doc.memo:
        out: dict[int, list[tuple[int, int, int]]] = {}
        prov = doc.provenance
        for start, b, off, length in zip(prov.starts, prov.blocks, prov.offsets, prov.lengths):
            out.setdefault(b, []).append((start, off, length))
        doc.memo["layout_provenance"] = out
    return doc.memo["layout_provenance"]


def _block_span(doc: Document, block: int, line: tuple[int, int], run: RunLayout) -> tuple[int, int]:
    return _to_text(doc, block, run.start, line), max(_to_text(doc, block, run.end, line), _to_text(doc, block, run.start, line) + 1)


def _cjk_runs(blk: Block, layout: ParagraphLayout, lo: int | None = None, hi: int | None = None) -> list[RunLayout]:
    """The runs holding Chinese text (optionally only those overlapping [lo, hi) of the block)."""
    out = []
    for r in layout.runs:
        if lo is not None and hi is not None and (r.end <= lo or r.start >= hi):
            continue
        if _CJK.search(blk.text[r.start:r.end]):
            out.append(r)
    return out


@dataclass(slots=True)
class _Problem:
    key: tuple[str, ...]
    start: int
    end: int
    message: str
    suggestion: str | None = None


def _grouped(problems: list[_Problem]) -> Iterator[Hit]:
    """Problems of one kind: each on its own when few, else one finding at the first with a count."""
    groups: dict[tuple[str, ...], list[_Problem]] = {}
    for p in problems:
        groups.setdefault(p.key, []).append(p)
    for items in groups.values():
        if len(items) <= _GROUP:
            for p in items:
                yield Hit(p.start, p.end, p.message, p.suggestion)
        else:
            p = items[0]
            yield Hit(p.start, p.end, f"{p.message}（同类共{len(items)}处，此为第一处）", p.suggestion)


def _font_problems(doc: Document, sp: LayoutSpec, placed: Placed, role: str, lo: int | None = None,
                   hi: int | None = None) -> list[_Problem]:
    """Font family and size of the Chinese runs of one line (or of [lo, hi) of its block)."""
    blk = _block(doc, placed.block)
    if blk is None or blk.layout is None:
        return []
    want = sp.role(role)
    line = (placed.start, placed.end)
    out: list[_Problem] = []
    runs = _cjk_runs(blk, blk.layout, lo, hi)
    for attr in ("font", "size"):
        current: tuple[str, int, int] | None = None  # merge neighbouring runs with the same problem
        spans: list[tuple[str, int, int]] = []
        for r in runs:
            bad = None
            if attr == "font" and r.font is not None and sp.family_of(r.font) != want["family"]:
                bad = r.font
            elif attr == "size" and r.size is not None and abs(r.size - want["size_pt"]) > 0.26:
                bad = sp.size_name(r.size)
            if bad is None:
                current = None
                continue
            a, b = _block_span(doc, placed.block, line, r)
            if current is not None and current[0] == bad:
                current = (bad, current[1], b)
                spans[-1] = current
            else:
                current = (bad, a, b)
                spans.append(current)
        for bad, a, b in spans:
            name = _ROLE_NAMES[role]
            if attr == "font":
                msg = f"{name}用了“{bad}”，应为{want['family']}（{sp.office_font(want['family'])}）"
            else:
                msg = f"{name}用了{bad}字，应为{sp.size_name(want['size_pt'])}"
            out.append(_Problem((role, attr, bad), a, b, msg))
    return out


_BASE = """【页面】纸张A4 上37 下35 左28 右26 行距29磅
【页码】宋体 四号 外侧 — 1 —
【方正小标宋简体 二号 居中】某县司法局关于2024年度法治政府建设情况的报告
【仿宋_GB2312 三号 左对齐】县委、县政府：
【仿宋_GB2312 三号】2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：
【黑体 三号】一、主要举措和成效
【楷体_GB2312 三号】（一）加强组织领导
【仿宋_GB2312 三号】全年办理行政复议案件12件。
【仿宋_GB2312 三号】特此报告。
【仿宋_GB2312 三号】某县司法局
【仿宋_GB2312 三号】2025年1月20日"""


@rule(
    code="L101",
    name="page-layout",
    severity="warning",
    category="format",
    summary="页面不符合 GB/T 9704：A4，天头37毫米、订口28毫米，版心156×225毫米，每面22行",
    why=(
        "GB/T 9704-2012 第5.1、5.2.1条：公文用 A4 纸，天头（上白边）37 mm±1 mm，订口（左白边）28 mm±1 mm，"
        "版心 156 mm×225 mm（即右白边26 mm、下白边35 mm）；第5.2.3条：一般每面排22行、每行28字。"
        "页边距不对，打印装订后版心偏斜，与其他公文不一致。只检查 Word 文件中能读到的页面设置。"
        "示例用“【页面】”行描述页面设置。"
    ),
    bad=_BASE.replace("上37", "上25.4").replace("左28", "左31.8"),
    good=_BASE,
)
def page_layout(doc: Document, ctx: Context) -> Iterator[Hit]:
    layout = doc.raw.layout if doc.raw is not None else None
    if layout is None:
        return
    sp = layout_spec(ctx)
    pg = sp.page
    tol = pg["tolerance_mm"]
    seen: set[str] = set()
    anchors = _block_starts(doc)
    for page in layout.pages:
        if page.width is not None and page.height is not None and page.width > page.height:
            continue  # a landscape section for a wide table
        problems = _page_problems(doc, page, sp, tol)
        message = "；".join(problems)
        if not problems or message in seen:
            continue
        seen.add(message)
        a = anchors.get(page.first_block, 0)
        b = next((e for s, e in doc.paragraphs if s >= a), len(doc.text))
        yield Hit(a, max(b, a + 1), "页面设置不符合 GB/T 9704：" + message)


def _page_problems(doc: Document, page: PageSetup, sp: LayoutSpec, tol: float) -> list[str]:
    pg = sp.page
    out: list[str] = []
    if page.width is not None and page.height is not None:
        if abs(page.width - pg["width_mm"]) > tol or abs(page.height - pg["height_mm"]) > tol:
            out.append(f"纸张为{page.width:.0f}×{page.height:.0f}毫米，应为A4（{pg['width_mm']}×{pg['height_mm']}毫米）")
            return out  # margins of another paper size say nothing more
    if page.top is not None and abs(page.top - pg["top_mm"]) > tol:
        out.append(f"上边距（天头）{page.top:.1f}毫米，应为{pg['top_mm']}毫米")
    if page.left is not None and abs(page.left - pg["inner_mm"]) > tol:
        out.append(f"左边距（订口）{page.left:.1f}毫米，应为{pg['inner_mm']}毫米")
    if page.width is not None and page.left is not None and page.right is not None:
        type_width = page.width - page.left - page.right
        if abs(type_width - pg["type_width_mm"]) > tol:
            right = pg["width_mm"] - pg["inner_mm"] - pg["type_width_mm"]
            out.append(f"版心宽{type_width:.1f}毫米，应为{pg['type_width_mm']}毫米（右边距{right}毫米）")
    type_height = None
    if page.height is not None and page.top is not None and page.bottom is not None:
        type_height = page.height - page.top - page.bottom
        if abs(type_height - pg["type_height_mm"]) > tol:
            bottom = pg["height_mm"] - pg["top_mm"] - pg["type_height_mm"]
            out.append(f"版心高{type_height:.1f}毫米，应为{pg['type_height_mm']}毫米（下边距{bottom}毫米）")
    grid = sp.data["grid"]
    pitch = _line_pitch(doc, page)
    if pitch and type_height:
        lines = type_height * MM_PT / pitch
        if abs(lines - grid["lines"]) > grid["tolerance"] + 0.01:
            right_pitch = pg["type_height_mm"] * MM_PT / grid["lines"]
            out.append(f"每面约{int(lines)}行，应为{grid['lines']}行（固定行距约{right_pitch:.1f}磅或文档网格）")
    if page.char_pitch and page.width is not None and page.left is not None and page.right is not None:
        chars = (page.width - page.left - page.right) * MM_PT / page.char_pitch
        if abs(chars - grid["chars"]) > grid["tolerance"] + 0.01:
            out.append(f"每行约{int(chars)}字，应为{grid['chars']}字")
    return out


def _line_pitch(doc: Document, page: PageSetup) -> float | None:
    """The body's line pitch in points: its exact line spacing, else the document grid's pitch
    when the body uses single spacing on a line grid; None when it cannot be known."""
    rules: dict[tuple[str | None, float | None], int] = {}
    for placed in roles(doc):
        blk = _block(doc, placed.block)
        if placed.role == "body" and blk is not None and blk.layout is not None:
            key = (blk.layout.line_rule, blk.layout.line)
            rules[key] = rules.get(key, 0) + 1
    if not rules:
        return None
    rule_, line = max(rules, key=lambda k: rules[k])
    if rule_ == "exact" and line:
        return line
    if page.grid in ("lines", "linesAndChars") and page.line_pitch and (rule_ in (None, "auto") and (line is None or abs(line - 1) < 0.01)):
        return page.line_pitch
    return None


def _block_starts(doc: Document) -> dict[int, int]:
    """Block index -> the first normalized offset that came from it."""
    out: dict[int, int] = {}
    prov = doc.provenance
    for start, block in zip(prov.starts, prov.blocks):
        out.setdefault(block, start)
    # a block without text of its own maps to the next block that has some
    if doc.raw is not None:
        nxt = len(doc.text)
        for i in range(len(doc.raw.blocks) - 1, -1, -1):
            if i in out:
                nxt = out[i]
            else:
                out[i] = nxt
    return out


@rule(
    code="L102",
    name="font-style",
    severity="warning",
    category="format",
    summary="标题、主送、正文、落款的字体字号不符合 GB/T 9704（标题2号小标宋，其余3号仿宋）",
    why=(
        "GB/T 9704-2012 第7.3.1条：标题一般用2号小标宋体字，居中排布；第5.2.2、7.3.3条：正文等各要素一般用3号仿宋体字。"
        "正文用了宋体、标题用了黑体或字号不对，是报送稿最常见的版式问题。按 Word 的规则解析样式继承和主题字体后判断，"
        "读不到字体的文字不报。示例中【】内为该行的字体、字号和对齐方式。"
    ),
    bad=_BASE.replace("【仿宋_GB2312 三号】2024年", "【宋体 三号】2024年").replace("【方正小标宋简体 二号 居中】", "【黑体 小二 居中】"),
    good=_BASE,
)
def font_style(doc: Document, ctx: Context) -> Iterator[Hit]:
    if doc.raw is None or doc.raw.layout is None:
        return
    sp = layout_spec(ctx)
    problems: list[_Problem] = []
    for placed in roles(doc):
        if placed.role.startswith("heading"):
            continue
        blk = _block(doc, placed.block)
        if placed.run_in and blk is not None:
            # the heading part is heading-style's; the rest of the line is body text
            _, h_end, _ = placed.run_in
            cut = doc.provenance.locate(max(h_end - 1, placed.start))[1] + 1
            problems += _font_problems(doc, sp, placed, "body", cut, len(blk.text))
        else:
            problems += _font_problems(doc, sp, placed, placed.role)
        if placed.role == "title" and blk is not None and blk.layout is not None and blk.layout.align not in (None, "center"):
            problems.append(_Problem(("title", "align"), placed.start, placed.end,
                                     f"标题{_ALIGN_NAMES.get(blk.layout.align, blk.layout.align)}，应居中排布"))
    yield from _grouped(problems)


@rule(
    code="L103",
    name="heading-style",
    severity="warning",
    category="format",
    summary="各级标题字体不符合 GB/T 9704（一级黑体、二级楷体、三四级仿宋）",
    why=(
        "GB/T 9704-2012 第7.3.3条：结构层次序数依次用“一、”“（一）”“1.”“（1）”，一般第一层用黑体字、第二层用楷体字、"
        "第三层和第四层用仿宋体字，字号同正文（3号）。层级按 fazhi 解析出的提纲确定；标题接排正文时只检查标题部分。"
    ),
    bad=_BASE.replace("【黑体 三号】一、", "【仿宋_GB2312 三号】一、").replace("【楷体_GB2312 三号】（一）", "【黑体 三号】（一）"),
    good=_BASE,
)
def heading_style(doc: Document, ctx: Context) -> Iterator[Hit]:
    if doc.raw is None or doc.raw.layout is None:
        return
    sp = layout_spec(ctx)
    problems: list[_Problem] = []
    for placed in roles(doc):
        if placed.role.startswith("heading"):
            problems += _font_problems(doc, sp, placed, placed.role)
        elif placed.run_in:
            h_start, h_end, level = placed.run_in
            lo = doc.provenance.locate(h_start)[1]
            hi = doc.provenance.locate(max(h_end - 1, h_start))[1] + 1
            problems += _font_problems(doc, sp, placed, f"heading{level}", lo, hi)
    yield from _grouped(problems)


_PAGE_TEXT = re.compile(r"^\s*(?P<l>\S?)\s*1\s*(?P<r>\S?)\s*$")


@rule(
    code="L104",
    name="page-number",
    severity="warning",
    category="format",
    summary="页码不符合 GB/T 9704：4号半角宋体阿拉伯数字，左右各一条一字线（— 1 —），单页居右、双页居左",
    why=(
        "GB/T 9704-2012 第7.5条：页码一般用4号半角宋体阿拉伯数字，编排在版心下边缘之下，数字左右各放一条一字线；"
        "单页码居右空一字，双页码居左空一字。没有页码的报告散页后无法还原顺序。"
        "示例用“【页码】”行描述页脚中的页码。"
    ),
    bad=_BASE.replace("【页码】宋体 四号 外侧 — 1 —", "【页码】Calibri 五号 居中 1"),
    good=_BASE,
)
def page_number(doc: Document, ctx: Context) -> Iterator[Hit]:
    layout = doc.raw.layout if doc.raw is not None else None
    if layout is None or not layout.pages:
        return
    sp = layout_spec(ctx)
    want = sp.data["page_number"]
    a, b = doc.metadata.title_span or (doc.paragraphs[0] if doc.paragraphs else (0, 0))
    footer = [n for n in layout.page_numbers if not n.in_header]
    numbers = [n for n in (footer or layout.page_numbers) if n.part != "first"]
    if not numbers:
        yield Hit(a, b, "文档没有页码", "在页脚插入页码：4号半角宋体阿拉伯数字，两侧加一字线，如“— 1 —”")
        return
    if not footer:
        yield Hit(a, b, "页码在页眉中，应编排在版心下边缘之下（页脚）")
    if layout.title_page and not any(n.part == "first" for n in layout.page_numbers):
        yield Hit(a, b, "设置了“首页不同”，首页没有页码；报告首页也应编排页码")
    seen: set[str] = set()
    for n in numbers:
        for message in _number_problems(n, sp, want):
            if message not in seen:
                seen.add(message)
                yield Hit(a, b, message)
    for message in _position_problems(layout, numbers, want["position"]):
        yield Hit(a, b, message)
    fmts = {p.number_format for p in layout.pages if p.number_format}
    odd = fmts - {"decimal", "decimalHalfWidth", "numberInDash"}
    if odd:
        yield Hit(a, b, f"页码数字格式为“{'、'.join(sorted(odd))}”，应为半角阿拉伯数字")


def _number_problems(n: PageNumber, sp: LayoutSpec, want: dict) -> list[str]:
    out: list[str] = []
    if n.font is not None and sp.family_of(n.font) != want["family"]:
        out.append(f"页码用了“{n.font}”，应为{want['family']}")
    if n.size is not None and abs(n.size - want["size_pt"]) > 0.26:
        out.append(f"页码用了{sp.size_name(n.size)}字，应为{sp.size_name(want['size_pt'])}")
    if not n.text:
        return out  # the reader could not tell what the footer shows
    m = _PAGE_TEXT.match(n.text.replace("\t", " "))
    dash = want["dash"]
    if m is None:
        out.append(f"页码应只有数字和两侧的一字线（{dash} 1 {dash}），而不是“{n.text.strip().replace('1', 'N')}”")
    elif m.group("l") != dash or m.group("r") != dash:
        if not m.group("l") and not m.group("r"):
            out.append(f"页码两侧缺少一字线，应为“{dash} 1 {dash}”")
        else:
            out.append(f"页码两侧应为一字线“{dash}”，而不是“{m.group('l')}”“{m.group('r')}”")
    return out


def _position_problems(layout: Layout, numbers: list[PageNumber], position: str) -> list[str]:
    aligns = {n.part: n.align for n in numbers}
    if position == "outside":
        if any(a == "outside" for a in aligns.values()) or layout.even_odd is None:
            return []
        if layout.even_odd:
            odd, even = aligns.get("default"), aligns.get("even")
            if odd in ("right", None) and even in ("left", None):
                return []
            return [f"页码应单页居右、双页居左（现为单页{_ALIGN_NAMES.get(odd or '', '未设')}、双页{_ALIGN_NAMES.get(even or '', '未设')}）"]
        shown = _ALIGN_NAMES.get(aligns.get("default") or next(iter(aligns.values())) or "", "未知")
        if shown == "未知":
            return []
        return [f"页码{shown}，应单页居右、双页居左（设置“奇偶页不同”，或页码位置选“外侧”）"]
    want = {"center": "center", "right": "right", "left": "left"}.get(position)
    wrong = [a for a in aligns.values() if a is not None and a != want]
    return [f"页码应{_ALIGN_NAMES.get(want or '', position)}"] if wrong else []


@rule(
    code="L106",
    name="addressee-layout",
    severity="warning",
    category="format",
    summary="主送机关应居左顶格排布",
    why="GB/T 9704-2012 第7.3.2条：主送机关编排于标题下空一行位置，居左顶格，回行时仍顶格。首行缩进或居中的主送机关不合格式。",
    bad=_BASE.replace("【仿宋_GB2312 三号 左对齐】县委", "【仿宋_GB2312 三号 首行缩进2字】县委"),
    good=_BASE,
)
def addressee_layout(doc: Document, ctx: Context) -> Iterator[Hit]:
    if doc.raw is None or doc.raw.layout is None:
        return
    for placed in roles(doc):
        blk = _block(doc, placed.block)
        if placed.role != "addressee" or blk is None or blk.layout is None:
            continue
        lay = blk.layout
        if lay.align in ("center", "right", "distribute"):
            yield Hit(placed.start, placed.end, f"主送机关{_ALIGN_NAMES[lay.align]}，应居左顶格")
        elif (lay.indent_first or 0) > 1 or (lay.indent_left or 0) > 1:
            yield Hit(placed.start, placed.end, "主送机关有缩进，应居左顶格（不缩进）")


@rule(
    code="L107",
    name="paragraph-indent",
    severity="info",
    category="format",
    summary="正文每个自然段应左空二字、回行顶格",
    why=(
        "GB/T 9704-2012 第7.3.3条：正文每个自然段左空二字，回行顶格。首行不缩进、缩进过多，或整段左缩进（回行不顶格）"
        "都不合格式。用全角空格缩进的段落按空格计；由 Word 自动编号排出的段落缩进在编号定义里，不检查。"
    ),
    bad=_BASE.replace("【仿宋_GB2312 三号】全年办理", "【仿宋_GB2312 三号 首行缩进0字】全年办理"),
    good=_BASE,
)
def paragraph_indent(doc: Document, ctx: Context) -> Iterator[Hit]:
    if doc.raw is None or doc.raw.layout is None:
        return
    problems: list[_Problem] = []
    for placed in roles(doc):
        blk = _block(doc, placed.block)
        if placed.role != "body" or blk is None or blk.layout is None or blk.number:
            continue
        lay = blk.layout
        if lay.indent_first is None or lay.indent_left is None or lay.align in ("center", "right"):
            continue
        size = next((r.size for r in lay.runs if r.size), None) or 16.0
        spaces = len(blk.text) - len(blk.text.lstrip(" \u3000"))
        lead = sum(1.0 if ch == "\u3000" else 0.5 for ch in blk.text[:spaces])
        first = (lay.indent_left + lay.indent_first) / size + lead
        if lay.indent_left / size > 0.5:
            problems.append(_Problem(("indent", "left"), placed.start, placed.end, "正文段落整段左缩进，回行应顶格"))
        elif not 1.5 <= first <= 2.5:
            problems.append(_Problem(("indent", "first"), placed.start, placed.end,
                                     f"正文段落首行缩进{first:.1f}字，应左空二字"))
    yield from _grouped(problems)


# --- 成文日期 ------------------------------------------------------------------------------------

_LOOSE_DATE = re.compile(
    r"(?P<y>20\d\d|\d\d|二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*(?:年|[.．/-])\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*(?:月|[.．/-])\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日?"
)


def _value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return cn_to_int(token.replace("○", "〇").replace("Ｏ", "〇").replace("零", "〇") if len(token) == 4 else token)


def _date_problem(text: str) -> tuple[str, str] | None:
    """(what is wrong, the date in the standard form) for a 成文日期, or None when it is right."""
    m = _LOOSE_DATE.fullmatch(text.strip())
    if m is None:
        return None
    y_tok, m_tok, d_tok = m.group("y"), m.group("m"), m.group("d")
    y = _value(y_tok)
    mo, d = _value(m_tok), _value(d_tok)
    if y is None or mo is None or d is None or not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if y < 100:
        y += 2000
    right = f"{y}年{mo}月{d}日"
    if text.strip() == right:
        return None
    if not (y_tok.isdigit() and m_tok.isdigit() and d_tok.isdigit()):
        why = "应使用阿拉伯数字"
    elif len(y_tok) < 4:
        why = "年份应标全称"
    elif "年" not in text or "月" not in text:
        why = "应写作“××××年×月×日”"
    elif (len(m_tok) == 2 and m_tok.startswith("0")) or (len(d_tok) == 2 and d_tok.startswith("0")):
        why = "月、日不编虚位（1不编为01）"
    else:
        why = "应写作“××××年×月×日”"
    return why, right


@rule(
    code="L105",
    name="date-format",
    severity="warning",
    category="format",
    summary="成文日期应用阿拉伯数字标全年月日，年份写全，月日不编虚位（如2025年1月5日）",
    why=(
        "GB/T 9704-2012 第7.3.5.4条：成文日期用阿拉伯数字将年、月、日标全，年份应标全称，月、日不编虚位（即1不编为01）。"
        "“二〇二五年一月五日”是旧标准（1999年版）的写法，“2025年01月05日”“25年1月5日”“2025.1.5”都不合格式。"
        "任何格式的报告都检查。"
    ),
    bad="某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n全年办理行政复议案件12件。\n某县司法局\n2025年01月05日",
    good="某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n全年办理行政复议案件12件。\n某县司法局\n2025年1月5日",
)
def date_format(doc: Document, ctx: Context) -> Iterator[Hit]:
    meta = doc.metadata
    if meta.signed_date_span:
        a, b = meta.signed_date_span
        found = _date_problem(doc.text[a:b])
        if found:
            yield Hit(a, b, f"成文日期“{doc.text[a:b]}”{found[0]}，应为“{found[1]}”", found[1])
        return
    if doc.format == "html":
        return  # a bare "2025-01-20" at the end of a web page is the site's date, not the author's
    for a, b in reversed(doc.paragraphs[-4:]):
        line = doc.text[a:b].strip()
        if len(line) > 16:
            continue
        found = _date_problem(line)
        if found:
            start = a + doc.text[a:b].index(line)
            yield Hit(start, start + len(line), f"成文日期“{line}”{found[0]}，应为“{found[1]}”", found[1])
            return
