"""The workspace's pages (server-rendered, Chinese). Every handler calls `require` first."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any
from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette_wtf import csrf_protect

from fazhi.rules import all_rules
from fazhi.web import accounts, roster, submissions, view
from fazhi.web.accounts import AccountError
from fazhi.web.db import ROLES, Database
from fazhi.web.http import Refused, current_user, flash, page, require
from fazhi.web.queue import QUEUE_SORTS, queue
from fazhi.web.roster import RosterError
from fazhi.web.submissions import CORPUS_PREFIX, SubmissionError

STAFF = ("admin", "reviewer")
ROSTER_PAGE = 200


def _db(request: Request) -> Database:
    return request.app.state.db


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _year(request: Request) -> int:
    years = roster.years(_db(request))
    return _int(request.query_params.get("year")) or (years[0] if years else dt.date.today().year - 1)


def download(data: bytes, filename: str, media_type: str) -> Response:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"content-disposition": disposition, "cache-control": "no-store"})


# -- sign in ------------------------------------------------------------------------------
async def login(request: Request) -> Response:
    db = _db(request)
    nxt = request.query_params.get("next") or "/"
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    error = None
    status = 200
    if request.method == "POST":
        form = await request.form()
        name = str(form.get("username", ""))
        throttle: accounts.LoginThrottle = request.app.state.login_throttle
        wait = throttle.blocked_for(name)
        if wait > 0:
            error, status = f"登录失败次数过多，请 {int(wait // 60) + 1} 分钟后再试", 429
        else:
            user = await run_in_threadpool(accounts.authenticate, db, name, str(form.get("password", "")))
            if user is not None:
                throttle.succeeded(name)
                request.session.clear()
                request.session.update(uid=user.id, sv=user.session_version)
                await run_in_threadpool(_audit, db, user.username, "登录")
                return _back(nxt)
            throttle.failed(name)
            await run_in_threadpool(_audit, db, name[:64], "登录失败")
            error, status = "用户名或密码不正确", 401
    no_users = accounts.count_users(db) == 0
    return page(request, "login.html", status=status, error=error, next=nxt, no_users=no_users, user=None)


def _audit(db: Database, user: str, action: str) -> None:
    with db.write() as c:
        db.audit(c, user, action)


async def logout(request: Request) -> Response:
    user = current_user(request)
    request.session.clear()
    if user:
        await run_in_threadpool(_audit, _db(request), user.username, "退出登录")
    return _back("/login")


def home(request: Request) -> Response:
    user = require(request)
    return _back("/my" if user.role == "unit" else "/queue")


# -- a unit's own page ------------------------------------------------------------------
def my(request: Request) -> Response:
    user = require(request, "unit")
    db = _db(request)
    rows = db.query("SELECT * FROM ws_roster WHERE unit = ? ORDER BY year DESC", (user.unit,))
    entries = []
    for r in rows:
        entries.append({"row": dict(r), "versions": submissions.versions(db, r["id"])})
    # the year the unit is most likely reporting on: its latest roster year still open, else none
    # (the report's own year is then taken)
    open_years = [r["year"] for r in rows if r["state"] in ("missing", "returned")]
    return page(request, "my.html", entries=entries, default_year=max(open_years, default=None))


async def upload(request: Request) -> Response:
    user = require(request)
    form = await request.form(max_files=1, max_fields=10)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        flash(request, "请选择要上传的报告文件", "error")
        return _back(request.headers.get("referer") or "/")
    data = await file.read()
    year = _int(form.get("year"))
    unit = str(form.get("unit") or "") if user.is_staff else None
    try:
        vid = await run_in_threadpool(
            submissions.upload, _db(request), request.app.state.settings.config, user, file.filename, data, year=year, unit=unit
        )
    except SubmissionError as exc:
        flash(request, f"无法检查这个文件：{exc.message}", "error")
        return _back("/my" if user.role == "unit" else "/queue")
    finally:
        await file.close()
    flash(request, "已检查完毕。请查看下面的问题；确认无误后点击“确认报送”，也可以修改后重新上传。")
    return _back(f"/submissions/{vid}")


# -- the report page ----------------------------------------------------------------------
def submission(request: Request) -> Response:
    user = require(request)
    db = _db(request)
    vid = request.path_params["id"]
    row = submissions.get(db, vid, user)
    report = json.loads(row["review"])
    marks = submissions.marks(db, vid)
    comments = submissions.comments(db, vid)
    findings = view.findings(report, marks)
    return page(
        request,
        "submission.html",
        row=row,
        report=report,
        findings=findings,
        lines=view.segments(row["text"], report["findings"], comments),
        comments=comments,
        parts=view.parts_checklist(report, request.app.state.settings.config.require_rectification),
        citations=view.citations(report),
        versions=submissions.versions(db, row["roster_id"]),
    )


async def _form(request: Request) -> Any:
    return await request.form(max_files=0, max_fields=20)


async def _act(request: Request, work: Any, done: str, back: str) -> Response:
    """Run a workflow step off the event loop; say it was done, or why not, on the page it
    returns to. Another unit's submission stays a 404."""
    try:
        await run_in_threadpool(work)
        flash(request, done)
    except SubmissionError as exc:
        if exc.status == 404 and exc.code == "not-found":
            raise
        flash(request, exc.message, "error")
    return _back(back)


async def confirm(request: Request) -> Response:
    user = require(request, "unit", *STAFF)
    vid = request.path_params["id"]
    await _form(request)
    db = _db(request)
    return await _act(request, lambda: submissions.confirm(db, vid, user), "已报送。审核结果会显示在本页和“我的报告”中。", f"/submissions/{vid}")


async def mark(request: Request) -> Response:
    user = require(request, *STAFF)
    vid = request.path_params["id"]
    form = await _form(request)
    db = _db(request)
    decision = str(form.get("decision", ""))
    return await _act(
        request,
        lambda: submissions.mark(db, vid, user, str(form.get("code", "")), _int(form.get("start"), -1), decision, str(form.get("reason", ""))),
        "已确认这条问题" if decision == "confirm" else "已标为不采纳",
        f"/submissions/{vid}#finding-{_int(form.get('index'), 0)}",
    )


async def comment(request: Request) -> Response:
    user = require(request, *STAFF)
    vid = request.path_params["id"]
    form = await _form(request)
    db = _db(request)
    start, end = _int(form.get("start")), _int(form.get("end"))
    return await _act(
        request,
        lambda: submissions.comment(db, vid, user, str(form.get("body", "")), start=start, end=end, quote=str(form.get("quote", ""))),
        "已添加审核意见",
        f"/submissions/{vid}#comments",
    )


async def decide(request: Request) -> Response:
    user = require(request, *STAFF)
    vid = request.path_params["id"]
    form = await _form(request)
    db = _db(request)
    decision = str(form.get("decision", ""))
    config = request.app.state.settings.config
    return await _act(
        request,
        lambda: submissions.decide(db, vid, user, decision, str(form.get("summary", "")), config),
        "已审核通过" if decision == "approve" else "已退回修改，报送单位可下载带批注的 Word 文件",
        f"/submissions/{vid}",
    )


def original(request: Request) -> Response:
    user = require(request)
    row = submissions.get(_db(request), request.path_params["id"], user)
    return download(submissions.blob(_db(request), row["sha256"]), row["filename"], "application/octet-stream")


def commented(request: Request) -> Response:
    user = require(request)
    row = submissions.get(_db(request), request.path_params["id"], user)
    if not row["commented_sha256"]:
        raise Refused(404, "这一版没有退回修改的批注文件")
    stem = row["filename"].rsplit(".", 1)[0]
    return download(
        submissions.blob(_db(request), row["commented_sha256"]),
        f"{stem}.审核意见.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def compare(request: Request) -> Response:
    user = require(request)
    db = _db(request)
    new = submissions.get(db, request.path_params["id"], user)
    other = _int(request.query_params.get("with"))
    if other is None:
        prev = db.one("SELECT id FROM ws_versions WHERE roster_id = ? AND version < ? ORDER BY version DESC LIMIT 1", (new["roster_id"], new["version"]))
        if prev is None:
            raise Refused(404, "这是第一版，没有可比较的上一版")
        other = prev["id"]
    old = submissions.get(db, other, user)
    if old["roster_id"] != new["roster_id"]:
        raise Refused(404, "只能比较同一单位同一年度的不同版本")
    if old["version"] > new["version"]:
        old, new = new, old
    result = submissions.compare(old, new)
    for f in (*result.fixed, *result.introduced):
        f["title"] = view.rule_title(f["code"])
    return page(request, "compare.html", old=old, new=new, result=result)


# -- the reviewers' queue -----------------------------------------------------------------
def queue_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    q = request.query_params
    year = _year(request)
    filters = {k: q.get(k) or None for k in ("level", "region", "state", "rule", "sort")}
    filters["min_score"] = _int(q.get("min_score"))
    filters["max_score"] = _int(q.get("max_score"))
    pg = max(1, _int(q.get("page"), 1) or 1)
    result = queue(db, year, page=pg, **filters)
    keep = {k: v for k, v in q.items() if k != "page" and v}
    return page(
        request, "queue.html", year=year, years=roster.years(db), filters=filters, result=result, sorts=QUEUE_SORTS,
        rules=sorted(all_rules(), key=lambda r: r.code), query=urlencode(keep),
    )


# -- roster -------------------------------------------------------------------------------
def roster_page(request: Request) -> Response:
    require(request, *STAFF)
    db = _db(request)
    year = _year(request)
    units = roster.units(db, year)
    pages_ = max(1, -(-len(units) // ROSTER_PAGE))
    pg = min(max(1, _int(request.query_params.get("page"), 1) or 1), pages_)
    return page(
        request, "roster.html", year=year, years=roster.years(db), units=units[(pg - 1) * ROSTER_PAGE : pg * ROSTER_PAGE],
        total=len(units), page_no=pg, pages=pages_, rates=roster.rates(units),
        publish_by=roster.publish_deadline(year).isoformat(), store_reports=db.one(f"SELECT count(*) FROM reports WHERE path < '{CORPUS_PREFIX}/' OR path >= '{CORPUS_PREFIX}0'")[0],
    )


def roster_template(request: Request) -> Response:
    require(request, *STAFF)
    return download(roster.template_xlsx(), "报送名单模板.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


async def roster_import(request: Request) -> Response:
    user = require(request, "admin")
    form = await request.form(max_files=1, max_fields=5)
    year = _int(form.get("year"))
    file = form.get("file")
    try:
        if year is None or not 1990 <= year <= 2100:
            raise RosterError("请填写有效的年度")
        if not isinstance(file, UploadFile) or not file.filename:
            raise RosterError("请选择名单文件（.xlsx 或 .csv）")
        rows = roster.parse_roster(await file.read(), file.filename)
        n = await run_in_threadpool(roster.upsert, _db(request), request.app.state.settings.config, year, rows, user.username)
        flash(request, f"已导入 {n} 个单位")
    except RosterError as exc:
        flash(request, f"名单未导入：{exc}", "error")
    return _back(f"/roster?year={year or ''}")


async def roster_from_store(request: Request) -> Response:
    user = require(request, "admin")
    form = await _form(request)
    year = _int(form.get("year")) or dt.date.today().year - 1
    n = await run_in_threadpool(roster.from_store, _db(request), request.app.state.settings.config, year, user.username)
    flash(request, f"已从语料库加入 {n} 个单位" if n else "语料库中没有本年度或上一年度的报告可用来生成名单", "ok" if n else "error")
    return _back(f"/roster?year={year}")


async def roster_add(request: Request) -> Response:
    user = require(request, "admin")
    form = await _form(request)
    year = _int(form.get("year"))
    try:
        if year is None:
            raise RosterError("请填写年度")
        rows = roster.rows_from_table([list(roster.COLUMNS), [str(form.get(k, "") or "") for k in ("unit", "level", "region", "deadline", "contact")]])
        await run_in_threadpool(roster.upsert, _db(request), request.app.state.settings.config, year, rows, user.username, "manual")
        flash(request, f"已加入：{rows[0].unit}")
    except RosterError as exc:
        flash(request, str(exc).replace("第2行：", ""), "error")
    return _back(f"/roster?year={year or ''}")


def _roster_row(request: Request, user: accounts.User) -> dict[str, Any]:
    row = _db(request).one("SELECT * FROM ws_roster WHERE id = ?", (request.path_params["id"],))
    if row is None or (user.role == "unit" and row["unit"] != user.unit):
        raise Refused(404, "名单中没有这个单位，或您无权查看")
    return dict(row)


def unit_page(request: Request) -> Response:
    user = require(request)
    row = _roster_row(request, user)
    units = roster.units(_db(request), row["year"], unit=row["unit"])
    return page(
        request, "unit.html", row=units[0], versions=submissions.versions(_db(request), row["id"]),
        publish_by=roster.publish_deadline(row["year"]).isoformat(),
    )


async def secrecy(request: Request) -> Response:
    user = require(request)
    row = _roster_row(request, user)
    form = await _form(request)
    try:
        await run_in_threadpool(roster.confirm_secrecy, _db(request), row["id"], str(form.get("who", "")), user.username)
        flash(request, "已确认保密审查，可以登记公开情况")
    except RosterError as exc:
        flash(request, str(exc), "error")
    return _back(f"/units/{row['id']}")


async def publish(request: Request) -> Response:
    user = require(request)
    row = _roster_row(request, user)
    form = await _form(request)
    try:
        await run_in_threadpool(roster.record_publication, _db(request), row["id"], str(form.get("url", "")), str(form.get("on", "")), user.username)
        flash(request, "已登记公开情况")
    except RosterError as exc:
        flash(request, str(exc), "error")
    return _back(f"/units/{row['id']}")


# -- administration ----------------------------------------------------------------------
def users_page(request: Request) -> Response:
    require(request, "admin")
    return page(request, "users.html", users=accounts.list_users(_db(request)), roles=ROLES, token=request.session.pop("new_token", None))


async def users_action(request: Request) -> Response:
    admin = require(request, "admin")
    db = _db(request)
    form = await _form(request)
    action = request.path_params["action"]
    name = str(form.get("username", "")).strip()
    try:
        if action == "add":
            await run_in_threadpool(accounts.add_user, db, name, str(form.get("password", "")), str(form.get("role", "")), str(form.get("unit", "")), admin.username)
            flash(request, f"已添加用户：{name}")
        elif action in ("disable", "enable"):
            await run_in_threadpool(accounts.set_active, db, name, action == "enable", admin.username)
            flash(request, f"已{'启用' if action == 'enable' else '停用'}：{name}")
        elif action == "password":
            await run_in_threadpool(accounts.set_password, db, name, str(form.get("password", "")), admin.username)
            flash(request, f"已重设 {name} 的密码")
        elif action == "token":
            request.session["new_token"] = {"user": name, "token": await run_in_threadpool(accounts.new_token, db, name, admin.username)}
            flash(request, f"已为 {name} 生成接口令牌（只显示这一次）")
        else:
            raise Refused(404, "页面不存在")
    except AccountError as exc:
        flash(request, str(exc), "error")
    return _back("/users")


def _audit_rows(db: Database, limit: int | None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM ws_audit ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    return [dict(r) for r in db.query(sql)]


def audit_page(request: Request) -> Response:
    require(request, "admin")
    return page(request, "audit.html", rows=_audit_rows(_db(request), 500))


def audit_csv(request: Request) -> Response:
    require(request, "admin")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["时间", "用户", "操作", "对象", "详情"])
    for r in _audit_rows(_db(request), None):
        w.writerow([_cell(r[k]) for k in ("at", "user", "action", "target", "detail")])
    return download(buf.getvalue().encode("utf-8-sig"), "操作日志.csv", "text/csv; charset=utf-8")


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def healthz(request: Request) -> Response:
    _db(request).one("SELECT 1")
    return Response("ok", media_type="text/plain")


# Every route that accepts POST checks the form's CSRF token first (csrf_protect); a test
# walks this table and fails for one that does not.
routes = [
    Route("/healthz", healthz),
    Route("/login", csrf_protect(login), methods=["GET", "POST"]),
    Route("/logout", csrf_protect(logout), methods=["POST"]),
    Route("/", home),
    Route("/my", my),
    Route("/upload", csrf_protect(upload), methods=["POST"]),
    Route("/submissions/{id:int}", submission),
    Route("/submissions/{id:int}/confirm", csrf_protect(confirm), methods=["POST"]),
    Route("/submissions/{id:int}/mark", csrf_protect(mark), methods=["POST"]),
    Route("/submissions/{id:int}/comment", csrf_protect(comment), methods=["POST"]),
    Route("/submissions/{id:int}/decide", csrf_protect(decide), methods=["POST"]),
    Route("/submissions/{id:int}/original", original),
    Route("/submissions/{id:int}/commented.docx", commented),
    Route("/submissions/{id:int}/compare", compare),
    Route("/queue", queue_page),
    Route("/roster", roster_page),
    Route("/roster/template.xlsx", roster_template),
    Route("/roster/import", csrf_protect(roster_import), methods=["POST"]),
    Route("/roster/from-store", csrf_protect(roster_from_store), methods=["POST"]),
    Route("/roster/add", csrf_protect(roster_add), methods=["POST"]),
    Route("/units/{id:int}", unit_page),
    Route("/units/{id:int}/secrecy", csrf_protect(secrecy), methods=["POST"]),
    Route("/units/{id:int}/publish", csrf_protect(publish), methods=["POST"]),
    Route("/users", users_page),
    Route("/users/{action}", csrf_protect(users_action), methods=["POST"]),
    Route("/audit", audit_page),
    Route("/audit.csv", audit_csv),
]
