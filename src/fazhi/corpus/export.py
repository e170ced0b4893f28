"""Export the corpus, one row per report, to .xlsx, .csv, .parquet or .jsonl.

    from fazhi.corpus.export import export
    n = export(store, "结果.xlsx", year=2024, level="county")   # filters as in search

Row columns (key -> Chinese header): see REPORT_COLUMNS, then "score_<key>" for every key of
review["scores"] that occurs, "part_<part>" for the mandated parts (and rectification),
error/warning/info counts, "rule_<code>" for every rule that occurs in the exported reports,
and the error code/message of files that could not be read.

.xlsx: sheet "报告" (Chinese headers, bold header row, panes frozen below the header and right
of the first column, autofilter, column widths from the content) and sheet "问题清单" with every
finding. Parts are 有/无, on-time 是/否, levels and kinds in Chinese.
.csv: the "报告" sheet in UTF-8 with BOM (Excel opens it correctly); text that starts with
= + - @ gets a leading apostrophe so Excel does not run it as a formula.
.parquet: the same rows with the English keys and typed values (bool parts and on-time);
needs pyarrow (`pip install 'fazhi[parquet]'`).
.jsonl: one stored review dict (Review.to_dict()) per line.

Every output is written to a temporary file next to the target and moved into place, so an
interrupted or failed export never leaves a half-written file under the target's name.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator

from fazhi.config import Config
from fazhi.corpus.stats import deadline_status
from fazhi.corpus.store import Store, StoreError, translate, where_clause
from fazhi.output import OutputError, same_file, write_atomic
from fazhi.render import rule_label
from fazhi.score import LABELS as SCORE_LABELS
from fazhi.vocab import KIND_LABELS, LEVEL_LABELS, PART_NAMES, REQUIRED, SEVERITY_LABELS

FORMATS = (".xlsx", ".csv", ".parquet", ".jsonl")
EXPORT_PARTS = ("measures", "shortcomings", "leader_duties", "plan", "rectification")

REPORT_COLUMNS = (
    ("path", "文件路径"),
    ("title", "标题"),
    ("issuer", "发文单位"),
    ("issuer_level", "层级"),
    ("issuer_kind", "单位性质"),
    ("province", "省份"),
    ("city", "市"),
    ("county", "县区"),
    ("township", "乡镇街道"),
    ("report_year", "报告年度"),
    ("signed_date", "成文日期"),
    ("deadline", "报送截止日期"),
    ("on_time", "按时报送"),
    ("score", "总分"),
)
TAIL_COLUMNS = (
    ("errors", "错误数"),
    ("warnings", "警告数"),
    ("infos", "提示数"),
)
END_COLUMNS = (
    ("format", "格式"),
    ("chars", "字数"),
    ("error_code", "读取错误代码"),
    ("error_message", "读取错误说明"),
)
FINDING_HEADERS = ("文件路径", "发文单位", "行", "规则", "级别", "问题说明", "原文摘录", "修改建议")


class ExportError(StoreError):
    """The export could not be written; `message` is Chinese."""


def export(store: Store, out: str | os.PathLike[str], config: Config | None = None, *, once: bool = True, **filters: Any) -> int:
    """Write the reports matching `filters` to `out` (format from its extension); returns the row
    count. once: one row per report, leaving out the other files of a report that the last
    `fazhi dedup` grouped (its "查重" column names them)."""
    target = Path(out)
    suffix = target.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError("unsupported-format", f"不支持导出为“{target.suffix or target.name}”，请用 {'、'.join(FORMATS)} 之一")
    if target.is_dir():
        raise ExportError("is-directory", f"{target} 是一个文件夹，请指定输出文件名")
    if any(same_file(target, store.path + tail) for tail in ("", "-wal", "-shm")):
        raise ExportError("target-is-database", f"输出文件 {target} 就是数据库文件本身，导出会覆盖数据库：请换一个输出文件名")
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise ExportError(
                "missing-dependency", "导出 Parquet 需要 pyarrow：请运行 pip install 'fazhi[parquet]'（或 pip install pyarrow）后重试"
            ) from None
    if suffix == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ImportError:
            raise ExportError("missing-dependency", "导出 Excel 需要 openpyxl：请运行 pip install openpyxl 后重试") from None
    if once and store.dedup_run() and store.count_reports_once():
        filters = {**filters, "once": True}
    writers: dict[str, Callable[[Store, Path, Config | None, dict[str, Any]], int]] = {
        ".xlsx": _write_xlsx, ".csv": _write_csv, ".parquet": _write_parquet, ".jsonl": _write_jsonl,
    }
    return _atomic(target, lambda tmp: writers[suffix](store, tmp, config, filters))


def _atomic(target: Path, write: Callable[[Path], int]) -> int:
    try:
        return write_atomic(target, write, make_parents=False)
    except OutputError as exc:
        raise ExportError(exc.code, exc.message) from None
    except sqlite3.Error as exc:
        raise translate(exc) from None


# -- rows --------------------------------------------------------------------------------


class Table:
    """The report rows of an export: column keys, Chinese headers, and a row iterator."""

    def __init__(self, store: Store, config: Config | None, filters: dict[str, Any]):
        self.store = store
        self.config = config or Config()
        self.where, self.params = where_clause({**filters, "include_failed": True})
        sub = f"SELECT r.id FROM reports r WHERE {self.where}"
        keys = [k for (k,) in store.query(
            f"SELECT DISTINCT j.key FROM reports r, json_each(r.review, '$.scores') j WHERE {self.where} ORDER BY 1", self.params
        )]
        # the overall score is the 总分 column; components in the score's own order, then any others
        order = {k: i for i, k in enumerate(SCORE_LABELS)}
        self.score_keys = sorted((k for k in keys if k not in ("overall", "total")), key=lambda k: (order.get(k, len(order)), k))
        self.rules = [(c, n) for c, n in store.query(
            f"SELECT code, min(name) FROM findings WHERE report_id IN ({sub}) GROUP BY code ORDER BY code", self.params
        )]
        self.parts: dict[int, set[str]] = defaultdict(set)
        for rid, part in store.query(f"SELECT DISTINCT report_id, part FROM parts WHERE report_id IN ({sub})", self.params):
            self.parts[rid].add(part)
        self.counts: dict[int, dict[str, int]] = defaultdict(dict)
        for rid, key, n in store.query(
            f"SELECT report_id, code, count(*) FROM findings WHERE report_id IN ({sub}) GROUP BY 1, 2"
            f" UNION ALL SELECT report_id, '~' || severity, count(*) FROM findings WHERE report_id IN ({sub}) GROUP BY 1, 2",
            self.params * 2,
        ):
            self.counts[rid][key] = n
        # copying found by the last `fazhi dedup` run, when there was one
        self.dedup = store.dedup_run()
        self.copies = store.copies_of() if self.dedup else {}
        self.names = {  # id -> (who and which year, file name)
            rid: (f"{issuer or Path(path).name}{f'{year}年' if year else ''}报告", Path(path).name)
            for rid, path, issuer, year in store.query(
                "SELECT id, path, issuer, report_year FROM reports"
                " WHERE id IN (SELECT a_id FROM copies UNION SELECT b_id FROM copies)"
            )
        } if self.copies else {}
        # last year's shortcomings and plans answered, from the last `fazhi followup` run
        self.followup = store.followup_run()
        self.followups = store.followups_to() if self.followup else {}
        self.columns: list[tuple[str, str]] = [
            *REPORT_COLUMNS,
            *((f"score_{k}", SCORE_LABELS.get(k) or f"得分：{k}") for k in self.score_keys),
            *((f"part_{p}", _part_header(p)) for p in EXPORT_PARTS),
            *((("copies", "查重（重复报送、抄袭）"),) if self.dedup else ()),
            *((("followup", "上年问题跟进"),) if self.followup else ()),
            *TAIL_COLUMNS,
            *((f"rule_{code}", _rule_header(code, name)) for code, name in self.rules),
            *END_COLUMNS,
        ]

    @property
    def keys(self) -> list[str]:
        return [k for k, _ in self.columns]

    @property
    def headers(self) -> list[str]:
        return [h for _, h in self.columns]

    def rows(self) -> Iterator[dict[str, Any]]:
        sql = (
            "SELECT r.id, r.path, r.title, r.issuer, r.issuer_level, r.issuer_kind, r.province, r.city, r.county,"
            " r.township, r.report_year, r.signed_date, r.score, json_extract(r.review, '$.scores'), r.format, r.chars,"
            f" r.error_code, r.error_message FROM reports r WHERE {self.where} ORDER BY r.path"
        )
        cur = self.store.conn.execute(sql, self.params)
        for (rid, path, title, issuer, level, kind, province, city, county, township, year, signed, score,
             scores_json, fmt, chars, error_code, error_message) in cur:
            readable = error_code is None
            deadline, on_time = deadline_status(self.config, year, level, kind, province, signed)
            scores = _json_object(scores_json)
            counts = self.counts.get(rid, {})
            row: dict[str, Any] = {
                "path": path, "title": title, "issuer": issuer, "issuer_level": level, "issuer_kind": kind,
                "province": province, "city": city, "county": county, "township": township,
                "report_year": year, "signed_date": signed, "deadline": deadline if readable else None,
                "on_time": on_time if readable else None, "score": score,
            }
            for k in self.score_keys:
                v = scores.get(k)
                row[f"score_{k}"] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
            for p in EXPORT_PARTS:
                row[f"part_{p}"] = (p in self.parts.get(rid, ())) if readable else None
            if self.dedup:
                row["copies"] = self.copies_text(rid) if readable else None
            if self.followup:
                row["followup"] = self.followup_text(rid) if readable else None
            row["errors"] = counts.get("~error", 0)
            row["warnings"] = counts.get("~warning", 0)
            row["infos"] = counts.get("~info", 0)
            for code, _ in self.rules:
                row[f"rule_{code}"] = counts.get(code, 0)
            row.update(format=fmt, chars=chars, error_code=error_code, error_message=error_message)
            yield row

    def copies_text(self, rid: int) -> str:
        """The stored dedup pairs of one report in words: 与…是同一份报告；与…段落雷同（…）."""
        parts = []
        for role, kind, other, sim, passages, chars in sorted(self.copies.get(rid, ()), key=lambda t: -t[3]):
            name, file = self.names.get(other, ("另一份报告", ""))
            detail = f"（{passages}段约{chars}字，相似度{sim:.0%}）"
            if kind == "same-report":
                parts.append(f"与文件“{file}”是同一份报告")
            elif role == "b":
                parts.append(f"疑似抄用{name}的段落{detail}")
            else:
                parts.append(f"段落疑被{name}抄用{detail}")
        return "；".join(parts)

    def followup_text(self, rid: int) -> str:
        """How this report answers the issuer's previous-year report, in words; empty when the
        issuer has no report of the year before."""
        link = self.followups.get(rid)
        if link is None:
            return ""
        year, sc, sc_done, pl, pl_done = link
        before = f"{year}年" if year else "上一年"
        return f"{before}报告的不足{sc}项已见整改{sc_done}项，安排{pl}项已见落实{pl_done}项"

    def display(self, row: dict[str, Any]) -> list[Any]:
        """A row for people: Chinese labels, 有/无, 是/否."""
        out: list[Any] = []
        for key in self.keys:
            v = row[key]
            if key == "issuer_level":
                v = LEVEL_LABELS.get(v, v)
            elif key == "issuer_kind":
                v = KIND_LABELS.get(v, v)
            elif key.startswith("part_"):
                v = None if v is None else ("有" if v else "无")
            elif key == "on_time":
                v = None if v is None else ("是" if v else "否")
            out.append(v)
        return out

    def findings(self) -> Iterator[list[Any]]:
        sql = (
            "SELECT r.path, r.issuer, f.line, f.code, f.name, f.severity, f.message, f.excerpt, f.suggestion"
            f" FROM findings f JOIN reports r ON r.id = f.report_id WHERE {self.where} ORDER BY r.path, f.seq"
        )
        for path, issuer, line, code, name, sev, message, excerpt, suggestion in self.store.conn.execute(sql, self.params):
            yield [path, issuer, line, rule_label(code, name), SEVERITY_LABELS.get(sev, sev), message, excerpt, suggestion]


def _json_object(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _part_header(part: str) -> str:
    short = {"leader_duties": "第一责任人职责情况"}.get(part, PART_NAMES.get(part, part))
    return f"{short}（可选）" if part not in REQUIRED else short


def _rule_header(code: str, name: str) -> str:
    return rule_label(code, name)


# -- writers -----------------------------------------------------------------------------


def _write_jsonl(store: Store, tmp: Path, config: Config | None, filters: dict[str, Any]) -> int:
    where, params = where_clause({**filters, "include_failed": True})
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for (review,) in store.conn.execute(f"SELECT r.review FROM reports r WHERE {where} ORDER BY r.path", params):
            fh.write(review)
            fh.write("\n")
            n += 1
    return n


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _write_csv(store: Store, tmp: Path, config: Config | None, filters: dict[str, Any]) -> int:
    table = Table(store, config, filters)
    n = 0
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(table.headers)
        for row in table.rows():
            w.writerow(["'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v for v in table.display(row)])
            n += 1
    return n


def _write_parquet(store: Store, tmp: Path, config: Config | None, filters: dict[str, Any]) -> int:
    # optional dependency, loaded only to write Parquet
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = Table(store, config, filters)
    ints = {"report_year", "chars", "errors", "warnings", "infos"}

    def type_of(key: str) -> Any:
        if key in ints or key.startswith("rule_"):
            return pa.int64()
        if key == "score" or key.startswith("score_"):
            return pa.float64()
        if key == "on_time" or key.startswith("part_"):
            return pa.bool_()
        return pa.string()

    schema = pa.schema([(k, type_of(k)) for k in table.keys])
    rows = list(table.rows())
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp)
    return len(rows)


def _write_xlsx(store: Store, tmp: Path, config: Config | None, filters: dict[str, Any]) -> int:
    # loaded only to write Excel
    from openpyxl import Workbook

    table = Table(store, config, filters)
    wb = Workbook(write_only=True)
    n = _sheet(wb, "报告", table.headers, (table.display(r) for r in table.rows()))
    _sheet(wb, "问题清单", list(FINDING_HEADERS), table.findings())
    wb.save(tmp)
    return n


def _sheet(wb: Any, title: str, headers: list[str], rows: Iterator[list[Any]], sample: int = 200) -> int:
    """A write-only sheet: widths from the header and the first rows, bold frozen header, filter."""
    # loaded only to write Excel
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    head: list[list[Any]] = []
    for row in rows:
        head.append(row)
        if len(head) >= sample:
            break
    for i, h in enumerate(headers):
        width = max([display_width(h)] + [display_width(r[i]) for r in head])
        ws.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 6), 60)
    ws.freeze_panes = "B2"
    font, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    align = Alignment(vertical="center", wrap_text=True)
    cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font, c.fill, c.alignment = font, fill, align
        cells.append(c)
    ws.append(cells)
    n = 0
    for row in _chain(head, rows):
        ws.append([_cell(ws, v) for v in row])
        n += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{n + 1}"
    return n


def _chain(head: list[list[Any]], rest: Iterator[list[Any]]) -> Iterator[list[Any]]:
    yield from head
    yield from rest


def _cell(ws: Any, value: Any) -> Any:
    """Strings as plain text: no control characters, no formulas, within Excel's cell limit."""
    if not isinstance(value, str):
        return value
    # loaded only to write Excel
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)[:32767]
    if value.startswith("="):
        c = WriteOnlyCell(ws, value=value)
        c.data_type = "s"
        return c
    return value


def display_width(value: Any) -> int:
    if value is None:
        return 0
    s = str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s[:80])
