#!/usr/bin/env python3
"""Prove that two corpus databases hold the same data: every table's rows, column values and
their SQLite types, with report ids replaced by paths (a pool run stores reports in the order its
workers finish, so ids differ from run to run) and the times of indexing left out; the schema;
and the full-text index (the reports it finds for a few phrases, and their snippets).

    python benchmarks/store_diff.py A.db B.db              # "identical", or the first differences

The A/B way to check a change of the store or of `fazhi index` (the same inputs indexed by two
trees; PYTHONPATH=OLD/src puts the old tree first):

    PYTHONPATH=/work/main/src python -c 'import sys; from fazhi.corpus.index import index_paths; index_paths(sys.argv[2:], sys.argv[1], jobs=2)' old.db INPUTS...
    python -c '...same...' new.db INPUTS...
    python benchmarks/store_diff.py old.db new.db
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from typing import Iterator

PHRASES = ("法治政府", "行政复议", "依法行政", "年度报告", "执法", "第一责任人")
SKIP = {"reports": {"id", "indexed_at"}, "schema_version": {"applied_at"}, "dedup_runs": {"run_at"}, "followup_runs": {"run_at"}}
BY_REPORT = {"parts": ("report_id",), "findings": ("report_id",), "fts_pending": ("id",), "copies": ("a_id", "b_id"),
             "followups": ("from_id", "to_id")}


def lines(db: str) -> Iterator[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    path = dict(conn.execute("SELECT id, path FROM reports"))
    for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name"):
        yield f"schema {sql}"
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
                                         " AND name NOT LIKE 'reports_fts%' ORDER BY name")]
    for table in tables:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in SKIP.get(table, ())]
        ids = BY_REPORT.get(table, ())
        sel = ", ".join(f'"{c}", typeof("{c}")' for c in cols)
        rows = []
        for row in conn.execute(f'SELECT {sel} FROM "{table}"'):
            row = list(row)
            for i, c in enumerate(cols):
                if c in ids:
                    row[2 * i] = path.get(row[2 * i], row[2 * i])
            rows.append(repr(tuple(row)))
        rows.sort()
        yield f"{table}: {len(rows)} rows"
        for r in rows:
            yield f"{table} {r}"
    yield f"reports_fts: {conn.execute('SELECT count(*) FROM reports_fts').fetchone()[0]} rows"
    for q in PHRASES:
        found = sorted((path[rid], snip) for rid, snip in conn.execute(
            "SELECT rowid, snippet(reports_fts, 1, '[', ']', '…', 8) FROM reports_fts WHERE reports_fts MATCH ?", (f'"{q}"',)))
        yield f"fts {q}: {len(found)} reports, {hashlib.sha256(repr(found).encode()).hexdigest()}"
    conn.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("用法：python benchmarks/store_diff.py A.db B.db", file=sys.stderr)
        return 2
    a, b = (list(lines(db)) for db in argv)
    if a == b:
        reports = sum(1 for x in a if x.startswith("reports ("))
        print(f"identical: {len(a)} lines, {reports} reports ({argv[0]} = {argv[1]})")
        return 0
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    print(f"DIFFERENT: {len(only_a)} lines only in {argv[0]}, {len(only_b)} only in {argv[1]}")
    for x in only_a[:5]:
        print(f"- {x[:300]}")
    for x in only_b[:5]:
        print(f"+ {x[:300]}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
