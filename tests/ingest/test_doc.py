"""The .doc/.wps reader: converter lookup and errors everywhere, real conversions where installed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from fazhi.ingest import doc, load_raw
from fazhi.ingest.limits import LIMITS
from fazhi.model import IngestError

from .builders import make_docx, make_ole2, word_fib

FIXTURE = Path(__file__).parent / "fixtures" / "sample.doc"  # made by LibreOffice from fictional text
TITLE = "某县司法局2024年法治政府建设年度报告"
PLAIN_WORD = make_ole2({"WordDocument": word_fib(), "1Table": b"\0" * 16})


def error(data: bytes, fmt: str = "doc") -> IngestError:
    with pytest.raises(IngestError) as info:
        doc.read(data, fmt)
    return info.value


def no_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc, "find_converter", lambda fmt: None)


# --- everywhere -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_converter_missing(monkeypatch, tmp_path, fmt: str) -> None:
    no_converter(monkeypatch)
    err = error(PLAIN_WORD, fmt)
    assert err.code == "converter-missing"
    assert "LibreOffice" in err.message and f".{fmt}" in err.message
    assert "\n" not in err.message
    path = tmp_path / f"报告.{fmt}"
    path.write_bytes(FIXTURE.read_bytes())
    with pytest.raises(IngestError) as info:
        load_raw(path)
    assert info.value.code == "converter-missing"


def test_ole_kind() -> None:
    assert doc.ole_kind(PLAIN_WORD) == "word97"
    assert doc.ole_kind(FIXTURE.read_bytes()) == "word97"
    assert doc.ole_kind(make_ole2({"WordDocument": word_fib(encrypted=True)})) == "encrypted"
    assert doc.ole_kind(make_ole2({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00" * 8})) == "encrypted"
    assert doc.ole_kind(make_ole2({"Workbook": b"\x09\x08"})) == "other"
    assert doc.ole_kind(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\xff" * 600) == "invalid"
    assert doc.ole_kind(b"\xd0\xcf\x11\xe0") == "invalid"


def test_encrypted_word_document_refused_before_converting(monkeypatch) -> None:
    def must_not_run(fmt: str) -> None:
        raise AssertionError("no converter may run for an encrypted file")

    monkeypatch.setattr(doc, "find_converter", must_not_run)
    err = error(make_ole2({"WordDocument": word_fib(encrypted=True)}))
    assert err.code == "encrypted" and "密码" in err.message
    assert error(make_ole2({"EncryptionInfo": b"\x04", "EncryptedPackage": b"\x00"})).code == "encrypted"


def test_not_a_word_file(monkeypatch) -> None:
    no_converter(monkeypatch)
    assert error(b"just some bytes that are not a document").code == "corrupt"
    assert error(b"\xd0\xcf\x11\xe0" + b"\x00" * 100).code == "corrupt"


def test_docx_named_doc_is_read_as_docx(monkeypatch, tmp_path) -> None:
    no_converter(monkeypatch)
    path = tmp_path / "report.doc"
    path.write_bytes(make_docx([TITLE]))
    assert [b.text for b in load_raw(path).blocks] == [TITLE]


def test_converter_failure_and_timeout(monkeypatch, tmp_path) -> None:
    failing = tmp_path / "fake-antiword"
    failing.write_text("#!/bin/sh\necho 'broken' >&2\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(doc, "find_converter", lambda fmt: doc.Converter("antiword", str(failing)))
    err = error(PLAIN_WORD)
    assert err.code == "convert-failed" and "\n" not in err.message

    slow = tmp_path / "fake-soffice"
    slow.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n")
    slow.chmod(0o755)
    monkeypatch.setattr(doc, "find_converter", lambda fmt: doc.Converter("soffice", str(slow)))
    monkeypatch.setattr(LIMITS, "converter_timeout_s", 0.5)
    err = error(PLAIN_WORD)
    assert err.code == "convert-failed" and "秒" in err.message


def test_fake_text_tool_output_becomes_blocks(monkeypatch, tmp_path) -> None:
    tool = tmp_path / "fake-antiword"
    tool.write_text(
        "#!/bin/sh\nprintf '%s\\n' '' '某县司法局2024年法治政府建设年度报告' '' '|指标   |数量  |' '' '一、主要举措和成效'\n"
    )
    tool.chmod(0o755)
    monkeypatch.setattr(doc, "find_converter", lambda fmt: doc.Converter("antiword", str(tool)))
    raw = doc.read(PLAIN_WORD, "doc")
    assert raw.format == "doc"
    assert [(b.text, b.kind) for b in raw.blocks] == [
        (TITLE, "p"), ("指标", "cell"), ("数量", "cell"), ("一、主要举措和成效", "p"),
    ]  # fmt: skip
    assert raw.blocks[0].origin == {"line": 2}


def test_find_converter_prefers_libreoffice(monkeypatch) -> None:
    found = {"soffice": None, "libreoffice": "/x/libreoffice", "antiword": "/x/antiword", "catdoc": None}
    monkeypatch.setattr(doc.shutil, "which", lambda name: found.get(name))
    monkeypatch.setattr(doc, "_SOFFICE_PLACES", ())
    assert doc.find_converter("doc") == doc.Converter("soffice", "/x/libreoffice")
    found["libreoffice"] = None
    assert doc.find_converter("doc") == doc.Converter("antiword", "/x/antiword")
    found["antiword"] = None
    assert doc.find_converter("wps") is None


# --- real converters, where installed ---------------------------------------------------------

EXPECTED = [
    TITLE, "主要举措和成效", "加强法治学习培训", "全年组织专题学习12次，开展法治讲座3场。",
    "推进严格规范公正文明执法", "指标", "数量", "行政复议案件", "15件", "存在的不足和原因", "基层法治力量仍较薄弱。",
]  # fmt: skip


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.mark.parametrize("fmt", ["doc", "wps"])
def test_libreoffice_conversion(monkeypatch, tmp_path, fmt: str) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    monkeypatch.setattr(doc, "find_converter", lambda f: doc.Converter("soffice", soffice))
    path = tmp_path / f"报告.{fmt}"
    path.write_bytes(FIXTURE.read_bytes())
    raw = load_raw(path)
    assert raw.format == fmt
    assert [b.text for b in raw.blocks] == EXPECTED
    # Word's automatic numbering survives the round trip through .docx
    assert [b.number for b in raw.blocks if b.number] == ["一、", "（一）", "（二）", "二、"]
    assert raw.blocks[5].kind == "cell"


@pytest.mark.parametrize("tool", ["antiword", "catdoc"])
def test_text_tool_conversion(monkeypatch, tool: str) -> None:
    path = _tool(tool)
    monkeypatch.setattr(doc, "find_converter", lambda f: doc.Converter(tool, path))
    raw = doc.read(FIXTURE.read_bytes(), "doc")
    assert raw.format == "doc"
    if tool == "antiword":  # antiword draws table rows as "|a |b |", read as one Block per cell
        assert [b.text for b in raw.blocks] == EXPECTED
    else:  # catdoc separates cells with tabs
        assert "".join(b.text for b in raw.blocks).replace("\t", "") == "".join(EXPECTED)
    assert tool in raw.notes[0]


def test_rtf_named_doc_needs_libreoffice(monkeypatch, tmp_path) -> None:
    rtf = rb"{\rtf1\ansi\deff0 {\fonttbl {\f0 SimSun;}} \f0 report\par}"
    tool = tmp_path / "antiword"
    tool.write_text("#!/bin/sh\nexit 0\n")
    tool.chmod(0o755)
    monkeypatch.setattr(doc, "find_converter", lambda fmt: doc.Converter("antiword", str(tool)))
    err = error(rtf)
    assert err.code == "converter-missing" and "RTF" in err.message and "LibreOffice" in err.message


def test_web_page_named_doc_goes_to_html_reader(monkeypatch, tmp_path) -> None:
    pytest.importorskip("fazhi.ingest.html")
    no_converter(monkeypatch)
    page = f"<html><head><meta charset='utf-8'></head><body><p>{TITLE}</p><p>一、主要举措和成效</p></body></html>"
    path = tmp_path / "网页另存.doc"
    path.write_bytes(page.encode("utf-8"))
    raw = load_raw(path)
    assert TITLE in [b.text.strip() for b in raw.blocks]
    assert any("HTML" in note for note in raw.notes)
