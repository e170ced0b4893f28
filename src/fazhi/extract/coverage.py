"""Which areas of the 纲要 a report writes about: keyword hits per area (knowledge/taxonomy.toml).

A hit inside a title in 《》 does not count: studying 《行政复议法》 is not work on 行政复议.
"""

from __future__ import annotations

import re
from typing import Iterable

from fazhi.knowledge.taxonomy import Area, area, areas, framework  # noqa: F401 (the 纲要 areas, re-exported)
from fazhi.model import Document

_TITLE = re.compile(r"《[^《》\n]{1,80}》")


def expected_areas(doc: Document) -> list[Area]:
    """The 纲要 areas a report by this issuer is expected to cover (empty when the issuer's
    level or kind is unknown: nothing is expected of an unknown issuer)."""
    m = doc.metadata
    if not m.issuer_level or not m.issuer_kind:
        return []
    return [a for a in areas() if a.expected_for(m.issuer_level, m.issuer_kind)]


def _covered(matches: Iterable[re.Match[str]]) -> set[int]:
    """The positions inside the matches."""
    out: set[int] = set()
    for m in matches:
        out.update(range(m.start(), m.end()))
    return out


def find_coverage(doc: Document) -> dict[str, list[int]]:
    """Area key -> start offsets of its keyword hits in the report (every area has a key)."""
    text = doc.text
    titles = _covered(_TITLE.finditer(text))
    skip_to = doc.metadata.title_span[1] if doc.metadata.title_span else 0
    result: dict[str, list[int]] = {}
    for a in areas():
        skip = titles | _covered(a.exclude.finditer(text)) if a.exclude else titles
        result[a.key] = [m.start() for m in a.pattern.finditer(text, skip_to) if m.start() not in skip]
    return result
