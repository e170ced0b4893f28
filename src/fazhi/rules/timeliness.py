"""Time: the report is sent on time, and the years inside it agree with the report year."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from fazhi.model import Document
from fazhi.rules.registry import Context, Hit, rule

_GOOD = """某县司法局关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，我局认真贯彻落实上级部署，现将2024年度法治政府建设情况报告如下：
一、2024年度主要举措和成效
全年办理行政复议案件12件。
二、2025年工作安排
继续加强执法队伍建设。
特此报告。
某县司法局
2025年1月20日"""

_OPENING_YEAR = re.compile(r"^(20\d\d)年(?:度)?(?:[，,]|是|全年|上半年|我)")
_REPORT_SENTENCE = re.compile(r"现将.{0,20}?(20\d\d)年(?:度)?.{0,20}?(?:报告|总结|汇报)如下")
_REPORT_NAME = re.compile(r"(20\d\d)年(?:度)?法治政府建设(?:工作)?(?:情况|年度)?(?:的)?(?:报告|总结)(?!中|指出|提出|反馈|所列|提到|的整改)")
_YEAR = re.compile(r"(20\d\d)年")
_RANGE_DASH = frozenset("—-－~～至到")  # 2021－2025年: a range, not a year


def _fmt(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@rule(
    code="T101",
    name="late-report",
    severity="error",
    category="timeliness",
    summary="成文日期晚于报送截止日期",
    why=(
        "规定要求部门和地方政府每年3月1日前报送上一年度报告，省级政府4月1日前；各省可另有规定"
        "（在配置的 deadlines 中设置）。成文日期晚于截止日期，说明报告未按时报送。"
    ),
    bad=_GOOD.replace("2025年1月20日", "2025年3月15日"),
    good=_GOOD,
)
def late_report(doc: Document, ctx: Context) -> Iterator[Hit]:
    meta = doc.metadata
    if not meta.signed_date or not meta.report_year or not meta.signed_date_span:
        return
    signed = dt.date.fromisoformat(meta.signed_date)
    deadline = ctx.config.deadline(meta.report_year, meta.issuer_level, meta.issuer_kind, meta.region.province)
    if signed > deadline:
        a, b = meta.signed_date_span
        days = (signed - deadline).days
        yield Hit(a, b, f"成文日期{_fmt(signed)}晚于报送截止日期{_fmt(deadline)}（晚{days}天）")


@rule(
    code="T102",
    name="year-mismatch",
    severity="error",
    category="timeliness",
    summary="文中年份与报告年度矛盾",
    why=(
        "沿用上一年的报告改写时，最常见的错误是没有改全年份：开头写成上一年，标题说2024年度而“现将2023年度……报告如下”，"
        "工作安排写成本年度，或成文日期的年份不对。这类错误一眼可见，最损报告的严肃性。"
    ),
    bad=_GOOD.replace("二、2025年工作安排", "二、2024年工作安排"),
    good=_GOOD,
)
def year_mismatch(doc: Document, ctx: Context) -> Iterator[Hit]:
    seen: set[int] = set()
    for hit in _year_mismatches(doc):
        if hit.start not in seen:  # the same year can match several patterns
            seen.add(hit.start)
            yield hit


def _year_mismatches(doc: Document) -> Iterator[Hit]:
    meta = doc.metadata
    year = meta.report_year
    if not year or meta.report_year_source != "title":
        return
    text = doc.text
    body_from = (meta.addressee_span or meta.title_span or (0, 0))[1]
    # The opening paragraph.
    for a, b in doc.paragraphs:
        if a < body_from:
            continue
        line = text[a:b]
        m = _OPENING_YEAR.match(line)
        if m and int(m.group(1)) != year:
            yield Hit(a + m.start(1), a + m.end(1) + 1, f"开头写的是{m.group(1)}年，而报告年度是{year}年", f"{year}年")
        m = _REPORT_SENTENCE.search(line)
        if m and int(m.group(1)) != year:
            yield Hit(a + m.start(1), a + m.end(1) + 1, f"“现将……报告如下”写的是{m.group(1)}年，而报告年度是{year}年", f"{year}年")
        # The opening names "the 20XX annual report" itself. Elsewhere other years' reports are
        # legitimately cited (rectification of last year's problems), so only the opening counts.
        for m in _REPORT_NAME.finditer(line):
            y = int(m.group(1))
            if y != year and not line[max(0, m.start() - 3):m.start()].endswith(("上年度", "上一年", "去年", "上年")):
                yield Hit(a + m.start(1), a + m.end(1) + 1, f"开头称“{m.group(0)}”，而报告年度是{year}年", f"{year}年")
        break
    # Part headings: the plan is about the next year, the rest about the report year.
    for part in doc.parts:
        heading = part.heading or ""
        if part.part == "rectification":
            continue
        expected = year + 1 if part.part == "plan" else year
        for m in _YEAR.finditer(heading):
            y = int(m.group(1))
            if y != expected and heading[m.end():m.end() + 1] not in _RANGE_DASH:
                what = "下一年度工作安排" if part.part == "plan" else "本部分"
                yield Hit(part.start + m.start(), part.start + m.end(), f"{what}标题写的是{y}年，应为{expected}年", f"{expected}年")
    # The date it was signed.
    if meta.signed_date and meta.signed_date_span:
        signed_year = int(meta.signed_date[:4])
        if signed_year not in (year, year + 1):
            a, b = meta.signed_date_span
            yield Hit(a, b, f"成文日期在{signed_year}年，与报告年度{year}年不符（应在{year + 1}年初）")
