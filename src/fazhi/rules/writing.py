"""Writing: accidental doublings of words and punctuation."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from fazhi import knowledge
from fazhi.model import Document
from fazhi.rules.registry import Context, Hit, rule

_HAN = "\u4e00-\u9fff"
_MULTI = re.compile(rf"([{_HAN}]{{2,4}})\1")
_PUNCT = "，。、；：！？,;"  # a run of one of these is a slip


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, list[tuple[str, str]]], frozenset[str], re.Pattern[str]]:
    """The single characters whose doubling is checked (with the contexts where it is
    legitimate), the allowed doubled words, and one pattern for a doubled checked character
    or punctuation mark (one scan of the text: a character class first lets the regex engine
    skip every other character fast)."""
    data = knowledge.load("reduplication")
    single = {}
    for ch, contexts in data["single"].items():
        single[ch] = [(c[: c.index("XX")], c[c.index("XX") + 2:]) for c in contexts]
    doubles = re.compile("([" + re.escape("".join(single) + _PUNCT) + "])\\1")
    return single, frozenset(data["words"]["allowed"]), doubles


def _allowed_word_at(text: str, start: int, end: int, allowed: frozenset[str]) -> bool:
    """True when [start, end) lies inside an occurrence of an allowed word."""
    for word in allowed:
        if len(word) < end - start:
            continue
        lo = max(0, end - len(word))
        hi = start
        for s in range(lo, hi + 1):
            if text.startswith(word, s):
                return True
    return False


def _aabb(text: str, i: int) -> bool:
    """Whether the pair at i is half of an AABB (认认真真) or ABB-style reduplication."""
    a = text[i]
    if i + 3 < len(text) and text[i + 2] == text[i + 3] and text[i + 2] != a:
        return True
    if i >= 2 and text[i - 2] == text[i - 1] and text[i - 1] != a:
        return True
    return False


@rule(
    code="W101",
    name="duplicated-word",
    severity="error",
    category="writing",
    summary="字词或标点误重复（如“的的”“进一步进一步”“，，”）",
    why=(
        "复制粘贴和输入法联想常把一个词打两遍。这类错误机器查得准、人眼易漏。"
        "合法的重叠（人人、件件有落实、一项一项、实实在在、宪法法律）不会被标记。"
    ),
    bad="我局进一步进一步规范执法行为，加强队伍的的建设，，提升执法水平。",
    good="我局做到件件有落实、人人守规矩，一项一项抓整改，实实在在维护宪法法律权威，以达到普法目的的活动常常开展。",
)
def duplicated_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    single, allowed, doubles = _lexicon()
    for m in _MULTI.finditer(text):
        unit = m.group(1)
        if unit[0] == "一" or len(set(unit)) == 1:
            continue  # 一项一项, 一步一步: deliberate; AAAA is handled per character
        if _allowed_word_at(text, m.start(), m.end(), allowed):
            continue
        yield Hit(m.start(), m.end(), f"“{unit}”重复了一遍", unit)
    pairs: list[tuple[str, int]] = []
    runs: list[tuple[int, int, str]] = []  # a punctuation mark repeated: the whole run
    for m in doubles.finditer(text):
        ch, pos = m.group(1), m.start()
        if ch in single:
            pairs.append((ch, pos))
        elif not runs or pos >= runs[-1][1]:
            end = m.end()
            while text[end:end + 1] == ch:
                end += 1
            runs.append((pos, end, ch))
    if len(pairs) > 1:
        order = {ch: i for i, ch in enumerate(single)}
        pairs.sort(key=lambda p: order[p[0]])  # stable: by character as listed, then by position
    for ch, pos in pairs:
        legit = _aabb(text, pos) or any(
            text[max(0, pos - len(left)):pos] == left and text[pos + 2:pos + 2 + len(right)] == right
            for left, right in single[ch]
        )
        if not legit and not _allowed_word_at(text, pos, pos + 2, allowed):
            yield Hit(pos, pos + 2, f"“{ch}”字重复", ch)
    for start, end, ch in runs:
        yield Hit(start, end, f"标点“{ch}”重复", ch)
