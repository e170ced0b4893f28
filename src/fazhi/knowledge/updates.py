"""Knowledge updates an office receives as a file (`fazhi knowledge --import 更新包.toml|.csv`):
offices on isolated networks cannot install a new release, so a package of entries in the
project's own formats — TOML with [[doc]] tables as in documents.toml, or the CSV of user
document lists (crosscheck.load_user_csv) — is validated against the bundled catalog and kept in
the user's data folder. Every later `fazhi check` and `fazhi knowledge` reads the bundled
catalog with the imported entries over it (catalog.catalog()).

Where (fazhi.knowledge.datadir): $FAZHI_DATA_DIR, else $XDG_DATA_HOME/fazhi, else
~/.local/share/fazhi (Windows: %APPDATA%\\fazhi). The file is knowledge-updates.json: the entries (replacing bundled ones of the
same id) and, per import, the package's name, its source and date as the package states them,
its SHA-256, when it was imported and what it added or changed. Written atomically.

A TOML package may start with a [package] table: source (who issued it), date (YYYY-MM-DD),
note. Without it the file name stands for the source and the import date for the date.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi.knowledge.catalog import Catalog, Entry, catalog, entry_from_row, load_entries, validate
from fazhi.knowledge.crosscheck import UserCsvError, load_user_csv
from fazhi.knowledge.datadir import read_updates, updates_path

_ENTRY_KEYS = {"id", "title", "kind", "short", "aliases", "effective", "repealed", "successor", "period", "source"}


class UpdateError(ValueError):
    """A package that cannot be imported; `problems` names every bad entry, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _row(entry: Entry) -> dict[str, Any]:
    row: dict[str, Any] = {"id": entry.id, "title": entry.title, "kind": entry.kind, "source": entry.source}
    if entry.short:
        row["short"] = list(entry.short)
    if entry.aliases:
        row["aliases"] = list(entry.aliases)
    if entry.effective:
        row["effective"] = entry.effective.isoformat()
    if entry.repealed:
        row["repealed"] = entry.repealed.isoformat()
    if entry.successor:
        row["successor"] = entry.successor
    if entry.period:
        row["period"] = list(entry.period)
    return row


@dataclass(slots=True)
class Package:
    name: str
    source: str
    date: str
    note: str
    entries: list[Entry]
    sha256: str


def _toml_package(p: Path, raw: bytes) -> tuple[dict[str, Any], list[Entry]]:
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UpdateError([f"{p.name} 不是 UTF-8 编码的文本"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise UpdateError([f"{p.name} 不是有效的 TOML：{exc}"]) from None
    meta = data.get("package", {})
    problems = []
    if not isinstance(meta, dict):
        problems.append("[package] 应为一个表（source、date、note）")
        meta = {}
    unknown = [k for k in data if k not in ("package", "doc")]
    if unknown:
        problems.append(f"{p.name} 中有未知的键：{'、'.join(unknown)}（只能有 [package] 和 [[doc]]）")
    rows = data.get("doc", [])
    if not isinstance(rows, list) or not rows:
        problems.append(f"{p.name} 中没有 [[doc]] 条目")
        rows = []
    entries = []
    for i, row in enumerate(rows, 1):
        where = f"第{i}个 [[doc]]（{row.get('id') or row.get('title') or '无编号'}）" if isinstance(row, dict) else f"第{i}个 [[doc]]"
        if not isinstance(row, dict):
            problems.append(f"{where}应为表")
            continue
        extra = sorted(set(row) - _ENTRY_KEYS)
        if extra:
            problems.append(f"{where}：有未知的字段 {'、'.join(extra)}")
        missing = [k for k in ("id", "title", "kind", "source") if not row.get(k)]
        if missing:
            problems.append(f"{where}：缺少 {'、'.join(missing)}")
            continue
        for key in ("effective", "repealed"):
            value = row.get(key)
            if value not in (None, "") and not isinstance(value, dt.date):
                try:
                    dt.date.fromisoformat(str(value))
                except ValueError:
                    problems.append(f"{where}：{key}“{value}”不是有效日期，应写作 2026-02-01")
        period = row.get("period")
        if period is not None and (not isinstance(period, list) or len(period) != 2 or not all(isinstance(y, int) for y in period)):
            problems.append(f"{where}：period 应为 [起始年, 结束年]")
        for key in ("short", "aliases"):
            if key in row and (not isinstance(row[key], list) or not all(isinstance(x, str) for x in row[key])):
                problems.append(f"{where}：{key} 应为名称的列表")
        if problems and problems[-1].startswith(where):
            continue
        entries.append(entry_from_row(row))
    if problems:
        raise UpdateError(problems)
    return meta, entries


def load_package(file: str | Path, base: Catalog) -> Package:
    """A package read and validated against `base` (the catalog it will update). Raises
    UpdateError listing every problem."""
    p = Path(file)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise UpdateError([f"无法读取文件 {p}：{exc.strerror or exc}"]) from None
    suffix = p.suffix.lower()
    if suffix == ".toml":
        meta, entries = _toml_package(p, raw)
    elif suffix == ".csv":
        try:
            entries = load_user_csv(p, base)
        except UserCsvError as exc:
            raise UpdateError(exc.problems) from None
        meta = {}
    else:
        raise UpdateError([f"{p.name}：更新包应为 .toml（[[doc]] 条目，格式同 documents.toml）或 .csv（表头：标题、类别、施行日期、废止日期、后继文件、来源）"])
    date = meta.get("date", "")
    problems = []
    if date:
        try:
            date = dt.date.fromisoformat(str(date)).isoformat()
        except ValueError:
            problems.append(f"[package] date“{date}”不是有效日期，应写作 2026-02-01")
    problems += validate(list(base.with_entries(entries)))
    if problems:
        raise UpdateError(problems)
    return Package(p.name, str(meta.get("source") or p.name), str(date), str(meta.get("note", "")), entries,
                   hashlib.sha256(raw).hexdigest())


def import_package(file: str | Path, today: dt.date | None = None) -> dict[str, Any]:
    """Validate a package and keep its entries in the data folder; returns the import record
    (name, source, date, imported_at, sha256, added, updated). Raises UpdateError."""
    current = catalog()
    pkg = load_package(file, current)
    data = read_updates()
    bundled = {e.id for e in load_entries()}
    stored = {row["id"]: row for row in data["docs"] if isinstance(row, dict) and "id" in row}
    added = [e.title for e in pkg.entries if e.id not in bundled and e.id not in stored]
    updated = [e.title for e in pkg.entries if e.title not in added]
    for e in pkg.entries:
        stored[e.id] = _row(e)
    record = {
        "name": pkg.name, "source": pkg.source, "date": pkg.date, "note": pkg.note, "sha256": pkg.sha256,
        "imported_at": (today or dt.date.today()).isoformat(), "added": added, "updated": updated,
    }
    data["docs"] = list(stored.values())
    data["imports"].append(record)
    _write(data)
    return record


def _write(data: dict[str, Any]) -> None:
    target = updates_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        raise UpdateError([f"无法写入知识库更新文件 {target}：{exc.strerror or exc}（可用环境变量 FAZHI_DATA_DIR 指定其他位置）"]) from None
