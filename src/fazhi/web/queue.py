"""The reviewers' queue: every unit of a year's roster with its current version, filtered,
sorted and paginated in SQL (fast on a large store)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.corpus.store import like_escape
from fazhi.web.db import Database
from fazhi.web.roster import LEVELS

PAGE_SIZE = 50
QUEUE_SORTS = {
    "waiting": ("等待最久", "CASE r.state WHEN 'submitted' THEN 0 WHEN 'returned' THEN 1 WHEN 'missing' THEN 2 ELSE 3 END, v.submitted_at, r.unit"),
    "unit": ("单位名称", "r.unit"),
    "score": ("得分从低到高", "v.score IS NULL, v.score, r.unit"),
    "score_desc": ("得分从高到低", "v.score IS NULL, v.score DESC, r.unit"),
    "errors": ("错误最多", "v.errors IS NULL, v.errors DESC, r.unit"),
    "submitted": ("最近报送", "v.submitted_at IS NULL, v.submitted_at DESC, r.unit"),
}


@dataclass(slots=True)
class QueuePage:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def queue(
    db: Database,
    year: int,
    *,
    level: str | None = None,
    region: str | None = None,
    state: str | None = None,
    rule: str | None = None,
    min_score: float | None = None,
    max_score: float | None = None,
    sort: str | None = None,
    page: int = 1,
) -> QueuePage:
    conds = ["r.year = ?"]
    params: list[Any] = [year]
    if level:
        conds.append("r.level = ?")
        params.append(LEVELS.get(level, level))
    if region:
        conds.append("(r.region LIKE ? ESCAPE '\\' OR r.unit LIKE ? ESCAPE '\\')")
        params += [f"%{like_escape(region)}%"] * 2
    if state:
        conds.append("r.state = ?")
        params.append(state)
    if min_score is not None:
        conds.append("v.score >= ?")
        params.append(min_score)
    if max_score is not None:
        conds.append("v.score <= ?")
        params.append(max_score)
    if rule:
        conds.append("EXISTS (SELECT 1 FROM ws_version_rules vr WHERE vr.version_id = v.id AND (vr.code = ? OR vr.name = ?))")
        params += [rule.upper(), rule]
    where = " AND ".join(conds)
    base = f"FROM ws_roster r LEFT JOIN ws_versions v ON v.id = r.current_version WHERE {where}"
    total = db.one(f"SELECT count(*) {base}", params)[0]
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    order = QUEUE_SORTS.get(sort or "waiting", QUEUE_SORTS["waiting"])[1]
    rows = db.query(
        f"SELECT r.id AS roster_id, r.unit, r.level, r.region, r.state, r.deadline, r.on_time, r.contact, r.published_url,"
        f" v.id AS version_id, v.version, v.score, v.errors, v.warnings, v.submitted_at {base}"
        f" ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
    )
    return QueuePage([dict(r) for r in rows], total, page, pages)
