"""The roster (报送名单): which units must report for a year, their deadlines, and each unit's
state — submitted or not, on time or late, reviewed, published."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook, load_workbook

from fazhi.config import Config
from fazhi.corpus.store import LEVEL_ALIASES
from fazhi.parse import issuer_kind, issuer_level
from fazhi.vocab import LEVEL_SHORT
from fazhi.web.db import Database, now

COLUMNS = ("单位名称", "层级", "地区", "截止日期", "联系人")
LEVELS = {**LEVEL_ALIASES, "乡镇（街道）": "township", "街道": "township",
          **{code: code for code in ("central", "province", "city", "county", "township")}}
LEVEL_LABELS = LEVEL_SHORT  # the roster and the workspace pages write 乡镇, not 乡镇级
PUBLISH_MONTH_DAY = (4, 1)  # 规定: published by 4月1日 of the year after the report year
MAX_ROWS = 5000


class RosterError(Exception):
    """The roster file is invalid; the message is one line of Chinese naming the row."""


@dataclass(slots=True)
class RosterRow:
    unit: str
    level: str | None
    region: str | None
    deadline: str | None
    contact: str | None


def publish_deadline(year: int) -> dt.date:
    return dt.date(year + 1, *PUBLISH_MONTH_DAY)


def default_deadline(config: Config, year: int, unit: str, level: str | None, region: str | None) -> dt.date:
    """The submission deadline as `late-report` computes it: by level and kind, per province."""
    province = None
    for key, value in config.deadlines.items():
        if isinstance(value, dict) and region and region.startswith(key):
            province = key
    return config.deadline(year, level, issuer_kind(unit), province)


def _date(value: Any, where: str = "") -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            pass
    raise RosterError(f"{where}日期“{text}”不是有效日期（应写作 2025-03-01 或 2025年3月1日）")


def rows_from_table(rows: list[list[Any]]) -> list[RosterRow]:
    if not rows:
        raise RosterError("表格是空的：第一行应为表头（单位名称、层级、地区、截止日期、联系人）")
    header = [str(c or "").strip() for c in rows[0]]
    if "单位名称" not in header:
        raise RosterError("第1行：缺少“单位名称”列（表头应为：单位名称、层级，可选 地区、截止日期、联系人）")
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise RosterError(f"第1行：不认识的列“{unknown[0]}”（可用的列：{'、'.join(COLUMNS)}）")
    index = {h: i for i, h in enumerate(header) if h}
    out: list[RosterRow] = []
    seen: set[str] = set()
    for n, row in enumerate(rows[1:], start=2):
        def cell(name: str) -> Any:
            i = index.get(name)
            return row[i] if i is not None and i < len(row) else None

        unit = str(cell("单位名称") or "").strip()
        if not unit and not any(str(c or "").strip() for c in row):
            continue  # a blank line
        if not unit:
            raise RosterError(f"第{n}行：单位名称为空")
        if len(unit) > 100:
            raise RosterError(f"第{n}行：单位名称过长（超过 100 个字）")
        if unit in seen:
            raise RosterError(f"第{n}行：单位“{unit}”重复出现")
        seen.add(unit)
        level_text = str(cell("层级") or "").strip()
        level = None
        if level_text:
            level = LEVELS.get(level_text) or LEVELS.get(level_text.lower())
            if level is None:
                raise RosterError(f"第{n}行：层级“{level_text}”无效（应为 省级、市级、县级、乡镇 之一）")
        out.append(
            RosterRow(
                unit=unit,
                level=level,
                region=str(cell("地区") or "").strip() or None,
                deadline=_date(cell("截止日期"), f"第{n}行：截止"),
                contact=str(cell("联系人") or "").strip() or None,
            )
        )
        if len(out) > MAX_ROWS:
            raise RosterError(f"名单超过 {MAX_ROWS} 行，请分批导入")
    if not out:
        raise RosterError("表格里没有单位：请在表头下逐行填写单位名称")
    return out


def parse_roster(data: bytes, filename: str) -> list[RosterRow]:
    """Rows of a roster file (.xlsx or .csv in UTF-8 or GBK)."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a bad file
            raise RosterError("无法读取这个 Excel 文件：请另存为 .xlsx 后重试，或改用 CSV") from None
        ws = wb.worksheets[0]
        rows = [list(r) for _, r in zip(range(MAX_ROWS + 2), ws.iter_rows(values_only=True))]
        wb.close()
        return rows_from_table(rows)
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterError("无法识别 CSV 文件的编码：请保存为 UTF-8 或 GBK")
        return rows_from_table(list(csv.reader(io.StringIO(text))))
    raise RosterError("名单文件必须是 .xlsx 或 .csv（可先下载模板填写）")


def template_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "报送名单"
    ws.append(list(COLUMNS))
    ws.append(["某某县司法局", "县级", "某某省某某市某某县", "", "张某 0000-1234567"])
    ws.append(["某某镇人民政府", "乡镇", "某某省某某市某某县", "2026-02-20", ""])
    for col, width in zip("ABCDE", (28, 10, 26, 14, 22)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upsert(db: Database, config: Config, year: int, rows: list[RosterRow], by: str, source: str = "import") -> int:
    """Add the units to the year's roster, or update their level, region, deadline and contact.
    A unit's submissions and state are kept."""
    with db.write() as c:
        for r in rows:
            level = r.level or issuer_level(r.unit)
            deadline = r.deadline or default_deadline(config, year, r.unit, level, r.region).isoformat()
            c.execute(
                "INSERT INTO ws_roster (year, unit, level, kind, region, deadline, contact, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (year, unit) DO UPDATE SET level = excluded.level, region = coalesce(excluded.region, region),"
                " deadline = excluded.deadline, contact = coalesce(excluded.contact, contact)",
                (year, r.unit, level, issuer_kind(r.unit), r.region, deadline, r.contact, source),
            )
        db.audit(c, by, "导入报送名单", str(year), f"{len(rows)} 个单位（{source}）")
    return len(rows)


def from_store(db: Database, config: Config, year: int, by: str) -> int:
    """Build the year's roster from the issuers of the reports already in the corpus store (that
    year's, else the previous year's: last year's reporters must report again)."""
    for y in (year, year - 1):
        found = db.query(
            "SELECT issuer, issuer_level, province, city, county, township FROM reports"
            " WHERE report_year = ? AND issuer IS NOT NULL AND error_code IS NULL GROUP BY issuer ORDER BY issuer",
            (y,),
        )
        if found:
            break
    rows = [
        RosterRow(r["issuer"], r["issuer_level"], "".join(x for x in (r["province"], r["city"], r["county"], r["township"]) if x) or None, None, None)
        for r in found
    ]
    if not rows:
        return 0
    return upsert(db, config, year, rows, by, source="store")


def ensure_unit(c, config: Config, year: int, unit: str, level: str | None, region: str | None) -> int:
    """The roster row of `unit` for `year`, added when a unit reports without being listed."""
    row = c.execute("SELECT id FROM ws_roster WHERE year = ? AND unit = ?", (year, unit)).fetchone()
    if row:
        return row[0]
    level = level or issuer_level(unit)
    deadline = default_deadline(config, year, unit, level, region).isoformat()
    cur = c.execute(
        "INSERT INTO ws_roster (year, unit, level, kind, region, deadline, source) VALUES (?, ?, ?, ?, ?, ?, 'submission')",
        (year, unit, level, issuer_kind(unit), region, deadline),
    )
    return cur.lastrowid


def years(db: Database) -> list[int]:
    return [r[0] for r in db.query("SELECT DISTINCT year FROM ws_roster ORDER BY year DESC")]


def units(db: Database, year: int, *, state: str | None = None, unit: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT * FROM ws_roster WHERE year = ?"
    params: list[Any] = [year]
    if state:
        sql += " AND state = ?"
        params.append(state)
    if unit:
        sql += " AND unit = ?"
        params.append(unit)
    rows = [dict(r) for r in db.query(sql + " ORDER BY unit", params)]
    publish_by = publish_deadline(year).isoformat()
    for r in rows:
        r["published_on_time"] = bool(r["published_on"] and r["published_on"] <= publish_by)
    return rows


def rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Fractions (0–1) of the roster: submitted, on time, approved, published (and on time), with
    the counts behind them."""
    total = len(rows)
    counts = {
        "submitted": sum(1 for r in rows if r["state"] != "missing"),
        "on_time": sum(1 for r in rows if r["on_time"]),
        "approved": sum(1 for r in rows if r["state"] == "approved"),
        "published": sum(1 for r in rows if r["published_url"]),
        "published_on_time": sum(1 for r in rows if r["published_on_time"]),
    }
    out: dict[str, Any] = {k: (round(v / total, 4) if total else 0.0) for k, v in counts.items()}
    out["counts"] = {"total": total, **counts}
    return out


def confirm_secrecy(db: Database, roster_id: int, who: str, by: str) -> None:
    who = who.strip()
    if not who:
        raise RosterError("请填写保密审查的审查人")
    with db.write() as c:
        c.execute("UPDATE ws_roster SET secrecy_by = ?, secrecy_at = ? WHERE id = ?", (who[:100], now(), roster_id))
        db.audit(c, by, "确认保密审查", str(roster_id), who[:100])


def record_publication(db: Database, roster_id: int, url: str, on: str, by: str) -> None:
    url = url.strip()
    if not re.match(r"^https?://[^\s<>\"']+$", url) or len(url) > 500:
        raise RosterError("公开网址应以 http:// 或 https:// 开头，且不含空格")
    on = _date(on, "公开") if on else dt.date.today().isoformat()
    row = db.one("SELECT secrecy_at, state FROM ws_roster WHERE id = ?", (roster_id,))
    if row is None:
        raise RosterError("名单中没有这个单位")
    if not row["secrecy_at"]:
        raise RosterError("请先确认保密审查，再登记公开情况")
    with db.write() as c:
        c.execute("UPDATE ws_roster SET published_url = ?, published_on = ? WHERE id = ?", (url, on, roster_id))
        db.audit(c, by, "登记公开", str(roster_id), f"{url}（{on}）")
