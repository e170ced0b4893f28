"""Roles on every route, CSRF, upload limits and hostile text: what the server refuses."""

from __future__ import annotations

import re

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from fazhi.web import pages

# GET pages and who may open them: "any" = any signed-in user
GET_PAGES = {
    "/my": ("unit",),
    "/queue": ("admin", "reviewer"),
    "/roster": ("admin", "reviewer"),
    "/roster/template.xlsx": ("admin", "reviewer"),
    "/users": ("admin",),
    "/audit": ("admin",),
    "/audit.csv": ("admin",),
}


@pytest.mark.parametrize("path", sorted(GET_PAGES))
def test_pages_redirect_anonymous_users_to_login(app, path):
    r = TestClient(app, follow_redirects=False).get(path)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path,allowed", sorted(GET_PAGES.items()))
@pytest.mark.parametrize("role", ["admin", "reviewer", "unit"])
def test_pages_enforce_roles(browser, path, allowed, role):
    r = browser(role).get(path)
    if role in allowed:
        assert r.status_code == 200, r.text[:200]
    else:
        assert r.status_code == 403
        assert "没有这项操作的权限" in r.text


def test_every_post_route_checks_csrf():
    for route in pages.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            assert hasattr(route.endpoint, "__wrapped__"), f"{route.path} is not wrapped in csrf_protect"


def test_a_form_without_its_csrf_token_is_refused(browser, report_bytes):
    unit = browser("unit")
    r = unit.client.post("/upload", data={"year": "2024"}, files={"file": ("a.txt", report_bytes)})
    assert r.status_code == 403 and "CSRF" in r.text
    r = unit.client.post("/upload", data={"csrftoken": "forged", "year": "2024"}, files={"file": ("a.txt", report_bytes)})
    assert r.status_code == 403
    # a token from another session does not work either
    other = browser("other")
    other.refresh_token("/my")
    r = unit.client.post("/upload", data={"csrftoken": other.token}, files={"file": ("a.txt", report_bytes)})
    assert r.status_code == 403


def test_login_needs_the_right_password_and_a_csrf_token(app, browser):
    b = browser()
    assert b.login("unit", "wrong-password-1").status_code == 401
    assert b.get("/my").status_code == 303  # still anonymous
    bare = TestClient(app, follow_redirects=False)
    assert bare.post("/login", data={"username": "unit", "password": "correct-horse-9"}).status_code == 403
    assert b.login("unit").status_code == 303 and b.get("/my").status_code == 200


def test_session_cookie_is_httponly_and_samesite(browser):
    b = browser()
    b.refresh_token()
    r = b.client.post("/login", data={"csrftoken": b.token, "username": "unit", "password": "correct-horse-9"})
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_logout_and_disabling_end_the_session(app, browser):
    from fazhi.web import accounts

    unit = browser("unit")
    assert unit.get("/my").status_code == 200
    accounts.set_active(app.state.db, "unit", False, "admin")
    assert unit.get("/my").status_code == 303
    accounts.set_active(app.state.db, "unit", True, "admin")
    unit = browser("unit")
    unit.refresh_token("/my")
    unit.post("/logout")
    assert unit.get("/my").status_code == 303


def _upload(b, name, content, **data):
    b.refresh_token("/my" if b.get("/my").status_code == 200 else "/queue")
    return b.upload(name, content, **data)


def _only_version(app) -> int:
    return app.state.db.one("SELECT id FROM ws_versions")["id"]


def test_a_unit_cannot_see_another_units_report(app, browser, report_bytes):
    _upload(browser("unit"), "a.txt", report_bytes, year="2024")
    vid = _only_version(app)
    other = browser("other")
    for path in (f"/submissions/{vid}", f"/submissions/{vid}/original", f"/submissions/{vid}/compare", f"/submissions/{vid}/commented.docx"):
        assert other.get(path).status_code == 404, path
    rid = app.state.db.one("SELECT roster_id FROM ws_versions")["roster_id"]
    assert other.get(f"/units/{rid}").status_code == 404
    other.refresh_token("/my")
    assert other.post(f"/submissions/{vid}/confirm").status_code == 404
    assert other.post(f"/units/{rid}/secrecy", data={"who": "x"}).status_code == 404
    # and a unit may not review
    unit = browser("unit")
    unit.refresh_token("/my")
    assert unit.post(f"/submissions/{vid}/decide", data={"decision": "approve"}).status_code == 403
    assert unit.post(f"/submissions/{vid}/mark", data={"code": "S101", "start": "0", "decision": "confirm"}).status_code == 403
    assert unit.post("/roster/import", data={"year": "2024"}).status_code == 403
    assert unit.post("/users/add", data={"username": "x"}).status_code == 403


def test_reviewer_cannot_manage_users_or_roster(browser):
    r = browser("reviewer")
    r.refresh_token("/queue")
    assert r.post("/users/add", data={"username": "x", "password": "12345678", "role": "admin"}).status_code == 403
    assert r.post("/roster/add", data={"year": "2024", "unit": "某局"}).status_code == 403


def test_missing_pages_are_404_in_chinese(browser):
    r = browser("admin").get("/submissions/999999")
    assert r.status_code == 404 and "没有这份报告" in r.text
    r = browser("admin").get("/no/such/page")
    assert r.status_code == 404 and "页面不存在" in r.text


def test_oversized_upload_is_413(app, browser):
    big = b"a" * (app.state.settings.max_upload + 10)
    r = _upload(browser("unit"), "big.txt", big)
    assert r.status_code == 413 and "文件过大" in r.text
    assert app.state.db.one("SELECT count(*) FROM ws_versions")[0] == 0


def test_unsupported_type_is_refused(app, browser):
    unit = browser("unit")
    r = _upload(unit, "tool.exe", b"MZ\x90\x00")
    assert r.status_code == 303
    assert "不支持的文件类型" in unit.get("/my").text
    assert app.state.db.one("SELECT count(*) FROM ws_versions")[0] == 0


HOSTILE = (
    "<script>alert(1)</script>县司法局关于2024年法治政府建设情况的报告\n"
    "县委、县政府：\n"
    "2024年，我局<img src=x onerror=alert(2)>坚持依法行政。详见<a href=\"javascript:alert(3)\">链接</a>。\n"
    "一、主要举措和成效\n开展培训3次<svg onload=alert(4)>。\n"
)


def test_report_text_and_file_names_render_as_text(app, browser):
    unit = browser("unit")
    _upload(unit, '"><script>alert(5)</script>.txt', HOSTILE.encode("utf-8"), year="2024")
    vid = _only_version(app)
    for b, path in ((unit, f"/submissions/{vid}"), (unit, "/my"), (browser("reviewer"), "/queue?year=2024"), (browser("admin"), "/audit")):
        html = b.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<svg onload" not in html, path
        assert 'href="javascript:' not in html
    html = unit.get(f"/submissions/{vid}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    r = unit.get(f"/submissions/{vid}")
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_publication_url_must_be_http(app, browser, report_bytes):
    unit = browser("unit")
    _upload(unit, "a.txt", report_bytes, year="2024")
    rid = app.state.db.one("SELECT roster_id FROM ws_versions")["roster_id"]
    unit.refresh_token(f"/units/{rid}")
    unit.post(f"/units/{rid}/secrecy", data={"who": "李某"})
    unit.post(f"/units/{rid}/publish", data={"url": "javascript:alert(1)"})
    assert app.state.db.one("SELECT published_url FROM ws_roster WHERE id = ?", (rid,))[0] is None
    assert "公开网址应以" in unit.get(f"/units/{rid}").text


def test_csv_export_neutralises_formulas(app, browser):
    from fazhi.web import accounts

    accounts.add_user(app.state.db, "=cmd", "correct-horse-9", "reviewer", None, by="=HYPERLINK(1)")
    text = browser("admin").get("/audit.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text


def test_next_parameter_cannot_redirect_off_site(browser):
    b = browser()
    b.refresh_token("/login?next=//evil.example/x")
    r = b.client.post("/login?next=//evil.example/x", data={"csrftoken": b.token, "username": "unit", "password": "correct-horse-9"})
    assert r.status_code == 303 and r.headers["location"] == "/"


def test_tokens_do_not_open_pages_and_cookies_do_not_open_the_api(app, browser, api):
    client = api("reviewer")
    assert client.get("/queue", follow_redirects=False).status_code == 303
    b = browser("reviewer")
    assert b.get("/api/roster?year=2024").status_code == 401


def test_login_page_explains_the_first_administrator(tmp_path):
    from fazhi.web.app import Settings, create_app

    app = create_app(Settings(db=str(tmp_path / "new.db")))
    html = TestClient(app).get("/login").text
    assert "还没有任何用户" in html and "fazhi user add" in html
    assert re.search(r'name="csrftoken" value="[^"]+"', html)


def test_password_guessing_is_slowed(app, browser):
    b = browser()
    for _ in range(5):
        assert b.login("unit", "wrong-password-1").status_code == 401
    r = b.login("unit")  # even the right password waits now
    assert r.status_code == 429 and "登录失败次数过多" in r.text
    assert browser().login("reviewer").status_code == 303  # other users are not affected
    failures = app.state.db.one("SELECT count(*) FROM ws_audit WHERE action = '登录失败'")[0]
    assert failures == 5


def test_login_throttle_forgets_old_failures():
    from fazhi.web.accounts import LoginThrottle

    t = LoginThrottle(limit=2, window=0.05)
    t.failed("A")
    t.failed("a")
    assert t.blocked_for("a") > 0
    import time

    time.sleep(0.06)
    assert t.blocked_for("a") == 0
    t.failed("b")
    t.succeeded("b")
    assert t.blocked_for("b") == 0
