"""The compiled kernel of fazhi.extract (src/fazhi/_native/_extract.c) gives exactly what the
pure-Python paths give: the same Quantity objects (value, unit, counts, …) and the same coverage
hits, on random text built from the characters and words the scans react to, on edge cases and on
the seeds and examples."""

from __future__ import annotations

import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.extract import coverage, quantities
from fazhi.knowledge.taxonomy import areas
from fazhi.api import load
from fazhi.ingest import EXTENSIONS

from ..conftest import EXAMPLES, SEEDS

needs_kernel = pytest.mark.skipif(
    quantities._c is None, reason="the _extract kernel is not built here (or FAZHI_PURE is set): nothing to compare"
)

# Pieces the quantity scan reacts to, mixed with random characters (Han, ASCII, astral).
_PIECES = [
    *"0123456789０１２３４５６７８９.．,，%％-~～—–－",
    *"零〇一二两三四五六七八九十百千万亿余多约近超逾大过左右第是每逐统唯之其的和与及在中对向为分部“”《》\n 。，、",
    "百分之", "超过", "大约", "左右", "个百分点", "万元", "亿元", "余人", "1,234", "2.5", "３．５",
    *quantities._UNITS, *quantities._VERB_WORDS[:20], *quantities._LEAD_WORDS, *quantities._TAIL_WORDS,
    "行政复议案件", "执法人员", "𠀀", "😀", "\U00020000件",
]
_random_char = st.characters(min_codepoint=0x20, max_codepoint=0x2FFFF, blacklist_categories=("Cs",))
texts = st.lists(st.one_of(st.sampled_from(_PIECES), _random_char), max_size=120).map("".join)


def _both(text: str) -> tuple[list, list]:
    return quantities.find_quantities(text), quantities._find_quantities(text)


@needs_kernel
@settings(max_examples=1500, deadline=None)
@given(texts)
def test_quantities_kernel_equals_pure_path(text: str) -> None:
    fast, pure = _both(text)
    assert fast == pure


@needs_kernel
@pytest.mark.parametrize(
    "text",
    [
        "", "件", "3", "3件", "约3件", "大约", "超过百分之", "百分之五十", "近百分之三十左右", "2.6万余元", "3万余份",
        "1,234,567人", "1,23件", "12.件", "３．５万元", "3至5次", "三到五次", "5-件", "一项一项", "每一项", "“两个维护”",
        "两万", "万", "十二次", "十件", "是十件", "受理十二件是", "1对1", "婚姻登记1291对", "三对照", "分为三部分",
        "电话12345678", "12345678件", "1234567.5", "１２３４５６７８", "第3次", "2024年", "〔2019〕28号",
        "办理行政复议案件12件", "共计累计达到12件", "全年累计开展各类培训12场次", "12个乡镇的执法人员",
        "一" * 400 + "件", "一二三" * 120 + "件", "〇" * 300 + "一件", "9" * 400 + "件", "九" * 309 + "件",
        "\U00020000" * 30 + "办理12件" + "😀" * 5, "12件\U00020000案件", "案" * 30 + "12件",
    ],
)
def test_quantities_kernel_edge_cases(text: str) -> None:
    assert quantities.find_quantities(text) == quantities._find_quantities(text)


@pytest.mark.parametrize("find", [quantities.find_quantities, quantities._find_quantities], ids=["kernel-or-pure", "pure"])
def test_a_number_beyond_a_float_is_no_figure_not_a_crash(find) -> None:
    """A run of Chinese digits longer than a float holds (hostile or garbled text) is skipped;
    it used to raise OverflowError and turn the whole report into an internal error."""
    for run in ("一" * 320, "九" * 309, "〇" * 5 + "一" * 400, "一二三" * 40_000):
        found = find(f"编号{run}件，办理案件12件。")
        assert [(q.value, q.unit) for q in found] == [(12.0, "件")], run[:5]


def _reports() -> list[Path]:
    out = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    return out + sorted(p for p in EXAMPLES.iterdir() if p.suffix in EXTENSIONS)


@contextmanager
def _pure_coverage():
    kept = coverage._c
    coverage._c = None
    try:
        yield
    finally:
        coverage._c = kept


@needs_kernel
@pytest.mark.parametrize("path", _reports(), ids=lambda p: p.name)
def test_kernel_equals_pure_path_on_reports(path: Path) -> None:
    doc = load(path)
    fast, pure = _both(doc.text)
    assert fast == pure and len(fast) > 0
    fast_cov = coverage.find_coverage(doc)
    with _pure_coverage():
        assert coverage.find_coverage(doc) == fast_cov
    assert any(fast_cov.values())


# Keywords, their first characters and the pieces of the areas' own patterns.
_AREA_PIECES = sorted({w for a in areas() for w in a.keywords} | {w[:2] for a in areas() for w in a.keywords}) + [
    "接受", "监督", "接受群众监督", "互联网", "互联网 +", "＋", " ", *"七八九五", "普法", "依法全面履行", "政府", "职能",
    "《", "》", "\n", "一村一法律顾问", "重大决策部署",
]
cov_texts = st.lists(st.one_of(st.sampled_from(_AREA_PIECES), _random_char), max_size=50).map("".join)


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(cov_texts, st.integers(0, 8))
def test_coverage_kernel_equals_the_area_regexes(text: str, start: int) -> None:
    titles = [m.span() for m in coverage._TITLE.finditer(text)]
    inside = {p for a, b in titles for p in range(a, b)}
    want = [[m.start() for m in a.pattern.finditer(text, start) if m.start() not in inside] for a in areas()]
    assert coverage._area_hits(text, start, titles) == want
    with _pure_coverage():
        assert coverage._area_hits(text, start, titles) == want


_small = st.text(alphabet="abd\U00010000c", min_size=1, max_size=3)


@needs_kernel
@settings(max_examples=800, deadline=None)
@given(st.lists(_small, min_size=1, max_size=6), st.lists(_small, max_size=4),
       st.text(alphabet="ab\U00010000cd\n", max_size=40), st.integers(-1, 3))
def test_keyword_hits_equal_a_regex_alternation(words: list[str], others: list[str], text: str, start: int) -> None:
    """Groups in any order (not only longest first), overlapping keywords, astral characters, and a
    group with a regex of its own after its keywords."""
    groups = (tuple(sorted(words, key=len, reverse=True)), tuple(words), tuple(others))
    pattern = re.compile("a.{0,3}c")
    table = coverage._c.keyword_table(groups)
    at = coverage._pattern_hits(pattern, text, max(start, 0))
    skip = [m.span() for m in re.finditer("d+", text)]  # hits there are left out, the scan goes on after them
    got = coverage._c.keyword_hits(text, start, table, (None, at, None), skip)
    regexes = [
        "|".join(map(re.escape, groups[0])),
        "|".join([*map(re.escape, groups[1]), pattern.pattern]),
        "|".join(map(re.escape, groups[2])) or "(?!)",
    ]
    inside = {p for a, b in skip for p in range(a, b)}
    want = [[m.start() for m in re.compile(r).finditer(text, max(start, 0)) if m.start() not in inside] for r in regexes]
    assert got == want


@needs_kernel
def test_keyword_kernel_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError):
        coverage._c.keyword_table((("a", ""),))
    with pytest.raises(TypeError):
        coverage._c.keyword_table(["a"])
    table = coverage._c.keyword_table((("a",),))
    with pytest.raises(ValueError):
        coverage._c.keyword_hits("abc", 0, table, (None, None), [])
    with pytest.raises(ValueError):
        coverage._c.keyword_hits("abc", 0, table, ([(2, 3), (1, 2)],), [])
    with pytest.raises(ValueError):
        coverage._c.keyword_hits("abc", 0, table, (None,), [(0, 2), (1, 3)])
    with pytest.raises(TypeError):
        coverage._c.keyword_hits("abc", 0, table, (None,), [(0, 2, 3)])
    assert coverage._c.keyword_hits("abcab", 0, table, (None,), None) == [[0, 3]]
    with pytest.raises(TypeError):
        quantities._c.quantities("3件", quantities._TABLES[:5])
