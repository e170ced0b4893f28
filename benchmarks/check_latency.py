#!/usr/bin/env python3
"""检查延迟基准：fazhi 与 gongwen-skill（PyPI）在同一次运行中对同一批报告的对比。

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/check_latency.py            # runs everything, rewrites its section of docs/BENCHMARKS.md
    python benchmarks/check_latency.py --no-write # print only
    python benchmarks/check_latency.py --quick    # few repetitions, for a smoke test

What it measures
----------------
* In-process, per report: ``fazhi.check(path)`` on the .txt, ``fazhi.check(path)`` on a .docx built
  from the same text, and the peer's own ``gongwen check IN.docx -t report`` operation
  (``engine.core.document.parser.parse_docx`` + ``engine.core.rules.engine.RuleEngine().check(model,
  "report")``) on that same .docx.  Warm-up calls are excluded; the three operations are interleaved
  round by round (rotating order) so the noise of a shared machine hits them alike.
* Cold start, as new processes: ``python -c pass`` (floor), ``python -c "import fazhi"``,
  ``fazhi --version``, ``fazhi check ONE.txt`` / ``ONE.docx`` end to end, and the peer's
  ``gongwen --version`` / ``gongwen check ONE.docx -t report``.

Inputs: every ``*.txt`` in ``../shared/seeds`` (beside the repository, or ``$FAZHI_SEEDS``) and
``examples/*.txt``.  The .docx copies are written to a temporary directory and removed afterwards.
The script writes only between ``<!-- check_latency:start -->`` and ``<!-- check_latency:end -->``
in the output file, so other benchmark scripts can keep their own sections there.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import importlib.metadata
import io
import logging
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- check_latency:start -->"
END = "<!-- check_latency:end -->"

GOAL_CHECK_MS = 10.0  # a .txt report, median, after start-up
GOAL_STARTUP_S = 0.3  # cold `fazhi --version`


# --------------------------------------------------------------------------- statistics


@dataclass
class Stats:
    samples: list[float] = field(default_factory=list)  # seconds
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.samples)

    @property
    def n(self) -> int:
        return len(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def p90(self) -> float:
        if not self.samples:
            return math.nan
        s = sorted(self.samples)
        return s[max(0, math.ceil(0.9 * len(s)) - 1)]  # nearest rank

    @property
    def min(self) -> float:
        return min(self.samples) if self.samples else math.nan


def ms(x: float) -> str:
    if x != x:  # nan
        return "—"
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def triple(st: Stats | None) -> str:
    """'median (p90 / min)' in ms."""
    if st is None:
        return "—"
    if not st.ok:
        return f"失败：{st.error}" if st.error else "—"
    return f"**{ms(st.median)}** ({ms(st.p90)} / {ms(st.min)})"


def ratio(a: Stats | None, b: Stats | None) -> float:
    if a is None or b is None or not a.ok or not b.ok or b.median <= 0:
        return math.nan
    return a.median / b.median


def fmt_ratio(x: float) -> str:
    return "—" if x != x else f"{x:.1f}×"


def geomean(xs: list[float]) -> float:
    xs = [x for x in xs if x == x and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else math.nan


# --------------------------------------------------------------------------- inputs


@dataclass
class Report:
    label: str
    txt: Path
    text: str
    docx: Path | None = None


def decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return data.decode("utf-8", errors="replace")


def seeds_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    if os.environ.get("FAZHI_SEEDS"):
        return Path(os.environ["FAZHI_SEEDS"])
    return ROOT.parent / "shared" / "seeds"


def collect_reports(seeds: Path) -> list[Report]:
    out: list[Report] = []
    if seeds.is_dir():
        for p in sorted(seeds.glob("*.txt")):
            out.append(Report(f"seeds/{p.stem[:12]}", p, decode(p.read_bytes())))
    for p in sorted((ROOT / "examples").glob("*.txt")):
        out.append(Report(f"examples/{p.stem}", p, decode(p.read_bytes())))
    return out


def build_docx(reports: list[Report], tmp: Path) -> str | None:
    """A .docx per report: one Word paragraph per text line. Returns an error text, or None."""
    try:
        import docx  # python-docx
    except ImportError:
        return "未安装 python-docx，跳过 .docx 列"
    for i, r in enumerate(reports):
        d = docx.Document()
        for line in r.text.splitlines():
            d.add_paragraph(line)
        path = tmp / f"{i:02d}_{r.txt.stem}.docx"
        d.save(str(path))
        r.docx = path
    return None


# --------------------------------------------------------------------------- the two checkers


def fazhi_op() -> Callable[[Path], int]:
    import fazhi

    def run(path: Path) -> int:
        review = fazhi.check(path)
        if review.error is not None:
            raise RuntimeError(f"{review.error.code}")
        return len(review.findings)

    return run


def peer_version() -> str | None:
    try:
        return importlib.metadata.version("gongwen-skill")
    except importlib.metadata.PackageNotFoundError:
        return None


def peer_op() -> Callable[[Path], int]:
    """The peer's `gongwen check IN.docx -t report`, in-process (same two calls as its cmd_check)."""
    from engine.core.document.parser import parse_docx
    from engine.core.rules.engine import RuleEngine
    from engine.utils.logger import logger as peer_logger

    # Its logger writes INFO lines to stderr and to $GONGWEN_DATA_DIR/logs (a temp dir here): keep
    # both handlers (that cost is part of the tool as shipped) but send the console one to devnull.
    for h in peer_logger.handlers:
        if type(h) is logging.StreamHandler:
            h.setStream(open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    engine = RuleEngine()  # one engine, as a long-running caller would keep (rules cached)

    def run(path: Path) -> int:
        model = parse_docx(str(path))
        return len(engine.check(model, "report"))

    return run


def time_call(fn: Callable[[Path], int], path: Path) -> tuple[float, int]:
    gc.collect()
    t0 = time.perf_counter()
    n = fn(path)
    return time.perf_counter() - t0, n


def bench_inprocess(
    reports: list[Report], ops: dict[str, tuple[Callable[[Path], int], str]], reps: int, warmup: int
) -> tuple[dict[tuple[str, str], Stats], dict[tuple[str, str], int]]:
    """ops: name -> (function, which file: 'txt' | 'docx'). Interleaved, rotating order."""
    stats: dict[tuple[str, str], Stats] = {}
    counts: dict[tuple[str, str], int] = {}
    names = list(ops)
    for r in reports:
        live = []
        for name in names:
            fn, kind = ops[name]
            path = r.txt if kind == "txt" else r.docx
            key = (r.label, name)
            stats[key] = Stats()
            if path is None:
                stats[key].error = "无输入"
                continue
            try:
                for _ in range(warmup):
                    _, counts[key] = time_call(fn, path)
            except Exception as exc:  # a checker that cannot read the file: report, do not crash
                stats[key].error = f"{type(exc).__name__}: {exc}"[:80]
                continue
            live.append((name, fn, path))
        for i in range(reps):
            k = i % len(live) if live else 0
            for name, fn, path in live[k:] + live[:k]:
                dt, counts[(r.label, name)] = time_call(fn, path)
                stats[(r.label, name)].samples.append(dt)
        print(
            f"  {r.label:<40} "
            + "  ".join(f"{n}={ms(stats[(r.label, n)].median)}ms" for n in names),
            file=sys.stderr,
        )
    return stats, counts


# --------------------------------------------------------------------------- cold start


def script(name: str) -> str | None:
    cand = Path(sys.executable).parent / name
    if cand.exists():
        return str(cand)
    return shutil.which(name)


def bench_cold(cmd: list[str], reps: int, warmup: int, env: dict[str, str]) -> Stats:
    st = Stats()
    try:
        for i in range(warmup + reps):
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
            dt = time.perf_counter() - t0
            if proc.returncode not in (0, 1):  # 1 = "has findings" for both checkers
                err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
                st.error = f"退出码 {proc.returncode}: {(err[-1] if err else '')[:60]}"
                st.samples.clear()
                return st
            if i >= warmup:
                st.samples.append(dt)
    except OSError as exc:
        st.error = str(exc)[:80]
    return st


# --------------------------------------------------------------------------- machine


def machine_info() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count() or 0
    try:
        mem = next(
            f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = "unknown"
    return {
        "nproc": str(affinity),
        "cpu": cpu,
        "mem": mem,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "os": f"{platform.system()} {platform.release()}",
    }


def git_rev() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src"], capture_output=True, text=True
        ).stdout.strip()
        return rev + ("（src/ 有未提交改动）" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --------------------------------------------------------------------------- report


def pkg_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "未安装"


def render(ctx: dict) -> str:
    reports: list[Report] = ctx["reports"]
    st: dict[tuple[str, str], Stats] = ctx["stats"]
    counts: dict[tuple[str, str], int] = ctx["counts"]
    cold: dict[str, Stats] = ctx["cold"]
    has_peer: bool = ctx["peer"] is not None
    m = ctx["machine"]
    a = ctx["args"]
    out = io.StringIO()
    w = out.write

    w("## 检查延迟（check_latency）\n\n")
    w("> 本节由 `benchmarks/check_latency.py` 自动生成，请勿手工修改其中的数字；重新运行即可更新。\n\n")
    w("复现命令（在仓库根目录、项目虚拟环境中）：\n\n")
    w("```sh\npip install gongwen-skill   # 对照工具（可选；未安装时跳过对照列）\n")
    w("python benchmarks/check_latency.py\n```\n\n")
    w(f"- 运行时间：{ctx['date']}，用时 {ctx['elapsed']:.0f} 秒\n")
    w(f"- 机器：{m['nproc']} 核（nproc），CPU `{m['cpu']}`，内存 {m['mem']}，{m['os']}，{m['python']}\n")
    w(f"- 负载（/proc/loadavg，开始 → 结束）：{ctx['load0']} → {ctx['load1']}（共享机器，有噪声；以中位数为准）\n")
    w(
        f"- 版本：fazhi {ctx['fazhi_version']}（git {ctx['rev']}），"
        f"gongwen-skill {ctx['peer'] or '未安装'}，python-docx {pkg_version('python-docx')}\n"
    )
    w(
        f"- 重复次数：单篇检查每项 {a.reps} 次（另有 {a.warmup} 次预热不计入），三种操作逐轮交替、轮换先后；"
        f"冷启动每项 {a.cold_reps} 次（另有 {a.cold_warmup} 次预热不计入）。"
        "每格为 **中位数**（p90 / 最小值），单位毫秒。\n\n"
    )

    w("### 单篇检查（进程内，启动之后）\n\n")
    w(
        "- `fazhi .txt`：`fazhi.check(路径)` 读取原始 .txt；`fazhi .docx`：同一文本每行一段、由 python-docx "
        "生成的 .docx（运行时写入临时目录，不入库）。\n"
    )
    if has_peer:
        w(
            "- `gongwen .docx`：对照工具 gongwen-skill 的 `gongwen check 文件.docx -t report` 所做的同一件事，"
            "在进程内调用：`parse_docx(路径)` + `RuleEngine().check(model, \"report\")`（GB/T 9704 格式规则 "
            "+ “报告”文种的内容规则；规则缓存复用，日志照常写入临时目录）。输入与 `fazhi .docx` 是同一个文件。\n"
        )
        w("- 倍数 = gongwen 中位数 ÷ fazhi 中位数（同一次运行内测得），大于 1 表示 fazhi 更快。\n\n")
    else:
        w(f"- 对照工具 gongwen-skill 未安装（{ctx['peer_note']}），本次跳过对照列。\n\n")

    head = ["报告", "字符数", "fazhi .txt", "fazhi .docx"]
    if has_peer:
        head += ["gongwen .docx", "倍数 gongwen/fazhi（.docx）", "倍数 gongwen .docx / fazhi .txt"]
    head += ["fazhi 问题数"] + (["gongwen 问题数"] if has_peer else [])
    w("| " + " | ".join(head) + " |\n")
    w("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|\n")
    for r in reports:
        row = [f"`{r.label}`", str(len(r.text))]
        row += [triple(st.get((r.label, "fazhi_txt"))), triple(st.get((r.label, "fazhi_docx")))]
        if has_peer:
            row += [
                triple(st.get((r.label, "peer_docx"))),
                fmt_ratio(ratio(st.get((r.label, "peer_docx")), st.get((r.label, "fazhi_docx")))),
                fmt_ratio(ratio(st.get((r.label, "peer_docx")), st.get((r.label, "fazhi_txt")))),
            ]
        row.append(str(counts.get((r.label, "fazhi_txt"), "—")))
        if has_peer:
            row.append(str(counts.get((r.label, "peer_docx"), "—")))
        w("| " + " | ".join(row) + " |\n")

    def pooled(op: str) -> Stats:
        s = Stats()
        for r in reports:
            x = st.get((r.label, op))
            if x is not None and x.ok:
                s.samples.extend(x.samples)
        return s

    summary = ["**全部样本**", str(sum(len(r.text) for r in reports))]
    summary += [triple(pooled("fazhi_txt")), triple(pooled("fazhi_docx"))]
    if has_peer:
        summary += [
            triple(pooled("peer_docx")),
            "几何平均 "
            + fmt_ratio(geomean([ratio(st.get((r.label, "peer_docx")), st.get((r.label, "fazhi_docx"))) for r in reports])),
            "几何平均 "
            + fmt_ratio(geomean([ratio(st.get((r.label, "peer_docx")), st.get((r.label, "fazhi_txt"))) for r in reports])),
        ]
    summary += [""] + ([""] if has_peer else [])
    w("| " + " | ".join(summary) + " |\n\n")

    w("### 冷启动（新进程，端到端）\n\n")
    w(
        "每次都新起一个 Python 进程（操作系统文件缓存是热的，`.pyc` 已生成）；"
        f"`ONE` 为 `{ctx['one'].txt.relative_to(ctx['one'].txt.parents[1]) if ctx['one'] else '—'}`"
        "及由它生成的 .docx；输出丢弃。\n\n"
    )
    w("| 命令 | 中位数 ms (p90 / 最小值) | 次数 |\n|---|---:|---:|\n")
    for label, s in cold.items():
        w(f"| `{label}` | {triple(s)} | {s.n if s.ok else '—'} |\n")
    w("\n")

    # goals
    w("### 目标达成情况\n\n")
    txt = [st.get((r.label, "fazhi_txt")) for r in reports]
    txt_ok = [s for s in txt if s is not None and s.ok]
    worst = max((s.median for s in txt_ok), default=math.nan)
    g1 = bool(txt_ok) and len(txt_ok) == len(reports) and worst < GOAL_CHECK_MS / 1000
    w(
        f"1. 启动后检查一篇 .txt 报告，中位数 < {GOAL_CHECK_MS:.0f} ms（逐篇计）："
        f"{'✅ 达成' if g1 else '❌ 未达成'} —— 最慢一篇的中位数 {ms(worst)} ms，"
        f"全部样本中位数 {ms(pooled('fazhi_txt').median)} ms。\n"
    )
    v = cold.get("fazhi --version")
    g2 = v is not None and v.ok and v.median < GOAL_STARTUP_S
    w(
        f"2. 启动（冷启动 `fazhi --version`）中位数 < {GOAL_STARTUP_S * 1000:.0f} ms："
        f"{'✅ 达成' if g2 else '❌ 未达成'} —— {ms(v.median) if v and v.ok else '—'} ms"
    )
    floor = cold.get("python -c pass")
    if floor is not None and floor.ok:
        w(f"（其中解释器本身 `python -c pass` 约 {ms(floor.median)} ms）")
    w("。\n")
    if has_peer:
        rs = [ratio(st.get((r.label, "peer_docx")), st.get((r.label, "fazhi_docx"))) for r in reports]
        valid = [x for x in rs if x == x]
        g3 = bool(valid) and len(valid) == len(reports) and min(valid) > 1
        w(
            "3. 每篇都比对照工具快（同一 .docx，进程内中位数）："
            f"{'✅ 达成' if g3 else '❌ 未达成'} —— 倍数最小 {fmt_ratio(min(valid) if valid else math.nan)}，"
            f"几何平均 {fmt_ratio(geomean(valid))}。"
        )
        pv, fv = cold.get("gongwen --version"), cold.get("fazhi --version")
        pc, fc = cold.get("gongwen check ONE.docx -t report"), cold.get("fazhi check ONE.docx")
        extra = []
        if pv and fv and pv.ok and fv.ok:
            extra.append(f"冷启动 `--version` 倍数 {fmt_ratio(ratio(pv, fv))}")
        if pc and fc and pc.ok and fc.ok:
            extra.append(f"冷启动端到端检查 .docx 倍数 {fmt_ratio(ratio(pc, fc))}")
        if extra:
            w("另：" + "，".join(extra) + "。")
        w("\n")
        if not valid:
            w("   （fazhi 未能读取 .docx 时，此项无法按同一格式比较。）\n")
    else:
        w("3. 与对照工具比较：未安装 gongwen-skill，本次未测。\n")
    w("\n")
    w(
        "*English summary:* median wall time per report, in-process after warm-up, for `fazhi.check` on the "
        ".txt and on a .docx of the same text, and for gongwen-skill's `check -t report` on the same .docx, "
        "all in one run on the machine above; plus cold-process start-up times. Ratios are gongwen/fazhi "
        "medians from this run.\n"
    )
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="Markdown 输出文件（默认 docs/BENCHMARKS.md）")
    ap.add_argument("--no-write", action="store_true", help="只打印，不写文件")
    ap.add_argument("--seeds", help="真实报告目录（默认 ../shared/seeds 或 $FAZHI_SEEDS）")
    ap.add_argument("--reps", type=int, default=40, help="单篇检查每项计时次数")
    ap.add_argument("--warmup", type=int, default=3, help="单篇检查每项预热次数（不计入）")
    ap.add_argument("--cold-reps", type=int, default=15, help="冷启动每项计时次数")
    ap.add_argument("--cold-warmup", type=int, default=2, help="冷启动每项预热次数（不计入）")
    ap.add_argument("--no-peer", action="store_true", help="不测对照工具")
    ap.add_argument("--quick", action="store_true", help="冒烟测试：很少的重复次数（未给 --out 时不写文件）")
    a = ap.parse_args(argv)
    if a.quick:
        a.reps, a.warmup, a.cold_reps, a.cold_warmup = 3, 1, 2, 0
        a.no_write = a.no_write or a.out is None
    if a.out is None:
        a.out = str(ROOT / "docs" / "BENCHMARKS.md")

    t_start = time.perf_counter()
    load0 = benchdoc.loadavg()
    tmp = Path(tempfile.mkdtemp(prefix="fazhi-bench-"))
    # The peer writes logs and user rules under $GONGWEN_DATA_DIR (default ~/.gongwen-skill): keep it in tmp.
    os.environ["GONGWEN_DATA_DIR"] = str(tmp / "gongwen-data")
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    try:
        reports = collect_reports(seeds_dir(a.seeds))
        if not reports:
            print("没有找到任何 .txt 报告", file=sys.stderr)
            return 2
        docx_note = build_docx(reports, tmp)
        if docx_note:
            print(docx_note, file=sys.stderr)

        import fazhi

        peer = None if a.no_peer else peer_version()
        peer_note = "--no-peer" if a.no_peer else "pip install gongwen-skill 后重跑"
        ops: dict[str, tuple[Callable[[Path], int], str]] = {
            "fazhi_txt": (fazhi_op(), "txt"),
            "fazhi_docx": (fazhi_op(), "docx"),
        }
        if peer is not None:
            try:
                ops["peer_docx"] = (peer_op(), "docx")
            except Exception as exc:  # installed but broken: say so, go on without it
                peer_note = f"导入失败：{type(exc).__name__}: {exc}"[:100]
                peer = None
        if peer is None:
            print(f"gongwen-skill：未测（{peer_note}）", file=sys.stderr)

        print(f"单篇检查：{len(reports)} 篇 × {a.reps} 次（预热 {a.warmup} 次）", file=sys.stderr)
        stats, counts = bench_inprocess(reports, ops, a.reps, a.warmup)

        # cold start
        one = next((r for r in reports if r.txt.parent == ROOT / "examples" and "clean" in r.txt.name), reports[0])
        py = sys.executable
        fz = script("fazhi")
        fz_cmd = [fz] if fz else [py, "-c", "import sys; from fazhi.cli import main; sys.exit(main())"]
        cold_cmds: dict[str, list[str]] = {
            "python -c pass": [py, "-c", "pass"],
            'python -c "import fazhi"': [py, "-c", "import fazhi"],
            "fazhi --version": fz_cmd + ["--version"],
            "fazhi check ONE.txt": fz_cmd + ["check", "--color", "never", str(one.txt)],
        }
        if one.docx is not None:
            cold_cmds["fazhi check ONE.docx"] = fz_cmd + ["check", "--color", "never", str(one.docx)]
        if peer is not None:
            gw = script("gongwen")
            gw_cmd = [gw] if gw else [py, "-m", "gongwen"]
            cold_cmds["gongwen --version"] = gw_cmd + ["--version"]
            if one.docx is not None:
                cold_cmds["gongwen check ONE.docx -t report"] = gw_cmd + ["check", str(one.docx), "-t", "report"]
        print(f"冷启动：{len(cold_cmds)} 条命令 × {a.cold_reps} 次（预热 {a.cold_warmup} 次）", file=sys.stderr)
        cold: dict[str, Stats] = {}
        for label, cmd in cold_cmds.items():
            cold[label] = bench_cold(cmd, a.cold_reps, a.cold_warmup, env)
            print(f"  {label:<36} {triple(cold[label])}", file=sys.stderr)

        ctx = {
            "reports": reports,
            "stats": stats,
            "counts": counts,
            "cold": cold,
            "peer": peer,
            "peer_note": peer_note,
            "machine": machine_info(),
            "load0": load0,
            "load1": benchdoc.loadavg(),
            "args": a,
            "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "elapsed": time.perf_counter() - t_start,
            "fazhi_version": getattr(fazhi, "__version__", "?"),
            "rev": git_rev(),
            "one": one,
        }
        section = render(ctx)
        benchdoc.publish(section, a.out, START, END, write=not a.no_write)
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
