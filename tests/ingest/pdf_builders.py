"""Build report-like PDFs for tests with reportlab and the built-in CID font STSong-Light.

The layout imitates a typical 公文-style report: a centered title, body paragraphs whose first
line is indented by two characters and which wrap by width (so lines break mid-sentence and
paragraphs continue across pages), a flush-left addressee ("县委、县政府："), a right-aligned
sign-off, a running header and a page number ("- n -") in the footer of every page.

`make_pdf(paragraphs, title=...)` renders a list of paragraph strings faithfully: reading the PDF
back and rejoining wrapped lines yields exactly these paragraphs (and the title lines first).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

FONT = "STSong-Light"
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points

_CLOSING = set("，。、；：！？）》」』”’%．,.;:!?)]")  # never at the start of a line (避头)
_OPENING = set("（《「『“‘([")  # never at the end of a line (避尾)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_DATE = re.compile(r"^(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、])")


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True, slots=True)
class Layout:
    """Page geometry and type sizes, in points."""

    margin_left: float = 80.0
    margin_right: float = 80.0
    margin_top: float = 90.0
    margin_bottom: float = 90.0
    size: float = 14.0
    leading: float = 26.0
    title_size: float = 20.0
    indent_chars: float = 2.0

    @property
    def width(self) -> float:
        return PAGE_W - self.margin_left - self.margin_right


def _width(text: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.stringWidth(text, FONT, size)


def _can_break(text: str, i: int) -> bool:
    """May a line end before text[i] (no space involved)? Not inside an ASCII word or number,
    and not against 避头尾 punctuation."""
    prev, nxt = text[i - 1], text[i]
    if nxt in _CLOSING or prev in _OPENING or " " in (prev, nxt):
        return False
    return not (_ASCII_WORD.match(prev) and _ASCII_WORD.match(nxt))


def _split_line(text: str, width: float, size: float) -> tuple[str, str]:
    """The longest head of `text` that fits in `width` and ends at an allowed break, and the rest.

    As layout engines do, a line may break at a space. A space between two ASCII words is dropped
    at the break (the reader puts one back); any other space stays drawn at the end of the line,
    where the reader finds it.
    """
    fit = len(text)
    while fit > 1 and _width(text[:fit], size) > width:
        fit -= 1
    if fit >= len(text):
        return text, ""
    for i in range(fit, 0, -1):
        if text[i] == " ":
            between_words = bool(_ASCII_WORD.match(text[i - 1]) and _ASCII_WORD.match(text[i + 1 : i + 2] or "-"))
            return (text[:i], text[i + 1 :]) if between_words else (text[: i + 1], text[i + 1 :])
        if _can_break(text, i):
            return text[:i], text[i:]
    return text[:fit], text[fit:]


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Lines of `text` wrapped to `width`; the first line is `first_indent` points narrower."""
    lines: list[str] = []
    rest = text
    avail = width - first_indent
    while rest:
        head, rest = _split_line(rest, avail, size)
        lines.append(head)
        avail = width
    return lines or [""]


def _role(index: int, paragraphs: list[str]) -> str:
    """How a paragraph is set: "left" (addressee), "right" (sign-off) or "body".

    The sign-off is a closing date ("2025年1月20日") and the issuer just before it (a short
    name, not a sentence or a heading); a short last paragraph that is not a date, such as a
    closing heading, is body text."""
    text = paragraphs[index]
    if index == 0 and len(text) <= 20 and text.endswith("："):
        return "left"
    last = len(paragraphs) - 1
    if _DATE.match(paragraphs[last]):
        if index == last:
            return "right"
        if index == last - 1 and index > 0 and _is_issuer(text):
            return "right"
    return "body"


def _is_issuer(text: str) -> bool:
    return len(text) <= 24 and not re.search(r"[。；：，！？]", text) and not _HEADING.match(text)


class _Writer:
    """Draws lines top to bottom, starting new pages with header and footer as needed."""

    def __init__(self, canvas, layout: Layout, header: str | None, footer: str | None):
        self.c = canvas
        self.lay = layout
        self.header = header
        self.footer = footer
        self.page = 0
        self.y = 0.0
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self._footer()
            self.c.showPage()
        self.page += 1
        self.y = PAGE_H - self.lay.margin_top
        if self.header:
            self.c.setFont(FONT, 10)
            self.c.drawCentredString(PAGE_W / 2, PAGE_H - 50, self.header)

    def _footer(self) -> None:
        if self.footer:
            self.c.setFont(FONT, 12)
            self.c.drawCentredString(PAGE_W / 2, 45, self.footer.format(page=self.page))

    def line(self, text: str, size: float, x: float | None = None, align: str = "left") -> None:
        if self.y - self.lay.leading < self.lay.margin_bottom:
            self._new_page()
        self.y -= self.lay.leading
        self.c.setFont(FONT, size)
        left = self.lay.margin_left
        if align == "center":
            self.c.drawCentredString(PAGE_W / 2, self.y, text)
        elif align == "right":
            self.c.drawRightString(left + self.lay.width, self.y, text)
        else:
            self.c.drawString(left if x is None else x, self.y, text)

    def finish(self) -> None:
        self._footer()
        self.c.showPage()

    def image_page(self) -> None:
        """A page holding only a picture, like a scanned attachment."""
        _draw_image_page(self.c)
        self.c.showPage()


def make_pdf(
    paragraphs: list[str],
    title: str | None = "某县2024年度法治政府建设情况报告",
    *,
    header: str | None = "某县人民政府文件",
    footer: str | None = "- {page} -",
    encrypt: object = None,
    layout: Layout = Layout(),
    image_page: bool = False,
) -> bytes:
    """A PDF with `title` (lines split on "\\n", centered) and `paragraphs`.

    A first paragraph like "县委、县政府：" is set flush left, a closing date and the issuer's
    name before it are right-aligned (the sign-off), every other paragraph is indented
    by `layout.indent_chars` characters and wrapped by width. `header` is a running header on
    every page; `footer` a format string with {page}, e.g. "第{page}页". `encrypt` is a user
    password or a reportlab StandardEncryption. `image_page` appends a page without text.
    """
    from reportlab.pdfgen import canvas as rl_canvas

    _register_font()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), encrypt=encrypt, invariant=1)
    w = _Writer(c, layout, header, footer)
    if title:
        for line in title.split("\n"):
            w.line(line, layout.title_size, align="center")
        w.y -= layout.leading / 2
    for i, para in enumerate(paragraphs):
        role = _role(i, paragraphs)
        if role == "right":
            w.line(para, layout.size, align="right")
            continue
        indent = layout.indent_chars * layout.size if role == "body" else 0.0
        for j, text in enumerate(wrap(para, layout.width, layout.size, indent)):
            x = layout.margin_left + (indent if j == 0 else 0.0)
            w.line(text, layout.size, x=x)
    w.finish()
    if image_page:
        w.image_page()
    c.save()
    return buf.getvalue()


def make_image_pdf(pages: int = 2, *, image: bool = True, watermark: str | None = None) -> bytes:
    """A scan-like PDF: pages holding a picture (or, with image=False, only vector shapes) and
    at most a short `watermark` text such as scanner apps stamp on every page."""
    from reportlab.pdfgen import canvas as rl_canvas

    _register_font()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    for _ in range(pages):
        if image:
            _draw_image_page(c)
        else:
            for k in range(30):
                c.line(60, 100 + 20 * k, PAGE_W - 60, 110 + 20 * k)
        if watermark:
            c.setFont(FONT, 9)
            c.drawString(PAGE_W - 150, 30, watermark)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_image_page(c) -> None:
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(io.BytesIO(_tiny_png())), 50, 50, width=PAGE_W - 100, height=PAGE_H - 100)
    c.rect(60, 60, 200, 40, stroke=1, fill=0)


def _tiny_png() -> bytes:
    """A 4x4 grey PNG, built by hand so that no image file is needed."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\x80" * 4 for _ in range(4))
    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def sample_report(n_sections: int = 3) -> list[str]:
    """A fictional report's paragraphs: addressee, opening, numbered sections with sub-headings and
    long body paragraphs (some with ASCII words and numbers), closing, sign-off."""
    numerals = "一二三四五六七八九十"
    topics = ["制度建设", "执法监督", "普法宣传", "矛盾化解", "政务公开", "数字政府", "队伍建设", "考核评价"]
    actions = ["修订完善", "梳理规范", "整合优化", "试点推行", "全面铺开", "跟踪评估", "督促落实", "总结提炼"]
    out = [
        "县委、县政府：",
        "2024年，某县司法局在县委、县政府的领导下，围绕法治政府建设目标任务，统筹推进依法行政各项工作，"
        "取得了阶段性成效。现将有关情况报告如下：",
    ]
    for s in range(n_sections):
        topic = topics[s % len(topics)]
        out.append(f"{numerals[s]}、关于{topic}的主要举措和成效")
        for k in range(2):
            act = actions[(s + k) % len(actions)]
            out.append(f"（{numerals[k]}）{act}{topic}相关机制")
            out.append(
                f"围绕{topic}这项重点任务，本局{act}工作方案并明确责任分工，组织开展第{s * 2 + k + 1}期专题培训，"
                f"参训人员覆盖{topic}岗位的全部{30 + 7 * s + k}名工作人员。各业务科室对照清单逐项推进，"
                f"按月报送进展情况，对排查发现的{s + k + 2}类问题建立台账、限期整改，确保各项措施落到实处。"
                f"全年共办理{topic}相关事项{120 + s * 13 + k}件，办结率达到{98 + k}%，"
                f"并通过 ISO 9001 质量管理体系 annual review 复核，群众满意度较上年提升{k + 1}.{s}个百分点。"
            )
    out.append("下一步，我们将坚持问题导向，持续补齐短板，推动法治政府建设再上新台阶。")
    out.append("某县司法局")
    out.append("2025年1月20日")
    return out
