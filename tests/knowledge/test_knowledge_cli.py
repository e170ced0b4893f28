"""`fazhi knowledge`: the overview, one document's record, user CSV files and the cross-check;
`documents` in the configuration."""

from __future__ import annotations

import json

import pytest

from fazhi.cli import main
from fazhi.config import ConfigError, load_file

CSV = (
    "标题,类别,施行日期,废止日期,后继文件,来源\n"
    "浙江省示例行政程序规定,地方文件,2017-01-01,2023-03-01,浙江省示例行政程序条例,省政府令第1号\n"
    "浙江省示例行政程序条例,地方文件,2023-03-01,,,省人大常委会公告第2号\n"
)


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_overview_counts_by_kind_and_status(capsys):
    code, out, _ = run(capsys, "knowledge", "--format", "json", "--date", "2026-12-01")
    info = json.loads(out)
    assert code == 0 and info["entries"] == sum(info["by_kind"].values()) == sum(info["by_status"].values())
    assert info["by_status"]["repealed"] >= 30 and info["user_entries"] == 0
    code, out, _ = run(capsys, "knowledge")
    assert code == 0 and out.startswith("知识库共") and "已废止" in out


@pytest.mark.parametrize(
    "name, date, status, successor",
    [
        ("信访条例", "2024-06-01", "repealed", "信访工作条例"),
        ("信访条例", "2021-06-01", "in_force", "信访工作条例"),
        ("婚姻法", "2020-12-31", "in_force", "中华人民共和国民法典"),
        ("婚姻法", "2021-01-01", "repealed", "中华人民共和国民法典"),
        ("七五普法", "2023-01-01", "expired", "中央宣传部、司法部关于开展法治宣传教育的第八个五年规划（2021－2025年）"),
        ("行政处罚法", "2024-01-01", "in_force", None),
    ],
)
def test_record_of_one_document(capsys, name, date, status, successor):
    code, out, _ = run(capsys, "knowledge", name, "--date", date, "--format", "json")
    rec = json.loads(out)
    assert code == 0 and rec["status"] == status and rec["source"]
    assert (rec["successors"][:1] or [None])[0] == successor


def test_unknown_document_and_bad_date(capsys):
    code, _, err = run(capsys, "knowledge", "某某不存在的管理办法")
    assert code == 1 and "知识库中没有" in err
    code, _, err = run(capsys, "knowledge", "--date", "2024/13/01")
    assert code == 2 and "YYYY-MM-DD" in err


def test_user_csv_joins_the_catalog(capsys, tmp_path):
    path = tmp_path / "本省文件.csv"
    path.write_text(CSV, encoding="gb18030")
    code, out, _ = run(capsys, "knowledge", "--csv", str(path), "--format", "json")
    assert code == 0 and json.loads(out)["user_entries"] == 2
    code, out, _ = run(capsys, "knowledge", "浙江省示例行政程序规定", "--csv", str(path), "--date", "2025-01-01")
    assert code == 0 and "已废止" in out and "《浙江省示例行政程序条例》取代" in out


def test_bad_user_csv_is_a_usage_error_listing_rows(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(CSV.replace("2023-03-01,浙江省", "2024-13-01,浙江省"), encoding="utf-8")
    code, _, err = run(capsys, "knowledge", "--csv", str(path))
    assert code == 2 and "第2行" in err and "不是有效日期" in err
    code, _, err = run(capsys, "knowledge", "--csv", str(tmp_path / "missing.csv"))
    assert code == 2 and "无法读取文件" in err


def test_config_documents_are_relative_to_the_config_file(tmp_path, monkeypatch):
    (tmp_path / "清单.csv").write_text(CSV, encoding="utf-8")
    conf = tmp_path / "fazhi.toml"
    conf.write_text('documents = ["清单.csv"]\n', encoding="utf-8")
    monkeypatch.chdir("/")
    cfg = load_file(conf)
    assert cfg.documents == [str(tmp_path / "清单.csv")]
    cat = cfg.catalog()
    assert cat.lookup("浙江省示例行政程序条例") is not None
    assert cfg.with_overrides(None, ["W101"]).catalog() is cat  # loaded once
    conf.write_text("documents = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="documents"):
        load_file(conf)


def test_user_documents_are_used_by_check(capsys, tmp_path, monkeypatch):
    """A local regulation from the user's list, cited after its repeal, is flagged with its
    successor; without the list it is only a local document."""
    (tmp_path / "清单.csv").write_text(CSV, encoding="utf-8")
    report = tmp_path / "报告.txt"
    report.write_text(
        "某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n一、主要举措和成效\n"
        "严格执行《浙江省示例行政程序规定》，办理行政复议案件12件。\n特此报告。\n某县司法局\n2025年1月6日\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "repealed-law", str(report))
    rep = json.loads(out)["reports"][0]
    assert rep["findings"] == [] and rep["citations"][0]["kind"] == "local_document"
    (tmp_path / "fazhi.toml").write_text('documents = ["清单.csv"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", "--format", "json", "--select", "repealed-law", str(report))
    rep = json.loads(out)["reports"][0]
    assert [f["suggestion"] for f in rep["findings"]] == ["《浙江省示例行政程序条例》"]
    assert rep["citations"][0]["status"] == "repealed" and code == 1
