"""Fixtures for the workspace: an app on a temporary database with one user of each role, and a
client that logs in and carries the CSRF token like a browser."""

from __future__ import annotations

import os
import re
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from fazhi.web import accounts
from fazhi.web.app import Settings, create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct-horse-9"
UNIT = "蒲江县司法局"
OTHER_UNIT = "龙泉关镇人民政府"


class Browser:
    """A TestClient that behaves like a logged-in browser: it fetches a page to get the CSRF
    cookie and sends the token with every form."""

    def __init__(self, app, username: str | None = None):
        self.client = TestClient(app, follow_redirects=False)
        self.token = ""
        if username:
            self.login(username)

    def refresh_token(self, path: str = "/login") -> str:
        html = self.client.get(path).text
        m = re.search(r'name="csrftoken" value="([^"]+)"', html)
        self.token = m.group(1) if m else ""
        return self.token

    def login(self, username: str, password: str = PASSWORD):
        self.refresh_token()
        return self.client.post("/login", data={"csrftoken": self.token, "username": username, "password": password})

    def get(self, path: str, **kw):
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, files=None, **kw):
        if not self.token:
            self.refresh_token()
        fields = {"csrftoken": self.token, **(data or {})}
        return self.client.post(path, data=fields, files=files, **kw)

    def upload(self, name: str, content: bytes, **data):
        # the token field must come before the file in the multipart body (asgi-csrf reads it first)
        return self.post("/upload", data=data, files={"file": (name, content)})


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2 at its lowest cost: the tests hash dozens of passwords; production keeps the defaults."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "工作台.db"), max_upload=2 * 1024 * 1024)


@pytest.fixture
def app(settings):
    app = create_app(settings)
    db = app.state.db
    accounts.add_user(db, "admin", PASSWORD, "admin", None)
    accounts.add_user(db, "reviewer", PASSWORD, "reviewer", None)
    accounts.add_user(db, "unit", PASSWORD, "unit", UNIT)
    accounts.add_user(db, "other", PASSWORD, "unit", OTHER_UNIT)
    return app


@pytest.fixture
def browser(app):
    return lambda username=None: Browser(app, username)


@pytest.fixture
def api(app):
    """A client authenticated by API token: api("reviewer").get(...)."""

    def make(username: str) -> TestClient:
        token = accounts.new_token(app.state.db, username)
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def report_bytes() -> bytes:
    return (EXAMPLES / "clean_county_justice_2024.txt").read_bytes()


@pytest.fixture
def defects_bytes() -> bytes:
    return (EXAMPLES / "township_2024_defects.txt").read_bytes()


@contextmanager
def serving(app):
    """The app served by uvicorn on a free local port, in a thread: yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the test server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    with serving(app) as url:
        yield url


CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
SHOTS = Path(os.environ.get("FAZHI_SHOTS", "/tmp/fazhi-shots"))
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright (Playwright's own browser download does not work
    offline), headless, with the background networking a closed network refuses turned off."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield b
        b.close()


def shot(page, name: str, full_page: bool = False) -> None:
    """A screenshot at $FAZHI_SHOTS for people to look at (not committed); a busy machine's
    failure to take one fails nothing."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page, timeout=15000)
    except Exception as exc:  # playwright's Error or TimeoutError
        warnings.warn(f"screenshot {name} not taken: {exc}")
