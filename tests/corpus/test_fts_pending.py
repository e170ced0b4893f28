"""Full-text rows written after the reports (fts_pending): bulk writes store what one-by-one
writes store, an interrupted index leaves a store the next index or search completes, search
never silently misses a report, and stores made before the pending table still work."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from fazhi.cli import main
from fazhi.corpus import search as search_module
from fazhi.corpus import index as index_mod
from fazhi.corpus.search import search
from fazhi.corpus.store import Store, make_record

from . import review_dict, write_corpus

PHRASE = "法治政府建设"


def record(i: int, path: str | None = None, words: str = ""):
    path = path or f"/r/{i}.txt"
    review = review_dict(path, findings=[("W101", "duplicated-word", "warning")] * (i % 3), scores={"overall": 60.0 + i})
    return make_record(path, f"{i:064d}", review, f"{PHRASE}第{i}份。{words}")


def dump(db: Path) -> tuple:
    """Everything stored but the time stamps, ids included."""
    with Store.open(db, readonly=True) as store:
        return (
            store.query("SELECT id, path, sha256, title, score, review, text, fazhi_version FROM reports ORDER BY id"),
            store.query('SELECT report_id, seq, part, heading, start, "end" FROM parts ORDER BY 1, 2'),
            store.query("SELECT report_id, seq, code, name, severity, message, start, \"end\" FROM findings ORDER BY 1, 2"),
            store.query("SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? ORDER BY rowid", (f'"{PHRASE}"',)),
        )


def fts_exact(db: Path) -> None:
    """FTS5's own check that its index holds exactly the stored reports' titles and texts."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("INSERT INTO reports_fts(reports_fts, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.close()


def found(db: Path, query: str = PHRASE) -> set[str]:
    with Store.open(db, readonly=True) as store:
        return {store.query("SELECT path FROM reports WHERE id = ?", (h.id,))[0][0] for h in search(store, query, limit=1000)}


# -- bulk writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("fts", [True, False])
def test_put_records_stores_what_put_record_stores_one_by_one(tmp_path, fts):
    first = [record(i) for i in range(6)]
    # replaces two stored reports, adds two, and names one new path twice (the last one wins)
    second = [record(10, "/r/2.txt"), record(11), record(12, "/r/4.txt"), record(13, "/r/x.txt"), record(14, "/r/x.txt")]
    with Store.open(tmp_path / "one.db") as one:
        for rec in first + second:
            one.put_record(rec)
    with Store.open(tmp_path / "bulk.db") as bulk:
        assert bulk.put_records(first, fts=fts) == [1, 2, 3, 4, 5, 6]
        ids = bulk.put_records(second, fts=fts)
        assert ids[3] == ids[4] and len(set(ids)) == 4
        assert bulk.fts_missing() == (0 if fts else 8)
        bulk.complete_fts()
        assert bulk.fts_missing() == 0
    assert dump(tmp_path / "one.db") == dump(tmp_path / "bulk.db")
    fts_exact(tmp_path / "bulk.db")


def test_pending_reports_can_be_replaced_changed_and_deleted_before_their_fts_rows(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.put_records([record(i) for i in range(4)])  # indexed
        store.put_records([record(i) for i in range(4, 10)], fts=False)  # pending
        store.put_records([record(20, "/r/1.txt"), record(21, "/r/5.txt")], fts=False)  # replace one of each
        store.conn.execute("DELETE FROM reports WHERE path IN ('/r/0.txt', '/r/6.txt')")
        store.conn.execute("UPDATE reports SET title = '改过的标题' WHERE path IN ('/r/2.txt', '/r/7.txt')")
        store.conn.execute("UPDATE reports SET text = text || '追加的独特词语' WHERE path = '/r/8.txt'")
        assert store.fts_missing() == 6
        assert store.complete_fts(slice_size=2) == 6 and store.fts_missing() == 0
    fts_exact(db)
    assert found(db) == {f"/r/{i}.txt" for i in (1, 2, 3, 4, 5, 7, 8, 9)}
    assert found(db, "改过的标题") == {"/r/2.txt", "/r/7.txt"}
    assert found(db, "追加的独特词语") == {"/r/8.txt"}


def test_complete_fts_stops_at_limit_and_goes_on_from_there(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.put_records([record(i) for i in range(7)], fts=False)
        assert store.complete_fts(limit=3, slice_size=2) == 3
        assert store.fts_missing() == 4
    assert found(db) == {f"/r/{i}.txt" for i in range(3)}  # the oldest first
    with Store.open(db) as store:
        assert store.complete_fts() == 4 and store.fts_missing() == 0
    assert len(found(db)) == 7
    fts_exact(db)


# -- index -----------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_index_leaves_no_report_without_its_fts_row(tmp_path, monkeypatch, jobs):
    folder = tmp_path / "r"
    paths = write_corpus(folder, 30)
    monkeypatch.setattr(index_mod, "BATCH_SIZE", 4)  # many commits, so the pool fills FTS rows while it waits
    monkeypatch.setattr(index_mod, "FTS_IDLE_SLICE", 3)
    db = tmp_path / "c.db"
    result = index_mod.index_paths([folder], db, jobs=jobs)
    assert result.indexed == 30
    with Store.open(db, readonly=True) as store:
        assert store.fts_missing() == 0
    assert found(db, "法治政府") == {str(p.resolve()) for p in paths}
    fts_exact(db)


def test_index_completes_the_fts_rows_an_interrupted_run_left(tmp_path, monkeypatch):
    folder = tmp_path / "r"
    write_corpus(folder, 6)
    db = tmp_path / "c.db"

    def killed(self, limit=None):  # the run dies before its final full-text pass
        raise KeyboardInterrupt

    with monkeypatch.context() as mp:
        mp.setattr(index_mod.Writer, "fill_fts", killed)
        with pytest.raises(KeyboardInterrupt):
            index_mod.index_paths([folder], db, jobs=1)
    with Store.open(db, readonly=True) as store:
        assert store.count() == 6 and store.fts_missing() == 6
    result = index_mod.index_paths([folder], db, jobs=1)
    assert (result.indexed, result.unchanged) == (0, 6)  # nothing to review again, only FTS rows to add
    with Store.open(db, readonly=True) as store:
        assert store.fts_missing() == 0
    assert len(found(db, "法治政府")) == 6
    fts_exact(db)


# -- search ----------------------------------------------------------------------------------


def test_search_cli_adds_missing_fts_rows_first(tmp_path, capsys):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.put_records([record(i) for i in range(3)])
        store.put_records([record(i) for i in range(3, 8)], fts=False)
    code = main(["search", PHRASE, "--db", str(db), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert sorted(h["path"] for h in json.loads(out)["hits"]) == sorted(f"/r/{i}.txt" for i in range(8))
    assert "not_indexed" not in json.loads(out)
    with Store.open(db, readonly=True) as store:
        assert store.fts_missing() == 0
    fts_exact(db)


def test_search_cli_says_how_many_reports_it_cannot_search(tmp_path, capsys, monkeypatch):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.put_records([record(i) for i in range(3)])
        store.put_records([record(i) for i in range(3, 8)], fts=False)
    monkeypatch.setattr(search_module, "FTS_WAIT", 0.05)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another writer (a running index) holds the database
    try:
        code = main(["search", PHRASE, "--db", str(db), "--format", "json"])
        out, err = capsys.readouterr()
        assert code == 0
        data = json.loads(out)
        assert len(data["hits"]) == 3 and data["not_indexed"] == 5
        assert "有 5 份报告尚未建立全文索引" in err and "fazhi index" in err
        code = main(["search", PHRASE, "--db", str(db)])
        out, err = capsys.readouterr()
        assert code == 0 and "找到 3 份报告" in out and "有 5 份报告尚未建立全文索引" in err
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# -- stores made before fts_pending -----------------------------------------------------------

# The triggers of the first release (schema version 1 as shipped): no pending table.
FIRST_RELEASE_TRIGGERS = """
DROP TRIGGER reports_fts_ad;
DROP TRIGGER reports_fts_au;
DROP TABLE fts_pending;
CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER reports_fts_au AFTER UPDATE OF title, text ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""


def first_release_store(db: Path, n: int = 4) -> None:
    with Store.open(db) as store:
        for i in range(n):
            store.put_record(record(i))
    conn = sqlite3.connect(db)
    conn.executescript(FIRST_RELEASE_TRIGGERS)
    conn.close()


def test_store_made_before_the_pending_table_is_read_as_is(tmp_path, capsys):
    db = tmp_path / "old.db"
    first_release_store(db)
    with Store.open(db, readonly=True) as store:
        assert store.fts_missing() == 0
    assert len(found(db)) == 4
    assert main(["search", PHRASE, "--db", str(db), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)["hits"]) == 4 and err == ""
    conn = sqlite3.connect(db)  # search did not change it
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'fts_pending'").fetchone()[0] == 0
    conn.close()


def test_store_made_before_the_pending_table_is_upgraded_when_written(tmp_path):
    db = tmp_path / "old.db"
    first_release_store(db)
    folder = tmp_path / "r"
    paths = write_corpus(folder, 5)
    index_mod.index_paths([folder], db, jobs=1)
    with Store.open(db) as store:
        triggers = dict(store.query("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
        assert all("fts_pending" in triggers[t] for t in ("reports_fts_ad", "reports_fts_au"))
        assert store.fts_missing() == 0
        store.put_records([record(9)], fts=False)
        store.conn.execute("DELETE FROM reports WHERE path IN ('/r/1.txt', '/r/9.txt')")  # indexed and pending
    fts_exact(db)
    assert found(db, "法治政府") == {"/r/0.txt", "/r/2.txt", "/r/3.txt"} | {str(p.resolve()) for p in paths}
