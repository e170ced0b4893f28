"""The command line end to end: formats, exit codes, many paths, bad files, configuration."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CLEAN = EXAMPLES / "clean_county_justice_2024.txt"
DEFECTS = EXAMPLES / "township_2024_defects.txt"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_report_exits_zero(capsys):
    code, out, _ = run(capsys, "check", str(CLEAN), "--color", "never")
    assert code == 0
    assert "未发现问题" in out


def test_findings_exit_one_with_file_line_col(capsys):
    code, out, _ = run(capsys, "check", str(DEFECTS), "--color", "never")
    assert code == 1
    assert re.search(r"township_2024_defects\.txt:\d+:\d+ .*duplicated-word", out)
    assert "下一年度主要安排" in out  # grouped by section


def test_json_contract(capsys, tmp_path):
    bad = tmp_path / "empty.docx"
    bad.write_bytes(b"")
    code, out, _ = run(capsys, "check", "--format", "json", str(DEFECTS), str(CLEAN), str(bad))
    assert code == 2  # one input could not be read
    data = json.loads(out)
    assert set(data) == {"fazhi_version", "reports"}
    assert len(data["reports"]) == 3
    for rep in data["reports"]:
        assert set(rep) >= {"path", "format", "error", "metadata", "parts", "findings"}
    ok = data["reports"][0]
    assert ok["error"] is None and ok["format"] == "txt"
    assert set(ok["metadata"]) == {"title", "issuer", "issuer_level", "issuer_kind", "region", "report_year", "addressee", "signed_date", "script", "chars", "page", "published_copy"}
    assert set(ok["metadata"]["region"]) == {"province", "city", "county", "township"}
    for part in ok["parts"]:
        assert set(part) == {"part", "heading", "start", "end"}
        assert part["part"] in {"measures", "shortcomings", "leader_duties", "plan", "rectification", "other"}
    for f in ok["findings"]:
        assert set(f) >= {"code", "name", "severity", "category", "message", "start", "end", "line", "excerpt", "suggestion"}
        assert "block" in f["source"]
        assert f["severity"] in {"error", "warning", "info"}
        assert f["line"] >= 1
    for c in ok["citations"]:
        assert set(c) >= {"text", "canonical", "kind", "status", "start", "end"}
        assert c["status"] in {"in_force", "repealed", "renamed", "unknown", "not_applicable"}
    for q in ok["quantities"]:
        assert set(q) >= {"text", "value", "unit", "approx", "start", "end"}
    assert ok["quantities"] and all(isinstance(v, list) for v in ok["coverage"].values())
    assert set(ok["scores"]) == {"overall", "compliance", "accuracy", "specificity", "candour", "coverage"}
    assert [d["name"] for d in ok["score_details"]] == list(ok["scores"])[1:]
    for d in ok["score_details"]:
        assert d["value"] == ok["scores"][d["name"]] and d["explanation"]
        assert all(0 <= e["start"] <= ok["metadata"]["chars"] * 2 for e in d["evidence"])
    assert ok["shortcomings"] and all(set(i) == {"text", "start", "end"} for i in ok["shortcomings"] + ok["plans"])
    err = data["reports"][2]
    assert err["error"]["code"] == "empty" and err["findings"] == [] and err["scores"] == {}


def test_folder_and_unreadable_file_do_not_stop_the_batch(capsys, tmp_path):
    (tmp_path / "a.txt").write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 truncated")
    (tmp_path / "notes.xyz").write_text("ignored")
    code, out, _ = run(capsys, "check", "--format", "json", str(tmp_path))
    data = json.loads(out)
    paths = [Path(r["path"]).name for r in data["reports"]]
    assert paths == ["a.txt", "b.pdf"]
    assert data["reports"][0]["error"] is None
    assert data["reports"][1]["error"]["code"]
    assert code == 2


def test_html_is_self_contained_and_escaped(capsys, tmp_path):
    hostile = tmp_path / "x.txt"
    hostile.write_text(
        "某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n<script>alert(1)</script>的的建设\n", encoding="utf-8"
    )
    out_file = tmp_path / "r.html"
    code, _, err = run(capsys, "check", "--format", "html", "-o", str(out_file), str(hostile), str(DEFECTS))
    html = out_file.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html  # nothing loaded from outside
    assert "<mark" in html and "主要举措和成效" in html
    assert code == 1


def test_select_and_ignore(capsys):
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "duplicated-word", str(DEFECTS))
    names = {f["name"] for f in json.loads(out)["reports"][0]["findings"]}
    assert names == {"duplicated-word"}
    code, out, _ = run(capsys, "check", "--format", "json", "--ignore", "W101,structure", str(DEFECTS))
    names = {f["name"] for f in json.loads(out)["reports"][0]["findings"]}
    assert "duplicated-word" not in names and "missing-part" not in names and names
    code, _, err = run(capsys, "check", "--select", "no-such-rule", str(DEFECTS))
    assert code == 2 and "未知的规则" in err


def test_config_file_discovered(capsys, tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.fazhi]\nignore = ["late-report"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "json", str(DEFECTS))
    assert "late-report" not in {f["name"] for f in json.loads(out)["reports"][0]["findings"]}
    (tmp_path / "fazhi.toml").write_text('ignore = ["nonsense"]\n', encoding="utf-8")
    code, _, err = run(capsys, "check", str(DEFECTS))
    assert code == 2 and "配置错误" in err


def test_rules_and_rule(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "duplicated-word" in out and "W101" in out
    code, out, _ = run(capsys, "rule", "duplicated-word")
    assert code == 0 and "会报告的写法" in out and "正确的写法" in out
    code, _, err = run(capsys, "rule", "nope")
    assert code == 2 and "没有名为" in err


def test_usage_errors_exit_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    assert "用法错误" in capsys.readouterr().err
    code, _, err = run(capsys, "check", "/nonexistent/folder/")
    assert code == 2


def test_console_script_version_and_no_traceback(tmp_path):
    exe = Path(sys.executable).parent / "fazhi"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "fazhi.cli"]
    out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("fazhi ")
    bomb = tmp_path / "bad.docx"
    bomb.write_bytes(b"PK\x03\x04garbage")
    res = subprocess.run([*cmd, "check", str(bomb)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert "Traceback" not in res.stdout + res.stderr
