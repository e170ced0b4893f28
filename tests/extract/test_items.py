"""Listed shortcomings and plan items: split by sub-headings, grouping headings, cause runs,
sentences, and soft line wraps."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.api import load
from fazhi.extract import items
from fazhi.extract.items import find_plan_items, find_shortcomings, units

from ..rules.helpers import report

HEAD = ("一、主要举措和成效", "全年办理行政复议案件12件。")
LEADER = ("三、党政主要负责人履行推进法治建设第一责任人职责情况", "主要负责同志带头学法3次。")


def _short(*lines: str) -> list[str]:
    return [it.text for it in find_shortcomings(load(report(*HEAD, "二、存在的不足和原因", *lines, *LEADER)))]


def _plan(*lines: str) -> list[str]:
    return [it.text for it in find_plan_items(load(report(*HEAD, *LEADER, "四、2025年工作安排", *lines)))]


def test_inline_enumeration():
    items = _short("我局还存在以下不足：一是执法人员偏少，全局仅有3名持证人员。二是案卷管理不规范，评查发现问题12个。")
    assert items == ["一是执法人员偏少，全局仅有3名持证人员。", "二是案卷管理不规范，评查发现问题12个。"]


def test_subheadings_with_bodies():
    items = _plan("（一）建成执法监督平台", "年内实现全部执法单位数据对接。", "（二）充实基层力量", "为每个司法所配齐2名工作人员。")
    assert items == ["（一）建成执法监督平台\n年内实现全部执法单位数据对接。", "（二）充实基层力量\n为每个司法所配齐2名工作人员。"]


def test_grouping_headings_keep_the_shortcomings_and_drop_the_causes():
    items = _short(
        "（一）存在的不足",
        "一是执法监督手段不多，案卷评查以事后抽查为主。二是基层力量薄弱，5个司法所只有1名在编人员。",
        "（二）原因分析",
        "一是思想认识上还有差距。二是保障投入不足。",
    )
    assert items == ["一是执法监督手段不多，案卷评查以事后抽查为主。", "二是基层力量薄弱，5个司法所只有1名在编人员。"]


def test_a_run_introduced_as_causes_is_left_out():
    items = _short(
        "主要存在以下问题：一是执法监督手段不多，案卷评查以事后抽查为主。二是基层力量薄弱，司法所人手不足。",
        "究其原因：一是认识不到位。二是经费投入有限，培训次数偏少。",
    )
    assert items == ["一是执法监督手段不多，案卷评查以事后抽查为主。", "二是基层力量薄弱，司法所人手不足。"]


def test_problems_and_causes_announced_together_are_kept():
    items = _short("存在的问题及原因如下：一是执法人员偏少，由于编制所限。二是宣传形式单一，原因是经费不足。")
    assert len(items) == 2


def test_without_subheadings_the_sentences_are_items():
    items = _short("部分干部法治意识不够强。执法文书说理不充分，原因是培训不足。")
    assert items == ["部分干部法治意识不够强。", "执法文书说理不充分，原因是培训不足。"]


def test_merged_part_keeps_the_groups_of_each_kind():
    doc = load(report(
        *HEAD,
        "二、存在的问题及下一步打算",
        "（一）存在的问题",
        "一是执法人员偏少，全局仅有3名持证人员。二是案卷管理不规范，评查发现问题12个。",
        "（二）下一步打算",
        "一是招录执法人员2名。二是开展案卷评查2轮。",
    ))
    assert [it.text for it in find_shortcomings(doc)] == ["一是执法人员偏少，全局仅有3名持证人员。", "二是案卷管理不规范，评查发现问题12个。"]
    assert [it.text for it in find_plan_items(doc)] == ["一是招录执法人员2名。", "二是开展案卷评查2轮。"]


def test_item_spans_point_at_their_text():
    doc = load(report(*HEAD, *LEADER, "四、2025年工作安排", "（一）建成执法监督平台。", "（二）完成轮训500人次。"))
    for it in find_plan_items(doc):
        assert doc.text[it.start:it.end] == it.text


def test_no_part_no_items():
    doc = load(report(*HEAD))
    assert find_shortcomings(doc) == [] and find_plan_items(doc) == []


def test_soft_wrapped_inline_item_is_one_item():
    one = _short("一是执法人员偏少，全局仅有3名持证人员，难以承担新增执法事项。二是案卷管理不规范，评查发现问题12个。")
    two = _short("一是执法人员偏少，全局仅有3名持证人员，", "难以承担新增执法事项。二是案卷管理不规范，评查发现问题12个。")
    assert [t.replace("\n", "") for t in two] == one


def test_units_join_soft_wraps_but_not_headings():
    doc = load(report(*HEAD, "二、存在的不足和原因", "（一）执法力量", "执法人员偏少，", "难以承担新增事项。"))
    part = next(p for p in doc.parts if p.part == "shortcomings")
    texts = [doc.text[a:b] for a, b in units(doc, part.start, part.end)]
    assert "执法人员偏少，\n难以承担新增事项。" in texts
    assert "（一）执法力量" in texts


def test_seed_items(seeds_dir):
    # verified by reading: 000 lists three shortcomings (一是…三是) and four numbered plan items;
    # the clean example keeps only the three problems of "（一）存在的不足"
    doc = load(next(seeds_dir.glob("000_*.txt")))
    assert [it.text[:2] for it in find_shortcomings(doc)] == ["一是", "二是", "三是"]
    assert [it.text[:2] for it in find_plan_items(doc)] == ["1.", "2.", "3.", "4."]


def test_example_items():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "clean_county_justice_2024.txt"
    doc = load(path)
    assert [it.text[:2] for it in find_shortcomings(doc)] == ["一是", "二是", "三是"]
    assert len(find_plan_items(doc)) == 5
    path = path.with_name("township_2024_defects.txt")
    doc = load(path)
    assert len(find_shortcomings(doc)) == 4  # the four causes after 究其原因 are left out


# --- the shortcuts equal the regexes they replace

@settings(max_examples=1000, deadline=None)
@given(st.text("。！？!?；;：:a文 \n\u3000\x1c", max_size=12), st.data())
def test_ends_final_equals_the_regex(text, data):
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert items._ends_final(text, a, b) == bool(re.search(r"[。！？!?；;：:]\s*$", text[a:b]))


@settings(max_examples=300, deadline=None)
@given(st.text("。\n究其原因问题和a ", max_size=20))
def test_the_last_sentence_of_a_lead(lead):
    last = re.split(r"[。\n]", lead.strip())[-1]
    expected = bool(items._CAUSE.search(last)) and not items._BOTH.search(last)
    assert items._introduces_causes(lead) == expected
