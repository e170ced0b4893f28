"""Users, passwords (argon2id via argon2-cffi) and API tokens (only their sha256 is stored)."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fazhi.web.db import ROLES, Database, now

_hasher = PasswordHasher()
MIN_PASSWORD = 8


class AccountError(Exception):
    """A user-management request was refused; the message is one line of Chinese."""


@dataclass(slots=True, frozen=True)
class User:
    id: int
    username: str
    role: str
    unit: str | None
    session_version: int

    @property
    def is_staff(self) -> bool:
        """Reviewers and administrators: they see every unit's reports."""
        return self.role in ("admin", "reviewer")


def _user(row) -> User:
    return User(row["id"], row["username"], row["role"], row["unit"], row["session_version"])


class LoginThrottle:
    """Refuses sign-in for a user name after `limit` failures within `window` seconds, until the
    oldest of them ages out (slows password guessing; in memory, per server process)."""

    def __init__(self, limit: int = 5, window: float = 600.0):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked_for(self, username: str) -> float:
        """Seconds until this user name may try again (0 when it may)."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(username.strip().lower(), now)
            return 0.0 if len(times) < self.limit else self.window - (now - times[0])

    def failed(self, username: str) -> None:
        with self._lock:
            self._recent(username.strip().lower(), time.monotonic()).append(time.monotonic())

    def succeeded(self, username: str) -> None:
        with self._lock:
            self._failures.pop(username.strip().lower(), None)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD} 个字符")


def add_user(db: Database, username: str, password: str, role: str, unit: str | None, by: str | None = None) -> User:
    username = username.strip()
    unit = (unit or "").strip() or None
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise AccountError("用户名不能为空、不能含空格，最长 64 个字符")
    if role not in ROLES:
        raise AccountError(f"角色必须是 {'、'.join(ROLES)} 之一（admin 管理员，reviewer 审核人员，unit 报送单位）")
    if role == "unit" and not unit:
        raise AccountError("报送单位的账号必须指定单位名称（--unit）")
    check_password_strength(password)
    with db.write() as c:
        if c.execute("SELECT 1 FROM ws_users WHERE username = ?", (username,)).fetchone():
            raise AccountError(f"用户名“{username}”已存在")
        cur = c.execute(
            "INSERT INTO ws_users (username, password_hash, role, unit, created_at) VALUES (?, ?, ?, ?, ?)",
            (username, _hasher.hash(password), role, unit if role == "unit" else None, now()),
        )
        db.audit(c, by, "添加用户", username, f"角色：{role}" + (f"，单位：{unit}" if unit else ""))
        row = c.execute("SELECT * FROM ws_users WHERE id = ?", (cur.lastrowid,)).fetchone()
    return _user(row)


def authenticate(db: Database, username: str, password: str) -> User | None:
    row = db.one("SELECT * FROM ws_users WHERE username = ? AND active = 1", (username.strip(),))
    if row is None:
        _hasher.hash(password)  # spend the same time whether or not the user exists
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        with db.write() as c:
            c.execute("UPDATE ws_users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), row["id"]))
    return _user(row)


def by_id(db: Database, user_id: int) -> User | None:
    row = db.one("SELECT * FROM ws_users WHERE id = ? AND active = 1", (user_id,))
    return _user(row) if row else None


def by_name(db: Database, username: str) -> User | None:
    row = db.one("SELECT * FROM ws_users WHERE username = ?", (username,))
    return _user(row) if row else None


def count_users(db: Database) -> int:
    return db.one("SELECT count(*) FROM ws_users")[0]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token(db: Database, username: str, by: str | None = None) -> str:
    """A new API token for the user (shown once; only its hash is kept)."""
    user = by_name(db, username)
    if user is None:
        raise AccountError(f"没有用户“{username}”")
    token = "fz_" + secrets.token_urlsafe(32)
    with db.write() as c:
        c.execute("INSERT INTO ws_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)", (user.id, _token_hash(token), now()))
        db.audit(c, by or username, "生成接口令牌", username)
    return token


def by_token(db: Database, token: str) -> User | None:
    row = db.one(
        "SELECT u.* FROM ws_tokens t JOIN ws_users u ON u.id = t.user_id WHERE t.token_hash = ? AND u.active = 1",
        (_token_hash(token),),
    )
    return _user(row) if row else None


def set_password(db: Database, username: str, password: str, by: str | None) -> None:
    check_password_strength(password)
    with db.write() as c:
        cur = c.execute(
            "UPDATE ws_users SET password_hash = ?, session_version = session_version + 1 WHERE username = ?",
            (_hasher.hash(password), username),
        )
        if not cur.rowcount:
            raise AccountError(f"没有用户“{username}”")
        db.audit(c, by, "重设密码", username)


def set_active(db: Database, username: str, active: bool, by: str | None) -> None:
    if by == username and not active:
        raise AccountError("不能停用自己的账号")
    with db.write() as c:
        cur = c.execute(
            "UPDATE ws_users SET active = ?, session_version = session_version + 1 WHERE username = ?",
            (1 if active else 0, username),
        )
        if not cur.rowcount:
            raise AccountError(f"没有用户“{username}”")
        if not active:
            c.execute("DELETE FROM ws_tokens WHERE user_id = (SELECT id FROM ws_users WHERE username = ?)", (username,))
        db.audit(c, by, "启用用户" if active else "停用用户", username)


def list_users(db: Database) -> list[dict]:
    return [
        dict(r)
        for r in db.query(
            "SELECT u.id, u.username, u.role, u.unit, u.active, u.created_at,"
            " (SELECT count(*) FROM ws_tokens t WHERE t.user_id = u.id) AS tokens FROM ws_users u ORDER BY u.role, u.username"
        )
    ]
