"""Word reports with planted layout defects, each alone, and their clean version.

Built with python-docx directly (not with fazhi.format, so that a clean file is not clean merely
because fazhi wrote it); `libreoffice_copy` re-saves one through LibreOffice. The report is
fictional. Used by tests/test_layout_docx.py and benchmarks/format_bench.py.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

TITLE = "青山县司法局关于2024年度法治政府建设情况的报告"
ADDRESSEE = "县委、县政府："
BODY = [
    ("body", "2024年，我局在县委、县政府的坚强领导下，认真落实法治政府建设各项任务，现将有关情况报告如下："),
    ("h1", "一、2024年度推进法治政府建设的主要举措和成效"),
    ("h2", "（一）加强组织领导"),
    ("body", "局党组专题研究法治政府建设工作4次，制定年度工作要点，明确责任分工。"),
    ("h2", "（二）规范行政执法"),
    ("body", "全年开展执法案卷评查2次，评查案卷86件，发现并整改问题13个。"),
    ("h1", "二、存在的不足和原因"),
    ("body", "基层执法人员法律素养有待提高，主要原因是培训形式单一、考核机制不够完善。"),
    ("h1", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("body", "主要负责同志带头学法用法，主持召开专题会议研究法治工作3次。"),
    ("h1", "四、2025年度推进法治政府建设的主要安排"),
    ("h3", "1.深化执法规范化建设。"),
    ("body", "完善执法全过程记录，推进执法案卷网上评查。"),
    ("body", "特此报告。"),
]
SIGNOFF = "青山县司法局"
DATE = "2025年1月20日"

FANGSONG, HEITI, KAITI, XBS, SONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"


@dataclass
class Spec:
    """Everything a planted defect may change; the defaults are the standard's."""

    paper: tuple[float, float] = (210, 297)
    top: float = 37
    bottom: float = 35
    left: float = 28
    right: float = 26
    line_pt: float = 28.95
    title_font: str = XBS
    title_size: float = 22
    title_align: str = "center"
    body_font: str | None = FANGSONG  # None: left to the style / theme (python-docx's default)
    body_size: float = 16
    h1_font: str = HEITI
    h2_font: str = KAITI
    h1_style_font: str | None = None  # level-1 headings set by a paragraph style with this font
    page_number: bool = True
    page_font: str = SONG
    page_text: tuple[str, str] = ("— ", " —")
    page_outside: bool = True
    addressee_indent: bool = False
    body_indent: bool = True
    date: str = DATE
    extra: dict = field(default_factory=dict)


# defect name -> (what changes, the rule that must find it); a body font also sets the 3rd-level
# heading ("1.……", in the body's font), so those defects are found by heading-style as well.
DEFECTS: dict[str, tuple[dict, str]] = {
    "top-margin": ({"top": 25.4}, "page-layout"),
    "left-margin": ({"left": 31.8}, "page-layout"),
    "letter-paper": ({"paper": (215.9, 279.4)}, "page-layout"),
    "line-spacing": ({"line_pt": 20}, "page-layout"),
    "title-font": ({"title_font": SONG}, "font-style"),
    "title-size": ({"title_size": 18}, "font-style"),
    "title-align": ({"title_align": "left"}, "font-style"),
    "body-font": ({"body_font": SONG}, "font-style,heading-style"),
    "body-size": ({"body_size": 12}, "font-style"),
    "body-theme-font": ({"body_font": None}, "font-style,heading-style"),
    "h1-font": ({"h1_font": FANGSONG}, "heading-style"),
    "h2-font": ({"h2_font": HEITI}, "heading-style"),
    "h1-style-font": ({"h1_style_font": SONG}, "heading-style"),
    "no-page-number": ({"page_number": False}, "page-number"),
    "page-number-font": ({"page_font": "Times New Roman"}, "page-number"),
    "page-number-dashes": ({"page_text": ("", "")}, "page-number"),
    "page-number-centred": ({"page_outside": False}, "page-number"),
    "date-chinese": ({"date": "二〇二五年一月二十日"}, "date-format"),
    "date-zeros": ({"date": "2025年01月20日"}, "date-format"),
    "addressee-indent": ({"addressee_indent": True}, "addressee-layout"),
    "body-no-indent": ({"body_indent": False}, "paragraph-indent"),
}


def _font(run, name: str | None, size: float) -> None:
    run.font.size = Pt(size)
    if name is None:
        return
    run.font.name = name
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _para(document, text: str, font: str | None, size: float, align: str = "justify", indent: bool = True,
          line_pt: float = 28.95, style: str | None = None):
    p = document.add_paragraph(style=style)
    fmt = p.paragraph_format
    fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT,
                     "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]  # fmt: skip
    fmt.first_line_indent = Pt(2 * size) if indent else None  # "首行缩进2字符"
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt)
    fmt.space_after = Pt(0)
    _font(p.add_run(text), font, size)
    return p


def _page_number(footer, font: str, left: str, right: str, align) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.paragraph_format.alignment = align
    pieces = [("text", left), ("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None),
              ("text", right)]  # fmt: skip
    for kind, value in pieces:
        if kind == "text" and not value:
            continue
        r = p.add_run()
        _font(r, font, 14)
        if kind == "text":
            r.text = value
        elif kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
            r._r.append(el)
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._r.append(el)


def build(path: Path, spec: Spec | None = None) -> Path:
    s = spec or Spec()
    document = docx.Document()
    sec = document.sections[0]
    sec.page_width, sec.page_height = Mm(s.paper[0]), Mm(s.paper[1])
    sec.top_margin, sec.bottom_margin = Mm(s.top), Mm(s.bottom)
    sec.left_margin, sec.right_margin = Mm(s.left), Mm(s.right)
    if s.h1_style_font:
        from docx.enum.style import WD_STYLE_TYPE

        style = document.styles.add_style("一级标题", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), s.h1_style_font)
    _para(document, TITLE, s.title_font, s.title_size, s.title_align, indent=False, line_pt=35)
    p = _para(document, ADDRESSEE, s.body_font, s.body_size, "left", indent=s.addressee_indent, line_pt=s.line_pt)
    for kind, text in BODY:
        if kind == "h1" and s.h1_style_font:
            p = _para(document, text, None, 16, line_pt=s.line_pt, style="一级标题")
            continue
        font = {"h1": s.h1_font, "h2": s.h2_font}.get(kind, s.body_font)
        _para(document, text, font, 16 if kind.startswith("h") else s.body_size, line_pt=s.line_pt,
              indent=s.body_indent or kind != "body")
    _para(document, SIGNOFF, s.body_font, s.body_size, "right", indent=False, line_pt=s.line_pt).paragraph_format.right_indent = Pt(64)
    _para(document, s.date, s.body_font, s.body_size, "right", indent=False, line_pt=s.line_pt).paragraph_format.right_indent = Pt(64)
    if s.page_number:
        left, right = s.page_text
        if s.page_outside:
            document.settings.odd_and_even_pages_header_footer = True
            _page_number(sec.footer, s.page_font, left, right, WD_ALIGN_PARAGRAPH.RIGHT)
            _page_number(sec.even_page_footer, s.page_font, left, right, WD_ALIGN_PARAGRAPH.LEFT)
        else:
            _page_number(sec.footer, s.page_font, left, right, WD_ALIGN_PARAGRAPH.CENTER)
    document.save(str(path))
    return path


def build_set(folder: Path) -> dict[str, tuple[Path, str | None]]:
    """clean.docx and one file per defect: name -> (path, the rules that must find it, comma-separated)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[Path, str | None]] = {"clean": (build(folder / "clean.docx"), None)}
    for name, (changes, rule_name) in DEFECTS.items():
        out[name] = (build(folder / f"{name}.docx", Spec(**changes)), rule_name)
    return out


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_copies(paths: list[Path], folder: Path, target: str = "docx:MS Word 2007 XML") -> dict[Path, Path]:
    """Each file re-saved by LibreOffice (by default as Word 2007-365 .docx; "odt" for
    OpenDocument) into `folder`; {} without soffice."""
    ext = target.split(":")[0]
    exe = soffice()
    if exe is None or not paths:
        return {}
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
             "--outdir", str(folder), *map(str, paths)],
            check=False, capture_output=True, timeout=600,
        )  # fmt: skip
    return {p: folder / f"{p.stem}.{ext}" for p in paths if (folder / f"{p.stem}.{ext}").is_file()}
