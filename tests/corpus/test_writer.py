"""The writer's fast path stores exactly what put() stores."""

from __future__ import annotations

import pickle

from fazhi.corpus import index as index_mod
from fazhi.corpus.store import Store, make_record

from . import review_dict, write_corpus

COLUMNS = "path, sha256, format, error_code, error_message, title, issuer, issuer_level, issuer_kind, province, city, " \
          "county, township, report_year, addressee, signed_date, script, chars, score, review, text, fazhi_version"


def _dump(db) -> tuple:
    with Store.open(db, readonly=True) as store:
        return (
            store.query(f"SELECT {COLUMNS} FROM reports ORDER BY path"),
            store.query("SELECT r.path, p.seq, p.part, p.heading, p.start, p.\"end\" FROM parts p JOIN reports r ON r.id = p.report_id ORDER BY 1, 2"),
            store.query("SELECT r.path, f.seq, f.code, f.name, f.severity, f.category, f.message, f.start, f.\"end\", f.line,"
                        " f.excerpt, f.suggestion FROM findings f JOIN reports r ON r.id = f.report_id ORDER BY 1, 2"),
            store.query("SELECT rowid FROM reports_fts WHERE reports_fts MATCH '\"法治政府\"' ORDER BY rowid"),
        )


def test_put_record_stores_what_put_stores(tmp_path):
    reviews = [
        (f"/r/{i}.txt", f"{i:064d}", review_dict(f"/r/{i}.txt", findings=[("W101", "duplicated-word", "warning")] * i,
                                                   scores={"overall": 50.0 + i}), f"法治政府建设{i}")
        for i in range(4)
    ]
    with Store.open(tmp_path / "a.db") as a, a.transaction():
        for r in reviews:
            a.put(*r)
        a.put_error("/r/bad.txt", None, "corrupt", "损坏", "docx")
    with Store.open(tmp_path / "b.db") as b, b.transaction():
        for r in reviews:
            b.put_record(pickle.loads(pickle.dumps(make_record(*r))))  # as it comes back from a worker
        b.put_error("/r/bad.txt", None, "corrupt", "损坏", "docx")
    assert _dump(tmp_path / "a.db") == _dump(tmp_path / "b.db")
    rec = make_record(*reviews[1])
    assert rec.path == "/r/1.txt" and rec.error is None
    assert make_record("/x", None, {"error": {"code": "corrupt", "message": "坏"}}, "").error == ("corrupt", "坏")


def test_pool_and_single_process_store_the_same(tmp_path):
    folder = tmp_path / "r"
    write_corpus(folder, 8)
    index_mod.index_paths([folder], tmp_path / "one.db", jobs=1)
    index_mod.index_paths([folder], tmp_path / "two.db", jobs=2)
    one, two = _dump(tmp_path / "one.db"), _dump(tmp_path / "two.db")
    assert one == two and len(one[0]) == 8


def test_fts_hashsize_is_set_on_new_and_old_databases(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        assert store.query("SELECT v FROM reports_fts_config WHERE k = 'hashsize'") == [(32 * 1024 * 1024,)]
        store.conn.execute("DELETE FROM reports_fts_config WHERE k = 'hashsize'")
    with Store.open(tmp_path / "c.db") as store:
        assert store.query("SELECT v FROM reports_fts_config WHERE k = 'hashsize'") == [(32 * 1024 * 1024,)]
