"""Numbering: sequences without gaps, repeats or restarts, in one consistent form."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from typing import Iterator

from fazhi.model import Document, Heading
from fazhi.numerals import CIRCLED, int_to_cn
from fazhi.parse.outline import RANKS
from fazhi.rules.registry import Context, Hit, rule

_NUM = re.compile(r"\d+|[一二三四五六七八九十]+")
# Levels where numbering going back to 1 under the same parent is an error rather than a new list.
_STRICT_RESTART = {"cn", "paren_cn"}


def render_token(h: Heading, value: int) -> str:
    """The token `h` would have with another value, in the same form ("（三）" for （二） and 3)."""
    if h.style == "circled":
        return CIRCLED[value - 1] if 0 < value <= len(CIRCLED) else str(value)
    m = _NUM.search(h.token)
    if not m:
        return h.token
    number = str(value) if m.group(0).isdigit() else int_to_cn(value)
    return h.token[: m.start()] + number + h.token[m.end():]


def _new_enum_list(doc: Document, h: Heading) -> bool:
    """An inline item (一是, （1）) that opens a paragraph, or follows a colon, starts a new list."""
    i = h.token_start - 1
    while i >= 0 and doc.text[i] == " ":
        i -= 1
    return i < 0 or doc.text[i] in "\n：:"


@rule(
    code="N101",
    name="numbering-sequence",
    severity="warning",
    category="numbering",
    summary="序号不连续、重复或中途重新开始",
    why=(
        "各级标题序号（一、（一）1.（1））和“一是、二是”都应连续编排。跳号、重号通常是删改段落后没有重新编号留下的，"
        "上级审阅时一眼就能看出。"
    ),
    bad="一、主要举措\n（一）加强学习。\n（二）规范执法。\n（四）强化监督。\n二、下一步安排\n一是抓学习，二是抓执法，二是抓监督。",
    good="一、主要举措\n（一）加强学习。\n（二）规范执法。\n（三）强化监督。\n二、下一步安排\n一是抓学习，二是抓执法，三是抓监督。\n一是人人参学，二是件件有落实。",
)
def numbering_sequence(doc: Document, ctx: Context) -> Iterator[Hit]:
    last: dict[str, Heading] = {}
    deepest = 0  # the previous heading's rank: none in `last` is deeper (closed below)
    starts = doc.line_starts
    for h in doc.headings:
        rank = RANKS[h.style]
        # a heading closes every deeper list; a paragraph not opening with 一是 closes the enumeration
        if deepest > rank:
            for style in [s for s in last if RANKS[s] > rank]:
                del last[style]
        if h.inline and h.style in last:
            # an inline list lives in its paragraph unless the next paragraph opens with the next item
            # (the lines of doc.line_col, without its tuples)
            same_paragraph = max(bisect_right(starts, last[h.style].start) - 1, 0) == max(bisect_right(starts, h.start) - 1, 0)
            opens_paragraph = doc.text[h.token_start - 1:h.token_start] in ("", "\n")
            if (not same_paragraph and not opens_paragraph) or (h.value == 1 and _new_enum_list(doc, h)):
                del last[h.style]
        prev = last.get(h.style)
        last[h.style] = h
        deepest = rank
        if prev is None:
            if h.value > 1:
                yield Hit(h.token_start, h.token_end, f"序号从“{h.token}”开始，缺少“{render_token(h, 1)}”", render_token(h, 1))
            continue
        expected = prev.value + 1
        if h.value == expected:
            continue
        if h.value == prev.value:
            yield Hit(h.token_start, h.token_end, f"序号重复：“{prev.token}”之后又是“{h.token}”", render_token(h, expected))
        elif h.value == 1:
            if h.style in _STRICT_RESTART or h.inline:
                yield Hit(h.token_start, h.token_end, f"序号在“{prev.token}”之后重新从“{h.token}”开始", render_token(h, expected))
        elif h.value > expected:
            missing = "、".join(f"“{render_token(h, v)}”" for v in range(expected, min(h.value, expected + 3)))
            yield Hit(h.token_start, h.token_end, f"序号不连续：“{prev.token}”之后是“{h.token}”，缺少{missing}", render_token(h, expected))
        else:
            yield Hit(h.token_start, h.token_end, f"序号倒退：“{prev.token}”之后是“{h.token}”", render_token(h, expected))


def _form(h: Heading) -> str:
    return _token_form(h.token)


@lru_cache(maxsize=4096)
def _token_form(token: str) -> str:
    """A numbering token with its number as # (（#）, #.): tokens recur in every report."""
    return _NUM.sub("#", token)


_HALF = {"(": "（", ")": "）", ",": "，", ".": "．"}


def _width_note(a: str, b: str) -> str:
    if any(ch in _HALF for ch in a) != any(ch in _HALF for ch in b):
        return "半角与全角混用"
    return "格式不统一"


@rule(
    code="N102",
    name="mixed-numbering",
    severity="warning",
    category="numbering",
    summary="同一级序号的半角、全角形式混用",
    why="同一级序号应使用同一种形式。中文公文用全角括号“（1）”，混入半角“(1)”或“1．”与“1.”混用，显得粗糙，也说明文字经过多次拼接。",
    bad="一、主要举措\n（1）加强学习。\n（2）规范执法。\n(3)强化监督。",
    good="一、主要举措\n（1）加强学习。\n（2）规范执法。\n（3）强化监督。",
)
def mixed_numbering(doc: Document, ctx: Context) -> Iterator[Hit]:
    forms_of = {(h.style, _form(h)) for h in doc.headings if h.style not in ("enum", "circled")}
    if len(forms_of) == len({style for style, _ in forms_of}):
        return  # one form per style: nothing mixed (the common case, without the tallies below)
    by_style: dict[str, list[Heading]] = {}
    for h in doc.headings:
        if h.style not in ("enum", "circled"):
            by_style.setdefault(h.style, []).append(h)
    for heads in by_style.values():
        forms = Counter(_form(h) for h in heads)
        if len(forms) < 2:
            continue
        # the majority form wins; on a tie, the full-width (standard) form
        major = max(forms, key=lambda f: (forms[f], not any(ch in _HALF for ch in f.replace("#.", "#"))))
        for h in heads:
            form = _form(h)
            if form != major:
                want = major.replace("#", _NUM.search(h.token).group(0) if _NUM.search(h.token) else "#")
                yield Hit(
                    h.token_start,
                    h.token_end,
                    f"序号“{h.token}”与同级的“{want}”{_width_note(form, major)}",
                    want,
                )
