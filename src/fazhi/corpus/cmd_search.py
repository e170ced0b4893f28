"""`fazhi search QUERY --db FILE [filters]`: full-text search over the corpus."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """The filters shared by search and export."""
    p.add_argument("--year", type=int, metavar="年份", help="报告年度，如 2024")
    p.add_argument("--level", metavar="层级", help="发文单位层级：province/city/county/township 或 省级/市级/县级/乡镇级")
    p.add_argument("--kind", metavar="性质", help="发文单位性质：政府/部门/党委 或 government/department/party")
    p.add_argument("--province", metavar="名称", help="所在省份（前缀匹配，如“四川”）")
    p.add_argument("--city", metavar="名称", help="所在市（前缀匹配）")
    p.add_argument("--county", metavar="名称", help="所在县区（前缀匹配）")
    p.add_argument("--issuer", metavar="文字", help="发文单位包含这些文字")
    p.add_argument("--rule", metavar="规则", help="有该规则问题的报告（中文名、名称或代码，如 字词误重复、duplicated-word 或 W101）")
    p.add_argument("--min-score", type=float, metavar="分数", help="总分不低于")
    p.add_argument("--max-score", type=float, metavar="分数", help="总分不高于")


def over_store(args: argparse.Namespace, work: Any) -> Any:
    """`work(store, config)` over the --db store opened read-only with the --config (or the
    discovered) configuration; None, after a Chinese message, when either cannot be had."""
    import sys

    from fazhi.config import ConfigError, load as load_config
    from fazhi.corpus.store import Store, StoreError

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return None
    try:
        with Store.open(args.db, readonly=True) as store:
            return work(store, config)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return None


def filters_of(args: argparse.Namespace) -> dict[str, Any]:
    """The filters the user gave, with --level, --kind and --rule in the stored form (English
    keys, rule codes) whichever language they were typed in; StoreError for a value that means
    nothing (a typo must not answer "nothing found")."""
    from fazhi.corpus.store import StoreError, normalize_filter

    keys = ("year", "level", "kind", "province", "city", "county", "issuer", "rule", "min_score", "max_score")
    out = {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
    for key in ("level", "kind"):
        if key in out:
            out[key] = normalize_filter(key, out[key])
    if "rule" in out:
        from fazhi.rules import get_rule

        rule = get_rule(out["rule"])
        if rule is None:
            raise StoreError("bad-filter", f"--rule 的值“{out['rule']}”不是规则的名称、代码或中文名（用 fazhi rules 查看）")
        out["rule"] = rule.code
    return out


def _notice(missing: int) -> None:
    print(f"fazhi：正在为 {missing} 份报告补建全文索引……", file=sys.stderr)


def add_parser(sub: Any) -> None:
    from fazhi.corpus.cmd_index import positive_int

    p = sub.add_parser("search", help="在语料库中全文检索")
    p.add_argument("query", metavar="检索词", help="要找的文字；多个词用空格分开，须同时出现")
    p.add_argument("--db", required=True, metavar="文件", help="语料库数据库文件（由 fazhi index 建立）")
    add_filter_arguments(p)
    p.add_argument("--limit", type=positive_int, default=20, metavar="N", help="最多显示多少条（默认 20）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="终端颜色")


def run(args: argparse.Namespace) -> int:
    import json

    from fazhi.corpus.search import complete_pending, search
    from fazhi.corpus.store import Store, StoreError
    from fazhi.safetext import printable

    if not args.query.strip():
        print("fazhi：检索词不能为空", file=sys.stderr)
        return EXIT_USAGE
    try:
        filters = filters_of(args)
        missing = complete_pending(args.db, notice=_notice if sys.stderr.isatty() else None)
        with Store.open(args.db, readonly=True) as store:
            hits = search(store, args.query, limit=args.limit, **filters)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if missing:
        print(f"fazhi：注意：有 {missing} 份报告尚未建立全文索引，本次检索不包含它们（fazhi index 正在运行或曾被中断；"
              "再运行一次 fazhi index 即可补全）", file=sys.stderr)
    if args.format == "json":
        print(json.dumps({"hits": [h.to_dict() for h in hits], **({"not_indexed": missing} if missing else {})}, ensure_ascii=False))
        return EXIT_OK
    from rich.console import Console
    from rich.markup import escape
    from rich.text import Text

    color = {"always": True, "never": False}.get(args.color)
    console = Console(highlight=False, force_terminal=color, no_color=color is False, soft_wrap=True)
    if not hits:
        console.print(f"没有找到包含“{escape(printable(args.query))}”的报告")
        return EXIT_OK
    more = "（已达 --limit 上限，可能还有更多）" if len(hits) == args.limit else ""
    console.print(f"找到 {len(hits)} 份报告{more}：\n")
    for i, h in enumerate(hits, 1):
        head = Text(f"{i}. ", style="bold")
        head.append(printable(h.title or "（无标题）"), style="bold")
        info = "，".join(x for x in (h.issuer, f"{h.report_year}年度" if h.report_year else None, f"{h.score:g}分" if h.score is not None else None) if x)
        if info:
            head.append(printable(f"（{info}）"))
        console.print(head)
        where = f"{h.path}:{h.line}" if h.line else h.path
        console.print(Text(printable(f"   {where}"), style="dim"))
        lead = "   …" if h.snippet_start > 0 else "   "
        snippet = Text(lead + printable(h.snippet) + "…")
        if h.start is not None and h.end is not None:
            a = len(lead) + h.start - h.snippet_start
            snippet.stylize("bold reverse", a, a + (h.end - h.start))
        console.print(snippet)
        console.print()
    return EXIT_OK
