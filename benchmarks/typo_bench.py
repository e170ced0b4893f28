#!/usr/bin/env python3
"""错别字基准：在干净的虚构句子里埋入错字，量 likely-typo（W102）的召回和误报。

    python benchmarks/typo_bench.py                # writes its section of docs/BENCHMARKS.md
    python benchmarks/typo_bench.py --no-write     # print only
    python benchmarks/typo_bench.py --show 20      # also print missed plants and false alarms

Clean text: the fictional reports of benchmarks/make_corpus.py (phrase bank written for this
project; no defects planted) and examples/clean_county_justice_2024.txt. Every sentence of 12 to
120 characters is a candidate carrier. One plant per sentence, put back into its own report
(replacing the clean sentence), and the whole report checked with only W102 selected:

  homophone-word   a character of a word of 3+ characters (jieba's segmentation, not the rule's
                   lexicon) replaced by another GB 2312 character with the same toneless reading
  homophone-short  the same inside a word of 2 characters
  lookalike        a character replaced by a look-alike (the rule's own table: an upper bound)
  dropped          an inner character of a word of 4+ characters dropped
  jiezhi           “截至<time>，” put before the sentence, written “截止<time>，”
  de-di            “扎实推进”-type adverb + verb in the sentence written “扎实的推进”
  idiom            an idiom (a list in this file, not the rule's) put in a carrier sentence and one
                   of its characters replaced by a homophone

A plant is caught when a finding overlaps it and its suggestion restores the original text. False
alarms: findings on the clean reports, findings a plant adds elsewhere in its report, and, read
one by one, the findings on the five seeds and examples/ (listed).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchdoc  # noqa: E402
import make_corpus  # noqa: E402

import fazhi  # noqa: E402
from fazhi.config import Config  # noqa: E402
from fazhi.knowledge.lexicon import lexicon, readings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = Path(__import__("os").environ.get("FAZHI_SEEDS", ROOT.parent / "shared" / "seeds"))
START, END = "<!-- typo_bench:start -->", "<!-- typo_bench:end -->"
CONFIG = Config(select=["likely-typo"])
TIMES = ["今年6月底", "2024年底", "2024年12月31日", "目前", "11月底", "年底", "上半年末", "2024年9月"]
ADVERBS = ["扎实", "积极", "认真", "深入", "全面", "稳步", "有序", "持续", "广泛", "主动", "严格"]
VERBS = ["推进", "开展", "落实", "推动", "实施", "加强", "做好", "提升", "化解", "办理"]
IDIOMS = [  # common in official writing; written here, independent of the rule's lists
    "实事求是", "与时俱进", "求真务实", "真抓实干", "攻坚克难", "再接再厉", "一如既往", "持之以恒", "因地制宜",
    "举一反三", "以点带面", "统筹兼顾", "循序渐进", "精益求精", "兢兢业业", "脚踏实地", "雷厉风行", "一丝不苟",
    "不折不扣", "家喻户晓", "深入人心", "潜移默化", "喜闻乐见", "群策群力", "齐心协力", "防微杜渐", "未雨绸缪",
    "有的放矢", "对症下药", "按部就班", "全力以赴", "竭尽全力", "恪尽职守", "廉洁奉公", "行之有效", "卓有成效",
    "当务之急", "重中之重", "迫在眉睫", "刻不容缓", "一视同仁", "名副其实", "相辅相成", "息息相关", "源源不断",
]
CARRIERS = ["我局{i}，推动各项工作落到实处。", "全体干部职工{i}，圆满完成年度任务。", "各科室{i}，形成工作合力。"]


def clean_reports(n_reports: int, seed: int) -> list[str]:
    """The clean fictional reports: make_corpus's (no defects planted) and the clean example."""
    rng = random.Random(seed)
    g = make_corpus.load_gazetteer()
    texts = []
    for _ in range(n_reports):
        rep = make_corpus.build_report(rng, make_corpus.make_issuer(rng, g), rng.choice(make_corpus.YEARS))
        texts.append("\n".join(rep.paras))
    texts.append((ROOT / "examples" / "clean_county_justice_2024.txt").read_text(encoding="utf-8"))
    return texts


def clean_sentences(reports: list[str]) -> list[tuple[int, str]]:
    """(report index, sentence) for every body sentence of 12 to 120 characters without 《》."""
    out = {}
    for r, t in enumerate(reports):
        for s in re.findall(r"[^。！？\n]+[。！？]", t):
            s = s.strip()
            if 12 <= len(s) <= 120 and "《" not in s and s not in out:
                out[s] = r
    return sorted((r, s) for s, r in out.items())


def homophones() -> dict[str, list[str]]:
    by_reading: dict[str, list[str]] = defaultdict(list)
    for ch, rs in readings().items():
        by_reading[rs[0]].append(ch)
    return {ch: [o for o in by_reading[rs[0]] if o != ch] for ch, rs in readings().items()}


def plants(sentences: list[tuple[int, str]], rng: random.Random, per_kind: int) -> list[tuple[str, int, str, str, int, int, str]]:
    """(kind, report index, clean sentence, planted sentence, start, end, original text of the
    span) per plant; start and end are offsets in the planted sentence."""
    import jieba  # the benchmark's own segmentation, independent of the rule

    jieba.setLogLevel(60)
    homo = homophones()
    look = lexicon().lookalike
    out: list[tuple[str, int, str, str, int, int, str]] = []
    counts: Counter[str] = Counter()
    order = sentences[:]
    rng.shuffle(order)
    r = -1
    s = ""

    def add(kind: str, new: str, a: int, b: int, orig: str) -> None:
        if counts[kind] < per_kind:
            counts[kind] += 1
            out.append((kind, r, s, new, a, b, orig))

    for r, s in order:
        words, pos = [], 0
        for w in jieba.lcut(s):
            words.append((pos, w))
            pos += len(w)
        rng.shuffle(words)
        for start, w in words:
            if not re.fullmatch(r"[\u4e00-\u9fff]+", w):
                continue
            k = rng.randrange(len(w))
            ch = w[k]
            kind = "homophone-word" if len(w) >= 3 else "homophone-short"
            if homo.get(ch) and counts[kind] < per_kind:
                new_ch = rng.choice(homo[ch])
                add(kind, s[: start + k] + new_ch + s[start + k + 1:], start, start + len(w), w)
                break
        for start, w in words:
            if re.fullmatch(r"[\u4e00-\u9fff]+", w) and any(c in look for c in w) and counts["lookalike"] < per_kind:
                k = next(i for i, c in enumerate(w) if c in look)
                add("lookalike", s[: start + k] + rng.choice(look[w[k]]) + s[start + k + 1:], start, start + len(w), w)
                break
        for start, w in words:
            if len(w) >= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w) and counts["dropped"] < per_kind:
                k = rng.randrange(1, len(w) - 1)
                add("dropped", s[: start + k] + s[start + k + 1:], start, start + len(w) - 1, w)
                break
        t = rng.choice(TIMES)
        add("jiezhi", f"截止{t}，" + s, 0, 2, "截至")
        m = re.search("(" + "|".join(ADVERBS) + ")(" + "|".join(VERBS) + ")", s)
        if m:
            add("de-di", s[: m.end(1)] + "的" + s[m.end(1):], m.start(), m.end() + 1, m.group(1) + "地" + m.group(2))
    for i in range(per_kind * 3):
        idiom = rng.choice(IDIOMS)
        carrier = rng.choice(CARRIERS)
        k = rng.randrange(4)
        if not homo.get(idiom[k]):
            continue
        bad = idiom[:k] + rng.choice(homo[idiom[k]]) + idiom[k + 1:]
        a = carrier.index("{i}")
        r, s = order[i % len(order)][0], ""  # the carrier sentence is added to a clean report
        add("idiom", carrier.replace("{i}", bad), a, a + 4, idiom)
    return out


def findings(text: str) -> list[tuple[int, int, str | None]]:
    review = fazhi.check(text, CONFIG)
    return [(f.start, f.end, f.suggestion) for f in review.findings if f.code == "W102"]


def planted_report(report_text: str, clean: str, planted: str) -> tuple[str, int]:
    """The report with the clean sentence replaced by the planted one (or the planted sentence
    added after the opening line when there is no clean one), and where it starts."""
    if clean and clean in report_text:
        at = report_text.index(clean)
        return report_text[:at] + planted + report_text[at + len(clean):], at
    at = report_text.index("\n") + 1 if "\n" in report_text else 0
    return report_text[:at] + planted + "\n" + report_text[at:], at


def caught(kind: str, hits: list[tuple[int, int, str | None]], a: int, b: int, orig: str) -> bool:
    for s, e, sug in hits:
        if s < b and a < e and sug and (orig in sug or sug in orig or kind == "jiezhi" and sug == "截至"):
            return True
    return False


def run(n_reports: int, per_kind: int, seed: int, show: int) -> dict:
    t0 = time.perf_counter()
    reports = clean_reports(n_reports, seed)
    sentences = clean_sentences(reports)
    clean_hits = [findings(t) for t in reports]
    clean_fa = [(reports[r][a:b], sug) for r, hits in enumerate(clean_hits) for a, b, sug in hits]
    rng = random.Random(seed)
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # plants, caught, false alarms
    missed: list[str] = []
    for kind, r, clean, new, a, b, orig in plants(sentences, rng, per_kind):
        text, at = planted_report(reports[r], clean, new)
        shift = len(new) - len(clean) if clean else len(new) + 1
        hits = findings(text)
        ok = caught(kind, [(s - at, e - at, sug) for s, e, sug in hits], a, b, orig)
        rows[kind][0] += 1
        rows[kind][1] += ok
        # elsewhere in the report: findings outside the planted sentence that the clean report lacks
        before = {(s, e) for s, e, _ in clean_hits[r]}
        rows[kind][2] += sum(
            1 for s, e, _ in hits
            if not (at <= s < at + len(new)) and (s if s < at else s - shift, e if s < at else e - shift) not in before
        )
        if not ok:
            missed.append(f"{kind}: {new}（原为“{orig}”）")
    read = []
    for p in [*sorted(SEEDS.glob("*.txt")), *sorted((ROOT / "examples").glob("*.txt"))]:
        rv = fazhi.check(p)
        for f in rv.findings:
            if f.code == "W102":
                read.append(f"{p.name}: {rv.document.text[f.start:f.end]} → {f.suggestion}")
    if show:
        print("\n".join(missed[:show]))
        print("clean false alarms:", clean_fa[:show])
    return {
        "sentences": len(sentences), "reports": len(reports), "rows": dict(rows), "clean_fa": len(clean_fa), "read": read,
        "seconds": time.perf_counter() - t0, "n_reports": n_reports, "per_kind": per_kind, "seed": seed,
        "clean_examples": [f"{w} → {sug}" for w, sug in clean_fa[:10]],
    }


def corpus_run(n_reports: int, plants_n: int, seed: int) -> dict:
    """fazhi typos (corpus statistics) on n fictional reports with plants_n homophone slips put
    into four-character words (jieba's segmentation) of random reports."""
    import jieba  # the benchmark's own segmentation

    from fazhi.corpus.typos import corpus_variants

    jieba.setLogLevel(60)
    t0 = time.perf_counter()
    rng = random.Random(seed + 1)
    reports = clean_reports(n_reports, seed + 1)
    original = list(reports)
    homo = homophones()
    planted: dict[int, tuple[int, str, str]] = {}
    for r in rng.sample(range(len(reports)), min(plants_n, len(reports))):
        text, pos, options = reports[r], 0, []
        for w in jieba.lcut(text):
            if len(w) == 4 and re.fullmatch(r"[\u4e00-\u9fff]{4}", w):
                options.append((pos, w))
            pos += len(w)
        rng.shuffle(options)
        for pos, w in options:
            k = rng.randrange(4)
            if homo.get(w[k]):
                bad = w[:k] + rng.choice(homo[w[k]]) + w[k + 1:]
                reports[r] = text[:pos] + bad + text[pos + 4:]
                planted[r] = (pos, w, bad)
                break
    keys = {f"r{i}": t for i, t in enumerate(reports)}
    variants, n = corpus_variants(lambda: keys.items(), min_common=20)
    caught = 0
    false = []
    for v in variants:
        r = int(v.key[1:])
        p = planted.get(r)
        if p and v.start < p[0] + 4 and p[0] < v.end and original[r][v.start:v.end] == v.intended:
            caught += 1
        else:
            false.append(f"{v.written}→{v.intended}")
    return {"reports": n, "plants": len(planted), "caught": caught, "false": false, "found": len(variants),
            "seconds": time.perf_counter() - t0}


def latency(rounds: int = 15) -> dict:
    """CPU milliseconds of fazhi.check per report (seeds and examples/*.txt, median of per-report
    medians), with every rule and without the rules this change added (W102, W103, F103);
    the two configurations alternate round by round."""
    import statistics

    paths = [*sorted(SEEDS.glob("*.txt")), *sorted((ROOT / "examples").glob("*.txt"))]
    configs = {"all": Config(), "without": Config(ignore=["likely-typo", "cautionary-word", "inconsistent-figures"])}
    for c in configs.values():
        for p in paths:
            fazhi.check(p, c)
    times: dict[str, dict[Path, list[float]]] = {k: {} for k in configs}
    for r in range(rounds):
        for name in (list(configs) if r % 2 else list(configs)[::-1]):
            for p in paths:
                t = time.process_time()
                fazhi.check(p, configs[name])
                times[name].setdefault(p, []).append(time.process_time() - t)
    return {k: statistics.median(statistics.median(v) * 1000 for v in per.values()) for k, per in times.items()} | {"reports": len(paths)}


def section(res: dict) -> str:
    lines = [
        "## 错别字（likely-typo）：埋入错字的召回和误报",
        "",
        f"命令：`python benchmarks/typo_bench.py`（{res['n_reports']} 份 make_corpus 虚构报告和 examples/ 的干净范文，"
        f"共 {res['sentences']} 个句子；每类至多 {res['per_kind']} 处；种子 {res['seed']}；用时 {res['seconds']:.0f} 秒）。"
        "每处错字埋进它所在的整份报告（替换原句；成语类把载体句加进一份报告），整份报告只运行 W102。埋错方法见脚本说明；"
        "分词用 jieba，与规则的词表无关，所以“同音字（三字以上的词）”“漏字”两类的召回反映词表覆盖面，而不是按词表埋错。"
        "“报告内新增误报”是埋错以后、埋错句以外新出现的提示。",
        "",
        "| 类别 | 埋入 | 查出 | 召回 | 报告内新增误报 |",
        "|---|---|---|---|---|",
    ]
    labels = {"homophone-word": "同音字（三字以上的词）", "homophone-short": "同音字（两字词）", "lookalike": "形近字（规则自带形近表，上限）",
              "dropped": "固定词语漏字（四字以上的词）", "jiezhi": "截止/截至", "de-di": "的/地", "idiom": "成语同音字"}
    tot = [0, 0, 0]
    for kind in labels:
        if kind in res["rows"]:
            n, c, fa = res["rows"][kind]
            tot = [tot[0] + n, tot[1] + c, tot[2] + fa]
            lines.append(f"| {labels[kind]} | {n} | {c} | {c / n:.0%} | {fa} |")
    lines.append(f"| 合计 | {tot[0]} | {tot[1]} | {tot[1] / max(tot[0], 1):.0%} | {tot[2]} |")
    lines += [
        "",
        f"干净报告上的误报：{res['clean_fa']} 处（{res['reports']} 份报告，{res['sentences']} 个句子）" + ("：" + "；".join(res["clean_examples"]) if res["clean_examples"] else "。"),
        "",
        f"五份真实报告（seeds）和 examples/ 上的全部 W102 提示（逐条阅读）：{len(res['read'])} 处" + ("：" + "；".join(res["read"]) if res["read"] else "。"),
        "",
        f"按语料统计（`fazhi typos`，正确写法至少见于 20 份报告、另一种同音写法只见于 1 份）：{res['corpus']['reports']} 份虚构报告中"
        f"在 {res['corpus']['plants']} 份里各埋入一处同音字（jieba 切出的四字词中换一个同音字），查出 {res['corpus']['caught']} 处，"
        f"其他提示 {len(res['corpus']['false'])} 处" + ("（" + "、".join(res["corpus"]["false"][:10]) + "）" if res["corpus"]["false"] else "")
        + f"；用时 {res['corpus']['seconds']:.0f} 秒。它只认语料里常见的写法，埋在少见词里的错字查不到；"
        "生成语料的用词比真实报告集中，真实语料上的召回会低一些。",
        "",
        f"检查用时（CPU 毫秒，{res['latency']['reports']} 份 seeds 和 examples/*.txt，每份取中位数再取中位数）：全部规则 "
        f"{res['latency']['all']:.1f} ms，去掉本次新增的 W102、W103、F103 为 {res['latency']['without']:.1f} ms"
        f"（×{res['latency']['all'] / res['latency']['without']:.2f}）。",
        "",
        "“同音字（两字词）”召回低是有意的：两字词换一个同音字常常仍是词（推进/推荐），离开上下文无法判断，规则只在固定搭配里"
        "（推进法治政府建设）、数据列出的混淆词（确实加强）中查，或者在换上的字与前后都不成词、换回同音字成为常用词且本报告别处"
        "用过这个词时（凯展/开展）才提示。形近字只认规则自带的形近字表，这一行是上限而不是独立的量度。",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=40)
    ap.add_argument("--per-kind", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--corpus-reports", type=int, default=1000, help="fazhi typos 的语料份数")
    ap.add_argument("--corpus-plants", type=int, default=100, help="fazhi typos 埋入的错字数")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    res = run(args.reports, args.per_kind, args.seed, args.show)
    res["corpus"] = corpus_run(args.corpus_reports, args.corpus_plants, args.seed)
    res["latency"] = latency()
    text = section(res)
    print(text)
    if not args.no_write:
        benchdoc.write_section(ROOT / "docs" / "BENCHMARKS.md", START, END, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
