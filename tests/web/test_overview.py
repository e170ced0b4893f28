"""The overview, ranking, 通报, Excel downloads and corpus views over HTTP, with the role rules."""

from __future__ import annotations

import io
import re

import docx
import pytest
from docx.shared import Pt
from openpyxl import load_workbook
from starlette.testclient import TestClient

from fazhi.corpus.stats import corpus_stats
from fazhi.corpus.store import Store
from fazhi.web import overview as ov
from fazhi.web import accounts
from fazhi.web.app import Settings, create_app
from fazhi.web.charts import Bar, hbars
from tests.web.conftest import PASSWORD, UNIT, Browser
from tests.web.overview_seed import APPROVED, EXAMPLES, LATE, MISSING, RETURNED, YEAR, seed

PAGES = [
    f"/overview?year={YEAR}",
    f"/overview/units?year={YEAR}&show=late",
    f"/overview/tongbao.docx?year={YEAR}",
    f"/overview/export.xlsx?year={YEAR}",
    f"/overview?year={YEAR}&format=xlsx",
    f"/ranking?year={YEAR}",
    f"/ranking?year={YEAR}&format=xlsx",
    "/corpus/search?q=行政执法",
    "/corpus/duplicates",
    f"/corpus/compare?unit_a={APPROVED}&year_a={YEAR - 1}&unit_b={APPROVED}&year_b={YEAR}",
    f"/corpus/followup?year={YEAR}",
    f"/corpus/followup?year={YEAR}&unit={APPROVED}",
    f"/corpus/history?unit={APPROVED}",
]


@pytest.fixture
def seeded(app):
    """A fresh seeded workspace, for tests that change it."""
    return seed(app)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """One seeded workspace for the tests that only read (seeding runs real checks)."""
    app = create_app(Settings(db=str(tmp_path_factory.mktemp("overview") / "工作台.db")))
    for name, role, unit in (("admin", "admin", None), ("reviewer", "reviewer", None), ("unit", "unit", UNIT)):
        accounts.add_user(app.state.db, name, PASSWORD, role, unit)
    data = seed(app)
    clients: dict = {}

    def browser(username=None):
        if username not in clients:
            clients[username] = Browser(app, username)
        return clients[username]

    def api(username):
        token = accounts.new_token(app.state.db, username)
        return TestClient(app, headers={"Authorization": f"Bearer {token}"})

    return {"app": app, "browser": browser, "api": api, "seed": data}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_and_download_is_for_staff_only(shared, path):
    browser = shared["browser"]
    for who in ("reviewer", "admin"):
        r = browser(who).get(path)
        assert r.status_code == 200, (who, path, r.text[:500])
    assert browser("unit").get(path).status_code == 403
    anonymous = browser().get(path)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")


def test_api_overview_contract(shared):
    api = shared["api"]
    seeded = shared["seed"]
    r = api("reviewer").get(f"/api/overview?year={YEAR}")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"year", "rates", "overdue", "top_problems", "ranking"}
    assert body["year"] == YEAR
    # the same rates as /api/roster (one implementation: roster.rates)
    assert body["rates"] == api("admin").get(f"/api/roster?year={YEAR}").json()["rates"]
    assert body["rates"]["counts"] == {"total": 4, "submitted": 3, "on_time": 2, "approved": 1, "published": 1, "published_on_time": 1}
    overdue = {(e["unit"], e["state"]) for e in body["overdue"]}
    assert (MISSING, "missing") in overdue and (LATE, "late") in overdue and (RETURNED, "unpublished") in overdue
    assert all(set(e) == {"unit", "state", "contact"} for e in body["overdue"])
    assert next(e for e in body["overdue"] if e["unit"] == MISSING)["contact"] == "钱某 028-0000004"
    ranked = [e["unit"] for e in body["ranking"]]
    assert MISSING not in ranked and set(ranked) == {APPROVED, RETURNED, LATE}
    assert [e["rank"] for e in body["ranking"]] == [1, 2, 3]
    assert body["ranking"] == sorted(body["ranking"], key=lambda e: -e["score"])
    top = body["top_problems"]
    assert top and all({"name", "reports", "share", "dismissal_rate"} <= set(t) for t in top)
    assert all(0 < t["share"] <= 1 for t in top)
    # the finding dismissed in the return review gives its rule a dismissal rate above 0
    dismissed = seeded["dismissed"]["code"]
    rates = {t["code"]: t["dismissal_rate"] for t in top}
    if dismissed in rates:
        assert rates[dismissed] > 0


def test_api_roles_and_bad_year(shared):
    api = shared["api"]
    app = shared["app"]
    assert api("unit").get(f"/api/overview?year={YEAR}").status_code == 403
    assert api("unit").get(f"/api/tongbao?year={YEAR}").status_code == 403
    assert TestClient(app).get(f"/api/overview?year={YEAR}").status_code == 401
    r = api("reviewer").get("/api/overview?year=abc")
    assert r.status_code == 422 and r.json()["code"] == "bad-year"
    r = api("reviewer").get(f"/api/tongbao?year={YEAR}")
    assert r.status_code == 200 and r.content[:2] == b"PK"


def _tile_rates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="label">([^<]+)</span>\s*<span class="value">([^<]+)</span>', html))


def test_rates_on_the_page_equal_the_api(shared):
    browser = shared["browser"]
    api = shared["api"]
    html = browser("reviewer").get(f"/overview?year={YEAR}").text
    rates = api("reviewer").get(f"/api/overview?year={YEAR}").json()["rates"]
    shown = _tile_rates(html)
    for label, key in (("报送率", "submitted"), ("按时报送率", "on_time"), ("通过率", "approved"), ("公开率", "published"), ("按时公开率", "published_on_time")):
        assert shown[label] == f"{rates[key] * 100:.1f}%"
    # with the previous year beside them
    assert "与 2023 年度比较" in html and "上年" in html


def test_figures_are_computed_by_fazhi_stats(shared):
    """The page's report figures are corpus_stats (the code of `fazhi stats`) over the year's
    workspace records, not a second implementation."""
    app = shared["app"]
    db = app.state.db
    data = ov.overview(db, app.state.settings.config, YEAR)
    with Store.open(db.path, readonly=True) as store:
        expected = corpus_stats(store, app.state.settings.config, prefix=f"工作台/{YEAR}/")
        everything = corpus_stats(store, app.state.settings.config)
    assert data["stats"] == expected
    assert expected["readable"] == 3 and everything["readable"] == 4  # the 2023 record is not this year's
    assert [p["present"] for p in data["parts"]] == [v["present"] for v in expected["parts"].values()]
    by_code = {f["code"]: f["reports"] for f in expected["findings"]}
    assert all(t["reports"] == by_code[t["code"]] for t in data["top_problems"])


def test_overview_links_every_figure_to_its_units(shared):
    browser = shared["browser"]
    b = browser("reviewer")
    html = b.get(f"/overview?year={YEAR}").text
    assert f'href="/overview/units?year={YEAR}&amp;show=late"' in html
    assert f"/queue?year={YEAR}&amp;rule=" in html
    late = b.get(f"/overview/units?year={YEAR}&show=late").text
    assert LATE in late and APPROVED not in late
    missing = b.get(f"/overview/units?year={YEAR}&show=missing").text
    assert MISSING in missing and LATE not in missing
    scores = b.get(f"/overview/units?year={YEAR}&score_lo=0").text
    assert APPROVED in scores and MISSING not in scores
    nothing = b.get(f"/overview/units?year={YEAR}&score_lo=0&score_hi=1").text
    assert APPROVED not in nothing and "无" in nothing


def test_overdue_list_shows_contacts(shared):
    browser = shared["browser"]
    html = browser("reviewer").get(f"/overview?year={YEAR}").text
    assert "钱某 028-0000004" in html and "未报送" in html and "逾期报送" in html and "未公开" in html


def _docx(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def test_tongbao_docx_layout_and_content(shared):
    browser = shared["browser"]
    r = browser("reviewer").get(f"/overview/tongbao.docx?year={YEAR}&office=某某县依法治县办")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    d = _docx(r.content)
    sec = d.sections[0]
    mm = lambda *values: [round(v.mm, 1) for v in values]  # noqa: E731  (Word keeps twips)
    assert mm(sec.page_width, sec.page_height) == [210, 297]
    assert mm(sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin) == [37, 35, 28, 26]
    paras = [p for p in d.paragraphs if p.text.strip()]
    title = paras[0]
    assert title.text == f"关于{YEAR}年度法治政府建设年度报告\n报送情况的通报"  # broken at a whole phrase
    assert title.runs[0].font.size == Pt(22)
    assert title.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    assert paras[1].text == "各有关单位："
    text = "\n".join(p.text for p in paras)
    for heading in ("一、总体情况", "二、存在的问题", "三、通报表扬", "四、工作要求", "（一）报送不及时"):
        assert heading in text
    assert LATE in text and MISSING in text  # the late and the missing units are named
    assert RETURNED in text  # not published
    assert "报送率75.0%" in text
    assert paras[-2].text == "某某县依法治县办"
    # the date starts two characters right of the signature's first character
    sign_start = 156 / 25.4 * 72 - 16 * 2 - 16 * len("某某县依法治县办")
    assert abs(paras[-1].paragraph_format.left_indent.pt - (sign_start + 32)) < 0.5
    assert re.fullmatch(r"20\d\d年[1-9]\d?月[1-9]\d?日", paras[-1].text)  # Arabic digits, no leading zeros
    assert d.settings.odd_and_even_pages_header_footer  # page numbers right on odd pages, left on even
    assert "PAGE" in sec.footer._element.xml and "PAGE" in sec.even_page_footer._element.xml
    body = paras[3].runs[0]
    assert body.font.size == Pt(16)
    # examples are anonymised unless asked
    assert "如某县级单位报告中" in text or "如某乡镇单位报告中" in text
    named = "\n".join(p.text for p in _docx(browser("reviewer").get(f"/overview/tongbao.docx?year={YEAR}&named=1").content).paragraphs)
    assert re.search(rf"如({APPROVED}|{RETURNED}|{LATE})报告中", named)


def test_tongbao_masks_names_in_examples():
    from fazhi.web.tongbao import _mask, sentence_around

    assert _mask("阜平县龙泉关镇人民政府全年办理", "龙泉关镇人民政府", ("河北省", "保定市", "阜平县", "龙泉关镇")) == "某全年办理"
    text = "第一句话。县司法局办理“首违不罚”案件20件；第三句。"
    assert sentence_around(text, 8, 12) == "县司法局办理‘首违不罚’案件20件"
    assert sentence_around("其一。全年办结案件12件。其三。", 5, 9) == "全年办结案件12件"  # no 。 before the closing quote


def test_excel_downloads_hold_the_page_tables(shared):
    browser = shared["browser"]
    b = browser("reviewer")
    wb = load_workbook(io.BytesIO(b.get(f"/overview?year={YEAR}&format=xlsx").content))
    assert wb.sheetnames[:3] == ["报送与公开", "逾期与未公开", "得分分布"]
    ws = wb["报送与公开"]
    assert ws["A1"].value == "指标" and ws["A2"].value == "报送率" and ws["D2"].value == 0.75 and ws["D2"].number_format == "0.0%"
    export = load_workbook(io.BytesIO(b.get(f"/overview/export.xlsx?year={YEAR}").content))
    assert export.sheetnames == ["报告", "问题清单"]
    assert export["报告"].max_row == 1 + 3  # header + the year's three reports
    ranking = load_workbook(io.BytesIO(b.get(f"/ranking?year={YEAR}&format=xlsx").content))
    rows = list(ranking["排名"].iter_rows(values_only=True))
    assert rows[0][:2] == ("名次", "单位") and len(rows) == 4
    rest = list(ranking["未排名"].iter_rows(values_only=True))
    assert rest[1][0] == MISSING and rest[1][3] == "未报送"


def test_ranking_ties_share_a_rank_and_missing_units_are_not_ranked():
    units = [
        {"id": i, "unit": name, "level": "county", "region": None, "state": state, "on_time": 1, "published_url": None, "contact": None}
        for i, (name, state) in enumerate([("甲", "approved"), ("乙", "submitted"), ("丙", "approved"), ("丁", "returned"), ("戊", "missing")])
    ]
    scores = {"甲": {"id": 1, "score": 80.0}, "乙": {"id": 2, "score": 90.0}, "丙": {"id": 3, "score": 80.0}, "丁": {"id": 4, "score": 70.0}}
    ranked = ov.ranking(units, scores)
    assert [(r["unit"], r["rank"]) for r in ranked] == [("乙", 1), ("丙", 2), ("甲", 2), ("丁", 4)]
    assert [u["unit"] for u in ov.unranked(units, ranked)] == ["戊"]


def test_ranking_page_filters_and_lists_missing_separately(shared):
    browser = shared["browser"]
    b = browser("reviewer")
    html = b.get(f"/ranking?year={YEAR}").text
    assert "未排名" in html and MISSING in html.split("未排名", 1)[1]
    township = b.get(f"/ranking?year={YEAR}&level=township").text
    assert RETURNED in township and LATE not in township
    by_part = b.get(f"/ranking?year={YEAR}&by=candour").text
    assert "按问题剖析" in by_part


def test_region_groups_break_down_below_the_common_place():
    units = [
        {"unit": "甲县司法局", "region": "四川省成都市蒲江县"},
        {"unit": "乙县民政局", "region": "四川省成都市邛崃市"},
        {"unit": "成都市司法局", "region": "四川省成都市"},
    ]
    assert ov.region_groups(units) == {"甲县司法局": "蒲江县", "乙县民政局": "邛崃市", "成都市司法局": "四川省成都市本级"}


def test_search_page_uses_the_search_filters_and_escapes_text(browser, app, seeded):
    b = browser("reviewer")
    html = b.get("/corpus/search?q=行政执法").text
    assert '<mark class="hit">行政执法</mark>' in html
    assert "找到" in html
    none = b.get(f"/corpus/search?q=行政执法&year={YEAR - 5}").text
    assert "没有找到" in none
    bad = b.get("/corpus/search?q=行政执法&year=abc").text
    assert "年度填写有误" in bad
    # a report's text is shown as text
    from fazhi.web import submissions
    from fazhi.web.accounts import by_name

    admin = by_name(app.state.db, "admin")
    text = (app.state.db.one("SELECT text FROM ws_versions LIMIT 1")[0] + "\n另见<script>alert(1)</script>与<img src=x onerror=alert(2)>。\n").encode()
    submissions.upload(app.state.db, app.state.settings.config, admin, "x.txt", text, year=YEAR, unit="测试单位", submit=True)
    html = b.get("/corpus/search?q=alert").text
    assert "<script>alert" not in html and "onerror=alert" not in html.replace("&lt;", "")
    assert "&lt;script&gt;" in html or "&lt;img" in html


def test_duplicates_run_by_admin_then_side_by_side(browser, seeded):
    admin, reviewer = browser("admin"), browser("reviewer")
    assert "尚未查重" in reviewer.get("/corpus/duplicates").text
    reviewer.refresh_token("/corpus/duplicates")
    assert reviewer.post("/corpus/duplicates/run").status_code == 403
    assert admin.client.post("/corpus/duplicates/run", data={}).status_code == 403  # no CSRF token
    admin.refresh_token("/corpus/duplicates")
    r = admin.post("/corpus/duplicates/run")
    assert r.status_code == 303
    html = reviewer.get("/corpus/duplicates").text
    assert "段落雷同" in html or "重复报送" in html
    link = re.search(r'href="(/corpus/compare\?a=\d+&amp;b=\d+)"', html).group(1).replace("&amp;", "&")
    page = reviewer.get(link).text
    assert 'class="shared"' in page and "共有雷同段落" in page


def test_compare_marks_shared_passages(shared):
    browser = shared["browser"]
    html = browser("reviewer").get(f"/corpus/compare?unit_a={APPROVED}&year_a={YEAR - 1}&unit_b={APPROVED}&year_b={YEAR}").text
    # the seed's report of the year before shares most of its text
    assert html.count('<mark class="shared"') > 2
    assert "<p>全年组织开展执法人员轮训三期" in html  # the rewritten paragraph is not marked
    unknown = browser("reviewer").get(f"/corpus/compare?unit_a=没有的单位&year_a={YEAR}&unit_b={RETURNED}&year_b={YEAR}")
    assert unknown.status_code == 200 and "没有找到 没有的单位" in unknown.text
    assert browser("reviewer").get("/corpus/compare?a=999999&b=999998").status_code == 404


def test_followup_and_history(shared):
    browser = shared["browser"]
    b = browser("reviewer")
    html = b.get(f"/corpus/followup?year={YEAR}&unit={APPROVED}").text
    assert "已见跟进" in html or "未见跟进" in html
    assert f"{YEAR - 1} 年度报告列出的不足和下一年安排" in html
    listing = b.get(f"/corpus/followup?year={YEAR}").text
    assert APPROVED in listing
    missing = b.get(f"/corpus/followup?year={YEAR}&unit={LATE}").text
    assert "无法对照跟进情况" in missing
    hist = b.get(f"/corpus/history?unit={APPROVED}").text
    assert f"{YEAR - 1}" in hist and f"{YEAR}" in hist and "历年总分" in hist and "<svg" in hist
    assert b.get("/corpus/history?unit=没有的单位").status_code == 404


def test_chart_labels_are_escaped():
    svg = str(hbars([Bar("<script>x</script>", 0.5, "50%", "/a?b=1&c=2")], title="t"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "/a?b=1&amp;c=2" in svg


def test_empty_year_tells_the_next_step(shared):
    browser = shared["browser"]
    html = browser("reviewer").get("/overview?year=2030").text
    assert "2030 年度尚无报送名单" in html


def test_figures_follow_every_change(api, app, seeded):
    """The figures are kept between requests, and computed again after any change."""
    from fazhi.web import submissions
    from fazhi.web.accounts import by_name

    client = api("reviewer")
    before = client.get(f"/api/overview?year={YEAR}").json()
    kept = ov.overview(app.state.db, app.state.settings.config, YEAR)
    Browser(app, "unit")  # signing in changes no figure: they are kept
    assert ov.overview(app.state.db, app.state.settings.config, YEAR) is kept
    assert client.get(f"/api/overview?year={YEAR}").json() == before
    admin = by_name(app.state.db, "admin")
    text = (EXAMPLES / "clean_county_justice_2024.txt").read_bytes()
    submissions.upload(app.state.db, app.state.settings.config, admin, "新单位.txt", text, year=YEAR, unit="某某县交通运输局", submit=True)
    after = client.get(f"/api/overview?year={YEAR}").json()
    assert after["rates"]["counts"]["total"] == before["rates"]["counts"]["total"] + 1
    assert after["rates"]["counts"]["submitted"] == before["rates"]["counts"]["submitted"] + 1
    assert "某某县交通运输局" in [r["unit"] for r in after["ranking"]]
    # a dismissal (audited) changes the dismissal rate shown at once
    vid = seeded["ids"][RETURNED]
    rates = {t["code"]: t["dismissal_rate"] for t in after["top_problems"]}
    done = (seeded["dismissed"]["code"], seeded["dismissed"]["start"])
    f = next(f for f in submissions.findings_of(submissions.get(app.state.db, vid, admin)) if f["code"] in rates and (f["code"], f["start"]) != done)
    submissions.mark(app.state.db, vid, admin, f["code"], f["start"], "dismiss", "测试")
    again = {t["code"]: t["dismissal_rate"] for t in client.get(f"/api/overview?year={YEAR}").json()["top_problems"]}
    assert (again[f["code"]] or 0) > (rates[f["code"]] or 0)


def _leave_pending(db_path: str, word: str) -> int:
    """Turn the full-text row of the report holding `word` into a pending one, as a `fazhi index`
    interrupted (or still running) on the workspace's file leaves it; returns its id."""
    import sqlite3

    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        rid, title, text = conn.execute("SELECT id, title, text FROM reports WHERE instr(text, ?) > 0", (word,)).fetchone()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)", (rid, title, text))
        conn.execute("INSERT INTO fts_pending(id) VALUES (?)", (rid,))
        conn.execute("COMMIT")
        return rid
    finally:
        conn.close()


def test_search_page_finds_reports_whose_full_text_rows_are_pending(browser, app, seeded, monkeypatch):
    import sqlite3

    from fazhi.corpus import search as search_module
    from fazhi.web import submissions
    from fazhi.web.accounts import by_name

    b = browser("reviewer")
    admin = by_name(app.state.db, "admin")
    base = app.state.db.one("SELECT text FROM ws_versions LIMIT 1")[0]
    for unit, word in (("测试单位甲", "甲乙丙丁戊己庚"), ("测试单位乙", "子丑寅卯辰巳午")):
        submissions.upload(app.state.db, app.state.settings.config, admin, "x.txt", f"{base}\n另见{word}。\n".encode(),
                           year=YEAR, unit=unit, submit=True)
    _leave_pending(app.state.db.path, "甲乙丙丁戊己庚")
    html = b.get("/corpus/search?q=甲乙丙丁戊己庚").text
    assert '<mark class="hit">甲乙丙丁戊己庚</mark>' in html and "尚未建立全文索引" not in html
    assert app.state.db.one("SELECT count(*) FROM fts_pending")[0] == 0
    # another writer holds the file (an index running on it): the page says what it could not search
    _leave_pending(app.state.db.path, "子丑寅卯辰巳午")
    monkeypatch.setattr(search_module, "FTS_WAIT", 0.05)
    writer = sqlite3.connect(app.state.db.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        html = b.get("/corpus/search?q=子丑寅卯辰巳午").text
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "有 1 份报告尚未建立全文索引" in html and '<mark class="hit">' not in html
    assert '<mark class="hit">子丑寅卯辰巳午</mark>' in b.get("/corpus/search?q=子丑寅卯辰巳午").text
