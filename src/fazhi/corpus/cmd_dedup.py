"""`fazhi dedup --db FILE [--threshold T] [--format text|json]`: reports filed twice, and
passages copied between reports. Heavy imports stay inside run()."""

from __future__ import annotations

import argparse



def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("dedup", help="查重：找出重复报送的同一份报告和相互抄袭的段落")
    p.add_argument("--db", required=True, metavar="文件", help="fazhi index 建立的数据库文件")
    p.add_argument("--threshold", type=float, default=None, metavar="数值",
                   help="段落相似度阈值（0～1，默认 0.5）：达到阈值的段落所在的两份报告才进一步比对")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("-o", "--output", metavar="文件", help="输出到文件")
    p.add_argument("--no-save", action="store_true", help="不把结果存入数据库（默认存入，供 fazhi export 的“查重”列使用）")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from fazhi.corpus.dedup import DEFAULTS, dedup_store, save_result
    from fazhi.corpus.store import StoreError

    threshold = DEFAULTS["threshold"] if args.threshold is None else args.threshold
    if not 0 < threshold <= 1:
        print("fazhi：用法错误：--threshold 应在 0 和 1 之间", file=sys.stderr)
        return 2
    progress = _progress() if sys.stderr.isatty() else None
    try:
        result = dedup_store(args.db, threshold, progress=progress)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return 2
    finally:
        if progress:
            print(file=sys.stderr)
    if not args.no_save:
        try:
            save_result(args.db, result, threshold)
        except StoreError as exc:  # a read-only or locked database: the results are still shown
            print(f"fazhi：查重结果未存入数据库：{exc.message}", file=sys.stderr)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "json":
            out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            out.write(render_text(result))
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def _progress():  # type: ignore[no-untyped-def]
    import sys

    names = {"df": "统计常用语", "signatures": "计算指纹", "verify": "逐对比对"}

    def show(stage: str, n: int) -> None:
        print(f"\r{names.get(stage, stage)}：{n:,}", end="", file=sys.stderr, flush=True)

    return show


def spread_groups(copied) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    """Passages found in three or more reports: (the passage, the reports sharing it), largest
    first. Pairs are linked through passages of the same wording (punctuation and spaces aside)."""
    import re

    owners: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for p in copied:
        for x in p.passages:
            key = re.sub(r"[^\w]", "", x.text)
            if len(key) >= 20:
                owners.setdefault(key, set()).update((p.a, p.b))
                shown.setdefault(key, x.text.replace("\n", " "))
    groups = [(shown[k], sorted(v)) for k, v in owners.items() if len(v) >= 3]
    return sorted(groups, key=lambda g: (-len(g[1]), g[0]))


def render_text(result) -> str:  # type: ignore[no-untyped-def]
    """A Chinese summary: counts, the same-report groups, then the copied pairs with excerpts."""
    lines: list[str] = []
    same = [p for p in result.pairs if p.kind == "same-report"]
    copied = [p for p in result.pairs if p.kind == "copied-passages"]
    docs = result.stats.get("docs", 0)
    lines.append(f"共比对 {docs} 份报告：同一份报告重复报送 {len(result.groups)} 组（{len(same)} 对），"
                 f"抄袭段落 {len(copied)} 对。")
    if result.groups:
        lines.append("")
        lines.append("同一份报告（另一种格式或重复上传）：")
        for n, group in enumerate(result.groups, 1):
            lines.append(f"  第{n}组：" + "；".join(group))
    spread = spread_groups(copied)
    if spread:
        lines.append("")
        lines.append("同一段落抄进了多份报告（范本式扩散）：")
        for excerpt, keys in spread:
            lines.append(f"  {len(keys)} 份：“{excerpt[:40]}{'……' if len(excerpt) > 40 else ''}”")
            lines.append("    " + "；".join(keys))
    if copied:
        lines.append("")
        lines.append(f"{'相似度':>6}  {'段落':>4}  {'字数':>5}  在先报告 → 在后报告")
        for p in sorted(copied, key=lambda p: -sum(x.a_end - x.a_start for x in p.passages)):
            chars = sum(x.a_end - x.a_start for x in p.passages)
            lines.append(f"{p.similarity:>8.0%}  {len(p.passages):>5}  {chars:>6}  {p.a} → {p.b}")
            first = max(p.passages, key=lambda x: x.a_end - x.a_start)
            excerpt = first.text.replace("\n", " ")
            lines.append(f"{'':>24}“{excerpt[:60]}{'……' if len(excerpt) > 60 else ''}”")
    if not result.pairs:
        lines.append("没有发现重复报送或抄袭的段落。")
    lines.append("")
    lines.append("说明：所有报告都会用到的规范表述（如“深入学习贯彻习近平法治思想”）不计为抄袭；"
                 "相似度为两份报告去掉这些表述后的字符片段重合度。")
    return "\n".join(lines) + "\n"
