"""Corpus statistics: counts by year, level and region, compliance with the mandated parts,
on-time rate, most frequent findings, score distribution. Counts are of reports, not files:
once `fazhi dedup` has grouped several files of one report, the report counts once.

`corpus_stats(store, config=None, **filters) -> dict` (JSON-ready; keys below). Rates are
shares of the readable reports (failed files are only counted under "failed"), rounded to 4
places; the on-time rate is over readable reports that have both a report year and a signed
date, against `Config.deadline(year, level, kind, province)`.

    {"reports": n, "readable": n, "failed": n, "failed_by_code": {code: n},
     "other_files": n,   # files left out as other files of a report (same-report groups of the last `fazhi dedup`)
     "by_year": {"2024": n, "unknown": n}, "by_level": {"county": n, ...},
     "by_province": {"四川省": n, ...}, "by_city": {"四川省成都市": n, ...},
     "parts": {"measures": {"present": n, "rate": r}, ... "rectification": ...},
     "on_time": {"known": n, "on_time": n, "late": n, "no_date": n, "rate": r},
     "findings": [{"code", "name", "count", "reports"}, ...],          # most frequent first
     "scores": {"count": n, "mean": x, "median": x, "histogram": {"0-9": n, ..., "90-100": n}} | null,
     "copying": {"run_at", "same_report": n, "copied": n} | null,        # from the last `fazhi dedup`
     "followup": {"run_at", "links": n, "shortcomings": n, "addressed": n, "rate": r,
                  "plans": n, "done": n, "plan_rate": r} | null}        # from the last `fazhi followup`
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from fazhi.config import Config
from fazhi.corpus.dismissals import dismissal_rates
from fazhi.corpus.store import Store, where_clause
from fazhi.render import error_label, rule_label
from fazhi.vocab import LEVEL_LABELS, PART_NAMES, REQUIRED

PARTS = ("measures", "shortcomings", "leader_duties", "plan", "rectification")  # the first four are mandated
TOP_FINDINGS = 20
UNKNOWN = "unknown"


def deadline_status(config: Config, year: int | None, level: str | None, kind: str | None,
                    province: str | None, signed: str | None) -> tuple[str | None, bool | None]:
    """(deadline as YYYY-MM-DD, signed on or before it) — None where it cannot be known."""
    if not year:
        return None, None
    try:
        deadline = config.deadline(int(year), level, kind, province)
    except (ValueError, OverflowError):
        return None, None
    if not signed:
        return deadline.isoformat(), None
    try:
        return deadline.isoformat(), dt.date.fromisoformat(signed[:10]) <= deadline
    except ValueError:
        return deadline.isoformat(), None


def _counts(store: Store, column: str, where: str, params: list[Any]) -> dict[str, int]:
    rows = store.query(f"SELECT {column}, count(*) FROM reports r WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1", params)
    return {(UNKNOWN if k is None or k == "" else str(k)): n for k, n in rows}


def _rate(n: int, total: int) -> float | None:
    return round(n / total, 4) if total else None


def corpus_stats(store: Store, config: Config | None = None, **filters: Any) -> dict[str, Any]:
    cfg = config or Config()
    files_where, files_params = where_clause({**filters, "include_failed": False})
    # Several files of one report (a .docx and its PDF, a file sent twice) count once, as the
    # report they are, once `fazhi dedup` has grouped them.
    other_files = store.count_reports_once() if store.dedup_run() else 0
    if other_files:
        filters = {**filters, "once": True}
    all_where, all_params = where_clause({**filters, "include_failed": True})
    where, params = where_clause({**filters, "include_failed": False})
    total = store.query(f"SELECT count(*) FROM reports r WHERE {all_where}", all_params)[0][0]
    readable = store.query(f"SELECT count(*) FROM reports r WHERE {where}", params)[0][0]
    failed_by_code = {
        k: n for k, n in store.query(
            f"SELECT error_code, count(*) FROM reports r WHERE {all_where} AND r.error_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
            all_params,
        )
    }
    by_year = {k: n for k, n in sorted(_counts(store, "r.report_year", where, params).items())}
    parts_present = dict(store.query(
        f"SELECT p.part, count(DISTINCT p.report_id) FROM parts p JOIN reports r ON r.id = p.report_id WHERE {where} GROUP BY 1",
        params,
    ))
    on_time = late = no_date = 0
    for year, level, kind, province, signed in store.query(
        f"SELECT r.report_year, r.issuer_level, r.issuer_kind, r.province, r.signed_date FROM reports r WHERE {where}", params
    ):
        _, ok = deadline_status(cfg, year, level, kind, province, signed)
        if ok is None:
            no_date += 1
        elif ok:
            on_time += 1
        else:
            late += 1
    findings = [
        {"code": code, "name": name, "count": n, "reports": nr}
        for code, name, n, nr in store.query(
            "SELECT f.code, f.name, count(*), count(DISTINCT f.report_id) FROM findings f JOIN reports r ON r.id = f.report_id"
            f" WHERE {where} GROUP BY f.code, f.name ORDER BY 3 DESC, 1 LIMIT ?",
            [*params, TOP_FINDINGS],
        )
    ]
    scores = [s for (s,) in store.query(f"SELECT r.score FROM reports r WHERE {where} AND r.score IS NOT NULL", params)]
    return {
        "reports": total,
        "readable": readable,
        "failed": total - readable,
        "failed_by_code": failed_by_code,
        "by_year": by_year,
        "by_level": _counts(store, "r.issuer_level", where, params),
        "by_province": _counts(store, "r.province", where, params),
        "by_city": _counts(store, "coalesce(r.province, '') || coalesce(r.city, '')", where, params),
        "parts": {p: {"present": parts_present.get(p, 0), "rate": _rate(parts_present.get(p, 0), readable)} for p in PARTS},
        "on_time": {"known": on_time + late, "on_time": on_time, "late": late, "no_date": no_date, "rate": _rate(on_time, on_time + late)},
        "findings": findings,
        "scores": _score_summary(scores),
        "other_files": other_files,
        "copying": _copying(store, files_where, files_params),
        "followup": _followup(store, where, params),
        "dismissals": dismissal_rates(store.conn, filters.get("year")),
    }


def _copying(store: Store, where: str, params: Any) -> dict[str, Any] | None:
    """Among the selected reports: how many are one of several files of the same report, and how
    many share passages with an earlier report (the later side of a copied pair)."""
    run = store.dedup_run()
    if run is None:
        return None
    same = store.query(
        f"SELECT count(*) FROM reports r WHERE {where} AND r.id IN"
        " (SELECT a_id FROM copies WHERE kind = 'same-report' UNION SELECT b_id FROM copies WHERE kind = 'same-report')",
        params,
    )[0][0]
    copied = store.query(
        f"SELECT count(DISTINCT c.b_id) FROM copies c JOIN reports r ON r.id = c.b_id WHERE {where} AND c.kind = 'copied-passages'",
        params,
    )[0][0]
    return {"run_at": run["run_at"], "same_report": same, "copied": copied}


def _followup(store: Store, where: str, params: Any) -> dict[str, Any] | None:
    """Among the selected reports that follow one of the year before: last year's items answered."""
    run = store.followup_run()
    if run is None:
        return None
    links, sc, sc_done, pl, pl_done = store.query(
        "SELECT count(*), coalesce(sum(f.shortcomings), 0), coalesce(sum(f.shortcomings_addressed), 0),"
        " coalesce(sum(f.plans), 0), coalesce(sum(f.plans_addressed), 0)"
        f" FROM followups f JOIN reports r ON r.id = f.to_id WHERE {where}",
        params,
    )[0]
    return {
        "run_at": run["run_at"], "links": links, "shortcomings": sc, "addressed": sc_done, "rate": _rate(sc_done, sc),
        "plans": pl, "done": pl_done, "plan_rate": _rate(pl_done, pl),
    }


def _score_summary(scores: list[float]) -> dict[str, Any] | None:
    if not scores:
        return None
    bins = {f"{lo}-{lo + 9}" if lo < 90 else "90-100": 0 for lo in range(0, 100, 10)}
    keys = list(bins)
    for s in scores:
        bins[keys[min(max(int(s // 10), 0), 9)]] += 1
    return {
        "count": len(scores),
        "mean": round(statistics.fmean(scores), 2),
        "median": round(statistics.median(scores), 2),
        "histogram": bins,
    }


def render_text(stats: dict[str, Any], out: Any = None) -> None:
    """The statistics as Chinese tables (rich)."""
    # rich loads slowly; only when printing to a terminal
    from rich.console import Console
    from rich.table import Table


    console = Console(file=out, highlight=False)
    console.print(f"报告 {stats['reports']} 份：可读取 {stats['readable']} 份，读取失败 {stats['failed']} 份")
    if stats.get("other_files"):
        console.print(f"  按报告计：查重发现 {stats['other_files']} 个文件是另一文件的同一份报告（重复报送或另一种格式），只计一次")
    if stats["failed_by_code"]:
        console.print("  失败原因：" + "，".join(f"{error_label(k)} {n} 份" for k, n in stats["failed_by_code"].items()))

    def table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        t = Table(title=title, title_justify="left")
        for i, h in enumerate(header):
            t.add_column(h, justify="right" if i else "left")
        for row in rows:
            t.add_row(*(str(x) for x in row))
        console.print(t)

    table("按年度", ("年度", "份数"), [("未识别" if k == UNKNOWN else k, n) for k, n in stats["by_year"].items()])
    table("按层级", ("层级", "份数"), [(LEVEL_LABELS.get(k, "未识别" if k == UNKNOWN else k), n) for k, n in stats["by_level"].items()])
    table("按省份", ("省份", "份数"), [("未识别" if k == UNKNOWN else k, n) for k, n in stats["by_province"].items()])
    table(
        "各部分齐备率",
        ("部分", "有该部分的报告", "比例"),
        [
            (PART_NAMES[p] + ("" if p in REQUIRED else "（可选）"), v["present"], _pct(v["rate"]))
            for p, v in stats["parts"].items()
        ],
    )
    ot = stats["on_time"]
    console.print(
        f"按时报送：{ot['on_time']} / {ot['known']}（{_pct(ot['rate'])}），逾期 {ot['late']} 份，"
        f"无法判断（缺年度或成文日期）{ot['no_date']} 份"
    )
    table("最常见的问题", ("规则", "问题数", "涉及报告"), [(rule_label(f["code"], f["name"]), f["count"], f["reports"]) for f in stats["findings"]])
    sc = stats["scores"]
    if sc:
        table("得分分布", ("分数段", "份数"), list(sc["histogram"].items()))
        console.print(f"得分：{sc['count']} 份，平均 {sc['mean']}，中位数 {sc['median']}")
    else:
        console.print("得分：暂无")
    cp = stats.get("copying")
    if cp:
        console.print(f"查重（{cp['run_at'][:16].replace('T', ' ')}）：同一份报告的多个文件 {cp['same_report']} 份，疑似抄用他人或本单位往年报告段落 {cp['copied']} 份")
    table(
        "审核中不采纳的比例（工作台）",
        ("规则", "问题数", "不采纳", "比例"),
        [(f"{d['code']} {d['name']}", d["findings"], d["dismissed"], _pct(d["rate"])) for d in stats.get("dismissals") or []],
    )
    fu = stats.get("followup")
    if fu and fu["links"]:
        console.print(
            f"上年问题跟进（{fu['run_at'][:16].replace('T', ' ')}，{fu['links']} 份报告有上一年的报告）：上年不足 {fu['shortcomings']} 项，"
            f"已见整改 {fu['addressed']} 项（{_pct(fu['rate'])}）；上年安排 {fu['plans']} 项，已见落实 {fu['done']} 项（{_pct(fu['plan_rate'])}）"
        )


def _pct(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
