"""Every search plan returns exactly the reports a brute-force scan finds.

The store is small, so RANK_CAP and RANK_POOL are lowered to make the bounded plans (match-first,
filter-first) run their loops below the probe; each plan is also forced on every query."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from fazhi.corpus import search as S
from fazhi.corpus.store import LEVEL_ALIASES, Store

from . import review_dict

PHRASES = ["行政复议申请", "智慧法院", "执法监督", "ABC平台", "abc平台", "规范性文件备案", "首违不罚"]
PROVINCES = ["四川省", "湖北省", "新疆维吾尔自治区", None]
ISSUERS = ["蒲江县司法局", "宜昌市生态环境局", "龙泉关镇人民政府", "某市财政局", None]
LEVELS = ["county", "city", "township", "province", None]
RULES = [("W101", "duplicated-word", "warning"), ("S101", "missing-part", "error"), ("W201", "late-report", "info")]


def _build(path: Path, n: int = 90, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    with Store.open(path) as store, store.transaction():
        for i in range(n):
            phrases = rng.sample(PHRASES, rng.randint(0, 4))
            body = "。".join(p * rng.randint(1, 3) for p in phrases) + "。其他内容" * rng.randint(1, 30)
            title_phrase = rng.choice(PHRASES) if rng.random() < 0.2 else ""
            meta = dict(
                title=f"关于2024年度法治政府建设情况的报告{title_phrase}",
                issuer=rng.choice(ISSUERS), issuer_level=rng.choice(LEVELS), province=rng.choice(PROVINCES),
                report_year=rng.choice([2022, 2023, 2024, None]),
                findings=rng.sample(RULES, rng.randint(0, 2)),
            )
            if rng.random() < 0.8:
                meta["scores"] = {"overall": rng.choice([55.0, 65.0, 75.0, 85.0, 95.0])}
            review = review_dict(f"/r/{i:03d}.txt", **meta)
            if rng.random() < 0.05:  # a file that could not be read
                store.put_error(f"/r/{i:03d}.txt", f"{i:064d}", "corrupt", "损坏")
                continue
            store.put(f"/r/{i:03d}.txt", f"{i:064d}", review, body)
    with Store.open(path, readonly=True) as store:
        for rid, path_, title, issuer, level, province, year, score, text in store.query(
                "SELECT id, path, title, issuer, issuer_level, province, report_year, score, text FROM reports"):
            rules = {r for row in store.query("SELECT name, code FROM findings WHERE report_id = ?", (rid,)) for r in row}
            rows.append(dict(id=rid, title=title or "", issuer=issuer, level=level, province=province, year=year,
                             score=score, text=text, rules=rules))
    return rows


def _brute(rows: list[dict], query: str, filters: dict) -> set[int]:
    out = set()
    for r in rows:
        ok = True
        for t in query.split():
            t_low = t.lower()
            if len(t) >= 3:
                ok &= t_low in r["title"].lower() or t_low in r["text"].lower()
            else:
                ok &= t_low in r["text"].lower()
        for k, v in filters.items():
            if k == "year":
                ok &= r["year"] == v
            elif k == "level":
                ok &= r["level"] == LEVEL_ALIASES.get(v, v)
            elif k == "province":
                ok &= (r["province"] or "").startswith(v) and r["province"] is not None
            elif k == "issuer":
                ok &= r["issuer"] is not None and v in r["issuer"]
            elif k == "rule":
                ok &= v in r["rules"] or v.upper() in r["rules"]
            elif k == "min_score":
                ok &= r["score"] is not None and r["score"] >= v
            elif k == "max_score":
                ok &= r["score"] is not None and r["score"] <= v
        if ok:
            out.add(r["id"])
    return out


FILTERS = [
    {}, {"year": 2024}, {"level": "县级"}, {"province": "四川"}, {"province": "新疆"}, {"issuer": "司法局"},
    {"rule": "duplicated-word"}, {"rule": "S101"}, {"min_score": 70}, {"max_score": 70},
    {"year": 2023, "rule": "late-report"}, {"issuer": "局", "min_score": 60, "max_score": 90},
    {"level": "city", "province": "湖北"}, {"year": 2022, "level": "township", "issuer": "镇"},
]
QUERIES = ["行政复议申请", "执法监督", "abc平台", "ABC平台", "智慧法院 首违不罚", "规范性文件备案 复议", "其他内容",
           "法治政府建设", "没有这句话"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("plans") / "c.db"
    rows = _build(path)
    with Store.open(path) as store:  # any writable open adds indexes a store lacks
        pass
    return path, rows


@pytest.mark.parametrize("cap,pool", [(2000, 100), (3, 2), (1, 1), (10, 4)])
@pytest.mark.parametrize("plan", [None, "ranked", "match-first", "filter-first"])
def test_every_plan_finds_exactly_the_brute_force_set(corpus, monkeypatch, cap, pool, plan):
    path, rows = corpus
    monkeypatch.setattr(S, "RANK_CAP", cap)
    monkeypatch.setattr(S, "RANK_POOL", pool)
    monkeypatch.setattr(S, "CHUNK", 3)  # several chunks even on a small store
    ran: set[str] = set()
    for name in ("_ranked", "_match_first", "_filter_first"):
        def spy(*a, _f=getattr(S, name), _n=name, **k):
            ran.add(_n)
            return _f(*a, **k)
        monkeypatch.setattr(S, name, spy)
    with Store.open(path, readonly=True) as store:
        for query in QUERIES:
            for filters in FILTERS:
                want = _brute(rows, query, filters)
                got = S.search_ids(store, query, limit=1000, plan=plan, **filters)
                assert len(got) == len(set(got)), (query, filters)
                assert set(got) == want, (query, filters, plan)
                few = S.search_ids(store, query, limit=3, plan=plan, **filters)
                assert set(few) <= want and len(few) == min(3, len(want)), (query, filters, plan)
    if cap < 2000 and plan in ("match-first", "filter-first"):
        assert "_" + plan.replace("-", "_") in ran  # the loop below the probe did run
    if cap < 2000 and plan is None:
        assert "_ranked" in ran and ran & {"_match_first", "_filter_first"}  # the chooser used both kinds


def test_bounded_plans_agree_and_take_the_newest_matches(corpus, monkeypatch):
    path, rows = corpus
    monkeypatch.setattr(S, "RANK_CAP", 3)
    monkeypatch.setattr(S, "RANK_POOL", 5)
    with Store.open(path, readonly=True) as store:
        for query in QUERIES:
            for filters in FILTERS:
                want = sorted(_brute(rows, query, filters), reverse=True)
                if len(want) <= 3:
                    continue
                newest = set(want[:5])
                a = S.search_ids(store, query, limit=5, plan="match-first", **filters)
                b = S.search_ids(store, query, limit=5, plan="filter-first", **filters)
                auto = S.search_ids(store, query, limit=5, **filters)
                assert set(a) == set(b) == set(auto) == newest, (query, filters)
                assert a == b == auto  # the same pool ranks the same way


def test_ranking_in_a_bounded_pool_prefers_more_occurrences(tmp_path, monkeypatch):
    monkeypatch.setattr(S, "RANK_CAP", 2)
    monkeypatch.setattr(S, "RANK_POOL", 4)
    with Store.open(tmp_path / "c.db") as store:
        for i, n in enumerate((1, 3, 2, 1)):
            store.put(f"/r/{i}.txt", None, review_dict(f"/r/{i}.txt"), "行政复议申请。" * n + "其他内容" * 5)
    with Store.open(tmp_path / "c.db", readonly=True) as store:
        def names(ids):
            return [store.query("SELECT path FROM reports WHERE id = ?", (i,))[0][0] for i in ids]

        assert names(S.search_ids(store, "行政复议申请", limit=2)) == ["/r/1.txt", "/r/2.txt"]  # the pool of 4, ranked
        everything = [row[0] for row in store.query("SELECT id FROM reports")]
        # 3, 2, then 1 occurrence; the two with one occurrence newest first
        assert names(S._rank_pool(store, everything, ["行政复议申请"])) == ["/r/1.txt", "/r/2.txt", "/r/3.txt", "/r/0.txt"]


def test_instr_is_used_only_where_it_equals_fts_folding():
    assert S._instr_exact(["行政复议", "ABC平台", "2024年"])
    assert not S._instr_exact(["Kelvin平台"])  # FTS5 folds U+212A KELVIN SIGN to k
    assert not S._instr_exact(["平台ſ"])
    assert not S._instr_exact(["ÄBC平台"])
    assert not S._instr_exact(["\ufffd平台"])


def test_older_database_gains_the_new_indexes(tmp_path):
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        store.conn.execute("DROP INDEX reports_level")
        store.conn.execute("DROP INDEX reports_score")
    with Store.open(path, readonly=True) as store:
        assert "reports_level" not in S._indexes(store)
        assert S.search_ids(store, "行政复议申请", level="county", min_score=1) == []
    with Store.open(path) as store:
        names = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"reports_level", "reports_score"} <= names
