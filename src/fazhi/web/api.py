"""The JSON API for scripts (`Authorization: Bearer TOKEN`; tokens from `fazhi user token`).

    POST /api/submissions                 multipart `file` (+ `unit`, `year` for staff) → 201
    GET  /api/submissions/{id}            {"id", "unit", "year", "version", "state", "report"}
    GET  /api/submissions?year=&state=&unit=       {"items": [...]}
    POST /api/submissions/{id}/review     {"decision": "approve|return", "comment", "dismissed"}
    POST /api/roster                      multipart `file` (.xlsx/.csv) and `year` → {"imported"}
    GET  /api/roster?year=                {"units": [...], "rates": {...}}

Errors are {"code", "message"} (Chinese message): 401 no or bad token, 403 wrong role, 404 not
found (also another unit's submission), 413 too large, 415 unsupported type, 422 unreadable.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from fazhi.web import roster, submissions
from fazhi.web.db import STATES, Database
from fazhi.web.http import Refused, require
from fazhi.web.roster import RosterError

STAFF = ("admin", "reviewer")


def _db(request: Request) -> Database:
    return request.app.state.db


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise Refused(422, f"年度“{value}”无效", "bad-year") from None


async def create_submission(request: Request) -> Response:
    user = require(request)
    form = await request.form(max_files=1, max_fields=10)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Refused(422, "缺少文件：请用 multipart 字段 file 上传报告", "no-file")
    data = await file.read()
    await file.close()
    unit = str(form.get("unit") or "") if user.is_staff else None
    db = _db(request)

    def work() -> dict[str, Any]:
        vid = submissions.upload(
            db, request.app.state.settings.config, user, file.filename, data, year=_year(form.get("year")), unit=unit, submit=True
        )
        return submissions.api_object(db, submissions.get(db, vid, user))

    return JSONResponse(await run_in_threadpool(work), status_code=201)


def get_submission(request: Request) -> Response:
    user = require(request)
    db = _db(request)
    return JSONResponse(submissions.api_object(db, submissions.get(db, request.path_params["id"], user)))


def list_submissions(request: Request) -> Response:
    """The current (latest submitted or decided) version of each unit's year; a unit sees its own."""
    user = require(request)
    db = _db(request)
    q = request.query_params
    conds, params = ["r.current_version IS NOT NULL"], []
    if q.get("year"):
        conds.append("r.year = ?")
        params.append(_year(q["year"]))
    if q.get("state"):
        if q["state"] not in STATES:
            raise Refused(422, f"state 只能是 {'|'.join(STATES)}", "bad-state")
        conds.append("r.state = ?")
        params.append(q["state"])
    if user.role == "unit":
        conds.append("r.unit = ?")
        params.append(user.unit)
    elif q.get("unit"):
        conds.append("r.unit = ?")
        params.append(q["unit"])
    rows = db.query(
        "SELECT v.*, r.year, r.unit FROM ws_roster r JOIN ws_versions v ON v.id = r.current_version"
        f" WHERE {' AND '.join(conds)} ORDER BY r.year DESC, r.unit LIMIT 1000",
        params,
    )
    return JSONResponse({"items": [submissions.api_object(db, dict(r)) for r in rows]})


async def review_submission(request: Request) -> Response:
    user = require(request, *STAFF)
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise Refused(422, "请求体不是有效的 JSON", "bad-json") from None
    if not isinstance(body, dict):
        raise Refused(422, "请求体应为 JSON 对象", "bad-json")
    dismissed = body.get("dismissed") or []
    if not isinstance(dismissed, list) or not all(isinstance(d, dict) for d in dismissed):
        raise Refused(422, "dismissed 应为对象列表：[{\"code\", \"start\", \"reason\"}]", "bad-dismissal")
    db = _db(request)
    vid = request.path_params["id"]

    def work() -> dict[str, Any]:
        submissions.decide(
            db, vid, user, str(body.get("decision", "")), str(body.get("comment") or ""), request.app.state.settings.config, dismissed
        )
        return submissions.api_object(db, submissions.get(db, vid, user))

    return JSONResponse(await run_in_threadpool(work))


async def import_roster(request: Request) -> Response:
    user = require(request, "admin")
    form = await request.form(max_files=1, max_fields=5)
    year = _year(form.get("year"))
    file = form.get("file")
    if year is None:
        raise Refused(422, "缺少年度：请用字段 year 指定", "no-year")
    if not isinstance(file, UploadFile) or not file.filename:
        raise Refused(422, "缺少名单文件：请用 multipart 字段 file 上传 .xlsx 或 .csv", "no-file")
    try:
        rows = roster.parse_roster(await file.read(), file.filename)
    except RosterError as exc:
        raise Refused(422, str(exc), "bad-roster") from None
    n = await run_in_threadpool(roster.upsert, _db(request), request.app.state.settings.config, year, rows, user.username)
    return JSONResponse({"imported": n})


def get_roster(request: Request) -> Response:
    require(request, *STAFF)
    year = _year(request.query_params.get("year"))
    if year is None:
        raise Refused(422, "缺少年度：?year=2025", "no-year")
    units = roster.units(_db(request), year)
    return JSONResponse(
        {
            "year": year,
            "units": [
                {
                    "unit": u["unit"], "level": u["level"], "region": u["region"], "deadline": u["deadline"], "contact": u["contact"],
                    "state": u["state"], "submitted_at": u["submitted_at"],
                    "on_time": None if u["on_time"] is None else bool(u["on_time"]),
                    "published_url": u["published_url"], "published_on": u["published_on"],
                }
                for u in units
            ],
            "rates": roster.rates(units),
        }
    )


routes = [
    Route("/api/submissions", create_submission, methods=["POST"]),
    Route("/api/submissions", list_submissions, methods=["GET"]),
    Route("/api/submissions/{id:int}", get_submission),
    Route("/api/submissions/{id:int}/review", review_submission, methods=["POST"]),
    Route("/api/roster", import_roster, methods=["POST"]),
    Route("/api/roster", get_roster, methods=["GET"]),
]
