"""The workspace's ASGI application (Starlette): middleware, authentication, error pages.

Layers, outermost first: a body-size cap (413 before anything reads an oversized upload),
signed HttpOnly SameSite session cookies (Starlette's SessionMiddleware over itsdangerous),
CSRF tokens (Starlette-WTF: a time-signed token bound to the session, in a hidden field of every
form, checked by `csrf_protect` on every POST page route; the JSON API takes no cookies, only
`Authorization: Bearer` tokens, so it needs none), security headers.
Every route states the roles it admits (`require`); the check runs on the server for every
page, download and API call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette_wtf import CSRFProtectMiddleware

from fazhi.config import Config
from fazhi.web import accounts, api, overview_pages, pages
from fazhi.web.db import Database
from fazhi.web.http import HERE, Refused, error_html, is_api, refused
from fazhi.web.submissions import SubmissionError

DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
SESSION_HOURS = 10


@dataclass(slots=True)
class Settings:
    db: str
    max_upload: int = DEFAULT_MAX_UPLOAD
    config: Config = field(default_factory=Config)
    secure_cookies: bool = False  # set when served over https


class BodyLimit:
    """Refuse a request body larger than the cap with 413, by its Content-Length or while it
    streams in (chunked uploads), before any parser holds it."""

    def __init__(self, app: Any, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge()
            return message

        async def tracked(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: dict, send: Callable) -> None:
        mb = self.limit / 1024 / 1024
        message = f"文件过大：上传上限为 {mb:g} MB"
        if is_api(scope):
            body = json.dumps({"code": "too-large", "message": message}, ensure_ascii=False).encode()
            ctype = b"application/json"
        else:
            body = error_html(413, message).encode()
            ctype = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", ctype), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
        b" object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
]


class SecurityHeaders:
    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        async def add(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*(message.get("headers") or []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, add if scope["type"] == "http" else send)


def create_app(settings: Settings) -> Starlette:
    db = Database(settings.db)
    secret = db.setting("secret") or ""
    routes = [*pages.routes, *api.routes, *overview_pages.routes]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(BodyLimit, limit=settings.max_upload),
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=secret,
                session_cookie="fazhi_session",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=settings.secure_cookies,
            ),
            Middleware(CSRFProtectMiddleware, csrf_secret=secret, csrf_field_name="csrftoken", csrf_time_limit=SESSION_HOURS * 3600),
        ],
        exception_handlers={Refused: refused, HTTPException: refused, SubmissionError: refused, 500: refused},
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.db = db
    app.state.login_throttle = accounts.LoginThrottle()
    app.state.settings = settings
    return app

