"""Figures: approximations written against GB/T 15835, values that cannot be true, and figures
that contradict each other (a share beside the counts it derives from, parts against their
whole, a total against its listed parts)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from operator import attrgetter
from typing import Iterator

from fazhi.model import Document, Quantity
from fazhi.rules.registry import Context, Hit, rule
from fazhi.rules.spans import sentence_starts

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
        # every finding needs 余/多 or 左右: most figures have neither (no regex call for them)
        m = _infix(q) if "余" in q.text or "多" in q.text else None
        post = q.text.endswith("左右")
        if m is None and not post:
            continue
        pre = _PREFIX.match(q.text)
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


def _qizhong(doc: Document) -> dict[int, list[int]]:
    """Sentence index -> the offsets of the 其中 inside that sentence, for the sentences that have
    one (most have none: one scan of the text instead of one search per sentence)."""
    memo = doc.memo.get("figures_qizhong")
    if memo is not None:
        return memo
    text = doc.text
    out: dict[int, list[int]] = {}
    p = text.find("其中")
    if p >= 0:
        starts = sentence_starts(doc)
        sentences = doc.sentences
        while p >= 0:
            i = bisect_right(starts, p) - 1
            if i >= 0 and p + 2 <= sentences[i][1]:
                out.setdefault(i, []).append(p)
            p = text.find("其中", p + 2)
    doc.memo["figures_qizhong"] = out
    return out


def _parts_exceed_whole(doc: Document, quantities: list[Quantity]) -> Iterator[Hit]:
    for k, pivots in sorted(_qizhong(doc).items()):
        sa, sb = doc.sentences[k]
        inside = [q for q in quantities if sa <= q.start < sb and q.kind in ("number", "money") and q.value is not None]
        if len(inside) < 2:
            continue
        for i, pivot in enumerate(pivots):
            stop = pivots[i + 1] if i + 1 < len(pivots) else sb
            for part in (q for q in inside if pivot < q.start < stop):
                whole = next((q for q in reversed(inside) if q.end <= pivot and q.unit == part.unit), None)
                if whole is not None and part.value > whole.value:  # type: ignore[operator]
                    yield Hit(part.start, part.end, f"“其中”的分项“{part.text}”大于总数“{whole.text}”，数字有误")


# ---------------------------------------------------------------- F103 inconsistent-figures

_SHARE = re.compile(r"占(?:比|总数|全部|总量|比例)?(?:为|达|达到|约)?$")
_RATE_WORD = re.compile(r"(?:^|[，,、的])([\u4e00-\u9fff]{2})率(?:为|达|达到|是)?$")  # 办结率, not 按期办结率
_TOTAL_WORD = re.compile(r"(?:合计|共计|总计|累计|总数为|共)$")
_EACH = re.compile(r"分别(?:为|是|达|有)?")
_PARTS_GAP = re.compile(r"^[^。；;！？\n]*$")  # what may lie between listed parts: no sentence end


def _tolerance(q: Quantity) -> float:
    """How far a stated percentage may be from the computed one: rounding at the digits written
    (66.7, 66.67 and 67 for 66.666…; not 66), a whole point more when it says 约."""
    digits = re.search(r"[.．](\d+)", q.text)
    tol = 0.5 * 10.0 ** -(len(digits.group(1)) if digits else 0)
    return tol + (1.0 if q.approx else 0.0) + 1e-9


def _exact(q: Quantity) -> bool:
    return q.kind in ("number", "money") and q.value is not None and not q.approx and q.upper is None and q.unit not in (None, "%")


def _sentence_of(doc: Document, pos: int) -> int:
    return max(0, bisect_left(sentence_starts(doc), pos + 1) - 1)


@rule(
    code="F103",
    name="inconsistent-figures",
    severity="warning",
    category="figures",
    summary="数字互相矛盾：百分比与算出它的数不符、分项之和大于总数、合计不等于所列分项之和",
    why=(
        "“办结12件，其中8件……占66%”：8÷12是66.7%；“受理30件，办结28件，办结率96%”：28÷30是93.3%；"
        "“全年办理案件12件。其中，行政复议8件，行政诉讼6件”：分项之和14件大于总数；“A类5件、B类4件，合计10件”：5＋4是9。"
        "这类矛盾说明数字抄错或算错，审阅者一眼就会发现。百分比按所写的位数容许四舍五入或截断（66.7%、66.67%、67%），"
        "写“约”的再宽一个百分点；只核对“占……%”和“××率”（其中“××”与计数的动词相同，如“办结28件……办结率”）这两种"
        "能确定由哪两个数算出的写法；同比增长、满意率等不由前文数字算出的比率不核对。"
    ),
    bad=_report("全年办结行政复议案件12件，其中纠错8件，占66%。受理申请30件，办结28件，办结率96%。"
                "发放宣传资料5000份、宣传册300份，共计5400份。"),
    good=_report("全年办结行政复议案件12件，其中纠错8件，占66.7%。受理申请30件，办结28件，办结率93.3%，约93%，"
                 "群众满意率96%，同比增长20%。发放宣传资料5000份、宣传册300份，共计5300份。"),
)
def inconsistent_figures(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    qs = sorted(ctx.facts.quantities, key=attrgetter("start"))
    yield from _shares(doc, text, qs)
    yield from _totals(text, qs)
    yield from _parts_across(doc, text, qs)


def _shares(doc: Document, text: str, qs: list[Quantity]) -> Iterator[Hit]:
    """A percentage after 占 or after a rate named for the count's verb, against part ÷ whole."""
    starts = [q.start for q in qs]
    for i, q in enumerate(qs):
        if q.kind != "percent" or q.unit != "%" or q.value is None or q.upper is not None:
            continue
        clause = _clause_before(text, q.start)
        if _GROWTH.search(clause):
            continue
        share, rate = _SHARE.search(clause), _RATE_WORD.search(clause)
        if not share and not rate:
            continue
        sent = _sentence_of(doc, q.start)
        lo = doc.sentences[max(0, sent - 1)][0] if doc.sentences else 0
        counts = [c for c in qs[bisect_left(starts, lo, 0, i):i] if _exact(c)]
        if not counts:
            continue
        part = counts[-1]
        if not share:
            stem = rate.group(1)  # type: ignore[union-attr]
            named = [c for c in counts if (stem in text[max(0, c.start - 6):c.start] or (c.counts or "").endswith(stem))
                     and not re.search(f"[未不没]{stem}", text[max(0, c.start - 7):c.start])]
            if not named:
                continue
            part = named[-1]
        wholes = [c for c in counts if c.end <= part.start and c.unit == part.unit and c.value >= part.value > 0]  # type: ignore[operator]
        if not wholes:
            continue
        whole = next((c for c in reversed(wholes) if c.value > part.value), wholes[-1])  # type: ignore[operator]
        got = part.value / whole.value * 100  # type: ignore[operator]
        tol = _tolerance(q)
        others = [c for c in counts if c is not part and c.unit == part.unit]
        alternatives = [got, 100 - got] + [part.value / (part.value + o.value) * 100 for o in others if o.value]  # type: ignore[operator]
        if any(abs(a - q.value) <= tol for a in alternatives):
            continue
        yield Hit(q.start, q.end,
                  f"“{q.text}”与前面的数字不符：{part.text}÷{whole.text}＝{got:.1f}%",
                  f"{got:.1f}%")


_TOTAL_TAIL = frozenset("计为共\n")  # the last character of any _TOTAL_WORD match ($ allows a final \n)


def _after_total_word(text: str, pos: int) -> bool:
    """Whether a total word (合计, 共计, 共 …) ends right before `pos` (within 4 characters)."""
    return text[pos - 1:pos] in _TOTAL_TAIL and bool(_TOTAL_WORD.search(text[max(0, pos - 4):pos]))


def _totals(text: str, qs: list[Quantity]) -> Iterator[Hit]:
    """A total (合计/共计/共 N) after listed parts, and parts after 分别 that follow a total."""
    each = "分别" in text  # every match of _EACH starts with 分别
    for i, q in enumerate(qs):
        if not each and text[q.start - 1:q.start] not in _TOTAL_TAIL:
            continue  # neither check can hold (_after_total_word's first test, inline)
        after_total = _after_total_word(text, q.start)
        if not (after_total or each) or not _exact(q):
            continue
        if after_total:
            parts = []
            for c in reversed(qs[:i]):
                gap = text[c.end:(parts[-1].start if parts else q.start)]
                if not _PARTS_GAP.match(gap) or len(gap) > 30 or "其中" in gap:
                    break
                if c.unit == q.unit:
                    if not _exact(c):
                        parts = []
                        break
                    parts.append(c)
            if len(parts) >= 2 and abs(sum(p.value for p in parts) - q.value) > 1e-6:  # type: ignore[misc,operator]
                listed = "＋".join(p.text for p in reversed(parts))
                total = sum(p.value for p in parts)  # type: ignore[misc]
                yield Hit(q.start, q.end, f"合计“{q.text}”与所列分项之和不符：{listed}＝{_num(total)}{q.unit}", f"{_num(total)}{q.unit}")
        if not each:
            continue
        m = _EACH.match(text, q.end, q.end + 8) or _EACH.search(text, q.end, min(len(text), q.end + 20))
        if m and _PARTS_GAP.match(text[q.end:m.start()]) and "其中" not in text[q.end:m.start()]:
            parts = []
            for c in qs[i + 1:]:
                if c.start < m.end() or not _PARTS_GAP.match(text[m.end():c.start]) or c.start - m.end() > 40:
                    if c.start >= m.end():
                        break
                    continue
                if c.unit == q.unit and _exact(c):
                    parts.append(c)
            if len(parts) >= 2 and abs(sum(p.value for p in parts) - q.value) > 1e-6:  # type: ignore[misc,operator]
                total = sum(p.value for p in parts)  # type: ignore[misc]
                listed = "＋".join(p.text for p in parts)
                yield Hit(q.start, q.end, f"总数“{q.text}”与后面“分别”列出的分项之和不符：{listed}＝{_num(total)}{q.unit}")


def _across_pivots(doc: Document) -> list[tuple[int, int]]:
    """(sentence index, offset of its 其中) in sentence order: a sentence's first 其中, else the
    one opening the next sentence."""
    own = _qizhong(doc)
    if not own:
        return []
    starts = sentence_starts(doc)
    pivots = {i: ps[0] for i, ps in own.items()}
    for i, ps in own.items():
        if i > 0 and i - 1 not in pivots and ps[0] == starts[i]:
            pivots[i - 1] = ps[0]
    return sorted(pivots.items())


def _parts_across(doc: Document, text: str, qs: list[Quantity]) -> Iterator[Hit]:
    """The parts after 其中 (in the sentence or the next one) add up to more than their whole."""
    for i, p in _across_pivots(doc):
        sa, sb = doc.sentences[i]
        nxt = doc.sentences[i + 1] if i + 1 < len(doc.sentences) else None
        end = nxt[1] if nxt and p >= nxt[0] else sb
        # the parts end before the clause that states a share of them (纠错8件占66.7%)
        share_at = min([q.start for q in qs if p < q.start < end and q.kind == "percent"] + [end])
        if "占" in text[p:share_at]:
            share_at = text.index("占", p, share_at)
        end = max(text.rfind("，", p, share_at), text.rfind(",", p, share_at)) if share_at < end else end
        if end <= p:
            continue
        wholes = [q for q in qs if sa <= q.start < min(p, sb) and _exact(q)]
        if not wholes:
            continue
        whole = wholes[-1]
        parts = [q for q in qs if p < q.start < end and q.unit == whole.unit]
        if len(parts) < 2 or not all(_exact(q) for q in parts) or any(q.value > whole.value for q in parts):  # type: ignore[operator]
            continue  # one part above the whole is impossible-value's finding
        if "分别" in text[p:end] or _after_total_word(text, parts[-1].start):
            continue
        total = sum(q.value for q in parts)  # type: ignore[misc]
        if total > whole.value + 1e-6:  # type: ignore[operator]
            listed = "＋".join(q.text for q in parts)
            yield Hit(parts[0].start, parts[-1].end,
                      f"“其中”所列分项之和大于总数“{whole.text}”：{listed}＝{_num(total)}{whole.unit}（分项若有交叉可忽略）")


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"
