"""The catalog of documents reports cite: national laws, administrative regulations, Party
regulations and central documents, 纲要/规划/普法 plans, each with its dates and status, loaded
from knowledge/documents.toml (one [[doc]] table per entry, each with a source).

Schema of an entry:
    id          stable identifier (ascii, kebab-case)
    title       the official full title, e.g. "中华人民共和国行政处罚法"
    kind        national_law | administrative_regulation | departmental_rule | party_document |
                central_document | plan | local_document (the last from a user's CSV)
    short       names it is commonly cited by ("行政处罚法"); bare names of national laws are
                also found without 《》 in running text
    aliases     other titles that refer to it: former titles, common wrong-but-recognizable forms
    effective   "YYYY-MM-DD" when it took effect (first version)
    repealed    "YYYY-MM-DD" when it ceased to be in force, if it did
    successor   id of the entry that replaced it
    period      [start_year, end_year] for plans (纲要, 规划, 普法), inclusive
    source      document number and issuing body, e.g. "主席令第七十号；全国人大常委会"

Kinds: documents issued by the Party alone (中共中央, 中央办公厅, 党章, CPC 条例) are
party_document; documents issued jointly by Party and state organs (中共中央、国务院;
中办、国办) or by the State Council as policy (国发) are central_document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fazhi import knowledge
from fazhi.knowledge.datadir import read_updates, updates_stamp

KINDS = (
    "national_law",
    "administrative_regulation",
    "departmental_rule",
    "party_document",
    "central_document",
    "plan",
    "local_document",  # 地方性法规、地方政府规章、地方规范性文件: only from a user's CSV
)

_PREFIX = "中华人民共和国"
_VERSION = re.compile(r"[（(][^（）()]*(?:修订|修正|修改|试行|暂行|草案|年版|版)[^（）()]*[）)]$")
_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans("", "", "“”‘’\"'「」『』")
_PERIOD = re.compile(r"[（(]\s*(?:19|20)\d\d\s*[－—\-–~～至到]+\s*(?:19|20)\d\d\s*年?\s*[）)]$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


def _key(title: str) -> str:
    """The lookup key: the normalized title without quotation marks, so that “七五”普法规划 and
    七五普法规划 meet."""
    return normalize_title(title).translate(_QUOTES).replace("－－", "－")


def base_title(title: str) -> str:
    """The lookup key without a trailing period: 法治政府建设实施纲要（2021－2025年） -> 法治政府建设实施纲要."""
    return _PERIOD.sub("", _key(title))


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

    def status_on(self, day: dt.date) -> str:
        """not_yet_in_force | in_force | repealed on `day`."""
        if self.effective and day < self.effective:
            return "not_yet_in_force"
        return "repealed" if self.repealed and day >= self.repealed else "in_force"

    def covers(self, year: int) -> bool:
        """A plan whose period includes `year` (False for entries without a period)."""
        return bool(self.period) and self.period[0] <= year <= self.period[1]  # type: ignore[index]

    def names(self) -> tuple[str, ...]:
        return (self.title, *self.short)


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def entry_from_row(row: dict[str, Any]) -> Entry:
    """An Entry from one [[doc]] table (or a dict of the same shape)."""
    period = row.get("period")
    return Entry(
        id=row["id"],
        title=row["title"],
        kind=row["kind"],
        short=tuple(row.get("short", ())),
        aliases=tuple(row.get("aliases", ())),
        effective=_date(row.get("effective")),
        repealed=_date(row.get("repealed")),
        successor=row.get("successor") or None,
        period=(int(period[0]), int(period[1])) if period else None,
        source=row.get("source", ""),
    )


def validate(entries: Iterable[Entry]) -> list[str]:
    """Problems with a set of entries, in Chinese; empty when they are consistent."""
    entries = list(entries)
    problems: list[str] = []
    ids = {e.id for e in entries}
    seen_ids: set[str] = set()
    owner: dict[str, str] = {}
    for e in entries:
        where = f"条目 {e.id}（{e.title}）"
        if e.id in seen_ids:
            problems.append(f"{where}：编号重复")
        seen_ids.add(e.id)
        if not _ID.match(e.id):
            problems.append(f"{where}：编号应为小写英文、数字和连字符")
        if not e.title.strip():
            problems.append(f"{where}：缺少标题")
        if e.kind not in KINDS:
            problems.append(f"{where}：类别“{e.kind}”不在 {', '.join(KINDS)} 之中")
        if not e.source.strip():
            problems.append(f"{where}：缺少来源")
        if e.effective and e.repealed and e.repealed < e.effective:
            problems.append(f"{where}：废止日期早于施行日期")
        if e.successor and e.successor not in ids:
            problems.append(f"{where}：后继文件“{e.successor}”不存在")
        if e.successor == e.id:
            problems.append(f"{where}：后继文件不能是自身")
        if e.period and e.period[0] > e.period[1]:
            problems.append(f"{where}：规划期起止年份颠倒")
        for name in (*e.names(), *e.aliases):
            k = _key(name)
            if not k:
                problems.append(f"{where}：名称为空")
            elif owner.setdefault(k, e.id) != e.id:
                problems.append(f"{where}：名称“{name}”与条目 {owner[k]} 重复")
    return problems


class Catalog:
    def __init__(self, entries: list[Entry]):
        self.entries = {e.id: e for e in entries}
        self._by_name: dict[str, Entry] = {}
        self._by_key: dict[str, Entry] = {}
        self._by_alias: dict[str, Entry] = {}
        self._by_base: dict[str, list[Entry]] = {}
        for e in entries:
            for name in e.names():
                self._by_name.setdefault(normalize_title(name), e)
                self._by_key.setdefault(_key(name), e)
            for name in e.aliases:
                self._by_alias.setdefault(_key(name), e)
            if e.period:
                for name in (*e.names(), *e.aliases):
                    family = self._by_base.setdefault(base_title(name), [])
                    if e not in family:
                        family.append(e)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, title: str) -> tuple[Entry, bool] | None:
        """(entry, by_alias) for a cited title, or None. by_alias is True when the title is a
        former or variant title rather than the entry's own name."""
        key = _key(title)
        if key in self._by_key:
            return self._by_key[key], False
        if key in self._by_alias:
            return self._by_alias[key], True
        return None

    def successor_of(self, entry: Entry) -> Entry | None:
        return self.entries.get(entry.successor) if entry.successor else None

    def latest(self, entry: Entry) -> Entry:
        """The last entry of the successor chain starting at `entry`."""
        seen = {entry.id}
        while (nxt := self.successor_of(entry)) and nxt.id not in seen:
            seen.add(nxt.id)
            entry = nxt
        return entry

    def family(self, title: str) -> list[Entry]:
        """Plans cited without their period (《法治政府建设实施纲要》): every plan of that name,
        earliest period first."""
        return sorted(self._by_base.get(base_title(title), []), key=lambda e: e.period or (0, 0))

    def names(self) -> dict[str, Entry]:
        """Every normalized own name (title and short names) -> entry."""
        return dict(self._by_name)

    def with_entries(self, extra: Iterable[Entry]) -> Catalog:
        """A new catalog in which `extra` entries replace entries of the same id and win any
        name they share with the existing entries."""
        extra = list(extra)
        replaced = {e.id for e in extra}
        return Catalog(extra + [e for e in self.entries.values() if e.id not in replaced])


def load_entries(name: str = "documents") -> list[Entry]:
    return [entry_from_row(row) for row in knowledge.load(name).get("doc", [])]


@lru_cache(maxsize=1)
def bundled() -> Catalog:
    """The catalog shipped with fazhi, without the user's imported updates."""
    return Catalog(load_entries())


def catalog() -> Catalog:
    """The catalog the checks use: the bundled one with the updates the user imported
    (`fazhi knowledge --import`, fazhi.knowledge.updates) over it."""
    return _with_updates(updates_stamp())


@lru_cache(maxsize=4)
def _with_updates(stamp: tuple[str, int]) -> Catalog:
    extra = []
    for row in read_updates()["docs"] if stamp[1] >= 0 else ():
        try:
            extra.append(entry_from_row(row))
        except (KeyError, ValueError, TypeError):
            continue  # a hand-edited file: what no longer parses is left out
    return bundled().with_entries(extra) if extra else bundled()
