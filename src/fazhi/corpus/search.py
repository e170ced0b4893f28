"""Full-text search over the corpus.

The query is split on whitespace; every term must occur (AND). Terms of three characters or
more go through the FTS5 trigram index, each quoted as a phrase (so FTS5 syntax characters in
a query are plain text) and ranked by bm25 (title weighted above body). A trigram index cannot
find strings shorter than three characters, so 1-2 character terms are matched with LIKE over
the normalized text; a query made only of such terms scans every report (slower on a big
corpus) and is ordered by year (newest first) and path. Matching ignores ASCII case.

start/end are the offsets of the first occurrence of the first term in the normalized text
(the coordinate system of every offset in a review); snippet is about SNIPPET characters of
text around it, newlines shown as spaces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.corpus.store import Store, StoreError, like_escape, where_clause

SNIPPET = 60


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
    terms = query.split()
    if not terms:
        raise ValueError("empty query")
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    where, params = where_clause(filters)
    conds = [where] + ["r.text LIKE ? ESCAPE '\\'"] * len(short_terms)
    params += ["%" + like_escape(t) + "%" for t in short_terms]
    if long_terms:
        match = " AND ".join(fts_phrase(t) for t in long_terms)
        rank = "ORDER BY bm25(reports_fts, 5.0, 1.0) LIMIT ?"
        if where == "1" and not short_terms:  # no join: about half the time on common terms
            sql = f"SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? {rank}"
        else:
            sql = (
                "SELECT r.id FROM reports_fts JOIN reports r ON r.id = reports_fts.rowid"
                f" WHERE reports_fts MATCH ? AND {' AND '.join(conds)} {rank}"
            )
        ids = [row[0] for row in store.query(sql, [match, *params, limit])]
    else:
        sql = f"SELECT r.id FROM reports r WHERE {' AND '.join(conds)} ORDER BY r.report_year DESC, r.path LIMIT ?"
        ids = [row[0] for row in store.query(sql, [*params, limit])]
    first = terms[0]
    return [_hit(store, rid, first) for rid in ids]


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


__all__ = ["Hit", "search", "fts_phrase", "StoreError"]
