"""`fazhi followup --db FILE [--issuer NAME] [--format text|json]`: did each unit's next
report address last year's shortcomings and plans? Heavy imports stay inside run()."""

from __future__ import annotations

import argparse


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("followup", help="跨年度跟踪：上年度的不足和工作安排，下一年度报告是否回应")
    p.add_argument("--db", required=True, metavar="文件", help="fazhi index 建立的数据库文件")
    p.add_argument("--issuer", metavar="单位", help="只看这个单位（名称的任意写法，如“县民政局”“中共某县民政局党组”）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--threshold", type=float, default=None, metavar="数值",
                   help="判定“已回应”的相似度下限（0～1，默认 0.25）")
    p.add_argument("--no-save", action="store_true",
                   help="不把结果存入数据库（默认存入，供 fazhi export 的“上年问题跟进”列使用；用 --issuer 时不存）")


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from fazhi.corpus.followup import THRESHOLD, followup_db, render_text, save_result
    from fazhi.corpus.store import StoreError

    threshold = THRESHOLD if args.threshold is None else args.threshold
    if not 0 < threshold <= 1:
        print("fazhi：用法错误：--threshold 应在 0 和 1 之间", file=sys.stderr)
        return 2
    try:
        result = followup_db(args.db, issuer=args.issuer, threshold=threshold)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return 2
    if not args.no_save and not args.issuer:
        try:
            save_result(args.db, result, threshold)
        except StoreError as exc:  # a read-only or locked database: the results are still shown
            print(f"fazhi：跟踪结果未存入数据库：{exc.message}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(render_text(result))
    if args.issuer and not result["issuers"]:
        print(f"fazhi：数据库中没有找到单位“{args.issuer}”的报告", file=sys.stderr)
        return 2
    return 0
