"""Structure: the mandated parts of the report, their causes, their order."""

from __future__ import annotations

import re
from typing import Iterator

from fazhi import knowledge
from fazhi.model import Document, Part, quote
from fazhi.vocab import PART_NAMES, PART_ORDER, REQUIRED
from fazhi.rules.registry import Context, Hit, rule
from fazhi.rules.spans import sentences_from

# Phrases that show a part's content is discussed in running text without its own heading.
_MENTIONS = {
    "leader_duties": re.compile(r"第一责任人|主要负责人|党政主要负责"),
    "shortcomings": re.compile(r"不足|存在的?问题|短板|差距|薄弱环节"),
    "plan": re.compile(r"下一步|下一年度|今后|20\d\d年(?:将|要|继续)"),
    "measures": re.compile(r"举措|成效|开展|推进"),
    "rectification": re.compile(r"整改"),
}
# Cues of a sentence that says why (knowledge/causes.toml): data, not code.
_CAUSE_DATA = knowledge.load("causes")
_CAUSAL = re.compile("|".join(_CAUSE_DATA["causal"]["patterns"]))
_CAUSE_HEADING = re.compile(_CAUSE_DATA["heading"]["pattern"])

_EXAMPLE_FULL = """某县司法局关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：
一、主要举措和成效
全年办理行政复议案件12件。
二、存在的不足和原因
基层执法力量仍较薄弱，主要原因是编制有限、培训不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
主要负责同志带头学法，专题研究法治建设3次。
四、2025年工作安排
继续加强执法队伍建设。
特此报告。
某县司法局
2025年1月20日"""


def _present(doc: Document) -> set[str]:
    return {p.part for p in doc.parts}


def _body_mention(doc: Document, part: str) -> int | None:
    m = _MENTIONS[part].search(doc.text)
    return m.start() if m else None


@rule(
    code="S101",
    name="missing-part",
    severity="error",
    category="structure",
    summary="缺少《法治政府建设与责任落实督察工作规定》要求的报告部分",
    why=(
        "《法治政府建设与责任落实督察工作规定》要求年度报告包括：主要举措和成效；存在的不足和原因；党政主要负责人履行推进法治建设"
        "第一责任人职责的情况；下一年度主要安排。缺少任何一部分都会被退回或在考核中扣分。只在正文中顺带提到、"
        "没有单列成部分的，按警告提示。"
    ),
    bad=_EXAMPLE_FULL.replace("三、党政主要负责人履行推进法治建设第一责任人职责情况\n主要负责同志带头学法，专题研究法治建设3次。\n", "").replace("四、2025年", "三、2025年"),
    good=_EXAMPLE_FULL,
)
def missing_part(doc: Document, ctx: Context) -> Iterator[Hit]:
    present = _present(doc)
    required = list(REQUIRED) + (["rectification"] if ctx.config.require_rectification else [])
    anchor = doc.metadata.title_span or (0, min(len(doc.text), 1))
    for part in required:
        if part in present:
            continue
        mention = _body_mention(doc, part)
        name = PART_NAMES[part]
        if mention is not None:
            yield Hit(
                anchor[0],
                anchor[1],
                f"没有单列“{name}”部分（正文{quote(doc.text, mention, mention + 40)}处有相关内容），建议按规定单独成部分",
                severity="warning",
            )
        else:
            yield Hit(anchor[0], anchor[1], f"缺少“{name}”部分")


@rule(
    code="S102",
    name="missing-reasons",
    severity="error",
    category="structure",
    summary="列出了不足，但没有分析原因",
    why=(
        "规定要求报告“存在的不足和原因”，只罗列问题、不分析原因的报告不符合要求，也无从看出整改方向。逐句判断："
        "说明问题为什么产生的句子（“究其原因”“主要原因是”“由于”“受……影响”“从主观上看”“根源在于”“导致”等，"
        "见 knowledge/causes.toml）或“原因分析”小标题下的内容算作原因分析；只复述问题的句子（“认识不够到位”"
        "“投入不足”“存在的问题主要是”）不算，标题里的“原因”二字也不算。"
    ),
    bad=_EXAMPLE_FULL.replace("基层执法力量仍较薄弱，主要原因是编制有限、培训不足。", "基层执法力量仍较薄弱，普法形式还不够丰富。"),
    good=_EXAMPLE_FULL,
)
def missing_reasons(doc: Document, ctx: Context) -> Iterator[Hit]:
    for part in doc.parts:
        if part.part != "shortcomings":
            continue
        body_start = part.start + len(part.heading or "")
        heads = [(h.start, h.end) for h in doc.headings if not h.inline and body_start <= h.start < part.end]
        sentences = [
            (a, b) for a, b in sentences_from(doc, body_start, part.end)
            if doc.text[a:b].strip() and not any(s <= a and b <= e + 1 for s, e in heads)
        ]
        if any(_CAUSAL.search(doc.text[a:b]) for a, b in sentences) or _cause_subsection(doc, part, body_start):
            continue
        end = part.start + max(len(part.heading or ""), 1)
        if not sentences:
            message = "“存在的不足”部分只有标题，既没有列出问题，也没有分析原因"
        elif _CAUSE_HEADING.search(part.heading or ""):
            message = f"标题写了“原因”，但这一部分的{len(sentences)}句话都只陈述问题，没有一句分析问题为什么产生"
        else:
            message = f"“存在的不足”部分只列问题，没有分析原因（{len(sentences)}句话都只陈述问题，标题也没有提原因）"
        yield Hit(part.start, end, message, "补充每个问题的原因（主观、客观方面），如“究其原因，一是……”")
        return


def _cause_subsection(doc: Document, part: Part, body_start: int) -> bool:
    """A subsection inside the part that announces causes ("（二）原因分析") with text under it."""
    for h in doc.headings:
        if h.inline or not (body_start <= h.start < part.end) or not _CAUSE_HEADING.search(h.text):
            continue
        if doc.text[h.end:part.end].strip(" \n。：:"):
            return True
    return False


@rule(
    code="S103",
    name="part-order",
    severity="warning",
    category="structure",
    summary="报告各部分的顺序与规定不一致",
    why=(
        "规定列出的顺序是：主要举措和成效、不足和原因、第一责任人履职情况、下一年度安排、其他情况。"
        "多数省份的工作指引要求按此顺序撰写，便于上级汇总比对。上年度问题整改情况可放在任意位置。"
        "把第一责任人履职情况放在全文第一部分、其余部分依次排列的写法，一些省市的报告普遍采用，不提示。"
    ),
    bad=_EXAMPLE_FULL.replace("二、存在的不足和原因\n基层执法力量仍较薄弱，主要原因是编制有限、培训不足。\n", "")
    .replace("四、2025年工作安排\n继续加强执法队伍建设。\n", "二、2025年工作安排\n继续加强执法队伍建设。\n四、存在的不足和原因\n基层执法力量仍较薄弱，主要原因是编制有限、培训不足。\n"),
    good=_EXAMPLE_FULL,
)
def part_order(doc: Document, ctx: Context) -> Iterator[Hit]:
    order = {p: i for i, p in enumerate(PART_ORDER)}
    seen: list[tuple[int, str]] = []
    ordered = [p for p in doc.parts if p.part in order]
    for k, part in enumerate(ordered):
        if any(p == part.part for _, p in seen):
            continue
        if k == 0 and part.part == "leader_duties":
            continue  # the leader's duties as the opening part: a common layout, not a misplacement
        rank = order[part.part]
        later = [p for r, p in seen if r > rank]
        if later:
            span_end = part.start + len(part.heading or "")
            yield Hit(
                part.start,
                span_end,
                f"“{PART_NAMES[part.part]}”应在“{PART_NAMES[later[0]]}”之前",
            )
        seen.append((rank, part.part))
