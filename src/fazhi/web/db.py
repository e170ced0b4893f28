"""The workspace's own tables, in the corpus database file, with versioned migrations.

The corpus store (fazhi.corpus.store) stays the one source of truth for reviewed reports: the
confirmed current version of each unit's report for a year is kept there under the path
`工作台/{year}/{unit}`, so `fazhi search`, `dedup`, `followup`, `stats` and `export` see it. The
workspace adds its workflow around it:

    ws_migrations(version, applied_at)          which migrations ran
    ws_settings(key, value)                     the signing secret and office settings
    ws_users(id, username, password_hash, role, unit, active, session_version, created_at)
    ws_tokens(id, user_id, token_hash, created_at, last_used_at)       API tokens (sha256 only)
    ws_roster(id, year, unit, level, kind, region, deadline, contact, state, current_version,
              submitted_at, on_time, published_url, published_on, secrecy_by, secrecy_at, source)
    ws_versions(id, roster_id, version, filename, sha256, format, size, uploaded_by, uploaded_at,
                submitted_at, state, score, errors, warnings,
                decided_by, decided_at, summary, commented_sha256, review, text)
    ws_blobs(sha256, size, data)                originals and returned Word files, content-addressed
    ws_marks(version_id, code, start, decision, reason, user, at)      confirm / dismiss a finding
    ws_comments(id, version_id, start, "end", quote, body, user, at)   reviewer comments on text
    ws_audit(id, at, user, action, target, detail)                     every state change
    ws_version_rules(version_id, code, name, findings)                 findings per rule

States of a unit's year (ws_roster.state): missing | submitted | returned | approved.
States of one uploaded version (ws_versions.state): draft (uploaded, not yet confirmed by the unit)
| submitted | returned | approved | superseded (a later version was submitted).
"""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from fazhi.corpus.store import Store, StoreError, translate

STATES = ("missing", "submitted", "returned", "approved")
STATE_LABELS = {
    "missing": "未报送",
    "submitted": "已报送待审",
    "returned": "退回修改",
    "approved": "已通过",
    "draft": "未确认报送",
    "superseded": "已被新版本替代",
}
ROLES = ("admin", "reviewer", "unit")
ROLE_LABELS = {"admin": "管理员", "reviewer": "审核人员", "unit": "报送单位"}

# Each migration runs once, in order, inside one transaction; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE ws_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE ws_users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'reviewer', 'unit')),
        unit TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        session_version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL
    );
    CREATE TABLE ws_tokens (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES ws_users(id) ON DELETE CASCADE,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        last_used_at TEXT
    );
    CREATE TABLE ws_roster (
        id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        unit TEXT NOT NULL,
        level TEXT,
        kind TEXT,
        region TEXT,
        deadline TEXT NOT NULL,
        contact TEXT,
        state TEXT NOT NULL DEFAULT 'missing',
        current_version INTEGER,
        submitted_at TEXT,
        on_time INTEGER,
        published_url TEXT,
        published_on TEXT,
        secrecy_by TEXT,
        secrecy_at TEXT,
        source TEXT NOT NULL DEFAULT 'import',
        UNIQUE (year, unit)
    );
    CREATE INDEX ws_roster_year_state ON ws_roster(year, state);
    CREATE TABLE ws_blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
    CREATE TABLE ws_versions (
        id INTEGER PRIMARY KEY,
        roster_id INTEGER NOT NULL REFERENCES ws_roster(id),
        version INTEGER NOT NULL,
        filename TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES ws_blobs(sha256),
        format TEXT,
        size INTEGER NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL,
        submitted_at TEXT,
        state TEXT NOT NULL DEFAULT 'draft',
        score REAL,
        errors INTEGER NOT NULL DEFAULT 0,
        warnings INTEGER NOT NULL DEFAULT 0,
        decided_by TEXT,
        decided_at TEXT,
        summary TEXT,
        commented_sha256 TEXT REFERENCES ws_blobs(sha256),
        -- the large columns last: SQLite reads a row's columns in order, through overflow pages
        review TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        UNIQUE (roster_id, version)
    );
    CREATE INDEX ws_versions_state ON ws_versions(state);
    CREATE INDEX ws_versions_score ON ws_versions(score);
    CREATE TABLE ws_marks (
        version_id INTEGER NOT NULL REFERENCES ws_versions(id),
        code TEXT NOT NULL,
        start INTEGER NOT NULL,
        decision TEXT NOT NULL CHECK (decision IN ('confirm', 'dismiss')),
        reason TEXT,
        user TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (version_id, code, start)
    );
    CREATE TABLE ws_comments (
        id INTEGER PRIMARY KEY,
        version_id INTEGER NOT NULL REFERENCES ws_versions(id),
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        quote TEXT NOT NULL,
        body TEXT NOT NULL,
        user TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE ws_audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT,
        action TEXT NOT NULL,
        target TEXT,
        detail TEXT
    );
    -- findings per rule in each version, for dismissal rates and the queue's rule filter
    CREATE TABLE ws_version_rules (
        version_id INTEGER NOT NULL REFERENCES ws_versions(id),
        code TEXT NOT NULL,
        name TEXT NOT NULL,
        findings INTEGER NOT NULL,
        PRIMARY KEY (version_id, code)
    );
    CREATE INDEX ws_versions_roster ON ws_versions(roster_id);
    CREATE INDEX ws_version_rules_code ON ws_version_rules(code);
    """,
)


def now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")


class Database:
    """The workspace's connection factory: one connection per thread, WAL, writes serialized by
    BEGIN IMMEDIATE with a generous busy timeout (concurrent uploads wait, never fail)."""

    def __init__(self, path: str | Path, timeout: float = 30.0):
        self.path = str(path)
        self.timeout = timeout
        self._local = threading.local()
        # Creates the corpus schema (and checks the file is a fazhi database) first.
        with Store.open(self.path, timeout=timeout):
            pass
        self.migrate()

    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            try:
                c = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            except sqlite3.Error as exc:
                raise translate(exc, self.path) from None
            c.row_factory = sqlite3.Row
            c.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            c.execute("PRAGMA foreign_keys = ON")
            c.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = c
        return c

    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.conn().execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.conn().execute(sql, params).fetchone()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE … COMMIT, rolled back on any error."""
        c = self.conn()
        try:
            c.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        try:
            yield c
            c.execute("COMMIT")
        except BaseException as exc:
            if c.in_transaction:
                c.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, self.path) from None
            raise

    def store(self) -> Store:
        """A corpus Store on this file, for this thread's writes to the reports table."""
        return Store.open(self.path, timeout=self.timeout)

    def migrate(self) -> None:
        c = self.conn()
        c.execute("CREATE TABLE IF NOT EXISTS ws_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {r[0] for r in c.execute("SELECT version FROM ws_migrations")}
        if max(done, default=0) > len(MIGRATIONS):
            raise StoreError("schema-version", f"工作台数据由更新版本的 fazhi 创建（版本 {max(done)}），请升级 fazhi")
        for number, script in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            with self.write() as w:
                if w.execute("SELECT 1 FROM ws_migrations WHERE version = ?", (number,)).fetchone():
                    continue  # another process ran it meanwhile
                for statement in script.split(";"):
                    if statement.strip():
                        w.execute(statement)
                w.execute("INSERT INTO ws_migrations VALUES (?, ?)", (number, now()))
        if self.setting("secret") is None:
            with self.write() as w:
                w.execute("INSERT OR IGNORE INTO ws_settings VALUES ('secret', ?)", (secrets.token_hex(32),))

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM ws_settings WHERE key = ?", (key,))
        return row[0] if row else default

    def audit(self, c: sqlite3.Connection, user: str | None, action: str, target: str = "", detail: str = "") -> None:
        """Record a state change; call inside the write() that makes it."""
        c.execute(
            "INSERT INTO ws_audit (at, user, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (now(), user, action, target, detail),
        )

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None
