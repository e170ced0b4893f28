"""The corpus in the browser: what the search, duplicates, follow-up, history and comparison
pages show, computed by the corpus modules (fazhi.corpus.search, the stored `fazhi dedup`
results and fazhi.corpus.dedup.shared_passages, fazhi.corpus.followup) over the workspace's
database file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fazhi.api import load
from fazhi.corpus.dedup import shared_passages
from fazhi.corpus.followup import link_pair, report_items
from fazhi.corpus.search import Hit, complete_pending, search
from fazhi.score import LABELS as SCORE_LABELS
from fazhi.web import overview as ov
from fazhi.web.db import Database
from fazhi.web.submissions import CORPUS_PREFIX
from fazhi.vocab import COPY_KIND_TITLES
from fazhi.web.view import Segment, rule_title, segments

SEARCH_FILTERS = ("year", "level", "kind", "province", "city", "county", "issuer", "rule", "min_score", "max_score")
DUPLICATES_PAGE = 50


@dataclass(slots=True)
class Record:
    """A corpus report as the pages name it."""

    id: int
    path: str
    issuer: str | None
    year: int | None
    score: float | None
    unit: str | None = None  # the workspace unit, for records of the workspace
    ws_year: int | None = None

    @property
    def name(self) -> str:
        if self.unit:
            return f"{self.unit}（{self.ws_year}年度）"
        who = self.issuer or self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return f"{who}（{self.year}年度）" if self.year else who


def workspace_key(path: str) -> tuple[int, str] | None:
    """(year, unit) of a workspace record's path 工作台/{year}/{unit}."""
    head, _, rest = path.partition("/")
    year, _, unit = rest.partition("/")
    if head != CORPUS_PREFIX or not year.isdigit() or not unit:
        return None
    return int(year), unit


def records(db: Database, ids: list[int]) -> dict[int, Record]:
    if not ids:
        return {}
    out = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for rid, path, issuer, year, score in ov.corpus(db).query(
            f"SELECT id, path, issuer, report_year, score FROM reports WHERE id IN ({', '.join('?' * len(chunk))})", chunk
        ):
            key = workspace_key(path)
            out[rid] = Record(rid, path, issuer, year, score, key[1] if key else None, key[0] if key else None)
    return out


def record_by_unit(db: Database, unit: str, year: int) -> Record | None:
    row = ov.corpus(db).query("SELECT id FROM reports WHERE path = ? AND error_code IS NULL", (f"{ov.prefix(year)}{unit}",))
    return records(db, [row[0][0]]).get(row[0][0]) if row else None


def roster_ids(db: Database, recs: list[Record]) -> dict[int, int]:
    """corpus id -> the workspace roster row of the record's unit and year (for links)."""
    out = {}
    for r in recs:
        if r.unit:
            row = db.one("SELECT id FROM ws_roster WHERE year = ? AND unit = ?", (r.ws_year, r.unit))
            if row:
                out[r.id] = row[0]
    return out


# -- search ------------------------------------------------------------------------------
def clean_filters(q: Any) -> dict[str, Any]:
    """The search filters of a query string, typed as `fazhi search` takes them; invalid
    numbers are dropped (ValueError names the field)."""
    out: dict[str, Any] = {}
    for k in SEARCH_FILTERS:
        v = (q.get(k) or "").strip()
        if not v:
            continue
        if k == "year":
            if not v.isdigit():
                raise ValueError("年度")
            out[k] = int(v)
        elif k in ("min_score", "max_score"):
            try:
                out[k] = float(v)
            except ValueError:
                raise ValueError("得分") from None
        else:
            out[k] = v[:100]
    return out


def run_search(db: Database, query: str, limit: int, filters: dict[str, Any]) -> tuple[list[tuple[Hit, Record]], int]:
    """(hits with their records, how many stored reports the search could not look at): the
    full-text rows a `fazhi index` run on this file left pending are added first (as `fazhi
    search` does), so that the page does not silently miss reports."""
    store = ov.corpus(db)
    missing = store.fts_missing() and complete_pending(db.path)
    hits = search(store, query, limit=limit, **filters)
    recs = records(db, [h.id for h in hits])
    return [(h, recs[h.id]) for h in hits if h.id in recs], missing


# -- duplicates --------------------------------------------------------------------------
def duplicates(db: Database, kind: str | None, year: int | None, page: int) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
    """The stored pairs of the last dedup run, most copied characters first: (run, pairs, total)."""
    store = ov.corpus(db)
    run = store.dedup_run()
    if run is None:
        return None, [], 0
    conds, params = ["1"], []
    if kind:
        conds.append("c.kind = ?")
        params.append(kind)
    if year:
        conds.append("(a.report_year = ? OR b.report_year = ?)")
        params += [year, year]
    where = " AND ".join(conds)
    base = f"FROM copies c JOIN reports a ON a.id = c.a_id JOIN reports b ON b.id = c.b_id WHERE {where}"
    total = store.query(f"SELECT count(*) {base}", params)[0][0]
    rows = store.query(
        f"SELECT c.a_id, c.b_id, c.kind, c.similarity, c.passages, c.chars {base} ORDER BY c.chars DESC, c.similarity DESC, c.a_id, c.b_id LIMIT ? OFFSET ?",
        [*params, DUPLICATES_PAGE, (max(1, page) - 1) * DUPLICATES_PAGE],
    )
    recs = records(db, sorted({r[0] for r in rows} | {r[1] for r in rows}))
    pairs = [
        {"a": recs[a], "b": recs[b], "kind": k, "kind_label": COPY_KIND_TITLES.get(k, k), "similarity": sim, "passages": n, "chars": chars}
        for a, b, k, sim, n, chars in rows if a in recs and b in recs
    ]
    return run, pairs, total


# -- compare -----------------------------------------------------------------------------
@dataclass(slots=True)
class Comparison:
    a: Record
    b: Record
    passages: list[dict[str, Any]]  # {"n", "a", "b"}: the shared passage in each, with context
    a_lines: list[list[Segment]]
    b_lines: list[list[Segment]]
    shared_chars: int
    a_chars: int
    b_chars: int


def _context(text: str, start: int, end: int, n: int = 30) -> dict[str, str]:
    return {"before": text[max(0, start - n) : start], "text": text[start:end], "after": text[end : end + n]}


def compare(db: Database, a_id: int, b_id: int) -> Comparison | None:
    store = ov.corpus(db)
    recs = records(db, [a_id, b_id])
    if a_id not in recs or b_id not in recs:
        return None
    ta, tb = store.text(a_id), store.text(b_id)
    found = sorted(shared_passages(ta, tb), key=lambda p: p.a_start)
    passages = [{"n": i + 1, "a": _context(ta, p.a_start, p.a_end), "b": _context(tb, p.b_start, p.b_end)} for i, p in enumerate(found)]
    # each passage as a "finding" of its text, so the page marks it where it is (view.segments)
    spans_a = [{"start": p.a_start, "end": p.a_end, "severity": "info"} for p in found]
    spans_b = [{"start": p.b_start, "end": p.b_end, "severity": "info"} for p in found]
    return Comparison(
        recs[a_id], recs[b_id], passages, segments(ta, spans_a), segments(tb, spans_b),
        sum(p.a_end - p.a_start for p in found), len(ta), len(tb),
    )


# -- follow-up and history -----------------------------------------------------------------
def followup_unit(db: Database, unit: str, year: int) -> dict[str, Any] | None:
    """Year-1's shortcomings and plans of the unit, and where its report of `year` answers each
    (fazhi.corpus.followup.link_pair); None when either report is missing."""
    before, now = record_by_unit(db, unit, year - 1), record_by_unit(db, unit, year)
    if before is None or now is None:
        return {"before": before, "now": now, "items": None}
    store = ov.corpus(db)
    doc_a, doc_b = load(store.text(before.id)), load(store.text(now.id))
    items = link_pair(doc_a, report_items(store.get(before.id), doc_a), doc_b)
    return {"before": before, "now": now, "items": items}


def followup_units(db: Database, year: int) -> list[dict[str, Any]]:
    """Units with workspace reports of year-1 and year, with the stored `fazhi followup` counts
    when a run covered them."""
    store = ov.corpus(db)
    now, before = ov.unit_reports(db, year), ov.unit_reports(db, year - 1)
    links = store.followups_to() if store.followup_run() else {}
    out = []
    for unit in sorted(set(now) & set(before)):
        link = links.get(now[unit]["id"])
        out.append({"unit": unit, "counts": None if link is None else link[1:]})
    return out


def history(db: Database, unit: str) -> dict[str, Any]:
    """The unit's years: roster state, score and components, and the problems found in more
    than one year (recurring)."""
    rows = [dict(r) for r in db.query("SELECT * FROM ws_roster WHERE unit = ? ORDER BY year", (unit,))]
    store = ov.corpus(db)
    years = []
    codes: dict[str, dict[int, int]] = {}
    for r in rows:
        got = store.query(
            "SELECT id, score, json_extract(review, '$.scores') FROM reports WHERE path = ? AND error_code IS NULL", (f"{ov.prefix(r['year'])}{unit}",)
        )
        entry = {**r, "report_id": None, "score": None, "components": {}}
        if got:
            rid, score, scores = got[0]
            entry.update(report_id=rid, score=score, components={k: v for k, v in json.loads(scores or "{}").items() if k in SCORE_LABELS})
            for code, n in store.query("SELECT code, count(*) FROM findings WHERE report_id = ? GROUP BY code", (rid,)):
                codes.setdefault(code, {})[r["year"]] = n
        years.append(entry)
    recurring = [
        {"code": code, "title": rule_title(code), "years": per_year}
        for code, per_year in sorted(codes.items(), key=lambda kv: (-len(kv[1]), -sum(kv[1].values()), kv[0]))
        if len(per_year) >= 2
    ]
    return {"unit": unit, "years": years, "recurring": recurring}
