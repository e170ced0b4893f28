"""The outline: numbered headings (一、 （一） 1. （1） 1） ① 第一，) and inline enumerations (一是/二是).

Every heading is a span into the normalized text with its numbering token, style, value and
depth in the outline tree.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Iterator

from fazhi._native import kernel
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
# 一是 / 二是 at the start of a clause (the string's start or after one of the marks), not "一是一，
# 二是二". Written to start with the numeral's character class, so the regex engine skips along it;
# the clause boundary is checked by looking back from the first numeral.
_ENUM = re.compile(rf"(?P<num>[{_CN}](?<![^。；;，,：:！？!?、）)”\s].)[{_CN}]{{0,2}})是(?![否非{_CN}])")
# Items numbered inside a paragraph: "……：（1）……；（2）……" and "①……②……".
_INLINE_ITEM = re.compile(
    rf"(?<=[。；;：:，,、])(?:(?P<paren_arabic>[（(]\d{{1,2}}[）)])|(?P<circled>[{CIRCLED}]))"
    rf"|(?<=[。；;：:])(?:(?P<arabic>\d{{1,2}}[.．、](?![\d.．]))|(?P<arabic_paren>\d{{1,2}}[）)]))"
)
# The mark and first character every inline item starts with: found fast (the pattern starts with
# a class), and _INLINE_ITEM is tried only there (it starts with a look-behind, which would make
# the engine try it at every character).
_MAY_INLINE = re.compile(rf"[。；;：:，,、][（(\d{CIRCLED}]")
# "我局一是……，二是……": an 一是 glued to the preceding word counts only when a 二是 follows.
_GLUED_FIRST = re.compile(r"(?<=[\u4e00-\u9fff])一是(?![否非])")
_HEAD_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(r"[，,。；;：:！？!?]")
_FULLWIDTH_SEPARATORS = set("、（）．")
_NOT_DIGIT = re.compile(r"[^0-9]")
_NOT_CN = re.compile(rf"[^{_CN}]")
_c = kernel("_load")


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


MANY_INLINE = 64  # more inline items than this on one line: no real report has them
INLINE_HEAD_CAP = 200  # then each one's text is at most this long


def _clause(text: str, pos: int, end: int) -> str:
    """The text of an inline item: from `pos` to the end of its clause (at most `end`)."""
    stop = _CLAUSE_END.search(text, pos, end)
    return text[pos:stop.start() if stop else end]


def _inline_items(text: str) -> Iterator[re.Match[str]]:
    """_INLINE_ITEM.finditer(text), trying the pattern only after the marks that can precede an item."""
    end = 0
    for c in _MAY_INLINE.finditer(text):
        pos = c.start() + 1
        if pos < end:
            continue
        m = _INLINE_ITEM.match(text, pos)
        if m is not None:
            yield m
            end = m.end()


def _by_line(matches: Iterator[re.Match[str]], line_spans: list[tuple[int, int]]) -> list[list[re.Match[str]]]:
    """The matches of one scan of the whole text, by line (none of them spans two lines)."""
    out: list[list[re.Match[str]]] = [[] for _ in line_spans]
    i = 0
    for m in matches:
        start = m.start()
        while i < len(line_spans) and line_spans[i][1] <= start:
            i += 1
        if i < len(line_spans) and line_spans[i][0] <= start:
            out[i].append(m)
    return out


# The styles in the order of their codes in the rows of _marks (and of the compiled kernel).
STYLES = tuple(RANKS)
_CODE = {style: code for code, style in enumerate(STYLES)}
_ENUM_CODE = _CODE["enum"]
_START = attrgetter("start")
_FIRST = itemgetter(0)

# line index, start, end, token end, style code, inline, token, the heading's text
Mark = tuple[int, int, int, int, int, bool, str, str]


def _marks(text: str, line_spans: list[tuple[int, int]]) -> list[Mark]:
    """Every line's heading (a numbering token at its start) and its inline items and
    enumerations, in order of their start; the compiled kernel's heading_marks gives the same rows.

    The inline items and enumerations are found with one scan of the whole text each and handed
    to their lines: none can span a line break, and at a line's edges the look-arounds see a line
    break where a scan of the line alone sees its start or end, which they treat alike."""
    out: list[Mark] = []
    items = _by_line(_inline_items(text), line_spans)
    enums = _by_line(_ENUM.finditer(text), line_spans)
    for li, (ls, le) in enumerate(line_spans):
        body_from = ls
        m = _LINE_TOKEN.match(text, ls, le)
        if m and m.end() < le:
            after = m.end()
            stop = _HEAD_END.search(text, after, le)
            end = stop.start() if stop is not None else le
            # A long run-on line whose first sentence is long is still a heading, but its text is
            # capped at the first clause.
            if end - after > 60:
                clause = _CLAUSE_END.search(text, after, le)
                end = clause.start() if clause else after + 60
            out.append((li, ls, end, after, _CODE[m.lastgroup or ""], False, m.group(0), text[after:end].strip()))
            body_from = after
            if (items[li] or enums[li]) and any(x.start() < after < x.end() for x in items[li] + enums[li]):
                # a match across the heading's token (none is known): scan the line after it
                items[li] = list(_INLINE_ITEM.finditer(text, after, le))
                enums[li] = list(_ENUM.finditer(text, after, le))
        inline = []
        # a line of very many inline items (hostile or garbled text) has each one's text cut at
        # INLINE_HEAD_CAP characters: otherwise N items would each copy up to the line's end
        many = sum(m.start() >= body_from for m in items[li]) + sum(m.start() >= body_from for m in enums[li]) > MANY_INLINE
        for im in items[li]:
            start, after = im.span()
            if start >= body_from:
                head = _clause(text, after, min(le, after + INLINE_HEAD_CAP) if many else le)
                inline.append((li, start, after + len(head), after, _CODE[im.lastgroup or "circled"], True, im.group(0), head.strip()))
        for em in enums[li]:
            start, after = em.span()
            # "（一）一是" and "一、一是" are fine; a clause boundary is required otherwise.
            if start >= body_from:
                head = _clause(text, after, min(le, after + INLINE_HEAD_CAP) if many else le)
                inline.append((li, start, after + len(head), after, _ENUM_CODE, True, em.group(0), head.strip()))
        out += sorted(inline, key=itemgetter(1))
    return out


def find_headings(text: str, line_spans: list[tuple[int, int]]) -> list[Heading]:
    """Headings at the start of each line, and inline 一是/二是 enumerations anywhere in a line.

    `line_spans` are lines of `text` in order (parse.document.split_lines)."""
    marks = _c.heading_marks(text, line_spans) if _c is not None else _marks(text, line_spans)
    heads: list[Heading] = []
    stack: list[int] = []  # the ranks of the headings above the next one (_assign_levels)
    for _, start, end, after, code, inline, token, head in marks:
        style, value, fullwidth, rank = _token_info(code, token)
        while stack and stack[-1] >= rank:
            stack.pop()
        stack.append(rank)
        heads.append(Heading(start, end, start, after, style, value, len(stack), head, token, fullwidth, inline))
    if "一是" in text and _add_glued_firsts(heads, text, line_spans, marks):
        heads.sort(key=_START)
        _assign_levels(heads)
    return heads


@lru_cache(maxsize=1024)  # a report repeats a few dozen tokens (一、 （一） 1. 一是 …)
def _token_info(code: int, token: str) -> tuple[str, int, bool | None, int]:
    """The style, value, full-width form and rank of a numbering token of style `code`."""
    style = STYLES[code]
    if code == _ENUM_CODE:
        return style, _enum_value(token[:-1]), None, RANKS[style]
    return style, _value(style, token), _fullwidth(style, token), RANKS[style]


def _add_glued_firsts(heads: list[Heading], text: str, line_spans: list[tuple[int, int]], marks: list[Mark]) -> bool:
    """Add the glued 一是 of every line that has one (heads[i] comes from marks[i], line by line);
    whether any was added."""
    lines: list[int] = []
    pos = text.find("一是")
    while pos >= 0:
        li = bisect_right(line_spans, pos, key=_FIRST) - 1
        if li >= 0 and pos + 2 <= line_spans[li][1] and (not lines or lines[-1] != li):
            lines.append(li)
        pos = text.find("一是", pos + 2)
    if not lines:
        return False
    of_line = [m[0] for m in marks]
    n = len(heads)
    for li in lines:
        first, last = bisect_left(of_line, li), bisect_right(of_line, li)
        if first < last:
            ls, le = line_spans[li]
            _add_glued_first(heads, heads[first:last], text[ls:le], ls)
    return len(heads) > n


@lru_cache(maxsize=64)
def _enum_value(num: str) -> int:
    return cn_to_int(num) or 0


def _add_glued_first(heads: list[Heading], line_heads: list[Heading], line: str, ls: int) -> None:
    """"我局一是……，二是……": the glued 一是 of one line, whose headings are `line_heads`."""
    enums = [h for h in line_heads if h.style == "enum"]
    for m in _GLUED_FIRST.finditer(line):
        start = ls + m.start()
        if any(h.start == start for h in enums):
            continue
        following = [h for h in enums if h.start > start]
        if not following or following[0].value != 2:
            continue
        head_text = _clause(line, m.end(), len(line))
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
