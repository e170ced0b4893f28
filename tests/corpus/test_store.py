"""The SQLite store: schema, content addressing, replace, transactions and every fault."""

from __future__ import annotations

import os
import sqlite3

import pytest

from fazhi.corpus.store import SCHEMA_VERSION, Store, StoreError

from . import review_dict


def put(store: Store, path: str, text: str = "正文内容，行政复议。", sha: str = "a" * 64, **meta) -> int:
    return store.put(path, sha, review_dict(path, **meta), text)


def fts_count(store: Store, phrase: str) -> int:
    return store.query("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?", (f'"{phrase}"',))[0][0]


def test_open_creates_schema_wal_and_foreign_keys(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        assert store.query("PRAGMA journal_mode")[0][0] == "wal"
        assert store.query("PRAGMA foreign_keys")[0][0] == 1
        assert store.query("SELECT max(version) FROM schema_version")[0][0] == SCHEMA_VERSION
        tables = {r[0] for r in store.query("SELECT name FROM sqlite_master")}
        assert {"reports", "parts", "findings", "reports_fts"} <= tables
    with Store.open(db) as store:  # reopening an existing store is fine
        assert store.count() == 0


def test_put_get_has_iter_and_filters(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        a = put(store, "/r/a.txt", issuer="蒲江县司法局", province="四川省", city="成都市", county="蒲江县",
                findings=[("W101", "duplicated-word", "error")], scores={"overall": 82.5, "structure": 30})
        put(store, "/r/b.txt", issuer="宜昌市生态环境局", issuer_level="city", province="湖北省", report_year=2023)
        store.put_error("/r/c.docx", "c" * 64, "corrupt", "文件已损坏")
        assert store.count() == 3
        assert store.has("/r/a.txt", "a" * 64) and not store.has("/r/a.txt", "b" * 64)
        assert store.get(a)["metadata"]["issuer"] == "蒲江县司法局"
        assert store.text(a).startswith("正文")
        assert store.id_of("/r/a.txt") == a and store.id_of("/nope") is None
        rows = list(store.iter_reports())
        assert [r.path for r in rows] == ["/r/a.txt", "/r/b.txt"]  # failed records only on request
        assert rows[0].score == 82.5 and rows[0].text is None
        assert len(list(store.iter_reports(include_failed=True))) == 3
        assert [r.path for r in store.iter_reports(level="县级")] == ["/r/a.txt"]
        assert [r.path for r in store.iter_reports(province="湖北")] == ["/r/b.txt"]
        assert [r.path for r in store.iter_reports(year=2023)] == ["/r/b.txt"]
        assert [r.path for r in store.iter_reports(rule="W101")] == ["/r/a.txt"]
        assert [r.path for r in store.iter_reports(rule="duplicated-word", min_score=80)] == ["/r/a.txt"]
        assert list(store.iter_reports(max_score=50)) == []
        assert next(store.iter_reports(issuer="生态", with_text=True)).text == "正文内容，行政复议。"
        assert store.count(include_failed=False) == 2
        with pytest.raises(KeyError):
            store.get(9999)


def test_replace_removes_old_rows_and_search_entries(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        old = put(store, "/r/a.txt", text="旧的独特表述在这里", findings=[("W101", "duplicated-word", "error")])
        put(store, "/r/b.txt", text="另一份报告")
        new = put(store, "/r/a.txt", text="新的内容没有问题", sha="b" * 64)
        assert new != old and store.count() == 2
        assert store.query("SELECT count(*) FROM findings WHERE report_id = ?", (old,))[0][0] == 0
        assert store.query("SELECT count(*) FROM parts WHERE report_id = ?", (old,))[0][0] == 0
        assert store.query("SELECT count(*) FROM findings")[0][0] == 0
        assert fts_count(store, "旧的独特") == 0 and fts_count(store, "新的内容") == 1
        store.query("INSERT INTO reports_fts(reports_fts) VALUES ('integrity-check')")
        assert store.delete("/r/b.txt") and fts_count(store, "另一份") == 0


def test_failed_batch_rolls_back_whole(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        put(store, "/r/keep.txt")
        with pytest.raises(RuntimeError):
            with store.transaction():
                put(store, "/r/a.txt")
                put(store, "/r/b.txt")
                raise RuntimeError("boom")
        assert [r.path for r in store.iter_reports()] == ["/r/keep.txt"]
        assert store.query("SELECT count(*) FROM parts")[0][0] == 4


def test_locked_database_gives_chinese_message(tmp_path):
    db = tmp_path / "c.db"
    Store.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with Store.open(db, timeout=0.1) as store:
            with pytest.raises(StoreError) as exc:
                put(store, "/r/a.txt")
        assert exc.value.code == "locked"
        assert "数据库被其他程序占用" in exc.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store.open(db) as store:  # usable again once the other writer is gone
        put(store, "/r/a.txt")
        assert store.count() == 1


def test_readonly_store_refuses_writes(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        put(store, "/r/a.txt")
    with Store.open(db, readonly=True) as store:
        assert store.count() == 1
        with pytest.raises(StoreError) as exc:
            put(store, "/r/b.txt")
    assert exc.value.code == "readonly" and "只读" in exc.value.message


def test_readonly_file_is_refused_at_open(tmp_path, monkeypatch):
    db = tmp_path / "c.db"
    Store.open(db).close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if str(p) == str(db) and mode == os.W_OK else real(p, mode))
    with pytest.raises(StoreError) as exc:
        Store.open(db)
    assert exc.value.code == "readonly" and "数据库文件只读" in exc.value.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_readonly_file_permissions(tmp_path):
    db = tmp_path / "c.db"
    Store.open(db).close()
    db.chmod(0o444)
    with pytest.raises(StoreError) as exc:
        Store.open(db)
    assert "只读" in exc.value.message


def test_disk_full_rolls_back_and_keeps_what_was_stored(tmp_path):
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        for i in range(3):
            put(store, f"/r/{i}.txt")
        pages = store.query("PRAGMA page_count")[0][0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the "disk" is nearly full
        with pytest.raises(StoreError) as exc:
            put(store, "/r/big.txt", text="很长的报告内容" * 20000)
        assert exc.value.code == "disk-full" and "磁盘已满" in exc.value.message
        assert not store.conn.in_transaction
    with Store.open(db) as store:
        assert store.count() == 3 and store.id_of("/r/big.txt") is None
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
        store.query("INSERT INTO reports_fts(reports_fts) VALUES ('integrity-check')")
        put(store, "/r/big.txt", text="很长的报告内容" * 20000)  # space again: the write succeeds
        assert store.count() == 4


def test_not_a_database(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as exc:
        Store.open(junk)
    assert exc.value.code == "not-a-database" and "不是 fazhi 数据库" in exc.value.message
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as exc:
        Store.open(other)
    assert exc.value.code == "not-a-database"
    with pytest.raises(StoreError) as exc:
        Store.open(tmp_path)
    assert exc.value.code == "not-a-database"


def test_missing_and_newer_databases(tmp_path):
    with pytest.raises(StoreError) as exc:
        Store.open(tmp_path / "none.db", readonly=True)
    assert exc.value.code == "not-found" and "找不到数据库文件" in exc.value.message
    with pytest.raises(StoreError) as exc:
        Store.open(tmp_path / "no" / "such" / "folder.db")
    assert exc.value.code == "not-found"
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        store.conn.execute("INSERT INTO schema_version VALUES (99, 'x', '9.9')")
    with pytest.raises(StoreError) as exc:
        Store.open(db)
    assert exc.value.code == "schema-version"


def test_non_finite_numbers_stored_as_valid_json(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        rid = put(store, "/r/a.txt", scores={"overall": float("nan"), "structure": float("inf"), "substance": 12.0})
        assert store.query("SELECT json_valid(review), score FROM reports WHERE id = ?", (rid,))[0] == (1, None)
        assert store.get(rid)["scores"] == {"overall": None, "structure": None, "substance": 12.0}
