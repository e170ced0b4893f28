"""Twenty units upload at the same moment: every upload is stored, none is lost, no "database is
locked" reaches anyone."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from fazhi.web import accounts
from tests.web.conftest import EXAMPLES, PASSWORD


def test_twenty_concurrent_uploads(app, live_server):
    db = app.state.db
    text = (EXAMPLES / "clean_county_justice_2024.txt").read_text(encoding="utf-8")
    tokens = []
    for i in range(20):
        name = f"某某县第{i}局"
        accounts.add_user(db, f"u{i}", PASSWORD, "unit", name)
        tokens.append((name, accounts.new_token(db, f"u{i}")))

    def send(item):
        name, token = item
        body = text.replace("蒲江县司法局", name).encode("utf-8")
        with httpx.Client(base_url=live_server, timeout=120) as c:
            return c.post("/api/submissions", headers={"Authorization": f"Bearer {token}"}, files={"file": (f"{name}.txt", body)})

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, tokens))
    assert [r.status_code for r in results] == [201] * 20, [r.text[:200] for r in results if r.status_code != 201]
    assert all("locked" not in r.text for r in results)
    assert db.one("SELECT count(*) FROM ws_versions WHERE state = 'submitted'")[0] == 20
    assert db.one("SELECT count(*) FROM ws_roster WHERE state = 'submitted'")[0] == 20
    assert db.one("SELECT count(*) FROM reports WHERE path LIKE '工作台/%'")[0] == 20
    assert {r.json()["unit"] for r in results} == {name for name, _ in tokens}
