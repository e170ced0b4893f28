"""Layout checks, fazhi against gongwen-skill, on the same planted-defect .docx files in one run.

Files: tests/layout_builders.py builds a clean fictional report and one file per planted defect
with python-docx (each defect alone), and re-saves every one through LibreOffice when `soffice`
is installed. On every file both tools run as a user runs them (`fazhi check --format json`,
`gongwen check -t report --json`, each a fresh process) and fazhi also runs in-process (warm).

A tool "finds" a planted defect when the defect file gives it a finding the clean file of the same
set does not (compared by rule and place) from a rule about the defect: for fazhi the rule that
owns it, for gongwen-skill a rule whose name names the same thing (GONGWEN_TOPIC). On the clean files every finding counts as a false alarm against GB/T
9704-2012 for fazhi (whose rules encode the standard); gongwen's findings on clean files are
listed by rule so that each can be judged against the standard's text (docs/FORMAT.md).

Cross-checks: gongwen-skill's `check` on the output of `fazhi format`, and `fazhi check` on the
files gongwen-skill generates (`gongwen template report`, `gongwen md2docx`).

Usage: python benchmarks/format_bench.py [--out docs/BENCHMARKS.md] [--no-write] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchdoc  # noqa: E402
import layout_builders as lb  # noqa: E402

from fazhi.api import check  # noqa: E402
from fazhi.format.relayout import relayout  # noqa: E402

START = "<!-- format_bench:start -->"
END = "<!-- format_bench:end -->"
BIN = Path(sys.executable).parent
MD = """# 青山县司法局关于2024年度法治政府建设情况的报告

2024年，我局认真落实法治政府建设各项任务，现将有关情况报告如下：

## 一、2024年度推进法治政府建设的主要举措和成效

全年开展执法案卷评查2次，评查案卷86件。

## 二、存在的不足和原因

基层执法人员法律素养有待提高，主要原因是培训形式单一。

## 三、党政主要负责人履行推进法治建设第一责任人职责情况

主要负责同志带头学法用法。

## 四、2025年度推进法治政府建设的主要安排

完善执法全过程记录。
"""


# A gongwen-skill finding counts for a planted defect only when its rule is about the same thing.
GONGWEN_TOPIC = {
    "top-margin": "上边距", "left-margin": "左边距", "letter-paper": "纸张", "line-spacing": "正文行距",
    "title-font": "大标题字体", "title-size": "大标题字号", "title-align": "大标题居中", "body-font": "正文字体",
    "body-size": "正文字号", "body-theme-font": "正文字体", "h1-font": "一级标题字体", "h2-font": "二级标题字体",
    "h1-style-font": "一级标题字体", "no-page-number": "页码", "page-number-font": "页码", "page-number-dashes": "页码",
    "page-number-centred": "页码", "date-chinese": "日期", "date-zeros": "日期", "addressee-indent": "主送",
    "body-no-indent": "首行缩进",
}


@dataclass
class Run:
    findings: list[tuple[str, str]] = field(default_factory=list)  # (rule, place)
    crashed: str | None = None
    seconds: float = 0.0


def run_fazhi_cli(path: Path) -> Run:
    t = time.perf_counter()
    done = subprocess.run([str(BIN / "fazhi"), "check", str(path), "--format", "json"], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    out = Run(seconds=time.perf_counter() - t)
    try:
        report = json.loads(done.stdout)["reports"][0]
    except (json.JSONDecodeError, KeyError, IndexError):
        out.crashed = (done.stderr.strip().splitlines() or ["无输出"])[-1][:120]
        return out
    if report["error"]:
        out.crashed = report["error"]["code"]
    out.findings = [(f["name"], f"{f['line']}") for f in report["findings"] if f["category"] == "format"]
    return out


def run_fazhi_inprocess(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        check(path)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_gongwen(path: Path) -> Run:
    t = time.perf_counter()
    done = subprocess.run([str(BIN / "gongwen"), "check", str(path), "-t", "report", "--json"], capture_output=True,
                          text=True, timeout=300, cwd=tempfile.gettempdir())  # fmt: skip
    out = Run(seconds=time.perf_counter() - t)
    try:
        items = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = [line for line in done.stderr.strip().splitlines() if line.strip()]
        out.crashed = (tail[-1] if tail else f"退出码 {done.returncode}，无输出")[:120]
        return out
    out.findings = [(f"{i.get('rule_id')} {i.get('name')}", str(i.get("location"))) for i in items
                    if not str(i.get("name", "")).endswith("（汇总）")]  # fmt: skip
    return out


def new_findings(defect: Run, clean: Run) -> list[tuple[str, str]]:
    base = Counter(clean.findings)
    out = []
    for f in defect.findings:
        if base[f] > 0:
            base[f] -= 1
        else:
            out.append(f)
    return out


def bench(folder: Path, repeat: int) -> dict:
    sets = {"python-docx": {name: (p, rules) for name, (p, rules) in lb.build_set(folder / "python-docx").items()}}
    copies = lb.libreoffice_copies([p for p, _ in sets["python-docx"].values()], folder / "libreoffice")
    if copies:
        sets["LibreOffice"] = {name: (copies[p], rules) for name, (p, rules) in sets["python-docx"].items() if p in copies}
    results: dict = {"sets": {}, "times": {"fazhi_cli": [], "fazhi_inprocess": [], "gongwen_cli": []}}
    for label, cases in sets.items():
        rows = {}
        for name, (path, rules) in cases.items():
            fz, gw = run_fazhi_cli(path), run_gongwen(path)
            results["times"]["fazhi_cli"].append(fz.seconds)
            results["times"]["gongwen_cli"].append(gw.seconds)
            results["times"]["fazhi_inprocess"].append(run_fazhi_inprocess(path, repeat))
            rows[name] = (rules, fz, gw)
        results["sets"][label] = rows
    odt = lb.libreoffice_copies([p for p, _ in sets["python-docx"].values()], folder / "odt", "odt")
    results["odt"] = {name: (rules, run_fazhi_cli(odt[p])) for name, (p, rules) in sets["python-docx"].items() if p in odt}
    results["cross"] = cross_checks(folder, sets["python-docx"]["clean"][0])
    return results


def cross_checks(folder: Path, clean: Path) -> dict:
    out: dict = {}
    formatted = folder / "fazhi-format.docx"
    relayout(clean, formatted)
    out["gongwen_on_fazhi_format"] = run_gongwen(formatted)
    out["fazhi_on_fazhi_format"] = run_fazhi_cli(formatted)
    gw_dir = folder / "gongwen"
    gw_dir.mkdir(exist_ok=True)
    made = {}
    subprocess.run([str(BIN / "gongwen"), "template", "report", "-o", str(gw_dir / "template-report.docx")],
                   capture_output=True, timeout=300, cwd=gw_dir)  # fmt: skip
    made["gongwen template report"] = gw_dir / "template-report.docx"
    (gw_dir / "report.md").write_text(MD, encoding="utf-8")
    subprocess.run([str(BIN / "gongwen"), "md2docx", str(gw_dir / "report.md"), "-o", str(gw_dir / "md2docx.docx"), "-t",
                    "report", "--recipients", "县委,县政府", "--signer", "青山县司法局", "--date", "2025年1月20日",
                    "--no-ai-declaration"], capture_output=True, timeout=300, cwd=gw_dir)  # fmt: skip
    made["gongwen md2docx -t report"] = gw_dir / "md2docx.docx"
    out["fazhi_on_gongwen"] = {label: (run_fazhi_cli(p) if p.is_file() else Run(crashed="未生成")) for label, p in made.items()}
    out["fazhi_messages"] = {label: [f.message for f in check(p).findings if f.category == "format"]
                             for label, p in made.items() if p.is_file()}  # fmt: skip
    out["gongwen_on_gongwen"] = {label: run_gongwen(p) for label, p in made.items() if p.is_file()}
    out["fazhi_format_of_gongwen"] = {}
    for label, p in made.items():
        if p.is_file():
            relayout(p, p.with_name(p.stem + ".formatted.docx"))
            out["fazhi_format_of_gongwen"][label] = run_fazhi_cli(p.with_name(p.stem + ".formatted.docx"))
    out["libreoffice_native"] = libreoffice_native(folder)
    return out


def libreoffice_native(folder: Path) -> dict[str, Run] | None:
    """A .docx LibreOffice writes from scratch (the report's text opened as a text file and saved
    as Word), read by both tools: does either crash?"""
    src = folder / "lo-native.txt"
    src.write_text("\n".join([lb.TITLE, lb.ADDRESSEE, *(t for _, t in lb.BODY), lb.SIGNOFF, lb.DATE]), encoding="utf-8")
    made = lb.libreoffice_copies([src], folder / "lo-native")
    if not made:
        return None
    return {"fazhi": run_fazhi_cli(made[src]), "gongwen": run_gongwen(made[src])}


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms" if values else "—"


def render(res: dict, repeat: int, load: str) -> str:
    lines = [
        "## 版式检查对比 gongwen-skill（format_bench）",
        "",
        "> 本节由 `benchmarks/format_bench.py` 自动生成；判断依据见 `docs/FORMAT.md`。",
        "",
        "复现命令（在仓库根目录、装有 `.[test,bench]` 的虚拟环境中；有 LibreOffice 时另测其另存的文件）：",
        "",
        "```sh",
        f".venv/bin/python benchmarks/format_bench.py --repeat {repeat}",
        "```",
        "",
        f"机器负载（1/5/15 分钟）：{load}。每份文件两个工具各运行一次命令行（新进程，含启动时间）；"
        f"fazhi 另在进程内运行 {repeat} 次取中位数。",
        "",
    ]
    for label, rows in res["sets"].items():
        clean_fz, clean_gw = rows["clean"][1], rows["clean"][2]
        lines += [f"### {label} 生成的文件（每份只埋一个缺陷）", "",
                  "| 缺陷 | 应由 | fazhi 新增发现 | fazhi | gongwen-skill 新增发现 | gongwen-skill |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        fz_found = gw_found = total = 0
        for name, (rules, fz, gw) in rows.items():
            if name == "clean":
                continue
            total += 1
            fz_new = new_findings(fz, clean_fz) if not fz.crashed else []
            gw_new = new_findings(gw, clean_gw) if not gw.crashed else []
            want = set((rules or "").split(","))
            fz_ok = bool(fz_new) and {r for r, _ in fz_new} <= want and want <= {r for r, _ in fz_new}
            topic = GONGWEN_TOPIC.get(name, "")
            gw_ok = any(topic in r for r, _ in gw_new)
            fz_found += fz_ok
            gw_found += gw_ok
            fz_cell = "崩溃：" + fz.crashed if fz.crashed else "、".join(sorted({r for r, _ in fz_new})) or "—"
            gw_cell = "崩溃：" + gw.crashed if gw.crashed else "、".join(sorted({r for r, _ in gw_new})) or "—"
            lines.append(f"| {name} | {rules} | {fz_cell} | {'✓' if fz_ok else '✗'} | {gw_cell} | {'✓' if gw_ok else '✗'} |")
        lines += ["", f"找到的缺陷：fazhi {fz_found}/{total}，gongwen-skill {gw_found}/{total}。", ""]
        fz_clean = "崩溃：" + clean_fz.crashed if clean_fz.crashed else (f"{len(clean_fz.findings)} 条" + (
            "（" + "、".join(sorted({r for r, _ in clean_fz.findings})) + "）" if clean_fz.findings else ""))
        if clean_gw.crashed:
            gw_clean = "崩溃：" + clean_gw.crashed
        else:
            counts = Counter(r for r, _ in clean_gw.findings)
            gw_clean = f"{len(clean_gw.findings)} 条（" + "；".join(f"{r} ×{n}" for r, n in counts.most_common()) + "）"
        lines += [f"无缺陷的文件上：fazhi 版式发现 {fz_clean}；gongwen-skill {gw_clean}。", ""]
        crashes = sum(1 for _, fz, gw in rows.values() if gw.crashed)
        lines += [f"崩溃：fazhi {sum(1 for _, fz, _ in rows.values() if fz.crashed)} 份，gongwen-skill {crashes} 份（共 {len(rows)} 份）。", ""]
    odt = res.get("odt") or {}
    if odt:
        clean = odt["clean"][1]
        ok = sum(1 for name, (rules, run) in odt.items() if name != "clean" and not run.crashed
                 and {r for r, _ in new_findings(run, clean)} == set((rules or "").split(",")))  # fmt: skip
        lines += ["### LibreOffice 另存为 .odt 的同一批文件（gongwen-skill 不读 .odt）", "",
                  f"fazhi 找到的缺陷 {ok}/{len(odt) - 1}；无缺陷的文件上版式发现 {len(clean.findings)} 条；"
                  f"崩溃 {sum(1 for _, run in odt.values() if run.crashed)} 份。", ""]  # fmt: skip
    t = res["times"]
    lines += ["### 每份文件耗时（中位数）", "",
              "| fazhi 命令行（含启动） | fazhi 进程内 | gongwen-skill 命令行（含启动） |", "|---|---|---|",
              f"| {_ms(t['fazhi_cli'])} | {_ms(t['fazhi_inprocess'])} | {_ms(t['gongwen_cli'])} |", ""]  # fmt: skip
    cross = res["cross"]
    gw = cross["gongwen_on_fazhi_format"]
    fz = cross["fazhi_on_fazhi_format"]
    lines += ["### 交叉检查", "",
              f"- `fazhi format` 排版后的文件：fazhi 版式发现 {len(fz.findings)} 条；gongwen-skill `check -t report` "
              + ("崩溃：" + gw.crashed if gw.crashed else f"{len(gw.findings)} 条（"
                 + "；".join(f"{r} ×{n}" for r, n in Counter(r for r, _ in gw.findings).most_common()) + "）") + "。"]  # fmt: skip
    for label, run in cross["fazhi_on_gongwen"].items():
        own = cross["gongwen_on_gongwen"].get(label)
        own_text = "—" if own is None else ("崩溃" if own.crashed else f"{len(own.findings)} 条")
        msgs = cross["fazhi_messages"].get(label, [])
        again = cross["fazhi_format_of_gongwen"].get(label)
        after = "" if again is None else f"经 `fazhi format` 排版后 fazhi 版式发现 {len(again.findings)} 条。"
        lines.append(f"- `{label}` 生成的文件：gongwen-skill 自查 {own_text}；fazhi 版式发现 {len(run.findings)} 条："
                     + ("；".join(msgs) if msgs else "无") + "。" + after)
    native = cross.get("libreoffice_native")
    if native:
        fz, gw = native["fazhi"], native["gongwen"]
        lines.append("- LibreOffice 从纯文本新建并另存的 .docx：fazhi " + ("崩溃：" + fz.crashed if fz.crashed else
                     f"正常（版式发现 {len(fz.findings)} 条）") + "；gongwen-skill " + ("崩溃：" + gw.crashed if gw.crashed else
                     f"正常（{len(gw.findings)} 条）") + "。")  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs" / "BENCHMARKS.md"))
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    if shutil.which("gongwen", path=str(BIN)) is None:
        print("需要 gongwen-skill：pip install -e '.[bench]'", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        res = bench(Path(folder), a.repeat)
        section = render(res, a.repeat, benchdoc.loadavg())
    benchdoc.publish(section, a.out, START, END, write=not a.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
