"""The rules' fast paths (one scan instead of one per sentence, a cheap test before a regex)
give exactly what the straightforward code gives: random texts built from the fragments the
rules look for, compared with the plain per-sentence or per-pattern version written here."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from fazhi.api import load
from fazhi.rules import figures

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
