"""Installing without surprises (issue 12, item 18): a clear Python-version check, and the
offline bundle scripts run the pip commands the README promises (checked with a stand-in
Python that records them, so the test needs no network)."""

from __future__ import annotations

import importlib.util
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"


def _check_python():
    spec = importlib.util.spec_from_file_location("check_python", SCRIPTS / "check_python.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("version,ok", [((3, 10, 12), False), ((3, 8, 0), False), ((3, 11, 0), True), ((3, 13, 1), True)])
def test_python_version_check_says_what_is_needed(version, ok, capsys):
    assert _check_python().main(version) == (0 if ok else 1)
    err = capsys.readouterr().err
    if ok:
        assert err == ""
    else:
        assert "fazhi 需要 Python 3.11 或更高版本" in err and f"{version[0]}.{version[1]}" in err


def test_python_version_check_runs_on_this_python():
    proc = subprocess.run([sys.executable, str(SCRIPTS / "check_python.py")], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == ""


STUB = """#!/bin/sh
echo "$*" >> "$STUB_LOG"
case "$1" in
  scripts/check_python.py) exec "$REAL_PYTHON" "$@";;
esac
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && ln -sf "$STUB_SELF" "$3/bin/python"
fi
if [ "$1 $2 $3" = "-m pip wheel" ]; then
  while [ $# -gt 0 ]; do
    if [ "$1" = "--wheel-dir" ]; then touch "$2/fazhi-0.1.0-py3-none-any.whl"; fi
    shift
  done
fi
exit 0
"""


@pytest.fixture
def stub(tmp_path, monkeypatch):
    path = tmp_path / "python-stub"
    path.write_text(STUB, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    log = tmp_path / "log"
    log.touch()
    env = {**os.environ, "PYTHON": str(path), "STUB_LOG": str(log), "STUB_SELF": str(path), "REAL_PYTHON": sys.executable}
    return env, log


def test_wheelhouse_script_downloads_the_locked_dependencies_for_a_platform(tmp_path, stub):
    env, log = stub
    out = tmp_path / "wh"
    proc = subprocess.run(["sh", str(SCRIPTS / "wheelhouse.sh"), str(out), "--platform", "win_amd64", "--python-version", "3.11",
                           "--only-binary=:all:"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "scripts/check_python.py"
    assert any(c.startswith(f"-m pip wheel --no-deps --wheel-dir {out} .") for c in calls)
    download = next(c for c in calls if c.startswith("-m pip download"))
    assert f"--dest {out} --find-links {out} --constraint requirements.lock --platform win_amd64 --python-version 3.11" in download
    assert f"-m pip wheel --no-deps --wheel-dir {out} --constraint requirements.lock jieba" in calls  # source-only, built here
    assert download.endswith("fazhi-0.1.0-py3-none-any.whl")


def test_install_script_installs_offline_without_the_index(tmp_path, stub):
    env, log = stub
    venv = tmp_path / "venv"
    proc = subprocess.run(["sh", str(SCRIPTS / "install.sh"), "wheelhouse"], capture_output=True, text=True,
                          env={**env, "VENV": str(venv)}, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[:2] == ["scripts/check_python.py", f"-m venv {venv}"]
    assert calls[2] == "-m pip install --no-index --find-links wheelhouse fazhi"
    assert "activate" in proc.stdout  # says how to get `fazhi` on the PATH


def test_install_script_stops_on_an_old_python(tmp_path, stub):
    env, log = stub
    old = tmp_path / "old-python"
    old.write_text("#!/bin/sh\n[ \"$1\" = scripts/check_python.py ] && echo 'fazhi 需要 Python 3.11 或更高版本' >&2 && exit 1\nexit 0\n")
    old.chmod(0o755)
    proc = subprocess.run(["sh", str(SCRIPTS / "install.sh")], capture_output=True, text=True,
                          env={**env, "PYTHON": str(old), "VENV": str(tmp_path / "v")}, cwd=tmp_path, timeout=60)
    assert proc.returncode == 1 and "需要 Python 3.11" in proc.stderr
    assert not (tmp_path / "v").exists()


def test_readme_explains_path_windows_and_offline():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for needed in ("scripts/check_python.py", ". .venv/bin/activate", ".venv\\Scripts\\activate", "py -3.11 -m venv .venv",
                   "scripts/wheelhouse.sh", "--no-index --find-links wheelhouse"):
        assert needed in readme, needed
