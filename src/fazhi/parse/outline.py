"""The outline: numbered headings (一、 （一） 1. （1） 1） ① 第一，) and inline enumerations (一是/二是).

Every heading is a span into the normalized text with its numbering token, style, value and
depth in the outline tree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from fazhi.model import Heading
from fazhi.numerals import CIRCLED, cn_to_int

# Canonical rank of each numbering style in the 公文 hierarchy (GB/T 9704: 一、 → （一） → 1. → （1）).
RANKS = {
    "cn": 1,
    "paren_cn": 2,
    "arabic": 3,
    "paren_arabic": 4,
    "arabic_paren": 5,
    "circled": 6,
    "ordinal": 7,
    "enum": 8,
}
STYLE_NAMES = {
    "cn": "一、",
    "paren_cn": "（一）",
    "arabic": "1.",
    "paren_arabic": "（1）",
    "arabic_paren": "1）",
    "circled": "①",
    "ordinal": "第一，",
    "enum": "一是",
}

_CN = "一二三四五六七八九十"
_LINE_TOKEN = re.compile(
    rf"(?P<paren_cn>[（(][{_CN}]{{1,3}}[）)])"
    rf"|(?P<cn>[{_CN}]{{1,3}}[、，,．.])"
    rf"|(?P<paren_arabic>[（(]\d{{1,2}}[）)])"
    rf"|(?P<arabic>\d{{1,2}}(?:[.．、](?![\d.．])))"
    rf"|(?P<arabic_paren>\d{{1,2}}[）)])"
    rf"|(?P<circled>[{CIRCLED}])"
    rf"|(?P<ordinal>第[{_CN}]{{1,3}}[，,、](?=\S))"
)
# 一是 / 二是 at the start of a clause. Not "一是一，二是二".
_ENUM = re.compile(rf"(?:^|(?<=[。；;，,：:！？!?、）)”\s]))(?P<num>[{_CN}]{{1,3}})是(?![否非{_CN}])")
# Items numbered inside a paragraph: "……：（1）……；（2）……" and "①……②……".
_INLINE_ITEM = re.compile(
    rf"(?<=[。；;：:，,、])(?:(?P<paren_arabic>[（(]\d{{1,2}}[）)])|(?P<circled>[{CIRCLED}]))"
    rf"|(?<=[。；;：:])(?:(?P<arabic>\d{{1,2}}[.．、](?![\d.．]))|(?P<arabic_paren>\d{{1,2}}[）)]))"
)
# Necessary conditions for the two patterns above, fast to search (they begin with a character
# set, which the two patterns cannot): a line without a match is not scanned with them.
_MAY_ENUM = re.compile(rf"[{_CN}]是")
_MAY_INLINE = re.compile(rf"[。；;：:，,、][（(\d{CIRCLED}]")
# "我局一是……，二是……": an 一是 glued to the preceding word counts only when a 二是 follows.
_GLUED_FIRST = re.compile(r"(?<=[\u4e00-\u9fff])一是(?![否非])")
_HEAD_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?]")
_FULLWIDTH_SEPARATORS = set("、（）．")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NOT_CN = re.compile(rf"[^{_CN}]")


@lru_cache(maxsize=1024)  # a report repeats a few dozen tokens (一、 （一） 1. 一是 …)
def _value(style: str, token: str) -> int:
    if style == "circled":
        return CIRCLED.index(token) + 1
    digits = _NOT_DIGIT.sub("", token)
    if digits:
        return int(digits)
    return cn_to_int(_NOT_CN.sub("", token)) or 0


@lru_cache(maxsize=1024)
def _fullwidth(style: str, token: str) -> bool | None:
    """Whether the token's punctuation is in its full-width form; None where only one form exists."""
    if style in ("circled",):
        return None
    punct = [ch for ch in token if not ch.isdigit() and ch not in _CN and ch != "第"]
    if style in ("paren_cn", "paren_arabic", "arabic_paren", "cn", "ordinal"):
        return all(ch in _FULLWIDTH_SEPARATORS or ch in "，" for ch in punct)
    if style == "arabic":
        # "1." is the GB/T 9704 form; "1．" is the full-width variant; "1、" is a distinct (common) form.
        return punct[0] != "." if punct else None
    return None


def find_headings(text: str, line_spans: list[tuple[int, int]]) -> list[Heading]:
    """Headings at the start of each line, and inline 一是/二是 enumerations anywhere in a line."""
    heads: list[Heading] = []
    for ls, le in line_spans:
        line = text[ls:le]
        first = len(heads)  # the headings of this line are heads[first:]
        body_from = 0
        m = _LINE_TOKEN.match(line)
        if m and m.end() < len(line):
            style = m.lastgroup or ""
            token = m.group(0)
            rest = line[m.end():]
            stop = _HEAD_END.search(rest)
            if stop is not None:
                head_text = rest[: stop.start()]
            else:
                head_text = rest
            # A long run-on line whose first sentence is long is still a heading, but its text is
            # capped at the first clause.
            if len(head_text) > 60:
                clause = _CLAUSE_END.search(rest)
                head_text = rest[: clause.start()] if clause else rest[:60]
            heads.append(
                Heading(
                    start=ls + m.start(),
                    end=ls + m.end() + len(head_text),
                    token_start=ls + m.start(),
                    token_end=ls + m.end(),
                    style=style,
                    value=_value(style, token),
                    level=0,
                    text=head_text.strip(),
                    token=token,
                    fullwidth=_fullwidth(style, token),
                )
            )
            body_from = m.end()
        for im in _INLINE_ITEM.finditer(line, body_from) if _MAY_INLINE.search(line) else ():
            style = im.lastgroup or "circled"
            token = im.group(0)
            rest = line[im.end():]
            stop = _CLAUSE_END.search(rest)
            head_text = rest[: stop.start()] if stop else rest
            heads.append(
                Heading(
                    start=ls + im.start(),
                    end=ls + im.end() + len(head_text),
                    token_start=ls + im.start(),
                    token_end=ls + im.end(),
                    style=style,
                    value=_value(style, token),
                    level=0,
                    text=head_text.strip(),
                    token=token,
                    fullwidth=_fullwidth(style, token),
                    inline=True,
                )
            )
        for em in _ENUM.finditer(line, body_from) if _MAY_ENUM.search(line) else ():
            if em.start() < body_from:
                continue
            # "（一）一是" and "一、一是" are fine; a clause boundary is required otherwise.
            rest = line[em.end():]
            stop = _CLAUSE_END.search(rest)
            head_text = rest[: stop.start()] if stop else rest
            heads.append(
                Heading(
                    start=ls + em.start(),
                    end=ls + em.end() + len(head_text),
                    token_start=ls + em.start(),
                    token_end=ls + em.end(),
                    style="enum",
                    value=cn_to_int(em.group("num")) or 0,
                    level=0,
                    text=head_text.strip(),
                    token=em.group(0),
                    fullwidth=None,
                    inline=True,
                )
            )
        if "一是" in line:
            _add_glued_first(heads, line, ls, first)
    heads.sort(key=lambda h: h.start)
    _assign_levels(heads)
    return heads


def _add_glued_first(heads: list[Heading], line: str, ls: int, first: int) -> None:
    enums = [h for h in heads[first:] if h.style == "enum"]
    for m in _GLUED_FIRST.finditer(line):
        start = ls + m.start()
        if any(h.start == start for h in enums):
            continue
        following = [h for h in enums if h.start > start]
        if not following or following[0].value != 2:
            continue
        rest = line[m.end():]
        stop = _CLAUSE_END.search(rest)
        head_text = rest[: stop.start()] if stop else rest
        heads.append(
            Heading(start, start + 2 + len(head_text), start, start + 2, "enum", 1, 0, head_text.strip(), "一是", None, True)
        )


def _assign_levels(heads: list[Heading]) -> None:
    """Depth in the outline tree: a heading nests under the nearest preceding heading of a
    higher rank (smaller RANKS value)."""
    stack: list[int] = []
    for h in heads:
        rank = RANKS[h.style]
        while stack and stack[-1] >= rank:
            stack.pop()
        h.level = len(stack) + 1
        stack.append(rank)


def top_level(heads: list[Heading]) -> list[Heading]:
    """Headings of the highest-ranked line style present (normally 一、); inline enumerations never."""
    line_heads = [h for h in heads if not h.inline]
    if not line_heads:
        return []
    best = min(RANKS[h.style] for h in line_heads)
    return [h for h in line_heads if RANKS[h.style] == best]
