"""Tables shown on the overview and corpus pages, and the same tables as an Excel file.

A page builds its tables once as `Table`s; the template renders them (templates/_table.html)
and `?format=xlsx` on the same URL downloads them, one sheet each, so what is printed, what is
on the screen and what is in Excel are the same numbers.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.corpus.export import display_width

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(slots=True)
class Link:
    """A cell that links to the reports behind it."""

    text: Any
    href: str

    def __str__(self) -> str:
        return str(self.text)


@dataclass(slots=True)
class Table:
    """headers; rows of cells (str, int, float, None or Link); kinds per column: "text",
    "int", "pct" (a fraction 0–1 shown as %), "num" (one decimal)."""

    title: str
    headers: list[str]
    rows: list[list[Any]]
    kinds: list[str] = field(default_factory=list)
    note: str = ""

    def kind(self, i: int) -> str:
        return self.kinds[i] if i < len(self.kinds) else "text"


def plain(value: Any) -> Any:
    return value.text if isinstance(value, Link) else value


def show(value: Any, kind: str) -> str:
    """A cell as the page shows it."""
    v = plain(value)
    if v is None or v == "":
        return "—" if kind in ("pct", "num", "int") else ""
    if kind == "pct":
        return f"{v * 100:.1f}%"
    if kind == "num":
        return f"{v:.1f}"
    return str(v)


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "", title)[:28] or "表"
    base, n = name, 2
    while name in used:
        name, n = f"{base[:26]}{n}", n + 1
    used.add(name)
    return name


def to_xlsx(tables: list[Table]) -> bytes:
    """The tables as one workbook: a sheet each, bold frozen header, filter, widths from content;
    rates as percentages, text never run as a formula."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for t in tables:
        ws = wb.create_sheet(_sheet_name(t.title, used))
        ws.append(t.headers)
        for c in ws[1]:
            c.font, c.fill, c.alignment = head_font, head_fill, Alignment(vertical="center", wrap_text=True)
        for n, row in enumerate(t.rows, start=2):
            values = []
            for v in (plain(x) for x in row):
                if isinstance(v, str):
                    v = ILLEGAL_CHARACTERS_RE.sub("", v)[:32767]
                values.append(v)
            ws.append(values)
            for i, v in enumerate(values):
                cell = ws.cell(row=n, column=i + 1)
                if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
                    cell.data_type = "s"
                if t.kind(i) == "pct":
                    cell.number_format = "0.0%"
                elif t.kind(i) == "num":
                    cell.number_format = "0.0"
        for i, h in enumerate(t.headers):
            width = max([display_width(h)] + [display_width(plain(r[i])) for r in t.rows[:200] if i < len(r)])
            ws.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 6), 60)
        ws.freeze_panes = "A2"
        if t.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(t.headers))}{len(t.rows) + 1}"
    if not tables:
        wb.create_sheet("空")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
