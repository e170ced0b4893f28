"""hanzi: Han counts and 4-gram integers, each checked against the straightforward way of
computing it, on tables and on random text (hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.hanzi import bmp_only, four_grams, gram_text, han_count, han_flags, han_windows, without_lane

_HAN = re.compile(r"[\u4e00-\u9fff]")

# Characters around the edges of the Han block and its neighbours in UTF-16: the first and last
# Han characters, Ext-A just below, compatibility ideographs above, ASCII digits, full-width
# punctuation, a character beyond U+FFFF (two surrogate units) and a lone surrogate.
EDGES = "一鿿丁法治政府依行形\u3400\u4dbf\uf900，。（）0129aZ \n\x00\U00020000\U0001f600\udc80"
# A few Han characters, so that random texts repeat 4-grams and differ in one character often.
FEW = "依法行形政府治制建设审查核"

text_of_edges = st.text(alphabet=EDGES, max_size=60)
bmp_text = st.text(alphabet=FEW + "，0129a\x00", max_size=80)


def _reference_count(text: str) -> int:
    return len(_HAN.findall(text))


@pytest.mark.parametrize(
    "text, n",
    [("", 0), ("abc", 0), ("依法行政", 4), ("一鿿", 2), ("\u3400\u4dbf\uf900", 0), ("2024年法治\U00020000政府", 5), ("\udc80法", 1)],
)
def test_han_count_table(text, n):
    assert han_count(text) == n


@given(text_of_edges)
def test_han_count_is_the_number_of_han_characters(text):
    assert han_count(text) == _reference_count(text)


@given(text_of_edges, st.integers(-5, 70), st.integers(-5, 70))
def test_han_flags_count_any_slice(text, a, b):
    flags = han_flags(text)
    if not bmp_only(text):
        assert flags is None
        return
    assert flags is not None and len(flags) == len(text)
    assert flags.count(1, a, b) == _reference_count(text[a:b])


@given(bmp_text)
def test_han_windows_marks_the_all_han_windows(text):
    expected = bytes(int(len(_HAN.findall(text[i:i + 4])) == 4) for i in range(len(text) - 3))
    assert han_windows(text) == expected


@given(bmp_text)
def test_four_grams_are_the_windows(text):
    grams = four_grams(text)
    assert [gram_text(g) for g in grams] == [text[i:i + 4] for i in range(len(text) - 3)]
    # equal integers exactly for equal 4-grams
    assert len(set(grams)) == len({text[i:i + 4] for i in range(len(text) - 3)})


@given(st.text(alphabet=FEW + "0", min_size=4, max_size=4), st.text(alphabet=FEW + "0", min_size=4, max_size=4),
       st.integers(0, 3))
def test_without_lane_ignores_exactly_one_character(a, b, k):
    ga, gb = four_grams(a)[0], four_grams(b)[0]
    same_elsewhere = a[:k] + a[k + 1:] == b[:k] + b[k + 1:]
    assert (ga & without_lane(k) == gb & without_lane(k)) == same_elsewhere


def test_characters_beyond_the_bmp_are_refused_where_offsets_would_shift():
    text = "依法\U00020000行政"
    assert not bmp_only(text) and han_flags(text) is None
    with pytest.raises(ValueError):
        four_grams(text)
    with pytest.raises(ValueError):
        han_windows(text)


@settings(max_examples=50)
@given(st.text(alphabet=EDGES, min_size=1000, max_size=3000))
def test_long_text(text):
    assert han_count(text) == _reference_count(text)
