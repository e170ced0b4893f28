"""Standard political formulations and their wrong variants, from knowledge/formulations.toml.

Matching ignores quotation marks, 、，, and spaces: the text is compacted with a map back to the
original offsets, so spans point into the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fazhi import knowledge

IGNORED = frozenset("“”‘’\"'「」、，, \u3000\t\n")


def compact(text: str) -> tuple[str, list[int]]:
    """`text` without ignored characters, and for each kept character its offset in `text`."""
    kept = [(i, ch) for i, ch in enumerate(text) if ch not in IGNORED]
    return "".join(ch for _, ch in kept), [i for i, _ in kept]


@dataclass(frozen=True, slots=True)
class Formulation:
    correct: str
    wrong: tuple[str, ...]
    source: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Misuse:
    start: int  # offsets into the original text
    end: int
    text: str  # the wrong text as written
    formulation: Formulation


@lru_cache(maxsize=1)
def formulations() -> list[Formulation]:
    return [
        Formulation(row["correct"], tuple(row.get("wrong", ())), row.get("source", ""), row.get("note", ""))
        for row in knowledge.load("formulations").get("formulation", [])
    ]


def find_misuses(text: str, items: list[Formulation] | None = None) -> list[Misuse]:
    """Every occurrence of a wrong variant in `text`, leftmost first, longest first at a position."""
    flat, offsets = compact(text)
    hits: list[Misuse] = []
    for f in items if items is not None else formulations():
        for variant in f.wrong:
            needle = compact(variant)[0]
            if not needle:
                continue
            pos = flat.find(needle)
            while pos >= 0:
                a, b = offsets[pos], offsets[pos + len(needle) - 1] + 1
                hits.append(Misuse(a, b, text[a:b], f))
                pos = flat.find(needle, pos + 1)
    hits.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[Misuse] = []
    for m in hits:
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out
