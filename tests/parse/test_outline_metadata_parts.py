"""parse/ beyond regions: Chinese numerals, the outline (headings, their styles, values and levels),
the metadata (title, issuer, level, kind, year, addressee, sign-off) and the mandated parts. Tables
of fictional input -> expected value."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.api import load
from fazhi.numerals import CIRCLED, cn_to_int, int_to_cn
from fazhi.parse import issuer_kind, issuer_level
from fazhi.parse import outline
from fazhi.parse.metadata import issuer_from_title
from fazhi.parse.parts import classify

REPORT = "\n".join(
    [
        "某县司法局关于2024年度法治政府建设情况的报告",
        "县委、县政府：",
        "一、主要举措和成效",
        "（一）严格审查。全年审查文件12件。",
        "（二）规范执法。一是培训执法人员。二是评查执法案卷。",
        "二、存在的不足和原因",
        "基层力量薄弱，原因是编制紧张。",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "主要负责同志主持研究法治建设事项6次。",
        "四、2025年工作安排",
        "建成执法监督平台。",
        "某县司法局",
        "2025年1月20日",
    ]
)


@pytest.mark.parametrize(
    "text, value",
    [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("一百", 100), ("两", 2), ("〇", 0)],
)
def test_cn_to_int(text, value):
    assert cn_to_int(text) == value


@pytest.mark.parametrize("n", [1, 9, 10, 11, 19, 20, 23, 99])
def test_int_to_cn_round_trips(n):
    assert cn_to_int(int_to_cn(n)) == n


def test_outline_styles_values_and_levels():
    doc = load(REPORT)
    got = [(h.token, h.style, h.value, h.level, h.inline) for h in doc.headings]
    assert got == [
        ("一、", "cn", 1, 1, False),
        ("（一）", "paren_cn", 1, 2, False),
        ("（二）", "paren_cn", 2, 2, False),
        ("一是", "enum", 1, 3, True),
        ("二是", "enum", 2, 3, True),
        ("二、", "cn", 2, 1, False),
        ("三、", "cn", 3, 1, False),
        ("四、", "cn", 4, 1, False),
    ]
    assert all(doc.text[h.token_start : h.token_end] == h.token for h in doc.headings)


def test_metadata_of_a_plain_report():
    m = load(REPORT).metadata
    assert (m.title, m.issuer, m.issuer_level, m.issuer_kind) == (REPORT.splitlines()[0], "某县司法局", "county", "department")
    assert (m.report_year, m.addressee, m.signoff_issuer, m.signed_date) == (2024, "县委、县政府", "某县司法局", "2025-01-20")


@pytest.mark.parametrize(
    "issuer, level, kind",
    [
        ("某县人民政府", "county", "government"),
        ("某市司法局", "city", "department"),
        ("中共某县民政局党组", "county", "party"),
        ("某镇人民政府", "township", "government"),
        ("某省人民政府", "province", "government"),
        ("某县某街道办事处", "township", "government"),
        ("国家市场监督管理总局", "central", "department"),
        (None, None, None),
    ],
)
def test_issuer_level_and_kind(issuer, level, kind):
    assert (issuer_level(issuer), issuer_kind(issuer)) == (level, kind)


def test_issuer_from_title():
    assert issuer_from_title("某县司法局关于2024年度法治政府建设情况的报告") == "某县司法局"


@pytest.mark.parametrize(
    "heading, parts",
    [
        ("一、主要举措和成效", ["measures"]),
        ("二、存在的不足和原因", ["shortcomings"]),
        ("三、党政主要负责人履行推进法治建设第一责任人职责情况", ["leader_duties"]),
        ("四、2025年工作安排", ["plan"]),
        ("二、存在的问题和下一步打算", ["shortcomings", "plan"]),
        ("五、其他需要报告的情况", ["other"]),
        ("（一）加强组织领导", []),
    ],
)
def test_part_headings(heading, parts):
    assert classify(heading, 2024) == parts


def test_parts_of_a_plain_report_in_order():
    doc = load(REPORT)
    assert [p.part for p in doc.parts] == ["measures", "shortcomings", "leader_duties", "plan"]
    assert all(doc.text[p.start : p.start + len(p.heading or "")] == (p.heading or "") for p in doc.parts)


# --- the outline's enumeration regex, now starting with a character class, equals the old one

_CN = "一二三四五六七八九十"
_OLD_ENUM = re.compile(rf"(?:^|(?<=[。；;，,：:！？!?、）)”\s]))(?P<num>[{_CN}]{{1,3}})是(?![否非{_CN}])")


@settings(max_examples=1000, deadline=None)
@given(st.text("一二三十是否非统。；，：、）)”” \n（(12３.．①⑳我", max_size=30), st.integers(0, 4))
def test_enum_regex_equals_the_old_one(line, pos):
    assert [(m.span(), m.group("num")) for m in outline._ENUM.finditer(line, pos)] == [
        (m.span(), m.group("num")) for m in _OLD_ENUM.finditer(line, pos)
    ]


@settings(max_examples=1000, deadline=None)
@given(st.text("。；，：、）)（(12٣.．①⑳我 \n", max_size=30))
def test_inline_items_found_from_their_marks_equal_the_plain_scan(text):
    assert [m.span() for m in outline._inline_items(text)] == [m.span() for m in outline._INLINE_ITEM.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text("一二三十是否统。；，：、）)”（(12٣.．①②我第 ", max_size=25), min_size=1, max_size=6))
def test_headings_of_a_text_are_those_of_its_lines(lines):
    """One scan of the whole text hands each line the items a scan of that line alone finds."""
    from fazhi.parse.document import split_lines

    text = "\n".join(lines)
    spans = split_lines(text)[1]
    whole = [(h.start, h.end, h.token_start, h.token_end, h.style, h.value, h.text, h.token, h.fullwidth, h.inline)
             for h in outline.find_headings(text, spans)]
    alone = []
    for a, b in spans:
        for h in outline.find_headings(text[a:b], [(0, b - a)]):
            alone.append((h.start + a, h.end + a, h.token_start + a, h.token_end + a, h.style, h.value, h.text, h.token,
                          h.fullwidth, h.inline))
    assert whole == sorted(alone, key=lambda t: t[0])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.text("。！？!?；;”’）)》文a ", max_size=15), min_size=1, max_size=5))
def test_sentences_of_lines_equal_split_sentences(lines):
    from fazhi.parse.document import sentences_of_lines, split_lines, split_sentences

    text = "\n".join(lines)
    paragraphs = split_lines(text)[1]
    if len(paragraphs) == text.count("\n") + 1:
        assert sentences_of_lines(text) == split_sentences(text, paragraphs)
    if text.strip():
        doc = load(text)
        assert doc.sentences == split_sentences(doc.text, split_lines(doc.text)[1])
