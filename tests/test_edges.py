"""Single-report commands at the edges (issue 12): output files, hostile bytes, odd inputs."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from fazhi.cli import main

REPORT = "\n".join([
    "某县司法局关于2024年度法治政府建设情况的报告",
    "县委、县政府：",
    "一、2024年度推进法治政府建设的主要举措和成效",
    "全年审查规范性文件12件，开展执法培训3次，办理行政复议案件8件。",
    "二、存在的不足和原因",
    "一是执法监督手段不多。究其原因，主要是工作机制还不够健全。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责人带头学法，专题研究法治建设工作4次。",
    "四、2025年工作安排",
    "（一）加强行政执法监督。",
    "某县司法局",
    "2025年1月20日",
]) + "\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def report_file(tmp_path) -> Path:
    p = tmp_path / "报告.txt"
    p.write_text(REPORT, encoding="utf-8")
    return p


# -- item 9: -o to a folder, a missing folder, an unwritable place, a full disk -------------

def test_output_into_missing_folder_is_created(report_file, tmp_path, capsys):
    target = tmp_path / "新建" / "下一级" / "结果.html"
    code, _, err = run(capsys, "check", str(report_file), "--format", "html", "-o", str(target))
    assert code in (0, 1) and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html")


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_output_to_a_folder_or_impossible_place_exits_2_in_chinese(report_file, tmp_path, capsys, fmt):
    for target in (tmp_path, "/proc/不可能/x.out"):
        code, _, err = run(capsys, "check", str(report_file), "--format", fmt, "-o", str(target))
        assert code == 2
        assert "Traceback" not in err and "fazhi：无法写入输出文件" in err


def test_full_disk_keeps_the_earlier_file(report_file, tmp_path, capsys, monkeypatch):
    target = tmp_path / "结果.json"
    target.write_text("earlier good result", encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fazhi.output.os.fsync", full)
    code, _, err = run(capsys, "check", str(report_file), "--format", "json", "-o", str(target))
    assert code == 2 and "磁盘已满" in err
    assert target.read_text(encoding="utf-8") == "earlier good result"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


# -- item 10: NUL and ESC in a report do not stop Word output ------------------------------

def test_docx_output_with_control_characters(tmp_path, capsys):
    import docx

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT.replace("12件", "1\x002件\x1b[2J"), encoding="utf-8")
    (folder / "b.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "批注"
    code, _, err = run(capsys, "check", str(folder), "--format", "docx", "-o", str(out))
    assert code in (0, 1), err
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == 2
    text = "\n".join(p.text for p in docx.Document(str(out / written[0])).paragraphs)
    assert "1␀2件␛[2J" in text


# -- item 11: only regular files are read, with the size cap enforced while reading --------

def test_fifo_and_device_links_are_refused_not_read(tmp_path, capsys):
    import json

    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "管道.txt")  # opening it for reading would block forever
    os.symlink("/dev/zero", folder / "零.txt")  # reading it would never end
    (folder / "好.txt").write_text(REPORT, encoding="utf-8")
    code, out, _ = run(capsys, "check", str(folder), "--format", "json")
    errors = {Path(r["path"]).name: (r["error"] or {}).get("code") for r in json.loads(out)["reports"]}
    assert errors == {"好.txt": None, "管道.txt": "not-a-file", "零.txt": "not-a-file"}
    assert code == 2


def test_size_cap_holds_while_reading(monkeypatch):
    from fazhi.ingest import read_regular
    from fazhi.ingest.limits import LIMITS
    from fazhi.model import IngestError

    monkeypatch.setattr(LIMITS, "max_file_bytes", 64)
    assert os.stat("/proc/self/maps").st_size == 0  # the size the file system reports is wrong
    with pytest.raises(IngestError) as exc:
        read_regular("/proc/self/maps")
    assert exc.value.code == "too-large"
