"""`fazhi export --db FILE --to OUT.xlsx|.csv|.parquet|.jsonl [filters]`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub: Any) -> None:
    from fazhi.corpus.cmd_search import add_filter_arguments

    p = sub.add_parser("export", help="把语料库导出为 Excel、CSV、Parquet 或 JSON Lines（每份报告一行）")
    p.add_argument("--db", required=True, metavar="文件", help="语料库数据库文件（由 fazhi index 建立）")
    p.add_argument("--to", required=True, metavar="输出文件", help="输出文件：.xlsx、.csv、.parquet 或 .jsonl")
    add_filter_arguments(p)
    p.add_argument("--config", metavar="文件", help="配置文件（用于报送截止日期）")


def run(args: argparse.Namespace) -> int:
    from fazhi.corpus.cmd_search import filters_of, over_store
    from fazhi.corpus.export import export

    def work(store: Any, config: Any) -> tuple[int, int]:
        n = export(store, args.to, config, **filters_of(args))
        return n, (store.count_reports_once() if store.dedup_run() else 0)

    done = over_store(args, work)
    if done is None:
        return EXIT_USAGE
    n, other_files = done
    note = f"（按报告计：另有 {other_files} 个文件是同一份报告的重复报送或另一种格式，未单列，见“查重”列）" if other_files else ""
    print(f"已导出 {n} 份报告到 {args.to}{note}", file=sys.stderr)
    return EXIT_OK
