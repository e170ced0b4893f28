#!/usr/bin/env python3
"""索引规模基准：用 make_corpus.py 生成 1k / 10k / 100k 份虚构报告，端到端计时 `index_paths`。

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/index_bench.py                          # 1000,10000,100000; rewrites its section
    python benchmarks/index_bench.py --sizes 1000 --no-write  # a quick run, print only
    python benchmarks/index_bench.py --sizes 1000,10000 --engine dask
    python benchmarks/index_bench.py --sizes 2000 --old ../old/src -n 3   # A/B: old tree vs this one, alternating

For each size N:
* the corpus is generated once into WORKDIR/corpus-N (`python benchmarks/make_corpus.py N DIR
  --seed S`; kept for later runs and for search_bench.py; generation is not timed);
* a fresh database WORKDIR/index-N.db is built by a new Python process running
  ``index_paths(DIR, db, jobs=JOBS)`` (or the Dask engine on a LocalCluster of JOBS workers), so
  the wall time is end to end: interpreter start, imports, walking, hashing, reviewing, writing;
* while it runs, the process tree (that process and all its descendants) is sampled from /proc
  every 0.2 s: the peak of the summed RSS (an upper bound: pages shared after fork count once
  per process) and of the summed PSS (shared pages split between the sharers: the real
  footprint). After it ends, ``getrusage(RUSAGE_CHILDREN)`` gives the largest single process's
  peak RSS and the CPU seconds of the whole tree.

With --profile (default on) the first PROFILE_SAMPLE files of the smallest corpus are timed stage
by stage in this process: read + sha256, ingest + parse, extract, rules, Review.to_dict,
store.make_record (the JSON encoding and row building workers do), the pickle round trip the
record makes between processes (IPC), and the writes `fazhi index` makes: Store.put_records
(bulk, without the full-text rows) and Store.complete_fts (the FTS5 trigram rows in bulk), with
one put_record() per report (rows and FTS row together) for comparison.

With --old SRC the corpus is indexed by the other tree (its src/ folder first on the child's
sys.path) and by this one alternately, -n times each, and the medians are printed (nothing is
written): the A/B way to measure a change on a shared machine.

The script writes only between ``<!-- index:start -->`` and ``<!-- index:end -->`` in
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import pickle
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- index:start -->"
END = "<!-- index:end -->"
GOAL_RATE = 1000.0  # reports per second, end to end
GOAL_MEM = 2 * 1024**3  # bytes
PROFILE_SAMPLE = 500
PUT_BATCH = 250  # reports per write in the store timings (a real run commits every 2000 reports or 3 s)
SUPPORTED = (".txt", ".docx", ".doc", ".wps", ".odt", ".pdf", ".html", ".htm", ".mhtml", ".mht", ".zip")


# --------------------------------------------------------------------------- corpus


def ensure_corpus(n: int, workdir: Path, seed: int) -> tuple[Path, float | None]:
    """WORKDIR/corpus-N with N reports (generated unless already there). Returns (dir, seconds
    spent generating or None)."""
    out = workdir / f"corpus-{n}"
    stamp = out / ".bench-complete"
    if stamp.exists() and stamp.read_text().strip() == f"{n} {seed}":
        return out, None
    if out.exists():
        shutil.rmtree(out)
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n), str(out), "--seed", str(seed)],
                   check=True, stdout=subprocess.DEVNULL)
    stamp.write_text(f"{n} {seed}")
    return out, time.perf_counter() - t


def corpus_files(folder: Path) -> list[Path]:
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED and not p.name.startswith(".")]
    return sorted(files)


# --------------------------------------------------------------------------- memory sampling


def _tree(root: int) -> list[int]:
    """root and all its descendants, from /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, pss


class Sampler(threading.Thread):
    """Peak summed RSS/PSS of a process tree, and the largest process count seen."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _tree(self.pid)
            rss = pss = 0
            for p in pids:
                r, s = _rss_pss(p)
                rss += r
                pss += s
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.stop.wait(self.interval)


# --------------------------------------------------------------------------- one run

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
engine, folder, db, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if engine == "dask":
    from fazhi.corpus.dask_engine import index_with_dask
    result = index_with_dask([folder], db, jobs=jobs)
else:
    from fazhi.corpus.index import index_paths
    result = index_paths([folder], db, jobs=jobs)
d = result.to_dict()
print(json.dumps({"indexed": d["indexed"], "unchanged": d["unchanged"], "failed": len(d["failed"]),
                  "inner": time.perf_counter() - t0, "parent_cpu": sum(resource.getrusage(resource.RUSAGE_SELF)[:2])}))
"""


@dataclass
class Run:
    size: int
    files: int
    engine: str
    jobs: int
    wall: float = 0.0
    inner: float = 0.0  # index_paths() itself, inside the child
    indexed: int = 0
    failed: int = 0
    peak_rss: int = 0
    peak_pss: int = 0
    max_proc_rss: int = 0
    procs: int = 0
    cpu: float = 0.0
    parent_cpu: float = 0.0  # of which the indexing process itself (walking, hashing, writing)
    db_bytes: int = 0
    generated: float | None = None
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.files / self.wall if self.wall else 0.0


def run_index(n: int, folder: Path, db: Path, jobs: int, engine: str, src: Path | None = None) -> Run:
    """One end-to-end run in a new process; `src` puts another tree's src/ folder first on the
    child's sys.path (A/B runs against old code)."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    files = len(corpus_files(folder))
    run = Run(n, files, engine, jobs)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    env = None
    if src is not None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(x for x in (str(src), os.environ.get("PYTHONPATH")) if x)}
    proc = subprocess.Popen([sys.executable, "-c", CHILD, engine, str(folder), str(db), str(jobs)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    sampler = Sampler(proc.pid)
    sampler.start()
    out, err = proc.communicate()
    run.wall = time.perf_counter() - t
    sampler.stop.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.peak_rss, run.peak_pss, run.procs = sampler.peak_rss, sampler.peak_pss, sampler.peak_procs
    run.max_proc_rss = after.ru_maxrss * 1024  # largest single descendant so far (KiB on Linux)
    run.cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        run.error = (err.strip().splitlines() or ["?"])[-1]
        return run
    data = json.loads(out.strip().splitlines()[-1])
    run.indexed, run.failed, run.inner = data["indexed"], data["failed"], data["inner"]
    run.parent_cpu = data.get("parent_cpu", 0.0)
    run.db_bytes = sum(Path(str(db) + s).stat().st_size for s in ("", "-wal") if Path(str(db) + s).exists())
    return run


# --------------------------------------------------------------------------- profile


@dataclass
class Profile:
    n: int = 0
    stages: dict[str, list[float]] = field(default_factory=dict)  # seconds per report
    ipc_bytes: list[int] = field(default_factory=list)

    def add(self, name: str, seconds: float) -> None:
        self.stages.setdefault(name, []).append(seconds)

    def mean_ms(self, name: str) -> float:
        xs = self.stages.get(name) or [float("nan")]
        return 1000 * statistics.fmean(xs)


def profile(files: list[Path]) -> Profile:
    """Stage-by-stage CPU cost per report, in this one process (CPU time, not wall time: on a
    shared machine other people's load must not count)."""
    clock = time.process_time
    from fazhi.api import load
    from fazhi.corpus.store import Store, make_record
    from fazhi.extract import extract
    from fazhi.model import Review
    from fazhi.rules import run_rules

    prof = Profile()
    load(files[0])  # warm caches (knowledge base, gazetteer)
    results = []
    for f in files:
        t0 = clock()
        data = f.read_bytes()
        hashlib.sha256(data).hexdigest()
        t1 = clock()
        doc = load(f)
        t2 = clock()
        facts = extract(doc)
        t3 = clock()
        findings = run_rules(doc, None, facts)
        t4 = clock()
        review = Review(path=str(f), format=doc.format, document=doc, findings=findings, facts=facts).to_dict()
        t5 = clock()
        rec = make_record(str(f), "0" * 64, review, doc.text)  # in the worker: JSON + rows
        t6 = clock()
        blob = pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(blob)
        t7 = clock()
        for name, a, b in (("read+sha256", t0, t1), ("ingest+parse", t1, t2), ("extract", t2, t3), ("rules", t3, t4),
                           ("to_dict", t4, t5), ("make_record", t5, t6), ("IPC pickle", t6, t7)):
            prof.add(name, b - a)
        prof.ipc_bytes.append(len(blob))
        results.append(rec)
    prof.n = len(results)
    with tempfile.TemporaryDirectory() as tmp:
        # What `fazhi index` does: the rows in bulk without FTS, then the FTS rows in bulk.
        with Store.open(Path(tmp) / "bulk.db") as store:
            t = clock()
            for i in range(0, len(results), PUT_BATCH):
                store.put_records(results[i : i + PUT_BATCH], fts=False)
            t1 = clock()
            store.complete_fts()
            prof.add("Store.put_records", (t1 - t) / len(results))
            prof.add("Store.complete_fts", (clock() - t1) / len(results))
        # For comparison: one put_record() per report with its FTS row (the web workspace's way).
        with Store.open(Path(tmp) / "one.db") as store:
            t = clock()
            for i in range(0, len(results), PUT_BATCH):
                with store.transaction():
                    for rec in results[i : i + PUT_BATCH]:
                        store.put_record(rec)
            prof.add("Store.put_record", (clock() - t) / len(results))
    return prof


# --------------------------------------------------------------------------- report


def gib(x: int) -> str:
    return f"{x / 1024**3:.2f} GiB" if x >= 1024**3 else f"{x / 1024**2:.0f} MiB"


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return f"{os.cpu_count()} 核，CPU `{cpu}`，内存 {mem:.0f} GiB，Linux {platform.release()}，CPython {platform.python_version()}"


def git_rev() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def render(runs: list[Run], prof: Profile | None, args: argparse.Namespace, started: str, load: tuple[str, str]) -> str:
    from fazhi import __version__
    from fazhi.corpus.index import POOL_CHUNK

    sizes = ",".join(str(r.size) for r in runs)
    lines = [
        "## 索引规模（index_bench）",
        "",
        "> 本节由 `benchmarks/index_bench.py` 自动生成，请勿手工修改其中的数字；重新运行即可更新。",
        "",
        "复现命令（在仓库根目录、项目虚拟环境中）：",
        "",
        "```sh",
        f"python benchmarks/index_bench.py --sizes {sizes} --jobs {args.jobs} --engine {args.engine}",
        "python benchmarks/index_bench.py --sizes 1000 --no-write   # 快速试跑，只打印",
        "```",
        "",
        f"- 运行时间：{started}；机器：{machine()}",
        f"- 负载（/proc/loadavg，开始 → 结束）：{load[0]} → {load[1]}（共享机器，有噪声）",
        f"- 版本：fazhi {__version__}（git {git_rev()}）；语料：`make_corpus.py N 目录 --seed {args.seed}`（生成时间不计入）",
        f"- 每次用新进程对空数据库运行 `index_paths(目录, db, jobs={args.jobs})`"
        + ("（Dask 引擎：`index_with_dask`，LocalCluster）" if args.engine == "dask" else "")
        + "；墙钟时间为端到端（含解释器启动、导入、遍历、哈希、审阅、写库）。",
        "- 内存：进程树（父进程 + 全部子进程）每 0.2 秒采样一次。PSS 把 fork 后共享的页面按共享进程数分摊，是真实占用；"
        "RSS 之和把共享页面重复计算，是上限；“单进程最大 RSS”来自 `getrusage(RUSAGE_CHILDREN)`。",
        "",
        "| 报告数 | 文件数 | 墙钟 | 份/秒 | index_paths 本身 | CPU 秒（全部进程） | CPU 毫秒/份 | 平均在用核数 | 峰值 PSS 之和 | 峰值 RSS 之和 | 单进程最大 RSS | 进程数 | 数据库大小 | 失败 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        if r.error:
            lines.append(f"| {r.size} | {r.files} | 失败：{r.error} |" + "  |" * 11)
            continue
        lines.append(
            f"| {r.size} | {r.files} | {r.wall:.1f} s | **{r.rate:.0f}** | {r.inner:.1f} s | {r.cpu:.0f} | {1000 * r.cpu / max(r.files, 1):.1f} | "
            f"{r.cpu / r.wall if r.wall else 0:.2f} | **{gib(r.peak_pss)}** | "
            f"{gib(r.peak_rss)} | {gib(r.max_proc_rss)} | {r.procs} | {gib(r.db_bytes)} | {r.failed} |"
        )
    ok = [r for r in runs if not r.error]
    if len(ok) >= 2:
        a, b = ok[0], ok[-1]
        lines += ["", f"从 {a.size} 到 {b.size} 份（×{b.size / a.size:.0f}）：墙钟 ×{b.wall / a.wall:.1f}，"
                      f"峰值 PSS ×{b.peak_pss / max(a.peak_pss, 1):.2f}，数据库 ×{b.db_bytes / max(a.db_bytes, 1):.0f}。"]
    if prof is not None:
        total_worker = sum(prof.mean_ms(s) for s in ("read+sha256", "ingest+parse", "extract", "rules", "to_dict", "make_record")) + prof.mean_ms("IPC pickle") / 2
        parent = prof.mean_ms("IPC pickle") / 2 + prof.mean_ms("Store.put_records") + prof.mean_ms("Store.complete_fts")
        cores = os.cpu_count() or 1
        lines += [
            "",
            f"### 时间花在哪里（单进程逐段计 CPU 时间，{prof.n} 份，取平均）",
            "",
            "| 阶段 | 在哪个进程 | 毫秒/份 |",
            "|---|---|---:|",
        ]
        where = {"read+sha256": "工作进程（尚未入库的文件；已入库的由父进程读取比对）", "ingest+parse": "工作进程", "extract": "工作进程", "rules": "工作进程",
                 "to_dict": "工作进程", "make_record": "工作进程（审阅结果编码为 JSON 和各表的行）",
                 "IPC pickle": "两端（序列化 + 反序列化）",
                 "Store.put_records": f"父进程（每 {PUT_BATCH} 份一次批量写入，不含 FTS5）",
                 "Store.complete_fts": "父进程（等待工作进程时及最后批量补建 FTS5 trigram 索引）",
                 "Store.put_record": f"对照：逐份写入并同时写 FTS5（每 {PUT_BATCH} 份一个事务）"}
        for name in ("read+sha256", "ingest+parse", "extract", "rules", "to_dict", "make_record", "IPC pickle", "Store.put_records",
                     "Store.complete_fts", "Store.put_record"):
            lines.append(f"| {name} | {where[name]} | {prof.mean_ms(name):.2f} |")
        fts = prof.mean_ms("Store.complete_fts")
        ceiling_w = cores * 1000 / total_worker
        ceiling_all = cores * 1000 / (total_worker + parent)
        lines += [
            "",
            f"- 每份结果经进程间传递约 {statistics.fmean(prof.ipc_bytes) / 1024:.1f} KiB（pickle 一个 `store.Record`：审阅结果已是 JSON，与正文一样是 UTF-8 字节串；进程池每个任务 {POOL_CHUNK} 份）。",
            f"- 工作进程每份约 {total_worker:.2f} ms，父进程（唯一写入者）每份约 {parent:.2f} ms，其中批量补建 FTS5 trigram 索引约 {fts:.2f} ms。",
            f"- 由此推算的上限：若父进程不占 CPU，{cores} 核最多约 {ceiling_w:.0f} 份/秒；"
            f"把父进程的写入也算进同样的 {cores} 核，约 {ceiling_all:.0f} 份/秒。实测值还要再减去进程调度和池的开销。",
            "- 实测与上限的差距看两列：“CPU 毫秒/份”高于上面逐段之和的部分是进程池、调度和垃圾回收的开销；"
            f"“平均在用核数”低于 {cores} 的部分是共享机器上其他进程占去的 CPU（见负载）。",
        ]
    lines += ["", "### 目标达成情况", ""]
    big = max(ok, key=lambda r: r.size) if ok else None
    if big is not None:
        g1 = big.rate >= GOAL_RATE
        g2 = big.peak_pss < GOAL_MEM
        lines.append(f"1. 端到端 ≥ {GOAL_RATE:.0f} 份/秒（{big.size} 份）：{'✅ 达成' if g1 else '❌ 未达成'} —— {big.rate:.0f} 份/秒。")
        lines.append(f"2. 峰值内存 < 2 GB（{big.size} 份，PSS 之和）：{'✅ 达成' if g2 else '❌ 未达成'} —— {gib(big.peak_pss)}"
                     f"（RSS 之和 {gib(big.peak_rss)}）。")
        if big.size < 100_000:
            lines.append(f"\n注意：本次最大规模为 {big.size} 份，未跑 100,000 份。")
    return "\n".join(lines) + "\n"


def save_results(path: Path, runs: list[Run], prof: Profile | None, args: argparse.Namespace, started: str,
                 load: tuple[str, str]) -> None:
    """Keep what was measured, so the section can be re-rendered (--render) without re-running."""
    from dataclasses import asdict

    data = {"started": started, "load": list(load), "args": {k: getattr(args, k) for k in ("sizes", "jobs", "engine", "seed")},
            "runs": [asdict(r) for r in runs],
            "profile": None if prof is None else {"n": prof.n, "stages": prof.stages, "ipc_bytes": prof.ipc_bytes}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_results(path: Path) -> tuple[list[Run], Profile | None, argparse.Namespace, str, tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    runs = [Run(**r) for r in data["runs"]]
    p = data["profile"]
    prof = None if p is None else Profile(p["n"], p["stages"], p["ipc_bytes"])
    return runs, prof, argparse.Namespace(**data["args"]), data["started"], (data["load"][0], data["load"][1])


def append_to_section(path: Path, addition: str) -> None:
    """Add a sub-section at the end of the existing section (e.g. another engine's runs)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if END not in old:
        benchdoc.write_section(path, START, END, addition)
        return
    path.write_text(old.replace(END, addition.rstrip() + "\n" + END, 1), encoding="utf-8")


def render_extra(runs: list[Run], args: argparse.Namespace, started: str, load: tuple[str, str]) -> str:
    """A sub-section for --append: this invocation's table only."""
    full = render(runs, None, args, started, load)
    table = [ln for ln in full.splitlines() if ln.startswith("|")]
    sizes = ",".join(str(r.size) for r in runs)
    return "\n".join([
        "",
        f"### 引擎 {args.engine}，jobs={args.jobs}（{started}，负载 {load[0]} → {load[1]}）",
        "",
        f"`python benchmarks/index_bench.py --sizes {sizes} --jobs {args.jobs} --engine {args.engine} --no-profile --append`",
        "",
        *table,
    ]) + "\n"


def ab(sizes: list[int], workdir: Path, args: argparse.Namespace) -> int:
    """Old tree and this tree alternating (old, new, old, new ...), -n runs each per size: the
    medians of wall time, reports/s and CPU ms per report of the whole process tree."""
    sides = {"old": args.old.resolve(), "new": ROOT / "src"}
    for n in sizes:
        folder, _ = ensure_corpus(n, workdir, args.seed)
        runs: dict[str, list[Run]] = {k: [] for k in sides}
        loads = [" ".join(open("/proc/loadavg").read().split()[:3])]
        for _ in range(args.n):
            for side, src in sides.items():
                run = run_index(n, folder, workdir / f"ab-{side}-{n}.db", args.jobs, args.engine, src)
                if run.error:
                    print(f"{side}: ERROR {run.error}", file=sys.stderr)
                    return 1
                runs[side].append(run)
                print(f"{n} {side}: {run.wall:.2f} s, {run.rate:.0f}/s, {1000 * run.cpu / run.files:.2f} CPU ms/report"
                      f" ({1000 * run.parent_cpu / run.files:.2f} in the parent)", file=sys.stderr)
        loads.append(" ".join(open("/proc/loadavg").read().split()[:3]))
        print(f"{n} reports, --jobs {args.jobs} --engine {args.engine}, median of {args.n} alternating runs, load {loads[0]} -> {loads[1]}")
        print(f"{'':8s}{'wall s':>9s}{'reports/s':>11s}{'CPU ms/report':>15s}{'parent CPU ms':>15s}{'cores used':>12s}")
        med: dict[str, tuple[float, ...]] = {}
        for side, rs in runs.items():
            med[side] = (statistics.median(r.wall for r in rs), statistics.median(r.rate for r in rs),
                         statistics.median(1000 * r.cpu / r.files for r in rs),
                         statistics.median(1000 * r.parent_cpu / r.files for r in rs), statistics.median(r.cpu / r.wall for r in rs))
            print(f"{side:8s}{med[side][0]:9.2f}{med[side][1]:11.0f}{med[side][2]:15.2f}{med[side][3]:15.2f}{med[side][4]:12.2f}")
        o, w = med["old"], med["new"]
        print(f"{'new/old':8s}{w[0] / o[0]:9.2f}{w[1] / o[1]:11.2f}{w[2] / o[2]:15.2f}{w[3] / o[3]:15.2f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="逗号分隔的语料规模（默认 1000,10000,100000）")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="工作进程数（默认 CPU 核数）")
    ap.add_argument("--engine", choices=("pool", "dask"), default="pool")
    ap.add_argument("--workdir", default=os.path.join(tempfile.gettempdir(), "fazhi-bench"), help="语料和数据库目录")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-profile", action="store_true", help="不做逐段计时")
    ap.add_argument("--no-write", action="store_true", help="只打印，不写 docs/BENCHMARKS.md")
    ap.add_argument("--append", action="store_true", help="把本次结果作为小节追加到已有的一节末尾（用于对比另一种引擎），而不是改写整节")
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    ap.add_argument("--old", type=Path, metavar="SRC", help="A/B：另一棵代码树的 src/ 目录；与当前代码交替各运行 -n 次，只打印中位数")
    ap.add_argument("-n", type=int, default=3, help="A/B 模式下每边运行次数（默认 3）")
    ap.add_argument("--render", metavar="JSON", help="不运行，只用某次运行保存的结果（WORKDIR/index_results-*.json）重新生成这一节")
    args = ap.parse_args(argv)
    if args.render:
        runs, prof, saved, started, load = load_results(Path(args.render))
        section = render(runs, prof, saved, started, load)
        benchdoc.publish(section, args.out, START, END, write=not args.no_write)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    if args.old is not None:
        return ab(sizes, workdir, args)
    started = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load0 = " ".join(open("/proc/loadavg").read().split()[:3])
    runs: list[Run] = []
    prof = None
    for n in sizes:
        folder, gen = ensure_corpus(n, workdir, args.seed)
        if gen is not None:
            print(f"generated {n} reports in {gen:.0f} s", file=sys.stderr)
        if prof is None and not args.no_profile:
            prof = profile(corpus_files(folder)[:PROFILE_SAMPLE])
        run = run_index(n, folder, workdir / f"index-{n}.db", args.jobs, args.engine)
        run.generated = gen
        runs.append(run)
        print(f"{n}: {run.wall:.1f} s, {run.rate:.0f}/s, PSS {gib(run.peak_pss)}, RSS {gib(run.peak_rss)}"
              + (f", ERROR {run.error}" if run.error else ""), file=sys.stderr)
    load1 = " ".join(open("/proc/loadavg").read().split()[:3])
    saved = workdir / f"index_results-{args.engine}-{'-'.join(map(str, sizes))}.json"
    save_results(saved, runs, prof, args, started, (load0, load1))
    print(f"measurements saved to {saved}", file=sys.stderr)
    if args.append:
        section = render_extra(runs, args, started, (load0, load1))
    else:
        section = render(runs, prof, args, started, (load0, load1))
    print(section)
    if args.append and not args.no_write:
        append_to_section(Path(args.out), section)
        print(f"已追加到 {args.out}", file=sys.stderr)
    elif not args.no_write:
        benchdoc.write_section(Path(args.out), START, END, section)
        print(f"已写入 {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
