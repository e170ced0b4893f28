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


@pytest.mark.parametrize("args,found", [
    (["--kind", "政府"], 1), (["--kind", "government"], 1), (["--kind", "部门"], 1),
    (["--level", "县级"], 2), (["--level", "county"], 2), (["--rule", "缺少规定部分"], 0),
])
def test_search_filters_accept_chinese_values(small_db, capsys, args, found):
    import json

    code = main(["search", "法治", "--db", str(small_db), "--format", "json", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert len(json.loads(out)["hits"]) == found


@pytest.mark.parametrize("command", ["search", "stats", "export"])
@pytest.mark.parametrize("args", [["--level", "abc"], ["--kind", "政俯"], ["--rule", "no-such-rule"]])
def test_bad_filter_values_are_refused(small_db, capsys, tmp_path, command, args):
    query = ["法治"] if command == "search" else []
    target = ["--to", str(tmp_path / "x.csv")] if command == "export" else []
    code = main([command, *query, "--db", str(small_db), *target, *args])
    err = capsys.readouterr().err
    assert code == 2 and ("无效" in err or "不是规则" in err)
    assert not (tmp_path / "x.csv").exists()


def test_followup_sees_plan_items_repeated_as_headings_of_a_look_back_part():
    """Year N+1 reports on last year's plan under "上年度工作安排落实情况", its headings
    repeating the plan items word for word: every item is carried out."""
    from fazhi.api import load
    from fazhi.corpus.followup import link_pair, report_items

    plans = ["全面推行行政执法公示制度", "深化法治宣传教育", "加快建设数字法治政府"]
    year_n = "\n".join([
        "某县司法局关于2023年度法治政府建设情况的报告", "县委、县政府：",
        "一、2023年度推进法治政府建设的主要举措和成效", "全年审查规范性文件12件。",
        "二、存在的不足和原因", "一是执法监督手段不多。究其原因，主要是机制不健全。",
        "三、2024年工作安排", *(f"（{n}）{p}。" for n, p in zip("一二三", plans)),
        "某县司法局", "2024年1月20日"])
    year_next = "\n".join([
        "某县司法局关于2024年度法治政府建设情况的报告", "县委、县政府：",
        "一、2024年度推进法治政府建设的主要举措和成效", "全年办理行政复议案件30件。",
        "二、上年度工作安排落实情况",
        "（一）全面推行行政执法公示制度", "在门户网站公开执法主体、依据和结果，全年公开信息320条。",
        "（二）深化法治宣传教育", "开展送法下乡活动15场。",
        "（三）加快建设数字法治政府", "上线执法监督平台。",
        "三、存在的不足和原因", "一是基层力量薄弱。究其原因，主要是编制不足。",
        "四、2025年工作安排", "（一）深化法治宣传教育，创新普法方式。", "某县司法局", "2025年1月20日"])
    a, b = load(year_n), load(year_next)
    linked = [e for e in link_pair(a, report_items({}, a), b) if e["kind"] == "plan"]
    assert [e["addressed"] for e in linked] == [True, True, True]
    # the answer is the look-back part, not the new plan that names the same work again
    plan_start = b.text.index("四、2025年工作安排")
    assert all(e["evidence"]["start"] < plan_start for e in linked)


def test_stats_and_export_count_reports_not_files_after_dedup(tmp_path, capsys):
    import csv
    import json

    folder = tmp_path / "r"
    folder.mkdir()
    same = report("蒲江县司法局", 2024, signed="2025年3月20日")  # late
    (folder / "a.txt").write_text(same, encoding="utf-8")
    (folder / "a-再次上传.txt").write_text(same, encoding="utf-8")
    (folder / "a-第三次.txt").write_text(same, encoding="utf-8")
    (folder / "b.txt").write_text(report("阜平县人民政府", 2024, addressee="市委、市政府"), encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert main(["index", str(folder), "--db", db, "--jobs", "1"]) == 0
    capsys.readouterr()
    main(["stats", "--db", db, "--format", "json"])
    before = json.loads(capsys.readouterr().out)
    assert before["readable"] == 4 and before["on_time"]["late"] == 3  # files, before dedup
    assert main(["dedup", "--db", db]) == 0
    capsys.readouterr()
    main(["stats", "--db", db, "--format", "json"])
    after = json.loads(capsys.readouterr().out)
    assert (after["reports"], after["readable"], after["other_files"]) == (2, 2, 2)
    assert after["on_time"] == {"known": 2, "on_time": 1, "late": 1, "no_date": 0, "rate": 0.5}
    assert after["copying"]["same_report"] == 3
    main(["stats", "--db", db])
    assert "只计一次" in capsys.readouterr().out
    out = tmp_path / "x.csv"
    assert main(["export", "--db", db, "--to", str(out)]) == 0
    assert "另有 2 个文件" in capsys.readouterr().err
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 2
