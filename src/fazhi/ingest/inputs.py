"""Which files a command reads: the paths given, with folders walked for supported reports."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator, Sequence

from fazhi.ingest import EXTENSIONS


def iter_inputs(paths: Sequence[str], skipped: list[str] | None = None) -> Iterator[str]:
    """Files named directly, and supported files and .zip archives found under folders
    (sorted, hidden skipped); other files found in folders are added to `skipped`."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    if f.startswith((".", "~$")):
                        continue
                    if Path(f).suffix.lower() in EXTENSIONS or f.lower().endswith(".zip"):
                        found.append(str(Path(root) / f))
                    elif skipped is not None:
                        skipped.append(str(Path(root) / f))
            yield from sorted(found)
        else:
            yield raw
