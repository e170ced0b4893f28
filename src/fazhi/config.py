"""Configuration: which rules run, their severities, and reporting deadlines.

Read from `fazhi.toml` (top level, or [tool.fazhi] as in pyproject.toml) or `pyproject.toml`
([tool.fazhi]), with one schema (KEYS; an unknown key is an error), found in the current
directory or its parents, or given explicitly. Example:

    [tool.fazhi]
    select = ["structure", "numbering"]      # rule names, codes or categories; default: all
    ignore = ["halfwidth-punctuation"]
    require_rectification = true             # expect 上年度问题整改情况 as a part

    [tool.fazhi.severity]
    part-order = "info"

    [tool.fazhi.deadlines]                   # month-day in the year after the report year
    default = "03-01"
    province-government = "04-01"            # keys: LEVEL-KIND, LEVEL, default

    [tool.fazhi.deadlines."浙江省"]            # per province, same keys
    default = "02-28"

`[layout]` overrides the GB/T 9704 figures of knowledge/layout.toml (same keys), for a province
with its own style sheet. `documents = ["本省法规.csv"]` (top level of the table) lists the user's own documents as CSV
files (fazhi.knowledge.crosscheck.load_user_csv), relative to the configuration file; the checks
then use the bundled catalog plus these (Config.catalog()).

`[lexicon]` (allow, confusions, cautionary) is the user's lexicon for the typo rules: terms never
flagged, extra "written = intended" pairs, banned and cautionary words with a reason
(fazhi.knowledge.lexicon.user_lexicon validates it).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Protocol

from fazhi.knowledge.catalog import Catalog, catalog
from fazhi.knowledge.crosscheck import UserCsvError, load_user_csv, merge_user_entries
from fazhi.knowledge.deadlines import DEFAULT_DEADLINES, DeadlineError, deadline, month_day
from fazhi.knowledge.layout import LayoutSpecError, validate
from fazhi.knowledge.lexicon import LexiconError, UserLexicon, user_lexicon
from fazhi.model import SEVERITIES


class Rule(Protocol):
    """What the configuration reads of a rule (fazhi.rules.registry.Rule)."""

    name: str
    code: str
    severity: str



class ConfigError(Exception):
    """A configuration file is invalid; the message is one line of Chinese."""


# Rule names, codes, titles and categories are resolved by the rule registry. The configuration
# sits below the rules and never imports them: fazhi.rules registers its lookups here when it is
# imported (and importing any part of fazhi imports it, through fazhi.api).
_lookups: "tuple[Callable[[str], set[str] | None], Callable[[str], Rule | None]] | None" = None


def use_rule_lookups(matching: "Callable[[str], set[str] | None]", named: "Callable[[str], Rule | None]") -> None:
    """Called by fazhi.rules: how a user's word maps to rule names, and a rule by its name."""
    global _lookups
    _lookups = (matching, named)


def _rules_matching(key: str) -> set[str] | None:
    assert _lookups is not None, "fazhi.rules registers its lookups when imported"
    return _lookups[0](key)


def _rule_named(name: str) -> "Rule | None":
    assert _lookups is not None, "fazhi.rules registers its lookups when imported"
    return _lookups[1](name)


@dataclass(slots=True)
class Config:
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    deadlines: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    require_rectification: bool = False
    documents: list[str] = field(default_factory=list)  # user CSV files, absolute paths
    lexicon: UserLexicon = field(default_factory=UserLexicon)
    layout: dict[str, Any] = field(default_factory=dict)  # overrides of knowledge/layout.toml
    source: str | None = None

    def catalog(self) -> "Catalog":
        """The document catalog the checks use: the bundled one, plus the user's documents."""
        return _user_catalog(_stamped(self.documents)) if self.documents else catalog()

    def _matches(self, rule: "Rule", keys: list[str]) -> bool:
        return any(rule.name in (_rules_matching(k) or ()) for k in keys)

    def enabled(self, rule: "Rule") -> bool:
        if self.select is not None and not self._matches(rule, self.select):
            return False
        return not self._matches(rule, self.ignore)

    def shows(self, name: str) -> bool:
        """Whether findings of the rule named `name` are shown (select/ignore)."""
        rule = _rule_named(name)
        return rule is None or self.enabled(rule)

    def unselected(self) -> "Config":
        """The same configuration with every rule on: what the score is computed with, since a
        score is a property of the report and select/ignore only filter what is shown."""
        if self.select is None and not self.ignore:
            return self
        return replace(self, select=None, ignore=[])

    def severity_of(self, rule: "Rule") -> str:
        return self.severity.get(rule.name) or self.severity.get(rule.code) or rule.severity

    def deadline(self, report_year: int, level: str | None, kind: str | None, province: str | None) -> dt.date:
        """The last on-time date for a report on `report_year`."""
        return deadline(self.deadlines, report_year, level, kind, province)

    def with_overrides(self, select: list[str] | None, ignore: list[str] | None) -> "Config":
        return Config(
            select=select if select else self.select,
            ignore=self.ignore + list(ignore or []),
            severity=dict(self.severity),
            deadlines=dict(self.deadlines),
            require_rectification=self.require_rectification,
            documents=list(self.documents),
            lexicon=self.lexicon,
            layout=dict(self.layout),
            source=self.source,
        )


def _stamped(paths: list[str]) -> tuple[tuple[str, int], ...]:
    """Paths with their modification times, so that an edited file is read again."""
    out = []
    for p in paths:
        try:
            out.append((p, Path(p).stat().st_mtime_ns))
        except OSError:
            out.append((p, -1))  # load_user_csv reports the file as unreadable
    return tuple(out)


@lru_cache(maxsize=8)
def _user_catalog(stamped: tuple[tuple[str, int], ...]) -> "Catalog":
    """The bundled catalog merged with the user's CSV files, loaded once per version of them."""
    cat = None
    for path, _ in stamped:
        try:
            cat = merge_user_entries(load_user_csv(path, cat), cat)
        except UserCsvError as exc:
            shown = "；".join(exc.problems[:3]) + (f"……共{len(exc.problems)}处问题" if len(exc.problems) > 3 else "")
            raise ConfigError(f"文件清单 {Path(path).name} 有误：{shown}") from None
    assert cat is not None
    return cat


def user_documents(paths: list[str]) -> list[str]:
    """Absolute paths of the user's CSV files, loaded to check them; ConfigError lists the problems."""
    out = [str(Path(p).resolve()) for p in paths]
    if out:
        _user_catalog(_stamped(out))
    return out


def _month_day(value: str) -> tuple[int, int]:
    try:
        return month_day(value)
    except DeadlineError as exc:
        raise ConfigError(str(exc)) from None


def check_rule_keys(keys: list[str], label: str) -> None:
    """Raise ConfigError for anything in `keys` that names no rule (name, code, Chinese title)
    or category (key or Chinese name)."""
    unknown = [k for k in keys if _rules_matching(k) is None]
    if unknown:
        raise ConfigError(f"{label} 中有未知的规则：{'、'.join(unknown)}（用 fazhi rules 查看全部规则和类别）")


SEVERITY_NAMES = {"错误": "error", "警告": "warning", "提示": "info"}


# The one schema of both files (the top level of fazhi.toml, [tool.fazhi] of pyproject.toml).
KEYS = {
    "select": "只运行的规则",
    "ignore": "忽略的规则",
    "severity": "规则的级别",
    "deadlines": "报送截止日期",
    "require_rectification": "要求有上年度问题整改情况部分",
    "documents": "用户的 CSV 文件清单",
    "lexicon": "用户词表（allow 不提示的词、confusions 易混词、cautionary 慎用词）",
    "layout": "公文格式（GB/T 9704）的本地规定",
}


def _validate(data: dict[str, Any], where: str) -> None:
    """Unknown keys and wrongly typed tables are errors naming the key, never silently ignored."""
    unknown = [k for k in data if k not in KEYS]
    if unknown:
        raise ConfigError(
            f"{where}中有未知的配置项：{'、'.join(unknown)}（可用的配置项：{'、'.join(f'{k}（{v}）' for k, v in KEYS.items())}）"
        )
    for key in ("severity", "deadlines"):
        if key in data and not isinstance(data[key], dict):
            raise ConfigError(f"{where}中的配置项 {key} 应为一个表（如 [tool.fazhi.{key}]）")
    if "require_rectification" in data and not isinstance(data["require_rectification"], bool):
        raise ConfigError(f"{where}中的配置项 require_rectification 应为 true 或 false")


def from_mapping(data: dict[str, Any], source: str | None = None) -> Config:
    _validate(data, f"配置文件 {Path(source).name} " if source else "配置")
    cfg = Config(source=source)
    for key in ("select", "ignore"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"配置项 {key} 应为规则名称的列表")
        check_rule_keys(value, f"配置项 {key}")
        setattr(cfg, key, list(value))
    severity = data.get("severity", {})
    for name, sev in severity.items():
        if SEVERITY_NAMES.get(sev, sev) not in SEVERITIES:
            raise ConfigError(f"规则 {name} 的级别“{sev}”无效，应为 error、warning、info（或 错误、警告、提示）")
    check_rule_keys(list(severity), "severity")
    cfg.severity = _severities(severity)
    deadlines = dict(DEFAULT_DEADLINES)
    for key, value in data.get("deadlines", {}).items():
        if isinstance(value, dict):
            for v in value.values():
                _month_day(v)
        else:
            _month_day(value)
        deadlines[key] = value
    cfg.deadlines = deadlines
    cfg.require_rectification = bool(data.get("require_rectification", False))
    documents = data.get("documents", [])
    if isinstance(documents, str):
        documents = [documents]
    if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
        raise ConfigError("配置项 documents 应为 CSV 文件路径的列表")
    base = Path(source).parent if source else Path.cwd()
    cfg.documents = user_documents([str(base / d) for d in documents])
    try:
        cfg.lexicon = user_lexicon(data.get("lexicon"))
    except LexiconError as exc:
        shown = "；".join(exc.problems[:3]) + (f"……共{len(exc.problems)}处问题" if len(exc.problems) > 3 else "")
        raise ConfigError(f"词表 [lexicon] 有误：{shown}") from None
    cfg.layout = _layout_overrides(data.get("layout", {}))
    return cfg


def _severities(table: dict[str, str]) -> dict[str, str]:
    """{rule name: severity} from the user's keys (names, codes, titles or categories; a rule
    named on its own wins over its category) and values (English or Chinese)."""
    out: dict[str, str] = {}
    for key, sev in sorted(table.items(), key=lambda kv: len(_rules_matching(kv[0]) or ()) == 1):
        for name in _rules_matching(key) or ():
            out[name] = SEVERITY_NAMES.get(sev, sev)
    return out


def _layout_overrides(value: Any) -> dict[str, Any]:
    """The [layout] table: overrides of the GB/T 9704 figures (knowledge/layout.toml)."""
    if not isinstance(value, dict):
        raise ConfigError("配置项 layout 应为一个表")
    try:
        validate(value)
    except LayoutSpecError as exc:
        raise ConfigError(str(exc)) from None
    return value


def load_file(path: str | Path) -> Config:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"找不到配置文件：{p}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"配置文件 {p} 不是有效的 TOML：{exc}") from None
    if p.name == "pyproject.toml":
        data = data.get("tool", {}).get("fazhi", {})
    else:
        data = _fazhi_table(data, p)
    return from_mapping(data, str(p))


def _fazhi_table(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """fazhi.toml: settings at the top level, or under [tool.fazhi] as in pyproject.toml (the
    README's example pasted as is); not both."""
    tool = data.get("tool")
    if not isinstance(tool, dict) or "fazhi" not in tool:
        return data
    if set(tool) != {"fazhi"} or set(data) != {"tool"}:
        raise ConfigError(f"配置文件 {path.name} 中 [tool.fazhi] 之外还有其他配置项：请把设置都写在 [tool.fazhi] 下，或都写在顶层")
    table = tool["fazhi"]
    if not isinstance(table, dict):
        raise ConfigError(f"配置文件 {path.name} 中的 tool.fazhi 应为一个表")
    return table


def load(path: str | Path | None = None) -> Config:
    """The configuration a command uses: the file given (--config), else the one discovered."""
    return load_file(path) if path else discover()


def discover(start: str | Path | None = None) -> Config:
    """fazhi.toml, or pyproject.toml with [tool.fazhi], in `start` (default: cwd) or a parent."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "fazhi.toml"
        if candidate.is_file():
            return load_file(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                continue
            if "fazhi" in data.get("tool", {}):
                return from_mapping(data["tool"]["fazhi"], str(pyproject))
    return Config()
