"""`fazhi user` and `fazhi serve` from the shell."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx

FAZHI = [sys.executable, "-m", "fazhi.cli"]


def _run(*args, stdin: str = ""):
    return subprocess.run([*FAZHI, *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_user_add_token_and_errors(tmp_path):
    db = str(tmp_path / "工作台.db")
    r = _run("user", "add", "admin", "--db", db, "--role", "admin", "--password-stdin", stdin="a-long-password\n")
    assert r.returncode == 0 and "已添加用户 admin（管理员）" in r.stdout
    r = _run("user", "add", "admin", "--db", db, "--role", "admin", "--password-stdin", stdin="a-long-password\n")
    assert r.returncode == 2 and "已存在" in r.stderr and "Traceback" not in r.stderr
    r = _run("user", "add", "u1", "--db", db, "--role", "unit", "--password-stdin", stdin="a-long-password\n")
    assert r.returncode == 2 and "必须指定单位名称" in r.stderr
    r = _run("user", "add", "u1", "--db", db, "--password-stdin", stdin="short\n")
    assert r.returncode == 2
    r = _run("user", "token", "admin", "--db", db)
    assert r.returncode == 0 and r.stdout.strip().startswith("fz_")
    r = _run("user", "token", "nobody", "--db", db)
    assert r.returncode == 2 and "没有用户" in r.stderr
    r = _run("user", "list", "--db", db)
    assert "admin\t管理员" in r.stdout


def test_user_refuses_a_file_that_is_not_a_database(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("not sqlite")
    r = _run("user", "list", "--db", str(bad))
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.startswith("fazhi：")


def test_serve_binds_localhost_and_explains_the_first_user(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = str(tmp_path / "w.db")
    proc = subprocess.Popen([*FAZHI, "serve", "--db", db, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise AssertionError("server did not start")
        conns = subprocess.run(["ss", "-ltn"], capture_output=True, text=True).stdout if os.path.exists("/usr/bin/ss") or os.path.exists("/bin/ss") else ""
        if conns:
            assert f"127.0.0.1:{port}" in conns and f"0.0.0.0:{port}" not in conns
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert "fazhi user add" in err and "工作台已启动" in out


def test_serve_demo_loads_the_examples(tmp_path):
    from fazhi.web import submissions  # noqa: F401  (import check)
    from fazhi.web.cmd_serve import demo
    from fazhi.config import Config
    from fazhi.web.db import Database
    from tests.web.conftest import EXAMPLES

    db = str(tmp_path / "demo.db")
    demo(db, str(EXAMPLES), Config())
    d = Database(db)
    assert d.one("SELECT count(*) FROM ws_users WHERE role = 'admin'")[0] == 1
    n = d.one("SELECT count(*) FROM ws_versions WHERE state = 'submitted'")[0]
    assert n >= 4
    demo(db, str(EXAMPLES), Config())  # a second start loads nothing again
    assert d.one("SELECT count(*) FROM ws_versions")[0] == n
