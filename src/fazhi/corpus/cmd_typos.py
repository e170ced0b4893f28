"""`fazhi typos --db FILE [--min-common N] [--format text|json]`: spellings that a corpus shows
to be slips — a phrase written one way in many reports and, a sound-alike character different,
once. Heavy imports stay inside run()."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("typos", help="按语料统计找错字：多数报告一种写法、只有一份另一种同音写法")
    p.add_argument("--db", required=True, metavar="文件", help="fazhi index 建立的数据库文件")
    p.add_argument("--min-common", type=int, default=20, metavar="份数",
                   help="正确写法至少出现在多少份报告中（默认 20）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from fazhi.corpus.store import StoreError
    from fazhi.corpus.typos import store_variants

    if args.min_common < 2:
        print("fazhi：用法错误：--min-common 至少为 2", file=sys.stderr)
        return 2
    try:
        variants, n = store_variants(args.db, args.min_common)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({"reports": n, "variants": [v.to_dict() for v in variants]}, ensure_ascii=False, indent=2))
        return 0
    print(f"共读 {n} 份报告：疑似错字 {len(variants)} 处（正确写法至少见于 {args.min_common} 份报告，错误写法只见于 1 份）。")
    for v in variants:
        print(f"  {v.key}：第{v.start + 1}字起“{v.written}”，{v.reports} 份报告写作“{v.intended}”")
    return 0
