"""Corpus commands at the edges (issue 12): read-only media, an export onto the database,
workers outliving their parent, failures that must change the exit code, duplicates in counts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fazhi.cli import main
from fazhi.corpus.index import index_paths

from . import report

FAZHI = [sys.executable, "-m", "fazhi.cli"]


def _as_other_user() -> list[str]:
    """A command prefix that drops root (whose writes no permission stops) to nobody."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def small_db(tmp_path) -> Path:
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path.parent.parent.parent))  # under /tmp, reachable by another user
    os.chmod(tmp_path, 0o755)
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(report("蒲江县司法局", 2024), encoding="utf-8")
    (folder / "b.txt").write_text(report("阜平县人民政府", 2024, addressee="市委、市政府"), encoding="utf-8")
    db = tmp_path / "c.db"
    assert index_paths([folder], db, jobs=1).indexed == 2
    return db


def test_readonly_medium_can_be_searched(small_db, tmp_path):
    """A WAL database in a folder nobody may write (a DVD, a read-only share): queries work."""
    folder = small_db.parent
    out = Path(tempfile.mkdtemp(dir=folder.parent))
    os.chmod(out, 0o777)
    os.chmod(small_db, 0o444)
    os.chmod(folder, 0o555)
    try:
        for args in (["search", "法治", "--db", str(small_db)], ["stats", "--db", str(small_db)],
                     ["export", "--db", str(small_db), "--to", str(out / "x.csv")]):
            proc = subprocess.run(_as_other_user() + FAZHI + args, capture_output=True, text=True, cwd="/", timeout=120)
            assert proc.returncode == 0, (args, proc.stderr)
            assert "只读" not in proc.stderr
        proc = subprocess.run(_as_other_user() + FAZHI + ["search", "法治", "--db", str(small_db)], capture_output=True,
                              text=True, cwd="/", timeout=120)
        assert "找到 2 份报告" in proc.stdout
    finally:
        os.chmod(folder, 0o755)
        os.chmod(small_db, 0o644)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_refuses_to_overwrite_the_database(tmp_path, suffix, capsys):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_text(report(), encoding="utf-8")
    db = tmp_path / f"same{suffix}"
    assert index_paths([folder], db, jobs=1).indexed == 1
    before = db.read_bytes()
    link = tmp_path / f"link{suffix}"
    os.link(db, link)  # another name for the same file: refused by inode, not by name
    for target in (db, link):
        assert main(["export", "--db", str(db), "--to", str(target)]) == 2
        assert "数据库" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_index_refuses_fifo_and_device_links(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    os.mkfifo(folder / "p.txt")
    os.symlink("/dev/zero", folder / "z.docx")
    (folder / "a.txt").write_text(report(), encoding="utf-8")
    result = index_paths([folder], tmp_path / "c.db", jobs=1)
    assert result.indexed == 1
    assert sorted((Path(f.path).name, f.code) for f in result.failed) == [("p.txt", "not-a-file"), ("z.docx", "not-a-file")]


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(d.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_index_workers_die_with_their_parent(tmp_path, sig):
    folder = tmp_path / "r"
    folder.mkdir()
    for i in range(400):
        (folder / f"{i:03}.txt").write_text(report("蒲江县司法局", 2024, n=i + 3), encoding="utf-8")
    proc = subprocess.Popen(FAZHI + ["index", str(folder), "--db", str(tmp_path / "c.db"), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.1)
            workers = _children(proc.pid)
        assert len(workers) >= 2, "the workers did not start"
        os.kill(proc.pid, sig)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "workers outlived the killed index"
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:  # whatever the outcome, leave no process of this test behind
            if _alive(w):
                os.kill(w, signal.SIGKILL)
