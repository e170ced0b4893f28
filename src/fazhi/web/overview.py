"""The year's figures for the overview page, the ranking, the API and the 通报.

Two sources, one implementation each:
- rates over the roster (报送率, 按时报送率, 通过率, 公开率, 按时公开率): fazhi.web.roster.rates;
- figures over the reports (score distribution, mandated parts, most frequent problems, counts
  by level): fazhi.corpus.stats.corpus_stats — the code of `fazhi stats` — run over the
  workspace's corpus records of the year (the confirmed current version of each unit's report
  is stored under the path 工作台/{year}/{unit}).
Dismissal rates come from the reviews (fazhi.corpus.dismissals, as `fazhi stats` shows them).
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections import defaultdict
from typing import Any, Iterable

from fazhi.config import Config
from fazhi.corpus.dismissals import dismissal_rates
from fazhi.corpus.stats import corpus_stats
from fazhi.corpus.store import Store
from fazhi.parse import resolve_region
from fazhi.score import LABELS as SCORE_LABELS
from fazhi.vocab import PART_NAMES, REQUIRED
from fazhi.web import roster
from fazhi.web.db import Database
from fazhi.web.submissions import CORPUS_PREFIX
from fazhi.web.view import rule_title

TOP_PROBLEMS = 10
OVERDUE_LABELS = {"missing": "未报送", "late": "逾期报送", "unpublished": "未公开", "published_late": "逾期公开"}
COMPONENTS = tuple(SCORE_LABELS)  # compliance, accuracy, specificity, candour, coverage
LEVEL_ORDER = ("central", "province", "city", "county", "township", None)
PLACE_LEVELS = ("province", "city", "county", "township")
MMAP_BYTES = 512 * 1024 * 1024
# audited actions that change no figure of the overview (any other action, including ones added
# later, makes the figures be computed again)
UNCHANGED_BY = ("登录", "退出登录", "添加审核意见", "添加用户", "生成接口令牌", "重设密码", "启用用户", "停用用户")

_local = threading.local()


def prefix(year: int) -> str:
    """The corpus path prefix of the workspace's records of one year."""
    return f"{CORPUS_PREFIX}/{int(year)}/"


def corpus(db: Database) -> Store:
    """A corpus Store (read use only) on the workspace's file, one per thread, reused."""
    stores: dict[str, Store] = _local.__dict__.setdefault("stores", {})
    store = stores.get(db.path)
    if store is None:
        conn = sqlite3.connect(db.path, timeout=db.timeout, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(db.timeout * 1000)}")
        # the year's figures scan a few thousand report rows several times: reading them through
        # a memory map instead of copying each page measured about a third faster
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        store = stores[db.path] = Store(conn, db.path, readonly=True)
    return store


_cache: dict[tuple[str, int, str], tuple[tuple[Any, ...], Any]] = {}
_cache_lock = threading.Lock()
CACHE_ENTRIES = 32


def fingerprint(db: Database, year: int, workspace: bool = True) -> tuple[Any, ...]:
    """What the year's figures depend on, cheaply: its corpus records (a changed report is
    stored under a new id), the stored dedup and follow-up runs, and the workspace's audit log
    (every state change — upload, decision, dismissal, roster, publication, of any year — is
    audited, so the previous year's figures shown beside this year's are covered too; actions
    that change no figure, such as signing in, are left out)."""
    p = prefix(year)
    store = corpus(db)
    n, top = store.query("SELECT count(*), max(id) FROM reports WHERE path >= ? AND path < ?", (p, p + "\U0010ffff"))[0]
    audit = None
    if workspace:
        marks = ", ".join("?" * len(UNCHANGED_BY))
        last = store.query(f"SELECT id FROM ws_audit WHERE action NOT IN ({marks}) ORDER BY id DESC LIMIT 1", UNCHANGED_BY)
        audit = last[0][0] if last else None
    return (n, top, audit, str(store.dedup_run()), str(store.followup_run()))


def cached(db: Database, year: int, key: str, compute: Any, workspace: bool = True) -> Any:
    """compute(), kept until the year's fingerprint changes (the overview of past years, and of
    this year between two submissions, is read many times and changes rarely). With
    workspace=False only the year's corpus records and the stored runs count (for figures of
    the reports alone)."""
    fp = fingerprint(db, year, workspace)
    with _cache_lock:
        hit = _cache.get((db.path, year, key))
    if hit is not None and hit[0] == fp:
        return hit[1]
    value = compute()
    with _cache_lock:
        if len(_cache) >= CACHE_ENTRIES:
            _cache.pop(next(iter(_cache)))
        _cache[(db.path, year, key)] = (fp, value)
    return value


def year_stats(db: Database, config: Config, year: int) -> dict[str, Any]:
    """`fazhi stats` over the workspace's reports of the year, computed again only when they (or
    the stored dedup and follow-up runs) change. Its "dismissals" entry, which comes from the
    reviews, is not used here: top_problems() reads the year's dismissal rates itself."""
    return cached(db, year, f"stats:{id(config)}", lambda: corpus_stats(corpus(db), config, prefix=prefix(year)), workspace=False)


def unit_reports(db: Database, year: int, with_components: bool = False) -> dict[str, dict[str, Any]]:
    """unit -> {"id": corpus report id, "score": overall, and the components when asked} for the
    units whose report of the year is in the corpus."""
    if with_components:
        return cached(db, year, "components", lambda: _unit_reports(db, year, True))
    return _unit_reports(db, year, False)


def _unit_reports(db: Database, year: int, with_components: bool) -> dict[str, dict[str, Any]]:
    p = prefix(year)
    cols = "id, path, score" + (", json_extract(review, '$.scores')" if with_components else "")
    out: dict[str, dict[str, Any]] = {}
    for row in corpus(db).query(f"SELECT {cols} FROM reports WHERE path >= ? AND path < ? AND error_code IS NULL", (p, p + "\U0010ffff")):
        entry: dict[str, Any] = {"id": row[0], "score": row[2]}
        if with_components:
            scores = json.loads(row[3]) if row[3] else {}
            entry.update({k: scores.get(k) for k in COMPONENTS})
        out[row[1][len(p):]] = entry
    return out


# -- places -------------------------------------------------------------------------------
@functools.lru_cache(maxsize=50_000)
def place_of(text: str) -> tuple[str, str, str, str]:
    r = resolve_region(text)
    return (r.province or "", r.city or "", r.county or "", r.township or "")


def region_groups(units: list[dict[str, Any]]) -> dict[str, str]:
    """unit -> the place to break the roster down by: the first level (province, city, county,
    township) at which the units differ; units with no place at that level are the parent
    place's own (本级) units."""
    places = {u["unit"]: place_of(u["region"] or u["unit"]) for u in units}
    depth = 0
    while depth < len(PLACE_LEVELS) - 1 and len({p[depth] for p in places.values()}) <= 1:
        depth += 1
    parent = ""
    for p in places.values():
        if any(p[:depth]):
            parent = "".join(dict.fromkeys(x for x in p[:depth] if x))
            break
    own = f"{parent}本级" if parent else "未识别地区"
    return {unit: (p[depth] or own) for unit, p in places.items()}


# -- the overview -------------------------------------------------------------------------
def overdue(units: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """未报送, 逾期报送, 未公开 (of the submitted), 逾期公开 — one entry per unit and state."""
    out = []
    for u in units:
        base = {"unit": u["unit"], "contact": u["contact"], "roster_id": u["id"], "deadline": u["deadline"], "level": u["level"]}
        if u["state"] == "missing":
            out.append({**base, "state": "missing"})
            continue
        if u["on_time"] == 0:
            out.append({**base, "state": "late", "submitted_at": u["submitted_at"]})
        if not u["published_url"]:
            out.append({**base, "state": "unpublished"})
        elif not u["published_on_time"]:
            out.append({**base, "state": "published_late", "published_on": u["published_on"]})
    order = list(OVERDUE_LABELS)
    return sorted(out, key=lambda e: (order.index(e["state"]), e["unit"]))


def top_problems(db: Database, year: int, stats: dict[str, Any], n: int = TOP_PROBLEMS) -> list[dict[str, Any]]:
    """The most frequent rules of the year's reports: reports having each, their share, and the
    rule's dismissal rate in this year's reviews (None when no decided report had it)."""
    dismissals = {d["code"]: d for d in dismissal_rates(db.conn(), year)}
    readable = stats["readable"]
    out = []
    for f in sorted(stats["findings"], key=lambda f: (-f["reports"], -f["count"], f["code"]))[:n]:
        d = dismissals.get(f["code"])
        out.append({
            "code": f["code"], "name": f["name"], "title": rule_title(f["code"]), "findings": f["count"], "reports": f["reports"],
            "share": round(f["reports"] / readable, 4) if readable else 0.0,
            "dismissal_rate": d["rate"] if d else None, "dismissed": d["dismissed"] if d else 0,
        })
    return out


def breakdown(units: list[dict[str, Any]], key_of: dict[str, Any], scores: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Rates (roster.rates) and the mean score of each group of units."""
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for u in units:
        groups[key_of[u["unit"]]].append(u)
    out = []
    for key, rows in groups.items():
        got = [scores[u["unit"]]["score"] for u in rows if u["unit"] in scores and scores[u["unit"]]["score"] is not None]
        out.append({"key": key, "rates": roster.rates(rows), "mean_score": round(sum(got) / len(got), 1) if got else None, "scored": len(got)})
    return out


def overview(db: Database, config: Config, year: int) -> dict[str, Any]:
    """Every figure of the year's overview (see the module docstring); computed again only when
    the year's data changed (cached())."""
    return cached(db, year, f"overview:{id(config)}", lambda: _overview(db, config, year))


def _overview(db: Database, config: Config, year: int) -> dict[str, Any]:
    units = roster.units(db, year)
    stats = year_stats(db, config, year)
    scores = unit_reports(db, year)
    prev_units = roster.units(db, year - 1)
    prev = None
    if prev_units:
        prev_stats = year_stats(db, config, year - 1)
        prev = {
            "year": year - 1,
            "rates": roster.rates(prev_units),
            "scores": prev_stats["scores"],
            "parts": prev_stats["parts"],
            "shares": {f["code"]: round(f["reports"] / prev_stats["readable"], 4) for f in prev_stats["findings"]} if prev_stats["readable"] else {},
        }
    levels = breakdown(units, {u["unit"]: u["level"] for u in units}, scores)
    levels.sort(key=lambda g: LEVEL_ORDER.index(g["key"]) if g["key"] in LEVEL_ORDER else len(LEVEL_ORDER))
    regions = breakdown(units, region_groups(units), scores)
    regions.sort(key=lambda g: (-g["rates"]["counts"]["total"], g["key"]))
    parts = [
        {"part": p, "label": PART_NAMES[p], "required": p in REQUIRED, **stats["parts"][p], "missing": stats["readable"] - stats["parts"][p]["present"]}
        for p in stats["parts"]
    ]
    return {
        "year": year,
        "units": units,
        "rates": roster.rates(units),
        "overdue": overdue(units),
        "stats": stats,
        "parts": parts,
        "top_problems": top_problems(db, year, stats),
        "levels": levels,
        "regions": regions,
        "previous": prev,
        "scores": scores,
    }


# -- ranking ------------------------------------------------------------------------------
def ranking(units: list[dict[str, Any]], scores: dict[str, dict[str, Any]], by: str = "score") -> list[dict[str, Any]]:
    """Units with a report of the year, best first by `by` (the overall score or a component);
    equal values share a rank (1, 2, 2, 4). Units without a report are not ranked: see unranked()."""
    rows = []
    for u in units:
        s = scores.get(u["unit"])
        if u["state"] == "missing" or s is None or s.get(by) is None:
            continue
        rows.append({**{k: u[k] for k in ("id", "unit", "level", "region", "state", "on_time", "published_url", "contact")}, **s})
    rows.sort(key=lambda r: (-r[by], r["unit"]))
    rank = 0
    for i, r in enumerate(rows):
        if i == 0 or r[by] != rows[i - 1][by]:
            rank = i + 1
        r["rank"] = rank
    return rows


def unranked(units: list[dict[str, Any]], ranked: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The units of the roster that are not in the ranking (not reported, or not scored)."""
    done = {r["unit"] for r in ranked}
    return [u for u in units if u["unit"] not in done]


def units_behind(
    db: Database,
    year: int,
    *,
    show: str | None = None,
    level: str | None = None,
    region: str | None = None,
    part: str | None = None,
    rule: str | None = None,
    score_lo: float | None = None,
    score_hi: float | None = None,
) -> list[dict[str, Any]]:
    """The roster units behind a figure of the overview (all criteria combined with AND):
    show = submitted | missing | on_time | late | approved | published | unpublished |
    published_on_time | published_late | scored; part = a mandated part the report lacks;
    rule = a rule code the report has; score in [score_lo, score_hi)."""
    units = roster.units(db, year)
    scores = unit_reports(db, year)
    tests = {
        "submitted": lambda u: u["state"] != "missing",
        "missing": lambda u: u["state"] == "missing",
        "on_time": lambda u: u["on_time"] == 1,
        "late": lambda u: u["on_time"] == 0,
        "approved": lambda u: u["state"] == "approved",
        "published": lambda u: bool(u["published_url"]),
        "unpublished": lambda u: u["state"] != "missing" and not u["published_url"],
        "published_on_time": lambda u: u["published_on_time"],
        "published_late": lambda u: bool(u["published_url"]) and not u["published_on_time"],
        "scored": lambda u: u["unit"] in scores,
    }
    if show in tests:
        units = [u for u in units if tests[show](u)]
    if level:
        units = [u for u in units if (u["level"] or "") == ("" if level == "none" else level)]
    if region:
        groups = region_groups(roster.units(db, year))
        units = [u for u in units if groups.get(u["unit"]) == region]
    if part or rule:
        p = prefix(year)
        if part:
            sql = "SELECT r.path FROM reports r WHERE r.path >= ? AND r.path < ? AND r.error_code IS NULL AND NOT EXISTS (SELECT 1 FROM parts x WHERE x.report_id = r.id AND x.part = ?)"
        else:
            sql = "SELECT r.path FROM reports r WHERE r.path >= ? AND r.path < ? AND EXISTS (SELECT 1 FROM findings f WHERE f.report_id = r.id AND f.code = ?)"
        hit = {row[0][len(p):] for row in corpus(db).query(sql, (p, p + "\U0010ffff", part or rule))}
        units = [u for u in units if u["unit"] in hit]
    if score_lo is not None or score_hi is not None:
        lo = score_lo if score_lo is not None else float("-inf")
        hi = score_hi if score_hi is not None else float("inf")
        units = [u for u in units if u["unit"] in scores and scores[u["unit"]]["score"] is not None and lo <= scores[u["unit"]]["score"] < hi]
    for u in units:
        s = scores.get(u["unit"])
        u["score"] = s["score"] if s else None
        u["report_id"] = s["id"] if s else None
    return units
