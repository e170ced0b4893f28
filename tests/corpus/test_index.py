"""fazhi index: folders and zip archives, content addressing, replace, failures, duplicate
paths, worker crashes, a killed run resumed, and the CLI contract."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from fazhi.cli import main
from fazhi.corpus import index as index_mod
from fazhi.corpus.index import index_paths
from fazhi.corpus.store import Store

from . import copy_examples, make_zip, report, write_corpus


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def assert_consistent(db: Path) -> None:
    """integrity_check ok, and every stored report has exactly the rows its review lists."""
    with Store.open(db, readonly=True) as store:
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
        assert store.query("PRAGMA foreign_key_check") == []
        parts = dict(store.query("SELECT report_id, count(*) FROM parts GROUP BY 1"))
        findings = dict(store.query("SELECT report_id, count(*) FROM findings GROUP BY 1"))
        for row in store.iter_reports(include_failed=True):
            review = store.get(row.id)
            assert parts.get(row.id, 0) == len(review["parts"]), row.path
            assert findings.get(row.id, 0) == len(review["findings"]), row.path
        fts = store.query("SELECT count(*) FROM reports_fts WHERE reports_fts MATCH '\"法治政府\"'")[0][0]
        pending = store.query("SELECT count(*) FROM fts_pending p JOIN reports r ON r.id = p.id WHERE r.error_code IS NULL")[0][0]
        # every readable report is either in the full-text index or waiting to be added to it
        assert fts + pending == store.count(include_failed=False)
        assert store.query("SELECT count(*) FROM fts_pending WHERE id NOT IN (SELECT id FROM reports)")[0][0] == 0
    if not pending:  # the index holds exactly the stored reports (FTS5 compares it with them)
        conn = sqlite3.connect(db)
        conn.execute("INSERT INTO reports_fts(reports_fts, rank) VALUES ('integrity-check', 1)")
        conn.close()


def fts_pending(db: Path) -> int:
    with Store.open(db, readonly=True) as store:
        return store.fts_missing()


def test_folder_and_zip_then_reindex_does_nothing(tmp_path, capsys):
    folder = tmp_path / "报告"
    write_corpus(folder, 8)
    copy_examples(folder / "examples")
    archive = make_zip(tmp_path / "上报.zip", {
        "县级/一号.txt": report("阜平县人民政府", 2023, addressee="市委、市政府"),
        "县级/二号.txt": report("蒲江县司法局", 2022),
        "说明.png": b"\x89PNG not a report",  # not a supported extension: ignored
    })
    db = tmp_path / "c.db"
    code, out, _ = cli(capsys, "index", str(folder), str(archive), "--db", str(db), "--jobs", "1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"indexed", "unchanged", "failed"}
    total = 8 + len(list((folder / "examples").glob("*.txt"))) + 2
    assert data == {"indexed": total, "unchanged": 0, "failed": []}
    with Store.open(db, readonly=True) as store:
        assert store.count() == total
        member = f"{archive.resolve()}!县级/一号.txt"
        rid = store.id_of(member)
        assert rid is not None and store.get(rid)["path"] == member
        assert store.get(rid)["metadata"]["issuer"] == "阜平县人民政府"
    assert_consistent(db)
    code, out, _ = cli(capsys, "index", str(folder), str(archive), "--db", str(db), "--jobs", "1", "--format", "json")
    assert code == 0 and json.loads(out) == {"indexed": 0, "unchanged": total, "failed": []}


def test_changed_file_replaces_its_record(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    target = folder / "a.txt"
    target.write_text(report(extra="加强加强执法监督的的工作。"), encoding="utf-8")
    (folder / "b.txt").write_text(report("宜昌市生态环境局", 2023), encoding="utf-8")
    db = tmp_path / "c.db"
    index_paths([folder], db, jobs=1)
    with Store.open(db, readonly=True) as store:
        old_id = store.id_of(str(target.resolve()))
        assert [r.path for r in store.iter_reports(rule="duplicated-word")] == [str(target.resolve())]
    target.write_text(report(extra="加强执法监督工作。"), encoding="utf-8")
    result = index_paths([folder], db, jobs=1)
    assert (result.indexed, result.unchanged, result.failed) == (1, 1, [])
    with Store.open(db, readonly=True) as store:
        new_id = store.id_of(str(target.resolve()))
        assert new_id != old_id and store.count() == 2
        assert list(store.iter_reports(rule="duplicated-word")) == []
        assert store.query("SELECT count(*) FROM findings WHERE report_id = ?", (old_id,))[0][0] == 0
        assert "的的" not in store.text(new_id)
    assert_consistent(db)


def test_corrupt_file_recorded_others_indexed(tmp_path, capsys):
    folder = tmp_path / "r"
    write_corpus(folder, 3)
    (folder / "坏.docx").write_bytes(b"PK\x03\x04 this is no docx")
    (folder / "空.txt").write_bytes(b"")
    db = tmp_path / "c.db"
    code, out, _ = cli(capsys, "index", str(folder), "--db", str(db), "--jobs", "1", "--format", "json")
    assert code == 2  # some files could not be read: exit 2, as check does
    data = json.loads(out)
    assert data["indexed"] == 3 and data["unchanged"] == 0
    failed = {Path(f["path"]).name: f for f in data["failed"]}
    assert set(failed) == {"坏.docx", "空.txt"}
    assert failed["坏.docx"]["code"] == "corrupt" and failed["空.txt"]["code"] == "empty"
    assert all(set(f) == {"path", "code", "message"} and f["message"] for f in data["failed"])
    with Store.open(db, readonly=True) as store:
        assert store.count() == 5 and store.count(include_failed=False) == 3
        bad = store.get(store.id_of(str((folder / "坏.docx").resolve())))
        assert bad["error"]["code"] == "corrupt"
    # unchanged failures are not reviewed again
    code, out, _ = cli(capsys, "index", str(folder), "--db", str(db), "--jobs", "1", "--format", "json")
    assert json.loads(out) == {"indexed": 0, "unchanged": 5, "failed": []}


def test_duplicate_paths_indexed_once(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "r"
    paths = write_corpus(folder, 4)
    monkeypatch.chdir(tmp_path)
    args = ["r", str(folder), str(paths[0]), "./r/" + str(paths[0].relative_to(folder)), str(paths[1])]
    code, out, _ = cli(capsys, "index", *args, "--db", "c.db", "--jobs", "1", "--format", "json")
    assert code == 0 and json.loads(out)["indexed"] == 4
    with Store.open(tmp_path / "c.db", readonly=True) as store:
        assert store.count() == 4


def test_missing_path_is_a_usage_error_but_others_are_indexed(tmp_path, capsys):
    folder = tmp_path / "r"
    write_corpus(folder, 2)
    code, out, _ = cli(capsys, "index", str(folder), str(tmp_path / "nope.txt"), "--db", str(tmp_path / "c.db"), "--format", "json", "--jobs", "1")
    assert code == 2
    data = json.loads(out)
    assert data["indexed"] == 2 and data["failed"][0]["code"] == "not-found"
    code, _, err = cli(capsys, "index", str(tmp_path / "empty-dir-does-not-exist"), "--db", str(tmp_path / "c.db"))
    assert code == 2


def test_zip_safety(tmp_path):
    inner = tmp_path / "inner.zip"
    make_zip(inner, {"x.txt": report()})
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("ok/正常.txt", report("宜昌市生态环境局", 2023).encode("utf-8"))
        zf.writestr("../../etc/evil.txt", "越界")
        zf.writestr("/abs/evil.txt", "绝对路径")
        zf.write(inner, "nested/inner.zip")
        zf.writestr("__MACOSX/._正常.txt", b"resource fork")
    encrypted = _mark_encrypted(make_zip(tmp_path / "enc.zip", {"加密.txt": "密文"}))
    gbk = make_zip(tmp_path / "gbk.zip", {"县级/阜平县.txt": report("阜平县人民政府", 2024)}, gbk_names=True)
    with zipfile.ZipFile(gbk) as zf:
        assert zf.namelist() != ["县级/阜平县.txt"]  # zipfile alone shows mojibake
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x05\x06" + b"\x00" * 10)
    db = tmp_path / "c.db"
    result = index_paths([archive, gbk, broken, encrypted], db, jobs=1)
    codes = {Path(f.path.split("!")[-1]).name: f.code for f in result.failed}
    assert codes["evil.txt"] == "unsafe-path"
    assert codes["inner.zip"] == "nested-archive"
    assert codes["加密.txt"] == "encrypted"
    assert codes["broken.zip"] == "corrupt-archive"
    assert result.indexed == 2
    with Store.open(db, readonly=True) as store:
        names = [r.path.split("!")[-1] for r in store.iter_reports()]
    assert "ok/正常.txt" in names
    assert "县级/阜平县.txt" in names  # the GBK name decoded
    again = index_paths([archive, gbk, broken, encrypted], db, jobs=1)  # the same failures are not rewritten
    assert (again.indexed, again.failed, again.unchanged) == (0, [], 2 + len(result.failed))


def _mark_encrypted(path: Path) -> Path:
    """Set the "encrypted" flag bit in every local and central header (zipfile cannot encrypt)."""
    data = bytearray(path.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = data.find(sig)
        while i != -1:
            data[i + offset] |= 0x1
            i = data.find(sig, i + 4)
    path.write_bytes(bytes(data))
    return path


def test_parallel_matches_serial(tmp_path):
    folder = tmp_path / "r"
    write_corpus(folder, 10)
    serial, parallel = tmp_path / "s.db", tmp_path / "p.db"
    index_paths([folder], serial, jobs=1)
    result = index_paths([folder], parallel, jobs=2)
    assert (result.indexed, result.unchanged, result.failed) == (10, 0, [])

    def dump(db: Path) -> list[tuple]:
        with Store.open(db, readonly=True) as store:
            return [(r.path, r.issuer, r.report_year, json.dumps(store.get(r.id)["findings"], sort_keys=True)) for r in store.iter_reports()]

    assert dump(serial) == dump(parallel)
    assert_consistent(parallel)


def _crash_on_poison(data, name, config):
    if "poison" in name:
        os._exit(3)  # a reader crashing the whole worker process
    from fazhi.api import check_bytes

    return check_bytes(data, name, config)


def test_worker_crash_is_recorded_and_run_goes_on(tmp_path, monkeypatch):
    folder = tmp_path / "r"
    write_corpus(folder, 6)
    (folder / "poison.txt").write_text(report(), encoding="utf-8")
    monkeypatch.setattr(index_mod, "_check_bytes", _crash_on_poison)  # forked workers inherit it
    result = index_paths([folder], tmp_path / "c.db", jobs=2)
    assert result.indexed == 6
    assert [(Path(f.path).name, f.code) for f in result.failed] == [("poison.txt", "worker-crashed")]
    with Store.open(tmp_path / "c.db", readonly=True) as store:  # with its sha256, as before workers hashed
        sha = store.query("SELECT sha256 FROM reports WHERE path = ?", (str(folder / "poison.txt"),))[0][0]
    assert sha == hashlib.sha256((folder / "poison.txt").read_bytes()).hexdigest()
    monkeypatch.undo()
    again = index_paths([folder], tmp_path / "c.db", jobs=1)  # crashes are retried on the next run
    assert (again.indexed, again.unchanged) == (1, 6)


def test_killed_run_resumes_and_leaves_no_half_record(tmp_path):
    folder = tmp_path / "r"
    total = 500
    write_corpus(folder, total)
    db = tmp_path / "c.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    # small batches so that some are committed before the kill, whatever the machine's speed
    script = (
        "import sys; import fazhi.corpus.index as ix; ix.BATCH_SIZE = 20; from fazhi.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    cmd = [sys.executable, "-c", script, "index", str(folder), "--db", str(db), "--jobs", "1", "--format", "json"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if db.exists():
                try:
                    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                    stored = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
                    conn.close()
                except sqlite3.Error:
                    stored = 0
                if stored >= 1:
                    break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert 0 < stored < total, "the run should be killed part-way"
    with Store.open(db) as store:
        assert store.query("PRAGMA integrity_check")[0][0] == "ok"
        survived = store.count()
    assert survived < total
    assert_consistent(db)
    # killed before its final full-text pass: the committed reports wait for their FTS rows
    assert fts_pending(db) == survived
    result = index_paths([folder], db, jobs=1)
    assert result.unchanged == survived and result.indexed == total - survived and result.failed == []
    with Store.open(db, readonly=True) as store:
        assert store.count() == total
    assert fts_pending(db) == 0  # the next run added the killed run's FTS rows too
    assert_consistent(db)


def test_disk_full_during_index_keeps_committed_reports(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "r"
    write_corpus(folder, 3)
    db = tmp_path / "c.db"
    index_paths([folder], db, jobs=1)
    write_corpus(tmp_path / "more", 5)
    real_open = Store.open.__func__

    def tiny_disk(cls, path, readonly=False, timeout=5.0):
        store = real_open(cls, path, readonly, timeout)
        pages = store.query("PRAGMA page_count")[0][0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        return store

    monkeypatch.setattr(Store, "open", classmethod(tiny_disk))
    code, out, err = cli(capsys, "index", str(tmp_path / "more"), "--db", str(db), "--jobs", "1", "--format", "json")
    assert code == 2 and "磁盘已满" in err and "Traceback" not in err
    monkeypatch.undo()
    with Store.open(db, readonly=True) as store:
        assert store.count() == 3
    assert_consistent(db)
    result = index_paths([tmp_path / "more"], db, jobs=1)
    assert result.indexed == 5


def test_locked_database_from_cli(tmp_path, capsys):
    folder = tmp_path / "r"
    write_corpus(folder, 2)
    db = tmp_path / "c.db"
    Store.open(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(index_mod, "index_paths", _fast_timeout(index_mod.index_paths))
            code, out, err = cli(capsys, "index", str(folder), "--db", str(db), "--jobs", "1")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2 and "数据库被其他程序占用" in err


def _fast_timeout(fn):
    def wrapped(*args, **kwargs):
        kwargs["timeout"] = 0.1
        return fn(*args, **kwargs)

    return wrapped


def test_runner_hook_for_other_engines(tmp_path):
    folder = tmp_path / "r"
    write_corpus(folder, 3)
    seen = []

    def inline(todo, writer, config, bar):
        for job in todo:
            seen.append(job[0])
            writer.add(*index_mod.review_job(job, config))
            index_mod.advance(bar)

    result = index_paths([folder], tmp_path / "c.db", runner=inline)
    assert result.indexed == 3 and len(seen) == 3
    assert index_paths([folder], tmp_path / "c.db", runner=inline).unchanged == 3 and len(seen) == 3
