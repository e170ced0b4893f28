"""Writing: accidental doublings of words and punctuation."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

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


def _low_bytes(text: str) -> int | None:
    """The low bytes of the text's UTF-16 code units, one per character, as one integer (byte i
    is character i's); None when a character lies beyond U+FFFF (two units: offsets would shift)."""
    units = text.encode("utf-16-le", "surrogatepass")
    if len(units) != 2 * len(text):
        return None
    return int.from_bytes(units[0::2], "little")


def _repeats(low: int, n: int, k: int, width: int) -> list[int]:
    """Every offset i where the `width` characters from i have the low bytes of the ones k
    characters further on: where text[i:i + width] == text[i + k:i + k + width] can hold. One XOR
    of the text with itself shifted by k characters, done on it as an integer, in C."""
    if n - k < width:
        return []
    diff = (low ^ (low >> (8 * k))).to_bytes(n, "little")
    zeros = b"\0" * width
    out = []
    i = diff.find(zeros, 0, n - k)
    while i != -1:
        out.append(i)
        i = diff.find(zeros, i + 1, n - k)
    return out


def _finditer_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """pattern.finditer(text) for a pattern that never matches empty, given (sorted) every offset
    where one of its matches can start: a match tried only there."""
    end = 0
    for i in starts:
        if i >= end:
            m = pattern.match(text, i)
            if m:
                yield m
                end = m.end()


def _doubles(text: str, doubles: re.Pattern[str]) -> tuple[Iterable[re.Match[str]], Iterable[re.Match[str]]]:
    """The matches of _MULTI (a unit of 2-4 Han characters written twice) and of `doubles` (one
    character twice): both need a character equal to the one k further on (k = 2-4 with the next
    one too, k = 1), which the low bytes rule out at almost every offset before any regex runs."""
    low = _low_bytes(text)
    if low is None:
        return _MULTI.finditer(text), doubles.finditer(text)
    n = len(text)
    multi = sorted(set(_repeats(low, n, 2, 2) + _repeats(low, n, 3, 2) + _repeats(low, n, 4, 2)))
    return _finditer_at(_MULTI, text, multi), _finditer_at(doubles, text, _repeats(low, n, 1, 1))


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
    multi, pairs_found = _doubles(text, doubles)
    for m in multi:
        unit = m.group(1)
        if unit[0] == "一" or len(set(unit)) == 1:
            continue  # 一项一项, 一步一步: deliberate; AAAA is handled per character
        if _allowed_word_at(text, m.start(), m.end(), allowed):
            continue
        yield Hit(m.start(), m.end(), f"“{unit}”重复了一遍", unit)
    pairs: list[tuple[str, int]] = []
    runs: list[tuple[int, int, str]] = []  # a punctuation mark repeated: the whole run
    for m in pairs_found:
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
