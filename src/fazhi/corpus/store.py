"""The corpus store: every reviewed report in one SQLite file (WAL, FTS5 trigram index).

Other corpus modules (dedup, followup, stats, export, search) read reports through this API
and never parse review JSON themselves unless they need a key the columns do not carry.

Opening
    with Store.open("corpus.db") as store:           # creates the file and schema if needed
        ...
    Store.open(path, readonly=True)                   # search/stats/export; never writes
    Store.open(path, timeout=5.0)                     # seconds to wait for another writer

Writing (one writer at a time; `fazhi index` is the usual one)
    store.has(path, sha256) -> bool                   # stored with these bytes by this fazhi version
    store.put(path, sha256, review_dict, text)        # insert or replace one report atomically
    store.put_record(make_record(path, sha256, review_dict, text))   # the same in two steps: the
                                                      # pure make_record() runs in worker processes
    store.put_records(records, fts=False)             # many at once, full-text rows left pending
    store.complete_fts()                              # add the pending full-text rows in bulk
    store.fts_missing() -> int                        # reports search cannot find yet
    store.put_error(path, sha256, code, message)      # a file that could not be reviewed at all
    with store.transaction(): ...                     # batch several put()s into one commit; an
                                                      # error rolls back the whole batch, so every
                                                      # report is still all-or-nothing
    store.fingerprints() -> {path: (sha256, fazhi_version, error_code)}   # for fast skipping

Reading
    store.count(**filters) -> int                     # all records, failed ones included
    store.iter_reports(**filters, with_text=False, include_failed=False) -> Iterator[ReportRow]
    store.get(id) -> dict                             # the whole Review.to_dict() as stored
    store.text(id) -> str                             # the normalized text (offsets refer to it)
    store.id_of(path) -> int | None
    store.conn                                        # the sqlite3.Connection, for custom SQL

Filters (keyword arguments, all optional, combined with AND; same as `fazhi search`/`export`):
    year=2024, level="county" (or 县级), kind="department", province="四川" (prefix match, as
    are city/county/township), issuer="司法局" (substring), rule="duplicated-word" or "W101"
    (has at least one such finding), min_score=60, max_score=90, ids=[...], prefix="工作台/2024/"
    (paths starting with it: the workspace's records of one year).

Row identity: `reports.id` is the primary key. A changed file is deleted and re-inserted, so it
gets a new id; tables other modules add should reference `reports(id) ON DELETE CASCADE` so
their derived rows disappear with the report they were computed from.

Schema (version 1, recorded in `schema_version`):
    reports(id, path UNIQUE, sha256, format, error_code, error_message, title, issuer,
            issuer_level, issuer_kind, province, city, county, township, report_year, addressee,
            signed_date, script, chars, score, review JSON, text, indexed_at, fazhi_version)
        path: the absolute path; archive members as "/abs/archive.zip!inner/path.docx".
        score: review["scores"]["overall"] (or "total") when scores exist, else NULL.
    parts(report_id, seq, part, heading, start, "end")
    findings(report_id, seq, code, name, severity, category, message, start, "end", line,
             excerpt, suggestion)
    Indexes: reports(path) unique, sha256, report_year, issuer, (province, city, county),
        issuer_level, score; findings(name), findings(code). The last two of reports were added
        after version 1 shipped: opening an older database for writing creates them.
    reports_fts: FTS5(title, text), tokenize='trigram', external content = reports. put()
        adds the FTS row itself (much faster than a trigger); triggers remove or update it when
        a reports row is deleted or its title/text updated. So: insert reports only via put().
    fts_pending(id): reports stored without their FTS row yet (put_records(fts=False), what
        `fazhi index` writes: the trigram index is most of a write's cost, so it is added in
        bulk later by complete_fts()). The triggers leave the FTS index alone for pending
        reports. Added after version 1 shipped (opening an older database for writing creates
        it and replaces the triggers); a store without it has no pending reports.

Faults become `StoreError(code, message)` with a Chinese message: locked, readonly, disk-full,
not-a-database, corrupt, schema-version, not-found, io-error. A failed write rolls back; rows
already committed are never touched by a failed transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import quote

import orjson

from fazhi.version import __version__

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL,
    fazhi_version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    sha256 TEXT,
    format TEXT,
    error_code TEXT,
    error_message TEXT,
    title TEXT,
    issuer TEXT,
    issuer_level TEXT,
    issuer_kind TEXT,
    province TEXT,
    city TEXT,
    county TEXT,
    township TEXT,
    report_year INTEGER,
    addressee TEXT,
    signed_date TEXT,
    script TEXT,
    chars INTEGER,
    score REAL,
    review TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    indexed_at TEXT NOT NULL,
    fazhi_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reports_sha256 ON reports(sha256);
CREATE INDEX IF NOT EXISTS reports_year ON reports(report_year);
CREATE INDEX IF NOT EXISTS reports_issuer ON reports(issuer);
CREATE INDEX IF NOT EXISTS reports_region ON reports(province, city, county);
CREATE INDEX IF NOT EXISTS reports_level ON reports(issuer_level);
CREATE INDEX IF NOT EXISTS reports_score ON reports(score);
CREATE TABLE IF NOT EXISTS parts (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    part TEXT NOT NULL,
    heading TEXT,
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (report_id, seq)
);
CREATE TABLE IF NOT EXISTS findings (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    severity TEXT NOT NULL,
    category TEXT,
    message TEXT,
    start INTEGER,
    "end" INTEGER,
    line INTEGER,
    excerpt TEXT,
    suggestion TEXT,
    PRIMARY KEY (report_id, seq)
);
CREATE INDEX IF NOT EXISTS findings_name ON findings(name);
CREATE INDEX IF NOT EXISTS findings_code ON findings(code);
CREATE VIRTUAL TABLE IF NOT EXISTS reports_fts USING fts5(
    title, text, content='reports', content_rowid='id', tokenize='trigram'
);
"""

# Reports stored without their full-text row yet (`fazhi index` writes the FTS rows in bulk, in
# its idle time and at the end: Store.complete_fts). The triggers keep the FTS index equal to
# the reports that are not pending: removing or changing a pending report must not touch the
# FTS index (an external-content FTS5 'delete' of a row it never held corrupts it). Added after
# version 1 was released: opening an older database for writing creates the table and replaces
# the two triggers of the first release.
_FTS_PENDING = """
CREATE TABLE IF NOT EXISTS fts_pending (id INTEGER PRIMARY KEY);
DROP TRIGGER IF EXISTS reports_fts_ad;
DROP TRIGGER IF EXISTS reports_fts_au;
CREATE TRIGGER reports_fts_ad AFTER DELETE ON reports BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text)
        SELECT 'delete', old.id, old.title, old.text WHERE NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id);
    DELETE FROM fts_pending WHERE id = old.id;
END;
CREATE TRIGGER reports_fts_au AFTER UPDATE OF title, text ON reports
WHEN NOT EXISTS (SELECT 1 FROM fts_pending WHERE id = old.id) BEGIN
    INSERT INTO reports_fts(reports_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO reports_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
"""

# Indexes added after schema version 1 was released (search's filter-first plan uses them);
# opening an older database for writing adds them.
_LATER_INDEXES = (
    ("reports_level", "CREATE INDEX IF NOT EXISTS reports_level ON reports(issuer_level)"),
    ("reports_score", "CREATE INDEX IF NOT EXISTS reports_score ON reports(score)"),
)
# The last `fazhi dedup` and `fazhi followup` runs' results (kept until the next run; a
# re-indexed report's rows go with its old record). Added after version 1 was released: created
# when missing.
_COPIES = """
CREATE TABLE IF NOT EXISTS copies (
    a_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    b_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    similarity REAL NOT NULL,
    passages INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    PRIMARY KEY (a_id, b_id)
);
CREATE INDEX IF NOT EXISTS copies_b ON copies(b_id);
CREATE TABLE IF NOT EXISTS dedup_runs (
    run_at TEXT NOT NULL,
    reports INTEGER NOT NULL,
    threshold REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS followups (
    from_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    shortcomings INTEGER NOT NULL,
    shortcomings_addressed INTEGER NOT NULL,
    plans INTEGER NOT NULL,
    plans_addressed INTEGER NOT NULL,
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX IF NOT EXISTS followups_to ON followups(to_id);
CREATE TABLE IF NOT EXISTS followup_runs (
    run_at TEXT NOT NULL,
    reports INTEGER NOT NULL,
    threshold REAL NOT NULL
);
"""

# FTS5 keeps new terms in memory until this many bytes (default 1 MB, i.e. every ~40 reports)
# or the commit: larger in-memory segments mean fewer merges, about a quarter less writer time.
_FTS_HASHSIZE = f"INSERT INTO reports_fts(reports_fts, rank) VALUES ('hashsize', {32 * 1024 * 1024})"

_REPORT_COLUMNS = (
    "path", "sha256", "format", "error_code", "error_message", "title", "issuer", "issuer_level",
    "issuer_kind", "province", "city", "county", "township", "report_year", "addressee",
    "signed_date", "script", "chars", "score", "review", "text", "indexed_at", "fazhi_version",
)
# Record's review and text come as UTF-8 bytes: CAST stores them as the same TEXT a str would be.
_VALUES = ["?"] * len(_REPORT_COLUMNS)
_VALUES[_REPORT_COLUMNS.index("review")] = _VALUES[_REPORT_COLUMNS.index("text")] = "CAST(? AS TEXT)"
_INSERT_REPORT_ID = f"INSERT INTO reports (id, {', '.join(_REPORT_COLUMNS)}) VALUES (?, {', '.join(_VALUES)})"
_IN_CHUNK = 500  # values per IN (...) list (SQLite's limit on parameters is 32766, older builds 999)
FTS_SLICE = 500  # reports per transaction in complete_fts(): larger slices, fewer FTS5 segments to merge
_INSERT_PART = 'INSERT INTO parts (report_id, seq, part, heading, start, "end") VALUES (?, ?, ?, ?, ?, ?)'
_INSERT_FINDING = (
    'INSERT INTO findings (report_id, seq, code, name, severity, category, message, start, "end", line, excerpt, suggestion)'
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

LEVEL_ALIASES = {
    "中央": "central", "省": "province", "省级": "province", "市": "city", "市级": "city", "地市级": "city",
    "县": "county", "县级": "county", "乡": "township", "乡镇": "township", "乡镇级": "township",
}
LEVELS = ("central", "province", "city", "county", "township")
KIND_ALIASES = {
    "政府": "government", "人民政府": "government", "部门": "department",
    "党委": "party", "党组": "party", "党委（党组）": "party", "党委(党组)": "party",
}
KINDS = ("government", "department", "party")


def normalize_filter(key: str, value: str) -> str:
    """A --level or --kind value as stored (English key), from English or Chinese; StoreError
    for anything else, so that a typo is refused instead of silently matching nothing."""
    aliases, allowed, shown = (
        (LEVEL_ALIASES, LEVELS, "省级、市级、县级、乡镇级（或 province、city、county、township）")
        if key == "level"
        else (KIND_ALIASES, KINDS, "政府、部门、党委（或 government、department、party）")
    )
    v = str(value).strip()
    v = aliases.get(v, v.lower())
    if v not in allowed:
        raise StoreError("bad-filter", f"--{key} 的值“{value}”无效，可用：{shown}")
    return v


class StoreError(Exception):
    """A database fault. `code` is stable (kebab-case); `message` is one line of Chinese."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(slots=True)
class ReportRow:
    """One stored report, without its review JSON (use Store.get(id) for that)."""

    id: int
    path: str
    sha256: str | None
    title: str | None
    issuer: str | None
    issuer_level: str | None
    issuer_kind: str | None
    report_year: int | None
    province: str | None
    city: str | None
    county: str | None
    township: str | None
    signed_date: str | None
    score: float | None
    chars: int | None
    error_code: str | None
    text: str | None = None  # only with iter_reports(with_text=True)


_ROW_COLUMNS = (
    "id", "path", "sha256", "title", "issuer", "issuer_level", "issuer_kind", "report_year", "province",
    "city", "county", "township", "signed_date", "score", "chars", "error_code",
)


def _fazhi_version() -> str:
    return __version__


def translate(exc: BaseException, db: str | os.PathLike[str] | None = None) -> StoreError:
    """A sqlite3/OS error as a StoreError with a Chinese message."""
    where = f"（{db}）" if db else ""
    text = str(exc).lower()
    if isinstance(exc, StoreError):
        return exc
    if "locked" in text or "busy" in text:
        return StoreError("locked", f"数据库被其他程序占用{where}：另一个 fazhi 或其他程序正在写入，请等它结束后再试")
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return StoreError("readonly", f"数据库文件只读{where}：请检查文件和所在文件夹的写权限，或换一个 --db 位置")
    if "disk is full" in text or "database or disk is full" in text or getattr(exc, "errno", None) == 28:
        return StoreError("disk-full", f"磁盘已满{where}：本次未写完的记录已撤销，已保存的记录完好；请腾出空间后重新运行，会从中断处继续")
    if "not a database" in text:
        return StoreError("not-a-database", f"不是 fazhi 数据库{where}：该文件不是 SQLite 数据库，请换一个 --db 文件名")
    if "malformed" in text or "corrupt" in text:
        return StoreError("corrupt", f"数据库文件已损坏{where}：请用备份恢复，或删除后重新建立索引")
    if "unable to open" in text:
        return StoreError("readonly", f"无法打开或创建数据库文件{where}：请检查路径是否存在以及写权限")
    return StoreError("io-error", f"数据库出错{where}：{exc}")


def where_clause(filters: Mapping[str, Any], alias: str = "r") -> tuple[str, list[Any]]:
    """SQL conditions (joined by AND, "1" when empty) and parameters for the common filters."""
    conds: list[str] = []
    params: list[Any] = []
    a = alias
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if key == "year":
            conds.append(f"{a}.report_year = ?")
            params.append(int(value))
        elif key == "level":
            conds.append(f"{a}.issuer_level = ?")
            params.append(LEVEL_ALIASES.get(str(value), str(value)))
        elif key == "kind":
            conds.append(f"{a}.issuer_kind = ?")
            params.append(str(value))
        elif key in ("province", "city", "county", "township"):
            conds.append(f"{a}.{key} LIKE ? ESCAPE '\\'")
            params.append(like_escape(str(value)) + "%")
        elif key == "issuer":
            conds.append(f"{a}.issuer LIKE ? ESCAPE '\\'")
            params.append("%" + like_escape(str(value)) + "%")
        elif key == "rule":
            conds.append(f"EXISTS (SELECT 1 FROM findings f WHERE f.report_id = {a}.id AND (f.name = ? OR f.code = ?))")
            params += [str(value), str(value).upper()]
        elif key == "min_score":
            conds.append(f"{a}.score >= ?")
            params.append(float(value))
        elif key == "max_score":
            conds.append(f"{a}.score <= ?")
            params.append(float(value))
        elif key == "prefix":  # paths starting with it (a range on the unique path index)
            conds.append(f"{a}.path >= ? AND {a}.path < ?")
            params += [str(value), str(value) + "\U0010ffff"]
        elif key == "ids":
            ids = [int(i) for i in value]
            conds.append(f"{a}.id IN ({', '.join('?' * len(ids))})" if ids else "0")
            params += ids
        elif key == "once":  # after Store.count_reports_once()
            if value:
                conds.append(f"{a}.id NOT IN (SELECT id FROM temp.other_files)")
        elif key == "include_failed":
            if not value:
                conds.append(f"{a}.error_code IS NULL")
        else:
            raise TypeError(f"unknown filter: {key}")
    return (" AND ".join(conds) or "1"), params


def like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def overall_score(review: Mapping[str, Any]) -> float | None:
    """The overall score from review["scores"] ("overall", else "total"), when there is one."""
    scores = review.get("scores") or {}
    if not isinstance(scores, Mapping):
        return None
    for key in ("overall", "total"):
        value = scores.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
    return None


def _json(value: Any) -> str:
    """Strict JSON (SQLite's json functions reject NaN/Infinity): non-finite numbers become null."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(value), ensure_ascii=False, separators=(",", ":"), default=str, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


# orjson for the types a review holds; any other type (a subclass, a dataclass, a datetime, a
# non-str key, an int beyond 64 bits) makes it raise, and _json() encodes the value instead.
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_SUBCLASS | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _not_json(value: Any) -> Any:
    raise TypeError


def json_bytes(value: Any) -> bytes | str:
    """_json(value) UTF-8 encoded, byte for byte, several times faster: orjson writes the same
    text (non-finite numbers as null, no escapes but \\, \" and control characters, floats as
    repr() does) except for floats below 1e-4 (1e-05 is "0.00001" or "1e-5" there), so an output
    with a digit before "e-", or "0.0000", anywhere is made again by _json(). The str from _json()
    when the text cannot be UTF-8 encoded (a lone surrogate: sqlite3 refuses it as before)."""
    try:
        out = orjson.dumps(value, default=_not_json, option=_ORJSON_OPTIONS)
    except TypeError:  # orjson.JSONEncodeError included
        return _utf8(_json(value))
    if b"0.0000" in out:
        return _utf8(_json(value))
    i = out.find(b"e-")  # also in kebab-case names ("late-report"): a number has a digit before
    while i > 0:
        if 48 <= out[i - 1] <= 57:
            return _utf8(_json(value))
        i = out.find(b"e-", i + 2)
    return out


def _utf8(text: str) -> bytes | str:
    """The UTF-8 bytes of `text`, or `text` itself when it has a lone surrogate."""
    try:
        return text.encode()
    except UnicodeEncodeError:
        return text


@dataclass(slots=True)
class Record:
    """One review flattened into the rows put_record() inserts (everything but indexed_at and
    fazhi_version, which the writer stamps). Cheap to pickle: the review JSON and the text are
    UTF-8 bytes (str only when they cannot be encoded), which the writer stores as TEXT without
    decoding and encoding them again."""

    columns: tuple[Any, ...]  # _REPORT_COLUMNS[:-2], in order
    parts: list[tuple[Any, ...]]  # _INSERT_PART rows without report_id
    findings: list[tuple[Any, ...]]  # _INSERT_FINDING rows without report_id

    @property
    def path(self) -> str:
        return self.columns[0]

    @property
    def error(self) -> tuple[str, str] | None:
        """(code, message) when the file could not be reviewed."""
        code, message = self.columns[3], self.columns[4]
        if code is None and message is None:
            return None
        return (code or "error", message or "")


def make_record(path: str, sha256: str | None, review: Mapping[str, Any], text: str) -> Record:
    """The rows put() stores for a review; a pure function, safe to run in worker processes."""
    meta = review.get("metadata") or {}
    region = meta.get("region") or {}
    error = review.get("error") or {}
    columns = (
        path, sha256, review.get("format"), error.get("code"), error.get("message"),
        meta.get("title"), meta.get("issuer"), meta.get("issuer_level"), meta.get("issuer_kind"),
        region.get("province"), region.get("city"), region.get("county"), region.get("township"),
        meta.get("report_year"), meta.get("addressee"), meta.get("signed_date"), meta.get("script"),
        meta.get("chars"), overall_score(review),
        json_bytes(review),
        _utf8(text or ""),
    )
    parts = [(i, p.get("part"), p.get("heading"), p.get("start"), p.get("end")) for i, p in enumerate(review.get("parts") or [])]
    findings = [
        (i, f.get("code"), f.get("name"), f.get("severity"), f.get("category"), f.get("message"),
         f.get("start"), f.get("end"), f.get("line"), f.get("excerpt"), f.get("suggestion"))
        for i, f in enumerate(review.get("findings") or [])
    ]
    return Record(columns, parts, findings)


class Store:
    """A handle on one corpus database. Not shared between threads or processes."""

    def __init__(self, conn: sqlite3.Connection, path: str, readonly: bool):
        self.conn = conn
        self.path = path
        self.readonly = readonly
        self._depth = 0  # nesting of transaction()
        self.fazhi_version = _fazhi_version()

    # -- opening -------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], readonly: bool = False, timeout: float = 5.0) -> "Store":
        p = Path(path)
        if p.is_dir():
            raise StoreError("not-a-database", f"不是 fazhi 数据库（{p}）：这是一个文件夹，请指定数据库文件名")
        exists = p.exists()
        if readonly and not exists:
            raise StoreError("not-found", f"找不到数据库文件：{p}（先用 fazhi index 建立）")
        if not readonly:
            if exists and not os.access(p, os.W_OK):
                raise StoreError("readonly", f"数据库文件只读（{p}）：请检查文件的写权限，或换一个 --db 位置")
            folder = p.parent if str(p.parent) else Path(".")
            if not folder.is_dir():
                raise StoreError("not-found", f"数据库所在的文件夹不存在：{folder}")
            if not os.access(folder, os.W_OK):
                raise StoreError("readonly", f"数据库所在的文件夹只读（{folder}）：无法写入数据库和日志文件，请换一个 --db 位置")
        try:
            if readonly:
                conn = _connect_readonly(p, timeout)
            else:
                conn = sqlite3.connect(str(p), timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise translate(exc, p) from None
        store = cls(conn, str(p), readonly)
        try:
            store._setup(timeout)
        except BaseException:
            conn.close()
            raise
        return store

    @classmethod
    def joining(cls, conn: sqlite3.Connection, path: str) -> "Store":
        """A Store on a connection whose caller holds an open write transaction: put() and the
        other writes join that transaction instead of beginning their own."""
        store = cls(conn, path, False)
        store._depth = 1
        return store

    def _setup(self, timeout: float) -> None:
        c = self.conn
        try:
            c.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            c.execute("PRAGMA foreign_keys = ON")
            tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if tables and "schema_version" not in tables:
                raise StoreError("not-a-database", f"不是 fazhi 数据库（{self.path}）：这是其他程序的 SQLite 数据库，请换一个 --db 文件名")
            if "schema_version" in tables:
                version = c.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
                if version > SCHEMA_VERSION:
                    raise StoreError("schema-version", f"数据库由更新版本的 fazhi 创建（结构版本 {version}），请升级 fazhi")
            elif self.readonly:
                raise StoreError("not-a-database", f"不是 fazhi 数据库（{self.path}）：文件是空的")
            if not self.readonly:
                if c.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    c.execute("PRAGMA journal_mode = WAL")
                c.execute("PRAGMA synchronous = NORMAL")
                if "schema_version" not in tables:
                    c.execute("BEGIN IMMEDIATE")
                    for statement in _statements(_SCHEMA + _COPIES + _FTS_PENDING):
                        c.execute(statement)
                    # Fewer, larger FTS merges: about a quarter faster bulk indexing.
                    c.execute("INSERT INTO reports_fts(reports_fts, rank) VALUES ('automerge', 8)")
                    c.execute(_FTS_HASHSIZE)
                    c.execute(
                        "INSERT OR IGNORE INTO schema_version VALUES (?, ?, ?)",
                        (SCHEMA_VERSION, _now(), self.fazhi_version),
                    )
                    c.execute("COMMIT")
                else:
                    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
                    missing = [name for name, sql in _LATER_INDEXES if name not in have]
                    hashsize = c.execute("SELECT 1 FROM reports_fts_config WHERE k = 'hashsize'").fetchone()
                    if missing or not hashsize or "fts_pending" not in tables:  # made before these (same version)
                        c.execute("BEGIN IMMEDIATE")
                        for name, sql in _LATER_INDEXES:
                            if name in missing:
                                c.execute(sql)
                        if not hashsize:
                            c.execute(_FTS_HASHSIZE)
                        for statement in _statements(_COPIES):
                            c.execute(statement)
                        if "fts_pending" not in tables:
                            for statement in _statements(_FTS_PENDING):
                                c.execute(statement)
                        c.execute("COMMIT")
        except sqlite3.Error as exc:
            if c.in_transaction:
                c.execute("ROLLBACK")
            raise translate(exc, self.path) from None

    def close(self) -> None:
        try:
            self.conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Group writes into one commit. On any error everything since BEGIN is rolled back."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        self._depth = 1
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException as exc:
            try:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, self.path) from None
            raise
        finally:
            self._depth = 0

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """One report's rows: its own transaction, or part of the enclosing transaction().

        No SAVEPOINT per report: FTS5 flushes its pending terms at every savepoint, which
        makes batched inserts several times slower. Inside transaction() a failing put()
        therefore rolls back the whole batch, which is still all-or-nothing per report."""
        if not self._depth:
            with self.transaction():
                yield
            return
        try:
            yield
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def _replace_run(self, table: str, runs: str, rows: list[tuple[Any, ...]], reports: int, threshold: float) -> None:
        """Replace a derived table (copies, followups) and its run record in one transaction."""
        with self.transaction():
            self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute(f"DELETE FROM {runs}")
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self.conn.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
            self.conn.execute(f"INSERT INTO {runs} VALUES (?, ?, ?)", (_now(), reports, threshold))

    def _run(self, runs: str) -> dict[str, Any] | None:
        try:
            row = self.conn.execute(f"SELECT run_at, reports, threshold FROM {runs}").fetchone()
        except sqlite3.OperationalError:  # a read-only database made before the table existed
            return None
        return None if row is None else {"run_at": row[0], "reports": row[1], "threshold": row[2]}

    def replace_copies(self, rows: list[tuple[int, int, str, float, int, int]], reports: int, threshold: float) -> None:
        """Store a dedup run's pairs (a_id, b_id, kind, similarity, passages, chars), replacing
        the previous run's."""
        self._replace_run("copies", "dedup_runs", rows, reports, threshold)

    def dedup_run(self) -> dict[str, Any] | None:
        """When the stored dedup results were computed, over how many reports; None if never."""
        return self._run("dedup_runs")

    def count_reports_once(self) -> int:
        """Make the filter `once=True` leave out every file that the last `fazhi dedup` found to
        be another file of the same report (all of a same-report group but its smallest id), so
        that counts and rates are per report, not per file; returns how many files that is."""
        parent: dict[int, int] = {}

        def root(x: int) -> int:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b in self._rows("SELECT a_id, b_id FROM copies WHERE kind = 'same-report'"):
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        copies = [x for x in parent if root(x) != x]
        try:
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS other_files (id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM temp.other_files")
            self.conn.executemany("INSERT INTO temp.other_files VALUES (?)", [(x,) for x in copies])
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        return len(copies)

    def copies_of(self) -> dict[int, list[tuple[str, str, int, float, int, int]]]:
        """report id -> (role, kind, other id, similarity, passages, chars) for the stored pairs;
        role is "a" (the earlier report) or "b"."""
        out: dict[int, list[tuple[str, str, int, float, int, int]]] = {}
        for a, b, kind, sim, n, chars in self._rows("SELECT a_id, b_id, kind, similarity, passages, chars FROM copies"):
            out.setdefault(a, []).append(("a", kind, b, sim, n, chars))
            out.setdefault(b, []).append(("b", kind, a, sim, n, chars))
        return out

    def replace_followups(self, rows: list[tuple[int, int, int, int, int, int]], reports: int, threshold: float) -> None:
        """Store a followup run's links (from_id, to_id, shortcomings, addressed, plans,
        addressed), replacing the previous run's."""
        self._replace_run("followups", "followup_runs", rows, reports, threshold)

    def followup_run(self) -> dict[str, Any] | None:
        return self._run("followup_runs")

    def followups_to(self) -> dict[int, tuple[int | None, int, int, int, int]]:
        """to_id -> (year of the earlier report, shortcomings, addressed, plans, addressed)."""
        sql = (
            "SELECT f.to_id, r.report_year, f.shortcomings, f.shortcomings_addressed, f.plans, f.plans_addressed"
            " FROM followups f JOIN reports r ON r.id = f.from_id"
        )
        return {to: (year, *counts) for to, year, *counts in self._rows(sql)}

    def _rows(self, sql: str) -> list[Any]:
        try:
            return self.conn.execute(sql).fetchall()
        except sqlite3.OperationalError:  # a read-only database made before the table existed
            return []

    def put(self, path: str, sha256: str | None, review: Mapping[str, Any], text: str) -> int:
        """Store one review (Review.to_dict()) and its normalized text; replaces any record at
        `path`. Returns the new id."""
        return self.put_record(make_record(path, sha256, review, text))

    def put_record(self, rec: "Record") -> int:
        """put() for a review already flattened by make_record() (e.g. in a worker process, so
        that the JSON encoding is not done by the single writer). Returns the new id."""
        return self.put_records([rec])[0]

    def put_records(self, recs: "Sequence[Record]", fts: bool = True) -> list[int]:
        """Store several records at once (each replaces any record at its path; of two with the
        same path the last wins); returns their new ids, in order. With fts=False their
        full-text rows are not written but the reports are marked pending: complete_fts() adds
        them in bulk later, and until then search does not find them (fts_missing() counts
        them)."""
        if not recs:
            return []
        last = {rec.columns[0]: i for i, rec in enumerate(recs)}
        if len(last) < len(recs):  # the same path twice: only the last one is stored
            keep = sorted(last.values())
            ids = self.put_records([recs[i] for i in keep], fts)
            by_path = {recs[i].columns[0]: rid for i, rid in zip(keep, ids)}
            return [by_path[rec.columns[0]] for rec in recs]
        stamp, version = _now(), self.fazhi_version
        with self._atomic():
            c = self.conn
            paths = list(last)
            old: list[str] = []
            for i in range(0, len(paths), _IN_CHUNK):
                chunk = paths[i:i + _IN_CHUNK]
                old += [r[0] for r in c.execute(f"SELECT path FROM reports WHERE path IN ({', '.join('?' * len(chunk))})", chunk)]
            # Only DELETE when there is a row: any write that may touch the FTS table makes
            # FTS5 flush its pending terms, which costs more than the insert itself.
            if old:
                c.executemany("DELETE FROM reports WHERE path = ?", [(p,) for p in old])
            # The ids SQLite would give one by one (the largest + 1), so that the inserts can
            # be bulk statements; this connection holds the write lock.
            first = (c.execute("SELECT max(id) FROM reports").fetchone()[0] or 0) + 1
            ids = list(range(first, first + len(recs)))
            c.executemany(_INSERT_REPORT_ID, [(rid, *rec.columns, stamp, version) for rid, rec in zip(ids, recs)])
            if fts:
                # Not a trigger: FTS5 inserts from a trigger are about three times slower.
                c.executemany("INSERT INTO reports_fts(rowid, title, text) VALUES (?, ?, CAST(? AS TEXT))",
                              [(rid, rec.columns[5], rec.columns[20]) for rid, rec in zip(ids, recs)])
            else:
                c.executemany("INSERT INTO fts_pending(id) VALUES (?)", [(rid,) for rid in ids])
            c.executemany(_INSERT_PART, [(rid, *p) for rid, rec in zip(ids, recs) for p in rec.parts])
            c.executemany(_INSERT_FINDING, [(rid, *f) for rid, rec in zip(ids, recs) for f in rec.findings])
        return ids

    def fts_missing(self) -> int:
        """Reports stored without their full-text row yet (search cannot find them)."""
        try:
            return int(self.conn.execute("SELECT count(*) FROM fts_pending").fetchone()[0])
        except sqlite3.OperationalError:  # a read-only database made before the table existed
            return 0
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def complete_fts(self, limit: int | None = None, slice_size: int = FTS_SLICE) -> int:
        """Add the full-text rows of the pending reports (at most `limit`), oldest first,
        `slice_size` reports per transaction: an interruption keeps the finished slices, and
        the next call goes on from there. Returns how many were added."""
        done = 0
        c = self.conn
        while limit is None or done < limit:
            n = slice_size if limit is None else min(slice_size, limit - done)
            with self.transaction():
                row = c.execute("SELECT id FROM fts_pending ORDER BY id LIMIT 1 OFFSET ?", (n - 1,)).fetchone()
                top = row[0] if row else c.execute("SELECT max(id) FROM fts_pending").fetchone()[0]
                if top is None:
                    break
                c.execute("INSERT INTO reports_fts(rowid, title, text)"
                          " SELECT id, title, text FROM reports WHERE id IN (SELECT id FROM fts_pending WHERE id <= ?)", (top,))
                done += c.execute("DELETE FROM fts_pending WHERE id <= ?", (top,)).rowcount
        return done

    def put_error(self, path: str, sha256: str | None, code: str, message: str, fmt: str | None = None) -> int:
        """Record a file that could not be reviewed (replaces any record at `path`)."""
        review = {"path": path, "format": fmt, "error": {"code": code, "message": message},
                  "metadata": None, "parts": [], "findings": []}
        return self.put(path, sha256, review, "")

    def delete(self, path: str) -> bool:
        with self._atomic():
            return self.conn.execute("DELETE FROM reports WHERE path = ?", (path,)).rowcount > 0

    # -- reading -------------------------------------------------------------------------
    def has(self, path: str, sha256: str | None) -> bool:
        """True when `path` is stored with these bytes by this fazhi version (nothing to do)."""
        row = self._one("SELECT 1 FROM reports WHERE path = ? AND sha256 IS ? AND fazhi_version = ?", (path, sha256, self.fazhi_version))
        return row is not None

    def fingerprints(self) -> dict[str, tuple[str | None, str, str | None]]:
        """{path: (sha256, fazhi_version, error_code)} of every stored record, in one query."""
        try:
            return {r[0]: (r[1], r[2], r[3]) for r in self.conn.execute("SELECT path, sha256, fazhi_version, error_code FROM reports")}
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def count(self, **filters: Any) -> int:
        filters.setdefault("include_failed", True)
        where, params = where_clause(filters)
        return int(self._one(f"SELECT count(*) FROM reports r WHERE {where}", params)[0])

    def iter_reports(self, *, with_text: bool = False, include_failed: bool = False, order: str = "path", **filters: Any) -> Iterator[ReportRow]:
        """Stored reports matching the filters, ordered by path (or "id", "year"). Readable
        reports only unless include_failed=True."""
        where, params = where_clause({**filters, "include_failed": include_failed})
        cols = ", ".join(f"r.{c}" for c in _ROW_COLUMNS) + (", r.text" if with_text else "")
        order_by = {"path": "r.path", "id": "r.id", "year": "r.report_year, r.path"}[order]
        try:
            cur = self.conn.execute(f"SELECT {cols} FROM reports r WHERE {where} ORDER BY {order_by}", params)
            for row in cur:
                yield ReportRow(*row)
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def get(self, id: int) -> dict[str, Any]:
        """The review dict stored for report `id` (KeyError if there is none)."""
        row = self._one("SELECT review FROM reports WHERE id = ?", (id,))
        if row is None:
            raise KeyError(id)
        return json.loads(row[0])

    def text(self, id: int) -> str:
        row = self._one("SELECT text FROM reports WHERE id = ?", (id,))
        if row is None:
            raise KeyError(id)
        return row[0]

    def id_of(self, path: str) -> int | None:
        row = self._one("SELECT id FROM reports WHERE path = ?", (path,))
        return None if row is None else int(row[0])

    def _one(self, sql: str, params: Any = ()) -> Any:
        try:
            return self.conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None

    def query(self, sql: str, params: Any = ()) -> list[Any]:
        """Run a read query; sqlite errors become StoreError."""
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None


def _statements(script: str) -> Iterator[str]:
    """Split the schema into statements (triggers contain semicolons before their END)."""
    buf: list[str] = []
    for line in script.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            yield joined
            buf = []


def _connect_readonly(p: Path, timeout: float) -> sqlite3.Connection:
    """A read-only connection. A WAL database needs its -shm file even to read; on a medium
    or in a folder the user cannot write (a DVD, a read-only share) SQLite cannot create it, so
    the file is then opened as immutable: no locks and no WAL, which is safe because nothing
    can be writing there."""
    uri = "file:" + _uri_path(p)
    conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError as exc:
        conn.close()
        text = str(exc).lower()
        if "readonly" not in text and "read-only" not in text and "unable to open" not in text:
            raise
    return sqlite3.connect(uri + "?immutable=1", uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)


def _uri_path(p: Path) -> str:
    return quote(str(p.resolve()))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
