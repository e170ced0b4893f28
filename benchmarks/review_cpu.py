#!/usr/bin/env python3
"""CPU milliseconds per report of the review (`fazhi.check`), by stage and by rule, old code
against new in alternating runs.

    python benchmarks/review_cpu.py CORPUS                     # this tree: one run, stage table
    python benchmarks/review_cpu.py CORPUS --old ../old/src -n 5   # A/B: 5 alternating runs each

CORPUS is a folder of reports (e.g. `python benchmarks/make_corpus.py --quiet 1000 /tmp/speed-corpus`
then /tmp/speed-corpus/reports). Each run is a new process with the given src/ first on
PYTHONPATH; after a warm-up on the first 20 reports it reads every report and times, with
time.process_time (CPU time: the machine is shared, wall time would measure the neighbours):
load (ingest + normalize + parse), each extractor, each rule and the score. The A/B mode runs
old, new, old, new … and prints the median of each column; the runs alternate so that a change
in the machine's load hits both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(corpus: Path) -> dict[str, float]:
    """ms per report by stage ("load", "x.<extractor>", "r.<rule>", "score", "total")."""
    from fazhi.api import load
    from fazhi.config import Config
    from fazhi.extract.citations import find_citations
    from fazhi.extract.coverage import find_coverage
    from fazhi.extract.items import find_plan_items, find_shortcomings
    from fazhi.extract.quantities import find_quantities
    from fazhi.model import Facts
    from fazhi.rules import all_rules
    from fazhi.rules.registry import Context
    from fazhi.score import explain

    files = sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix == ".txt")
    cfg = Config()
    cat = cfg.catalog()
    rules = [r for r in all_rules() if cfg.enabled(r)]
    t_: dict[str, float] = defaultdict(float)
    pt = time.process_time
    for phase in ("warm", "timed"):
        t_.clear()
        for f in files[:20] if phase == "warm" else files:
            t = pt()
            doc = load(f)
            t_["load"] += pt() - t
            facts = {}
            for name, fn in (
                ("citations", lambda: find_citations(doc, cat)),
                ("quantities", lambda: find_quantities(doc.text)),
                ("coverage", lambda: find_coverage(doc)),
                ("shortcomings", lambda: find_shortcomings(doc)),
                ("plans", lambda: find_plan_items(doc)),
            ):
                t = pt()
                facts[name] = fn()
                t_["x." + name] += pt() - t
            ctx = Context(cfg, Facts(**facts), cat)
            every = []
            for r in rules:
                t = pt()
                every.extend(r.run(doc, ctx))
                t_["r." + r.name] += pt() - t
            t = pt()
            explain(doc, ctx.facts, every)
            t_["score"] += pt() - t
    n = len(files)
    out = {k: v / n * 1000 for k, v in t_.items()}
    out["extract"] = sum(v for k, v in out.items() if k.startswith("x."))
    out["rules"] = sum(v for k, v in out.items() if k.startswith("r."))
    out["total"] = out["load"] + out["extract"] + out["rules"] + out["score"]
    return out


def spawn(src: Path, corpus: Path) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src))
    res = subprocess.run(
        [sys.executable, __file__, str(corpus), "--json"], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(res.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--old", type=Path, help="the old tree's src/ folder (A/B mode)")
    ap.add_argument("--new", type=Path, default=ROOT / "src", help="the new tree's src/ (default: this one)")
    ap.add_argument("-n", type=int, default=3, help="runs of each (A/B mode)")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--top", type=int, default=15)
    a = ap.parse_args()
    if a.json:
        print(json.dumps(one_run(a.corpus)))
        return 0
    sides = {"new": a.new} if a.old is None else {"old": a.old, "new": a.new}
    runs: dict[str, list[dict[str, float]]] = {k: [] for k in sides}
    for _ in range(a.n if a.old else 1):
        for side, src in sides.items():
            runs[side].append(spawn(src, a.corpus))
    med = {side: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for side, rs in runs.items()}
    keys = ["total", "load", "extract", "rules", "score"]
    base = med["old" if a.old else "new"]
    keys += sorted((k for k in base if "." in k), key=lambda k: -base[k])[: a.top]
    print(f"CPU ms per report, median of {a.n if a.old else 1} run(s), {a.corpus}")
    print(f"{'stage':34s}" + "".join(f"{s:>9s}" for s in sides) + ("    ratio" if a.old else ""))
    for k in keys:
        row = "".join(f"{med[s][k]:9.3f}" for s in sides)
        if a.old:
            row += f"{med['old'][k] / med['new'][k]:8.2f}x" if med["new"][k] else ""
        print(f"{k:34s}{row}")
    if a.old:
        print("totals, old:", " ".join(f"{r['total']:.2f}" for r in runs["old"]),
              " new:", " ".join(f"{r['total']:.2f}" for r in runs["new"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
