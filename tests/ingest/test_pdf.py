"""The PDF reader: paragraphs rejoined from wrapped lines, page furniture dropped, errors."""

from __future__ import annotations

import pytest

from fazhi.ingest import load_raw, pdf
from fazhi.ingest.limits import LIMITS
from fazhi.model import IngestError

from .pdf_builders import Layout, make_image_pdf, make_pdf, sample_report

TITLE = "某县2024年度法治政府建设情况报告"


def texts(data: bytes) -> list[str]:
    return [b.text for b in pdf.read(data).blocks]


@pytest.fixture(scope="module")
def report() -> list[str]:
    return sample_report(4)


@pytest.fixture(scope="module")
def report_pdf(report: list[str]) -> bytes:
    return make_pdf(report, TITLE)


def test_round_trip_rejoins_every_paragraph(report: list[str], report_pdf: bytes) -> None:
    raw = pdf.read(report_pdf)
    assert raw.format == "pdf"
    assert [b.text for b in raw.blocks] == [TITLE, *report]
    assert raw.notes == []


def test_fixture_really_wraps_mid_sentence_over_several_pages(report_pdf: bytes) -> None:
    pages, count = pdf._extract(report_pdf)
    assert count >= 2
    lines = [line.text for page in pages for line in page]
    assert any(not line.endswith(("。", "：", "；", "-")) and len(line) > 25 for line in lines)
    assert all("某县人民政府文件" in page[0].text for page in pages)


def test_paragraph_continues_across_page_break(report_pdf: bytes) -> None:
    pages, _ = pdf._extract(report_pdf)
    blocks = pdf.read(report_pdf).blocks
    continued = 0
    for page in pages[1:]:
        first_body = page[1]  # page[0] is the running header
        owner = [b for b in blocks if first_body.text in b.text]
        assert owner, first_body.text
        if not owner[0].text.startswith(first_body.text):
            continued += 1
            assert owner[0].origin["page"] == first_body.page - 1
    assert continued >= 1


def test_headings_title_and_signoff_are_own_blocks(report_pdf: bytes) -> None:
    blocks = pdf.read(report_pdf).blocks
    assert blocks[0].text == TITLE
    assert blocks[0].origin == {"page": 1, "line": 2}  # line 1 is the running header
    assert blocks[1].text == "县委、县政府："
    assert [b.text for b in blocks if b.text.startswith("二、")] == ["二、关于执法监督的主要举措和成效"]
    assert any(b.text == "（二）试点推行普法宣传相关机制" for b in blocks)
    assert [b.text for b in blocks[-2:]] == ["某县司法局", "2025年1月20日"]


def test_origins_point_at_page_and_line(report_pdf: bytes) -> None:
    pages, _ = pdf._extract(report_pdf)
    for block in pdf.read(report_pdf).blocks:
        line = pages[block.origin["page"] - 1][block.origin["line"] - 1]
        assert block.text.startswith(line.text)


@pytest.mark.parametrize("footer", ["- {page} -", "— {page} —", "{page}", "第{page}页", "第{page}页 共9页", "{page}/9"])
def test_page_numbers_and_running_header_dropped(report: list[str], footer: str) -> None:
    got = texts(make_pdf(report, TITLE, footer=footer))
    assert got == [TITLE, *report]


def test_two_line_title_lines_stand_alone(report: list[str]) -> None:
    title = "中共某县司法局党组\n关于2024年度法治政府建设工作的报告"
    assert texts(make_pdf(report, title)) == title.split("\n") + report


def test_unindented_layout_splits_on_short_lines_and_headings() -> None:
    paras = [
        "一、主要举措",
        "本局持续推进行政执法三项制度，规范执法程序，统一执法文书，完善执法案卷评查机制，全年评查案卷八十六卷，发现并整改问题十二个。",
        "二、存在的不足",
        "部分执法人员法治意识仍需增强。",
    ]
    got = texts(make_pdf(paras, None, header=None, layout=Layout(indent_chars=0)))
    assert got == paras


@pytest.mark.parametrize("indent", [0, 2])
def test_paragraphs_indented_with_typed_full_width_spaces(report: list[str], indent: int) -> None:
    paras = [p if len(p) < 30 else "\u3000\u3000" + p for p in report]
    got = texts(make_pdf(paras, TITLE, layout=Layout(indent_chars=indent)))
    assert got == [TITLE, *report]


def test_ascii_words_keep_one_space_across_a_wrap() -> None:
    para = (
        "本局按照 the national open data guideline for public administration and local government "
        "reporting 的要求，逐项核对数据目录，并完成 version 2 规范的迁移工作。"
    )
    paras = [para, "二、下一步工作"]
    assert texts(make_pdf(paras, None, header=None)) == paras


def test_join_rules() -> None:
    assert pdf._join("推进法治政府", "建设") == "推进法治政府建设"
    assert pdf._join("ISO", "9001") == "ISO 9001"
    assert pdf._join("共办理2024", "年") == "共办理2024年"
    assert pdf._join("data,", "open") == "data, open"
    assert pdf._join("通过 ", "ISO") == "通过 ISO"  # a space drawn at the end of the line


@pytest.mark.parametrize(
    "kw", [{}, {"image": False}, {"watermark": "扫描全能王 创建"}], ids=["image", "vector", "watermark"]
)
def test_scanned_pdf_is_rejected(kw: dict) -> None:
    with pytest.raises(IngestError) as err:
        pdf.read(make_image_pdf(**kw))
    assert err.value.code == "scanned-pdf"
    assert "文字层" in err.value.message and "\n" not in err.value.message


def test_page_without_text_is_noted(report: list[str]) -> None:
    raw = pdf.read(make_pdf(report, TITLE, image_page=True))
    assert [b.text for b in raw.blocks] == [TITLE, *report]
    assert len(raw.notes) == 1 and "没有文字层" in raw.notes[0]


def test_encrypted_pdf_with_user_password() -> None:
    with pytest.raises(IngestError) as err:
        pdf.read(make_pdf(["正文。"], encrypt="secret"))
    assert err.value.code == "encrypted"


def test_pdf_with_only_owner_password_opens() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption("", ownerPassword="owner", canPrint=0)
    paras = ["县委、县政府：", "本年度法治政府建设各项工作有序推进，重点任务全部完成。"]
    assert texts(make_pdf(paras, TITLE, header=None, encrypt=enc)) == [TITLE, *paras]


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_pdf_is_corrupt(report_pdf: bytes, cut: float) -> None:
    with pytest.raises(IngestError) as err:
        pdf.read(report_pdf[: int(len(report_pdf) * cut)])
    assert err.value.code == "corrupt"


@pytest.mark.parametrize("data", [b"%PDF-1.7\n" + b"\x00garbage" * 100, b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n"])
def test_garbage_pdf_is_corrupt(data: bytes) -> None:
    with pytest.raises(IngestError) as err:
        pdf.read(data)
    assert err.value.code == "corrupt"


def test_page_cap(report_pdf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LIMITS, "max_pdf_pages", 1)
    with pytest.raises(IngestError) as err:
        pdf.read(report_pdf)
    assert err.value.code == "too-many-pages"


def test_load_raw_reads_pdf_files(tmp_path, report: list[str], report_pdf: bytes) -> None:
    path = tmp_path / "报告.pdf"
    path.write_bytes(report_pdf)
    assert [b.text for b in load_raw(path).blocks] == [TITLE, *report]
    odd = tmp_path / "report.bin.txt"  # content sniffing beats the extension
    odd.write_bytes(report_pdf)
    assert load_raw(odd).format == "pdf"


def test_load_raw_reports_errors_as_ingest_errors(tmp_path) -> None:
    scanned = tmp_path / "scan.pdf"
    scanned.write_bytes(make_image_pdf(1))
    with pytest.raises(IngestError) as err:
        load_raw(scanned)
    assert err.value.code == "scanned-pdf"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.5\nnot really")
    with pytest.raises(IngestError) as err:
        load_raw(broken)
    assert err.value.code == "corrupt"


# --------------------------------------------------------------------------- regressions: short wraps, sign-off, numbers

_FILLER = "推进法治政府建设规范行政执法行为完善监督机制提升依法行政能力强化基层治理深化普法宣传" * 4
_BODY = Layout()
_LINE_CHARS = int(_BODY.width // _BODY.size)  # 31 full-width characters per line
_FIRST_CHARS = int((_BODY.width - _BODY.indent_chars * _BODY.size) // _BODY.size)  # 29 after the indent


def _placed(marks: dict[int, str], length: int) -> str:
    """Filler text of `length` characters with `marks` put at the given positions."""
    chars = list(_FILLER[:length])
    for pos, text in marks.items():
        chars[pos : pos + len(text)] = text
    return "".join(chars)[:length - 1] + "。"


def _short_lines(data: bytes) -> list[float]:
    """How far short of the right margin (in characters) each wrapped body line ends."""
    pages, _ = pdf._extract(data)
    lines = [line for page in pages for line in page if line.em == _BODY.size]
    right = _BODY.margin_left + _BODY.width
    return [(right - a.x1) / _BODY.size for a, b in zip(lines, lines[1:]) if b.x0 == _BODY.margin_left]


def test_wrapped_lines_ending_one_or_two_characters_short_stay_one_paragraph() -> None:
    """避头尾 sends a character or two down to the next line: "，" may not start a line, "（“" may
    not end one. An indented first line that ends two characters short is as far from either
    margin, so it looked centered and was taken for a paragraph of its own."""
    first, second = _FIRST_CHARS, _FIRST_CHARS + _LINE_CHARS
    paras = [
        _placed({first - 2: "员”，"}, 90),  # first line two short: "……工作" | "员”，……"
        _placed({first - 1: "员，"}, 90),  # first line one short
        _placed({first - 2: "（“街"}, 90),  # opening punctuation may not end a line
        _placed({second - 2: "员”，", 2 * second: "人，"}, 120),  # continuation lines short
        "（五）夯实基层法治基础。推动每个司法所至少配备2名工作人员，开展基层法治工作人员全员轮训，年内完成不少于600人次培训。",
        "（二）法治政府建设示范创建情况。县司法局指导3个乡镇（街道）开展市级法治政府建设示范创建，其中1个乡镇的合法性审查经验做法被市司法局在全市推广。",
    ]
    data = make_pdf(paras, None, header=None)
    shortfalls = _short_lines(data)
    assert any(0.9 < s < 1.3 for s in shortfalls) and any(1.4 < s < 2.3 for s in shortfalls)
    assert texts(data) == paras
    assert texts(make_pdf(paras, TITLE, header=None)) == [TITLE, *paras]


def test_closing_paragraphs_and_signoff_stay_separate_and_in_order() -> None:
    paras = [
        "县委、县政府：",
        "（一）上年度问题整改情况。针对2023年度报告提出的“规范性文件备案审查不够及时”“法律援助案件质量参差不齐”"
        "两方面问题，县司法局建立规范性文件报备提醒制度，报备及时率由上年的91.7%提高到100%。",
        "（二）法治政府建设示范创建情况。县司法局指导3个乡镇（街道）开展市级法治政府建设示范创建，其中1个乡镇的合法性审查经验做法被市司法局在全市推广。",
        "特此报告。",
        "蒲江县司法局",
        "2025年1月20日",
    ]
    data = make_pdf(paras, TITLE, header=None)
    pages, _ = pdf._extract(data)
    signoff = [line for line in pages[-1] if line.text in paras[-2:]]
    assert len(signoff) == 2 and all(line.x0 > 300 for line in signoff)  # really right-aligned
    assert texts(data) == [TITLE, *paras]


def test_signoff_at_the_top_of_a_new_page() -> None:
    lines_per_page = int((842 - _BODY.margin_top - _BODY.margin_bottom) // _BODY.leading)  # 25
    two_lines = [f"第{i + 1}项工作已经按期完成，" + _FILLER[i : i + 30] + "。" for i in range(lines_per_page // 2)]
    paras = [*two_lines, "特此报告。", "某县司法局", "2025年1月20日"]
    data = make_pdf(paras, None, header=None)
    pages, _ = pdf._extract(data)
    assert [line.text for line in pages[1][:2]] == ["某县司法局", "2025年1月20日"]
    assert texts(data) == paras


def _drawn_out_of_order() -> bytes:
    """One page whose content stream draws the page number, then the sign-off bottom-up, then the
    body -- as some producers (text boxes, 公文 systems) do."""
    import io

    from reportlab.pdfgen import canvas as rl_canvas

    from .pdf_builders import FONT, PAGE_H, PAGE_W, _register_font, wrap

    _register_font()
    lay = Layout()
    buf = io.BytesIO()
    c = rl_canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setFont(FONT, 12)
    c.drawCentredString(PAGE_W / 2, 45, "- 1 -")
    c.setFont(FONT, lay.size)
    right = lay.margin_left + lay.width
    top = PAGE_H - lay.margin_top
    for k, text in [(9, "2025年1月20日"), (8, "某县司法局"), (7, "中共某县委全面依法治县委员会办公室")]:
        c.drawRightString(right, top - lay.leading * k, text)
    y = top
    body = "本年度法治政府建设各项工作有序推进，重点任务全部完成，群众满意度持续提升，法治环境不断优化，各项指标均达到预期目标。"
    indent = lay.indent_chars * lay.size
    for j, text in enumerate(wrap(body, lay.width, lay.size, indent)):
        y -= lay.leading
        c.drawString(lay.margin_left + (indent if j == 0 else 0), y, text)
    y -= lay.leading
    c.drawString(lay.margin_left + indent, y, "特此报告。")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_signoff_drawn_out_of_order_is_read_in_reading_order() -> None:
    data = _drawn_out_of_order()
    raw_order = [line.text for line in pdf._extract(data)[0][0]]
    assert raw_order[-1] == "- 1 -" and raw_order[-2] == "2025年1月20日"  # reading order, renumbered
    assert texts(data) == [
        "本年度法治政府建设各项工作有序推进，重点任务全部完成，群众满意度持续提升，法治环境不断优化，各项指标均达到预期目标。",
        "特此报告。",
        "中共某县委全面依法治县委员会办公室",
        "某县司法局",
        "2025年1月20日",
    ]


def test_reading_order_keeps_side_by_side_cells_in_stream_order() -> None:
    def line(text: str, x0: float, top: float) -> pdf.Line:
        return pdf.Line(text, x0, x0 + 140, top, top + 14, 14, 1, 0)

    cells = [line("甲一", 80, 100), line("甲二", 80, 126), line("乙一", 250, 100), line("乙二", 250, 126)]
    assert pdf._reading_order(cells) == cells  # a table cell after cell, not interleaved
    shuffled = [line("签", 300, 300), line("正文一", 80, 100), line("正文二", 80, 126)]
    assert [x.text for x in pdf._reading_order(shuffled)] == ["正文一", "正文二", "签"]


def test_number_split_across_lines_joins_without_space() -> None:
    assert pdf._join("罚没金额2.", "6万元") == "罚没金额2.6万元"
    assert pdf._join("优良率达到95.", "6%") == "优良率达到95.6%"
    assert pdf._join("共12,", "345件") == "共12,345件"
    assert pdf._join("配备2", "0名工作人员") == "配备20名工作人员"
    assert pdf._join("ISO 9001:", "2015") == "ISO 9001:2015"
    assert pdf._join("ISO", "9001") == "ISO 9001"  # still a space between words
    assert pdf._join("data,", "open") == "data, open"


def test_decimal_wrapped_after_the_point_in_a_pdf() -> None:
    from .pdf_builders import wrap

    lay = Layout()
    tail = "万元。在执法过程中严格执行执法公示制度，做到现场执法全过程记录，全年审核3件。"
    for n in range(40):  # move "2.6" along the line by half-width steps until the break falls after "2."
        para = "3.推进综合行政执法。办理案件" + "1" * (n % 2 + 1) + "件，" + _FILLER[: n // 2] + "罚没金额2.6" + tail
        lines = wrap(para, lay.width, lay.size, lay.indent_chars * lay.size)
        if any(x.endswith("2.") for x in lines):
            break
    else:
        pytest.fail("no layout breaks after the decimal point")
    paras = [para, "特此报告。"]
    assert texts(make_pdf(paras, None, header=None)) == paras
