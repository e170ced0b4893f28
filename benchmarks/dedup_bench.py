"""Copy-detection benchmark: fazhi.corpus.dedup against planted copies, and against datasketch.

    python benchmarks/dedup_bench.py [--sizes 1000,10000,100000] [--workdir DIR] [--seed S]
                                     [--no-datasketch] [--datasketch-max N] [--no-write]
    python benchmarks/dedup_bench.py --spread [--sizes 1000,10000]   # copying that spreads

--spread: the same corpora, with one more kind of copying planted: a body paragraph (with the
unit's figures) of one report copied into 2, 5 and 20 reports of other units (several groups of
each size, reports not in any other planted relation), and one paragraph of standard wording
only (formulations of the knowledge base, no fact of a unit) put into 20 reports, which must
not count as copying. Truth: every pair inside a spread group, plus pairs.jsonl. Writes its own
section (spread markers).

For each size: generate (or reuse) a corpus with make_corpus.py, then run, each in a fresh
process so that peak memory is its own:
  * fazhi    find_copies() with its own index (MinHash vectorized over all chunks + LSH banding, numpy);
  * datasketch  the same find_copies() pipeline (same shingles, same chunks, same stop-shingles,
    same verification) with datasketch's MinHash + MinHashLSH as the index, at the same
    threshold and num_perm.
Reports wall time (reading the files included), the time spent in the index itself (MinHash +
LSH insert/query), peak RSS, and recall / precision against pairs.jsonl (a pair counts when the
two files are paired, whatever the kind; kind agreement is reported separately). Writes its
section of docs/BENCHMARKS.md between the dedup markers.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START, END = "<!-- dedup:start -->", "<!-- dedup:end -->"
SPREAD_START, SPREAD_END = "<!-- dedup_spread:start -->", "<!-- dedup_spread:end -->"
SPREAD_SIZES = (2, 5, 20)
BOILERPLATE = ("坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面贯彻落实全面依法治国基本方略，"
               "坚持法治国家、法治政府、法治社会一体建设，推进严格规范公正文明执法，加快建设职能科学、权责法定、执法严明、"
               "公开公正、智能高效、廉洁诚信、人民满意的法治政府。")
_FIGURE = re.compile(r"(\d+)(?:件|次|人|个|场|份|条|项|家|名|户|处)")
GOAL_SECONDS = 120.0
GOAL_RECALL = GOAL_PRECISION = 0.95


# --------------------------------------------------------------------------- one run (child process)


class TimedIndex:
    """Wraps an index and accumulates the seconds spent in it."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.seconds = 0.0

    def prepare(self, *a: Any) -> Any:
        t = time.perf_counter()
        try:
            return self.inner.prepare(*a)
        finally:
            self.seconds += time.perf_counter() - t

    def add(self, *a: Any) -> None:
        t = time.perf_counter()
        try:
            self.inner.add(*a)
        finally:
            self.seconds += time.perf_counter() - t

    def pairs(self) -> Any:
        t = time.perf_counter()
        try:
            return self.inner.pairs()
        finally:
            self.seconds += time.perf_counter() - t


class DatasketchIndex:
    """datasketch MinHash + MinHashLSH over the same chunk shingle sets."""

    name = "datasketch MinHash + MinHashLSH"

    def __init__(self, threshold: float, num_perm: int):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.minhashes: list[Any] = []
        self.owner: list[int] = []

    def prepare(self, values: Any, set_of: Any, nsets: int) -> list[Any]:
        import numpy as np
        from datasketch import MinHash

        order = np.argsort(set_of, kind="stable")
        vals = (values[order] >> np.uint64(32)).astype(np.uint32)  # 32-bit values for affine32
        bounds = np.searchsorted(set_of[order], np.arange(nsets + 1))
        groups = (vals[bounds[k] : bounds[k + 1]] for k in range(nsets))
        return list(MinHash.generator(groups, num_perm=self.num_perm, hashfunc=int))

    def add(self, prepared: list[Any], owner_of_set: Any) -> None:
        with self.lsh.insertion_session() as session:
            for m, owner in zip(prepared, owner_of_set.tolist()):
                session.insert(len(self.minhashes), m, check_duplication=False)
                self.minhashes.append(m)
                self.owner.append(owner)

    def pairs(self) -> Any:
        import numpy as np

        found = set()
        owner = self.owner
        for i, m in enumerate(self.minhashes):
            a = owner[i]
            for j in self.lsh.query(m):
                b = owner[j]
                if a != b:
                    found.add((a, b) if a < b else (b, a))
        if not found:
            return np.empty((0, 2), dtype=np.int64)
        return np.array(sorted(found), dtype=np.int64)


def run_one(engine: str, corpus: Path) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT / "src"))
    from fazhi.corpus.dedup import DEFAULTS, find_copies
    from fazhi.corpus.minhash import MinHashIndex

    labels = [json.loads(line) for line in open(corpus / "labels.jsonl", encoding="utf-8")]
    truth: dict[tuple[str, str], str] = {}
    for line in open(corpus / "pairs.jsonl", encoding="utf-8"):
        p = json.loads(line)
        truth[tuple(sorted((p["a"], p["b"])))] = p["kind"]  # type: ignore[index]

    def docs() -> Iterator[tuple[str, str | None, int | None, str]]:
        for lab in labels:
            with open(corpus / lab["path"], encoding="utf-8") as fh:
                yield lab["path"], lab["issuer"], lab["year"], fh.read()

    def fetch(keys: Any) -> Iterator[tuple[str, str]]:  # only the candidates' files, for passes 3 and 4
        for k in keys:
            with open(corpus / k, encoding="utf-8") as fh:
                yield k, fh.read()

    threshold, num_perm = DEFAULTS["threshold"], DEFAULTS["num_perm"]
    inner = MinHashIndex(threshold, num_perm) if engine == "fazhi" else DatasketchIndex(threshold, num_perm)
    index = TimedIndex(inner)
    t0 = time.perf_counter()
    result = find_copies(docs, threshold, num_perm=num_perm, index=index, fetch=fetch)
    wall = time.perf_counter() - t0
    found = {tuple(sorted((p.a, p.b))): p.kind for p in result.pairs}
    tp = set(found) & set(truth)
    return {
        "engine": engine,
        "docs": len(labels),
        "wall": wall,
        "index_seconds": index.seconds,
        "stages": {k: v for k, v in result.stats.items() if k.startswith("seconds_")},
        "candidates": result.stats.get("candidates"),
        "chunks": result.stats.get("chunks"),
        "stop_df": result.stats.get("stop_df"),
        "truth": len(truth),
        "found": len(found),
        "tp": len(tp),
        "recall": len(tp) / len(truth) if truth else 1.0,
        "precision": len(tp) / len(found) if found else 1.0,
        "kind_agreement": sum(found[k] == truth[k] for k in tp) / len(tp) if tp else 1.0,
        "by_how": _by_how(corpus, set(found)),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _by_how(corpus: Path, found: set[tuple[str, str]]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for line in open(corpus / "pairs.jsonl", encoding="utf-8"):
        p = json.loads(line)
        hit = tuple(sorted((p["a"], p["b"]))) in found
        c = out.setdefault(p["how"], [0, 0])
        c[0] += hit
        c[1] += 1
    return out


# --------------------------------------------------------------------------- spread copies


def run_spread(corpus: Path, seed: int) -> dict[str, Any]:
    """Plant spread copies into a copy of the corpus in memory, run find_copies, score."""
    import random

    sys.path.insert(0, str(ROOT / "src"))
    from fazhi.corpus.dedup import find_copies

    labels = [json.loads(line) for line in open(corpus / "labels.jsonl", encoding="utf-8")]
    truth: set[tuple[str, str]] = set()
    related: set[str] = set()
    for line in open(corpus / "pairs.jsonl", encoding="utf-8"):
        p = json.loads(line)
        truth.add(tuple(sorted((p["a"], p["b"]))))  # type: ignore[arg-type]
        related.update((p["a"], p["b"]))
    planted = set(truth)  # the corpus's own planted pairs
    texts = {lab["path"]: (corpus / lab["path"]).read_text(encoding="utf-8") for lab in labels}
    issuer = {lab["path"]: lab["issuer"] for lab in labels}
    rng = random.Random(seed)
    free = [k for k in texts if k not in related]
    rng.shuffle(free)

    def paragraphs(k: str) -> list[int]:
        lines = texts[k].split("\n")
        # a measures paragraph with at least three of the unit's own figures (20 and more: small
        # numbers recur by chance in a generated corpus)
        return [j for j, p in enumerate(lines) if len(p) >= 80 and p[0] not in "一二三四五六七八九十（0123456789"
                and sum(int(m.group(1)) >= 20 for m in _FIGURE.finditer(p)) >= 3]

    groups: list[tuple[int, list[str]]] = []
    per_size = max(2, len(labels) // 500)
    for size in SPREAD_SIZES:
        for _ in range(per_size):
            if len(free) < size + 1:
                break
            src = free.pop()
            options = paragraphs(src)
            if not options:
                continue
            para = texts[src].split("\n")[rng.choice(options)]
            members = [src]
            while len(members) <= size and free:
                k = free.pop()
                if issuer[k] == issuer[src] or not paragraphs(k):
                    continue
                lines = texts[k].split("\n")
                lines[rng.choice(paragraphs(k))] = para
                texts[k] = "\n".join(lines)
                members.append(k)
            groups.append((size, members))
            truth.update(tuple(sorted((a, b))) for i, a in enumerate(members) for b in members[i + 1:])  # type: ignore[misc]
    boiler = [free.pop() for _ in range(min(20, len(free)))]
    for k in boiler:
        lines = texts[k].split("\n")
        lines.insert(min(3, len(lines)), BOILERPLATE)
        texts[k] = "\n".join(lines)
    docs = [(lab["path"], lab["issuer"], lab["year"], texts[lab["path"]]) for lab in labels]
    t0 = time.perf_counter()
    result = find_copies(docs)
    wall = time.perf_counter() - t0
    found = {tuple(sorted((p.a, p.b))) for p in result.pairs}
    rows = []
    for size in SPREAD_SIZES:
        gs = [m for s_, m in groups if s_ == size]
        pairs = {tuple(sorted((a, b))) for m in gs for i, a in enumerate(m) for b in m[i + 1:]}
        members = [k for m in gs for k in m]
        seen = {k for m in gs for k in m if any(tuple(sorted((k, o))) in found for o in m if o != k)}
        rows.append({"size": size, "groups": len(gs), "pairs": len(pairs), "found": len(pairs & found),
                     "members": len(members), "members_found": len(seen)})
    boiler_pairs = {tuple(sorted((a, b))) for i, a in enumerate(boiler) for b in boiler[i + 1:]}
    tp = found & truth
    members = sum(r["members"] for r in rows)
    return {
        "docs": len(docs), "wall": wall, "rows": rows, "truth": len(truth), "found": len(found), "tp": len(tp),
        "planted_recall": len(found & planted) / len(planted) if planted else 1.0,
        "members_recall": sum(r["members_found"] for r in rows) / members if members else 1.0,
        "precision": len(tp) / len(found) if found else 1.0,
        "boiler_reports": len(boiler), "boiler_pairs_found": len(boiler_pairs & found), "stop_df": result.stats.get("stop_df"),
        "groups": groups, "found_pairs": sorted(found), "texts": texts,
    }


def render_spread(results: list[dict[str, Any]], ctx: dict[str, Any]) -> str:
    w = ["## 抄袭的扩散：一段文字抄进多份报告（dedup_bench --spread）", "",
         "> 本节由 `benchmarks/dedup_bench.py --spread` 自动生成。", "",
         f"复现命令：`python benchmarks/dedup_bench.py --spread --sizes {ctx['sizes']}`（语料同上节，种子 {ctx['seed']}；"
         f"运行时间 {ctx['date']}，用时 {ctx['elapsed']:.0f} 秒；{ctx['machine']}）。", "",
         "在上节的语料中再预埋：某单位报告中带本单位数字的一段正文，原样抄进 2、5、20 份其他单位的报告（每种规模若干组，"
         "所用报告不参与其他预埋关系）；另把一段只由知识库规范表述组成、不含任何本单位事实的文字放进 20 份报告，它不应算作抄袭。"
         "真值为每组内的全部报告对加上 pairs.jsonl。“组内报告检出”指该报告至少与组内一份报告配对。", "",
         "| 报告数 | 扩散规模 | 组数 | 组内报告对 | 检出对 | 组内报告 | 组内报告检出 |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for row in r["rows"]:
            w.append(f"| {r['docs']:,} | {row['size']} | {row['groups']} | {row['pairs']} | {row['found']} | {row['members']} | {row['members_found']} |")
    w += ["", "| 报告数 | 扩散组内报告召回 | 原有预埋对召回 | 精确率 | 检出对 | 规范表述段落（20 份）误报对 | 常用语阈值（单位数） | 用时 s |",
          "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        w.append(f"| {r['docs']:,} | {r['members_recall']:.4f} | {r['planted_recall']:.4f} | {r['precision']:.4f} | {r['found']:,} | "
                 f"{r['boiler_pairs_found']} | {r['stop_df']} | {r['wall']:.1f} |")
    w += ["", "同一段落出现在 10 份以上报告时，LSH 的同一个桶把每份报告只与相邻的几份配对（避免 n² 对），所以 20 份的组检出的是"
          "把所有副本串起来的若干对，而不是全部 210 对；“组内报告检出”衡量的是每一份副本都被查出。精确率的分母是全部检出对，"
          "分子是落在预埋关系（pairs.jsonl 或同一扩散组）内的对。", "常用语按“多少个单位用过”计数（同一单位的多份文件、同一份报告的多个副本只算一次），阈值 max(60, 0.2%×单位数)，"
          "知识库中的规范表述无论多少都算常用语；抄袭的证据是共有的、带本单位事实的片段（数字、知识库以外的《》文件名、"
          "非口号的引号名称）或几乎没有其他报告用过的片段，所以带数字的段落抄进 20 份报告也能逐份查出，规范表述再多也不算抄袭。"]
    return "\n".join(w)


# --------------------------------------------------------------------------- driver


def ensure_corpus(n: int, workdir: Path, seed: int) -> tuple[Path, float | None]:
    d = workdir / f"corpus-{n}-seed{seed}"
    meta = d / "corpus.json"
    if meta.exists():
        m = json.loads(meta.read_text(encoding="utf-8"))
        if m.get("n") == n and m.get("seed") == seed:
            return d, None
    t = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n), str(d), "--seed", str(seed), "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    return d, time.perf_counter() - t


def child(engine: str, corpus: Path, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--run-one", engine, str(corpus)]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True).stdout
    except subprocess.TimeoutExpired:
        return {"engine": engine, "timeout": timeout}
    except subprocess.CalledProcessError as exc:
        return {"engine": engine, "error": (exc.stderr or "")[-500:]}
    return json.loads(out.strip().splitlines()[-1])


def machine() -> str:
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{len(os.sched_getaffinity(0))} 核，CPU `{cpu}`，{platform.system()} {platform.release()}，Python {platform.python_version()}"


def versions() -> str:
    import importlib.metadata as md

    def v(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "未安装"

    return f"numpy {v('numpy')}，datasketch {v('datasketch')}"


def fmt(x: Any, spec: str) -> str:
    return "—" if x is None else format(x, spec)


def render(rows: list[dict[str, Any]], ctx: dict[str, Any]) -> str:
    from fazhi.corpus.dedup import DEFAULTS

    w: list[str] = []
    w.append("## 抄袭与重复报送检测（dedup_bench）\n")
    w.append("> 本节由 `benchmarks/dedup_bench.py` 自动生成，请勿手工修改其中的数字；重新运行即可更新。\n")
    w.append("复现命令（仓库根目录、项目虚拟环境中）：\n")
    w.append("```sh\npip install datasketch==2.0.0   # 对照库（仅基准测试需要）\n"
             f"python benchmarks/dedup_bench.py --sizes {ctx['sizes']}\n```\n")
    w.append(f"- 运行时间：{ctx['date']}，用时 {ctx['elapsed']:.0f} 秒；机器：{ctx['machine']}")
    w.append(f"- 负载（/proc/loadavg，开始 → 结束）：{ctx['load0']} → {ctx['load1']}（共享机器，其他进程同时在跑，计时有噪声）")
    w.append(f"- 版本：{ctx['versions']}")
    w.append(f"- 语料：`benchmarks/make_corpus.py N DIR --seed {ctx['seed']}` 生成的虚构报告（.txt），其中预埋：同一报告重复上传或换行排版"
             "（same-report），他单位报告的 1～5 段被抄入（copied-passages / other-issuer），同一单位上一年报告改年份、改数字、换段落"
             "（copied-passages / next-year）。真值为 `pairs.jsonl` 中的文件对（同一报告的三份文件计 3 对）。")
    w.append(f"- 参数：字符 {DEFAULTS['ngram']}-gram；用过它的单位数（同一单位的多份文件只算一次）超过 max({DEFAULTS['min_stop_df']}, {DEFAULTS['stop_fraction']}×单位数) 的片段为常用语，"
             f"不参与比对；按段落（长段每 {DEFAULTS['window']} 字一块）计算 MinHash，num_perm={DEFAULTS['num_perm']}，"
             f"LSH 阈值 {DEFAULTS['threshold']}（两边相同：{ctx['bands']} 个 band × {ctx['rows']} 行）；候选对再按句子对齐、核实。")
    w.append("- 两种引擎共用同一条流水线（同样的分片、常用语、分块、核实），只换“MinHash + LSH 索引”这一步；"
             "“索引用时”只计这一步（计算签名、插入、查询），“总用时”含读文件和核实。每次运行都在新进程中，峰值内存为该进程的 ru_maxrss。\n")
    w.append("| 报告数 | 引擎 | 总用时 s | 索引用时 s | 峰值内存 MB | 召回率 | 精确率 | 类别一致 | 真值对 | 检出对 | 候选对 |")
    w.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if "timeout" in r:
            w.append(f"| {r['n']:,} | {r['engine']} | 超时（>{r['timeout']:.0f} s，已中止） | | | | | | | | |")
            continue
        if "error" in r:
            w.append(f"| {r['n']:,} | {r['engine']} | 出错 | | | | | | | | |")
            continue
        w.append(
            f"| {r['docs']:,} | {r['engine']} | {r['wall']:.1f} | {r['index_seconds']:.1f} | {r['maxrss_mb']:.0f} | "
            f"{r['recall']:.4f} | {r['precision']:.4f} | {r['kind_agreement']:.4f} | {r['truth']:,} | {r['found']:,} | {r['candidates']:,} |"
        )
    w.append("")
    fz = [r for r in rows if r.get("engine") == "fazhi" and "wall" in r]
    if fz:
        w.append("fazhi 各阶段用时（秒）：\n")
        w.append("| 报告数 | 常用语统计（第 1 遍） | 分块签名（第 2 遍） | LSH 候选 | 候选筛选（第 3 遍） | 对齐核实（第 4 遍） |")
        w.append("|---:|---:|---:|---:|---:|---:|")
        for r in fz:
            s = r["stages"]
            w.append(f"| {r['docs']:,} | {s.get('seconds_df', 0):.1f} | {s.get('seconds_signatures', 0):.1f} | {s.get('seconds_lsh', 0):.1f} | "
                     f"{s.get('seconds_filter', 0):.1f} | {s.get('seconds_verify', 0):.1f} |")
        w.append("")
        w.append("按预埋方式的召回（fazhi，检出/预埋）：" + "；".join(
            f"{r['docs']:,} 份：" + "，".join(f"{how} {a}/{b}" for how, (a, b) in sorted(r["by_how"].items())) for r in fz) + "。\n")
    big = max(fz, key=lambda r: r["docs"]) if fz else None
    if big:
        ds = next((r for r in rows if r.get("engine") == "datasketch" and r.get("n") == big["docs"]), None)
        ok_t = big["wall"] < GOAL_SECONDS
        ok_r = big["recall"] >= GOAL_RECALL and big["precision"] >= GOAL_PRECISION
        w.append("### 目标达成情况\n")
        w.append(f"1. {big['docs']:,} 份报告召回率 ≥ {GOAL_RECALL}、精确率 ≥ {GOAL_PRECISION}："
                 f"{'✅ 达成' if ok_r else '❌ 未达成'} —— 召回率 {big['recall']:.4f}，精确率 {big['precision']:.4f}。")
        w.append(f"2. {big['docs']:,} 份报告用时 < {GOAL_SECONDS:.0f} 秒（含读文件）：{'✅ 达成' if ok_t else '❌ 未达成'} —— {big['wall']:.1f} 秒。")
        if ds and "wall" in ds:
            faster = big["wall"] < ds["wall"] and big["index_seconds"] < ds["index_seconds"]
            w.append(f"3. 比 datasketch 的 MinHashLSH 快（同阈值、同 num_perm、同输入）：{'✅ 达成' if faster else '❌ 未达成'} —— "
                     f"总用时 {big['wall']:.1f} s 对 {ds['wall']:.1f} s，索引用时 {big['index_seconds']:.1f} s 对 {ds['index_seconds']:.1f} s"
                     f"（{ds['index_seconds'] / max(big['index_seconds'], 1e-9):.0f} 倍）。")
        elif ds and "timeout" in ds:
            w.append(f"3. 比 datasketch 的 MinHashLSH 快：✅ 达成 —— datasketch 在 {big['docs']:,} 份上超过 {ds['timeout']:.0f} 秒未完成而被中止，"
                     f"fazhi 用时 {big['wall']:.1f} 秒。")
        else:
            w.append("3. 与 datasketch 比较：本次未测。")
        w.append("")
    w.append("*English summary:* planted-copy recall/precision, wall time (file reading included), time in the MinHash+LSH "
             "index alone, and peak RSS for fazhi's numpy MinHash + LSH and for datasketch's MinHash + "
             "MinHashLSH plugged into the same pipeline (same shingles, chunks, stop-shingles, threshold, num_perm, "
             "verification), each run in a fresh process on the machine above.\n")
    return "\n".join(w)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="抄袭检测基准：fazhi 与 datasketch 对照")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--workdir", default=os.environ.get("FAZHI_BENCH_DIR", "/tmp/fazhi-dedup-bench"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-datasketch", action="store_true")
    ap.add_argument("--datasketch-timeout", type=float, default=1800, help="datasketch 单次运行的时限（秒）")
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--run-one", nargs=2, metavar=("ENGINE", "CORPUS"), help=argparse.SUPPRESS)
    ap.add_argument("--spread", action="store_true", help="只运行“抄袭扩散”基准（2、5、20 份），写入自己的一节")
    a = ap.parse_args(argv)
    if a.run_one:
        print(json.dumps(run_one(a.run_one[0], Path(a.run_one[1]))))
        return 0
    if a.spread:
        t0 = time.perf_counter()
        results = []
        for n in [int(x) for x in a.sizes.split(",") if x]:
            corpus, _ = ensure_corpus(n, Path(a.workdir), a.seed)
            results.append(run_spread(corpus, a.seed))
        ctx = {"sizes": a.sizes, "seed": a.seed, "elapsed": time.perf_counter() - t0, "machine": machine(),
               "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")}
        benchdoc.publish(render_spread(results, ctx), a.out, SPREAD_START, SPREAD_END, write=not a.no_write)
        return 0

    sys.path.insert(0, str(ROOT / "src"))
    from fazhi.corpus.dedup import DEFAULTS
    from fazhi.corpus.minhash import optimal_bands

    t0 = time.perf_counter()
    load0 = benchdoc.loadavg()
    rows: list[dict[str, Any]] = []
    sizes = [int(s) for s in a.sizes.split(",") if s]
    workdir = Path(a.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        corpus, gen = ensure_corpus(n, workdir, a.seed)
        if gen is not None:
            print(f"生成 {n:,} 份语料：{gen:.1f} 秒", file=sys.stderr)
        engines = ["fazhi"] + ([] if a.no_datasketch else ["datasketch"])
        for engine in engines:
            r = child(engine, corpus, a.datasketch_timeout if engine == "datasketch" else 3600)
            r["n"] = n
            rows.append(r)
            if "wall" in r:
                print(f"{n:>7,} {engine:<10} {r['wall']:7.1f} s  索引 {r['index_seconds']:6.1f} s  {r['maxrss_mb']:6.0f} MB  "
                      f"召回 {r['recall']:.4f}  精确 {r['precision']:.4f}", file=sys.stderr)
            else:
                print(f"{n:>7,} {engine:<10} {r}", file=sys.stderr)
    b, r_ = optimal_bands(DEFAULTS["threshold"], DEFAULTS["num_perm"])
    ctx = {
        "sizes": a.sizes, "seed": a.seed, "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "elapsed": time.perf_counter() - t0, "machine": machine(), "load0": load0, "load1": benchdoc.loadavg(),
        "versions": versions(), "bands": b, "rows": r_,
    }
    section = render(rows, ctx)
    benchdoc.publish(section, a.out, START, END, write=not a.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
