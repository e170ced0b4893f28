#!/usr/bin/env python3
"""Before/after proof that a speed change moves no finding and no score.

    python benchmarks/findings_diff.py dump OUTDIR [PATH ...]   # `fazhi check --format json`, one file per report
    python benchmarks/findings_diff.py diff BEFORE AFTER         # byte-identical, or the reports that differ

`dump` runs the installed fazhi (or the one PYTHONPATH puts first, e.g. an old worktree's src/)
over every report under the given paths — by default the five seeds (../shared/seeds or
$FAZHI_SEEDS), examples/ and /tmp/speed-corpus/reports (make it with
`python benchmarks/make_corpus.py --quiet 1000 /tmp/speed-corpus`) — and writes the exact JSON
`fazhi check --format json` prints for each report, with its version line dropped, to
OUTDIR/<flattened path>.json. `diff` compares two such folders file by file and exits 1 when
anything differs (listing the first differing key path of each report).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import fazhi
from fazhi.ingest import EXTENSIONS
from fazhi.render import jsonout

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("FAZHI_SEEDS", ROOT.parent / "shared" / "seeds"))
DEFAULT_INPUTS = [SEEDS, ROOT / "examples", Path("/tmp/speed-corpus/reports")]


def reports(paths: list[Path]) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in EXTENSIONS)
        elif p.is_file():
            out.append(p)
    return out


def dump(outdir: Path, paths: list[Path]) -> int:
    outdir.mkdir(parents=True, exist_ok=True)
    files = reports(paths)
    for f in files:
        data = json.loads(jsonout.render([fazhi.check(str(f))]))
        data.pop("fazhi_version", None)
        name = str(f.resolve()).strip("/").replace("/", "__") + ".json"
        (outdir / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(files)} reports -> {outdir} (fazhi from {Path(fazhi.__file__).parent})")
    return 0


def first_difference(a, b, path: str = "") -> str:
    if type(a) is not type(b):
        return path or "/"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b or a[k] != b[k]:
                return first_difference(a.get(k), b.get(k), f"{path}/{k}")
    elif isinstance(a, list):
        if len(a) != len(b):
            return f"{path} (len {len(a)} != {len(b)})"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}/{i}")
    return path or "/"


def diff(before: Path, after: Path) -> int:
    names_a = {p.name for p in before.glob("*.json")}
    names_b = {p.name for p in after.glob("*.json")}
    bad = sorted(names_a ^ names_b)
    for n in bad:
        print(f"only in one side: {n}")
    changed = 0
    for n in sorted(names_a & names_b):
        a, b = (before / n).read_bytes(), (after / n).read_bytes()
        if a != b:
            changed += 1
            print(f"DIFFERS {n}: {first_difference(json.loads(a), json.loads(b))}")
    same = len(names_a & names_b) - changed
    print(f"{same} identical, {changed} differ, {len(bad)} unmatched")
    return 1 if changed or bad else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("dump")
    d.add_argument("outdir", type=Path)
    d.add_argument("paths", type=Path, nargs="*")
    c = sub.add_parser("diff")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    a = ap.parse_args()
    if a.cmd == "dump":
        return dump(a.outdir, a.paths or DEFAULT_INPUTS)
    return diff(a.before, a.after)


if __name__ == "__main__":
    sys.exit(main())
