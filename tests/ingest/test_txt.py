"""Plain text in every encoding seen in practice, detected rather than assumed; normalization
and its provenance map."""

from __future__ import annotations

import codecs
import re

import pytest
from hypothesis import given, settings, strategies as st

from fazhi.api import load
from fazhi.ingest import load_raw
from fazhi.ingest.normalize import normalize
from fazhi.ingest.txt import detect_encoding
from fazhi.model import Block, IngestError, RawDocument

SAMPLE = (
    "某县民政局关于2024年度法治政府建设情况的报告\n县委、县政府：\n"
    "2024年，我局坚持依法行政，全年办理行政许可事项326件，开展普法宣传活动18次。\n"
    "一、主要举措和成效\n（一）健全制度体系。修订完善内部管理制度9项。\n"
)


@pytest.mark.parametrize(
    "encoding,bom,expected",
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("big5", b"", "big5"),
    ],
)
def test_encodings_detected(tmp_path, encoding, bom, expected):
    text = SAMPLE
    if encoding == "big5":
        import opencc

        text = opencc.OpenCC("s2t").convert(SAMPLE)
    data = bom + text.encode(encoding)
    assert detect_encoding(data) == expected
    p = tmp_path / "r.txt"
    p.write_bytes(data)
    raw = load_raw(p)
    assert raw.blocks[0].text.endswith(("报告", "報告"))
    doc = load(p)
    assert doc.metadata.title == "某县民政局关于2024年度法治政府建设情况的报告"
    assert doc.metadata.report_year == 2024


def test_traditional_converted_and_recorded(tmp_path):
    import opencc

    p = tmp_path / "t.txt"
    p.write_text(opencc.OpenCC("s2t").convert(SAMPLE), encoding="utf-8")
    doc = load(p)
    assert doc.metadata.script == "traditional"
    assert doc.metadata.title == "某县民政局关于2024年度法治政府建设情况的报告"
    assert any("繁体" in n for n in doc.notes)
    assert load(SAMPLE).metadata.script == "simplified"


def test_normalization_removes_artifacts_and_keeps_provenance():
    src = ["", "[bookmark: _GoBack]", "\u3000\u3000某县民政局\u200b关于2024年度法治政府建设情况的报告  ", "  正文\u3000\u3000第一段。"]
    raw = RawDocument("txt", [Block(t, {"line": i + 1}) for i, t in enumerate(src)])
    text, prov, script, _ = normalize(raw)
    assert text == "某县民政局关于2024年度法治政府建设情况的报告\n正文 第一段。"
    # every normalized character maps back to the same character in its source block
    for pos, ch in enumerate(text):
        if ch in "\n ":
            continue
        block, offset = prov.locate(pos)
        assert raw.blocks[block].text[offset] == ch


def test_word_numbering_label_becomes_text():
    raw = RawDocument("docx", [Block("主要举措和成效", {"paragraph": 0}, number="一、")])
    text, prov, _, _ = normalize(raw)
    assert text == "一、主要举措和成效"
    assert prov.locate(0)[0] == 0


@pytest.mark.parametrize(
    "data,code",
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (bytes(range(256)) * 40, "binary"),
        (b"\x00\x01\x02\x03\x04\x05" * 1000, "binary"),
    ],
)
def test_bad_text_files(tmp_path, data, code):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(IngestError) as exc:
        load_raw(p)
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


def test_too_large_file_is_refused_without_reading(tmp_path, monkeypatch):
    from fazhi.ingest import limits

    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(limits.LIMITS.max_file_bytes + 1)  # sparse: costs no disk
    with pytest.raises(IngestError) as exc:
        load_raw(p)
    assert exc.value.code == "too-large"


def test_missing_and_unsupported(tmp_path):
    with pytest.raises(IngestError) as exc:
        load_raw(tmp_path / "nope.txt")
    assert exc.value.code == "not-found"
    p = tmp_path / "x.xyz"
    p.write_text("x")
    with pytest.raises(IngestError) as exc:
        load_raw(p)
    assert exc.value.code == "unsupported-format"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十（）()、，。：；“”《》是的 \n\u3000\t1234567890.年月日县局报告法治政府建设")), max_size=400))
def test_parse_never_crashes_and_spans_are_in_bounds(text):
    from fazhi.rules import run_rules

    if not text.strip():
        return
    doc = load(text)
    n = len(doc.text)
    for h in doc.headings:
        assert 0 <= h.token_start <= h.token_end <= h.end <= n
    for p in doc.parts:
        assert 0 <= p.start <= p.end <= n
    for f in run_rules(doc):
        assert 0 <= f.start <= f.end <= n
        doc.line_col(f.start)
    for a, b in doc.sentences:
        assert 0 <= a <= b <= n


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40), max_size=12))
def test_provenance_maps_every_character_back(lines):
    raw = RawDocument("txt", [Block(t, {"line": i}) for i, t in enumerate(lines)])
    text, prov, script, _ = normalize(raw)
    if script != "simplified":
        return
    for pos, ch in enumerate(text):
        block, offset = prov.locate(pos)
        assert 0 <= block < len(lines)
        if ch not in "\n ":
            assert lines[block][offset] == ch


def test_shipped_traditional_table_matches_opencc():
    from fazhi.ingest.normalize import compute_traditional_chars, traditional_chars

    assert traditional_chars() == frozenset(compute_traditional_chars())
    assert "們" in traditional_chars() and "们" not in traditional_chars()


# --- normalize's shortcuts equal the full path

_BLOCK_CHARS = "一、（一）1.2 \t\u3000\u00a0\u200b\ufeff\u00ad[]bookmark: _GoBack图片image说明。特此报告县政府2024年1月20日二三"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_BLOCK_CHARS, max_size=30), min_size=1, max_size=6))
def test_the_short_paths_of_normalize_change_nothing(monkeypatch_texts):
    from fazhi.ingest import normalize as norm

    raw = RawDocument("txt", [Block(t, {"line": i + 1}) for i, t in enumerate(monkeypatch_texts)])
    fast = normalize(raw)
    saved = norm._TO_CLEAN, norm._one_run
    norm._TO_CLEAN = re.compile("")  # every block through _clean_block
    norm._one_run = lambda *_: False  # and through the general loop
    try:
        slow = normalize(raw)
    finally:
        norm._TO_CLEAN, norm._one_run = saved
    assert fast == slow


@settings(max_examples=300, deadline=None)
@given(st.text("法治政府建設報告这是一个简体字的句子，。abc", max_size=80))
def test_is_traditional_equals_the_share_of_traditional_characters(text):
    from fazhi.ingest.normalize import _HAN_RUN, _traditional_re, is_traditional

    han = sum(map(len, _HAN_RUN.findall(text)))
    expected = han >= 20 and len(_traditional_re().findall(text)) / han > 0.03
    assert is_traditional(text) == expected
