"""Map a report's sections to the parts the 规定 (厅字〔2019〕28号) mandates.

measures       上一年度推进法治政府建设的主要举措和成效
shortcomings   存在的不足和原因
leader_duties  党政主要负责人履行推进法治建设第一责任人职责的情况
plan           下一年度推进法治政府建设的主要安排
other          其他需要报告的情况 (optional)
rectification  上年度报告所列问题的整改情况 (optional; many provinces expect it)
"""

from __future__ import annotations

import re
from functools import lru_cache

from fazhi import knowledge
from fazhi.model import Heading, Part
from fazhi.parse.outline import top_level
from fazhi.vocab import PART_NAMES, PART_ORDER, REQUIRED  # noqa: F401 (re-exported)



def _compile(part: str) -> re.Pattern[str]:
    return re.compile("|".join(HEADING_DATA[part]["keywords"] + [re.escape(h) for h in HEADING_DATA[part]["headings"]]))


# The wordings live in knowledge/part_headings.toml (data, not code).
HEADING_DATA: dict[str, dict] = knowledge.load("part_headings")["parts"]
_PATTERNS: dict[str, re.Pattern[str]] = {part: _compile(part) for part in HEADING_DATA}
# Words that make an 整改 heading about last year's problems rather than about fixing this year's.
_RECTIFY_PAST = re.compile(HEADING_DATA["rectification"]["past"])
_YEAR = re.compile(r"(20\d\d)年")
# A heading that ends in a planning word is a plan, whatever year it names (a wrong year is a
# year-mismatch finding, not another part).
_PLAN_END = re.compile(r"(?:安排|计划|打算|思路|设想|谋划|方向|展望)[:：]?$")


def classify(heading_text: str, report_year: int | None) -> list[str]:
    """The parts a heading names, in canonical order (several when a heading merges parts)."""
    return list(_classify(heading_text, report_year))


@lru_cache(maxsize=4096)
def _classify(heading_text: str, report_year: int | None) -> tuple[str, ...]:
    """classify, cached: the same headings recur within a report (the items' grouping checks)
    and across a corpus."""
    found: list[str] = []
    t = heading_text
    if _PATTERNS["other"].search(t):
        return ("other",)
    if _PATTERNS["rectification"].search(t) and _RECTIFY_PAST.search(t) and not _PATTERNS["plan"].search(t):
        return ("rectification",)
    for part in ("leader_duties", "shortcomings", "plan", "measures"):
        if _PATTERNS[part].search(t):
            found.append(part)
    if "plan" in found and report_year is not None and not _PLAN_END.search(t):
        years = [int(y) for y in _YEAR.findall(t)]
        if years and all(y <= report_year for y in years) and not re.search(r"下一?年|下一步|今后", t):
            found.remove("plan")  # "2023年工作安排落实情况" in a 2023 report is about measures
            if not found:
                found.append("measures")
    if "measures" in found and len(found) > 1:
        found.remove("measures")  # "问题和成效" style merges are rare; the specific part wins
    order = {p: i for i, p in enumerate(PART_ORDER)}
    return tuple(sorted(found, key=lambda p: order.get(p, 99)))


def find_parts(text: str, headings: list[Heading], report_year: int | None, body_end: int) -> list[Part]:
    """Parts in document order. Unnamed top-level sections continue the part before them
    (numbered measure headings such as "二、提升执法水平" after "一、工作情况" stay in measures)."""
    tops = top_level(headings)
    parts: list[Part] = []
    index_of = {id(h): i for i, h in enumerate(headings)}
    for n, h in enumerate(tops):
        end = tops[n + 1].start if n + 1 < len(tops) else body_end
        end = max(end, h.end)
        kinds = classify(h.text, report_year)
        if not kinds:
            if parts:
                # continuation of the part (or merged parts) before
                last_end = parts[-1].end
                for p in parts:
                    if p.end == last_end:
                        p.end = end
                continue
            kinds = ["measures"]
        if parts and len(kinds) == 1 and parts[-1].part == kinds[0] and not parts[-1].merged_with:
            parts[-1].end = end
            continue
        for kind in kinds:
            parts.append(
                Part(
                    part=kind,
                    heading=text[h.start:h.end],
                    start=h.start,
                    end=end,
                    heading_index=index_of[id(h)],
                    merged_with=tuple(k for k in kinds if k != kind),
                )
            )
    _add_subsection_parts(text, headings, tops, parts, report_year)
    parts.sort(key=lambda p: (p.start, PART_ORDER.index(p.part) if p.part in PART_ORDER else 9))
    return parts


def _add_subsection_parts(
    text: str, headings: list[Heading], tops: list[Heading], parts: list[Part], report_year: int | None
) -> None:
    """A mandated part written as a subsection (（三）党政主要负责人履职情况) inside another part
    counts as present."""
    present = {p.part for p in parts}
    top_ids = {id(h) for h in tops}
    line_heads = [h for h in headings if not h.inline and id(h) not in top_ids]
    for i, h in enumerate(line_heads):
        kinds = [k for k in classify(h.text, report_year) if k in ("leader_duties", "shortcomings", "plan", "rectification")]
        for kind in kinds:
            if kind in present:
                continue
            # the subsection runs to the next heading of the same or a higher rank
            end = len(text)
            for later in line_heads[i + 1:]:
                if later.level <= h.level:
                    end = later.start
                    break
            for top in tops:
                if top.start > h.start:
                    end = min(end, top.start)
                    break
            parts.append(Part(part=kind, heading=text[h.start:h.end], start=h.start, end=end, heading_index=headings.index(h)))
            present.add(kind)
