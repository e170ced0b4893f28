"""fazhi search: FTS5 trigram for 3+ characters, LIKE for 1-2, filters, offsets and the JSON shape."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fazhi.cli import main
from fazhi.corpus.index import index_paths
from fazhi.corpus.search import fts_phrase, search
from fazhi.corpus.store import Store

from . import report, review_dict, write_corpus

PHRASE = "智慧复议云平台"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search")
    folder = root / "r"
    write_corpus(folder, 12)  # years 2022/2023, six issuers, two without the leader part
    (folder / "planted_once.txt").write_text(
        report("宜昌市生态环境局", 2024, addressee="市委、市政府", extra=f"建成{PHRASE}，实现网上申请。"), encoding="utf-8")
    (folder / "planted_thrice.txt").write_text(
        report("蒲江县司法局", 2024, extra=f"上线{PHRASE}。{PHRASE}运行平稳，{PHRASE}受理申请86件。"), encoding="utf-8")
    path = root / "c.db"
    result = index_paths([folder], path, jobs=1)
    assert result.indexed == 14 and not result.failed
    return path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_shape_offsets_and_ranking(db, capsys):
    code, out, _ = run(capsys, "search", PHRASE, "--db", str(db), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"hits"}
    hits = data["hits"]
    assert [Path(h["path"]).name for h in hits] == ["planted_thrice.txt", "planted_once.txt"]  # bm25
    with Store.open(db, readonly=True) as store:
        for h in hits:
            assert set(h) == {"path", "title", "issuer", "report_year", "snippet", "start", "end"}
            text = store.text(store.id_of(h["path"]))
            assert text[h["start"]:h["end"]] == PHRASE
            assert text.find(PHRASE) == h["start"]  # the first match
            assert PHRASE in h["snippet"] and 50 <= len(h["snippet"]) <= 60
            assert h["report_year"] == 2024 and h["title"].endswith("报告")


def test_filters(db):
    with Store.open(db, readonly=True) as store:
        def paths(query: str, **filters) -> set[str]:
            return {Path(h.path).name for h in search(store, query, limit=100, **filters)}

        everything = paths("行政复议申请")
        assert len(everything) == 14
        assert paths(PHRASE, year=2024, level="city") == {"planted_once.txt"}
        assert paths(PHRASE, level="县级") == {"planted_thrice.txt"}
        assert paths(PHRASE, province="湖北") == {"planted_once.txt"}
        assert paths(PHRASE, county="蒲江县") == {"planted_thrice.txt"}
        assert paths(PHRASE, city="宜昌") == {"planted_once.txt"}
        assert paths("行政复议申请", issuer="生态环境") == {"report_0001.txt", "report_0007.txt", "planted_once.txt"}
        assert all(h.report_year == 2022 for h in search(store, "行政复议申请", limit=100, year=2022))
        assert len(paths("行政复议申请", year=2022)) == 6
        assert paths("行政复议申请", rule="missing-part") == {"report_0004.txt", "report_0009.txt"}
        assert paths("行政复议申请", rule="S101") == {"report_0004.txt", "report_0009.txt"}
        every = paths("行政复议申请")
        assert paths("行政复议申请", min_score=0) == every and paths("行政复议申请", min_score=100.5) == set()
        low = paths("行政复议申请", max_score=60)
        assert paths("行政复议申请", min_score=60.01) == every - low
        assert len(search(store, "行政复议申请", limit=3)) == 3


def test_short_queries_fall_back_to_like(db):
    with Store.open(db, readonly=True) as store:
        two = search(store, "云平", limit=100)
        assert {Path(h.path).name for h in two} == {"planted_once.txt", "planted_thrice.txt"}
        for h in two:
            assert store.text(h.id)[h.start:h.end] == "云平"
        one = search(store, "镇", limit=100, year=2022)
        assert {h.issuer for h in one} == {"龙泉关镇人民政府"}
        mixed = search(store, f"云 {PHRASE}", limit=100, level="city")
        assert [Path(h.path).name for h in mixed] == ["planted_once.txt"]
        assert search(store, "云平", limit=100, year=2022) == []


def test_fts_syntax_in_queries_is_plain_text(db):
    assert fts_phrase('a"b') == '"a""b"'
    with Store.open(db, readonly=True) as store:
        for query in ['"AND* (', "NEAR(复议 法治)", "OR 行政 NOT", "col:行政复议", "法治政府^", '""', "复议*"]:
            search(store, query)  # no FTS5 syntax error
        assert search(store, "行政复议申请 OR") == []  # "OR" is a 2-char term that no report contains


def test_scores_filter(tmp_path):
    with Store.open(tmp_path / "c.db") as store:
        for i, score in enumerate((55.0, 72.5, 91.0)):
            store.put(f"/r/{i}.txt", f"{i}" * 64, review_dict(f"/r/{i}.txt", scores={"overall": score}), "推进行政复议体制改革")
        got = {h.score for h in search(store, "行政复议", min_score=60)}
        assert got == {72.5, 91.0}
        assert {h.score for h in search(store, "行政复议", min_score=60, max_score=80)} == {72.5}


def test_text_output_and_errors(db, capsys, tmp_path):
    code, out, _ = run(capsys, "search", PHRASE, "--db", str(db), "--color", "never")
    assert code == 0 and "找到 2 份报告" in out and "planted_thrice.txt:" in out and PHRASE in out
    code, out, _ = run(capsys, "search", "没有这句话的报告", "--db", str(db))
    assert code == 0 and "没有找到" in out
    code, _, err = run(capsys, "search", "  ", "--db", str(db))
    assert code == 2 and "检索词不能为空" in err
    code, _, err = run(capsys, "search", "行政", "--db", str(tmp_path / "none.db"))
    assert code == 2 and "找不到数据库文件" in err and "Traceback" not in err
