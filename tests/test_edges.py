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


def _one_good_one_broken(tmp_path: Path) -> Path:
    """A folder with a readable report and a broken .docx."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "坏.docx").write_bytes(b"PK\x03\x04 broken")
    return folder


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
        text = "关于法治政府建设情况的报告全年审查规范性文件" * (n // 20 + 1)
        body = "<w:p>" + "".join(f"<w:r><w:t>{ch}</w:t></w:r>" for ch in text[:n]) + "</w:p>"
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


# -- item 1: one validated schema for fazhi.toml and [tool.fazhi] ----------------------------

def _codes(capsys, *args: str) -> set[str]:
    import json

    code, out, err = run(capsys, *args, "--format", "json")
    assert code in (0, 1), err
    return {f["code"] for r in json.loads(out)["reports"] for f in r["findings"]}


def test_readme_settings_pasted_into_fazhi_toml_are_read(tmp_path, capsys, monkeypatch):
    text = REPORT.replace("县委、县政府：\n", "")  # M102 missing-addressee
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert "M102" in _codes(capsys, "check", "a.txt")
    (tmp_path / "fazhi.toml").write_text('[tool.fazhi]\nignore = ["missing-addressee"]\n', encoding="utf-8")
    assert "M102" not in _codes(capsys, "check", "a.txt")
    (tmp_path / "fazhi.toml").write_text('ignore = ["缺少主送机关"]\n', encoding="utf-8")  # the Chinese title
    assert "M102" not in _codes(capsys, "check", "a.txt")
    (tmp_path / "fazhi.toml").write_text('[severity]\n"标题、主送与落款" = "错误"\n', encoding="utf-8")
    code, _, _ = run(capsys, "check", "a.txt")
    assert code == 1


@pytest.mark.parametrize("content,named", [
    ('ignores = ["coverage-gap"]\n', "ignores"),
    ('[tool.fazhi]\nignore = ["coverage-gap"]\nrequire_rectfication = true\n', "require_rectfication"),
    ('[tool.fazhi]\nseverity = "info"\n', "severity"),
])
def test_unknown_or_malformed_keys_are_named_in_chinese(tmp_path, capsys, monkeypatch, content, named):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "fazhi.toml").write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "a.txt")
    assert code == 2 and "配置错误" in err and named in err


def test_pyproject_unknown_key_is_an_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.fazhi]\nignroe = ["coverage-gap"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "check", "a.txt")
    assert code == 2 and "ignroe" in err


# -- item 3: Chinese and English names wherever a user types one -----------------------------

@pytest.mark.parametrize("select,expected", [
    ("结构与要件", {"S101", "S102", "S103"}),
    ("structure", {"S101", "S102", "S103"}),
    ("缺少主送机关", {"M102"}),
    ("m102", {"M102"}),
])
def test_select_accepts_chinese_category_and_title(tmp_path, capsys, select, expected):
    path = tmp_path / "a.txt"
    path.write_text("某县司法局关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n全年审查文件12件。\n", encoding="utf-8")
    found = _codes(capsys, "check", str(path), "--select", select)
    assert found and found <= expected


# -- item 6: the score is a property of the report; selection filters what is shown ----------

def test_score_does_not_change_with_select_or_ignore(tmp_path):
    from fazhi.api import check
    from fazhi.config import Config

    path = tmp_path / "a.txt"
    path.write_text(REPORT.replace("县委、县政府：\n", "").replace("12件", "12件件"), encoding="utf-8")
    full = check(path)
    assert full.findings
    for cfg in (Config(select=["structure", "numbering"]), Config(ignore=["missing-addressee", "writing"]),
                Config(select=["M102"])):
        narrow = check(path, cfg)
        assert narrow.scores == full.scores
        assert all(cfg.shows(f.name) for f in narrow.findings)
        assert len(narrow.findings) < len(full.findings)


# -- item 7: a zip check accepts, junk in folders is named, a non-report is not scored -------

def test_check_reads_a_zip_as_index_does(tmp_path, capsys):
    import json
    import zipfile

    archive = tmp_path / "上报.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("县级/一号.txt", REPORT)
        zf.writestr("../逃逸.txt", REPORT)
        zf.writestr("说明.png", b"\x89PNG")
    code, out, err = run(capsys, "check", str(archive), "--format", "json")
    reports = {r["path"]: r for r in json.loads(out)["reports"]}
    assert reports[f"{archive}!县级/一号.txt"]["error"] is None
    assert reports[f"{archive}!../逃逸.txt"]["error"]["code"] == "unsafe-path"
    assert len(reports) == 2 and code == 2


def test_junk_files_in_a_folder_are_named(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, encoding="utf-8")
    (folder / "统计表.xls").write_bytes(b"junk")
    (folder / "照片.jpg").write_bytes(b"junk")
    code, _, err = run(capsys, "check", str(folder))
    assert "已跳过 2 个不是报告格式的文件" in err and "统计表.xls" in err
    code, _, err = run(capsys, "index", str(folder), "--db", str(tmp_path / "c.db"), "--jobs", "1")
    assert "已跳过 2 个不是报告格式的文件" in err


def test_index_exits_2_when_a_file_failed(tmp_path, capsys):
    folder = _one_good_one_broken(tmp_path)
    code, out, _ = run(capsys, "index", str(folder), "--db", str(tmp_path / "c.db"), "--jobs", "1")
    assert code == 2 and "失败 1 份" in out


@pytest.mark.parametrize("text", [
    "红烧肉的做法\n五花肉切块，焯水后炒糖色，加酱油和八角炖一小时。\n出锅前大火收汁。\n",
    "会议通知\n各科室：定于下周一上午九点在三楼会议室召开全体职工大会，请准时参加。\n办公室\n",
])
def test_a_text_that_is_not_a_report_is_not_scored(tmp_path, capsys, text):
    from fazhi.api import check

    path = tmp_path / "x.txt"
    path.write_text(text, encoding="utf-8")
    review = check(path)
    assert review.error is not None and review.error.code == "not-a-report"
    assert not review.findings and not review.scores
    code, out, _ = run(capsys, "check", str(path))
    assert code == 2 and "不像法治政府建设年度报告" in out


# -- item 19: no English reaches users ------------------------------------------------------

@pytest.mark.parametrize("args,chinese", [
    (["check", "a.txt", "--bogus"], "无法识别的参数：--bogus"),
    (["check", "a.txt", "--format", "xx"], "无效的选择“xx”（可选：text、json、html、docx）"),
    (["nope"], "无效的选择“nope”"),
    (["index"], "缺少必需的参数：路径、--db"),
    (["search", "x", "--db", "a", "--year", "q"], "“q”不是有效的整数"),
    (["check", "--format"], "参数 --format 后面需要一个值"),
])
def test_usage_errors_are_chinese(capsys, args, chinese):
    import re

    with pytest.raises(SystemExit) as exc:
        main(args)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and chinese in err and err.startswith("用法：")
    assert not re.search(r"usage|unrecognized|invalid choice|required|expected", err)


def test_help_is_chinese(capsys):
    import re

    for args in (["--help"], ["check", "--help"], ["index", "--help"]):
        with pytest.raises(SystemExit):
            main(args)
        out = capsys.readouterr().out
        assert out.startswith("用法：") and "选项" in out and "显示本帮助并退出" in out
        assert not re.search(r"usage|positional arguments|options:|show this help", out)


def test_every_rule_has_a_chinese_title():
    import re

    from fazhi.rules import all_rules, get_rule

    rules = all_rules()
    titles = [r.title for r in rules]
    assert len(set(titles)) == len(titles)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,10}", t) for t in titles), titles
    assert all(get_rule(r.title) is r for r in rules)


def test_rule_titles_lead_in_terminal_html_and_word(tmp_path, capsys):
    import docx

    path = tmp_path / "a.txt"
    path.write_text(REPORT.replace("12件", "12件件").replace("县委、县政府：\n", ""), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--color", "never")
    assert "缺少主送机关 M102" in out
    html_out = tmp_path / "a.html"
    run(capsys, "check", str(path), "--format", "html", "-o", str(html_out))
    assert "<b>缺少主送机关</b>" in html_out.read_text(encoding="utf-8")
    word = tmp_path / "a.docx"
    run(capsys, "check", str(path), "--format", "docx", "-o", str(word))
    comments = [c.text for c in docx.Document(str(word)).comments]
    assert any("（缺少主送机关 M102）" in c for c in comments)
    assert not any("missing-addressee" in c for c in comments)


def test_stats_failure_reasons_are_chinese(tmp_path, capsys):
    folder = _one_good_one_broken(tmp_path)
    db = str(tmp_path / "c.db")
    run(capsys, "index", str(folder), "--db", db, "--jobs", "1")
    _, out, _ = run(capsys, "stats", "--db", db)
    assert "失败原因：文件损坏（corrupt） 1 份" in out


# -- item 20: batch Word files named after their sources, A4 paper ----------------------------

def test_batch_word_files_keep_source_names_and_extensions(tmp_path, capsys):
    import docx

    folder = tmp_path / "in"
    (folder / "县级").mkdir(parents=True)
    (folder / "乡镇").mkdir()
    (folder / "县级" / "000.txt").write_text(REPORT, encoding="utf-8")
    (folder / "县级" / "000.html").write_text(f"<html><body><p>{'</p><p>'.join(REPORT.splitlines())}</p></body></html>", encoding="utf-8")
    (folder / "乡镇" / "000.txt").write_text(REPORT, encoding="utf-8")
    out = tmp_path / "批注"
    code, _, err = run(capsys, "check", str(folder), "--format", "docx", "-o", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert names == ["000.html.批注.docx", "000.txt.批注.docx", "县级_000.txt.批注.docx"]
    assert f"{folder / '乡镇' / '000.txt'} → {out / '000.txt.批注.docx'}" in err  # the mapping is printed
    section = docx.Document(str(out / "000.txt.批注.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


# -- item 21: the sign-off example follows the report year; Word comments quote words --------

@pytest.mark.parametrize("year", [2022, 2025])
def test_missing_signoff_example_date_follows_the_report_year(tmp_path, year):
    from fazhi.api import check

    text = "\n".join(REPORT.replace("2024", str(year)).replace("2025年工作安排", f"{year + 1}年工作安排").splitlines()[:-2])
    review = check(text)
    [found] = [f for f in review.findings if f.name == "missing-signoff"]
    assert f"{year + 1}年1月20日" in found.suggestion


def test_word_comments_quote_words_not_line_numbers(tmp_path, capsys):
    import docx

    repeated = "全年组织执法人员培训3期，新增持证人员60人，评查执法案卷120卷。"
    text = REPORT.replace("开展执法培训3次，", f"开展执法培训3次。{repeated}").replace(
        "（一）加强行政执法监督。", f"（一）加强行政执法监督。{repeated}")
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    word = tmp_path / "a.docx"
    run(capsys, "check", str(path), "--format", "docx", "-o", str(word))
    comments = [c.text for c in docx.Document(str(word)).comments if "Q102" in c.text]
    assert comments and all("行" not in c.split("\n")[0] for c in comments)
    assert any("“全年组织执法人员培训3期" in c for c in comments)


def test_index_rerun_still_exits_2_for_files_that_still_fail(tmp_path, capsys):
    folder = _one_good_one_broken(tmp_path)
    db = str(tmp_path / "c.db")
    assert run(capsys, "index", str(folder), "--db", db, "--jobs", "1")[0] == 2
    code, out, err = run(capsys, "index", str(folder), "--db", db, "--jobs", "1")
    assert code == 2 and "未变化 2 份" in out and "上次就无法读取" in err
    (folder / "坏.docx").unlink()
    assert run(capsys, "index", str(folder), "--db", db, "--jobs", "1")[0] == 0
