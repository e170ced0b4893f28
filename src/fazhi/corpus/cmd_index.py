"""`fazhi index PATH... --db FILE`: review reports into a corpus database."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{value}”") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是“{value}”")
    return n


def add_parser(sub: Any) -> None:
    p = sub.add_parser("index", help="把报告（文件、文件夹、.zip 压缩包）审阅后存入语料库数据库")
    p.add_argument("paths", nargs="+", metavar="路径", help="报告文件、文件夹或 .zip 压缩包")
    p.add_argument("--db", required=True, metavar="文件", help="语料库数据库文件（SQLite），不存在时新建")
    p.add_argument("--jobs", type=positive_int, metavar="N", help="并行进程数（默认：CPU 核数；1 表示不另开进程）")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式（默认 text）")
    p.add_argument("--config", metavar="文件", help="配置文件（fazhi.toml 或 pyproject.toml）")
    p.add_argument("--force", action="store_true", help="全部重新审阅，即使文件没有变化")


def run(args: argparse.Namespace) -> int:
    import json

    from fazhi.config import ConfigError, load as load_config
    from fazhi.corpus.index import index_paths
    from fazhi.corpus.store import StoreError

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = args.format == "text" and sys.stderr.isatty()
    try:
        result = index_paths(args.paths, args.db, jobs=args.jobs, progress=progress, config=config, force=args.force)
    except StoreError as exc:
        print(f"fazhi：{exc.message}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        print(f"已索引 {result.indexed} 份，未变化 {result.unchanged} 份，失败 {len(result.failed)} 份（数据库：{args.db}）")
        for f in result.failed:
            print(f"  {f.path}：{f.message}（{f.code}）")
    if result.skipped:
        shown = "、".join(os.path.basename(s) for s in result.skipped[:5]) + ("……" if len(result.skipped) > 5 else "")
        print(f"fazhi：已跳过 {len(result.skipped)} 个不是报告格式的文件：{shown}", file=sys.stderr)
    total = result.indexed + result.unchanged + len(result.failed)
    if result.unreadable and args.format == "text":
        print(f"fazhi：未变化的文件中有 {result.unreadable} 份上次就无法读取，仍记为失败（用 fazhi stats 查看原因）", file=sys.stderr)
    if result.missing or total == 0 or result.failed or result.unreadable:  # exit 2 when a file cannot be read, as check does
        if total == 0:
            print("fazhi：没有找到可索引的报告文件", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK
