"""End to end in a real browser (Playwright driving Debian's Chromium): the office's year.

A unit logs in, uploads a .docx, sees its findings and submits; a reviewer dismisses a finding,
comments and returns it; the unit downloads the commented Word file and uploads a fixed
version; the reviewer approves; the roster's rates change. Screenshots of the main pages go to
$FAZHI_SHOTS (default /tmp/fazhi-shots), not into the repository."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from tests.web.conftest import EXAMPLES, PASSWORD, UNIT, needs_chromium, shot

pytestmark = needs_chromium


def _docx(text: str, path: Path) -> Path:
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(str(path))
    return path


def _login(chromium, base: str, username: str):
    """A new page in its own browser context (its own cookies), signed in as `username`."""
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('登录')")
    return page


def test_a_year_in_the_browser(app, live_server, chromium, tmp_path):
    base = live_server
    draft = _docx((EXAMPLES / "township_2024_defects.txt").read_text(encoding="utf-8").replace("龙泉关镇人民政府", UNIT), tmp_path / "报告.docx")
    fixed = _docx((EXAMPLES / "clean_county_justice_2024.txt").read_text(encoding="utf-8"), tmp_path / "报告（修改稿）.docx")
    roster_csv = tmp_path / "名单.csv"
    roster_csv.write_text("单位名称,层级,地区,截止日期,联系人\n蒲江县司法局,县级,四川省成都市蒲江县,2099-03-01,王某 028-1234567\n某某县民政局,县级,,,李某\n", encoding="utf-8")

    # the administrator imports the roster
    admin = _login(chromium, base, "admin")
    admin.goto(f"{base}/roster?year=2024")
    shot(admin, "01-roster-empty")
    admin.set_input_files("form[action='/roster/import'] input[type=file]", str(roster_csv))
    admin.click("form[action='/roster/import'] button")
    admin.wait_for_selector("text=已导入 2 个单位")
    assert admin.inner_text(".tiles").count("0%") >= 3
    shot(admin, "02-roster")

    # the unit uploads a .docx, sees its findings, and submits
    unit = _login(chromium, base, "unit")
    assert "/my" in unit.url
    shot(unit, "03-my-empty")
    unit.fill("form.upload input[name=year]", "2024")
    unit.set_input_files("form.upload input[type=file]", str(draft))
    unit.click("form.upload button.primary")
    unit.wait_for_url("**/submissions/*")
    assert unit.locator("li.finding").count() > 0
    assert unit.locator("text=规定要求的部分").count() == 1
    shot(unit, "04-draft-preview")
    unit.click("button:has-text('确认报送')")
    unit.wait_for_selector("text=已报送。")
    first_url = unit.url

    # the reviewer finds it in the queue, dismisses a finding, comments, returns it
    reviewer = _login(chromium, base, "reviewer")
    reviewer.goto(f"{base}/queue?year=2024")
    shot(reviewer, "05-queue")
    reviewer.click("table.grid a:text-is('审核')")
    reviewer.wait_for_url("**/submissions/*")
    shot(reviewer, "06-review")
    finding = reviewer.locator("li.finding").first
    message = finding.locator(".msg").inner_text()
    finding.locator("input[name=reason]").fill("属于正常表述")
    finding.locator("button:has-text('不采纳')").click()
    reviewer.wait_for_selector("text=不采纳：属于正常表述")
    # select words in the text with the mouse: the comment form gets their offsets
    target = reviewer.locator("#doc p").nth(2)
    box = target.bounding_box()
    reviewer.mouse.move(box["x"] + 2, box["y"] + 8)
    reviewer.mouse.down()
    reviewer.mouse.move(box["x"] + 160, box["y"] + 8)
    reviewer.mouse.up()
    assert reviewer.input_value("#comment-form input[name=start]") != ""
    reviewer.fill("#comment-form textarea[name=body]", "请补充具体数据和案例")
    reviewer.click("#comment-form button")
    reviewer.wait_for_selector("text=已添加审核意见")
    reviewer.fill(".decide textarea[name=summary]", "请补充不足的原因分析，并核对引用的法律名称")
    reviewer.click(".decide button:has-text('退回修改')")
    reviewer.wait_for_selector("text=已退回修改")
    shot(reviewer, "07-returned")

    # the unit downloads the commented Word file
    unit.goto(first_url)
    unit.wait_for_selector("text=退回修改")
    with unit.expect_download() as info:
        unit.click("a:has-text('下载带批注的 Word 文件')")
    word = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    comments = [c.text for c in word.comments]
    assert any("请补充具体数据和案例" in c for c in comments)
    assert any("请补充不足的原因分析" in c for c in comments)
    assert not any(message in c for c in comments)
    shot(unit, "08-unit-returned")

    # and uploads a fixed version, which it submits
    unit.goto(f"{base}/my")
    unit.fill("form.upload input[name=year]", "2024")
    unit.set_input_files("form.upload input[type=file]", str(fixed))
    unit.click("form.upload button.primary")
    unit.wait_for_url("**/submissions/*")
    unit.click("button:has-text('确认报送')")
    unit.wait_for_selector("text=已报送。")

    # the reviewer compares the versions and approves
    reviewer.goto(f"{base}/queue?year=2024&state=submitted")
    reviewer.click("table.grid a:text-is('审核')")
    reviewer.click("a:has-text('与上一版比较')")
    reviewer.wait_for_selector("text=新版本改正的问题")
    shot(reviewer, "09-compare")
    reviewer.go_back()
    reviewer.click(".decide button:has-text('通过')")
    reviewer.wait_for_selector("text=已审核通过")

    # the roster's rates follow
    admin.goto(f"{base}/roster?year=2024")
    tiles = admin.inner_text(".tiles")
    assert "50%" in tiles and "1/2" in tiles
    shot(admin, "10-roster-after")
    assert app.state.db.one("SELECT state FROM ws_roster WHERE unit = ?", (UNIT,))[0] == "approved"
