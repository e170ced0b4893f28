"""The office's overview of a year, the ranking, the 通报 draft, the Excel exports and the
corpus views (search, duplicates, follow-up, a unit's history, two reports compared), and their
JSON API. Reviewers and administrators only: a unit account gets 403 on every route here.

    GET /overview?year=                     rates, overdue units, scores, parts, problems, breakdowns
    GET /overview/units?year=&show=&…       the units behind any figure of the overview
    GET /overview/tongbao.docx?year=&…      the 通报 draft (GB/T 9704 layout)
    GET /overview/export.xlsx?year=         the year's reports as `fazhi export` writes them
    GET /ranking?year=&level=&region=&by=   units by score or a component; ties share a rank
    GET /corpus/search?q=&…                 full-text search, the filters of `fazhi search`
    GET /corpus/duplicates?kind=&year=      the stored `fazhi dedup` pairs; POST …/run re-runs it
    GET /corpus/compare?a=&b=               two reports side by side, shared passages marked
    GET /corpus/followup?year=&unit=        last year's shortcomings and plans, answered or not
    GET /corpus/history?unit=               a unit's years: scores, recurring problems
    GET /api/overview?year=                 {"year", "rates", "overdue", "top_problems", "ranking"}
    GET /api/tongbao?year=                  the 通报 .docx

Every table on these pages downloads as Excel with `format=xlsx` added to the page's URL.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette_wtf import csrf_protect

from fazhi.corpus.dedup import DEFAULTS as DEDUP_DEFAULTS
from fazhi.corpus.dedup import dedup_store
from fazhi.corpus.dedup import save_result as save_dedup
from fazhi.corpus.export import export
from fazhi.corpus.store import StoreError
from fazhi.score import LABELS as SCORE_LABELS
from fazhi.vocab import COPY_KIND_TITLES, PART_NAMES
from fazhi.vocab import FOLLOWUP_KIND_LABELS as FOLLOWUP_KINDS
from fazhi.web import corpus_views as cv
from fazhi.web import overview as ov
from fazhi.web import roster, tongbao
from fazhi.web.charts import Bar, columns, hbars
from fazhi.web.db import STATE_LABELS, Database
from fazhi.web.http import Refused, flash, page, require, templates
from fazhi.web.pages import _int, download
from fazhi.web.roster import LEVEL_LABELS
from fazhi.web.tables import XLSX, Link, Table, show, to_xlsx
from fazhi.web.view import rule_title, segments

STAFF = ("admin", "reviewer")
templates.globals["show_cell"] = show  # templates/_table.html formats cells with it
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SEARCH_LIMITS = (20, 50, 100, 200)


def _db(request: Request) -> Database:
    return request.app.state.db


def _float(value: Any) -> float | None:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return None


def _year(request: Request) -> int:
    q = request.query_params.get("year")
    if q not in (None, ""):
        y = _int(q)
        if y is None or not 1990 <= y <= 2100:
            raise Refused(422, f"年度“{q}”无效", "bad-year")
        return y
    years = roster.years(_db(request))
    return years[0] if years else dt.date.today().year - 1


def _tables_or_page(request: Request, tables: list[Table], filename: str, template: str, **context: Any) -> Response:
    """The page, or with format=xlsx its tables as an Excel file."""
    if request.query_params.get("format") == "xlsx":
        return download(to_xlsx(tables), filename, XLSX)
    keep = [(k, v) for k, v in request.query_params.multi_items() if k != "format"]
    return page(request, template, tables=tables, xlsx_url=f"{request.url.path}?{urlencode([*keep, ('format', 'xlsx')])}", **context)


def _units_url(year: int, **criteria: Any) -> str:
    return "/overview/units?" + urlencode({"year": year, **{k: v for k, v in criteria.items() if v not in (None, "")}})


def _pct_text(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


RATE_FIGURES = (  # key in roster.rates, label, the units behind the count
    ("submitted", "报送率", "submitted"),
    ("on_time", "按时报送率", "on_time"),
    ("approved", "通过率", "approved"),
    ("published", "公开率", "published"),
    ("published_on_time", "按时公开率", "published_on_time"),
)


def _rate_rows(year: int, groups: list[dict[str, Any]], label_of: Any, criteria_of: Any) -> list[list[Any]]:
    rows = []
    for g in groups:
        r, c = g["rates"], g["rates"]["counts"]
        crit = criteria_of(g["key"])
        rows.append([
            Link(label_of(g["key"]), _units_url(year, **crit)), c["total"],
            Link(c["submitted"], _units_url(year, show="submitted", **crit)), r["submitted"],
            Link(c["on_time"], _units_url(year, show="on_time", **crit)), r["on_time"],
            Link(c["approved"], _units_url(year, show="approved", **crit)), r["approved"],
            Link(c["published"], _units_url(year, show="published", **crit)), r["published"],
            g["mean_score"],
        ])
    return rows


RATE_HEADERS = ["", "应报送", "已报送", "报送率", "按时报送", "按时报送率", "已通过", "通过率", "已公开", "公开率", "平均得分"]
RATE_KINDS = ["text", "int", "int", "pct", "int", "pct", "int", "pct", "int", "pct", "num"]


# -- overview ------------------------------------------------------------------------------
def overview_page(request: Request) -> Response:
    require(request, *STAFF)
    db, year = _db(request), _year(request)
    data = ov.overview(db, request.app.state.settings.config, year)
    prev = data["previous"]
    rates, counts = data["rates"], data["rates"]["counts"]
    tiles = []
    for key, label, showkey in RATE_FIGURES:
        before = prev["rates"][key] if prev else None
        tiles.append({
            "label": label, "rate": rates[key], "count": counts[key], "total": counts["total"], "href": _units_url(year, show=showkey),
            "before": before, "delta": None if before is None else round((rates[key] - before) * 100, 1),
        })
    t_rates = Table("报送与公开", ["指标", "单位数", "应报送", f"{year}年度"] + ([f"{year - 1}年度"] if prev else []),
                    [[Link(t["label"], t["href"]), t["count"], t["total"], t["rate"], *([t["before"]] if prev else [])] for t in tiles],
                    ["text", "int", "int", "pct", "pct"])
    t_overdue = Table("逾期与未公开", ["单位", "情况", "层级", "报送截止日期", "联系人"], [
        [Link(e["unit"], f"/units/{e['roster_id']}"), ov.OVERDUE_LABELS[e["state"]], LEVEL_LABELS.get(e["level"] or "", ""), e["deadline"], e["contact"] or ""]
        for e in data["overdue"]
    ])
    stats = data["stats"]
    hist = (stats["scores"] or {}).get("histogram") or {}
    score_bars = []
    for i, (label, n) in enumerate(hist.items()):
        crit = {"score_lo": i * 10} if i == 9 else {"score_lo": i * 10, "score_hi": (i + 1) * 10}
        score_bars.append(Bar(label, n, str(n) if n else "", _units_url(year, **crit)))
    t_scores = Table("得分分布", ["分数段", *(b.label for b in score_bars)], [["报告数", *(Link(b.value, b.href) for b in score_bars)]],
                     ["text", *["int"] * len(score_bars)])
    t_parts = Table("规定要求的部分", ["部分", "具备的报告", "齐备率", "缺少的报告"] + ([f"{year - 1}年度齐备率"] if prev else []), [
        [p["label"] + ("" if p["required"] else "（可选）"), p["present"], p["rate"], Link(p["missing"], _units_url(year, part=p["part"])),
         *([prev["parts"][p["part"]]["rate"]] if prev else [])]
        for p in data["parts"]
    ], ["text", "int", "pct", "int", "pct"])
    problems = data["top_problems"]
    t_problems = Table("最常见的问题", ["问题", "代码", "涉及报告", "占比", "问题条数", "审核不采纳率"] + ([f"{year - 1}年度占比"] if prev else []), [
        [Link(t["title"], f"/queue?{urlencode({'year': year, 'rule': t['code']})}"), t["code"], t["reports"], t["share"], t["findings"], t["dismissal_rate"],
         *([prev["shares"].get(t["code"])] if prev else [])]
        for t in problems
    ], ["text", "text", "int", "pct", "int", "pct", "pct"], note="审核不采纳率：审核人员不采纳（认为不是问题）的比例，即这条规则在实际使用中的误报率；“—”表示尚无审核记录。")
    t_levels = Table("按层级", ["层级", *RATE_HEADERS[1:]], _rate_rows(year, data["levels"], lambda k: LEVEL_LABELS.get(k or "", "未识别层级"), lambda k: {"level": k or "none"}), RATE_KINDS)
    t_regions = Table("按地区", ["地区", *RATE_HEADERS[1:]], _rate_rows(year, data["regions"], str, lambda k: {"region": k}), RATE_KINDS)
    charts = {
        "scores": columns(score_bars, title="得分分布（报告数）"),
        "problems": hbars([Bar(t["title"].split("（")[0], t["share"], _pct_text(t["share"]), f"/queue?{urlencode({'year': year, 'rule': t['code']})}")
                           for t in problems], title="最常见的问题（涉及报告的比例）", scale=1.0, width=900, label_chars=18),
        "levels": hbars([Bar(LEVEL_LABELS.get(g["key"] or "", "未识别层级"), g["rates"]["submitted"], _pct_text(g["rates"]["submitted"]),
                             _units_url(year, show="submitted", level=g["key"] or "none")) for g in data["levels"]], title="各层级报送率", scale=1.0, width=480, label_chars=10),
        "regions": hbars([Bar(g["key"], g["rates"]["submitted"], _pct_text(g["rates"]["submitted"]), _units_url(year, show="submitted", region=g["key"]))
                          for g in data["regions"][:20]], title="各地区报送率", scale=1.0, width=480, label_chars=10),
    }
    overdue_counts = [
        {"label": label, "n": sum(1 for e in data["overdue"] if e["state"] == key), "href": _units_url(year, show=key)}
        for key, label in ov.OVERDUE_LABELS.items()
    ]
    tables = [t_rates, t_overdue, t_scores, t_parts, t_problems, t_levels, t_regions]
    return _tables_or_page(
        request, tables, f"{year}年度概况.xlsx", "overview.html", year=year, years=roster.years(db), data=data, tiles=tiles, t=dict(
            rates=t_rates, overdue=t_overdue, scores=t_scores, parts=t_parts, problems=t_problems, levels=t_levels, regions=t_regions),
        charts=charts, prev=prev, overdue_counts=overdue_counts, publish_by=roster.publish_deadline(year).isoformat(),
    )


UNIT_SHOW = {
    "submitted": "已报送", "missing": "未报送", "on_time": "按时报送", "late": "逾期报送", "approved": "已通过",
    "published": "已公开", "unpublished": "已报送未公开", "published_on_time": "按时公开", "published_late": "逾期公开", "scored": "有得分",
}


def units_page(request: Request) -> Response:
    require(request, *STAFF)
    db, year = _db(request), _year(request)
    q = request.query_params
    crit = {
        "show": q.get("show") if q.get("show") in UNIT_SHOW else None,
        "level": q.get("level") or None, "region": q.get("region") or None,
        "part": q.get("part") if q.get("part") in PART_NAMES else None, "rule": (q.get("rule") or "").upper() or None,
        "score_lo": _float(q.get("score_lo")), "score_hi": _float(q.get("score_hi")),
    }
    units = ov.units_behind(db, year, **crit)
    said = []
    if crit["show"]:
        said.append(UNIT_SHOW[crit["show"]])
    if crit["level"]:
        said.append(LEVEL_LABELS.get(crit["level"], "未识别层级"))
    if crit["region"]:
        said.append(crit["region"])
    if crit["part"]:
        said.append(f"缺少“{PART_NAMES[crit['part']]}”部分")
    if crit["rule"]:
        said.append(f"有“{rule_title(crit['rule'])}”问题")
    if crit["score_lo"] is not None or crit["score_hi"] is not None:
        lo, hi = crit["score_lo"], crit["score_hi"]
        said.append(f"得分 {'' if lo is None else f'{lo:g}'}–{'' if hi is None else f'{hi:g}（不含）'}")
    table = Table("单位", ["单位", "层级", "地区", "状态", "报送时间", "按时", "公开", "得分", "联系人"], [
        [Link(u["unit"], f"/units/{u['id']}"), LEVEL_LABELS.get(u["level"] or "", ""), u["region"] or "", STATE_LABELS[u["state"]],
         u["submitted_at"] or "", {1: "按时", 0: "逾期"}.get(u["on_time"], ""),
         (u["published_on"] or "已公开") if u["published_url"] else "未公开", u["score"], u["contact"] or ""]
        for u in units
    ], ["text"] * 7 + ["num", "text"])
    return _tables_or_page(request, [table], f"{year}年度单位清单.xlsx", "overview_units.html", year=year, table=table, said="，".join(said) or "全部单位", units=units)


def _tongbao_options(request: Request) -> tongbao.Options:
    q = request.query_params
    o = tongbao.Options()
    o.office = (q.get("office") or "").strip()[:60] or o.office
    o.addressee = (q.get("addressee") or "").strip()[:200] or o.addressee
    o.named = q.get("named") in ("1", "on", "true")
    commend = _int(q.get("commend"))
    o.commend = o.commend if commend is None else min(max(commend, 0), 50)
    return o


async def tongbao_docx(request: Request) -> Response:
    require(request, *STAFF)
    year = _year(request)
    data = await run_in_threadpool(tongbao.build, _db(request), request.app.state.settings.config, year, _tongbao_options(request))
    return download(data, tongbao.filename(year), DOCX)


async def export_xlsx(request: Request) -> Response:
    """The year's reports as `fazhi export` writes them (sheet 报告 and 问题清单)."""
    require(request, *STAFF)
    db, year = _db(request), _year(request)

    def work() -> bytes:
        with tempfile.TemporaryDirectory(prefix="fazhi-web-") as tmp:
            out = Path(tmp) / "export.xlsx"
            export(ov.corpus(db), out, request.app.state.settings.config, prefix=ov.prefix(year))
            return out.read_bytes()

    return download(await run_in_threadpool(work), f"{year}年度报告明细.xlsx", XLSX)


# -- ranking -------------------------------------------------------------------------------
RANK_BY = {"score": "总分", **SCORE_LABELS}
RANK_PAGE = 100


def ranking_page(request: Request) -> Response:
    require(request, *STAFF)
    db, year = _db(request), _year(request)
    q = request.query_params
    by = q.get("by") if q.get("by") in RANK_BY else "score"
    level, region = q.get("level") or None, q.get("region") or None
    units = roster.units(db, year)
    groups = ov.region_groups(units)
    regions = sorted(set(groups.values()))
    if level:
        units = [u for u in units if (u["level"] or "none") == level]
    if region:
        units = [u for u in units if groups.get(u["unit"]) == region]
    ranked = ov.ranking(units, ov.unit_reports(db, year, with_components=True), by=by)
    rest = ov.unranked(units, ranked)
    comps = list(SCORE_LABELS)
    t_rank = Table("排名", ["名次", "单位", "层级", "地区", "总分", *SCORE_LABELS.values(), "状态"], [
        [r["rank"], Link(r["unit"], f"/corpus/history?{urlencode({'unit': r['unit']})}"), LEVEL_LABELS.get(r["level"] or "", ""), groups.get(r["unit"], ""),
         r["score"], *(r[c] for c in comps), STATE_LABELS[r["state"]]]
        for r in ranked
    ], ["int", "text", "text", "text", "num", *["num"] * len(comps), "text"], note="得分相同的单位名次并列。")
    t_rest = Table("未排名", ["单位", "层级", "地区", "情况", "联系人"], [
        [Link(u["unit"], f"/units/{u['id']}"), LEVEL_LABELS.get(u["level"] or "", ""), groups.get(u["unit"], ""),
         "未报送" if u["state"] == "missing" else "报告未能评分", u["contact"] or ""]
        for u in rest
    ], note="未报送的单位不参加排名（不按 0 分计）。")
    pages = max(1, -(-len(t_rank.rows) // RANK_PAGE))
    pg = min(max(1, _int(q.get("page")) or 1), pages)
    shown = Table(t_rank.title, t_rank.headers, t_rank.rows[(pg - 1) * RANK_PAGE : pg * RANK_PAGE], t_rank.kinds, t_rank.note)
    keep = urlencode([(k, v) for k, v in q.multi_items() if k not in ("page", "format") and v])
    return _tables_or_page(request, [t_rank, t_rest], f"{year}年度排名.xlsx", "ranking.html", year=year, years=roster.years(db), by=by, rank_by=RANK_BY,
                           level=level, region=region, regions=regions, t_rank=t_rank, shown=shown, page_no=pg, pages=pages, query=keep,
                           t_rest=t_rest, bars=hbars(
                               [Bar(r["unit"], r[by], f"{r[by]:.1f}", f"/corpus/history?{urlencode({'unit': r['unit']})}") for r in ranked[:15]],
                               title=f"前 15 名（{RANK_BY[by]}）", scale=100.0, label_chars=14) if ranked else None)


# -- corpus views ----------------------------------------------------------------------------
def _record_link(r: cv.Record, roster_ids: dict[int, int]) -> str:
    if r.id in roster_ids:
        return f"/units/{roster_ids[r.id]}"
    return f"/corpus/compare?a={r.id}"


def search_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    q = request.query_params
    query = (q.get("q") or "").strip()[:200]
    limit = _int(q.get("limit")) if _int(q.get("limit")) in SEARCH_LIMITS else SEARCH_LIMITS[0]
    error, hits, missing = None, [], 0
    try:
        filters = cv.clean_filters(q)
    except ValueError as exc:
        filters, error = {}, f"{exc}填写有误，请填数字"
    if query and not error:
        try:
            hits, missing = cv.run_search(db, query, limit, filters)
        except StoreError as exc:
            error = exc.message
    ids = cv.roster_ids(db, [r for _, r in hits])
    table = Table("检索结果", ["报告", "年度", "得分", "摘录"], [
        [Link(r.name, _record_link(r, ids)), r.ws_year or r.year, r.score, h.snippet] for h, r in hits
    ], ["text", "int", "num", "text"])
    rows = []
    for h, r in hits:
        cut = (h.start - h.snippet_start, h.end - h.snippet_start) if h.start is not None else (0, 0)
        rows.append({"hit": h, "rec": r, "href": _record_link(r, ids), "before": h.snippet[: cut[0]], "match": h.snippet[cut[0] : cut[1]], "after": h.snippet[cut[1] :]})
    return _tables_or_page(request, [table], "检索结果.xlsx", "search.html", query=query, filters={k: q.get(k, "") for k in cv.SEARCH_FILTERS},
                           limit=limit, limits=SEARCH_LIMITS, rows=rows, error=error, missing=missing, kinds={"government": "政府", "department": "部门", "party": "党委（党组）"})


def duplicates_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    q = request.query_params
    kind = q.get("kind") if q.get("kind") in COPY_KIND_TITLES else None
    year = _int(q.get("year"))
    pg = max(1, _int(q.get("page")) or 1)
    run, pairs, total = cv.duplicates(db, kind, year, pg)
    table = Table("查重结果", ["在先报告", "在后报告", "情况", "相似度", "雷同段落", "雷同字数"], [
        [Link(p["a"].name, f"/corpus/compare?a={p['a'].id}&b={p['b'].id}"), Link(p["b"].name, f"/corpus/compare?a={p['a'].id}&b={p['b'].id}"),
         p["kind_label"], p["similarity"], p["passages"], p["chars"]]
        for p in pairs
    ], ["text", "text", "text", "pct", "int", "int"])
    pages = max(1, -(-total // cv.DUPLICATES_PAGE))
    keep = {k: v for k, v in q.items() if k not in ("page", "format") and v}
    return _tables_or_page(request, [table], "查重结果.xlsx", "duplicates.html", run=run, pairs=pairs, total=total, page_no=pg, pages=pages,
                           kind=kind, year=year, kinds=COPY_KIND_TITLES, query=urlencode(keep), table=table)


async def duplicates_run(request: Request) -> Response:
    user = require(request, "admin")
    db = _db(request)
    await request.form()

    def work() -> int:
        result = dedup_store(db.path)
        save_dedup(db.path, result, DEDUP_DEFAULTS["threshold"])
        with db.write() as c:
            db.audit(c, user.username, "运行查重", "", f"{len(result.pairs)} 对")
        return len(result.pairs)

    n = await run_in_threadpool(work)
    flash(request, f"查重完成：发现 {n} 对重复报送或段落雷同的报告")
    return RedirectResponse("/corpus/duplicates", status_code=303)


def compare_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    q = request.query_params
    a, b = _int(q.get("a")), _int(q.get("b"))
    # by unit and year (workspace reports) when no ids are given
    for side in ("a", "b"):
        unit, year = (q.get(f"unit_{side}") or "").strip(), _int(q.get(f"year_{side}"))
        if unit and year and (a if side == "a" else b) is None:
            rec = cv.record_by_unit(db, unit, year)
            if rec is None:
                flash(request, f"没有找到 {unit} {year} 年度的报告", "error")
            elif side == "a":
                a = rec.id
            else:
                b = rec.id
    result = cv.compare(db, a, b) if a is not None and b is not None else None
    if a is not None and b is not None and result is None:
        raise Refused(404, "没有这份报告")
    single = cv.records(db, [a]).get(a) if a is not None and b is None else None
    table = Table("雷同段落", ["序号", result.a.name if result else "报告甲", result.b.name if result else "报告乙"], [
        [p["n"], p["a"]["text"], p["b"]["text"]] for p in (result.passages if result else [])
    ], ["int", "text", "text"])
    return _tables_or_page(request, [table], "两份报告对照.xlsx", "compare_reports.html", result=result, single=single, a=a, b=b, q=q,
                           single_lines=segments(ov.corpus(db).text(single.id), []) if single else None)


def followup_page(request: Request) -> Response:
    require(request, *STAFF)
    db, year = _db(request), _year(request)
    unit = (request.query_params.get("unit") or "").strip()
    if not unit:
        units = cv.followup_units(db, year)
        table = Table("可跟踪的单位", ["单位", "上年不足", "已见整改", "上年安排", "已见落实"], [
            [Link(u["unit"], f"/corpus/followup?{urlencode({'year': year, 'unit': u['unit']})}"), *(u["counts"] or ("", "", "", ""))] for u in units
        ], ["text", "int", "int", "int", "int"], note="数字来自最近一次运行的 fazhi followup；点击单位名称查看逐项对照。")
        return _tables_or_page(request, [table], f"{year}年度跟进.xlsx", "followup.html", year=year, years=roster.years(db), unit=None, table=table, result=None)
    result = cv.followup_unit(db, unit, year)
    items = result["items"]
    table = Table("上年问题跟进", ["类别", f"{year - 1}年度报告所列", "情况", f"{year}年度报告中的回应"], [
        [FOLLOWUP_KINDS.get(i["kind"], i["kind"]), i["text"], "已见跟进" if i["addressed"] else "未见跟进", (i["evidence"] or {}).get("text", "")] for i in items or []
    ])
    return _tables_or_page(request, [table], f"{unit}{year}年度跟进.xlsx", "followup.html", year=year, years=roster.years(db), unit=unit, table=table, result=result, items=items)


def history_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    unit = (request.query_params.get("unit") or "").strip()
    if not unit:
        raise Refused(404, "请指定单位")
    data = cv.history(db, unit)
    if not data["years"]:
        raise Refused(404, f"名单中没有“{unit}”")
    comps = list(SCORE_LABELS)
    t_years = Table("历年情况", ["年度", "状态", "按时", "公开", "总分", *SCORE_LABELS.values()], [
        [Link(y["year"], f"/units/{y['id']}"), STATE_LABELS[y["state"]], {1: "按时", 0: "逾期"}.get(y["on_time"], ""),
         (y["published_on"] or "已公开") if y["published_url"] else "未公开", y["score"], *(y["components"].get(c) for c in comps)]
        for y in data["years"]
    ], ["text", "text", "text", "text", "num", *["num"] * len(comps)])
    years = [y["year"] for y in data["years"]]
    t_rec = Table("反复出现的问题", ["问题", "代码", *(f"{y}年度" for y in years)], [
        [r["title"], r["code"], *(r["years"].get(y) for y in years)] for r in data["recurring"]
    ], ["text", "text", *["int"] * len(years)], note="在两个或更多年度的报告中都出现的问题（数字为该年度报告中的问题条数）。")
    trend = columns([Bar(str(y["year"]), y["score"], "—" if y["score"] is None else f"{y['score']:.1f}") for y in data["years"]], title="历年总分")
    pairs = [(a, b) for a, b in zip(data["years"], data["years"][1:]) if a["report_id"] and b["report_id"]]
    return _tables_or_page(request, [t_years, t_rec], f"{unit}历年情况.xlsx", "history.html", unit=unit, data=data, t_years=t_years, t_rec=t_rec, trend=trend, pairs=pairs)


# -- API -------------------------------------------------------------------------------------
def api_overview(request: Request) -> Response:
    require(request, *STAFF)
    year = _year(request)
    data = ov.overview(_db(request), request.app.state.settings.config, year)
    return JSONResponse({
        "year": year,
        "rates": data["rates"],
        "overdue": [{"unit": e["unit"], "state": e["state"], "contact": e["contact"]} for e in data["overdue"]],
        "top_problems": [{"code": t["code"], "name": t["name"], "title": t["title"], "reports": t["reports"], "share": t["share"],
                          "dismissal_rate": t["dismissal_rate"]} for t in data["top_problems"]],
        "ranking": [{"unit": r["unit"], "score": r["score"], "rank": r["rank"]} for r in ov.ranking(data["units"], data["scores"])],
    })


async def api_tongbao(request: Request) -> Response:
    return await tongbao_docx(request)


routes = [
    Route("/overview", overview_page),
    Route("/overview/units", units_page),
    Route("/overview/tongbao.docx", tongbao_docx),
    Route("/overview/export.xlsx", export_xlsx),
    Route("/ranking", ranking_page),
    Route("/corpus/search", search_page),
    Route("/corpus/duplicates", duplicates_page),
    Route("/corpus/duplicates/run", csrf_protect(duplicates_run), methods=["POST"]),
    Route("/corpus/compare", compare_page),
    Route("/corpus/followup", followup_page),
    Route("/corpus/history", history_page),
    Route("/api/overview", api_overview),
    Route("/api/tongbao", api_tongbao),
]
