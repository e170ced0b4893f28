"""The overview in a real browser (Playwright driving Debian's Chromium): open a seeded year,
follow a figure to its units and a problem to its reports, download the 通报 and the Excel files.
Screenshots at 1366×768 go to /tmp/fazhi-shots/ (not committed) to be looked at."""

from __future__ import annotations

import json
import re
import urllib.request

import docx
import pytest
from openpyxl import load_workbook

from fazhi.web import accounts
from fazhi.web.app import Settings, create_app
from tests.web.conftest import PASSWORD, needs_chromium, serving, shot
from tests.web.overview_seed import APPROVED, LATE, MISSING, RETURNED, YEAR, seed

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = create_app(Settings(db=str(tmp_path_factory.mktemp("browser-overview") / "工作台.db")))
    for name, role, unit in (("admin", "admin", None), ("reviewer", "reviewer", None)):
        accounts.add_user(app.state.db, name, PASSWORD, role, unit)
    seed(app)
    with serving(app) as url:
        yield {"url": url, "app": app}


def _shot(page, name: str) -> None:
    shot(page, f"overview-{name}", full_page=True)


def _signed_in(chromium, url: str, who: str, **options):
    """A 1366×768 page of a new browser context, signed in as `who`."""
    ctx = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN", **options)
    page = ctx.new_page()
    page.goto(f"{url}/login")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], form button")
    page.wait_for_load_state()
    return ctx, page


def test_overview_figures_reports_and_downloads(server, chromium, tmp_path):
    url = server["url"]
    ctx, page = _signed_in(chromium, url, "reviewer", accept_downloads=True)
    page.wait_for_url(re.compile(r".*/queue.*"))

    page.click("header nav >> text=年度概况")
    page.wait_for_url(re.compile(r".*/overview.*"))
    assert page.locator("h1").inner_text().startswith(f"{YEAR} 年度概况")
    _shot(page, "page")

    # the rates shown equal the API's
    token = accounts.new_token(server["app"].state.db, "reviewer")
    req = urllib.request.Request(f"{url}/api/overview?year={YEAR}", headers={"Authorization": f"Bearer {token}"})
    api = json.loads(urllib.request.urlopen(req).read())
    tiles = {
        page.locator(".tile .label").nth(i).inner_text(): page.locator(".tile .value").nth(i).inner_text()
        for i in range(page.locator(".tile").count())
    }
    for label, key in (("报送率", "submitted"), ("按时报送率", "on_time"), ("通过率", "approved"), ("公开率", "published"), ("按时公开率", "published_on_time")):
        assert tiles[label] == f"{api['rates'][key] * 100:.1f}%"

    # a figure leads to the units behind it
    page.click("p.counts >> text=逾期报送")
    page.wait_for_url(re.compile(r".*/overview/units.*show=late.*"))
    listed = page.locator("table.grid tbody").inner_text()
    assert LATE in listed and APPROVED not in listed
    _shot(page, "units-late")
    page.go_back()
    page.click("p.counts >> text=未报送")
    assert MISSING in page.locator("table.grid tbody").inner_text()
    page.go_back()

    # a problem leads to the queue of the reports that have it
    first = page.locator("section.card:has(h2:has-text('最常见的问题')) table.grid tbody tr").first
    first.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/queue\?.*rule=.*"))
    queue = page.locator("table.grid tbody").inner_text()
    assert any(u in queue for u in (APPROVED, RETURNED, LATE)) and MISSING not in queue
    _shot(page, "queue-rule")
    page.go_back()

    # the 通报 draft, named examples off by default
    page.fill("input[name=office]", "某某县委全面依法治县委员会办公室")
    with page.expect_download() as dl:
        page.click("section.tongbao button.primary")
    path = tmp_path / "通报.docx"
    dl.value.save_as(path)
    assert dl.value.suggested_filename.endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert LATE in text and MISSING in text and "某某县委全面依法治县委员会办公室" in text

    # the Excel files: the year's reports, and this page's tables
    with page.expect_download() as dl:
        page.click("text=导出报告明细（Excel）")
    dl.value.save_as(tmp_path / "明细.xlsx")
    assert load_workbook(tmp_path / "明细.xlsx").sheetnames == ["报告", "问题清单"]
    with page.expect_download() as dl:
        page.click("text=下载本页表格（Excel）")
    dl.value.save_as(tmp_path / "概况.xlsx")
    assert "报送与公开" in load_workbook(tmp_path / "概况.xlsx").sheetnames

    # how it prints
    page.emulate_media(media="print")
    _shot(page, "print")
    page.emulate_media(media="screen")
    ctx.close()


def test_other_pages_render_for_screenshots(server, chromium):
    """The ranking and corpus pages at 1366×768 (looked at by hand; the checks here are light)."""
    url = server["url"]
    ctx, page = _signed_in(chromium, url, "admin")
    page.goto(f"{url}/ranking?year={YEAR}")
    assert MISSING in page.locator("section.card:has(h2:has-text('未排名'))").inner_text()
    _shot(page, "ranking")
    page.goto(f"{url}/corpus/search?q=行政执法")
    assert page.locator("mark.hit").count() > 0
    _shot(page, "search")
    page.goto(f"{url}/corpus/duplicates")
    page.click("text=开始查重")
    page.wait_for_url(re.compile(r".*/corpus/duplicates$"))
    _shot(page, "duplicates")
    page.locator("table.grid tbody a").first.click()
    page.wait_for_url(re.compile(r".*/corpus/compare\?a=.*"))
    assert page.locator("mark.shared").count() > 0
    _shot(page, "compare")
    page.goto(f"{url}/corpus/history?unit={APPROVED}")
    _shot(page, "history")
    page.goto(f"{url}/corpus/followup?year={YEAR}&unit={APPROVED}")
    _shot(page, "followup")
    ctx.close()


def test_search_page_with_reports_not_yet_searchable(server, chromium, monkeypatch):
    """The notice of the search page when a `fazhi index` holds the file with full-text rows still
    pending, then the same search once they are added."""
    import sqlite3

    from fazhi.corpus import search as search_module
    from tests.web.test_overview import _leave_pending

    url, app = server["url"], server["app"]
    word = app.state.db.one("SELECT substr(text, 40, 6) FROM reports WHERE length(text) > 100 LIMIT 1")[0]
    _leave_pending(app.state.db.path, word)
    monkeypatch.setattr(search_module, "FTS_WAIT", 0.05)
    ctx, page = _signed_in(chromium, url, "reviewer")
    writer = sqlite3.connect(app.state.db.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an index run writing the file
    try:
        page.goto(f"{url}/corpus/search?q={word}")
        assert "份报告尚未建立全文索引" in page.inner_text("main")
        _shot(page, "search-pending")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    page.goto(f"{url}/corpus/search?q={word}")
    assert "尚未建立全文索引" not in page.inner_text("main") and page.locator("mark.hit").count() >= 1
    _shot(page, "search-completed")
    ctx.close()
