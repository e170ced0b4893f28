"""Setting GB/T 9704 layout on a python-docx Document: page setup, fonts by role, page numbers.

Shared by `fazhi format` (re-laying out a report) and `fazhi template` (a new skeleton). Only
formatting is touched (w:rPr, w:pPr, w:sectPr, footers, the font table); text never is.
"""

from __future__ import annotations

import math
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.parts.hdrftr import FooterPart
from docx.shared import Mm, Pt
from lxml import etree

from fazhi.knowledge.layout import LayoutSpec

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
         "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}  # fmt: skip
LATIN = "Times New Roman"  # digits and Latin letters in the body, as offices set them
_THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
TITLE_LINE_PT = 35.0


def set_run_font(rpr_owner: Any, east_asia: str, size_pt: float, latin: str = LATIN, bold: bool | None = None,
                 spacing_pt: float | None = None) -> None:
    """Direct font and size on a w:r (or a style's w:rPr owner), overriding theme fonts;
    `spacing_pt` condenses (negative) or expands the character spacing."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in _THEME_ATTRS:
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    rpr.get_or_add_sz().val = Pt(size_pt)
    szcs = rpr.find(qn("w:szCs"))
    if szcs is None:
        szcs = OxmlElement("w:szCs")
        rpr.get_or_add_sz().addnext(szcs)
    szcs.set(qn("w:val"), str(int(round(size_pt * 2))))
    if spacing_pt is not None:
        el = rpr.find(qn("w:spacing"))
        if el is None:
            el = OxmlElement("w:spacing")
            rpr.get_or_add_sz().addprevious(el)
        el.set(qn("w:val"), str(int(round(spacing_pt * 20))))
    if bold is not None:
        for tag in ("w:b", "w:bCs"):
            el = rpr.find(qn(tag))
            if el is not None:
                rpr.remove(el)
        if bold:
            rpr._add_b()


def set_paragraph(paragraph: Any, align: str, first_chars: float = 0.0, right_chars: float = 0.0,
                  size_pt: float = 16.0, line_pt: float | None = None) -> None:
    """Alignment, indents (in characters of `size_pt`) and exact line spacing of a paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    old = ppr.find(qn("w:ind"))
    if old is not None:
        ppr.remove(old)
    paragraph.paragraph_format.alignment = ALIGN[align]
    fmt = paragraph.paragraph_format
    fmt.left_indent = Pt(0)
    fmt.right_indent = Pt(right_chars * size_pt)
    fmt.first_line_indent = Pt(first_chars * size_pt)
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), str(int(first_chars * 100)))
        ind.set(qn("w:leftChars"), "0")
        ind.set(qn("w:rightChars"), str(int(right_chars * 100)))
    if line_pt is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)


def runs_of(paragraph: Any) -> list[Any]:
    """Every w:r of a paragraph in order (inside hyperlinks, tracked changes, fields), not those
    of text boxes anchored in it."""
    # python-docx loads slowly; only by the commands that read or write Word files
    from docx.text.run import Run

    out = []
    for r in paragraph._p.iter(qn("w:r")):
        parent = r.getparent()
        inside_box = False
        while parent is not None and parent is not paragraph._p:
            if parent.tag == qn("w:txbxContent"):
                inside_box = True
                break
            parent = parent.getparent()
        if not inside_box:
            out.append(Run(r, paragraph))
    return out


def line_pitch_pt(sp: LayoutSpec) -> float:
    """The exact line spacing that puts `lines` lines in the type area (28.95 pt for 22 lines)."""
    return round(sp.page["type_height_mm"] * 72 / 25.4 / sp.data["grid"]["lines"] - 0.02, 2)


def char_spacing_pt(sp: LayoutSpec, size_pt: float) -> float | None:
    """The character spacing (a multiple of 1/20 pt) that fits `chars` characters of `size_pt`
    in the type area's width (−0.25 pt for 3号 in 156 mm), or None when they fit as they are.
    A character grid would do the same in Word, but LibreOffice snaps each 16 pt character to
    two cells of a 15.8 pt grid and sets 14 characters a line, so the spacing is set on the runs."""
    pitch = sp.page["type_width_mm"] * 72 / 25.4 / sp.data["grid"]["chars"]
    if size_pt <= pitch:
        return None
    return math.floor((pitch - size_pt) * 20) / 20


def set_page(document: Any, sp: LayoutSpec) -> None:
    """A4 portrait with the standard's margins and a 22-line document grid on every portrait section."""
    pg = sp.page
    right = pg["width_mm"] - pg["inner_mm"] - pg["type_width_mm"]
    bottom = pg["height_mm"] - pg["top_mm"] - pg["type_height_mm"]
    pitch = line_pitch_pt(sp)
    for section in document.sections:
        if section.page_width is not None and section.page_height is not None and section.page_width > section.page_height:
            continue  # a landscape section for a wide table keeps its own setup
        section.page_width, section.page_height = Mm(pg["width_mm"]), Mm(pg["height_mm"])
        section.top_margin, section.bottom_margin = Mm(pg["top_mm"]), Mm(bottom)
        section.left_margin, section.right_margin = Mm(pg["inner_mm"]), Mm(right)
        section.gutter = Mm(0)
        section.header_distance, section.footer_distance = Mm(15), Mm(28 - 7)
        sect = section._sectPr
        grid = sect.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sect.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(int(round(pitch * 20))))
        grid.attrib.pop(qn("w:charSpace"), None)
        number = sect.find(qn("w:pgNumType"))
        if number is not None and number.get(qn("w:fmt")) not in (None, "decimal"):
            number.set(qn("w:fmt"), "decimal")


def set_default_style(document: Any, sp: LayoutSpec) -> None:
    """The default paragraph style: body font and size (numbering labels and new text inherit it)."""
    body = sp.role("body")
    style = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    if style is None:
        style = document.styles["Normal"]
    set_run_font(style.element, sp.office_font(body["family"]), body["size_pt"])


def set_page_numbers(document: Any, sp: LayoutSpec) -> None:
    """"— N —" page numbers in 4号 宋体: odd pages right, even pages left, one character in."""
    want = sp.data["page_number"]
    font, size, dash = sp.office_font(want["family"]), want["size_pt"], want["dash"]
    position = want["position"]
    document.settings.odd_and_even_pages_header_footer = position == "outside"
    for section in document.sections:
        _drop_broken_footers(document, section)
    for i, section in enumerate(document.sections):
        section.different_first_page_header_footer = False
        footers = [(section.footer, "right" if position == "outside" else position)]
        if position == "outside":
            footers.append((section.even_page_footer, "left"))
        for footer, align in footers:
            if i > 0:
                footer.is_linked_to_previous = True
                continue
            footer.is_linked_to_previous = False
            for p in list(footer._element.iterchildren(qn("w:p"), qn("w:tbl"), qn("w:sdt"))):
                footer._element.remove(p)
            para = footer.add_paragraph()
            para.paragraph_format.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.CENTER)
            if align == "right":
                para.paragraph_format.right_indent = Pt(size)
            elif align == "left":
                para.paragraph_format.left_indent = Pt(size)
            _page_field(para, font, size, dash)


def _drop_broken_footers(document: Any, section: Any) -> None:
    """Remove footer references whose part is not a footer (a part without its content type, as
    some generators write): the page numbers are then written to a new footer."""
    rels = document.part.rels
    for ref in section._sectPr.findall(qn("w:footerReference")):
        rid = ref.get(qn("r:id"))
        rel = rels.get(rid) if rid else None
        if rel is None or rel.is_external or not isinstance(rel.target_part, FooterPart):
            section._sectPr.remove(ref)


def _page_field(para: Any, font: str, size: float, dash: str) -> None:
    def run(text: str | None = None, field: str | None = None, instr: str | None = None) -> None:
        r = para.add_run()
        set_run_font(r._r, font, size, latin=font)
        if text is not None:
            r.text = text
        if field is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), field)
            r._r.append(el)
        if instr is not None:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
            r._r.append(el)

    run(f"{dash} ")
    run(field="begin")
    run(instr=" PAGE ")
    run(field="separate")
    run("1")
    run(field="end")
    run(f" {dash}")


def declare_fallbacks(document: Any, sp: LayoutSpec) -> None:
    """Font table entries naming each office font's substitute (w:altName) for machines without it."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None or not hasattr(part, "_blob"):
        return
    try:
        root = etree.fromstring(part._blob)
    except etree.XMLSyntaxError:
        return
    have = {f.get(qn("w:name")) for f in root.iter(qn("w:font"))}
    for family, entry in sp.data["fonts"].items():
        name = entry["office"]
        if name in have or not entry.get("fallbacks"):
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), entry["fallbacks"][0])
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
        fam = etree.SubElement(font, qn("w:family"))
        fam.set(qn("w:val"), "roman" if "宋" in family else "modern")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
