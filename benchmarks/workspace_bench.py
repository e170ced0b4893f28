"""Workspace page times over a large store (issue 8's goals): with N reports in the database
(default 10,000 across three years), the median server time of the queue, the roster, a report
page and the roster API, and of an upload of a typical .docx checked and shown — against
fazhi.check() of the same file in the same run (the peer: what the upload costs beyond the
check itself).

    python benchmarks/workspace_bench.py [--reports 10000] [--repeat 30] [--no-write]

Server time is measured in process (Starlette's TestClient: the whole ASGI app, middleware,
database and template included; no network). The store is built once per run in a temporary
folder from real reviews of the bundled examples, varied per unit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from benchdoc import loadavg, publish  # noqa: E402

START, END = "<!-- workspace_bench:start -->", "<!-- workspace_bench:end -->"
EXAMPLES = ROOT / "examples"


def build(db_path: str, reports: int) -> dict:
    """A workspace database with `reports` submitted versions over three years (a third approved,
    a sixth returned), each also the corpus store's record, plus users and rosters."""
    import fazhi
    from fazhi.corpus.store import Store, make_record
    from fazhi.web import accounts
    from fazhi.web.db import Database, now

    bases = [fazhi.check(p) for p in sorted(EXAMPLES.glob("*.txt"))]
    bases = [b for b in bases if b.document is not None]
    db = Database(db_path)
    accounts.add_user(db, "admin", "bench-password", "admin", None)
    accounts.add_user(db, "unit0", "bench-password", "unit", "某某县第0局")
    years = (2022, 2023, 2024)
    per_year = -(-reports // len(years))
    store = Store.open(db_path)
    made = 0
    c = store.conn
    with store.transaction():
        for y in years:
            for i in range(per_year):
                if made >= reports:
                    break
                unit = f"某某县第{i}局"
                base = bases[(i + y) % len(bases)]
                report = base.to_dict()
                report["metadata"]["issuer"] = unit
                text = base.document.text
                review = json.dumps(report, ensure_ascii=False)
                sha = hashlib.sha256(f"{y}/{unit}".encode()).hexdigest()
                state = ("approved", "submitted", "returned", "approved", "submitted", "submitted")[i % 6]
                c.execute("INSERT OR IGNORE INTO ws_blobs VALUES (?, ?, ?)", (sha, len(text), text.encode()))
                rid = c.execute(
                    "INSERT INTO ws_roster (year, unit, level, kind, region, deadline, contact, state, submitted_at, on_time, source)"
                    " VALUES (?, ?, 'county', 'department', '某某省某某市', ?, '张某', ?, ?, ?, 'bench')",
                    (y, unit, f"{y + 1}-03-01", state, f"{y + 1}-02-{1 + i % 28:02d} 10:00:00", int(i % 5 != 0)),
                ).lastrowid
                vid = c.execute(
                    "INSERT INTO ws_versions (roster_id, version, filename, sha256, format, size, uploaded_by, uploaded_at, submitted_at,"
                    " state, review, text, score, errors, warnings) VALUES (?, 1, 'r.txt', ?, 'txt', ?, 'bench', ?, ?, ?, ?, ?, ?, ?, ?)",
                    (rid, sha, len(text), now(), now(), state, review, text, report["scores"].get("overall"),
                     sum(f["severity"] == "error" for f in report["findings"]), sum(f["severity"] == "warning" for f in report["findings"])),
                ).lastrowid
                c.execute("UPDATE ws_roster SET current_version = ? WHERE id = ?", (vid, rid))
                rules: dict = {}
                for f in report["findings"]:
                    rules[(f["code"], f["name"])] = rules.get((f["code"], f["name"]), 0) + 1
                c.executemany("INSERT INTO ws_version_rules VALUES (?, ?, ?, ?)", [(vid, a, b, n) for (a, b), n in rules.items()])
                store.put_record(make_record(f"工作台/{y}/{unit}", sha, report, text))
                made += 1
    store.close()
    return {"years": years, "per_year": per_year, "version": vid}


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--reports", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    import docx
    from starlette.testclient import TestClient

    import fazhi
    from fazhi.web import accounts
    from fazhi.web.app import Settings, create_app

    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "bench.db")
        t = time.perf_counter()
        info = build(db_path, args.reports)
        built = time.perf_counter() - t
        app = create_app(Settings(db=db_path))
        admin = TestClient(app)
        page = admin.get("/login").text
        token = page.split('name="csrftoken" value="')[1].split('"')[0]
        assert admin.post("/login", data={"csrftoken": token, "username": "admin", "password": "bench-password"}, follow_redirects=False).status_code == 303
        api_token = accounts.new_token(app.state.db, "unit0")
        unit_api = TestClient(app, headers={"Authorization": f"Bearer {api_token}"})
        admin_api = TestClient(app, headers={"Authorization": f"Bearer {accounts.new_token(app.state.db, 'admin')}"})
        y = info["years"][-1]
        vid = info["version"]

        def ok(r):
            assert r.status_code in (200, 201), (r.status_code, r.text[:200])
            return r

        pages = {
            "审核队列（默认排序，第1页）": lambda: ok(admin.get(f"/queue?year={y}")),
            "审核队列（按问题和得分筛选、按得分排序）": lambda: ok(admin.get(f"/queue?year={y}&rule=S101&min_score=40&sort=score")),
            "审核队列（第20页）": lambda: ok(admin.get(f"/queue?year={y}&page=20")),
            f"报送名单（{info['per_year']} 个单位，含各项比率）": lambda: ok(admin.get(f"/roster?year={y}")),
            "报告页（原文高亮、问题、引用、得分）": lambda: ok(admin.get(f"/submissions/{vid}")),
            "接口 GET /api/roster": lambda: ok(admin_api.get(f"/api/roster?year={y}")),
        }
        rows = []
        for name, fn in pages.items():
            fn()  # warm
            rows.append((name, median_ms(fn, args.repeat)))

        # an upload of a typical .docx: checked, stored, shown (the API returns the full review)
        src = EXAMPLES / "clean_county_justice_2024.txt"
        d = docx.Document()
        for line in src.read_text(encoding="utf-8").splitlines():
            d.add_paragraph(line)
        path = Path(tmp) / "报告.docx"
        d.save(str(path))
        data = path.read_bytes()
        up = median_ms(lambda: ok(unit_api.post("/api/submissions", data={"year": "2030"}, files={"file": ("报告.docx", data)})), max(5, args.repeat // 3))
        peer = median_ms(lambda: fazhi.check(path), max(5, args.repeat // 3))

    lines = [
        "## 工作台页面时间（workspace_bench）",
        "",
        f"`python benchmarks/workspace_bench.py --reports {args.reports} --repeat {args.repeat}`：数据库中 {args.reports} 份报告"
        f"（{len(info['years'])} 个年度，每年度 {info['per_year']} 个单位，均为已报送版本，同时存入语料库），建库 {built:.0f} s。"
        f"服务器端时间在进程内测量（Starlette TestClient，含中间件、数据库和模板，不含网络），取 {args.repeat} 次的中位数。"
        f"机器负载（1/5/15 分钟）：{loadavg()}。",
        "",
        "| 页面 | 中位数（ms） | 目标 |",
        "|---|---:|---:|",
        *[f"| {name} | {ms:.1f} | 300 |" for name, ms in rows],
        f"| 上传一份典型 .docx（检查、存档、返回完整结果） | {up:.1f} | 1000 |",
        f"| 对照：同一文件只做 fazhi.check() | {peer:.1f} | — |",
        "",
        f"上传比单纯检查多用 {up - peer:.1f} ms（{up / peer:.2f} 倍）：原件入库、版本和名单写入、语料库记录（含全文索引）和返回的 JSON。",
    ]
    publish("\n".join(lines), ROOT / "docs" / "BENCHMARKS.md", START, END, write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
