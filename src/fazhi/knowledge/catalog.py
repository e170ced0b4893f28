"""The catalog of documents reports cite: national laws, administrative regulations, Party
regulations and central documents, 纲要/规划/普法 plans, each with its dates and status, loaded
from knowledge/documents.toml (one [[doc]] table per entry, each with a source).

Schema of an entry:
    id          stable identifier (ascii, kebab-case)
    title       the official full title, e.g. "中华人民共和国行政处罚法"
    kind        national_law | administrative_regulation | departmental_rule | party_document |
                central_document | plan
    short       names it is commonly cited by ("行政处罚法"); bare names of national laws are
                also found without 《》 in running text
    aliases     other titles that refer to it: former titles, common wrong-but-recognizable forms
    effective   "YYYY-MM-DD" when it took effect (first version)
    repealed    "YYYY-MM-DD" when it ceased to be in force, if it did
    successor   id of the entry that replaced it
    period      [start_year, end_year] for plans (纲要, 规划, 普法), inclusive
    source      document number and issuing body, e.g. "主席令第七十号；全国人大常委会"
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from fazhi import knowledge

KINDS = ("national_law", "administrative_regulation", "departmental_rule", "party_document", "central_document", "plan")

_PREFIX = "中华人民共和国"
_VERSION = re.compile(r"[（(][^（）()]*(?:修订|修正|修改|试行|暂行|草案|年版|版)[^（）()]*[）)]$")
_SPACES = re.compile(r"\s+")


def normalize_title(title: str) -> str:
    """The comparable form of a title: no 《》, no spaces, no version suffix, no 中华人民共和国 prefix,
    full-width brackets and dashes unified."""
    t = _SPACES.sub("", title.strip().strip("《》"))
    t = t.replace("(", "（").replace(")", "）").replace("—", "－").replace("-", "－").replace("–", "－").replace("~", "－").replace("～", "－")
    while True:
        m = _VERSION.search(t)
        if not m or m.start() == 0:
            break
        t = t[: m.start()]
    if t.startswith(_PREFIX) and len(t) > len(_PREFIX) + 1:
        t = t[len(_PREFIX):]
    return t


def version_of(title: str) -> str | None:
    m = _VERSION.search(title.strip().strip("《》"))
    return m.group(0)[1:-1] if m else None


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    title: str
    kind: str
    short: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    effective: dt.date | None = None
    repealed: dt.date | None = None
    successor: str | None = None
    period: tuple[int, int] | None = None
    source: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        if self.effective and day < self.effective:
            return False
        return not (self.repealed and day >= self.repealed)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Catalog:
    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        self._by_name: dict[str, Entry] = {}
        self._by_alias: dict[str, Entry] = {}
        for e in entries:
            for name in (e.title, *e.short):
                self._by_name.setdefault(normalize_title(name), e)
            for name in e.aliases:
                self._by_alias.setdefault(normalize_title(name), e)

    def lookup(self, title: str) -> tuple[Entry, bool] | None:
        """(entry, by_alias) for a cited title, or None. by_alias is True when the title is a
        former or variant title rather than the entry's own name."""
        key = normalize_title(title)
        if key in self._by_name:
            return self._by_name[key], False
        if key in self._by_alias:
            return self._by_alias[key], True
        return None

    def successor_of(self, entry: Entry) -> Entry | None:
        return self.entries.get(entry.successor) if entry.successor else None

    def names(self) -> dict[str, Entry]:
        """Every normalized own name (title and short names) -> entry."""
        return dict(self._by_name)


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    data = knowledge.load("documents")
    entries = []
    for row in data.get("doc", []):
        period = row.get("period")
        entries.append(
            Entry(
                id=row["id"],
                title=row["title"],
                kind=row["kind"],
                short=tuple(row.get("short", ())),
                aliases=tuple(row.get("aliases", ())),
                effective=_date(row.get("effective")),
                repealed=_date(row.get("repealed")),
                successor=row.get("successor"),
                period=(int(period[0]), int(period[1])) if period else None,
                source=row.get("source", ""),
            )
        )
    return Catalog(entries)
