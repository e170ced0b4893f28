"""The Dask engine writes the same store as the process pool (run on LocalClusters)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from fazhi.corpus import dask_engine  # noqa: E402
from fazhi.corpus.dask_engine import DaskEngineError, index_with_dask  # noqa: E402
from fazhi.corpus.index import index_paths  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """~20 inputs: year and place variants of the examples, an .html, a broken .docx, an empty
    file and a .zip with two members."""
    root = tmp_path_factory.mktemp("corpus")
    texts = sorted(EXAMPLES.glob("*.txt"))
    assert texts
    n = 0
    for p in texts:
        raw = p.read_bytes()
        text = raw.decode("utf-8") if not p.name.endswith("gbk.txt") else raw.decode("gb18030")
        for year, place in ((2022, "蒲江县"), (2023, "丹棱县"), (2024, "洪雅县"), (2025, "青神县"), (2021, "蒲江县")):
            variant = text.replace("2024", str(year)).replace("蒲江县", place)
            (root / f"{n:02d}_{year}.txt").write_text(variant, encoding="utf-8")
            n += 1
    for p in EXAMPLES.glob("*.html"):
        (root / p.name).write_bytes(p.read_bytes())
    (root / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (root / "empty.txt").write_bytes(b"")
    with zipfile.ZipFile(root / "two.zip", "w") as zf:
        zf.writestr("a/一.txt", texts[0].read_bytes())
        zf.writestr("b/二.txt", (root / "00_2022.txt").read_bytes())
    return root


def dump(db: Path) -> dict[str, tuple]:
    """Everything stored per path except the time of indexing."""
    conn = sqlite3.connect(db)
    out = {}
    for rid, path, sha, review, text, err in conn.execute(
        "SELECT id, path, sha256, review, text, error_code FROM reports"
    ):
        parts = conn.execute('SELECT seq, part, heading, start, "end" FROM parts WHERE report_id = ? ORDER BY seq', (rid,)).fetchall()
        findings = conn.execute(
            'SELECT seq, code, start, "end", message FROM findings WHERE report_id = ? ORDER BY seq', (rid,)
        ).fetchall()
        fts = conn.execute("SELECT count(*) FROM reports_fts WHERE rowid = ?", (rid,)).fetchone()[0]
        out[path] = (sha, json.loads(review), text, err, parts, findings, fts)
    conn.close()
    return out


@pytest.fixture(scope="module")
def pool_store(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    db = tmp_path_factory.mktemp("pool") / "pool.db"
    result = index_paths([corpus], db, jobs=2)
    assert result.indexed >= 18
    return dump(db)


def test_local_cluster_matches_pool(corpus: Path, pool_store: dict, tmp_path: Path) -> None:
    db = tmp_path / "dask.db"
    result = index_with_dask([corpus], db, jobs=2, batch=3)  # a new LocalCluster of 2 processes
    stored = dump(db)
    assert len(stored) >= 20
    assert stored == pool_store
    assert sorted(f.path for f in result.failed) == sorted(p for p, v in stored.items() if v[3])
    assert result.indexed + len(result.failed) == len(stored)
    # Unchanged files are skipped, as in the pool path.
    again = index_with_dask([corpus], db, jobs=2)
    assert again.indexed == 0 and again.unchanged == len(stored)
    assert dump(db) == stored


def test_scheduler_address(corpus: Path, pool_store: dict, tmp_path: Path) -> None:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        db = tmp_path / "dask.db"
        index_with_dask([corpus], db, scheduler=cluster.scheduler_address, batch=5)
    assert dump(db) == pool_store


def test_full_text_rows_added_while_waiting_and_at_the_end(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    from fazhi.corpus import index as index_mod
    from fazhi.corpus.store import Store

    monkeypatch.setattr(index_mod, "BATCH_SIZE", 3)
    monkeypatch.setattr(index_mod, "FTS_IDLE_SLICE", 2)
    filled: list[int | None] = []
    fill = index_mod.Writer.fill_fts
    monkeypatch.setattr(index_mod.Writer, "fill_fts", lambda self, limit=None: filled.append(limit) or fill(self, limit))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        db = tmp_path / "dask.db"
        index_with_dask([corpus], db, scheduler=cluster.scheduler_address, batch=2)
    assert filled[-1] is None  # the final pass
    with Store.open(db, readonly=True) as store:
        assert store.fts_missing() == 0
    conn = sqlite3.connect(db)  # FTS5's own check that the index holds exactly the stored reports
    conn.execute("INSERT INTO reports_fts(reports_fts, rank) VALUES ('integrity-check', 1)")
    conn.close()


def test_lost_task_is_retried_file_by_file(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    real = dask_engine.review_chunk

    def flaky(jobs, config=None):  # a "crash" whenever a chunk holds the 2022 variant of example 0
        if any(job[0].endswith("00_2022.txt") for job in jobs):
            raise RuntimeError("worker lost")
        return real(jobs, config)

    monkeypatch.setattr(dask_engine, "review_chunk", flaky)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster:
        db = tmp_path / "dask.db"
        result = index_with_dask([corpus], db, scheduler=cluster.scheduler_address, batch=4)
    crashed = [f for f in result.failed if f.code == "worker-crashed"]
    assert [Path(f.path).name for f in crashed] == ["00_2022.txt"]
    assert "Dask" in crashed[0].message
    stored = dump(db)
    assert stored[crashed[0].path][3] == "worker-crashed"
    assert stored[crashed[0].path][0] == hashlib.sha256(Path(crashed[0].path).read_bytes()).hexdigest()
    # Its chunk-mates were reviewed alone and stored normally.
    assert sum(1 for v in stored.values() if v[3] is None) == result.indexed == len(stored) - 3


def test_unreachable_scheduler(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(DaskEngineError) as exc:
        index_with_dask([corpus], tmp_path / "x.db", scheduler="tcp://127.0.0.1:9")
    assert exc.value.code == "scheduler-unreachable"
    assert "无法连接 Dask 调度器" in exc.value.message


def test_dask_missing_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_distributed(name, *args, **kwargs):
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(DaskEngineError) as exc:
        dask_engine.run_dask(iter([]), None)  # type: ignore[arg-type]
    assert exc.value.code == "dask-missing" and "fazhi[dask]" in exc.value.message
