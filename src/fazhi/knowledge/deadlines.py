"""When a report is due: month-day deadlines in the year after the report year (规定 第二十六条:
by 3月1日; a provincial government reports to the State Council by 4月1日), overridable per
level, kind and province by the configuration's [deadlines] table."""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_DEADLINES = {"default": "03-01", "province-government": "04-01"}


class DeadlineError(ValueError):
    """A deadline is not a month-day such as 03-01; the message is one line of Chinese."""


def month_day(value: str) -> tuple[int, int]:
    try:
        month, day = (int(x) for x in str(value).split("-"))
        dt.date(2024, month, day)
    except (ValueError, TypeError):
        raise DeadlineError(f"截止日期格式应为“月-日”（如 03-01），而不是“{value}”") from None
    return month, day


def deadline(deadlines: dict[str, Any], report_year: int, level: str | None, kind: str | None, province: str | None) -> dt.date:
    """The last on-time date for a report on `report_year` under the `deadlines` table."""
    tables = []
    if province and isinstance(deadlines.get(province), dict):
        tables.append(deadlines[province])
    tables.append({k: v for k, v in deadlines.items() if isinstance(v, str)})
    tables.append(DEFAULT_DEADLINES)
    keys = [f"{level}-{kind}", str(level), "default"]
    for table in tables:
        for key in keys:
            if key in table:
                month, day = month_day(table[key])
                return dt.date(report_year + 1, month, day)
    raise AssertionError("unreachable: DEFAULT_DEADLINES has a default")  # pragma: no cover
