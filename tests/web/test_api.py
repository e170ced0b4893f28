"""The JSON API's contract: statuses, shapes, roles, and REPORT equal to `fazhi check --format json`."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from starlette.testclient import TestClient

from tests.web.conftest import EXAMPLES, UNIT


def test_healthz(app):
    assert TestClient(app).get("/healthz").status_code == 200


def test_missing_or_wrong_token_is_401(app):
    c = TestClient(app)
    for method, path in (("get", "/api/submissions"), ("get", "/api/roster?year=2024"), ("post", "/api/submissions"), ("get", "/api/submissions/1")):
        r = getattr(c, method)(path)
        assert r.status_code == 401 and r.json()["code"] == "unauthorized"
    r = c.get("/api/submissions", headers={"Authorization": "Bearer fz_wrong"})
    assert r.status_code == 401 and "令牌" in r.json()["message"]
    r = c.get("/api/submissions", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert r.status_code == 401


def test_unit_uploads_and_gets_the_check_json(api, tmp_path):
    c = api("unit")
    src = EXAMPLES / "township_2024_defects.txt"
    r = c.post("/api/submissions", files={"file": (src.name, src.read_bytes())})
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) >= {"id", "unit", "year", "version", "state", "report"}
    assert body["unit"] == UNIT and body["year"] == 2024 and body["version"] == 1 and body["state"] == "submitted"
    # REPORT is exactly what `fazhi check --format json` gives for the same file
    cli = subprocess.run([sys.executable, "-m", "fazhi.cli", "check", str(src), "--format", "json"], capture_output=True, text=True)
    expected = json.loads(cli.stdout)["reports"][0]
    expected["path"] = src.name
    assert body["report"] == json.loads(json.dumps(expected))
    assert c.get(f"/api/submissions/{body['id']}").json() == body
    items = c.get("/api/submissions?year=2024").json()["items"]
    assert [i["id"] for i in items] == [body["id"]]


def test_unit_sees_only_its_own(api):
    a, b = api("unit"), api("other")
    vid = a.post("/api/submissions", files={"file": ("a.txt", (EXAMPLES / "clean_county_justice_2024.txt").read_bytes())}).json()["id"]
    assert b.get(f"/api/submissions/{vid}").status_code == 404
    assert b.get("/api/submissions").json()["items"] == []
    assert b.get("/api/roster?year=2024").status_code == 403
    assert b.post(f"/api/submissions/{vid}/review", json={"decision": "approve"}).status_code == 403
    assert b.post("/api/roster", data={"year": "2024"}, files={"file": ("r.csv", b"x")}).status_code == 403


def test_review_contract(api):
    unit, reviewer = api("unit"), api("reviewer")
    body = unit.post("/api/submissions", files={"file": ("a.txt", (EXAMPLES / "township_2024_defects.txt").read_bytes())}).json()
    f = body["report"]["findings"][0]
    r = reviewer.post(f"/api/submissions/{body['id']}/review", json={"decision": "maybe"})
    assert r.status_code == 422
    r = reviewer.post(f"/api/submissions/{body['id']}/review", json={"decision": "return", "comment": ""})
    assert r.status_code == 422 and "修改意见" in r.json()["message"]
    r = reviewer.post(
        f"/api/submissions/{body['id']}/review",
        json={"decision": "return", "comment": "请补充原因分析", "dismissed": [{"code": f["code"], "start": f["start"], "reason": "正常表述"}]},
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["state"] == "returned" and out["dismissed"] == [{"code": f["code"], "start": f["start"], "reason": "正常表述"}]
    # a decided version cannot be decided again
    assert reviewer.post(f"/api/submissions/{body['id']}/review", json={"decision": "approve"}).status_code == 409
    assert reviewer.get("/api/submissions?state=returned").json()["items"][0]["id"] == body["id"]
    assert reviewer.get("/api/submissions?state=bogus").status_code == 422


def test_roster_import_and_rates(api):
    admin = api("admin")
    csv = "单位名称,层级,地区,截止日期,联系人\n蒲江县司法局,县级,四川省,,张某\n某某县民政局,county,,2025-02-28,\n某某镇人民政府,乡镇,,,\n".encode("utf-8")
    r = admin.post("/api/roster", data={"year": "2024"}, files={"file": ("名单.csv", csv)})
    assert r.status_code == 200 and r.json() == {"imported": 3}
    api("unit").post("/api/submissions", files={"file": ("a.txt", (EXAMPLES / "clean_county_justice_2024.txt").read_bytes())})
    roster = api("reviewer").get("/api/roster?year=2024").json()
    units = {u["unit"]: u for u in roster["units"]}
    assert set(units) == {"蒲江县司法局", "某某县民政局", "某某镇人民政府"}
    assert units["蒲江县司法局"]["state"] == "submitted" and units["某某县民政局"]["state"] == "missing"
    assert set(units["蒲江县司法局"]) >= {"unit", "level", "region", "state", "submitted_at", "on_time", "published_url"}
    assert roster["rates"]["submitted"] == round(1 / 3, 4) and roster["rates"]["approved"] == 0
    assert set(roster["rates"]) >= {"submitted", "on_time", "approved", "published"}


def test_roster_errors_name_the_row(api):
    admin = api("admin")
    r = admin.post("/api/roster", data={"year": "2024"}, files={"file": ("r.csv", "单位名称,层级\n甲局,县级\n乙局,国家级\n".encode("utf-8"))})
    assert r.status_code == 422 and "第3行" in r.json()["message"] and "国家级" in r.json()["message"]
    r = admin.post("/api/roster", data={"year": "2024"}, files={"file": ("r.pdf", b"%PDF")})
    assert r.status_code == 422


def test_roster_from_xlsx_template(api):
    from openpyxl import load_workbook

    from fazhi.web.roster import template_xlsx

    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert [c.value for c in wb.active[1]] == ["单位名称", "层级", "地区", "截止日期", "联系人"]
    r = api("admin").post("/api/roster", data={"year": "2025"}, files={"file": ("名单.xlsx", template_xlsx())})
    assert r.json() == {"imported": 2}
    units = {u["unit"]: u for u in api("admin").get("/api/roster?year=2025").json()["units"]}
    assert units["某某镇人民政府"]["deadline"] == "2026-02-20"  # given in the file
    assert units["某某县司法局"]["deadline"] == "2026-03-01"  # the level's default, as late-report uses


def test_unreadable_file_is_422_with_the_check_error(api):
    r = api("unit").post("/api/submissions", files={"file": ("a.docx", b"PK\x03\x04garbage")})
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"code", "message"} and body["code"]
    r = api("unit").post("/api/submissions", files={"file": ("a.txt", b"")})
    assert r.status_code == 422


def test_oversized_and_wrong_type_uploads(app, api):
    c = api("unit")
    r = c.post("/api/submissions", files={"file": ("big.txt", b"x" * (app.state.settings.max_upload + 1))})
    assert r.status_code == 413 and r.json()["code"] == "too-large"
    r = c.post("/api/submissions", files={"file": ("a.exe", b"MZ")})
    assert r.status_code == 415
    r = c.post("/api/submissions", data={"x": "1"})
    assert r.status_code == 422


def test_staff_upload_names_unit_and_year(api):
    r = api("reviewer").post(
        "/api/submissions", data={"unit": "某某县民政局", "year": "2023"}, files={"file": ("a.txt", (EXAMPLES / "clean_county_justice_2024.txt").read_bytes())}
    )
    assert r.status_code == 201 and r.json()["unit"] == "某某县民政局" and r.json()["year"] == 2023


def test_a_refused_decision_records_no_dismissal(api, app):
    unit, reviewer = api("unit"), api("reviewer")
    body = unit.post("/api/submissions", files={"file": ("a.txt", (EXAMPLES / "township_2024_defects.txt").read_bytes())}).json()
    f = body["report"]["findings"][0]
    r = reviewer.post(f"/api/submissions/{body['id']}/review", json={"decision": "return", "dismissed": [{"code": f["code"], "start": f["start"], "reason": "误报"}]})
    assert r.status_code == 422  # no summary
    assert app.state.db.one("SELECT count(*) FROM ws_marks")[0] == 0
