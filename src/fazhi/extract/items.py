"""The listed items of the shortcomings part and of the plan part.

A part's items are its sub-sections: the first outline level inside the part that has at least two
headings (（一）…（二）…, 1.…2.…, 一是…二是…), each item running from its heading to the next
heading of the same or a higher rank. Two refinements:

- grouping sub-headings ("（一）存在的不足" / "（二）原因分析", "（一）存在问题" / "（二）下一步打算" in a
  merged part) are descended into, keeping only the groups about the part asked for;
- in the shortcomings part, a run of items introduced by "究其原因：" / "原因分析" lists causes, not
  shortcomings, and is left out.

A part without sub-headings is split into sentences. `units()` gives sentences that survive soft
line wraps (a line broken in mid-sentence), for the rules and the score.
"""

from __future__ import annotations

import bisect
import re

from fazhi.hanzi import han_count
from fazhi.model import Document, Heading, Item
from fazhi.parse.parts import classify

_CAUSE = re.compile(r"原因|究其|根源|成因")
_BOTH = re.compile(r"(?:问题|不足|差距)(?:和|及|与|以及)原因")
_FINAL_CHARS = "。！？!?；;：:"  # a sentence or line that ends with one of these is complete
_GROUP_MAX_CHARS = 14
_MIN_ITEM_HAN = 6


def units(doc: Document, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end), with sentences broken by a soft line wrap joined again.

    A sentence that ends a line without final punctuation continues on the next line unless the
    line is a heading or the next line starts one."""
    heads = _line_heads(doc)
    text = doc.text
    lo = bisect.bisect_left(doc.sentences, (start, -1))
    hi = bisect.bisect_left(doc.sentences, (end, -1))
    spans = [(a, b) for a, b in doc.sentences[lo:hi] if b <= end]
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out:
            pa, pb = out[-1]
            joinable = (
                a == pb + 1 and text[pb] == "\n"  # the next sentence starts the next line
                and not _ends_final(text, pa, pb)
                and a not in heads
                and not (pa in heads and (pa == 0 or text[pa - 1] == "\n"))
            )
            if joinable:
                out[-1] = (pa, b)
                continue
        out.append((a, b))
    return out


def _ends_final(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] ends with final punctuation, white space aside (re.search(r"[…]\\s*$")
    without copying the sentence)."""
    i = b - 1
    while i >= a and text[i].isspace():
        i -= 1
    return i >= a and text[i] in _FINAL_CHARS


def _trim(doc: Document, a: int, b: int) -> Item | None:
    text = doc.text[a:b]
    stripped = text.rstrip()
    lead = len(text) - len(text.lstrip())
    if han_count(stripped) < _MIN_ITEM_HAN:
        return None
    return Item(stripped[lead:], a + lead, a + len(stripped))


def _is_group(doc: Document, h: Heading) -> bool:
    """A short heading on a line of its own that names a part or the causes: a grouping heading."""
    if h.inline or len(h.text) > _GROUP_MAX_CHARS:
        return False
    if doc.text[h.end:_paragraph_end(doc, h.end)].strip():
        return False
    return bool(classify(h.text, None) or _CAUSE.search(h.text))


def _wanted(h: Heading, kind: str) -> bool:
    kinds = classify(h.text, None)
    if kind == "shortcomings":
        return "shortcomings" in kinds and not _CAUSE.search(h.text)
    return kind in kinds


def _split(doc: Document, a: int, b: int, kind: str, heads: frozenset[int], depth: int = 0) -> list[Item]:
    inside = [h for h in doc.headings if a <= h.start < b]
    by_level: dict[int, list[Heading]] = {}
    for h in inside:
        by_level.setdefault(h.level, []).append(h)
    level = next((lv for lv in sorted(by_level) if len(by_level[lv]) >= 2), None)
    if level is None:
        return [it for s, e in units(doc, a, b) if (it := _trim(doc, s, e))]
    top = by_level[level]

    starts = [g.start for g in inside]  # in order: the outline is sorted by start

    def region_end(h: Heading) -> int:
        after = bisect.bisect_right(starts, h.start)
        return next((g.start for g in inside[after:] if g.level <= level), b)

    if depth == 0 and all(_is_group(doc, h) for h in top):
        chosen = [h for h in top if _wanted(h, kind)]
        if chosen:
            items: list[Item] = []
            for g in chosen:
                items.extend(_split(doc, g.end, region_end(g), kind, heads, depth + 1))
            return items
    items = []
    cause_run = False
    prev_end = a
    for h in top:
        if h.value <= 1 or h is top[0]:
            # a new run of items: does its lead-in say that they are causes?
            cause_run = kind == "shortcomings" and _introduces_causes(doc.text[prev_end:h.start])
        end = region_end(h)
        if h.inline:
            end = min(end, _logical_paragraph_end(doc, h.start, heads))
        prev_end = end
        if cause_run:
            continue
        if (it := _trim(doc, h.start, end)) is not None:
            items.append(it)
    return items


def _introduces_causes(lead: str) -> bool:
    """Whether the text before a run of items ("……。究其原因：") announces causes."""
    lead = lead.strip()
    last = lead[max(lead.rfind("。"), lead.rfind("\n")) + 1:]
    return bool(_CAUSE.search(last)) and not _BOTH.search(last)


def _paragraph_end(doc: Document, pos: int) -> int:
    nl = doc.text.find("\n", pos)
    return len(doc.text) if nl < 0 else nl


def _line_heads(doc: Document) -> frozenset[int]:
    """Where the headings that start a line (not inline enumerations) begin."""
    return frozenset(h.start for h in doc.headings if not h.inline)


def _logical_paragraph_end(doc: Document, pos: int, heads: frozenset[int]) -> int:
    """The end of the paragraph at `pos`, followed across soft line wraps: a line that ends
    without final punctuation continues on the next line unless that line starts a heading."""
    end = _paragraph_end(doc, pos)
    while end < len(doc.text) and not _ends_final(doc.text, pos, end):
        nxt = end + 1
        if nxt in heads or not doc.text[nxt:nxt + 1].strip():
            break
        end = _paragraph_end(doc, nxt)
    return end


def _items(doc: Document, kind: str) -> list[Item]:
    items: list[Item] = []
    heads = _line_heads(doc)
    for part in doc.parts:
        if part.part != kind:
            continue
        body = part.start + len(part.heading or "")
        items.extend(_split(doc, body, part.end, kind, heads))
    return items


def find_shortcomings(doc: Document) -> list[Item]:
    """The shortcomings listed in the "存在的不足和原因" part (causes left out)."""
    return _items(doc, "shortcomings")


def find_plan_items(doc: Document) -> list[Item]:
    """The items of the next year's plan."""
    return _items(doc, "plan")
