"""Party study campaigns (党内集中教育) and the years they ran, from knowledge/campaigns.toml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fazhi import knowledge

_QUOTES = str.maketrans("", "", "“”‘’\"'「」")
# Wording that refers to a past campaign legitimately: consolidating its results.
_FOLLOW_UP = re.compile(r"巩固|拓展|深化|成果|长效|常态化|制度化|回头看|总结")


def _bare(name: str) -> str:
    return name.translate(_QUOTES)


@dataclass(frozen=True, slots=True)
class Phase:
    """A later stage of a campaign with its own name and years (两学一做 常态化制度化)."""

    name: str
    years: tuple[int, int]
    aliases: tuple[str, ...] = ()
    source: str = ""

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def active_in(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


@dataclass(frozen=True, slots=True)
class Campaign:
    id: str
    name: str
    years: tuple[int, int]
    aliases: tuple[str, ...] = ()
    source: str = ""
    phases: tuple[Phase, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def active_in(self, year: int) -> bool:
        """True in the campaign's own years and in the years of any of its phases."""
        return self.years[0] <= year <= self.years[1] or any(p.active_in(year) for p in self.phases)

    def phase_named(self, text: str) -> Phase | None:
        """The phase whose name (quotes ignored) occurs in `text`, if any."""
        bare = _bare(text)
        for p in self.phases:
            if any(_bare(n) in bare for n in p.names()):
                return p
        return None

    def mentioned_in(self, text: str) -> bool:
        bare = _bare(text)
        return any(_bare(n) in bare for n in self.names()) or self.phase_named(text) is not None


def is_follow_up(context: str) -> bool:
    """Whether the words around a mention refer to consolidating a past campaign ("巩固拓展党史
    学习教育成果"), which is legitimate in later years."""
    return bool(_FOLLOW_UP.search(context))


def _years(value: Any) -> tuple[int, int]:
    return int(value[0]), int(value[1])


@lru_cache(maxsize=1)
def campaigns() -> list[Campaign]:
    out = []
    for row in knowledge.load("campaigns").get("campaign", []):
        phases = tuple(
            Phase(p["name"], _years(p["years"]), tuple(p.get("aliases", ())), p.get("source", ""))
            for p in row.get("phase", [])
        )
        out.append(Campaign(row["id"], row["name"], _years(row["years"]), tuple(row.get("aliases", ())),
                            row.get("source", ""), phases))
    return out
