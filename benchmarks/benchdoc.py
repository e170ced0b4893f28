"""What every benchmark script shares: rewriting its own marked section of docs/BENCHMARKS.md,
and the machine load it records beside its figures."""

from __future__ import annotations

import re
import sys
from pathlib import Path

HEADER = (
    "# 性能基准（Benchmarks）\n\n"
    "本文件各节由 `benchmarks/` 下的脚本生成，每节位于该脚本自己的标记之间；脚本只改写自己的一节。\n"
)


def write_section(path: Path, start: str, end: str, section: str) -> None:
    """Replace the text between the markers `start` and `end` (appending the section when the
    markers are not there yet); the rest of the file is left as it is."""
    block = f"{start}\n{section.rstrip()}\n{end}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pat = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    new = pat.sub(lambda _m: block, old, count=1) if pat.search(old) else old.rstrip() + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new, encoding="utf-8")


def publish(section: str, out: str | Path, start: str, end: str, write: bool = True) -> None:
    """Print a benchmark's section and, unless `write` is false (--no-write), put it in `out`."""
    print(section)
    if write:
        write_section(Path(out), start, end, section)
        print(f"已写入 {out}", file=sys.stderr)


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: figures carry their load)."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"
