"""The compiled kernel of near-duplicate-phrase (Q101) and self-repetition (Q102),
src/fazhi/_native/_substance.c, against the pure-Python paths it replaces: the same candidates on
random text (hypothesis: empty text, text that is not Han, punctuation, digits of every script,
white space, numbering tokens, characters beyond U+FFFF, long runs) and the same findings on the
seeds, the examples and the rules' own examples."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.api import load
from fazhi.hanzi import bmp_only
from fazhi.rules import get_rule
from fazhi.rules import substance as sub
from fazhi.rules.registry import Context

from ..conftest import EXAMPLES
from .helpers import findings
from .test_substance import build

pytestmark = pytest.mark.skipif(sub._c is None, reason="the _substance kernel is not built here (or FAZHI_PURE is set): only the pure path runs")

# ------------------------------------------------------------------ Q101: slips


def _pure_slips(text: str):
    # the rule's own preparation (_han_text): a text with a character beyond U+FFFF has every
    # character that is not Han made a gap, so that four_grams can read it
    return sub._slip_candidates(text if bmp_only(text) else sub._NOT_HAN.sub(sub._GAP, text))


FEW = list("依法行形政治") * 5 + list("的县市，0０٣ \n\x00") + ["\U00020000", "\U0001f600", "\uffff", "\u4dff", "\ua000"]
few_texts = st.lists(st.sampled_from(FEW), max_size=400).map("".join)
PHRASES = ["依法行政", "依法形政", "依法刑政", "法治政府", "法制政府", "审查", "审核", "县", "，", "0", "\U00020000", "一是"]


@settings(max_examples=300, deadline=None)
@given(st.one_of(few_texts, st.text(max_size=200), st.lists(st.sampled_from(PHRASES), max_size=80).map("".join)))
def test_slips_equal_the_pure_path(text):
    assert sub._c.slips(text) == _pure_slips(text)


@pytest.mark.parametrize("text", [
    "", "依法", "依法行政", "依法行政依法行政依法形政",
    "依法行政" * 2000 + "依法形政" + "法治政府" * 3000 + "法制政府",  # long runs
    "\U00020000依法行政，依法行政。依法形政\U0001f600法治政府法治政府法制政府",
    "依法形政依法行政依法行政依法形政依法刑政",  # a tie between two common 4-grams: the first said wins
])
def test_slips_table(text):
    assert sub._c.slips(text) == _pure_slips(text)


def test_slips_finds_a_slip():
    # and the kernel is not merely equal to a pure path that finds nothing
    assert sub._c.slips("依法行政，依法行政。依法形政") == [(10, None, 0, "依法行政", 2)]
    assert sub._c.slips("依法形政依法行政依法行政依法形政依法刑政")[-1] == (16, None, 0, "依法形政", 2)


# ------------------------------------------------------------------ Q102: repeats

# numbering tokens (removed) and near misses (kept), with digits of other scripts beside the kept
# digits and numerals: only those show whether the token was taken off
NUMBERING = ["（一）", "(12)", "（３一）", "(1٣)", "(1234)", "一、", "十一是", "一二三四、", "1.", "12、", "١2．", "٣1.", "123.",
             "第三，", "第、", "二", "（", ""]
BODY = "依法行政审查制度建设12"
sentence = st.tuples(st.sampled_from(["", " ", "\u3000", "\n "]), st.sampled_from(NUMBERING),
                     st.text(alphabet=BODY + "，。 0\U00020000a", max_size=30)).map("".join)


@st.composite
def sentences(draw):
    """A text and the spans of its sentences: numbered sentences of a few characters, so that
    they share 4-grams often, some copied word for word."""
    parts = draw(st.lists(sentence, max_size=30))
    if parts and draw(st.booleans()):
        parts += draw(st.lists(st.sampled_from(parts), max_size=10))
    spans, at = [], 0
    for p in parts:
        spans.append((at, at + len(p)))
        at += len(p)
    return "".join(parts), spans


def _pure_repeats(text, spans, min_len, shared, common):
    with patch.object(sub, "_MIN_REPEAT_HAN", min_len), patch.object(sub, "_SHARED", shared), \
            patch.object(sub, "_COMMON_GRAM", common):
        return list(sub._compared([sub._norm(text[a:b]) for a, b in spans]))


def _same_repeats(text, spans, min_len=sub._MIN_REPEAT_HAN, shared=sub._SHARED, common=sub._COMMON_GRAM):
    fast = [(j, sorted(i)) for j, i in sub._c.repeats(text, spans, min_len, shared, common)]
    assert fast == [(j, sorted(i)) for j, i in _pure_repeats(text, spans, min_len, shared, common)]
    return fast


@settings(max_examples=300, deadline=None)
@given(sentences(), st.integers(0, 25), st.sampled_from([0.0, 0.4, 0.75, 1.0]), st.integers(0, 4))
def test_repeats_equal_the_pure_path(text_spans, min_len, shared, common):
    _same_repeats(*text_spans, min_len, shared, common)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.lists(st.integers(0, 300), max_size=40))
def test_repeats_equal_the_pure_path_on_any_text(text, cuts):
    # any characters, any cut points (overlapping and empty spans too)
    cuts = [min(c, len(text)) for c in cuts]
    spans = [(min(a, b), max(a, b)) for a, b in zip(cuts, cuts[1:])]
    _same_repeats(text, spans, 0, 0.4, 50)


TOKEN_CHARS = "（()）一二三十是第，、.．12٣３ \u3000"


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.sampled_from(NUMBERING), st.text(alphabet=TOKEN_CHARS, max_size=7)), st.sampled_from(["法治政", "依法行政", "12"]))
def test_repeats_take_the_numbering_off_as_the_pure_path(token, rest):
    # A = token + rest, B = what the normalization keeps of A when nothing is taken off: the two
    # share a 4-gram exactly when the token is not taken off (or rest is long), so a token the
    # kernel takes off differently changes the candidates
    kept = "".join(c for c in token + rest if "\u4e00" <= c <= "\u9fff" or c in "0123456789")
    for parts in ([token + rest, kept], [kept, token + rest]):
        text = "".join(parts)
        _same_repeats(text, [(0, len(parts[0])), (len(parts[0]), len(text))], 0, 0.4, 50)


def test_repeats_table():
    s1 = "（一）全年审查规范性文件12件重大行政决策事项5件。"
    s2 = "1.组织执法人员培训3期新增持证人员62人评查案卷。"
    text = s1 + s2 + s1 + "二是" + s2[2:]
    spans = [(0, len(s1)), (len(s1), len(s1 + s2)), (len(s1 + s2), len(s1 + s2 + s1)), (len(s1 + s2 + s1), len(text))]
    assert _same_repeats(text, spans) == [(2, [0]), (3, [1])]
    assert _same_repeats("", []) == []
    # sixty sentences sharing 依法行政: the posting limit acts after fifty
    one = [f"依法行政审查制度{i:03d}建设政府治理{i % 7}核查{i % 3}。" for i in range(62)]
    many, spans = "".join(one), [(k * len(one[0]), (k + 1) * len(one[0])) for k in range(62)]
    assert _same_repeats(many, spans, common=50) != _same_repeats(many, spans, common=1000)


def test_repeats_on_a_long_text():
    # two thousand sentences from a few phrases: long postings, many candidates, the limit acting
    words = ["依法行政", "审查制度", "建设政府", "治理核查", "法治", "12件", "，", "（一）", "\U00020000"]
    parts = ["".join(words[(i * 7 + k * k) % len(words)] for k in range(i % 9 + 3)) + "。" for i in range(2000)]
    text, spans, at = "".join(parts), [], 0
    for p in parts:
        spans.append((at, at + len(p)))
        at += len(p)
    assert _same_repeats(text, spans, 8)


def test_repeats_rejects_bad_arguments():
    with pytest.raises(TypeError):
        sub._c.slips(b"\xe4")
    with pytest.raises(ValueError):
        sub._c.repeats("依法行政", [(0, 9)], 20, 0.4, 50)
    with pytest.raises(ValueError):
        sub._c.repeats("依法行政", [(3, 1)], 20, 0.4, 50)
    with pytest.raises(TypeError):
        sub._c.repeats("依法行政", [[0, 4]], 20, 0.4, 50)
    with pytest.raises(TypeError):
        sub._c.repeats("依法行政", ((0, 4),), 20, 0.4, 50)


# ------------------------------------------------------------------ the findings


def _hits(name: str, doc) -> list[tuple]:
    from fazhi.config import Config
    from fazhi.extract import extract

    doc.memo.clear()
    return [(h.start, h.end, h.message, h.suggestion) for h in get_rule(name).run(doc, Context(Config(), extract(doc)))]


def _same_findings(doc) -> int:
    found = 0
    for name in ("near-duplicate-phrase", "self-repetition"):
        fast = _hits(name, doc)
        with patch.object(sub, "_c", None):
            assert _hits(name, doc) == fast, name
        found += len(fast)
    return found


def test_same_findings_on_the_examples_and_the_rules_examples():
    found = 0
    for text in (get_rule("near-duplicate-phrase").bad, get_rule("self-repetition").bad, build(),
                 *(p.read_text(encoding="utf-8") for p in sorted(Path(EXAMPLES).glob("*.txt")) if "gbk" not in p.name)):
        found += _same_findings(load(text))
    assert found >= 2  # the two bad examples at least: the comparison is not between empty lists


def test_same_findings_on_the_seeds(seeds_dir):
    for p in sorted(seeds_dir.glob("*.txt")):
        _same_findings(load(p))


def test_rule_examples_fail_and_pass_with_the_kernel():
    for rule in map(get_rule, ("near-duplicate-phrase", "self-repetition")):
        assert findings(rule.name, rule.bad) and not findings(rule.name, rule.good)
