"""Where knowledge updates imported by the user are kept (see fazhi.knowledge.updates), and
reading them: $FAZHI_DATA_DIR, else %APPDATA%\\fazhi on Windows, else $XDG_DATA_HOME/fazhi, else
~/.local/share/fazhi; the file is knowledge-updates.json. Unlike the cache folder, this holds
data the user chose to add: it is never deleted by fazhi."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FILE_NAME = "knowledge-updates.json"


def folder() -> Path:
    env = os.environ.get("FAZHI_DATA_DIR")
    if env:
        return Path(env)
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "fazhi"
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "fazhi"


def updates_path() -> Path:
    return folder() / FILE_NAME


def updates_stamp() -> tuple[str, int]:
    """The updates file and its modification time (-1 when absent): a cache key."""
    p = updates_path()
    try:
        return str(p), p.stat().st_mtime_ns
    except OSError:
        return str(p), -1


def read_updates() -> dict[str, Any]:
    """The stored updates ({"docs": [...], "imports": [...]}); empty when there are none or the
    file cannot be read."""
    try:
        data = json.loads(updates_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"docs": [], "imports": []}
    if not isinstance(data, dict):
        return {"docs": [], "imports": []}
    docs, imports = data.get("docs", []), data.get("imports", [])
    return {"docs": docs if isinstance(docs, list) else [], "imports": imports if isinstance(imports, list) else []}
