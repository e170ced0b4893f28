"""Figures: approximations written against GB/T 15835, and values that cannot be true."""

from __future__ import annotations

import re
from typing import Iterator

from fazhi.model import Document, Quantity
from fazhi.rules.registry import Context, Hit, rule

# Until registry.py lists it; setdefault keeps whatever label registry.py gives.


def _report(*body: str) -> str:
    return "\n".join(["某县司法局关于2024年度法治政府建设情况的报告", "县委、县政府：", *body, "特此报告。", "某县司法局", "2025年1月20日"])


_INFIX = re.compile(r"(.)([余多])")
_PREFIX = re.compile(r"^(?:约|近|超过|逾|大约)")
_ROUND_UNITS = set("十百千万亿")


def _infix(q: Quantity) -> re.Match[str] | None:
    """The 余/多 written between the number and its unit."""
    m = _INFIX.search(q.text)
    return m if m and m.start(2) > 0 else None


def _is_round(before: str, q: Quantity) -> bool:
    """Whether the number written before 余/多 is a round one (20, 1500, 十, 3万)."""
    if before in _ROUND_UNITS:
        return True
    if not before.isdigit() and before not in "０１２３４５６７８９":
        return False  # 十二余, 2.5余
    digits = re.match(r"^(?:约|近|超过|逾|大约)?([0-9０-９,，.．]+)", q.text)
    if not digits or "." in digits.group(1) or "．" in digits.group(1):
        return False
    n = digits.group(1).replace(",", "")
    return len(n) >= 2 and n[-1] in "0０"


@rule(
    code="F101",
    name="approximate-number",
    severity="warning",
    category="figures",
    summary="约数写法不规范（“18余次”或“约……余”重复表示约数）",
    why=(
        "GB/T 15835《出版物上数字用法》：“余”“多”表示约数，只能跟在整十、整百、整千等整数后面，"
        "如“20余次”“1500余份”“3万余元”；“18余次”“326余件”应写准确数“18次”“326件”，或写“近20次”。"
        "“约”“近”“左右”与“余”“多”都表示约数，同时使用（“约20余人”“约30人左右”）属于重复。"
    ),
    bad=_report("全年开展法治培训18余次，接待群众约200人左右。"),
    good=_report("全年开展法治培训20余次，发放宣传资料1500余份，累计投入3万余元，接待群众约200人。"),
)
def approximate_number(doc: Document, ctx: Context) -> Iterator[Hit]:
    for q in ctx.facts.quantities:
        m = _infix(q)
        pre = _PREFIX.match(q.text)
        post = q.text.endswith("左右")
        if (pre and (m or post)) or (m and post):
            word = pre.group(0) if pre else "余" if m and m.group(2) == "余" else "多"
            fixed = q.text[pre.end():] if pre else q.text[:-2]
            yield Hit(q.start, q.end, f"“{q.text}”中“{word}”与其他约数词重复", fixed)
        elif m and not _is_round(m.group(1), q):
            fixed = q.text[: m.start(2)] + q.text[m.end(2):]
            yield Hit(q.start, q.end, f"“{q.text}”：“{m.group(2)}”只能用在整十、整百等整数之后，请写确数“{fixed}”", fixed)


_RATE = re.compile(r"率|满意度|知晓度|覆盖面|占比|比例|比重|占")
_GROWTH = re.compile(r"增长|同比|环比|提高|提升|上升|增加|增幅|增速|翻|超额|上年|去年|同期|计划|目标")
_CLAUSE_END = "，。；：！？,;:\n"


def _clause_before(text: str, pos: int) -> str:
    a = pos
    while a > 0 and text[a - 1] not in _CLAUSE_END and pos - a < 30:
        a -= 1
    return text[a:pos]


@rule(
    code="F102",
    name="impossible-value",
    severity="error",
    category="figures",
    summary="数字不可能成立（比率超过100%，或部分大于总数）",
    why=(
        "合格率、满意率、覆盖率、办结率等比率不可能超过100%；“共办理案件12件，其中行政复议案件15件”这样部分大于总数的写法，"
        "说明数字录入或计算有误。增长率、同比提高等可以超过100%，不会被标记。"
    ),
    bad=_report("全年办理案件12件，其中行政复议案件15件，群众满意率达到105%。"),
    good=_report("全年办理案件15件，其中行政复议案件12件，群众满意率达到100%，受理量同比增长120%。"),
)
def impossible_value(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    quantities = ctx.facts.quantities
    for q in quantities:
        if q.kind != "percent" or q.unit != "%" or q.value is None or q.value <= 100:
            continue
        clause = _clause_before(text, q.start)
        if _GROWTH.search(clause) or clause.endswith("的") or "超额" in text[max(0, q.start - 40):q.start]:
            continue  # growth and over-fulfilment may exceed 100%
        if _RATE.search(clause) or clause.endswith(("达到", "达")):
            yield Hit(q.start, q.end, f"比率不可能超过100%，“{q.text}”有误")
    yield from _parts_exceed_whole(doc, quantities)


def _parts_exceed_whole(doc: Document, quantities: list[Quantity]) -> Iterator[Hit]:
    text = doc.text
    for sa, sb in doc.sentences:
        p = text.find("其中", sa, sb)
        if p < 0:
            continue
        pivots: list[int] = []
        while p >= 0:
            pivots.append(p)
            p = text.find("其中", p + 2, sb)
        inside = [q for q in quantities if sa <= q.start < sb and q.kind in ("number", "money") and q.value is not None]
        if len(inside) < 2:
            continue
        for i, pivot in enumerate(pivots):
            stop = pivots[i + 1] if i + 1 < len(pivots) else sb
            for part in (q for q in inside if pivot < q.start < stop):
                whole = next((q for q in reversed(inside) if q.end <= pivot and q.unit == part.unit), None)
                if whole is not None and part.value > whole.value:  # type: ignore[operator]
                    yield Hit(part.start, part.end, f"“其中”的分项“{part.text}”大于总数“{whole.text}”，数字有误")
