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


# -- item 15: escape sequences in report text and file names never reach the terminal -------

HOSTILE = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m"


def _raw_controls(text: str) -> list[str]:
    import re

    without_colour = re.sub("\x1b\\[[0-9;]*m", "", text)
    return re.findall("[\x00-\x08\x0b-\x1f\x7f-\x9f]", without_colour)


def test_check_terminal_output_has_no_raw_escape_sequences(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"报告{HOSTILE}.txt").write_text(REPORT.replace("12件", f"12件{HOSTILE}"), encoding="utf-8")
    (folder / f"坏{HOSTILE}.docx").write_bytes(b"PK\x03\x04 broken")
    for color in ("always", "never"):
        code, out, err = run(capsys, "check", str(folder), "--color", color)
        assert _raw_controls(out + err) == []
        assert "\\u001b[2J" in out  # shown, not obeyed


def test_corpus_commands_output_has_no_raw_escape_sequences(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"报告{HOSTILE}.txt").write_text(REPORT, encoding="utf-8")
    (folder / f"坏{HOSTILE}.docx").write_bytes(b"PK\x03\x04 broken")
    db = str(tmp_path / "c.db")
    outputs = []
    for args in (["index", str(folder), "--db", db, "--jobs", "1"], ["search", "法治", "--db", db, "--color", "always"],
                 ["dedup", "--db", db], ["stats", "--db", db], ["search", "法治", "--db", db, "--format", "json"]):
        _, out, err = run(capsys, *args)
        outputs.append(out + err)
    assert [_raw_controls(o) for o in outputs] == [[]] * len(outputs)
    assert "\\u001b[2J" in outputs[0] and "\\u001b[2J" in outputs[1]


def test_safe_stream_keeps_json_meaning():
    import json

    from fazhi.safetext import neutralize

    data = {"path": "a\x9bb\x7f"}
    assert json.loads(neutralize(json.dumps(data, ensure_ascii=False))) == data


# -- item 16: a .docx cut into millions of runs is refused before its tree is built ----------

def test_docx_with_too_many_runs_is_refused_with_a_code(tmp_path, monkeypatch):
    from fazhi.api import check
    from fazhi.ingest.limits import LIMITS
    from tests.ingest.builders import document_xml, make_docx

    def docx_of_runs(n: int) -> Path:
        body = "<w:p>" + "".join(f"<w:r><w:t>{chr(0x4e00 + i % 3000)}</w:t></w:r>" for i in range(n)) + "</w:p>"
        path = tmp_path / f"{n}.docx"
        path.write_bytes(make_docx([], document=document_xml(body)))
        return path

    monkeypatch.setattr(LIMITS, "max_runs", 1000)
    refused = check(docx_of_runs(1500))
    assert refused.error is not None and refused.error.code == "too-many-runs"
    assert "格式片段" in refused.error.message
    assert check(docx_of_runs(900)).error is None


# -- item 17: UTF-16 without a BOM, even with no ASCII at all, is text ---------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_without_ascii_is_read(tmp_path, encoding):
    from fazhi.api import check

    body = "".join(line for line in REPORT.splitlines() if line).replace("2024", "二〇二四").replace("2025", "二〇二五")
    body = "".join(ch for ch in body if ord(ch) > 0x7F)  # no ASCII: NUL bytes only inside a few hanzi (一 is U+4E00)
    path = tmp_path / "无BOM.txt"
    path.write_bytes(body.encode(encoding))
    review = check(path)
    assert review.error is None
    assert review.document.text.startswith("某县司法局关于")


@pytest.mark.parametrize("text,encoding", [
    ("hello world 2024 report", "utf-8"),  # lowercase ASCII would look like hanzi read as UTF-16-LE
    ("某县司法局关于法治政府建设情况的报告，全年审查规范性文件。", "gb18030"),
    ("某縣司法局關於法治政府建設情況的報告，全年審查規範性文件。", "big5"),
])
def test_other_encodings_are_not_taken_for_utf16(text, encoding):
    from fazhi.ingest.txt import detect_encoding

    assert detect_encoding(text.encode(encoding)) == encoding
