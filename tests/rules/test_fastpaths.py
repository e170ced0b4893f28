"""The rules' fast paths (one scan instead of one per sentence, a cheap test before a regex)
give exactly what the straightforward code gives: random texts built from the fragments the
rules look for, compared with the plain per-sentence or per-pattern version written here."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fazhi.api import load
from fazhi.knowledge.catalog import catalog, normalize_title
from fazhi.knowledge.formulations import find_misuses, misuses_in
from fazhi.model import Document
from fazhi.config import Config
from fazhi.rules import citations, figures, numbering, punctuation, structure, writing
from fazhi.rules.spans import sentences_from
from fazhi.rules.registry import Context

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def texts(*fragments: str, max_size: int = 40) -> st.SearchStrategy[str]:
    """Texts made of the given fragments, Han filler and sentence ends (never empty)."""
    alphabet = st.sampled_from(list(fragments) + ["。", "，", "\n", "；", "件", "12", "办理", "我局", "！"])
    return st.lists(alphabet, min_size=1, max_size=max_size).map("".join).filter(lambda t: t.strip())


# ---------------------------------------------------------------- figures


@FAST
@given(texts("其中", "其", "中", "其中其中", "。其中"))
def test_qizhong_is_every_occurrence_per_sentence(text):
    doc = load(text)
    want = {}
    for i, (a, b) in enumerate(doc.sentences):
        p = doc.text.find("其中", a, b)
        while p >= 0:
            want.setdefault(i, []).append(p)
            p = doc.text.find("其中", p + 2, b)
    assert figures._qizhong(doc) == want


@FAST
@given(texts("其中", "其", "中", "。其中", "其中。"))
def test_across_pivots_match_the_per_sentence_loop(text):
    doc = load(text)
    t = doc.text
    want = []
    for i, (a, b) in enumerate(doc.sentences):
        p = t.find("其中", a, b)
        nxt = doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None
        if p < 0 and nxt and t.startswith("其中", nxt[0]):
            p = nxt[0]
        if p >= 0:
            want.append((i, p))
    assert figures._across_pivots(doc) == want


@FAST
@given(texts("合计", "共计", "总计", "累计", "总数为", "共", "计", "为", "\n"), st.integers(0, 60))
def test_after_total_word_equals_the_regex(text, pos):
    pos = min(pos, len(text))
    assert figures._after_total_word(text, pos) == bool(figures._TOTAL_WORD.search(text[max(0, pos - 4):pos]))


# ---------------------------------------------------------------- citations


@FAST
@given(texts("五", "七五", "“七五”", "\"八五\"", "普法", "法治宣传教育", "五五", "十五", "“", "”", "\"", "七", "八"))
def test_pufa_mentions_equal_the_pattern(text):
    want = [(m.start(), m.end(), m.group(1)) for m in citations._PUFA.finditer(text)]
    assert list(citations._pufa_mentions(text)) == want


def _clause_plain(text, start, end):
    a = start
    while a > 0 and text[a - 1] not in "。；！？\n" and start - a < 120:
        a -= 1
    b = end
    while b < len(text) and text[b] not in "。；！？\n" and b - end < 120:
        b += 1
    return a, b


@FAST
@given(st.lists(st.one_of(st.sampled_from(["。", "；", "！", "？", "\n"]),
                          st.builds(str.__mul__, st.sampled_from("法治学，"), st.integers(1, 150))),
                max_size=6).map("".join), st.integers(0, 400), st.integers(0, 40))
def test_clause_around_a_span_equals_the_character_walk(text, start, length):
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert citations._sentence(Document(text=text, format="txt"), start, end) == _clause_plain(text, start, end)


@pytest.mark.parametrize("text,start,end", [
    ("。" + "法" * 130 + "。", 121, 122), ("。" + "法" * 130 + "。", 120, 121), ("。" + "法" * 130 + "。", 1, 2),
    ("。" + "法" * 130 + "。", 5, 9), ("法" * 300, 150, 150), ("", 0, 0), ("法。", 2, 2),
])
def test_clause_around_a_span_at_the_limits(text, start, end):
    assert citations._sentence(Document(text=text, format="txt"), start, end) == _clause_plain(text, start, end)


def _closest_title_plain(title, cat):
    """closest_title without the bounds that skip the distance table."""
    t = normalize_title(title)
    best = []
    for name, e in cat.names().items():
        if e.kind == "plan" or not citations._LAWLIKE.search(name) or citations._ending(name) != citations._ending(t):
            continue
        limit = max(3, len(name) // 5)
        d = citations._distance(t, name, limit)
        if d <= limit and citations._close_enough(t, name, d):
            best.append((d, e))
    if not best:
        return None
    dmin = min(d for d, _ in best)
    winners = {e.id: e for d, e in best if d == dmin}
    return (next(iter(winners.values())), dmin) if len(winners) == 1 else None


_LAW_TITLES = sorted(n for n, e in catalog().names().items() if e.kind != "plan" and citations._LAWLIKE.search(n))


@FAST
@given(st.sampled_from(_LAW_TITLES), st.lists(st.tuples(st.sampled_from("dis"), st.integers(0, 30), st.sampled_from("法治行政条例规定办法人民管理")), max_size=4))
def test_closest_title_equals_the_plain_search(name, edits):
    title = name
    for op, at, ch in edits:  # delete, insert or substitute a few characters
        if not title:
            break
        at %= len(title) + (op == "i")
        title = title[:at] + ("" if op == "d" else ch) + title[at + (op != "i"):]
    assert citations.closest_title(title) == _closest_title_plain(title, catalog())


@FAST
@given(st.text(st.sampled_from("“”‘’\"'「」、，, \u3000\t\n法治a"), max_size=40))
def test_text_without_ignored_characters_equals_compact(text):
    from fazhi.knowledge.formulations import _without_ignored, compact

    assert _without_ignored(text) == compact(text)[0]


def test_misuses_are_found_once_per_document():
    doc = load("我局推进严格规范文明公正执法，树立“四个意识”，落实谁普法谁执法。\n推进严格规范公正文明执法。")
    found = misuses_in(doc)
    assert [(m.start, m.end, m.text) for m in found] == [(m.start, m.end, m.text) for m in find_misuses(doc.text)]
    assert len(found) == 2
    assert misuses_in(doc) is found  # the second rule to ask reads the first one's


# ---------------------------------------------------------------- writing


def _duplicated_word_plain(text):
    """duplicated-word's hits with one text.find loop per checked character and a separate
    punctuation scan, as (start, end, message, suggestion)."""
    single, allowed, _ = writing._lexicon()
    out = []
    for m in writing._MULTI.finditer(text):
        unit = m.group(1)
        if unit[0] != "一" and len(set(unit)) > 1 and not writing._allowed_word_at(text, m.start(), m.end(), allowed):
            out.append((m.start(), m.end(), f"“{unit}”重复了一遍", unit))
    for ch, contexts in single.items():
        pos = text.find(ch + ch)
        while pos != -1:
            legit = writing._aabb(text, pos) or any(
                text[max(0, pos - len(left)):pos] == left and text[pos + 2:pos + 2 + len(right)] == right
                for left, right in contexts
            )
            if not legit and not writing._allowed_word_at(text, pos, pos + 2, allowed):
                out.append((pos, pos + 2, f"“{ch}”字重复", ch))
            pos = text.find(ch + ch, pos + 2)
    for m in re.finditer(r"([，。、；：！？,;])\1+", text):
        out.append((m.start(), m.end(), f"标点“{m.group(1)}”重复", m.group(1)))
    return out


@FAST
@given(texts("的", "了", "是", "在", "和", "与", "对", "的的", "了了", "是是", "在在", "目的的", "，", "，，", "。。",
             ";", "、", "人人", "进一步", "认真", "宪法法律", "一项", max_size=30))
def test_duplicated_word_equals_the_plain_loops(text):
    doc = load(text)
    got = [(h.start, h.end, h.message, h.suggestion) for h in writing.duplicated_word(doc, Context(Config()))]
    assert got == _duplicated_word_plain(doc.text)


@FAST
@given(st.one_of(
    st.lists(st.sampled_from(["的", "的的", "了了", "，，", "，", "。。。", ";;", "依法", "行政", "依法行政", "进一步", "法治", "人人",
                              "一", "\U00020000", "𠀀依法", "\ud800", "a", "\n", "丂", "䶮", "乀", "仕", "上", "L", "法仕"]),
             max_size=30).map("".join),
    st.text(st.sampled_from("的了，依法行政进一步人人一丂乀a仕上L\n"), max_size=40),  # low bytes shared by other characters
))
def test_doubles_equal_the_plain_scans(text):
    _, _, doubles = writing._lexicon()
    multi, pairs = writing._doubles(text, doubles)
    for got, want in ((multi, writing._MULTI.finditer(text)), (pairs, doubles.finditer(text))):
        assert [(m.start(), m.end(), m.group(0)) for m in got] == [(m.start(), m.end(), m.group(0)) for m in want]


# ---------------------------------------------------------------- structure


@FAST
@given(texts("原因", "一、", "不足", max_size=30), st.integers(-5, 200), st.integers(-5, 200))
def test_sentences_from_equal_the_filter(text, lo, hi):
    doc = load(text)
    assert sentences_from(doc, lo, hi) == [(a, b) for a, b in doc.sentences if lo <= a < hi]


def test_causal_patterns_start_with_a_character():
    """Each cue opens with a literal character, so that the joined pattern starts with a class
    of first characters the regex engine skips to (a cue opening with a group or class makes it
    try every cue at every character)."""
    for p in structure._CAUSE_DATA["causal"]["patterns"]:
        assert "\u4e00" <= p[0] <= "\u9fff" and p[1:2] not in ("?", "*", "{", "|"), p


# ---------------------------------------------------------------- punctuation


@FAST
@given(texts("“", "”", "（一）", "(1)", "《", "》", "1.5", "...", ",", ":", "\"", "’", "It’s", "\n\n", " ", "【", "〕", max_size=30))
def test_marks_by_paragraph_equal_a_search_per_paragraph(text):
    doc = load(text)
    for chars in (punctuation._ASCII_PUNCT_CHARS, "".join(punctuation.PAIRS) + "".join(punctuation.CLOSERS)):
        cls = re.compile("[" + re.escape(chars) + "]")
        want = [(a, b, [m.start() for m in cls.finditer(doc.text, a, b)]) for a, b in doc.paragraphs]
        got = punctuation._by_paragraph(doc, punctuation._offsets(doc.text, chars))
        assert got == [w for w in want if w[2]]


_OFFSETS = punctuation._offsets


@FAST
@given(texts("，", ",", "(", ")", "（二）", ":", "...", ".", "\"", "。", "法治", "1,500", "www.a.cn", max_size=30))
def test_halfwidth_on_a_web_copy_passes_over_the_normalised_marks_unread(text):
    """On a copy whose ，：；（）！？ a website turned ASCII, the rule reads only . and ": the
    same findings as reading every ASCII mark and passing over those."""
    doc = load(text)
    doc.metadata.web_punctuation = 5

    def findings_with(offsets):
        punctuation._offsets = offsets
        try:
            return [(h.start, h.end, h.message) for h in punctuation.halfwidth_punctuation(doc, Context(Config()))]
        finally:
            punctuation._offsets = _OFFSETS

    assert findings_with(_OFFSETS) == findings_with(lambda t, _: _OFFSETS(t, punctuation._ASCII_PUNCT_CHARS))


# ---------------------------------------------------------------- numbering


def _numbering_sequence_plain(doc):
    """numbering-sequence as first written: every deeper list closed at each heading, lines by line_col."""
    from fazhi.parse.outline import RANKS

    render = numbering.render_token
    out, last = [], {}
    for h in doc.headings:
        rank = RANKS[h.style]
        for style in [s for s in last if RANKS[s] > rank]:
            del last[style]
        if h.inline and h.style in last:
            same_paragraph = doc.line_col(last[h.style].start)[0] == doc.line_col(h.start)[0]
            opens_paragraph = doc.text[h.token_start - 1:h.token_start] in ("", "\n")
            if (not same_paragraph and not opens_paragraph) or (h.value == 1 and numbering._new_enum_list(doc, h)):
                del last[h.style]
        prev = last.get(h.style)
        last[h.style] = h
        if prev is None:
            if h.value > 1:
                out.append((h.token_start, h.token_end, f"序号从“{h.token}”开始，缺少“{render(h, 1)}”", render(h, 1)))
            continue
        expected = prev.value + 1
        if h.value == expected:
            continue
        if h.value == prev.value:
            out.append((h.token_start, h.token_end, f"序号重复：“{prev.token}”之后又是“{h.token}”", render(h, expected)))
        elif h.value == 1:
            if h.style in numbering._STRICT_RESTART or h.inline:
                out.append((h.token_start, h.token_end, f"序号在“{prev.token}”之后重新从“{h.token}”开始", render(h, expected)))
        elif h.value > expected:
            missing = "、".join(f"“{render(h, v)}”" for v in range(expected, min(h.value, expected + 3)))
            out.append((h.token_start, h.token_end, f"序号不连续：“{prev.token}”之后是“{h.token}”，缺少{missing}", render(h, expected)))
        else:
            out.append((h.token_start, h.token_end, f"序号倒退：“{prev.token}”之后是“{h.token}”", render(h, expected)))
    return out


@FAST
@given(st.lists(st.sampled_from(["一、总体", "二、举措", "三、安排", "（一）学习", "（二）执法", "（三）监督", "1.培训", "2.考核",
                                 "（1）宣传", "（2）普法", "一是抓学习，", "二是抓执法，", "三是抓监督。", "开展工作。", "\n"]),
                min_size=1, max_size=25).map(lambda parts: "\n".join(parts)).filter(str.strip))
def test_numbering_sequence_equals_the_plain_loop(text):
    doc = load(text)
    got = [(h.start, h.end, h.message, h.suggestion) for h in numbering.numbering_sequence(doc, Context(Config()))]
    assert got == _numbering_sequence_plain(doc)


@FAST
@given(st.lists(st.sampled_from(["（1）宣传", "(2)普法", "（3）考核", "1.培训", "2．考核", "3、监督", "①一", "一是抓", "\n"]),
                min_size=1, max_size=12).map(lambda parts: "\n".join(parts)).filter(str.strip))
def test_mixed_numbering_shortcut_agrees_with_the_tallies(text):
    doc = load(text)
    heads = [h for h in doc.headings if h.style not in ("enum", "circled")]
    mixed = any(len({numbering._NUM.sub("#", h.token) for h in heads if h.style == s}) > 1 for s in {h.style for h in heads})
    assert bool(list(numbering.mixed_numbering(doc, Context(Config())))) == mixed
