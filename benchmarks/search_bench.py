#!/usr/bin/env python3
"""搜索延迟基准：在 index_bench.py 建好的语料库上运行约 200 个真实感查询，报告中位数和 p95。

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/index_bench.py --sizes 100000      # builds WORKDIR/index-100000.db first
    python benchmarks/search_bench.py                    # 100000; rewrites its section
    python benchmarks/search_bench.py --sizes 1000,10000 --no-write
    python benchmarks/search_bench.py --db corpus.db --no-write

Queries: 3–8 character Chinese phrases cut from benchmarks/phrasebank.py (the text the corpus
was generated from, so most queries hit, as a user's would), about half of them with one or two
filters drawn from the store's own values (year, level, province, issuer, rule, score range),
some with two terms. Each query runs `fazhi.corpus.search.search(store, query, limit=20,
**filters)` in this process on a read-only Store opened once, as a server would, after the
database file has been read once (so the page cache holds it) and WARMUP untimed queries.
Timings include building the hits (snippet, line). `search_ids(..., explain=...)` gives the plan
of each query for the per-plan table.

The script writes only between ``<!-- search:start -->`` and ``<!-- search:end -->`` in
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
START = "<!-- search:start -->"
END = "<!-- search:end -->"
GOAL_MEDIAN_MS = 20.0
GOAL_P95_MS = 50.0
WARMUP = 10
_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")


def phrases() -> list[str]:
    """Every CJK run of 3+ characters in the phrase bank's strings, template slots removed."""
    import phrasebank

    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            for run in _RUN.findall(re.sub(r"\{[^}]*\}", "，", x)):
                out.add(run)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple, set)):
            for v in x:
                walk(v)

    for name in dir(phrasebank):
        if name.isupper():
            walk(getattr(phrasebank, name))
    return sorted(out)


def make_queries(store: Any, n: int, seed: int) -> list[tuple[str, dict[str, Any], str]]:
    """(query, filters, kind) triples, reproducible for a seed and a store."""
    rng = random.Random(seed)
    runs = phrases()
    years = [r[0] for r in store.query("SELECT DISTINCT report_year FROM reports WHERE report_year IS NOT NULL")]
    levels = [r[0] for r in store.query("SELECT DISTINCT issuer_level FROM reports WHERE issuer_level IS NOT NULL")]
    provinces = [r[0] for r in store.query("SELECT DISTINCT province FROM reports WHERE province IS NOT NULL")]
    rules = [r[0] for r in store.query("SELECT name FROM findings GROUP BY name ORDER BY count(*) DESC LIMIT 8")]
    has_score = store.query("SELECT 1 FROM reports WHERE score IS NOT NULL LIMIT 1")
    issuers = ["司法局", "民政局", "人民政府", "市场监督管理局", "生态环境局", "教育局", "财政局", "镇"]

    def phrase() -> str:
        run = rng.choice(runs)
        k = rng.randint(3, min(8, len(run)))
        i = rng.randint(0, len(run) - k)
        return run[i : i + k]

    out = []
    for _ in range(n):
        q = phrase()
        kind = "一个词"
        if rng.random() < 0.2:
            q = f"{q} {phrase()}"
            kind = "两个词"
        filters: dict[str, Any] = {}
        if rng.random() < 0.5:
            choices = [("year", years), ("level", levels), ("province", provinces), ("issuer", issuers), ("rule", rules)]
            for key, values in rng.sample(choices, rng.choice((1, 1, 2))):
                if values:
                    filters[key] = rng.choice(values)
            if has_score and rng.random() < 0.2:
                filters["min_score"] = rng.choice((60, 70, 80))
            kind += " + 筛选"
        out.append((q, filters, kind))
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[max(0, min(len(s) - 1, round(p / 100 * len(s) + 0.5) - 1))]  # nearest rank


def bench(db: Path, n: int, seed: int) -> dict[str, Any]:
    from fazhi.corpus.search import fts_phrase, search, search_ids
    from fazhi.corpus.store import Store

    warm(db)
    with Store.open(db, readonly=True) as store:
        reports = store.count()
        queries = make_queries(store, n + WARMUP, seed)
        for q, f, _ in queries[:WARMUP]:
            search(store, q, limit=20, **f)
        rows = []
        plans = []
        for q, f, kind in queries[WARMUP:]:
            t = time.perf_counter()
            hits = search(store, q, limit=20, **f)
            rows.append((kind, (time.perf_counter() - t) * 1000, len(hits), q, f))
            info: dict[str, Any] = {}
            search_ids(store, q, limit=20, explain=info, **f)  # untimed: which plan ran
            plans.append(info.get("plan", "?"))
        # Where the time goes: the matching itself vs ranking all matches by bm25.
        sample = [q for _, _, _, q, _ in sorted(rows, key=lambda r: -r[1])[:5]]
        rows = [(*r, p) for r, p in zip(rows, plans)]
        parts = []
        for q in sample:
            match = " AND ".join(fts_phrase(t) for t in q.split())
            n, t_count = timed(store, "SELECT count(*) FROM reports_fts WHERE reports_fts MATCH ?", (match,))
            _, t_first = timed(store, "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? LIMIT 20", (match,))
            _, t_rank = timed(store, "SELECT rowid FROM reports_fts WHERE reports_fts MATCH ? ORDER BY bm25(reports_fts, 5.0, 1.0) LIMIT 20", (match,))
            parts.append((q, n, t_count, t_first, t_rank))
    return {"db": db, "reports": reports, "rows": rows, "parts": parts}


PLAN_NAMES = {
    "ranked": "全部命中按 bm25 排序（每个词各自不超过 2,000 份）",
    "probe": "有常用词：最近入库的 100 份满足条件的命中报告在第一次探查（最新的 2,001 份命中）里就已找齐，按 BM25 公式排序",
    "match-first": "命中很多：先查词，从最近入库的往前逐份筛选，取 100 份排序",
    "filter-first": "命中很多、筛选条件少：先用索引取出满足某个筛选条件的报告，逐份查词，取 100 份排序",
    "like-scan": "只有一两个字的词：逐份 LIKE",
}


def warm(db: Path) -> None:
    """Read the database file once so the page cache holds it, as on a server that has been
    answering queries for a while (a few warm-up queries touch only a small part of it)."""
    for suffix in ("", "-wal"):
        path = Path(str(db) + suffix)
        if path.exists():
            with open(path, "rb", buffering=0) as fh:
                while fh.read(16 * 1024 * 1024):
                    pass


def timed(store: Any, sql: str, params: tuple) -> tuple[Any, float]:
    t = time.perf_counter()
    rows = store.query(sql, params)
    return (rows[0][0] if rows else None), (time.perf_counter() - t) * 1000


def render(results: list[dict[str, Any]], args: argparse.Namespace, started: str) -> str:
    from fazhi import __version__

    lines = [
        "## 搜索延迟（search_bench）",
        "",
        "> 本节由 `benchmarks/search_bench.py` 自动生成，请勿手工修改其中的数字；重新运行即可更新。",
        "",
        "复现命令（在仓库根目录、项目虚拟环境中；先用 index_bench.py 建库）：",
        "",
        "```sh",
        f"python benchmarks/index_bench.py --sizes {args.sizes}",
        f"python benchmarks/search_bench.py --sizes {args.sizes} --queries {args.queries}",
        "```",
        "",
        f"- 运行时间：{started}；{os.cpu_count()} 核；fazhi {__version__}；负载 {' '.join(open('/proc/loadavg').read().split()[:3])}",
        f"- 查询：从 `benchmarks/phrasebank.py` 截取的 3–8 字中文短语（生成语料所用的同一词库，约两成为两个词），约一半带 1–2 个筛选条件"
        f"（年度、层级、省份、单位、规则、分数），随机种子 {args.seed}；进程内对只读打开一次的数据库调用 "
        f"`search(store, 查询, limit=20, **筛选)`；计时前先把数据库文件整个读一遍（页缓存是热的，如同长期运行的服务），"
        f"再做 {WARMUP} 次不计时的预热。单位毫秒。",
        "",
        "| 数据库报告数 | 查询类型 | 次数 | 中位数 | p95 | 最大 | 无结果的查询 |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for res in results:
        rows = res["rows"]
        groups: dict[str, list[tuple]] = {"全部": rows}
        for r in rows:
            groups.setdefault(r[0], []).append(r)
        for kind, rs in groups.items():
            ms = [r[1] for r in rs]
            empty = sum(1 for r in rs if r[2] == 0)
            label = f"**{kind}**" if kind == "全部" else kind
            med, p95 = statistics.median(ms), pct(ms, 95)
            cell = (lambda v: f"**{v:.1f}**") if kind == "全部" else (lambda v: f"{v:.1f}")
            lines.append(f"| {res['reports']} | {label} | {len(rs)} | {cell(med)} | {cell(p95)} | {max(ms):.1f} | {empty} |")
    slow = sorted(results[-1]["rows"], key=lambda r: -r[1])[:5] if results else []
    if slow:
        lines += ["", f"最慢的 5 个查询（{results[-1]['reports']} 份）："]
        for kind, t, nh, q, f, plan in slow:
            fs = "，".join(f"{k}={v}" for k, v in f.items()) or "无筛选"
            lines.append(f"- `{q}`（{fs}）：{t:.1f} ms，{nh} 条结果，计划 {plan}")
    if results and results[-1]["parts"]:
        lines += ["", f"时间花在哪里（上面最慢的查询去掉筛选，只看全文匹配，{results[-1]['reports']} 份）：", "",
                  "| 查询 | 匹配的报告数 | 计数 ms | 不排序取前 20 条 ms | 按 bm25 排序取前 20 条 ms |", "|---|---:|---:|---:|---:|"]
        for q, n, tc, tf, tr in results[-1]["parts"]:
            lines.append(f"| `{q}` | {n} | {tc:.1f} | {tf:.1f} | {tr:.1f} |")
        lines += ["", "常见短语在大多数报告中都出现，bm25 要给每一份匹配的报告打分（还要为每个词扫一遍含它的全部报告求 idf），"
                  "耗时随匹配数线性增长，所以只在每个词都不超过 2,000 份时使用；其余情况只取最近入库的 100 份满足条件的报告排序"
                  "（见 docs/CORPUS.md“检索”一节和 `src/fazhi/corpus/search.py` 开头的说明）。"]
    if results:
        lines += ["", "各查询计划（`search_ids(..., explain=…)` 报告的计划；次数与该计划下的中位数 / 最大耗时 ms）：", "",
                  "| 数据库报告数 | 计划 | 说明 | 次数 | 中位数 | 最大 |", "|---:|---|---|---:|---:|---:|"]
        for res in results:
            by_plan: dict[str, list[float]] = {}
            for r in res["rows"]:
                by_plan.setdefault(r[5], []).append(r[1])
            for plan, ms in sorted(by_plan.items(), key=lambda kv: -len(kv[1])):
                desc = PLAN_NAMES.get(plan.split(":")[0], "")
                lines.append(f"| {res['reports']} | {plan} | {desc} | {len(ms)} | {statistics.median(ms):.1f} | {max(ms):.1f} |")
    if results:
        last = results[-1]
        ms = [r[1] for r in last["rows"]]
        med, p95 = statistics.median(ms), pct(ms, 95)
        lines += [
            "",
            "### 目标达成情况",
            "",
            f"1. 中位数 < {GOAL_MEDIAN_MS:.0f} ms（{last['reports']} 份）：{'✅ 达成' if med < GOAL_MEDIAN_MS else '❌ 未达成'} —— {med:.1f} ms。",
            f"2. p95 < {GOAL_P95_MS:.0f} ms（{last['reports']} 份）：{'✅ 达成' if p95 < GOAL_P95_MS else '❌ 未达成'} —— {p95:.1f} ms。",
        ]
        if last["reports"] < 100_000:
            lines.append(f"\n注意：本次最大的数据库为 {last['reports']} 份，不是 100,000 份。")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000", help="逗号分隔的语料规模，读取 WORKDIR/index-N.db（默认 100000）")
    ap.add_argument("--db", help="直接指定一个数据库（代替 --sizes）")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "fazhi-bench"))
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-write", action="store_true", help="只打印，不写 docs/BENCHMARKS.md")
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    args = ap.parse_args(argv)
    dbs = [Path(args.db)] if args.db else [Path(args.workdir) / f"index-{int(s)}.db" for s in args.sizes.split(",") if s.strip()]
    missing = [str(d) for d in dbs if not d.exists()]
    if missing:
        print(f"找不到数据库：{'、'.join(missing)}（先运行 benchmarks/index_bench.py --sizes …）", file=sys.stderr)
        return 2
    started = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results = [bench(db, args.queries, args.seed) for db in dbs]
    section = render(results, args, started)
    benchdoc.publish(section, args.out, START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
