#!/usr/bin/env python3
"""Precision of fazhi's findings on reports as they arrive: web copies and crawls.

Usage (from the repository root, inside the project's virtual environment):

    python benchmarks/quality.py               # recompute, rewrite its section of docs/QUALITY.md
    python benchmarks/quality.py --no-write    # print only
    python benchmarks/quality.py --unjudged    # list the findings nobody has judged yet, to read

What it does
------------
Sources: ``examples/*.txt`` and ``examples/*.html``, the fictional reports in
``tests/fixtures/realtext/``, and, when present, the real reports in ``../shared/seeds`` (or
``--seeds DIR`` / ``$FAZHI_SEEDS``; their text is read at run time and never written anywhere).
Each source is read as fazhi reads it (clean), then turned into eight copies by the transformations
of ``tests/webcopies.py`` (header, inline, joined, nfkc, webcopy, crawl, retitled, spaced: what crawlers and
publishing systems do to a report). Every copy is checked; every error and warning finding is
keyed by its source, rule and flagged text (punctuation folded the way publishing systems fold it,
so a finding on the clean text and on its copies has one key) and looked up in
``benchmarks/quality_judgements.toml``, where each key carries a verdict a person gave after
reading the finding in its text: right (a reviewer would defend it) or wrong (a false alarm).
Keys are hashes: the judgements file holds no text of the seeds.

Reported per rule: findings on the clean texts and on the copies, how many of those were judged
right and wrong, precision = right / (right + wrong), and findings of the clean text that a copy
lost (recall against the clean text). Unjudged findings are counted and listed with --unjudged.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchdoc  # noqa: E402
import fazhi  # noqa: E402
from tests.webcopies import NFKC, TRANSFORMS  # noqa: E402

JUDGEMENTS = Path(__file__).resolve().parent / "quality_judgements.toml"
OUT = ROOT / "docs" / "QUALITY.md"
HEADER = (
    "# 检查结果的准确率（Quality）\n\n"
    "本文件由 `benchmarks/quality.py` 生成（标记之间的一节）；判定依据见 `benchmarks/quality_judgements.toml`。\n"
)


def sources(seeds: Path | None) -> list[tuple[str, Path, bool]]:
    """(name, path, is_seed) of every source report."""
    out = [(p.stem, p, False) for p in sorted((ROOT / "examples").glob("*.txt")) + sorted((ROOT / "examples").glob("*.html"))]
    out += [(p.stem, p, False) for p in sorted((ROOT / "tests" / "fixtures" / "realtext").glob("**/*.txt"))]
    if seeds and seeds.is_dir():
        out += [(f"seed-{p.name[:3]}", p, True) for p in sorted(seeds.glob("*.txt"))]
    return out


def key_of(source: str, finding, text: str) -> str:
    """One key for a finding on the clean text and on every copy of it."""
    if finding.name == "missing-part":
        what = re.sub(r"\d+", "#", finding.message)  # anchored on the title, which a copy may lack
    else:
        what = text[finding.start:finding.end]
        if len(what) < 6:
            # a comma or a numbering token recurs: its neighbours (line breaks dropped) tell them apart
            before = re.sub(r"[\n ]", "", text[max(0, finding.start - 8):finding.start])[-4:]
            after = re.sub(r"[\n ]", "", text[finding.end:finding.end + 8])[:4]
            what = f"{before}[{what}]{after}"
        what = re.sub(r"[\n ]", "", what.translate(NFKC))
    return hashlib.sha1(f"{source}|{finding.name}|{what}".encode()).hexdigest()[:12]


def load_judgements() -> dict[str, dict]:
    if not JUDGEMENTS.exists():
        return {}
    return tomllib.loads(JUDGEMENTS.read_text(encoding="utf-8")).get("judgement", {})


def run(seeds: Path | None) -> dict:
    judged = load_judgements()
    rows: list[dict] = []  # one per error/warning finding
    lost: Counter = Counter()  # rule -> clean findings missing from a copy
    info_web: Counter = Counter()
    n_docs = 0
    for name, path, is_seed in sources(seeds):
        clean_text = fazhi.load(path).text
        variants = {"clean": clean_text} | {t: fn(clean_text) for t, fn in TRANSFORMS.items()}
        clean_keys: Counter = Counter()
        for variant, text in variants.items():
            review = fazhi.check(text)
            if review.error:
                print(f"{name}/{variant}: {review.error.code}", file=sys.stderr)
                continue
            n_docs += 1
            doc = review.document
            keys: Counter = Counter()
            for f in review.findings:
                if f.severity == "info":
                    if f.name in ("halfwidth-punctuation", "missing-addressee", "missing-signoff", "title-format"):
                        info_web[(f.name, variant != "clean")] += 1
                    continue
                k = key_of(name, f, doc.text)
                keys[(f.name, k)] += 1
                verdict = judged.get(k, {}).get("verdict")
                rows.append({
                    "source": name, "seed": is_seed, "variant": variant, "rule": f.name, "code": f.code,
                    "severity": f.severity, "key": k, "verdict": verdict,
                    "excerpt": "" if is_seed else doc.text[max(0, f.start - 12):f.end + 12].replace("\n", "⏎"),
                    "_excerpt_local": doc.text[max(0, f.start - 20):f.end + 20].replace("\n", "⏎"),
                    "message": f.message,
                })
            if variant == "clean":
                clean_keys = keys
            else:
                for (rule, k), n in (clean_keys - keys).items():
                    judged_right = judged.get(k, {}).get("verdict") == "right"
                    if judged_right and rule not in _COPY_RULES:
                        lost[(rule, variant)] += n
    return {"rows": rows, "lost": lost, "info_web": info_web, "docs": n_docs, "judged": judged}


# Rules about the copy's form rather than the author's text: a copy without 主送 or sign-off, or
# with its punctuation normalised, is judged on those by design (an info note, see DOMAIN.md).
_COPY_RULES = {"missing-addressee", "missing-signoff", "title-format", "halfwidth-punctuation", "mixed-numbering",
               "late-report"}


def table(result: dict) -> str:
    rows = result["rows"]
    by_rule: dict[str, dict] = defaultdict(lambda: Counter())
    codes = {}
    for r in rows:
        side = "clean" if r["variant"] == "clean" else "copy"
        c = by_rule[r["rule"]]
        codes[r["rule"]] = r["code"]
        c[f"{side}_n"] += 1
        c[f"{side}_{r['verdict'] or 'unjudged'}"] += 1
    lines = [
        "| 代码 | 规则 | 原文：条数 | 原文：对/错 | 原文：准确率 | 网页稿与爬取稿：条数 | 对/错 | 准确率 | 未判定 | 转换后丢失（原文判为对的） |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    total = Counter()
    for rule in sorted(by_rule, key=lambda r: codes[r]):
        c = by_rule[rule]
        lost = sum(n for (rl, _), n in result["lost"].items() if rl == rule)
        for k, v in c.items():
            total[k] += v
        total["lost"] += lost
        lines.append(
            f"| {codes[rule]} | `{rule}` | {c['clean_n']} | {c['clean_right']}/{c['clean_wrong']} | {_p(c['clean_right'], c['clean_wrong'])} "
            f"| {c['copy_n']} | {c['copy_right']}/{c['copy_wrong']} | {_p(c['copy_right'], c['copy_wrong'])} "
            f"| {c['clean_unjudged'] + c['copy_unjudged']} | {lost} |"
        )
    lines.append(
        f"| | **合计** | {total['clean_n']} | {total['clean_right']}/{total['clean_wrong']} | **{_p(total['clean_right'], total['clean_wrong'])}** "
        f"| {total['copy_n']} | {total['copy_right']}/{total['copy_wrong']} | **{_p(total['copy_right'], total['copy_wrong'])}** "
        f"| {total['clean_unjudged'] + total['copy_unjudged']} | {total['lost']} |"
    )
    return "\n".join(lines)


def _p(right: int, wrong: int) -> str:
    return f"{right / (right + wrong):.1%}" if right + wrong else "—"


def per_variant(result: dict) -> str:
    rows = result["rows"]
    lines = ["| 文本 | 错误和警告条数 | 对/错 | 准确率 |", "|---|---:|---:|---:|"]
    for variant in ["clean", *TRANSFORMS]:
        rs = [r for r in rows if r["variant"] == variant]
        right = sum(r["verdict"] == "right" for r in rs)
        wrong = sum(r["verdict"] == "wrong" for r in rs)
        lines.append(f"| {_VARIANT_NAMES[variant]} | {len(rs)} | {right}/{wrong} | {_p(right, wrong)} |")
    return "\n".join(lines)


_VARIANT_NAMES = {
    "clean": "原文（clean）",
    "header": "加爬虫头部（header）",
    "inline": "头部和正文都在一行（inline）",
    "joined": "丢失换行（joined）",
    "nfkc": "标点被网站转为半角（nfkc）",
    "webcopy": "网上公开稿：无标题、主送、落款，半角标点（webcopy）",
    "crawl": "爬取稿：头部＋丢失换行＋半角标点（crawl）",
    "retitled": "爬取稿，正文开头重复标题（retitled）",
    "spaced": "从网页复制：各段连成一行，段首仍有全角空格（spaced）",
}


def section(result: dict, seeds: Path | None) -> str:
    n_src = len({r["source"] for r in result["rows"]} | set())
    seeds_note = "，另含 `../shared/seeds/` 的 5 份真实报告" if seeds and seeds.is_dir() else "（本次没有真实报告样本）"
    info = result["info_web"]
    return "\n".join([
        f"## 网页稿与爬取稿上的准确率（{_dt.date.today().isoformat()}，fazhi {fazhi.__version__}）",
        "",
        f"样本：`examples/` 的 5 份示例和 `tests/fixtures/realtext/` 的虚构报告{seeds_note}；每份报告取原文和 {len(TRANSFORMS)} 种转换"
        f"（`tests/webcopies.py`），共检查 {result['docs']} 份文本。只统计“错误”和“警告”级别的问题；每条问题按"
        "“来源＋规则＋所标文字（标点按网站的半角转换折叠）”归为一个判定键，由人逐条对照原文读过后在 "
        "`benchmarks/quality_judgements.toml` 中记为“对”（审稿人会坚持的）或“错”（误报）。准确率 = 对 ÷（对＋错）。",
        "",
        "命令：`python benchmarks/quality.py`（`--unjudged` 列出尚未判定的问题）。",
        "",
        "### 按规则",
        "",
        table(result),
        "",
        "“转换后丢失”：原文上判为对的问题在某个转换稿上没有再报出的次数（不计只关乎稿件形式的规则：主送、落款、标题、半角标点、序号全半角、成文日期）。",
        "",
        "### 按转换",
        "",
        per_variant(result),
        "",
        "### 说明",
        "",
        f"- 网站把全部 ，：；（） 转成半角的稿件，`halfwidth-punctuation` 只给一条“提示”说明这是发布系统所致并给出处数，"
        f"不再逐个逗号报警告（本次转换稿上共 {info[('halfwidth-punctuation', True)]} 条此类提示）。",
        f"- 网上公开稿或爬取稿（有爬虫/网页头部字段，或标点被整体转换）缺主送、落款、标题，只作“提示”"
        f"（本次转换稿上 `missing-addressee` {info[('missing-addressee', True)]} 条、`missing-signoff` {info[('missing-signoff', True)]} 条、"
        f"`title-format` {info[('title-format', True)]} 条）。",
        "- 原文上的问题（示例中预埋的问题、真实报告上的问题）同样逐条判定；判定理由写在判定文件的 note 中（真实报告只写理由，不写原文）。",
    ])



def consistency(n: int, seed: int = 7) -> str:
    """The same report clean and transformed, over N reports written by benchmarks/make_corpus.py
    (fictional reports from another author's phrase bank, never tuned against): how often the
    metadata and the parts agree, and which error and warning findings a copy adds or loses."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_corpus.py"), str(n), tmp, "--seed", str(seed)],
                       check=True, capture_output=True)
        files = sorted(Path(tmp).glob("reports/*/*.txt"))
        same_meta: Counter = Counter()
        same_parts: Counter = Counter()
        added: Counter = Counter()
        lost: Counter = Counter()
        for path in files:
            text = fazhi.load(path).text
            clean = fazhi.check(text)
            m0 = _meta(clean)
            k0 = _author_keys(clean)
            for name, fn in TRANSFORMS.items():
                copy = fazhi.check(fn(text))
                same_meta[name] += _meta(copy) == m0 or (name == "webcopy" and _meta(copy)[2:4] == m0[2:4])
                same_parts[name] += [p.part for p in copy.document.parts] == [p.part for p in clean.document.parts]
                k1 = _author_keys(copy)
                for (rule, _), c in (k1 - k0).items():
                    added[(name, rule)] += c
                for (rule, _), c in (k0 - k1).items():
                    lost[(name, rule)] += c
    lines = [
        f"## 同一报告原文与转换稿的一致性（{len(files)} 份 `make_corpus.py` 生成的报告，种子 {seed}）",
        "",
        "这些报告由 `benchmarks/make_corpus.py` 用 `benchmarks/phrasebank.py`（本项目另一部分为语料测试编写的短语库）生成，"
        "网页稿处理代码没有对着它们调过。逐份比较原文与各转换稿：元数据（标题、发文单位、层级、性质、地区、年度；webcopy 没有标题和落款，只比层级和性质）"
        "和各部分是否一致；转换稿比原文多出（多半是误报）或少了的“错误”“警告”（不计只关乎稿件形式的规则）。",
        "",
        f"命令：`python benchmarks/quality.py --synthetic {len(files)}`",
        "",
        "| 转换 | 元数据一致 | 各部分一致 | 多出的问题 | 少了的问题 |",
        "|---|---:|---:|---|---|",
    ]
    for name in TRANSFORMS:
        add_ = "、".join(f"`{r}` {c}" for (v, r), c in sorted(added.items()) if v == name) or "0"
        lost_ = "、".join(f"`{r}` {c}" for (v, r), c in sorted(lost.items()) if v == name) or "0"
        lines.append(f"| {name} | {same_meta[name]}/{len(files)} | {same_parts[name]}/{len(files)} | {add_} | {lost_} |")
    return "\n".join(lines)


def _meta(review) -> tuple:
    m = review.document.metadata
    return (m.title, m.issuer, m.issuer_level, m.issuer_kind, tuple(m.region.to_dict().values()), m.report_year)


def _author_keys(review) -> Counter:
    doc = review.document
    return Counter(
        (f.name, key_of("", f, doc.text)) for f in review.findings if f.severity != "info" and f.name not in _COPY_RULES
    )

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="只打印，不改写 docs/QUALITY.md")
    ap.add_argument("--unjudged", action="store_true", help="列出尚未判定的问题（含原文片段，只打印）")
    ap.add_argument("--marker", default="quality",
                    help="写入 docs/QUALITY.md 中 <!-- 名称:start --> 与 <!-- 名称:end --> 之间（默认 quality）；"
                         "用旧代码（PYTHONPATH=旧版本/src）重算时可写入另一节，如 quality-before")
    ap.add_argument("--synthetic", type=int, metavar="N",
                    help="另测 N 份 make_corpus.py 生成的报告上原文与转换稿的一致性，写入 quality-consistency 一节")
    ap.add_argument("--seeds", type=Path, default=Path(os.environ.get("FAZHI_SEEDS", ROOT.parent / "shared" / "seeds")))
    args = ap.parse_args(argv)
    if args.synthetic:
        if not args.no_write and not OUT.exists():
            OUT.write_text(HEADER, encoding="utf-8")
        text = consistency(args.synthetic)
        benchdoc.publish(text, OUT, "<!-- quality-consistency:start -->", "<!-- quality-consistency:end -->",
                         write=not args.no_write)
        return 0
    result = run(args.seeds)
    if args.unjudged:
        seen = set()
        for r in result["rows"]:
            if r["verdict"] is None and r["key"] not in seen:
                seen.add(r["key"])
                print(f'{r["key"]}\t{r["source"]}\t{r["variant"]}\t{r["rule"]}\t{r["severity"]}\t{r["_excerpt_local"]}\t{r["message"]}')
        print(f"未判定：{len(seen)} 个判定键", file=sys.stderr)
        return 0
    text = section(result, args.seeds)
    if args.marker != "quality":
        text = text.replace("## 网页稿与爬取稿上的准确率", f"## 网页稿与爬取稿上的准确率：{args.marker}", 1)
    if not args.no_write and not OUT.exists():
        OUT.write_text(HEADER, encoding="utf-8")
    benchdoc.publish(text, OUT, f"<!-- {args.marker}:start -->", f"<!-- {args.marker}:end -->", write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
