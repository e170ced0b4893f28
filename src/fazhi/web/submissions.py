"""Uploads, versions and reviews: the workflow of one unit's report for one year.

A unit uploads a file; fazhi checks it at once and keeps it as a *draft* version, which the unit
sees with its findings before it confirms the submission. A confirmed version becomes the unit's
current report for the year (and the corpus store's record `工作台/{year}/{unit}`). A reviewer
confirms or dismisses each finding, comments on selected text, and approves or returns it; a
returned version carries a Word file with every kept finding and comment on its words.
Originals are stored content-addressed (sha256) and never altered.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fazhi
from fazhi.api import check_bytes
from fazhi.config import Config
from fazhi.corpus.store import Store
from fazhi.ingest import EXTENSIONS
from fazhi.render.docx import DocxRenderError
from fazhi.render.docx import render as render_docx
from fazhi.web.accounts import User
from fazhi.web.db import Database, now
from fazhi.web.roster import ensure_unit

CORPUS_PREFIX = "工作台"
MAX_COMMENT = 2000
MAX_REASON = 200


class SubmissionError(Exception):
    """A request on a submission was refused. `status` is the HTTP status, `code` stable,
    `message` one line of Chinese."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def corpus_path(year: int, unit: str) -> str:
    return f"{CORPUS_PREFIX}/{year}/{unit}"


def safe_filename(name: str) -> str:
    """The file's base name only, without path parts or control characters, at most 120 chars."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "报告"
    return base[-120:]


def _counts(review: dict[str, Any]) -> tuple[int, int]:
    sev = Counter(f["severity"] for f in review["findings"])
    return sev.get("error", 0), sev.get("warning", 0)


def upload(
    db: Database,
    config: Config,
    user: User,
    filename: str,
    data: bytes,
    *,
    year: int | None = None,
    unit: str | None = None,
    submit: bool = False,
) -> int:
    """Check an uploaded report and keep it as a new version; returns the version's id.

    A unit account uploads for its own unit; reviewers and administrators name the unit (else
    the report's own issuer is taken). The year defaults to the report's year."""
    filename = safe_filename(filename)
    if Path(filename).suffix.lower() not in EXTENSIONS:
        raise SubmissionError(
            415, "unsupported-type", f"不支持的文件类型：{Path(filename).suffix or '无扩展名'}（可上传 .docx .doc .wps .odt .pdf .txt .html）"
        )
    if not data:
        raise SubmissionError(422, "empty", "文件是空的")
    review = check_bytes(data, filename, config)
    if review.error is not None:
        raise SubmissionError(422, review.error.code, review.error.message)
    report = review.to_dict()
    meta = report["metadata"]
    if user.role == "unit":
        unit = user.unit
    else:
        unit = (unit or "").strip() or meta.get("issuer")
        if not unit:
            raise SubmissionError(422, "no-unit", "没有识别出报告的单位名称，请在“报送单位”中填写")
    if year is None:
        year = meta.get("report_year") or (dt.date.today().year - 1)
    if not 1990 <= int(year) <= 2100:
        raise SubmissionError(422, "bad-year", f"年度“{year}”无效")
    year = int(year)
    sha = hashlib.sha256(data).hexdigest()
    region = "".join(v for v in (meta.get("region") or {}).values() if v) or None
    errors, warnings = _counts(report)
    assert review.document is not None
    with db.write() as c:
        c.execute("INSERT OR IGNORE INTO ws_blobs (sha256, size, data) VALUES (?, ?, ?)", (sha, len(data), data))
        roster_id = ensure_unit(c, config, year, unit, meta.get("issuer_level"), region)
        number = c.execute("SELECT coalesce(max(version), 0) + 1 FROM ws_versions WHERE roster_id = ?", (roster_id,)).fetchone()[0]
        cur = c.execute(
            "INSERT INTO ws_versions (roster_id, version, filename, sha256, format, size, uploaded_by, uploaded_at,"
            " review, text, score, errors, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                roster_id, number, filename, sha, report["format"], len(data), user.username, now(),
                json.dumps(report, ensure_ascii=False), review.document.text,
                (report.get("scores") or {}).get("overall"), errors, warnings,
            ),
        )
        vid = cur.lastrowid
        per_rule = Counter((f["code"], f["name"]) for f in report["findings"])
        c.executemany(
            "INSERT INTO ws_version_rules (version_id, code, name, findings) VALUES (?, ?, ?, ?)",
            [(vid, code, name, n) for (code, name), n in per_rule.items()],
        )
        db.audit(c, user.username, "上传报告", f"{year}/{unit}", f"第{number}版 {filename}（{sha[:12]}）")
    if submit:
        confirm(db, vid, user)
    return vid


def get(db: Database, vid: int, user: User) -> dict[str, Any]:
    """A version with its roster row, visible to this user; 404 for another unit's."""
    row = db.one(
        "SELECT v.*, r.year, r.unit, r.level, r.region, r.deadline, r.state AS unit_state, r.current_version,"
        " r.contact FROM ws_versions v JOIN ws_roster r ON r.id = v.roster_id WHERE v.id = ?",
        (vid,),
    )
    if row is None or (user.role == "unit" and row["unit"] != user.unit):
        raise SubmissionError(404, "not-found", "没有这份报告，或您无权查看")
    return dict(row)


def api_object(db: Database, row: dict[str, Any]) -> dict[str, Any]:
    """The API's representation: {"id", "unit", "year", "version", "state", "report"}, REPORT being
    exactly the object of `fazhi check --format json`; plus the review's decision and marks."""
    marks = db.query("SELECT code, start, decision, reason, user, at FROM ws_marks WHERE version_id = ?", (row["id"],))
    return {
        "id": row["id"],
        "unit": row["unit"],
        "year": row["year"],
        "version": row["version"],
        "state": row["state"],
        "filename": row["filename"],
        "uploaded_at": row["uploaded_at"],
        "submitted_at": row["submitted_at"],
        "summary": row["summary"],
        "dismissed": [{"code": m["code"], "start": m["start"], "reason": m["reason"]} for m in marks if m["decision"] == "dismiss"],
        "report": json.loads(row["review"]),
    }


def _corpus_put(db: Database, c, row: dict[str, Any]) -> None:
    """Make this version the corpus store's record of the unit's year, inside the open write."""
    Store.joining(c, db.path).put(corpus_path(row["year"], row["unit"]), row["sha256"], json.loads(row["review"]), row["text"])


def confirm(db: Database, vid: int, user: User) -> None:
    """The unit confirms a draft: it becomes the unit's submitted report for the year."""
    row = get(db, vid, user)
    if row["state"] != "draft":
        raise SubmissionError(409, "not-draft", "这一版已经报送过了")
    if row["unit_state"] == "approved":
        raise SubmissionError(409, "approved", "本年度报告已审核通过，不能再报送新版本")
    stamp = now()
    on_time = stamp[:10] <= row["deadline"]
    with db.write() as c:
        c.execute("UPDATE ws_versions SET state = 'superseded' WHERE roster_id = ? AND state = 'submitted'", (row["roster_id"],))
        c.execute("UPDATE ws_versions SET state = 'submitted', submitted_at = ? WHERE id = ?", (stamp, vid))
        c.execute(
            "UPDATE ws_roster SET state = 'submitted', current_version = ?, submitted_at = coalesce(submitted_at, ?),"
            " on_time = coalesce(on_time, ?) WHERE id = ?",
            (vid, stamp, 1 if on_time else 0, row["roster_id"]),
        )
        _corpus_put(db, c, row)
        db.audit(c, user.username, "确认报送", f"{row['year']}/{row['unit']}", f"第{row['version']}版" + ("" if on_time else "（逾期）"))


def findings_of(row: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(row["review"])["findings"]


def mark(db: Database, vid: int, user: User, code: str, start: int, decision: str, reason: str = "") -> None:
    """A reviewer confirms or dismisses one finding (dismissal needs a short reason)."""
    row = get(db, vid, user)
    if decision not in ("confirm", "dismiss"):
        raise SubmissionError(422, "bad-decision", "只能“确认”或“不采纳”")
    if not any(f["code"] == code and f["start"] == start for f in findings_of(row)):
        raise SubmissionError(404, "no-finding", "这份报告没有这条问题")
    reason = reason.strip()[:MAX_REASON]
    if decision == "dismiss" and not reason:
        raise SubmissionError(422, "no-reason", "不采纳一条问题时请简要说明理由")
    with db.write() as c:
        c.execute(
            "INSERT INTO ws_marks VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (version_id, code, start) DO UPDATE SET"
            " decision = excluded.decision, reason = excluded.reason, user = excluded.user, at = excluded.at",
            (vid, code, start, decision, reason or None, user.username, now()),
        )
        db.audit(c, user.username, "确认问题" if decision == "confirm" else "不采纳问题", f"{row['year']}/{row['unit']}#{vid}", f"{code}@{start} {reason}")


def comment(db: Database, vid: int, user: User, body: str, *, start: int | None = None, end: int | None = None, quote: str = "") -> int:
    """A reviewer's comment on a passage: by offsets (selected in the page) or by quoting it."""
    row = get(db, vid, user)
    body = body.strip()
    if not body:
        raise SubmissionError(422, "empty-comment", "意见不能为空")
    if len(body) > MAX_COMMENT:
        raise SubmissionError(422, "long-comment", f"意见不能超过 {MAX_COMMENT} 个字")
    text = row["text"]
    if start is None or end is None:
        quote = quote.strip()
        at = text.find(quote) if quote else -1
        if at < 0:
            raise SubmissionError(422, "quote-not-found", "在报告中没有找到所引用的文字，请从正文中复制原文")
        start, end = at, at + len(quote)
    if not (0 <= start < end <= len(text)):
        raise SubmissionError(422, "bad-range", "所选文字的位置无效")
    with db.write() as c:
        cur = c.execute(
            'INSERT INTO ws_comments (version_id, start, "end", quote, body, user, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
            (vid, start, end, text[start:end][:500], body, user.username, now()),
        )
        db.audit(c, user.username, "添加审核意见", f"{row['year']}/{row['unit']}#{vid}", body[:100])
    return cur.lastrowid


def comments(db: Database, vid: int) -> list[dict[str, Any]]:
    return [dict(r) for r in db.query('SELECT * FROM ws_comments WHERE version_id = ? ORDER BY start', (vid,))]


def marks(db: Database, vid: int) -> dict[tuple[str, int], dict[str, Any]]:
    return {(r["code"], r["start"]): dict(r) for r in db.query("SELECT * FROM ws_marks WHERE version_id = ?", (vid,))}


def commented_docx(db: Database, row: dict[str, Any], config: Config) -> bytes:
    """The Word file a returned report goes back with: every finding not dismissed and every
    reviewer comment as a Word comment on its words, plus the decision's summary."""
    blob = db.one("SELECT data FROM ws_blobs WHERE sha256 = ?", (row["sha256"],))
    dismissed = {k for k, m in marks(db, row["id"]).items() if m["decision"] == "dismiss"}
    notes = [(c["start"], c["end"], f"【审核意见】{c['body']}", c["user"]) for c in comments(db, row["id"])]
    with tempfile.TemporaryDirectory(prefix="fazhi-web-") as tmp:
        src = Path(tmp) / f"original{Path(row['filename']).suffix.lower()}"
        src.write_bytes(blob["data"])
        review = fazhi.check(src, config)
        if review.document is None:
            raise SubmissionError(500, "recheck-failed", "无法重新读取原文件以生成批注")
        review.findings = [f for f in review.findings if (f.code, f.start) not in dismissed]
        if row.get("summary"):
            notes.insert(0, (0, 1, f"【审核结论：退回修改】{row['summary']}", row.get("decided_by") or "审核人员"))
        out = Path(tmp) / "commented.docx"
        try:
            render_docx(review, out, require_rectification=config.require_rectification, notes=notes)
        except DocxRenderError as exc:
            raise SubmissionError(500, "docx-failed", str(exc)) from None
        return out.read_bytes()


def decide(db: Database, vid: int, user: User, decision: str, summary: str, config: Config, dismissed: list[dict[str, Any]] = ()) -> None:
    """通过 (approve) or 退回修改 (return, with a summary) the unit's current submitted version."""
    if decision not in ("approve", "return"):
        raise SubmissionError(422, "bad-decision", "审核结论只能是“通过”或“退回修改”")
    row = get(db, vid, user)
    if row["state"] != "submitted":
        raise SubmissionError(409, "not-submitted", "只能审核已报送、待审核的当前版本")
    summary = summary.strip()[:MAX_COMMENT]
    if decision == "return" and not summary:
        raise SubmissionError(422, "no-summary", "退回修改时请填写修改意见摘要")
    for d in dismissed:
        try:
            mark(db, vid, user, str(d["code"]), int(d["start"]), "dismiss", str(d.get("reason") or ""))
        except (KeyError, TypeError, ValueError):
            raise SubmissionError(422, "bad-dismissal", "dismissed 的每一项须含 code、start、reason") from None
    row.update(summary=summary, decided_by=user.username)
    commented = commented_docx(db, row, config) if decision == "return" else None
    sha = hashlib.sha256(commented).hexdigest() if commented else None
    state = "approved" if decision == "approve" else "returned"
    with db.write() as c:
        if commented:
            c.execute("INSERT OR IGNORE INTO ws_blobs (sha256, size, data) VALUES (?, ?, ?)", (sha, len(commented), commented))
        c.execute(
            "UPDATE ws_versions SET state = ?, decided_by = ?, decided_at = ?, summary = ?, commented_sha256 = ? WHERE id = ?",
            (state, user.username, now(), summary or None, sha, vid),
        )
        c.execute("UPDATE ws_roster SET state = ? WHERE id = ?", (state, row["roster_id"]))
        db.audit(c, user.username, "审核通过" if state == "approved" else "退回修改", f"{row['year']}/{row['unit']}#{vid}", summary[:200])


def blob(db: Database, sha: str) -> bytes:
    row = db.one("SELECT data FROM ws_blobs WHERE sha256 = ?", (sha,))
    if row is None:
        raise SubmissionError(404, "not-found", "文件不存在")
    return row["data"]


def versions(db: Database, roster_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in db.query(
            "SELECT id, version, filename, state, uploaded_by, uploaded_at, submitted_at, score, errors, warnings,"
            " decided_by, decided_at, summary, commented_sha256 FROM ws_versions WHERE roster_id = ? ORDER BY version DESC",
            (roster_id,),
        )
    ]


@dataclass(slots=True)
class Comparison:
    rows: list[tuple[str, str, str]]  # (op, old line, new line); op: equal | replace | delete | insert
    fixed: list[dict[str, Any]]  # findings of the old version not in the new
    introduced: list[dict[str, Any]]  # findings of the new version not in the old
    kept: int


def _finding_key(text: str, f: dict[str, Any]) -> tuple[str, str]:
    return f["code"], text[f["start"] : max(f["end"], f["start"] + 1)]


def compare(old: dict[str, Any], new: dict[str, Any]) -> Comparison:
    """What changed between two versions, line by line, and which findings the new one fixed or
    introduced (a finding is the same when its rule and its words are the same)."""
    a, b = old["text"].split("\n"), new["text"].split("\n")
    rows: list[tuple[str, str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows.extend(("equal", x, y) for x, y in zip(a[i1:i2], b[j1:j2]))
        else:
            left, right = a[i1:i2], b[j1:j2]
            for k in range(max(len(left), len(right))):
                x = left[k] if k < len(left) else ""
                y = right[k] if k < len(right) else ""
                rows.append(("replace" if x and y else ("delete" if x else "insert"), x, y))
    old_f = Counter(_finding_key(old["text"], f) for f in findings_of(old))
    new_f = Counter(_finding_key(new["text"], f) for f in findings_of(new))
    fixed_keys = old_f - new_f
    introduced_keys = new_f - old_f

    def pick(row: dict[str, Any], keys: Counter) -> list[dict[str, Any]]:
        out = []
        for f in findings_of(row):
            k = _finding_key(row["text"], f)
            if keys[k] > 0:
                keys[k] -= 1
                out.append(f)
        return out

    return Comparison(rows, pick(old, fixed_keys), pick(new, introduced_keys), sum((old_f & new_f).values()))
