#!/usr/bin/env python3
"""Instructions per report of the review (`fazhi.check`), old code against new, counted by
valgrind's callgrind: a measure the machine's load does not move (the same binary, inputs and
environment give the same count), for a shared machine where CPU seconds drift by 5-20%.

    python benchmarks/review_instructions.py CORPUS --old ../old/src [--new src] [-n 150]

CORPUS is a folder of reports (e.g. /tmp/speed-corpus/reports from
`python benchmarks/make_corpus.py --quiet 1000 /tmp/speed-corpus`). For each side, two processes
run under callgrind with that side's src/ first on PYTHONPATH: both import fazhi and check the
first 20 reports (warm-up: caches, automata, lazy imports), then one checks the next N reports
and the other none. The difference of their instruction counts divided by N is the cost of one
report's review; the count of the second process is the start-up cost (import + warm-up).
Needs valgrind (Debian package valgrind). Takes about a minute per side for N = 150.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM = 20

CHILD = """
import sys
import tempfile
from pathlib import Path
from fazhi.api import check
files = sorted(p for p in Path(sys.argv[1]).rglob("*.txt") if p.is_file())
n = int(sys.argv[2])
for f in files[:{warm}]:
    check(f)
for f in files[{warm}:{warm} + n]:
    check(f)
""".replace("{warm}", str(WARM))

_COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(src: Path, corpus: Path, n: int, cache: Path) -> int:
    """Instructions of a process that imports fazhi from `src`, warms up and checks n reports,
    with fazhi's cache folder `cache` (one per side, filled beforehand: a shared folder that other
    processes write to makes the start-up count vary by billions)."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONHASHSEED": "0", "FAZHI_CACHE_DIR": str(cache)}
    res = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", CHILD, str(corpus), str(n)],
        env=env, capture_output=True, text=True, check=True,
    )
    m = _COLLECTED.search(res.stderr)
    if m is None:
        raise SystemExit(f"callgrind 没有给出指令数：{res.stderr[-500:]}")
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser(description="审阅每份报告的指令数（callgrind），新旧代码对比")
    ap.add_argument("corpus", type=Path, help="报告文件夹（.txt）")
    ap.add_argument("--old", type=Path, required=True, help="旧代码的 src 目录")
    ap.add_argument("--new", type=Path, default=ROOT / "src", help="新代码的 src 目录（默认本仓库）")
    ap.add_argument("-n", type=int, default=150, help="计数的报告份数（默认 150）")
    a = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("需要 valgrind（apt-get install valgrind）", file=sys.stderr)
        return 2
    rows = {}
    with tempfile.TemporaryDirectory(prefix="fazhi-instr-") as tmp:
        for side, src in (("old", a.old), ("new", a.new)):
            cache = Path(tmp) / side
            env = {**os.environ, "PYTHONPATH": str(src), "FAZHI_CACHE_DIR": str(cache)}
            subprocess.run([sys.executable, "-c", CHILD, str(a.corpus), "0"], env=env, check=True)  # fills the cache
            base = instructions(src, a.corpus, 0, cache)
            full = instructions(src, a.corpus, a.n, cache)
            rows[side] = (base, (full - base) / a.n)
    print(f"instructions, {a.n} reports after a warm-up of {WARM}, {a.corpus}")
    print(f"{'':28}{'old':>14}{'new':>14}{'ratio':>9}")
    (ob, op), (nb, np_) = rows["old"], rows["new"]
    print(f"{'per report (millions)':28}{op / 1e6:14.2f}{np_ / 1e6:14.2f}{op / np_:8.2f}x")
    print(f"{'start + warm-up (millions)':28}{ob / 1e6:14.1f}{nb / 1e6:14.1f}{ob / nb:8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
