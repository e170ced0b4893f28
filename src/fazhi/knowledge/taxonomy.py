"""The 纲要 taxonomy (knowledge/taxonomy.toml): the areas of 《法治政府建设实施纲要》, their keywords,
which issuers are expected to report on each, and the framework's period. Loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fazhi.knowledge import load


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
