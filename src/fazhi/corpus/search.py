"""Full-text search over the corpus.

The query is split on whitespace; every term must occur (AND). Terms of three characters or
more go through the FTS5 trigram index, each quoted as a phrase (so FTS5 syntax characters in
a query are plain text); a term matches a report when it occurs in its title or its text.
A trigram index cannot find strings shorter than three characters, so 1-2 character terms are
matched with LIKE over the normalized text; a query made only of such terms scans every report
(slower on a big corpus) and is ordered by year (newest first) and path. Matching ignores ASCII
case.

Ordering and query plans (the set of reports that can be returned is the same in every plan:
those matching every term and every filter; only which `limit` of them come first differs):

* "ranked": every term, on its own, occurs in at most RANK_CAP reports (found out cheaply by
  reading at most RANK_CAP + 1 rowids from the index per term). All matches that pass the
  filters are ranked by FTS5 bm25 (title weighted 5, text 1), best first. Exact, and cheap
  because bm25's cost is linear in the reports containing each term (it scans them all for the
  term's idf, and scores every match).
* "bounded": some term occurs in more than RANK_CAP reports (~100-250 ms of bm25 for a phrase
  in 90% of 100,000 reports). Instead the pool (max(limit, RANK_POOL)) most recently indexed
  matching reports that pass the filters are collected and ranked by the BM25 formula
  computed from their occurrence counts (title weighted 5, all terms weighted equally), best
  first; ties newest first. When at most RANK_CAP reports contain all the terms, the probe
  already holds all of them; otherwise the rest of the pool is found by one of two loops,
  chosen by estimated cost:
    - "match-first": walk the matches from the newest rowid down, checking the filters on each
      report (cheap when many reports pass the filters);
    - "filter-first": take the reports that pass the most selective indexed filter (year,
      level, province prefix, issuer, rule, score range), newest first, and check the terms in
      their title and text with instr() (cheap when few reports pass the filters). Used only
      for terms whose characters have no case or are ASCII letters other than k/s, where
      instr() on lower() is exactly FTS5's case folding (FTS5 also folds e.g. KELVIN SIGN to
      "k", which lower() does not).
  See plan_of() for the choice; tests compare every plan with a brute-force scan.

Reports whose full-text rows are still pending (Store.fts_missing(): an interrupted or
running `fazhi index`) are not found; `fazhi search` adds those rows first when it can write the
database, and otherwise says how many reports it could not search.

(complete_pending() is that step, shared with the workspace's search page.)

start/end are the offsets of the first occurrence of the first term in the normalized text
(the coordinate system of every offset in a review); snippet is about SNIPPET characters of
text around it, newlines shown as spaces.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from fazhi.corpus.store import LEVEL_ALIASES, Store, StoreError, like_escape, where_clause

SNIPPET = 60
RANK_CAP = 2000  # at most this many matches: rank all of them by bm25
RANK_POOL = 100  # more matches: rank the newest max(limit, RANK_POOL) matches
CHUNK = 256  # ids checked per statement in the filter-first loop
# Rough per-row costs in microseconds, measured on 100,000 reports (2-core machine).
COST_MATCH_ROW = 2.0  # match-first: next FTS5 match + primary-key lookup + filters
COST_TEXT_ROW = 12.0  # filter-first: instr() over title and text (the row's overflow pages)
COST_COND_ROW = 1.0  # filter-first: primary-key lookup + filters
COST_ID_ROW = 0.3  # reading one id from an index
COST_INDEX_ROW = 0.1  # scanning one entry of the issuer index (LIKE '%...%' reads all of it)
K1, B = 1.2, 0.75  # BM25 parameters (FTS5's defaults)
TITLE_WEIGHT = 5.0

FTS_WAIT = 2.0  # seconds a search waits for a running writer before searching without the missing rows
BIG_COMPLETION = 2000  # pending reports from which completing them is worth a word to the user


def complete_pending(db: str | os.PathLike[str], notice: Callable[[int], None] | None = None) -> int:
    """Add the full-text rows an interrupted (or running) `fazhi index` left out, when the
    database can be written, so that a search finds every stored report; returns how many
    reports a search still cannot find (0 unless the file is read-only or another writer holds
    it for more than FTS_WAIT seconds). `notice(n)` is called before a completion of
    BIG_COMPLETION reports or more (it takes a while)."""
    with Store.open(db, readonly=True) as store:
        missing = store.fts_missing()
    if not missing:
        return 0
    try:
        with Store.open(db, timeout=FTS_WAIT) as store:
            if missing >= BIG_COMPLETION and notice is not None:
                notice(missing)
            store.complete_fts()
            return store.fts_missing()
    except StoreError:
        with Store.open(db, readonly=True) as store:
            return store.fts_missing()


@dataclass(slots=True)
class Hit:
    id: int
    path: str
    title: str | None
    issuer: str | None
    report_year: int | None
    score: float | None
    snippet: str
    start: int | None  # offset of the first match in the normalized text
    end: int | None
    line: int | None  # 1-based line of the match
    snippet_start: int  # offset of the snippet's first character

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path, "title": self.title, "issuer": self.issuer, "report_year": self.report_year,
            "snippet": self.snippet, "start": self.start, "end": self.end,
        }


def fts_phrase(term: str) -> str:
    """A term as an FTS5 phrase: in double quotes, inner quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def search(store: Store, query: str, limit: int = 20, **filters: Any) -> list[Hit]:
    """Reports matching every term of `query` and the filters (see store.where_clause), best first."""
    # One read transaction: the plan's several statements and the hits see one snapshot even
    # while `fazhi index` commits (WAL readers are never blocked).
    own = not store.conn.in_transaction
    if own:
        store.query("BEGIN")
    try:
        ids = search_ids(store, query, limit, **filters)
        first = query.split()[0]
        return [_hit(store, rid, first) for rid in ids]
    finally:
        if own and store.conn.in_transaction:
            store.conn.execute("COMMIT")


def search_ids(store: Store, query: str, limit: int = 20, plan: str | None = None, explain: dict[str, Any] | None = None,
               **filters: Any) -> list[int]:
    """The ids search() returns, in order. `plan` forces "ranked", "match-first" or
    "filter-first" (tests); by default the plan is chosen as the module docstring says.
    `explain`, a dict, receives "plan": "like-scan", "ranked", "probe" (bounded, the probe held
    every match), "match-first" or "filter-first:<driving filter or scan>" (benchmarks)."""
    info = explain if explain is not None else {}
    terms = query.split()
    if not terms:
        raise ValueError("empty query")
    limit = max(0, int(limit))
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    where, params = where_clause(filters)
    short_cond = " AND ".join(["r.text LIKE ? ESCAPE '\\'"] * len(short_terms))
    short_params = ["%" + like_escape(t) + "%" for t in short_terms]
    cond = " AND ".join(c for c in (where if where != "1" else "", short_cond) if c) or "1"
    cond_params = [*params, *short_params]
    if not long_terms:
        info["plan"] = "like-scan"
        sql = f"SELECT r.id FROM reports r WHERE {cond} ORDER BY r.report_year DESC, r.path LIMIT ?"
        return [row[0] for row in store.query(sql, [*cond_params, limit])]
    if limit == 0:
        return []
    match = " AND ".join(fts_phrase(t) for t in long_terms)
    filtered = cond != "1"
    cap = RANK_CAP
    probe = [row[0] for row in store.query(
        "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? ORDER BY rowid DESC LIMIT ?", (match, cap + 1))]
    if plan is None and len(probe) <= cap and (len(long_terms) == 1 or all(_few(store, t, cap) for t in long_terms)):
        plan = "ranked"
    if plan == "ranked":
        info["plan"] = "ranked"
        return _ranked(store, match, cond, cond_params, filtered, limit)
    pool_size = max(limit, RANK_POOL)
    # Every match with a rowid at or above the probe's last one is in the probe: check the
    # filters on them, newest first, until the pool is full.
    if filtered:
        probe_stats = _check_probe(store, probe, filters, short_cond, short_params, pool_size)
    else:
        probe_stats = ProbeStats(len(probe), probe[:pool_size], [])
    pool = probe_stats.passed[:pool_size]
    info["plan"] = "probe"
    if len(pool) < pool_size and len(probe) > cap:
        need = pool_size - len(pool)
        below = probe[-1]  # every match at or above this rowid has been checked
        driver: Driver | None = None
        if plan is None:
            plan, driver = plan_of(store, long_terms, filters, probe_stats, len(probe), below, need)
        if plan == "filter-first" and not _instr_exact(long_terms):
            plan = "match-first"
        if plan == "filter-first":
            if driver is None:
                driver = _cheapest_driver(store, filters)
            info["plan"] = f"filter-first:{driver.key if driver else 'scan'}"
            pool += _filter_first(store, long_terms, driver, cond, cond_params, below, need)
        else:
            info["plan"] = "match-first"
            pool += _match_first(store, match, cond, cond_params, filtered, below, need)
    return _rank_pool(store, pool, long_terms)[:limit]


@dataclass(slots=True)
class ProbeStats:
    checked: int  # probe rowids whose filters were evaluated
    passed: list[int]  # those passing every filter (and short term), newest first
    key_passed: list[tuple[str, int]]  # (filter key, how many of the checked passed it)


@dataclass(slots=True)
class Driver:
    """A set of report ids, read through an index, that contains every report passing the
    filters: the filter-first loop walks it."""
    key: str
    sql: str  # SELECT id ... (ids may repeat)
    params: list[Any]


# -- plans -------------------------------------------------------------------------------


def _few(store: Store, term: str, cap: int) -> bool:
    """True when at most `cap` reports contain `term`. bm25 scans every report containing each
    phrase of the query (for its idf), so one common term makes it slow however few reports
    contain all the terms."""
    sql = "SELECT count(*) FROM (SELECT 1 FROM reports_fts WHERE reports_fts MATCH ? LIMIT ?)"
    return int(store.query(sql, (fts_phrase(term), cap + 1))[0][0]) <= cap


def _ranked(store: Store, match: str, cond: str, params: list[Any], filtered: bool, limit: int) -> list[int]:
    rank = "ORDER BY bm25(reports_fts, 5.0, 1.0) LIMIT ?"
    if not filtered:  # no join: about half the time on common terms
        sql = f"SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? {rank}"
    else:  # CROSS JOIN: the FTS table drives (a MATCH probe per report would be far slower)
        sql = (
            "SELECT r.id FROM reports_fts CROSS JOIN reports r ON r.id = reports_fts.rowid"
            f" WHERE reports_fts MATCH ? AND {cond} {rank}"
        )
    return [row[0] for row in store.query(sql, [match, *params, limit])]


def _match_first(store: Store, match: str, cond: str, params: list[Any], filtered: bool, below: int, need: int) -> list[int]:
    """The `need` newest matches with rowid < below that pass the filters."""
    if not filtered:
        sql = "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?"
        return [row[0] for row in store.query(sql, (match, below, need))]
    sql = (
        "SELECT r.id FROM reports_fts CROSS JOIN reports r ON r.id = reports_fts.rowid"
        f" WHERE reports_fts MATCH ? AND reports_fts.rowid < ? AND {cond} ORDER BY reports_fts.rowid DESC LIMIT ?"
    )
    return [row[0] for row in store.query(sql, [match, below, *params, need])]


def _filter_first(store: Store, terms: Sequence[str], driver: "Driver | None", cond: str, params: list[Any],
                  below: int, need: int) -> list[int]:
    """The `need` newest reports with id < below that pass the filters and contain every term,
    walking the driver's reports (or, without one, every report) newest first."""
    if driver is None:
        ids = [row[0] for row in store.query("SELECT id FROM reports WHERE id < ? ORDER BY id DESC", (below,))]
    else:
        ids = sorted({row[0] for row in store.query(driver.sql, driver.params) if row[0] < below}, reverse=True)
    text_cond, text_params = _instr_condition(terms)
    # CASE: the filters first, the (costly) text only for reports that pass them; a plain AND
    # lets SQLite evaluate a subquery filter (rule) after the text.
    check = f"CASE WHEN {cond} THEN {text_cond} ELSE 0 END"
    out: list[int] = []
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i:i + CHUNK]
        marks = ", ".join("?" * len(chunk))
        out += [row[0] for row in store.query(
            f"SELECT r.id FROM reports r WHERE r.id IN ({marks}) AND {check} ORDER BY r.id DESC LIMIT ?",
            [*chunk, *params, *text_params, need - len(out)])]
        if len(out) >= need:
            break
    return out[:need]


def _check_probe(store: Store, probe: Sequence[int], filters: dict[str, Any], short_cond: str, short_params: list[Any],
                 pool_size: int) -> ProbeStats:
    """Evaluate every filter on the probe's reports, newest first, chunk by chunk until
    `pool_size` pass: which pass all (the pool) and how many pass each (for plan_of)."""
    keys: list[tuple[str, str, list[Any]]] = []
    for key, value in filters.items():
        if value is None or value == "":
            continue
        sql, p = where_clause({key: value})
        keys.append((key, sql, p))
    flags = ", ".join(f"coalesce({sql}, 0)" for _, sql, _ in keys) or "1"
    flag_params = [x for _, _, p in keys for x in p]
    every = " AND ".join(f"({sql})" for _, sql, _ in keys) or "1"
    every_params = [x for _, _, p in keys for x in p]
    tail = f"CASE WHEN {every} THEN {short_cond or '1'} ELSE 0 END"
    stats = ProbeStats(0, [], [(k, 0) for k, _, _ in keys])
    counts = [0] * len(keys)
    for i in range(0, len(probe), CHUNK):
        chunk = probe[i:i + CHUNK]
        marks = ", ".join("?" * len(chunk))
        rows = store.query(
            f"SELECT r.id, {tail}, {flags} FROM reports r WHERE r.id IN ({marks})",
            [*every_params, *short_params, *flag_params, *chunk])
        for row in sorted(rows, reverse=True):
            if row[1]:
                stats.passed.append(row[0])
            for j in range(len(keys)):
                counts[j] += 1 if row[2 + j] else 0
        stats.checked += len(chunk)
        if len(stats.passed) >= pool_size:
            break
    stats.key_passed = [(k, n) for (k, _, _), n in zip(keys, counts)]
    return stats


def plan_of(store: Store, terms: Sequence[str], filters: dict[str, Any], stats: ProbeStats, probed: int,
            below: int, need: int) -> tuple[str, "Driver | None"]:
    """Choose how to find `need` more matches below rowid `below`: ("match-first", None) or
    ("filter-first", driver). Estimates come free from the probe: the share of the checked
    matches passing all filters (and each indexed filter), and the density of matches among
    rowids (probe size over its rowid span); no COUNT over the corpus is run."""
    if not _instr_exact(terms) or not stats.key_passed:
        return "match-first", None
    top = _max_id(store)
    density = min(1.0, probed / max(1, top - below + 1))
    checked = max(1, stats.checked)
    floor = 0.5 / checked  # nothing passed: the share is probably below 1 / checked
    share = max(len(stats.passed) / checked, floor)
    remaining = density * below
    cost_match = min(need / share, remaining) * COST_MATCH_ROW
    passing = share * below  # reports below that pass the filters (assuming independence from the terms)
    text_rows = min(passing, need / max(density, 1e-9))
    best: tuple[float, Driver | None] = (cost_match, None)
    by_key = dict(stats.key_passed)
    for driver in _drivers(store, filters):
        key_share = max(by_key.get(driver.key, checked) / checked, floor)
        size = key_share * below
        fetch = below * COST_INDEX_ROW if driver.key == "issuer" else size * COST_ID_ROW
        scanned = min(size, text_rows * size / max(passing, 1e-9))
        cost = fetch + scanned * COST_COND_ROW + text_rows * COST_TEXT_ROW
        if cost < best[0]:
            best = (cost, driver)
    if best[1] is None:
        return "match-first", None
    return "filter-first", best[1]


def _cheapest_driver(store: Store, filters: dict[str, Any]) -> "Driver | None":
    """Without estimates (a forced plan): the first indexed filter other than issuer."""
    drivers = _drivers(store, filters)
    drivers.sort(key=lambda d: d.key == "issuer")
    return drivers[0] if drivers else None


# -- filter-first helpers ----------------------------------------------------------------


def _instr_exact(terms: Sequence[str]) -> bool:
    """True when instr() (over lower() for ASCII letters) finds exactly what FTS5 trigram
    (case-folding) matching finds: no cased character other than ASCII letters, and no k/s
    (FTS5 folds KELVIN SIGN and LONG S to them), and no U+FFFD (the noncharacters U+FFFE and
    U+FFFF are indexed as U+FFFD)."""
    for t in terms:
        for ch in t:
            if ch == "\ufffd" or (ch.lower() != ch.upper() and (not ch.isascii() or ch in "kKsS")):
                return False
    return True


def _instr_condition(terms: Sequence[str]) -> tuple[str, list[Any]]:
    conds, params = [], []
    for t in terms:
        folded = any(ch.isascii() and ch.isalpha() for ch in t)
        title, text = ("lower(coalesce(r.title, ''))", "lower(r.text)") if folded else ("coalesce(r.title, '')", "r.text")
        conds.append(f"(instr({title}, ?) > 0 OR instr({text}, ?) > 0)")
        t = t.lower() if folded else t
        params += [t, t]
    return " AND ".join(conds), params


def _indexes(store: Store) -> set[str]:
    cached = getattr(store, "_search_indexes", None)
    if cached is None:
        cached = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        try:
            store._search_indexes = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached


def _max_id(store: Store) -> int:
    return int(store.query("SELECT coalesce(max(id), 0) FROM reports")[0][0])


def _drivers(store: Store, filters: dict[str, Any]) -> list[Driver]:
    """One Driver per filter that an index can answer (a superset of the reports passing the
    filter; the filters themselves are checked again on every id)."""
    have = _indexes(store)
    out: list[Driver] = []
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key == "year" and "reports_year" in have:
            out.append(Driver(key, "SELECT id FROM reports WHERE report_year = ?", [int(value)]))
        elif key == "level" and "reports_level" in have:
            out.append(Driver(key, "SELECT id FROM reports WHERE issuer_level = ?", [LEVEL_ALIASES.get(str(value), str(value))]))
        elif key == "province" and "reports_region" in have and not any(c.isascii() and c.isalpha() for c in str(value)):
            prefix = str(value)
            if ord(prefix[-1]) < 0x10FFFF:  # [prefix, prefix with its last character + 1): every string it starts
                upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
                out.append(Driver(key, "SELECT id FROM reports WHERE province >= ? AND province < ?", [prefix, upper]))
        elif key == "issuer" and "reports_issuer" in have:
            out.append(Driver(key, "SELECT id FROM reports INDEXED BY reports_issuer WHERE issuer LIKE ? ESCAPE '\\'",
                              ["%" + like_escape(str(value)) + "%"]))
        elif key == "rule" and {"findings_name", "findings_code"} <= have:
            out.append(Driver(key, "SELECT report_id FROM findings WHERE name = ? OR code = ?", [str(value), str(value).upper()]))
        elif key in ("min_score", "max_score") and "reports_score" in have:
            op = ">=" if key == "min_score" else "<="
            out.append(Driver(key, f"SELECT id FROM reports WHERE score {op} ?", [float(value)]))
        elif key == "ids":
            ids = [int(i) for i in value]
            out.append(Driver(key, f"SELECT id FROM reports WHERE id IN ({', '.join('?' * len(ids))})" if ids else "SELECT 0 WHERE 0", ids))
    return out


# -- ranking a bounded pool --------------------------------------------------------------


def _rank_pool(store: Store, pool: Sequence[int], terms: Sequence[str]) -> list[int]:
    """`pool` ordered by BM25 from occurrence counts (title weighted TITLE_WEIGHT, every term
    weight 1; document length in characters), best first, ties newest first."""
    if len(pool) <= 1:
        return list(pool)
    cols, params = [], []
    for t in terms:
        folded = any(ch.isascii() and ch.isalpha() for ch in t)
        title, text = ("lower(coalesce(title, ''))", "lower(text)") if folded else ("coalesce(title, '')", "text")
        for col in (title, text):
            cols.append(f"(length({col}) - length(replace({col}, ?, ''))) / {len(t)}")
            params.append(t.lower() if folded else t)
    rows = []
    step = 4 * CHUNK  # SQLite allows at most 32766 parameters per statement
    for i in range(0, len(pool), step):
        chunk = pool[i:i + step]
        marks = ", ".join("?" * len(chunk))
        rows += store.query(
            f"SELECT id, length(coalesce(title, '')) + length(text), {', '.join(cols)} FROM reports WHERE id IN ({marks})",
            [*params, *chunk])
    avg = sum(r[1] for r in rows) / len(rows) or 1.0
    scored = []
    for r in rows:
        norm = K1 * (1 - B + B * r[1] / avg)
        s = 0.0
        for i in range(len(terms)):
            f = TITLE_WEIGHT * r[2 + 2 * i] + r[3 + 2 * i]
            s += f * (K1 + 1) / (f + norm) if f else 0.0
        scored.append((-s, -r[0]))
    scored.sort()
    return [-rid for _, rid in scored]


def _hit(store: Store, rid: int, term: str) -> Hit:
    rows = store.query(
        "SELECT path, title, issuer, report_year, score, instr(lower(text), lower(?)) FROM reports WHERE id = ?",
        (term, rid),
    )
    path, title, issuer, year, score, pos = rows[0]
    if not pos:  # the match was in the title only
        return Hit(rid, path, title, issuer, year, score, (title or "")[:SNIPPET], None, None, None, 0)
    start = pos - 1
    end = start + len(term)
    left = max(0, start - max(0, (SNIPPET - len(term)) // 2))
    window, line = store.query(
        "SELECT substr(text, ?, ?), length(substr(text, 1, ?)) - length(replace(substr(text, 1, ?), char(10), '')) + 1"
        " FROM reports WHERE id = ?",
        (left + 1, max(SNIPPET, len(term)), start, start, rid),
    )[0]
    return Hit(rid, path, title, issuer, year, score, window.replace("\n", " "), start, end, line, left)


__all__ = ["Hit", "search", "search_ids", "plan_of", "fts_phrase", "StoreError"]
