"""`fazhi stats --db FILE`: statistics over the corpus."""

from __future__ import annotations

import argparse
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(sub: Any) -> None:
    from fazhi.corpus.cmd_search import add_filter_arguments

    p = sub.add_parser("stats", help="语料库统计：年度、层级、地区分布，各部分齐备率，按时率，常见问题，得分分布")
    p.add_argument("--db", required=True, metavar="文件", help="语料库数据库文件（由 fazhi index 建立）")
    add_filter_arguments(p)
    p.add_argument("--config", metavar="文件", help="配置文件（用于报送截止日期）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")


def run(args: argparse.Namespace) -> int:
    import json

    from fazhi.corpus.cmd_search import filters_of, over_store
    from fazhi.corpus.stats import corpus_stats, render_text

    stats = over_store(args, lambda store, config: corpus_stats(store, config, **filters_of(args)))
    if stats is None:
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False))
    else:
        render_text(stats)
    return EXIT_OK
