"""What every route of the workspace shares: who the user is, role checks, page rendering and
the Chinese error pages and JSON errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette_wtf import csrf_token
from starlette_wtf.csrf import CSRFError

from fazhi.version import __version__
from fazhi.web import accounts
from fazhi.web.accounts import User
from fazhi.web.db import ROLE_LABELS, STATE_LABELS, Database
from fazhi.web.roster import LEVEL_LABELS

HERE = Path(__file__).parent


class Refused(Exception):
    """A request refused with a status and a Chinese message (and a stable code for the API)."""

    def __init__(self, status: int, message: str, code: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or {401: "unauthorized", 403: "forbidden", 404: "not-found"}.get(status, "error")


def is_api(request_or_scope: Any) -> bool:
    scope = request_or_scope if isinstance(request_or_scope, dict) else request_or_scope.scope
    return scope["path"].startswith("/api/")


def current_user(request: Request) -> User | None:
    """The user of this request: on the JSON API only from its Bearer token (so no cookie can act
    there for a user, and the API needs no CSRF token); on pages only from the session cookie."""
    db: Database = request.app.state.db
    if is_api(request):
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return accounts.by_token(db, token.strip())
    uid, sv = request.session.get("uid"), request.session.get("sv")
    if not isinstance(uid, int):
        return None
    user = accounts.by_id(db, uid)
    if user is None or user.session_version != sv:
        return None
    return user


def require(request: Request, *roles: str) -> User:
    """The request's user if it has one of `roles` (any role when none given); else 401/403."""
    user = current_user(request)
    if user is None:
        raise Refused(401, "请先登录" if not is_api(request) else "缺少或无效的接口令牌（Authorization: Bearer …）")
    if roles and user.role not in roles:
        raise Refused(403, "您的账号没有这项操作的权限")
    return user


templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True), trim_blocks=True, lstrip_blocks=True)
templates.globals.update(STATE_LABELS=STATE_LABELS, ROLE_LABELS=ROLE_LABELS, LEVEL_LABELS=LEVEL_LABELS, version=__version__)


def error_html(status: int, message: str, user: User | None = None) -> str:
    return templates.get_template("error.html").render(status=status, message=message, user=user, csrf="")


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with the user, the CSRF token and flash messages."""
    context.setdefault("user", current_user(request))
    flash = request.session.pop("flash", None)
    html = templates.get_template(name).render(request=request, csrf=csrf_token(request), flash=flash, **context)
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def flash(request: Request, message: str, kind: str = "ok") -> None:
    request.session["flash"] = {"message": message, "kind": kind}


async def refused(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status", None) or getattr(exc, "status_code", 500)
    message = getattr(exc, "message", None) or getattr(exc, "detail", None) or "出错了"
    if status == 404 and isinstance(exc, HTTPException):
        message = "页面不存在"
    if status == 405 and isinstance(exc, HTTPException):
        message = "不支持这种请求方式"
    if status >= 500 and not hasattr(exc, "message"):
        message = "服务器内部错误，请联系管理员（详情见服务器日志）"
    if isinstance(exc, CSRFError):
        message, code = "表单已过期或来源无效（CSRF 校验失败）：请刷新页面后重新提交", "csrf"
    else:
        code = getattr(exc, "code", None)
    code = code or {401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed"}.get(status, "error")
    if is_api(request):
        return JSONResponse({"code": code, "message": message}, status_code=status)
    if status == 401:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
    user = current_user(request) if status != 500 else None
    return HTMLResponse(error_html(status, str(message), user), status_code=status)


