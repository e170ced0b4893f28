from __future__ import annotations

from fazhi.api import load
from fazhi.config import Config
from fazhi.rules import get_rule
from fazhi.rules.layout_example import example_document
from fazhi.rules.registry import Context


def findings(rule_name: str, text: str, config: Config | None = None):
    """The findings one rule raises on `text` (a report given as its text)."""
    rule = get_rule(rule_name)
    assert rule is not None, rule_name
    from fazhi.extract import extract

    doc = example_document(text) if rule.category == "format" else load(text)
    return list(rule.run(doc, Context(config or Config(), extract(doc))))


def flagged(rule_name: str, text: str, config: Config | None = None) -> list[str]:
    """The flagged substrings."""
    doc = load(text)
    return [doc.text[f.start:f.end] for f in findings(rule_name, text, config)]


def report(*body: str, title: str = "某县司法局关于2024年度法治政府建设情况的报告", addressee: str | None = "县委、县政府：",
           signoff: str | None = "某县司法局\n2025年1月20日") -> str:
    """A minimal report around the given body lines."""
    lines = [title]
    if addressee:
        lines.append(addressee)
    lines.extend(body)
    if signoff:
        lines.append(signoff)
    return "\n".join(lines)


FULL_BODY = (
    "2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：",
    "一、主要举措和成效",
    "全年办理行政复议案件12件，组织执法培训3次。",
    "二、存在的不足和原因",
    "基层执法力量仍较薄弱，主要原因是编制有限、培训不足。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责同志带头学法，专题研究法治建设3次。",
    "四、2025年工作安排",
    "继续加强执法队伍建设。",
    "特此报告。",
)
