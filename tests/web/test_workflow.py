"""The year's cycle over HTTP: upload, preview, confirm, review, return with Word comments,
upload again, compare versions, approve, publish — and the roster's rates following it."""

from __future__ import annotations

import io
import re

import docx

from tests.web.conftest import UNIT


def _vid(response) -> int:
    assert response.status_code == 303, response.text[:300]
    return int(re.search(r"/submissions/(\d+)", response.headers["location"]).group(1))


def test_full_cycle(browser, app, report_bytes, defects_bytes):
    unit, reviewer, admin = browser("unit"), browser("reviewer"), browser("admin")

    # the office imports its roster
    csv_text = "单位名称,层级,地区,截止日期,联系人\n蒲江县司法局,县级,四川省成都市蒲江县,2025-03-01,王某 123\n某某县民政局,县级,,,\n"
    admin.refresh_token("/roster")
    r = admin.post("/roster/import", data={"year": "2024"}, files={"file": ("名单.csv", csv_text.encode("utf-8"))})
    assert r.status_code == 303
    roster = admin.get("/roster?year=2024").text
    assert "蒲江县司法局" in roster and "某某县民政局" in roster and "未报送" in roster

    # a unit uploads a draft: checked at once, visible with findings before it confirms
    unit.refresh_token("/my")
    vid = _vid(unit.upload("报告.txt", defects_bytes, year="2024"))
    page = unit.get(f"/submissions/{vid}").text
    assert "确认报送" in page and "规定要求的部分" in page and "得分" in page
    assert 'class="finding sev-' in page
    # not yet submitted: the reviewer's queue shows the unit as missing
    assert "未报送" in reviewer.get("/queue?year=2024").text

    r = unit.post(f"/submissions/{vid}/confirm")
    assert r.status_code == 303
    queue = reviewer.get("/queue?year=2024&state=submitted").text
    assert UNIT in queue

    # the reviewer dismisses one finding with a reason, comments on a passage, returns it
    reviewer.refresh_token(f"/submissions/{vid}")
    findings = app.state.db.one("SELECT review FROM ws_versions WHERE id = ?", (vid,))["review"]
    import json

    report = json.loads(findings)
    first = report["findings"][0]
    r = reviewer.post(f"/submissions/{vid}/mark", data={"code": first["code"], "start": str(first["start"]), "decision": "dismiss", "reason": ""})
    assert r.status_code == 303
    assert "不采纳一条问题时请简要说明理由" in reviewer.get(f"/submissions/{vid}").text
    reviewer.post(f"/submissions/{vid}/mark", data={"code": first["code"], "start": str(first["start"]), "decision": "dismiss", "reason": "属正常表述"})
    text = app.state.db.one("SELECT text FROM ws_versions WHERE id = ?", (vid,))["text"]
    quote = text.splitlines()[3][:12]
    reviewer.post(f"/submissions/{vid}/comment", data={"quote": quote, "body": "请补充具体数据"})
    r = reviewer.post(f"/submissions/{vid}/decide", data={"decision": "return", "summary": "请补充不足的原因分析"})
    assert r.status_code == 303

    # the unit sees the return and downloads the Word file with the comments on their words
    page = unit.get(f"/submissions/{vid}").text
    assert "退回修改" in page and "请补充不足的原因分析" in page
    r = unit.get(f"/submissions/{vid}/commented.docx")
    assert r.status_code == 200
    word = docx.Document(io.BytesIO(r.content))
    comments = [c.text for c in word.comments]
    assert any("请补充具体数据" in c for c in comments)
    assert any("请补充不足的原因分析" in c for c in comments)
    assert not any(first["message"] in c for c in comments), "a dismissed finding must not go back to the unit"
    assert len(comments) == 2 + 1 + len(report["findings"]) - 1  # summary + decision + comment + kept findings

    # it uploads a fixed version; the office compares the two
    unit.refresh_token("/my")
    v2 = _vid(unit.upload("报告（修改稿）.txt", report_bytes, year="2024"))
    unit.post(f"/submissions/{v2}/confirm")
    cmp = reviewer.get(f"/submissions/{v2}/compare").text
    assert "新版本改正的问题" in cmp and "第1版" in cmp and "第2版" in cmp

    # approve, then the unit confirms its secrecy review and records publication
    reviewer.refresh_token(f"/submissions/{v2}")
    reviewer.post(f"/submissions/{v2}/decide", data={"decision": "approve", "summary": ""})
    assert "已审核通过" in unit.get(f"/submissions/{v2}").text
    rid = app.state.db.one("SELECT id FROM ws_roster WHERE unit = ?", (UNIT,))["id"]
    unit.refresh_token(f"/units/{rid}")
    r = unit.post(f"/units/{rid}/publish", data={"url": "https://example.gov.cn/a.html", "on": "2025-03-20"})
    assert "请先确认保密审查" in unit.get(f"/units/{rid}").text
    unit.post(f"/units/{rid}/secrecy", data={"who": "李某（办公室主任）"})
    unit.post(f"/units/{rid}/publish", data={"url": "https://example.gov.cn/a.html", "on": "2025-03-20"})
    row = app.state.db.one("SELECT * FROM ws_roster WHERE id = ?", (rid,))
    assert row["state"] == "approved" and row["published_url"] and row["secrecy_by"] == "李某（办公室主任）"

    # the corpus store holds one record for the unit's year: the approved version
    paths = [r[0] for r in app.state.db.query("SELECT path FROM reports")]
    assert paths == [f"工作台/2024/{UNIT}"]

    # every state change is in the audit log
    actions = [r["action"] for r in app.state.db.query("SELECT action FROM ws_audit")]
    for a in ("导入报送名单", "上传报告", "确认报送", "不采纳问题", "添加审核意见", "退回修改", "审核通过", "确认保密审查", "登记公开"):
        assert a in actions, a
    csv_out = admin.get("/audit.csv")
    assert csv_out.status_code == 200 and "退回修改" in csv_out.content.decode("utf-8-sig")


def test_unreadable_upload_is_refused_with_a_reason(browser):
    unit = browser("unit")
    unit.refresh_token("/my")
    r = unit.upload("报告.docx", b"PK\x03\x04 this is not a zip")
    assert r.status_code == 303
    assert "无法检查这个文件" in unit.get("/my").text


def test_empty_states_tell_the_next_step(browser):
    assert "尚未导入报送名单" in browser("reviewer").get("/queue").text
    assert "尚未导入报送名单" in browser("admin").get("/roster").text
    assert "还没有上传过报告" in browser("unit").get("/my").text


def test_roster_from_store_uses_the_corpus_issuers(browser, app, report_bytes):
    from fazhi.corpus.store import Store
    import fazhi

    review = fazhi.check(report_bytes.decode("utf-8"))
    with Store.open(app.state.settings.db) as store:
        store.put("/data/a.txt", "x", review.to_dict(), review.document.text)
    admin = browser("admin")
    admin.refresh_token("/roster?year=2025")
    admin.post("/roster/from-store", data={"year": "2025"})
    units = [r["unit"] for r in app.state.db.query("SELECT unit FROM ws_roster WHERE year = 2025")]
    assert units == [review.document.metadata.issuer]


def test_dismissal_rates_reach_fazhi_stats(app, api, settings):
    import json
    import subprocess
    import sys

    from tests.web.conftest import EXAMPLES

    unit, reviewer = api("unit"), api("reviewer")
    body = unit.post("/api/submissions", files={"file": ("a.txt", (EXAMPLES / "township_2024_defects.txt").read_bytes())}).json()
    findings = body["report"]["findings"]
    f = findings[0]
    same_rule = sum(1 for g in findings if g["code"] == f["code"])
    reviewer.post(f"/api/submissions/{body['id']}/review", json={"decision": "approve", "dismissed": [{"code": f["code"], "start": f["start"], "reason": "误报"}]})
    out = subprocess.run([sys.executable, "-m", "fazhi.cli", "stats", "--db", settings.db, "--format", "json"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    rates = {d["code"]: d for d in json.loads(out.stdout)["dismissals"]}
    assert rates[f["code"]]["dismissed"] == 1 and rates[f["code"]]["findings"] == same_rule
    assert rates[f["code"]]["rate"] == round(1 / same_rule, 4)
    text = subprocess.run([sys.executable, "-m", "fazhi.cli", "stats", "--db", settings.db], capture_output=True, text=True).stdout
    assert "审核中不采纳的比例" in text
