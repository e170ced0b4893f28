"""Knowledge that keeps up: the 2024–2026 documents in the catalog, `fazhi knowledge --import`
(validated, kept in the data folder, seen by the next `knowledge` and `check`), `--version`, and
`--csv` as a one-off check that says so."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fazhi.api import check
from fazhi.knowledge.catalog import catalog
from fazhi.knowledge.datadir import updates_path
from fazhi.knowledge.describe import status

from .test_knowledge_cli import CSV, run

PACKAGE = """
[package]
source = "某省司法厅"
date = "2026-03-01"

[[doc]]
id = "example-province-petition-rules"
title = "某省信访事项办理办法"
kind = "local_document"
effective = "2010-01-01"
repealed = "2024-06-01"
successor = "example-province-petition-rules-2024"
source = "某省人民政府令第9号"

[[doc]]
id = "example-province-petition-rules-2024"
title = "某省信访工作办法"
kind = "local_document"
effective = "2024-06-01"
source = "某省人民政府令第30号"
"""


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("FAZHI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.mark.parametrize("name,day,expected", [
    ("行政执法监督条例", "2026-01-31", "not_yet_in_force"),
    ("行政执法监督条例", "2026-02-01", "in_force"),
    ("关于加强行政执法协调监督工作体系建设的意见", "2025-01-01", "in_force"),
    ("提升行政执法质量三年行动计划（2023—2025年）", "2025-06-01", "in_force"),
    ("提升行政执法质量三年行动计划（2023—2025年）", "2026-03-01", "expired"),
])
def test_new_documents_and_their_status(name, day, expected):
    found = catalog().lookup(name)
    assert found is not None, name
    assert status(found[0], dt.date.fromisoformat(day)) == expected


@pytest.mark.parametrize("name,words", [
    ("行政执法监督条例", ["国务院令第825号", "2026年2月1日"]),
    ("婚姻登记条例", ["国务院令第804号", "2025年5月10日", "2024年12月6日"]),
    ("殡葬管理条例", ["2026年3月30日"]),
    ("提升行政执法质量三年行动计划", ["国办发〔2023〕27号"]),
])
def test_sources_name_the_revisions(name, words):
    entry = catalog().lookup(name)[0]
    assert all(w in entry.source for w in words), entry.source


def test_import_is_kept_and_seen_by_knowledge_and_check(capsys, tmp_path, data_dir):
    pkg = tmp_path / "更新包.toml"
    pkg.write_text(PACKAGE, encoding="utf-8")
    code, _, _ = run(capsys, "knowledge", "某省信访事项办理办法")
    assert code == 1  # not known before
    code, out, _ = run(capsys, "knowledge", "--import", str(pkg))
    assert code == 0 and "新增 2 个文件" in out and updates_path().is_file()
    code, out, _ = run(capsys, "knowledge", "某省信访事项办理办法", "--date", "2025-01-01")
    assert code == 0 and "已废止" in out and "某省信访工作办法" in out
    report = ("某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n"
              "全年严格执行《某省信访事项办理办法》，办理信访事项20件。\n特此报告。\n某县司法局\n2025年1月20日")
    found = [f for f in check(report).findings if f.code == "C101"]
    assert found and "某省信访工作办法" in found[0].message


def test_version_lists_the_imports(capsys, tmp_path, data_dir):
    code, out, _ = run(capsys, "knowledge", "--version")
    assert code == 0 and "没有导入过更新包" in out
    pkg = tmp_path / "更新包.toml"
    pkg.write_text(PACKAGE, encoding="utf-8")
    run(capsys, "knowledge", "--import", str(pkg))
    code, out, _ = run(capsys, "knowledge", "--version", "--format", "json")
    info = json.loads(out)
    assert info["bundled_version"] and info["entries"] == info["bundled_entries"] + 2
    rec = info["imports"][0]
    assert (rec["source"], rec["date"], rec["name"]) == ("某省司法厅", "2026-03-01", "更新包.toml")
    assert rec["added"] == ["某省信访事项办理办法", "某省信访工作办法"] and len(rec["sha256"]) == 64


def test_a_package_updates_a_bundled_entry(capsys, tmp_path, data_dir):
    pkg = tmp_path / "修订.toml"
    pkg.write_text('[[doc]]\nid = "funeral-regulations"\ntitle = "殡葬管理条例"\nkind = "administrative_regulation"\n'
                   'effective = "1997-07-21"\nsource = "更新包：2026年修订"\n', encoding="utf-8")
    code, out, _ = run(capsys, "knowledge", "--import", str(pkg))
    assert code == 0 and "更新 1 个文件" in out
    assert catalog().lookup("殡葬管理条例")[0].source == "更新包：2026年修订"


def test_csv_import_is_persistent(capsys, tmp_path, data_dir):
    path = tmp_path / "本省文件.csv"
    path.write_text(CSV, encoding="utf-8")
    code, out, _ = run(capsys, "knowledge", "--import", str(path))
    assert code == 0 and "新增 2 个文件" in out
    code, out, _ = run(capsys, "knowledge", "浙江省示例行政程序规定", "--date", "2025-01-01")
    assert code == 0 and "已废止" in out


@pytest.mark.parametrize("text,words", [
    ('[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "local_document"\n', "第1个 [[doc]]（x-1）：缺少 source"),
    ('[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "local_document"\nsource = "s"\neffective = "2026-13-01"\n', "effective“2026-13-01”不是有效日期"),
    ('[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "regulation"\nsource = "s"\n', "类别“regulation”不在"),
    ('[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "local_document"\nsource = "s"\nsuccessor = "nope"\n', "后继文件“nope”不存在"),
    ('[[doc]]\nid = "x-1"\ntitle = "婚姻登记条例"\nkind = "local_document"\nsource = "s"\n', "名称“婚姻登记条例”与条目 x-1 重复"),
    ('[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "local_document"\nsource = "s"\ncolour = "red"\n', "未知的字段 colour"),
    ('[package]\ndate = "明年"\n[[doc]]\nid = "x-1"\ntitle = "某办法"\nkind = "local_document"\nsource = "s"\n', "date“明年”不是有效日期"),
    ("[[doc]\n", "不是有效的 TOML"),
    ("[package]\nsource = \"x\"\n", "没有 [[doc]] 条目"),
])
def test_bad_packages_are_refused_with_the_entry_named(capsys, tmp_path, data_dir, text, words):
    pkg = tmp_path / "坏.toml"
    pkg.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "knowledge", "--import", str(pkg))
    assert code == 2 and words in err and "未导入" in err
    assert not updates_path().exists()


def test_other_file_types_are_refused(capsys, tmp_path, data_dir):
    pkg = tmp_path / "更新包.xlsx"
    pkg.write_bytes(b"PK")
    code, _, err = run(capsys, "knowledge", "--import", str(pkg))
    assert code == 2 and ".toml" in err and ".csv" in err


def test_csv_option_is_a_one_off_check_and_says_so(capsys, tmp_path, data_dir):
    path = tmp_path / "本省文件.csv"
    path.write_text(CSV, encoding="utf-8")
    code, out, err = run(capsys, "knowledge", "浙江省示例行政程序规定", "--csv", str(path))
    assert code == 0 and "未保存" in err and "--import" in err
    code, _, _ = run(capsys, "knowledge", "浙江省示例行政程序规定")
    assert code == 1  # not kept: the next query does not know it
    assert not updates_path().exists()
