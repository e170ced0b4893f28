"""find_quantities: figures with their units, approximations, ranges and what they count."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.extract import quantities as q
from fazhi.extract.quantities import find_quantities


def only(text: str):
    qs = find_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


@pytest.mark.parametrize(
    "text,span,value,unit,approx,kind",
    [
        ("全年办理行政复议案件12件。", "12件", 12, "件", False, "number"),
        ("培训执法人员1,020人次。", "1,020人次", 1020, "人次", False, "number"),
        ("培训执法人员１２０人。", "１２０人", 120, "人", False, "number"),
        ("采纳率96.2%。", "96.2%", 96.2, "%", False, "percent"),
        ("满意率达到９８．５％。", "９８．５％", 98.5, "%", False, "percent"),
        ("满意率为百分之九十五。", "百分之九十五", 95, "%", False, "percent"),
        ("罚没金额137.5万元。", "137.5万元", 137.5, "万元", False, "money"),
        ("挽回损失680元。", "680元", 680, "元", False, "money"),
        ("投入资金1.2亿元。", "1.2亿元", 1.2, "亿元", False, "money"),
        ("发放宣传资料1500余份。", "1500余份", 1500, "份", True, "number"),
        ("发放宣传资料3万余份。", "3万余份", 30000, "份", True, "number"),
        ("组织培训十二次。", "十二次", 12, "次", False, "number"),
        ("覆盖群众三千余人。", "三千余人", 3000, "人", True, "number"),
        ("受众达两万。", "两万", 20000, None, False, "number"),
        ("开展活动20多场。", "20多场", 20, "场", True, "number"),
        ("接待群众约200人。", "约200人", 200, "人", True, "number"),
        ("接待群众近300人次。", "近300人次", 300, "人次", True, "number"),
        ("接待群众200人左右。", "200人左右", 200, "人", True, "number"),
        ("审批时限压缩超过60%。", "超过60%", 60, "%", True, "percent"),
        ("较上年下降2.1个百分点。", "2.1个百分点", 2.1, "个百分点", False, "number"),
        ("缩短至9个工作日。", "9个工作日", 9, "个工作日", False, "number"),
        ("新增持证人员136人。", "136人", 136, "人", False, "number"),
        ("汇编收录地方性法规28部。", "28部", 28, "部", False, "number"),
        ("全年办理结婚登记860对。", "860对", 860, "对", False, "number"),
    ],
)
def test_values_units_and_approximations(text, span, value, unit, approx, kind):
    q = only(text)
    assert (q.text, q.value, q.unit, q.approx, q.kind) == (span, value, unit, approx, kind)
    assert text[q.start:q.end] == span


@pytest.mark.parametrize("text,lo,hi", [("每月开展3至5次。", 3, 5), ("每次3－5人。", 3, 5), ("每月3~5次。", 3, 5), ("每批10到20名。", 10, 20)])
def test_ranges(text, lo, hi):
    q = only(text)
    assert (q.kind, q.value, q.upper) == ("range", lo, hi)


@pytest.mark.parametrize(
    "text",
    [
        "2024年，我局认真贯彻落实。",
        "2025年1月20日",
        "依据《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）。",
        "1.深入学习贯彻习近平法治思想",
        "（2）全过程记录方面",
        "这是第3次专题会议，第一批试点。",
        "《中华人民共和国行政处罚法（2021年修订）》",
        "咨询电话：0371-12345678。",
        "落实《纲要（2021－2025年）》。",
        "在“12.4国家宪法日”开展宣传。",
        "增强“四个意识”、做到“两个维护”，落实“三项制度”。",
        "一是加强学习，二是规范执法。",
        "进一步统一执法尺度，做到一把手亲自抓。",
        "一项一项抓落实，千家万户都知晓，老百姓满意。",
        "城乡低保标准之比由1.16缩小至1.15。",
        "深入学习党的二十大和二十届三中全会精神，推进“八五”普法。",
        "组织党员干部开展1对1帮扶，对照三对照要求整改。",
        "报告分为三部分。",
    ],
)
def test_not_quantities(text):
    assert [q.text for q in find_quantities(text)] == []


@pytest.mark.parametrize(
    "text,counts",
    [
        ("全年办理行政复议案件12件。", "行政复议案件"),
        ("共办理案件20件，其中行政复议案件15件。", "行政复议案件"),
        ("覆盖全县12个乡镇。", "乡镇"),
        ("配备执法记录仪46台。", "执法记录仪"),
        ("开展专项培训20余次。", "专项培训"),
        ("审查规范性文件14件。", "规范性文件"),
    ],
)
def test_counts(text, counts):
    assert find_quantities(text)[-1].counts == counts


def test_fast_on_a_report_sized_text():
    text = ("全年办理行政复议案件12件，其中撤销3件，采纳率96.2%，发放资料1500余份，罚没137.5万元。" * 60)[:3000]
    find_quantities(text)
    t0 = time.perf_counter()
    for _ in range(20):
        find_quantities(text)
    per_call = (time.perf_counter() - t0) / 20
    assert per_call < 0.02  # generous for slow CI; typically ~1 ms for this density of figures


def test_groups_in_the_order_find_quantities_unpacks_them():
    from fazhi.extract.quantities import _GROUPS, _rx

    regex = _rx().quantity
    assert tuple(sorted(regex.groupindex, key=regex.groupindex.get)) == _GROUPS
    assert regex.groups == len(_GROUPS)


# --- the shortcuts in _counts and _clean equal the plain regexes they replace

_OLD_HAN_BEFORE = re.compile(r"[\u4e00-\u9fff]{0,20}\Z")
_OLD_LEAD = re.compile(r"^(?:年|月|了|共|各类|全年|累计|总计|合计|涉及|其中|均|各|全部)+")
_OLD_TAIL = re.compile(r"(?:共|达|达到|为|合计|计|共计|累计|总计|约|近|超过|不少于|不低于|不超过|仅|只有|仅有|现有|均)+$")


def _old_clean(np):
    np = _OLD_TAIL.sub("", _OLD_LEAD.sub("", np))
    if "的" in np:
        np = np[np.rindex("的") + 1:]
    return np if 2 <= len(np) <= 12 else None


def _old_counts(text, start, end):
    following = q._rx().following.match(text, end).group()
    if len(following) >= 2:
        return following
    before = _OLD_HAN_BEFORE.search(text, max(0, start - 20), start).group()
    cuts = [m.end() for m in q._rx().verbs.finditer(before)]
    for cut in reversed([0, *cuts]):
        np = _old_clean(before[cut:])
        if np:
            return np
    return None


_NP_ALPHABET = "年月了共各类全计总合涉及其中均部达为约近超过不少于低只有仅现的办理案件开展查处检12。 ,"


@settings(max_examples=500, deadline=None)
@given(st.text(_NP_ALPHABET, max_size=30), st.data())
def test_counts_equal_the_plain_regexes(text, data):
    assert q._clean(text) == _old_clean(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert q._counts(text, start, end) == _old_counts(text, start, end)
