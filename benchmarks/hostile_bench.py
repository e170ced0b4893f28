#!/usr/bin/env python3
"""敌意输入的内存基准：一份被拆成大量单字格式片段（run）的 .docx，读取时的峰值内存。

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/hostile_bench.py                 # 1.9 million runs; rewrites its section
    python benchmarks/hostile_bench.py --runs 500000 --no-write

The .docx (fictional text, two hanzi per run, varied so the zip ratio stays below the zip-bomb check)
is built once in a temporary folder; then a fresh Python process reads it with
``fazhi.ingest.load_raw`` and reports its peak RSS (getrusage) and wall time, twice: with the run
cap of ``LIMITS.max_runs`` (the file is refused as ``too-many-runs`` before its XML tree is built)
and with the cap lifted (what reading it costs without the cap). The script writes only between
``<!-- hostile:start -->`` and ``<!-- hostile:end -->`` in docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from benchdoc import loadavg, publish  # noqa: E402

READ = """
import json, resource, sys, time
from fazhi.ingest import load_raw
from fazhi.ingest.limits import LIMITS
if sys.argv[2] == "uncapped":
    LIMITS.max_runs = 10**12
t = time.perf_counter()
try:
    raw = load_raw(sys.argv[1]); outcome = f"读取成功（{len(raw.blocks)} 段）"
except Exception as exc:
    outcome = f"拒绝读取：{getattr(exc, 'code', type(exc).__name__)}"
print(json.dumps({"outcome": outcome, "seconds": time.perf_counter() - t,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(path: Path, runs: int) -> int:
    from tests.ingest.builders import document_xml, make_docx

    text = "关于法治政府建设情况的报告全年审查规范性文件开展执法培训办理行政复议案件"
    body = "<w:p>" + "".join(f"<w:r><w:t>{text[i % len(text)]}{chr(0x4E00 + i % 2000)}</w:t></w:r>" for i in range(runs)) + "</w:p>"
    data = make_docx([], document=document_xml(body))
    path.write_bytes(data)
    return len(data)


def measure(path: Path, mode: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", READ, str(path), mode], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=1_900_000)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    args = ap.parse_args()
    from fazhi.ingest.limits import LIMITS

    with tempfile.TemporaryDirectory(prefix="fazhi-hostile-") as tmp:
        path = Path(tmp) / "runs.docx"
        size = build(path, args.runs)
        capped, uncapped = measure(path, "capped"), measure(path, "uncapped")
    rows = [
        f"| 有上限（{LIMITS.max_runs:,} 个片段） | {capped['outcome']} | {capped['seconds']:.2f} | {capped['peak_mib']:.0f} |",
        f"| 不设上限 | {uncapped['outcome']} | {uncapped['seconds']:.2f} | {uncapped['peak_mib']:.0f} |",
    ]
    section = "\n".join([
        "## 敌意输入的内存（hostile_bench）",
        "",
        f"一份 {size / 1e6:.1f} MB 的 .docx，正文被拆成 {args.runs:,} 个两字的格式片段（run）；新进程用 `load_raw` 读取，"
        f"记录峰值内存（getrusage）。机器负载（1/5/15 分钟）：{loadavg()}。",
        "",
        "| 读取方式 | 结果 | 秒 | 峰值内存 MiB |",
        "|---|---|---:|---:|",
        *rows,
        "",
        f"命令：`python benchmarks/hostile_bench.py --runs {args.runs}`",
    ])
    publish(section, args.out, "<!-- hostile:start -->", "<!-- hostile:end -->", write=not args.no_write)


if __name__ == "__main__":
    main()
