"""Each rule's dismissal rate from the workspace's reviews: of the findings in reports a reviewer
decided (approved or returned), the share the reviewer marked 不采纳 — the false-alarm rate
measured in real use. Read by `fazhi stats` and the workspace's pages; empty for a database the
workspace never used."""

from __future__ import annotations

import sqlite3
from typing import Any


def dismissal_rates(conn: sqlite3.Connection, year: int | None = None) -> list[dict[str, Any]]:
    """Per rule: {"code", "name", "findings", "dismissed", "rate"}, highest rate first."""
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ws_%'")}
    if not {"ws_marks", "ws_versions", "ws_roster", "ws_version_rules"} <= have:
        return []
    where = "v.state IN ('approved', 'returned')" + (" AND r.year = ?" if year else "")
    params = (year,) if year else ()
    found = conn.execute(
        "SELECT vr.code, vr.name, sum(vr.findings) FROM ws_version_rules vr JOIN ws_versions v ON v.id = vr.version_id"
        f" JOIN ws_roster r ON r.id = v.roster_id WHERE {where} GROUP BY vr.code, vr.name",
        params,
    ).fetchall()
    gone = dict(
        conn.execute(
            "SELECT m.code, count(*) FROM ws_marks m JOIN ws_versions v ON v.id = m.version_id"
            f" JOIN ws_roster r ON r.id = v.roster_id WHERE m.decision = 'dismiss' AND {where} GROUP BY m.code",
            params,
        ).fetchall()
    )
    out = [
        {"code": code, "name": name, "findings": n, "dismissed": gone.get(code, 0), "rate": round(gone.get(code, 0) / n, 4) if n else 0.0}
        for code, name, n in found
    ]
    return sorted(out, key=lambda d: (-d["rate"], -d["findings"], d["code"]))
