"""The 通报 draft: the year's reporting, reviewing and publication as a Word file in the layout
of GB/T 9704-2012 (党政机关公文格式), for the office to edit in Word or WPS and send.

Layout: A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (版心 156 × 225 mm);
title in 2号 (22 pt) 方正小标宋简体, centred; 主送机关 flush left under one empty line; body
in 3号 (16 pt) 仿宋_GB2312, first lines indented two characters, fixed 28 pt line spacing
(22 lines a page); section numbers 一、 in 黑体, （一） in 楷体_GB2312, 1. in 仿宋; 发文机关署名
under one empty line and 成文日期 in Arabic digits (2026年3月5日) below it, right-aligned with
two characters to spare; page numbers "— 1 —" in 4号 宋体 at the foot, odd pages right and even
pages left. The red 版头 and the
document number are the office's own template and are left out.

Content, all from the overview's figures: the rates; the units that did not report, reported
late, did not publish or published late; the most common problems with an example each (the
reporting unit named, or anonymised as 某县级单位 with its own and its places' names masked); the
units commended (approved, on time, best scores).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.config import Config
from fazhi.web import overview as ov
from fazhi.web.db import Database
from fazhi.web.roster import LEVEL_LABELS, publish_deadline

TITLE_FONT, BODY_FONT, H1_FONT, H2_FONT, PAGE_FONT = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, PAGE_PT = 22, 16, 14
LINE_PT = 28
TEXT_WIDTH_PT = 156 / 25.4 * 72  # 版心 156 mm
MAX_NAMES = 100  # units named in one sentence before "等 N 个单位"
EXAMPLES = 5  # problems given with an example
NUMERALS = "一二三四五六七八九十"


@dataclass(slots=True)
class Options:
    office: str = "（发文机关）"
    addressee: str = "各有关单位"
    named: bool = False  # name the units in the examples (else anonymised)
    commend: int = 5  # units commended, at most
    date: dt.date | None = None  # 成文日期; today by default


def date_text(d: dt.date) -> str:
    """成文日期 in Arabic digits, month and day without leading zeros: 2026年3月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def names(units: list[str]) -> str:
    if len(units) <= MAX_NAMES:
        return "、".join(units)
    return "、".join(units[:MAX_NAMES]) + f"等{len(units)}个单位"


def _chars(text: str) -> float:
    """Width in body characters: Han and full-width one, ASCII digits and letters half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _fonts(run: Any, east: str, size: float, bold: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.name = LATIN_FONT
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east)


class _Writer:
    def __init__(self) -> None:
        self.doc = Document()
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
        sec.footer_distance = Mm(28)
        normal = self.doc.styles["Normal"]
        _fonts(normal, BODY_FONT, BODY_PT)
        pf = normal.paragraph_format
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PT)
        pf.space_before = pf.space_after = Pt(0)
        self._page_numbers(sec)

    def _page_numbers(self, sec: Any) -> None:
        """"— 1 —" in 4号 宋体: odd pages on the right, even pages on the left, one character in
        from the edge of the text (GB/T 9704 7.5)."""
        self.doc.settings.odd_and_even_pages_header_footer = True
        for footer, align, indent in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                      (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
            p = footer.paragraphs[0]
            p.alignment = align
            setattr(p.paragraph_format, indent, Pt(PAGE_PT))
            _fonts(p.add_run("— "), PAGE_FONT, PAGE_PT)
            run = p.add_run()
            _fonts(run, PAGE_FONT, PAGE_PT)
            for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = text
                run._element.append(el)
            _fonts(p.add_run(" —"), PAGE_FONT, PAGE_PT)

    def para(self, text: str = "", *, font: str = BODY_FONT, size: float = BODY_PT, indent: bool = True,
             align: Any = None, lead: str = "", lead_font: str | None = None, right_chars: int = 0) -> Any:
        p = self.doc.add_paragraph()
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        if align is not None:
            p.alignment = align
        if right_chars:
            p.paragraph_format.right_indent = Pt(BODY_PT * right_chars)
        if lead:
            _fonts(p.add_run(lead), lead_font or font, size)
        if text:
            _fonts(p.add_run(text), font, size)
        return p

    def title(self, *lines: str) -> None:
        """The title, centred, broken where the caller breaks it (GB/T 9704: at whole words)."""
        p = self.para(lines[0], font=TITLE_FONT, size=TITLE_PT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        for line in lines[1:]:
            p.runs[-1].add_break()
            _fonts(p.add_run(line), TITLE_FONT, TITLE_PT)
        p.paragraph_format.line_spacing = Pt(35)
        self.para(indent=False)

    def h1(self, n: int, text: str) -> None:
        self.para(f"{NUMERALS[n - 1]}、{text}", font=H1_FONT)

    def h2(self, n: int, text: str, body: str = "") -> None:
        """（一）heading in 楷体, its paragraph's text following in 仿宋."""
        self.para(body, lead=f"（{NUMERALS[n - 1]}）{text}", lead_font=H2_FONT)

    def signature(self, office: str, date: str) -> None:
        """发文机关署名 right-aligned two characters from the margin, 成文日期 on the next line
        starting two characters right of the signature's first character; when the date is the
        longer, the date keeps the two characters and the signature centres over it (GB/T 9704
        7.3.5.2, documents without a seal)."""
        o, d = _chars(office), _chars(date)
        if o >= d:
            self.para(office, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)
            p = self.para(date, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
            p.paragraph_format.left_indent = Pt(TEXT_WIDTH_PT - BODY_PT * o)
        else:
            p = self.para(office, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            p.paragraph_format.right_indent = Pt(BODY_PT * (2 + (d - o) / 2))
            self.para(date, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=2)

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def _change(now: float, before: float | None) -> str:
    if before is None:
        return ""
    d = round((now - before) * 100, 1)
    if d == 0:
        return "，与上年度持平"
    return f"，比上年度{'提高' if d > 0 else '下降'}{abs(d):.1f}个百分点"


def _mask(text: str, unit: str, places: tuple[str, ...]) -> str:
    """The excerpt with the unit's own name and its places' names (full and short) masked."""
    words = {unit, *places}
    for p in places:
        short = re.sub(r"(?:自治区|自治州|自治县|省|市|县|区|镇|乡|街道)$", "", p)
        if len(short) >= 2:
            words.add(short)
    for w in sorted((w for w in words if w), key=len, reverse=True):
        text = text.replace(w, "某")
    return re.sub(r"某+", "某", text)


SENTENCE_END = "。！？；\n"
CONTEXT = 80


def sentence_around(text: str, start: int, end: int, limit: int = 90) -> str:
    """The sentence of `text` holding [start, end) (at most `limit` characters around it), with
    inner double quotes turned into single ones so it can stand inside “…”."""
    a = max((text.rfind(ch, 0, start) for ch in SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(ch, end) for ch in SENTENCE_END) if i >= 0]
    b = min(ends) + 1 if ends else len(text)
    if b - a > limit:
        a = max(a, start - (limit - (end - start)) // 2)
        b = min(b, a + limit)
    out = " ".join(text[a:b].split()).rstrip("；;，,。！？!?")
    return out.replace("“", "‘").replace("”", "’")


def examples(db: Database, year: int, codes: list[str]) -> dict[str, dict[str, Any]]:
    """One example per rule from the year's reports: the sentence of its first finding (by unit)."""
    p = ov.prefix(year)
    store = ov.corpus(db)
    out: dict[str, dict[str, Any]] = {}
    used: set[str] = set()  # one sentence is the example of one problem only
    for code in codes:
        # the first finding by path, then the text around it (only for that one row)
        for rid, path, start, end in store.query(
            'SELECT r.id, r.path, f.start, f."end" FROM findings f JOIN reports r ON r.id = f.report_id'
            ' WHERE f.code = ? AND r.path >= ? AND r.path < ? AND f.start IS NOT NULL AND f."end" > f.start'
            " ORDER BY r.path, f.seq LIMIT 20",
            (code, p, p + "\U0010ffff"),
        ):
            shift = max(0, start - CONTEXT)
            level, window, *places = store.query(
                "SELECT issuer_level, substr(text, ?, ?), province, city, county, township FROM reports WHERE id = ?",
                (shift + 1, end - start + 2 * CONTEXT, rid),
            )[0]
            text = sentence_around(window, start - shift, end - shift)
            if len(text) >= 6 and text not in used:
                used.add(text)
                out[code] = {"unit": path[len(p):], "level": level, "excerpt": text, "places": tuple(x for x in places if x)}
                break
    return out


def commended(data: dict[str, Any], n: int) -> list[dict[str, Any]]:
    """Up to n units with the best scores among those approved and on time (published on time too,
    once publication is due and recorded)."""
    ok = [r for r in ov.ranking(data["units"], data["scores"]) if r["state"] == "approved" and r["on_time"] == 1]
    return ok[: max(0, n)]


def build(db: Database, config: Config, year: int, options: Options | None = None) -> bytes:
    o = options or Options()
    data = ov.overview(db, config, year)
    rates, c = data["rates"], data["rates"]["counts"]
    prev = data["previous"]
    stats = data["stats"]
    today = o.date or dt.date.today()
    w = _Writer()
    w.title(f"关于{year}年度法治政府建设年度报告", "报送情况的通报")
    w.para(f"{o.addressee.strip() or '各有关单位'}：", indent=False)
    w.para(
        f"根据《法治政府建设与责任落实督察工作规定》，各地区各部门应当每年报告上一年度法治政府建设情况，并向社会公开。"
        f"{o.office}组织开展了{year}年度法治政府建设年度报告的报送、审核和公开工作。现将有关情况通报如下。"
    )

    # 一、总体情况
    w.h1(1, "总体情况")
    pr = prev["rates"] if prev else {}
    text = (
        f"列入{year}年度报送名单的单位共{c['total']}个。截至{date_text(today)}，已报送{c['submitted']}个，报送率{pct(rates['submitted'])}"
        f"{_change(rates['submitted'], pr.get('submitted'))}；按时报送{c['on_time']}个，按时报送率{pct(rates['on_time'])}"
        f"{_change(rates['on_time'], pr.get('on_time'))}；审核通过{c['approved']}个，通过率{pct(rates['approved'])}；"
        f"已向社会公开{c['published']}个，公开率{pct(rates['published'])}{_change(rates['published'], pr.get('published'))}，"
        f"其中在{date_text(publish_deadline(year))}前公开{c['published_on_time']}个，按时公开率{pct(rates['published_on_time'])}。"
    )
    sc = stats["scores"]
    if sc:
        text += f"已报送的{sc['count']}份报告平均得分{sc['mean']:.1f}分，中位数{sc['median']:.1f}分"
        if prev and prev["scores"]:
            text += f"（上年度平均{prev['scores']['mean']:.1f}分）"
        text += "。"
    w.para(text)

    # 二、存在的问题
    w.h1(2, "存在的问题")
    by_state: dict[str, list[str]] = {k: [] for k in ov.OVERDUE_LABELS}
    for e in data["overdue"]:
        by_state[e["state"]].append(e["unit"])
    parts = []
    if by_state["missing"]:
        parts.append(f"截至目前，{len(by_state['missing'])}个单位未报送年度报告：{names(by_state['missing'])}。")
    if by_state["late"]:
        parts.append(f"{len(by_state['late'])}个单位逾期报送：{names(by_state['late'])}。")
    w.h2(1, "报送不及时、不到位。", "".join(parts) or "各单位均已按时报送年度报告。")
    parts = []
    if by_state["unpublished"]:
        parts.append(f"{len(by_state['unpublished'])}个单位已报送但尚未向社会公开报告：{names(by_state['unpublished'])}。")
    if by_state["published_late"]:
        parts.append(f"{len(by_state['published_late'])}个单位未在{date_text(publish_deadline(year))}前公开：{names(by_state['published_late'])}。")
    w.h2(2, "公开不及时、不到位。", "".join(parts) or "已报送的单位均已按时向社会公开年度报告。")
    missing_parts = [p for p in data["parts"] if p["required"] and p["missing"]]
    lead = "部分报告要素不全、内容不够具体。"
    if missing_parts:
        body = "；".join(f"{p['missing']}份报告缺少“{p['label']}”部分" for p in missing_parts) + "。审核中发现的主要问题有："
    else:
        body = "审核中发现的主要问题有："
    w.h2(3, lead, body if data["top_problems"] else "审核中未发现共性问题。")
    top = data["top_problems"][:EXAMPLES]
    found = examples(db, year, [t["code"] for t in top])
    for i, t in enumerate(top, 1):
        line = f"{t['reports']}份报告（占{pct(t['share'])}）存在此类问题"
        ex = found.get(t["code"])
        if ex:
            if o.named:
                who, excerpt = ex["unit"], ex["excerpt"]
            else:
                who = f"某{LEVEL_LABELS.get(ex['level'] or '', '')}单位"
                excerpt = _mask(ex["excerpt"], ex["unit"], ex["places"])
            line += f"，如{who}报告中“{excerpt}”"
        w.para(line + "。", lead=f"{i}.{t['title']}。")

    # 三、通报表扬
    good = commended(data, o.commend)
    w.h1(3, "通报表扬")
    if good:
        who = names([g["unit"] for g in good]) + (f"等{len(good)}个单位" if len(good) > 1 else "")
        w.para(f"{who}按时报送，报告要素齐全、内容具体、数据翔实，审核得分居前，予以通报表扬。")
    else:
        w.para("本年度审核尚未结束，拟表扬单位待审核完成后确定。")

    # 四、工作要求
    w.h1(4, "工作要求")
    w.h2(1, "抓紧补报整改。", "未报送的单位要抓紧报送；逾期报送、未按时公开的单位要认真查找原因，在今后的工作中切实改进；已报送未公开的单位要在完成保密审查后及时向社会公开。")
    w.h2(2, "提高报告质量。", "各单位要对照本通报指出的问题，举一反三，确保年度报告要素齐全、内容具体、数据准确、问题剖析深入。")
    w.h2(3, "压实工作责任。", "各单位主要负责人要切实履行推进法治建设第一责任人职责，把年度报告工作作为重要任务抓紧抓实。")

    w.para(indent=False)
    w.signature(o.office, date_text(today))
    return w.bytes()


def filename(year: int) -> str:
    return f"关于{year}年度法治政府建设年度报告报送情况的通报（草稿）.docx"
