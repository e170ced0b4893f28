"""Which areas of the 纲要 a report writes about: keyword hits per area (knowledge/taxonomy.toml).

A hit inside a title in 《》 does not count: studying 《行政复议法》 is not work on 行政复议.

Each area is found with the leftmost-first scan of its `Area.pattern` (the keywords longest
first, then the area's patterns). An area with a pattern that starts with a character class
([七八九]五.?普法) is scanned twice instead, keywords and patterns each on their own, and the hits
merged exactly: each scan then starts with a character set the regex engine skips to, where that
pattern makes the engine try the whole alternation at every character (4x slower).

With the compiled kernel (src/fazhi/_native/_extract.c, `keyword_hits`) the keywords of all areas
are found in one pass, merged there with the places where each area's own patterns match (found
with the patterns' regexes, as for the two scans above).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from fazhi._native import kernel
from fazhi.knowledge import load
from fazhi.knowledge.taxonomy import Area, area, areas, framework  # noqa: F401 (the 纲要 areas, re-exported)
from fazhi.model import Document

_TITLE = re.compile(r"《[^《》\n]{1,80}》")
_c = kernel("_extract")  # the one-pass keyword scan (None: the regex scans only)


def expected_areas(doc: Document) -> list[Area]:
    """The 纲要 areas a report by this issuer is expected to cover (empty when the issuer's
    level or kind is unknown: nothing is expected of an unknown issuer)."""
    m = doc.metadata
    if not m.issuer_level or not m.issuer_kind:
        return []
    return [a for a in areas() if a.expected_for(m.issuer_level, m.issuer_kind)]


def _outside(hits: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """The hits that lie in none of the spans (non-overlapping, in order)."""
    if not spans:
        return hits
    starts = [a for a, _ in spans]
    return [p for p in hits if (k := bisect.bisect_right(starts, p) - 1) < 0 or p >= spans[k][1]]


class _Scan(NamedTuple):
    area: Area
    keywords: re.Pattern[str]  # the keywords, longest first (the area's pattern when it has no patterns)
    patterns: re.Pattern[str] | None  # the area's own regexes, in their order


@lru_cache(maxsize=1)
def _scans() -> tuple[_Scan, ...]:
    raw = {a["key"]: a.get("patterns", []) for a in load("taxonomy")["area"]}
    out = []
    for a in areas():
        pats = raw.get(a.key, [])
        if all(_starts_with_a_character(p) for p in pats):
            out.append(_Scan(a, a.pattern, None))
            continue
        words = "|".join(re.escape(w) for w in sorted(a.keywords, key=len, reverse=True)) or r"(?!)"
        out.append(_Scan(a, re.compile(words), re.compile("|".join(pats))))
    return tuple(out)


@lru_cache(maxsize=1)
def _kernel_table() -> tuple[object, tuple[tuple[int, re.Pattern[str]], ...]]:
    """The compiled table of every area's keywords (longest first, the order of its regex) and
    the own patterns of the areas that have them (with the area's index)."""
    raw = {a["key"]: a.get("patterns", []) for a in load("taxonomy")["area"]}
    groups = tuple(tuple(sorted(a.keywords, key=len, reverse=True)) for a in areas())
    own = tuple((i, re.compile("|".join(raw[a.key]))) for i, a in enumerate(areas()) if raw.get(a.key))
    return _c.keyword_table(groups), own


def _starts_with_a_character(pattern: str) -> bool:
    """Whether a pattern starts with one plain character (依法…, 接受…), so that the area's whole
    alternation starts with a character set (the patterns then stay in it)."""
    return pattern[:1].isalnum() and pattern[1:2] not in ("?", "*", "{")


def _pattern_hits(pattern: re.Pattern[str], text: str, start: int) -> list[tuple[int, int]]:
    """Every position from `start` on where `pattern` matches (a match may start inside another
    one), with its end."""
    at: list[tuple[int, int]] = []
    for m in pattern.finditer(text, start):
        at.append(m.span())
        for q in range(m.start() + 1, m.end()):
            inner = pattern.match(text, q)
            if inner is not None:
                at.append(inner.span())
    return at


def _hits(scan: _Scan, text: str, start: int) -> list[int]:
    """Start offsets of `scan.area.pattern.finditer(text, start)`, computed from the two scans."""
    if scan.patterns is None:
        return [m.start() for m in scan.keywords.finditer(text, start)]
    at = _pattern_hits(scan.patterns, text, start)
    if not at:
        return [m.start() for m in scan.keywords.finditer(text, start)]
    if any(a == b for a, b in at):
        return [m.start() for m in scan.area.pattern.finditer(text, start)]  # an empty match: the plain scan
    # leftmost first; at one position the keywords come before the patterns
    out: list[int] = []
    pos = start
    pi = 0
    while True:
        mk = scan.keywords.search(text, pos)
        while pi < len(at) and at[pi][0] < pos:
            pi += 1
        if mk is None and pi == len(at):
            return out
        if pi == len(at) or (mk is not None and mk.start() <= at[pi][0]):
            out.append(mk.start())
            pos = mk.end()
        else:
            out.append(at[pi][0])
            pos = at[pi][1]


def _area_hits(text: str, start: int, titles: list[tuple[int, int]]) -> list[list[int]]:
    """Per area (in the order of areas()), the starts of `area.pattern.finditer(text, start)`
    that lie outside the spans of `titles`."""
    if _c is None:
        return [_outside(_hits(scan, text, start), titles) for scan in _scans()]
    table, own = _kernel_table()
    # where each area's own patterns match; an area with an empty match takes the plain scan
    at: list[list[tuple[int, int]] | None] = [None] * len(_scans())
    plain = []
    for i, pattern in own:
        spans = _pattern_hits(pattern, text, start)
        if any(a == b for a, b in spans):
            plain.append(i)
        else:
            at[i] = spans
    found = _c.keyword_hits(text, start, table, tuple(at), titles)
    for i in plain:
        found[i] = _outside(_hits(_scans()[i], text, start), titles)
    return found


def find_coverage(doc: Document) -> dict[str, list[int]]:
    """Area key -> start offsets of its keyword hits in the report (every area has a key)."""
    text = doc.text
    titles = [m.span() for m in _TITLE.finditer(text)]
    skip_to = doc.metadata.title_span[1] if doc.metadata.title_span else 0
    result: dict[str, list[int]] = {}
    for a, hits in zip(areas(), _area_hits(text, skip_to, titles)):
        if a.exclude and hits:
            hits = _outside(hits, [m.span() for m in a.exclude.finditer(text)])
        result[a.key] = hits
    return result
