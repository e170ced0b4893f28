#!/usr/bin/env python3
"""工作台概况与语料页面的服务器耗时：三个年度共约一万份报告时，概况页、排名、检索、查重等页面的中位数和 p95。

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/overview_bench.py                  # builds the store, measures, rewrites its section
    python benchmarks/overview_bench.py --reports 2000 --no-write     # smaller, print only
    python benchmarks/overview_bench.py --db /tmp/ov.db --keep        # keep (or reuse) the database

The store: BASE fictional reports written by benchmarks/make_corpus.py are checked once by
`fazhi.check`; each workspace record is one of them varied (the unit's own name, year and region
code, a random subset of its findings, its score moved by a few points, a sentence of its own
appended so no two texts are equal), stored with `Store.put` under 工作台/{year}/{unit} — the
path the workspace keeps each unit's confirmed report at. The workspace's roster (units per year,
deadlines, states, on-time, publication), versions, findings per rule and reviewers' dismissals
are written with SQL in proportions an office might see (about 8 % of units not reporting). The
duplicates page reads 1,000 stored pairs written with Store.replace_copies (a real `fazhi dedup`
over texts varied from a few bases would pair nearly everything).

Timing: each page is requested in this process through Starlette's TestClient by a logged-in
reviewer (the server's own time: routing, queries, templates; no network), WARMUP untimed then
REPS timed requests; the medians and p95 are reported. The script writes only between
``<!-- overview:start -->`` and ``<!-- overview:end -->`` in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
START = "<!-- overview:start -->"
END = "<!-- overview:end -->"
YEARS = (2022, 2023, 2024)
BASE = 40
WARMUP = 2
REPS = 15
GOALS = {"overview": 500.0, "search": 300.0, "duplicates": 300.0}
PASSWORD = "bench-password-1"


def base_reviews(n: int, seed: int) -> list[tuple[dict[str, Any], str]]:
    """n generated reports, each checked once: (review dict, normalized text)."""
    import fazhi

    with tempfile.TemporaryDirectory(prefix="fazhi-ovbench-") as tmp:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n), tmp, "--seed", str(seed), "--quiet"],
                       check=True, stdout=subprocess.DEVNULL)
        out = []
        for path in sorted(Path(tmp, "reports").rglob("*.txt"))[:n]:
            review = fazhi.check(path)
            if review.error is None and review.document is not None:
                out.append((review.to_dict(), review.document.text))
    return out


def build(db_path: str, reports: int, seed: int) -> dict[str, Any]:
    """The workspace database: roster, versions and corpus records for len(YEARS) years."""
    from fazhi.corpus.store import Store
    from fazhi.web import accounts
    from fazhi.web.db import Database

    rng = random.Random(seed)
    t0 = time.perf_counter()
    bases = base_reviews(BASE, seed)
    t_base = time.perf_counter() - t0
    db = Database(db_path)
    accounts.add_user(db, "reviewer", PASSWORD, "reviewer", None)
    missing_share = 0.08
    per_year = round(reports / len(YEARS) / (1 - missing_share))
    units = [(f"{bases[i % len(bases)][0]['metadata'].get('issuer') or '某单位'}·{i:05d}", i % len(bases)) for i in range(per_year)]
    sha = hashlib.sha256(b"bench").hexdigest()
    stored = 0
    t1 = time.perf_counter()
    with Store.open(db_path) as store, store.transaction():
        c = store.conn
        c.execute("INSERT OR IGNORE INTO ws_blobs (sha256, size, data) VALUES (?, 5, x'00')", (sha,))
        for year in YEARS:
            for unit, b in units:
                review, text = bases[b]
                meta = review["metadata"]
                roll = rng.random()
                state = "missing" if roll < missing_share else "submitted" if roll < 0.25 else "returned" if roll < 0.33 else "approved"
                on_time = None if state == "missing" else int(rng.random() < 0.88)
                published = state == "approved" and rng.random() < 0.8
                on = f"{year + 1}-0{rng.choice((2, 3, 3, 4))}-{rng.randint(10, 28)}" if published else None
                region = "".join(v for v in (meta.get("region") or {}).values() if v) or None
                rid = c.execute(
                    "INSERT INTO ws_roster (year, unit, level, kind, region, deadline, contact, state, submitted_at, on_time,"
                    " published_url, published_on, secrecy_by, secrecy_at, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import')",
                    (year, unit, meta.get("issuer_level"), meta.get("issuer_kind"), region, f"{year + 1}-03-01", f"联系人 {rng.randint(1000, 9999)}",
                     state, None if state == "missing" else f"{year + 1}-02-{rng.randint(10, 28)} 10:00:00", on_time,
                     f"https://example.gov.cn/{year}/{rng.randint(1, 10**6)}" if published else None, on, "张某" if published else None,
                     f"{year + 1}-02-28 09:00:00" if published else None),
                ).lastrowid
                if state == "missing":
                    continue
                r = json.loads(json.dumps(review))
                r["metadata"] = {**meta, "issuer": unit, "report_year": year}
                r["findings"] = [f for f in r["findings"] if rng.random() < 0.7]
                if r.get("scores"):
                    r["scores"] = {k: round(min(100.0, max(0.0, v + rng.uniform(-8, 8))), 1) for k, v in r["scores"].items()}
                body = f"{text}\n本单位（{unit}）{year}年度报告，编号{rng.randint(10**7, 10**8)}。"
                store.put(f"工作台/{year}/{unit}", None, r, body)
                stored += 1
                score = (r.get("scores") or {}).get("overall")
                vstate = {"submitted": "submitted", "returned": "returned", "approved": "approved"}[state]
                vid = c.execute(
                    "INSERT INTO ws_versions (roster_id, version, filename, sha256, format, size, uploaded_by, uploaded_at, submitted_at,"
                    " state, review, text, score, errors, warnings) VALUES (?, 1, 'report.docx', ?, 'docx', 5, 'unit', ?, ?, ?, '{}', '', ?, 0, 0)",
                    (rid, sha, f"{year + 1}-02-01 10:00:00", f"{year + 1}-02-01 10:00:00", vstate, score),
                ).lastrowid
                c.execute("UPDATE ws_roster SET current_version = ? WHERE id = ?", (vid, rid))
                per_rule: dict[tuple[str, str], int] = {}
                for f in r["findings"]:
                    per_rule[(f["code"], f["name"])] = per_rule.get((f["code"], f["name"]), 0) + 1
                    if vstate != "submitted" and rng.random() < 0.06:
                        c.execute("INSERT OR IGNORE INTO ws_marks VALUES (?, ?, ?, 'dismiss', '属正常表述', 'reviewer', ?)", (vid, f["code"], f["start"], "2025-03-01"))
                c.executemany("INSERT INTO ws_version_rules VALUES (?, ?, ?, ?)", [(vid, code, name, n) for (code, name), n in per_rule.items()])
        ids = [row[0] for row in c.execute("SELECT id FROM reports ORDER BY id")]
    with Store.open(db_path) as store:
        pairs = set()
        while len(pairs) < min(1000, len(ids) // 2):
            a, b = sorted(rng.sample(ids, 2))
            pairs.add((a, b))
        rows = [(a, b, rng.choice(("copied-passages", "copied-passages", "same-report")), round(rng.uniform(0.2, 0.99), 3), rng.randint(1, 6), rng.randint(60, 3000))
                for a, b in sorted(pairs)]
        store.replace_copies(rows, len(ids), 0.5)
    db.close()
    return {"reports": stored, "units_per_year": per_year, "base_seconds": t_base, "build_seconds": time.perf_counter() - t1}


def measure(db_path: str) -> list[dict[str, Any]]:
    from starlette.testclient import TestClient

    from fazhi.web import overview as ov
    from fazhi.web.app import Settings, create_app

    app = create_app(Settings(db=db_path))
    client = TestClient(app, follow_redirects=False)
    html = client.get("/login").text
    token = html.split('name="csrftoken" value="', 1)[1].split('"', 1)[0]
    r = client.post("/login", data={"csrftoken": token, "username": "reviewer", "password": PASSWORD})
    assert r.status_code == 303, r.text[:200]
    y = YEARS[-1]
    con = app.state.db.conn()
    a, b = con.execute("SELECT a_id, b_id FROM copies WHERE kind = 'copied-passages' LIMIT 1").fetchone()
    unit = con.execute("SELECT unit FROM ws_roster WHERE year = ? AND state = 'approved' ORDER BY unit LIMIT 1", (y,)).fetchone()[0]
    pages = [
        ("overview", "概况页（含与上年比较）", f"/overview?year={y}"),
        ("", "概况页，刚有审核、名单或公开登记操作", f"/overview?year={y}&review"),
        ("", "概况页，刚有单位报送（本年度报告变了）", f"/overview?year={y}&fresh"),
        ("", "概况页，全部重新计算（不用缓存）", f"/overview?year={y}&cold"),
        ("overview", "GET /api/overview", f"/api/overview?year={y}"),
        ("", "排名", f"/ranking?year={y}"),
        ("", "排名，全部重新计算（不用缓存）", f"/ranking?year={y}&cold"),
        ("", "图表背后的单位（逾期报送）", f"/overview/units?year={y}&show=late"),
        ("search", "检索：常见词", "/corpus/search?q=" + quote("行政执法")),
        ("search", "检索：常见词 + 年度、层级", "/corpus/search?q=" + quote("行政复议") + f"&year={y}&level=county"),
        ("search", "检索：两个词", "/corpus/search?q=" + quote("法治政府 督察")),
        ("search", "检索：少见词", "/corpus/search?q=" + quote(unit[-8:])),
        ("duplicates", "查重列表（第 1 页）", "/corpus/duplicates"),
        ("duplicates", "查重列表（按年度，第 3 页）", f"/corpus/duplicates?year={y}&page=3"),
        ("", "两份报告对照（雷同段落）", f"/corpus/compare?a={a}&b={b}"),
        ("", "单位历年情况", "/corpus/history?unit=" + quote(unit)),
        ("", "上年问题跟进（一个单位）", f"/corpus/followup?year={y}&unit=" + quote(unit)),
        ("", "通报 .docx", f"/overview/tongbao.docx?year={y}"),
        ("", "概况页表格 Excel", f"/overview?year={y}&format=xlsx"),
    ]
    api_token = None
    out = []
    for group, label, path in pages:
        headers = {}
        if path.startswith("/api/"):
            if api_token is None:
                from fazhi.web import accounts

                api_token = accounts.new_token(app.state.db, "reviewer")
            headers = {"Authorization": f"Bearer {api_token}"}
        times = []
        cold, fresh, review = path.endswith("&cold"), path.endswith("&fresh"), path.endswith("&review")
        for i in range(WARMUP + REPS):
            if review:  # a decision, dismissal, roster or publication change: the report figures stay
                for key in [k for k in ov._cache if k[1] == y and k[2].startswith("overview")]:
                    del ov._cache[key]
            if cold:
                ov._cache.clear()  # nothing kept: every figure computed again
            if fresh:  # as after a submission this year: this year's figures computed again
                for key in [k for k in ov._cache if k[1] == y]:
                    del ov._cache[key]
            t = time.perf_counter()
            r = client.get(path, headers=headers)
            dt = (time.perf_counter() - t) * 1000
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
            if i >= WARMUP:
                times.append(dt)
        times.sort()
        out.append({"group": group, "label": label, "path": path, "median": statistics.median(times),
                    "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], "bytes": len(r.content)})
        print(f"{label:<28} median {out[-1]['median']:8.1f} ms  p95 {out[-1]['p95']:8.1f} ms", file=sys.stderr)
    return out


def git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def render(built: dict[str, Any], rows: list[dict[str, Any]], args: argparse.Namespace, load: tuple[str, str]) -> str:
    lines = [
        "## 工作台概况与语料页面（overview_bench）",
        "",
        f"{_dt.date.today().isoformat()}，代码 {git_rev()}，{os.cpu_count()} 核机器（与他人共用；开始时负载 {load[0]}，结束时 {load[1]}）。",
        f"命令：`python benchmarks/overview_bench.py --reports {args.reports}`。",
        "",
        f"数据：{len(YEARS)} 个年度（{YEARS[0]}–{YEARS[-1]}）、每年 {built['units_per_year']} 个名单单位（约 8% 未报送），"
        f"工作台中共 {built['reports']} 份报告（由 {BASE} 份 make_corpus 生成并经 fazhi check 检查的报告变化而来：单位名、年度、"
        f"问题子集、分数、各自的一句正文），另有 1,000 对查重结果。建库用时 {built['build_seconds']:.0f} 秒。",
        f"计时：同一进程内经 Starlette TestClient 以审核人员身份请求（服务器自身耗时，不含网络），每页先请求 {WARMUP} 次不计，再计 {REPS} 次。",
        "",
        "| 页面 | 中位数（毫秒） | p95（毫秒） | 目标 |",
        "|---|---:|---:|---|",
    ]
    for r in rows:
        goal = GOALS.get(r["group"])
        verdict = "" if goal is None else (f"< {goal:.0f} ms ✓" if r["median"] < goal else f"< {goal:.0f} ms ✗")
        lines.append(f"| {r['label']} | {r['median']:.0f} | {r['p95']:.0f} | {verdict} |")
    lines += [
        "",
        "概况页的年度数字（`corpus_stats` 的结果和各单位的分项得分）在该年度的报告、查重和跟进结果、工作台操作日志都未变化时"
        "直接复用（按这些数据的指纹判断，任何报送、审核、名单或公开登记都会使其重新计算）；审核、名单、公开登记等操作之后只重算名单类数字（报告类数字不变，沿用）；有单位报送之后本年度的报告类数字也要重算，上年度沿用；“全部重新计算”一行是两年都重新计算的耗时。",
        "",
        "概况页的报告类数字（得分分布、各部分齐备率、常见问题）由 `fazhi stats` 的 `corpus_stats` 在该年度的工作台记录上计算"
        "（路径前缀过滤走 reports.path 唯一索引的范围查询），上一年度再算一次用于比较；名单类比率由 `roster.rates` 计算。",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="工作台概况与语料页面的服务器耗时基准")
    ap.add_argument("--reports", type=int, default=10_000, help="工作台中的报告份数（默认 10000）")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--db", help="数据库文件（默认临时文件；已存在且带 --keep 时直接复用）")
    ap.add_argument("--keep", action="store_true", help="保留数据库文件")
    ap.add_argument("--no-write", action="store_true", help="只打印，不改写 docs/BENCHMARKS.md")
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="fazhi-ovbench-")
    db_path = args.db or str(Path(tmp.name) / "工作台.db")
    load_start = benchdoc.loadavg()
    if args.keep and Path(db_path).exists():
        from fazhi.corpus.store import Store

        with Store.open(db_path, readonly=True) as store:
            n = store.count()
        built = {"reports": n, "units_per_year": round(n / len(YEARS) / 0.92), "base_seconds": 0.0, "build_seconds": 0.0}
    else:
        built = build(db_path, args.reports, args.seed)
        print(f"建库：{built['reports']} 份报告，{built['build_seconds']:.0f} 秒", file=sys.stderr)
    rows = measure(db_path)
    section = render(built, rows, args, (load_start, benchdoc.loadavg()))
    benchdoc.publish(section, args.out, START, END, write=not args.no_write)
    if not args.keep:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
