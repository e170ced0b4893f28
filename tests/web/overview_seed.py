"""A seeded workspace for the overview tests: two years of a small roster, real uploads checked by
fazhi, a late unit, a missing unit, one approved, one returned with a dismissal, one published."""

from __future__ import annotations

from pathlib import Path

from fazhi.web import roster, submissions
from fazhi.web.accounts import by_name
from fazhi.web.roster import RosterRow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
YEAR = 2024
LATE = "某某县财政局"
MISSING = "某某县民政局"
APPROVED = "蒲江县司法局"
RETURNED = "龙泉关镇人民政府"
PREVIOUS = "蒲江县司法局"


def last_year(report: bytes) -> bytes:
    """The unit's report of the year before: the same fictional text a year earlier, its first
    paragraph of measures rewritten (so the two years share most passages, not all)."""
    lines = report.decode("utf-8").replace(str(YEAR), str(YEAR - 1)).splitlines()
    body = [i for i, line in enumerate(lines) if len(line) > 60]
    lines[body[1]] = "全年组织开展执法人员轮训三期，覆盖执法人员一百余人次，逐步建立案卷评查和执法监督相衔接的工作机制。"
    return "\n".join(lines).encode("utf-8")


def seed(app) -> dict:
    db = app.state.db
    config = app.state.settings.config
    admin = by_name(db, "admin")
    far, past = "2100-01-01", "2000-01-01"
    rows = [
        RosterRow(APPROVED, "county", "四川省成都市蒲江县", far, "王某 028-0000001"),
        RosterRow(RETURNED, "township", "河北省保定市阜平县", far, "李某 0312-0000002"),
        RosterRow(LATE, "county", "四川省成都市蒲江县", past, "赵某 028-0000003"),
        RosterRow(MISSING, "county", "四川省成都市蒲江县", far, "钱某 028-0000004"),
    ]
    roster.upsert(db, config, YEAR, rows, "admin")
    roster.upsert(db, config, YEAR - 1, rows[:2], "admin")
    clean = (EXAMPLES / "clean_county_justice_2024.txt").read_bytes()
    defects = (EXAMPLES / "township_2024_defects.txt").read_bytes()
    market = (EXAMPLES / "county_market_2024_citations.txt").read_bytes()
    ids = {
        APPROVED: submissions.upload(db, config, admin, "司法局.txt", clean, year=YEAR, unit=APPROVED, submit=True),
        RETURNED: submissions.upload(db, config, admin, "镇政府.txt", defects, year=YEAR, unit=RETURNED, submit=True),
        LATE: submissions.upload(db, config, admin, "财政局.txt", market, year=YEAR, unit=LATE, submit=True),
        "prev": submissions.upload(db, config, admin, "司法局2023.txt", last_year(clean), year=YEAR - 1, unit=PREVIOUS, submit=True),
    }
    submissions.decide(db, ids[APPROVED], admin, "approve", "", config)
    first = submissions.findings_of(submissions.get(db, ids[RETURNED], admin))[0]
    submissions.decide(db, ids[RETURNED], admin, "return", "请补充", config,
                       [{"code": first["code"], "start": first["start"], "reason": "属正常表述"}])
    rid = db.one("SELECT id FROM ws_roster WHERE year = ? AND unit = ?", (YEAR, APPROVED))[0]
    roster.confirm_secrecy(db, rid, "张某", "admin")
    roster.record_publication(db, rid, "https://example.gov.cn/report", f"{YEAR + 1}-03-20", "admin")
    return {"ids": ids, "dismissed": first}
