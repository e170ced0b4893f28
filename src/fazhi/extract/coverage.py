"""Which areas of the 纲要 a report writes about: keyword hits per area (knowledge/taxonomy.toml).

A hit inside a title in 《》 does not count: studying 《行政复议法》 is not work on 行政复议.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable

from fazhi.knowledge import load
from fazhi.model import Document

_TITLE = re.compile(r"《[^《》\n]{1,80}》")


@dataclass(frozen=True, slots=True)
class Area:
    key: str
    name: str
    chapter: str
    expected_levels: tuple[str, ...]
    pattern: re.Pattern[str]
    exclude: re.Pattern[str] | None
    keywords: tuple[str, ...]
    examples: str

    def expected_for(self, level: str | None, kind: str | None) -> bool:
        """Whether an issuer of this level and kind is expected to report on the area."""
        if kind == "party":
            kind = "department"  # 中共××局党组 reports for its department
        keys = {k for k in (f"{level}-{kind}", kind, level) if k and "None" not in k}
        return bool(keys & set(self.expected_levels))


@lru_cache(maxsize=1)
def areas() -> tuple[Area, ...]:
    """The areas in the order of the 纲要's chapters (supplementary areas last)."""
    data = load("taxonomy")
    out: list[Area] = []
    for a in data["area"]:
        words = sorted(a.get("keywords", []), key=len, reverse=True)
        alternatives = [re.escape(w) for w in words] + list(a.get("patterns", []))
        excl = a.get("exclude", [])
        out.append(
            Area(
                key=a["key"],
                name=a["name"],
                chapter=a.get("chapter", ""),
                expected_levels=tuple(a.get("expected_levels", [])),
                pattern=re.compile("|".join(alternatives)),
                exclude=re.compile("|".join(excl)) if excl else None,
                keywords=tuple(a.get("keywords", [])),
                examples=a.get("examples", "、".join(a.get("keywords", [])[:3])),
            )
        )
    return tuple(out)


def area(key: str) -> Area | None:
    return next((a for a in areas() if a.key == key), None)


def framework() -> dict[str, Any]:
    return dict(load("taxonomy")["framework"])


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
