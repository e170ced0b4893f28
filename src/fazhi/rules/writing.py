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
_PUNCT_DOUBLE = re.compile(r"([，。、；：！？,;])\1+")


@lru_cache(maxsize=1)
def _lexicon() -> tuple[dict[str, list[tuple[str, str]]], frozenset[str]]:
    data = knowledge.load("reduplication")
    single = {}
    for ch, contexts in data["single"].items():
        single[ch] = [(c[: c.index("XX")], c[c.index("XX") + 2:]) for c in contexts]
    return single, frozenset(data["words"]["allowed"])


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
    single, allowed = _lexicon()
    for m in _MULTI.finditer(text):
        unit = m.group(1)
        if unit[0] == "一" or len(set(unit)) == 1:
            continue  # 一项一项, 一步一步: deliberate; AAAA is handled per character
        if _allowed_word_at(text, m.start(), m.end(), allowed):
            continue
        yield Hit(m.start(), m.end(), f"“{unit}”重复了一遍", unit)
    for ch, contexts in single.items():
        pair = ch + ch
        pos = text.find(pair)
        while pos != -1:
            legit = _aabb(text, pos) or any(
                text[max(0, pos - len(left)):pos] == left and text[pos + 2:pos + 2 + len(right)] == right
                for left, right in contexts
            )
            if not legit and not _allowed_word_at(text, pos, pos + 2, allowed):
                yield Hit(pos, pos + 2, f"“{ch}”字重复", ch)
            pos = text.find(pair, pos + 2)
    for m in _PUNCT_DOUBLE.finditer(text):
        yield Hit(m.start(), m.end(), f"标点“{m.group(1)}”重复", m.group(1))
