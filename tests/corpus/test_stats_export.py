"""fazhi stats and fazhi export: the numbers, and files a supervising office can open."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from fazhi.cli import main
from fazhi.corpus.export import export
from fazhi.corpus.index import index_paths
from fazhi.corpus.stats import corpus_stats
from fazhi.corpus.store import Store, StoreError

from . import report, review_dict


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("stats")
    folder = root / "r"
    folder.mkdir()
    files = {
        "a.txt": report("蒲江县司法局", 2024, signed="2025年1月20日"),  # on time
        "b.txt": report("宜昌市生态环境局", 2023, addressee="市委、市政府", leader=False, signed="2024年3月15日"),  # late, no leader part
        "c.txt": report("阜平县人民政府", 2024, addressee="市委、市政府", signed="2025年2月1日", extra="加强加强执法监督的的工作。"),
        "d.txt": report("龙泉关镇人民政府", 2024, signed="2025年2月28日"),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "e.docx").write_bytes(b"PK\x03\x04 broken")
    path = root / "c.db"
    result = index_paths([folder], path, jobs=1)
    assert result.indexed == 4 and len(result.failed) == 1
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json(db, capsys):
    code, out, _ = run(capsys, "stats", "--db", str(db), "--format", "json")
    assert code == 0
    s = json.loads(out)
    assert (s["reports"], s["readable"], s["failed"]) == (5, 4, 1)
    assert s["failed_by_code"] == {"corrupt": 1}
    assert s["by_year"] == {"2023": 1, "2024": 3}
    assert s["by_level"] == {"county": 2, "city": 1, "township": 1}
    assert s["by_province"] == {"河北省": 2, "四川省": 1, "湖北省": 1}
    assert s["by_city"]["河北省保定市"] == 2
    parts = s["parts"]
    assert parts["measures"] == {"present": 4, "rate": 1.0}
    assert parts["leader_duties"] == {"present": 3, "rate": 0.75}
    assert parts["rectification"]["present"] == 0
    assert set(parts) == {"measures", "shortcomings", "leader_duties", "plan", "rectification"}
    assert s["on_time"] == {"known": 4, "on_time": 3, "late": 1, "no_date": 0, "rate": 0.75}
    top = {f["name"]: f for f in s["findings"]}
    assert top["duplicated-word"]["reports"] == 1 and top["duplicated-word"]["count"] >= 2
    assert top["missing-part"]["reports"] == 1
    sc = s["scores"]
    assert sc["count"] == 4 and sum(sc["histogram"].values()) == 4 and 0 <= sc["median"] <= 100
    code, out, _ = run(capsys, "stats", "--db", str(db))
    assert code == 0 and "各部分齐备率" in out and "按时报送：3 / 4" in out
    assert json.loads(run(capsys, "stats", "--db", str(db), "--format", "json", "--year", "2024")[1])["readable"] == 3


def test_stats_scores_histogram(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        for i, score in enumerate((45.0, 62.0, 68.0, 88.0, 100.0)):
            store.put(f"/r/{i}.txt", None, review_dict(f"/r/{i}.txt", scores={"overall": score}), "正文")
        store.put(f"/r/none.txt", None, review_dict("/r/none.txt"), "正文")
        sc = corpus_stats(store)["scores"]
    assert sc["count"] == 5 and sc["mean"] == 72.6 and sc["median"] == 68.0
    assert sc["histogram"]["40-49"] == 1 and sc["histogram"]["60-69"] == 2
    assert sc["histogram"]["80-89"] == 1 and sc["histogram"]["90-100"] == 1
    assert sum(sc["histogram"].values()) == 5


def test_export_xlsx(db, tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "汇总.xlsx"
    code, _, err = run(capsys, "export", "--db", str(db), "--to", str(out))
    assert code == 0 and "已导出 5 份" in err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["报告", "问题清单"]
    ws = wb["报告"]
    header = [c.value for c in ws[1]]
    assert header[:4] == ["文件路径", "标题", "发文单位", "层级"]
    assert {"报告年度", "成文日期", "按时报送", "总分", "主要举措和成效", "第一责任人职责情况", "读取错误代码"} <= set(header)
    scores = [h for h in header if h in ("要件合规", "文字准确", "举措具体", "问题剖析", "纲要覆盖")]
    assert scores == ["要件合规", "文字准确", "举措具体", "问题剖析", "纲要覆盖"]  # the score's own order, in Chinese
    assert not any(h.startswith("得分：") for h in header)
    assert "字词误重复 W101" in header  # the rule's Chinese title leads, its code follows
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}6"
    assert ws.column_dimensions["A"].width > 20
    rows = [dict(zip(header, [c.value for c in row])) for row in ws.iter_rows(min_row=2)]
    by_name = {Path(r["文件路径"]).name: r for r in rows}
    assert by_name["b.txt"]["按时报送"] == "否" and by_name["a.txt"]["按时报送"] == "是"
    assert by_name["b.txt"]["第一责任人职责情况"] == "无" and by_name["a.txt"]["第一责任人职责情况"] == "有"
    assert by_name["a.txt"]["层级"] == "县级" and by_name["d.txt"]["层级"] == "乡镇级"
    assert by_name["c.txt"]["字词误重复 W101"] >= 2
    assert by_name["e.docx"]["读取错误代码"] == "corrupt" and by_name["e.docx"]["主要举措和成效"] is None
    issues = wb["问题清单"]
    iheader = [c.value for c in issues[1]]
    assert iheader == ["文件路径", "发文单位", "行", "规则", "级别", "问题说明", "原文摘录", "修改建议"]
    assert issues.freeze_panes == "B2" and issues.auto_filter.ref
    found = [[c.value for c in row] for row in issues.iter_rows(min_row=2)]
    dup = [r for r in found if r[3] == "字词误重复 W101"]
    assert dup and dup[0][1] == "阜平县人民政府" and dup[0][4] == "错误" and isinstance(dup[0][2], int)
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file is gone


def test_export_scores_components_and_formula_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    with Store.open(tmp_path / "c.db") as store:
        store.put("/r/a.txt", None, review_dict("/r/a.txt", title="=HYPERLINK(\"x\")", scores={"overall": 81.0, "structure": 28.5, "substance": 40}), "正文")
        store.put("/r/b.txt", None, review_dict("/r/b.txt", scores={"overall": 60.0}), "正文")
        export(store, tmp_path / "s.xlsx")
        export(store, tmp_path / "s.csv")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["报告"]
    header = [c.value for c in ws[1]]
    assert {"得分：structure", "得分：substance"} <= set(header) and "得分：overall" not in header
    row = dict(zip(header, [c.value for c in ws[2]]))
    assert row["总分"] == 81.0 and row["得分：structure"] == 28.5 and row["得分：substance"] == 40
    assert row["标题"] == '=HYPERLINK("x")' and ws.cell(2, 2).data_type == "s"  # text, not a formula
    with open(tmp_path / "s.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["标题"].startswith("'=")


def test_export_csv_jsonl_parquet(db, tmp_path):
    with Store.open(db, readonly=True) as store:
        assert export(store, tmp_path / "out.csv") == 5
        assert export(store, tmp_path / "out.jsonl", year=2024) == 3
        raw = (tmp_path / "out.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
        with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert len(rows) == 5 and rows[0]["发文单位"]
        lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
        reviews = [json.loads(line) for line in lines]
        assert len(reviews) == 3 and all(r["metadata"]["report_year"] == 2024 for r in reviews)
        assert {"path", "format", "error", "metadata", "parts", "findings"} <= set(reviews[0])
        pq = pytest.importorskip("pyarrow.parquet")
        assert export(store, tmp_path / "out.parquet", level="county") == 2
        table = pq.read_table(tmp_path / "out.parquet")
        assert table.num_rows == 2
        cols = table.to_pydict()
        assert cols["issuer_level"] == ["county", "county"] and set(cols["part_measures"]) == {True}
        assert str(table.schema.field("report_year").type) == "int64"


def test_export_errors(db, tmp_path, capsys, monkeypatch):
    code, _, err = run(capsys, "export", "--db", str(db), "--to", str(tmp_path / "x.pdf"))
    assert code == 2 and "不支持导出" in err
    code, _, err = run(capsys, "export", "--db", str(db), "--to", str(tmp_path / "no" / "x.csv"))
    assert code == 2 and "不存在" in err
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with Store.open(db, readonly=True) as store:
        with pytest.raises(StoreError) as exc:
            export(store, tmp_path / "x.parquet")
    assert exc.value.code == "missing-dependency" and "pip install" in exc.value.message
    assert not (tmp_path / "x.parquet").exists()


def test_failed_export_keeps_previous_file(db, tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("旧文件", encoding="utf-8")
    import fazhi.corpus.export as ex

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ex, "_write_csv", full_disk)
    with Store.open(db, readonly=True) as store:
        with pytest.raises(StoreError) as exc:
            export(store, target)
    assert exc.value.code == "disk-full" and "磁盘已满" in exc.value.message
    assert target.read_text(encoding="utf-8") == "旧文件"
    assert not list(tmp_path.glob(".*.tmp"))


def test_stats_report_stored_dedup_and_followup(db, capsys):
    """No dedup or followup run yet: null; after both: counts over the selected reports."""
    code, out, _ = run(capsys, "stats", "--db", str(db), "--format", "json")
    s = json.loads(out)
    assert s["copying"] is None and s["followup"] is None
    from fazhi.corpus.store import Store

    with Store.open(db) as store:
        ids = sorted(row.id for row in store.iter_reports())
        store.replace_copies([(ids[0], ids[1], "same-report", 0.97, 0, 0), (ids[1], ids[2], "copied-passages", 0.4, 2, 300)], 4, 0.5)
        store.replace_followups([(ids[0], ids[3], 4, 3, 5, 2)], 4, 0.25)
    code, out, _ = run(capsys, "stats", "--db", str(db), "--format", "json")
    s = json.loads(out)
    assert (s["copying"]["same_report"], s["copying"]["copied"]) == (2, 1)
    f = s["followup"]
    assert (f["links"], f["shortcomings"], f["addressed"], f["rate"], f["plans"], f["done"]) == (1, 4, 3, 0.75, 5, 2)
    code, out, _ = run(capsys, "stats", "--db", str(db))
    assert "疑似抄用他人或本单位往年报告段落 1 份" in out and "已见整改 3 项（75.0%）" in out
