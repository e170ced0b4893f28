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
