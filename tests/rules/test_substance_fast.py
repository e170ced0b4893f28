"""The fast paths of near-duplicate-phrase (Q101) and self-repetition (Q102) against the
straightforward code they replaced (kept here as the reference): the same hits and pairs on tables
and on random text (hypothesis), including the texts where the old code's limits act."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.extract.specificity import han_in
from fazhi.hanzi import han_count
from fazhi.model import Document
from fazhi.rules import substance as sub

# ------------------------------------------------------------------ references (the old code)

_FOUR_HAN = re.compile(r"(?=([\u4e00-\u9fff]{4}))")


def slips_reference(start: int, han: str, near, flagged: set[int]):
    """Q101's general check as it was: string 4-grams over the text with every character that is
    not Han made a gap."""
    grams = Counter(_FOUR_HAN.findall(han))
    without: tuple[dict[str, list[str]], dict[str, list[str]]] = ({}, {})
    for g, n in grams.items():
        if n > 1:
            without[0].setdefault(g[0] + g[2:], []).append(g)
            without[1].setdefault(g[:2] + g[3], []).append(g)
    if not without[0]:
        return
    candidates = sorted(
        han.find(g) for g, n in grams.items() if n == 1 and (g[0] + g[2:] in without[0] or g[:2] + g[3] in without[1])
    )
    for i in candidates:
        g = han[i:i + 4]
        for k in (1, 2):
            pos = start + i + k
            if pos in flagged:
                continue
            best = max(without[k - 1].get(g[:k] + g[k + 1:], ()), key=grams.__getitem__, default=None)
            if best is None:
                continue
            rare, common = g[k], best[k]
            if rare in sub._FUNCTION or common in sub._FUNCTION or sub._alternate(rare, common, near):
                continue
            if sub._recurs(han, g[k - 1:k + 1]) or sub._recurs(han, g[k:k + 2]):
                continue
            if sub._in_word(han, i + k, near):
                continue
            flagged.add(pos)
            yield (start + i, start + i + 4, g, best, grams[best])


def repeated_reference(norms: list[str]) -> list[tuple[int, int, float]]:
    """Q102's pairs as they were: sets of string 4-grams."""
    grams = [{n[i:i + 4] for i in range(len(n) - 4 + 1)} for n in norms]
    seen: set[str] = set()
    linking: set[str] = set()
    for g4 in grams:
        linking |= g4 & seen
        seen |= g4
    index: dict[str, list[int]] = defaultdict(list)
    pairs: list[tuple[int, int, float]] = []
    shortest = max(map(len, norms), default=0)
    for j, n in enumerate(norms):
        mine = grams[j] & linking
        if mine and len(n) >= 20 and len(mine) >= 0.4 * (min(len(n), shortest) - 4 + 1):
            earlier: list[int] = []
            for g in mine:
                posting = index.get(g, ())
                if len(posting) <= 50:
                    earlier += posting
            shared = Counter(earlier)
            best = (0.0, -1)
            for i, k in shared.items():
                if k < 0.4 * (min(len(n), len(norms[i])) - 4 + 1):
                    continue
                r = sub._similar(norms[i], n)
                if r > best[0] or (r == best[0] and i < best[1]):
                    best = (r, i)
            if best[0] >= 0.8:
                pairs.append((best[1], j, best[0]))
        for g in mine:
            index[g].append(j)
        if mine:
            shortest = min(shortest, len(n))
    return pairs


# ------------------------------------------------------------------ Q101

# Texts of a few Han characters (so that 4-grams repeat and differ in one character often), now
# and then a function character, two of a group of alternations and characters that are not Han
# (so that the text breaks into runs).
CHARS = list("依法行形政治") * 5 + list("的县市，0\x00")
texts = st.lists(st.sampled_from(CHARS), min_size=20, max_size=400).map("".join)


def _fast(text: str, start: int = 0):
    near = sub._near()
    hits = sub._one_character_slips(start, text, near, set())
    return [(h.start, h.end, h.message, h.suggestion) for h in hits]


def _slow(text: str, start: int = 0):
    han = re.sub(r"[^\u4e00-\u9fff]", "\x00", text)
    return list(slips_reference(start, han, sub._near(), set()))


def _same(text: str, start: int = 0) -> None:
    fast = _fast(text, start)
    slow = _slow(text, start)
    assert [(a, b) for a, b, *_ in fast] == [(a, b) for a, b, *_ in slow]
    for (a, b, msg, suggestion), (_, _, g, best, n) in zip(fast, slow):
        assert suggestion == best and f"“{g}”只出现一次，而本报告中“{best}”出现{n}次" in msg


def test_slips_table():
    # said twice / once, with punctuation, digits and a gap in between
    _same("依法行政，依法行政。依法形政0a法治政府法治政府法制政府")
    _same("")
    _same("依法行")
    _same("依法行政依法行政依法行政县政府审查审核", start=17)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 40))
def test_slips_equal_the_reference(text, start):
    _same(text, start)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(0, 40))
def test_slips_equal_the_reference_without_the_last_filters(text, start):
    # Random text seldom survives the word and recurrence filters (the same code on both sides):
    # with them off, about half the texts have hits, and the candidates, their order, the common
    # spelling chosen and its count are compared.
    with patch.object(sub, "_in_word", lambda *a: False), patch.object(sub, "_recurs", lambda *a: False):
        _same(text, start)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["依法行政", "依法形政", "法治政府", "法制政府", "审查", "审核", "县", "，", "0"]), max_size=80))
def test_slips_equal_the_reference_on_phrases(words):
    _same("".join(words))


# ------------------------------------------------------------------ Q102


def test_repeated_table():
    s1 = "全年审查规范性文件12件重大行政决策事项5件"
    s2 = "组织执法人员培训3期新增持证人员62人评查案卷"
    for norms in ([], [s1], [s1, s1], [s1, s2, s1 + "等", s2], ["", "依法", s1, s1[:-1] + "6"]):
        assert sub._repeated(norms) == repeated_reference(norms)


def test_repeated_where_the_posting_limit_acts(monkeypatch):
    # sixty sentences sharing 依法行政: after fifty, that 4-gram no longer suggests candidates
    norms = [f"依法行政审查制度{i:03d}建设政府治理{i % 7}核查{i % 3}" for i in range(60)]
    norms += ["依法行政审查制度059建设政府治理3核查2", "依法行政审查制度001建设政府治理1核查1"]
    ref = repeated_reference(norms)
    assert ref and sub._repeated(norms) == ref
    monkeypatch.setattr(sub, "_COMMON_GRAM", 1000)
    assert sub._repeated(norms) != ref  # the limit does act on this text


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="依法行政府治建设审查核0129", max_size=40), max_size=40))
def test_repeated_equal_the_reference(norms):
    assert sub._repeated(norms) == repeated_reference(norms)


BASES = ["依法行政审查制度建设政府治理核查法治", "全年审查规范性文件12件重大行政决策事项5件", "政府治理核查法治依法行政审查制度建设"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(BASES), st.integers(0, 30), st.integers(0, 6), st.text(alphabet="依法行政府治审查核0129", max_size=6)),
                max_size=60))
def test_repeated_equal_the_reference_on_edited_copies(edits):
    # sentences that are copies of a few with a few characters cut out and others put in
    norms = [base[:at] + put + base[at + cut:] for base, at, cut, put in edits]
    assert sub._repeated(norms) == repeated_reference(norms)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["依法行政审查制度建设", "政府治理核查", "依法行政审核制度建设", "12", "法治政府"]), max_size=8)
       .map("".join))
def test_repeated_equal_the_reference_on_phrases(first):
    norms = [first, first + "建设", first[::-1], "依法行政审查制度建设政府治理核查" * 2, first]
    assert sub._repeated(norms) == repeated_reference(norms)


# ------------------------------------------------------------------ han_in


@given(st.text(alphabet="依法行政，0a\x00\U00020000", max_size=120), st.integers(-3, 130), st.integers(-3, 130))
def test_han_in_is_han_count_of_the_slice(text, a, b):
    doc = Document(text=text, format="txt")
    assert han_in(doc, a, b) == han_count(text[a:b])
    assert han_in(doc, b, a) == han_count(text[b:a])  # from the kept flags the second time


def test_sentences_in_alike_with_and_without_flags():
    # the same sentences whether the Han characters are counted in the flags (all characters in
    # the BMP) or one by one (a character beyond it)
    from fazhi.api import load
    from fazhi.extract import specificity as sp
    from fazhi.extract.items import units

    from .test_substance import build

    for extra in ("", "\U0001f600"):
        doc = load(build().replace("现将有关情况", extra + "现将有关情况"))
        assert extra in doc.text
        spans = [(min(p.start for p in doc.parts), max(p.end for p in doc.parts))]
        ends = sp._heading_ends(doc)
        expected = [(s, e) for a, b in spans for s, e in units(doc, a, b)
                    if han_count(doc.text[s:e]) >= 20 and not sp._heading_unit(doc, s, e, ends)]
        assert expected and sp.sentences_in(doc, spans, 20) == expected
        assert (doc.memo["han_flags"] is None) == bool(extra)
