"""Layout checks on real .docx files: planted defects (python-docx and LibreOffice), each found
by its rule and nothing else; clean files give no format finding; odd files never crash."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Pt

from fazhi.api import check
from fazhi.config import Config, from_mapping
from fazhi.format.relayout import relayout

from . import layout_builders as lb


def format_rules(path: Path, config: Config | None = None) -> list[str]:
    review = check(path, config)
    assert review.error is None, review.error
    return sorted({f.name for f in review.findings if f.category == "format"})


def expected(rules: str | None) -> list[str]:
    return sorted(rules.split(",")) if rules else []


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, tuple[Path, str | None]]:
    return lb.build_set(tmp_path_factory.mktemp("layout"))


@pytest.mark.parametrize("name", ["clean", *lb.DEFECTS])
def test_planted_defect_found_alone(cases, name):
    path, rules = cases[name]
    assert format_rules(path) == expected(rules)


@pytest.mark.skipif(lb.soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_copies_same_findings(cases, tmp_path):
    copies = lb.libreoffice_copies([p for p, _ in cases.values()], tmp_path / "lo")
    assert len(copies) == len(cases)
    for name, (path, rules) in cases.items():
        assert format_rules(copies[path]) == expected(rules), name
        out = tmp_path / f"{name}.formatted.docx"
        relayout(copies[path], out)  # and `fazhi format` on what LibreOffice wrote
        assert [r for r in format_rules(out) if r != "date-format"] == [], name


@pytest.mark.skipif(lb.soffice() is None, reason="LibreOffice is not installed")
def test_odt_copies_same_findings(cases, tmp_path):
    """The same files saved as OpenDocument by LibreOffice: the .odt reader's layout gives the same findings."""
    copies = lb.libreoffice_copies([p for p, _ in cases.values()], tmp_path / "odt", "odt")
    assert len(copies) == len(cases)
    for name, (path, rules) in cases.items():
        assert format_rules(copies[path]) == expected(rules), name


@pytest.mark.parametrize("name", ["clean", *lb.DEFECTS])
def test_format_round_trip(cases, tmp_path, name):
    """`fazhi format` leaves no layout finding (the date's form is text, for --fix) and the same text."""
    path, _ = cases[name]
    out = tmp_path / "out.docx"
    relayout(path, out)
    left = [r for r in format_rules(out) if r != "date-format"]
    assert left == []
    assert check(out).document.text == check(path).document.text


def test_finding_points_at_the_run(tmp_path):
    """One phrase in 宋体 inside a 仿宋 paragraph: the finding covers that phrase only."""
    path = lb.build(tmp_path / "a.docx")
    document = docx.Document(str(path))
    para = next(p for p in document.paragraphs if p.text.startswith("全年开展"))
    run = para.add_run("另有专项检查5次。")
    run.font.size = Pt(16)
    run._r.get_or_add_rPr().get_or_add_rFonts().set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "宋体")
    document.save(str(path))
    review = check(path)
    hits = [f for f in review.findings if f.name == "font-style"]
    assert [review.document.text[f.start:f.end] for f in hits] == ["另有专项检查5次。"]


def test_theme_font_resolved(tmp_path):
    """python-docx's template takes its East Asian font from the theme (for ja-JP: ＭＳ 明朝)."""
    review = check(lb.build(tmp_path / "t.docx", lb.Spec(body_font=None)))
    assert any("ＭＳ 明朝" in f.message for f in review.findings if f.name == "font-style")


def test_config_overrides_page_number_position(cases):
    path, _ = cases["page-number-centred"]
    cfg = from_mapping({"layout": {"page_number": {"position": "center"}}})
    assert format_rules(path, cfg) == []


def test_unknown_layout_key_is_a_config_error():
    from fazhi.config import ConfigError

    with pytest.raises(ConfigError, match="layout.page.nope"):
        from_mapping({"layout": {"page": {"nope": 1}}})


def _strip(path: Path, out: Path, drop: tuple[str, ...]) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            if not item.filename.startswith(drop):
                data = src.read(item.filename)
                if item.filename == "word/document.xml" and "sectPr" in drop:
                    data = data.split(b"<w:sectPr")[0] + b"</w:body></w:document>"
                dst.writestr(item, data)
    return out


@pytest.mark.parametrize("drop", [("word/styles.xml",), ("word/theme/",), ("word/settings.xml",), ("word/footer",),
                                  ("sectPr",), ("word/styles.xml", "word/theme/", "word/settings.xml")])
def test_missing_parts_never_crash_nor_invent(cases, tmp_path, drop):
    """Missing styles, theme, settings, footers or section properties: no crash, and no finding
    made up from the missing information (a missing footer is a missing page number)."""
    path, _ = cases["clean"]
    out = _strip(path, tmp_path / "odd.docx", drop)
    review = check(out)
    assert review.error is None
    allowed = {"page-number"} if drop == ("word/footer",) else set()
    assert {f.name for f in review.findings if f.category == "format"} <= allowed


def test_plain_text_only_date_format(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("\n".join([lb.TITLE, lb.ADDRESSEE, *(t for _, t in lb.BODY), lb.SIGNOFF, "2025年01月20日"]), encoding="utf-8")
    assert format_rules(path) == ["date-format"]


@pytest.mark.parametrize(
    "date, fixed",
    [("二〇二五年一月二十日", "2025年1月20日"), ("2025年01月05日", "2025年1月5日"), ("25年1月5日", "2025年1月5日"),
     ("2025.1.5", "2025年1月5日"), ("2025-01-05", "2025年1月5日"), ("2025年1月5日", None), ("2025年12月31日", None)],
)
def test_date_forms(date, fixed):
    from .rules.helpers import findings

    text = "\n".join([lb.TITLE, lb.ADDRESSEE, "全年办理行政复议案件12件。", lb.SIGNOFF, date])
    found = findings("date-format", text)
    assert [f.suggestion for f in found] == ([fixed] if fixed else [])


def test_outputs_show_format_findings(cases, tmp_path, capsys):
    """Terminal, JSON, HTML and Word comments show layout findings like any other."""
    import json

    from fazhi.cli import main

    path, _ = cases["body-font"]
    main(["check", str(path), "--color", "never"])
    assert "L102 font-style" in capsys.readouterr().out
    main(["check", str(path), "--format", "json"])
    found = json.loads(capsys.readouterr().out)["reports"][0]["findings"]
    assert {"font-style", "heading-style"} <= {f["name"] for f in found if f["category"] == "format"}
    main(["check", str(path), "--format", "html", "-o", str(tmp_path / "r.html")])
    assert "font-style" in (tmp_path / "r.html").read_text(encoding="utf-8")
    main(["check", str(path), "--format", "docx", "-o", str(tmp_path / "r.docx")])
    assert any("L102" in c.text for c in docx.Document(str(tmp_path / "r.docx")).comments)


def test_format_command(cases, tmp_path, capsys):
    from fazhi.cli import main

    path, _ = cases["body-font"]
    out = tmp_path / "排版.docx"
    assert main(["format", str(path), "-o", str(out)]) == 0
    assert format_rules(out) == []
    txt = tmp_path / "r.txt"
    txt.write_text("某县司法局\n", encoding="utf-8")
    assert main(["format", str(txt), "-o", str(out)]) == 2
    assert "只能重新排版" in capsys.readouterr().err


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))  # fmt: skip


def test_format_keeps_tables_and_images(cases, tmp_path):
    path, _ = cases["body-font"]
    document = docx.Document(str(path))
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "案件类别"
    table.cell(1, 0).text = "行政复议"
    document.add_picture(io.BytesIO(_png()))
    src = tmp_path / "with-table.docx"
    document.save(str(src))
    out = tmp_path / "out.docx"
    relayout(src, out)
    before, after = docx.Document(str(src)), docx.Document(str(out))
    assert len(after.tables) == len(before.tables) == 1
    assert after.tables[0].cell(1, 0).text == "行政复议"
    assert len(after.inline_shapes) == len(before.inline_shapes) == 1
    assert check(out).document.text == check(src).document.text


@pytest.mark.skipif(lb.soffice() is None, reason="LibreOffice is not installed")
def test_odt_without_styles_never_crashes_nor_invents(cases, tmp_path):
    path, _ = cases["clean"]
    odt = lb.libreoffice_copies([path], tmp_path / "odt", "odt")[path]
    out = _strip(odt, tmp_path / "odd.odt", ("styles.xml",))
    review = check(out)
    assert review.error is None
    assert {f.name for f in review.findings if f.category == "format"} <= {"page-number"}


def test_subtitle_under_the_title_is_not_judged(tmp_path):
    """A centred 楷体 line under the title ("（2025年1月20日）") is not body text."""
    path = lb.build(tmp_path / "s.docx")
    document = docx.Document(str(path))
    title = document.paragraphs[0]
    sub = title.insert_paragraph_before("（2025年1月20日）")
    title._p.addnext(sub._p)  # move it below the title
    sub.alignment = 1
    run = sub.runs[0]
    run.font.size = Pt(16)
    run._r.get_or_add_rPr().get_or_add_rFonts().set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "楷体_GB2312")
    document.save(str(path))
    review = check(path)
    assert review.document.metadata.addressee == "县委、县政府"
    assert format_rules(path) == []


def _mutate(path: Path, out: Path, part: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith(part):
                import re

                data = re.sub(old, new, data)
            dst.writestr(item, data)
    return out


@pytest.mark.parametrize(
    "part, old, new",
    [
        ("word/document.xml", rb'w:sz w:val="\d+"', b'w:sz w:val="abc"'),  # sizes unreadable
        ("word/document.xml", rb'w:top="\d+"', b'w:top="-2098"'),  # a negative ("exact") top margin
        ("word/document.xml", rb'<w:pgSz [^>]*/>', b'<w:pgSz w:w="" w:h="x"/>'),
        ("word/document.xml", rb'r:id="rId\d+"', b'r:id="rIdMissing"'),  # footers that are not there
        ("word/styles.xml", rb'<w:style ([^>]*)w:styleId="Normal"([^>]*)>', rb'<w:style \1w:styleId="Normal"\2><w:basedOn w:val="Normal"/>'),
        ("word/footer", rb'<w:fldChar w:fldCharType="end"/>', b""),  # a field that never ends
        ("word/theme/", rb'typeface="[^"]*"', b'typeface=""'),
    ],
)
def test_odd_values_never_crash(cases, tmp_path, part, old, new):
    path, _ = cases["clean"]
    out = _mutate(path, tmp_path / "odd.docx", part, old, new)
    review = check(out)
    assert review.error is None
    found = {f.name for f in review.findings if f.category == "format"}
    allowed = {"page-number"} if b"rIdMissing" in new else set()
    assert found <= allowed, [f.message for f in review.findings if f.category == "format"]


@pytest.mark.parametrize("part", ["word/theme/theme1.xml", "word/settings.xml", "word/footer1.xml"])
def test_malformed_layout_part_does_not_block_reading(cases, tmp_path, part):
    """Theme, settings and footers are read only for layout: a malformed one never makes the report unreadable."""
    path, _ = cases["clean"]
    out = tmp_path / "bad.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<broken" if item.filename == part else src.read(item.filename))
    review = check(out)
    assert review.error is None
    assert review.document.text == check(path).document.text


def test_layout_bug_does_not_block_reading(cases, monkeypatch):
    from fazhi.ingest import layout as layout_mod

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(layout_mod.ParagraphResolver, "paragraph", boom)
    monkeypatch.setattr(layout_mod, "document_layout", boom)
    path, _ = cases["body-font"]
    review = check(path)
    assert review.error is None and review.document.text
    assert [f for f in review.findings if f.category == "format" and f.name != "date-format"] == []


def test_format_replaces_a_footer_without_content_type(cases, tmp_path):
    """Some generators (gongwen-skill's md2docx) write a footer part without its content type:
    python-docx cannot use it, so `fazhi format` writes a new footer instead of failing."""
    import re

    path, _ = cases["page-number-font"]
    src = tmp_path / "odd-footer.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(src, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = re.sub(rb'<Override PartName="/word/footer2.xml"[^>]*/>', b"", data)
            zout.writestr(item, data)
    out = tmp_path / "out.docx"
    relayout(src, out)
    assert format_rules(out) == []


def test_page_number_on_first_page_and_in_footer(tmp_path):
    path = lb.build(tmp_path / "first.docx")
    document = docx.Document(str(path))
    document.sections[0].different_first_page_header_footer = True  # an empty first-page footer
    document.save(str(path))
    assert [f.message for f in check(path).findings if f.name == "page-number"] == ["设置了“首页不同”，首页没有页码；报告首页也应编排页码"]
    path = lb.build(tmp_path / "header.docx", lb.Spec(page_number=False))
    document = docx.Document(str(path))
    lb._page_number(document.sections[0].header, lb.SONG, "— ", " —", 1)
    document.save(str(path))
    messages = [f.message for f in check(path).findings if f.name == "page-number"]
    assert "页码在页眉中，应编排在版心下边缘之下（页脚）" in messages


def test_date_format_leaves_a_web_pages_own_date(tmp_path):
    page = tmp_path / "r.html"
    body = "".join(f"<p>{t}</p>" for t in [lb.TITLE, lb.ADDRESSEE, *(t for _, t in lb.BODY), lb.SIGNOFF])
    page.write_text(f"<html><body>{body}<p>2025-01-22</p></body></html>", encoding="utf-8")
    assert format_rules(page) == []


W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _wps_style_footer(path: Path) -> Path:
    """A footer as WPS writes one: one paragraph in a frame aligned "outside", the number a
    w:fldSimple PAGE field between full-width dashes, no different odd and even footers."""
    from docx.oxml import parse_xml

    document = docx.Document(str(path))
    document.settings.odd_and_even_pages_header_footer = False
    footer = document.sections[0].footer
    for p in list(footer._element):
        footer._element.remove(p)
    footer._element.append(parse_xml(
        '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:pPr>'
        '<w:framePr w:wrap="around" w:vAnchor="text" w:hAnchor="margin" w:xAlign="outside" w:y="1"/></w:pPr>'
        '<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve">— </w:t></w:r>'
        '<w:fldSimple w:instr=" PAGE  \\* MERGEFORMAT "><w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体"/><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r></w:fldSimple>'
        '<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体" w:hint="eastAsia"/><w:sz w:val="28"/></w:rPr><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    ))  # fmt: skip
    document.save(str(path))
    return path


def test_wps_style_page_number_in_an_outside_frame(tmp_path):
    path = _wps_style_footer(lb.build(tmp_path / "wps.docx"))
    review = check(path)
    assert review.document.raw.layout.page_numbers[0].text == "— 1 —"
    assert format_rules(path) == []
