"""Figure rules: approximate-number (GB/T 15835) and impossible-value."""

from __future__ import annotations

import pytest

from .helpers import findings, flagged, report

APPROX_FAILS = [
    ("开展法制教育18余次。", ["18余次"], "18次"),
    ("办理案件326余件。", ["326余件"], "326件"),
    ("开展法治宣传活动8余场次。", ["8余场次"], "8场次"),
    ("培训人员25多人。", ["25多人"], "25人"),
    ("组织培训十二余次。", ["十二余次"], "十二次"),
    ("发放资料2.5万余份。", [], None),  # 2.5万 = 25000: round
    ("接待群众约200余人。", ["约200余人"], "200余人"),
    ("接待群众近300余人次。", ["近300余人次"], "300余人次"),
    ("接待群众约200人左右。", ["约200人左右"], "200人左右"),
    ("接待群众20余人左右。", ["20余人左右"], "20余人"),
]
APPROX_PASSES = [
    "开展专项培训20余次，发放宣传资料1500余份。",
    "投资15万余元，悬挂标语50余幅，覆盖学生680余人次。",
    "开展活动十余次、二十多场，惠及三千余人。",
    "接待群众约200人，近300人次，200人左右。",
    "办理案件326件，其余2个正在推进。",
    "发放宣传资料3万余份，超过60%。",
    "开展培训100余次，惠及群众1000多人。",
]


@pytest.mark.parametrize("body,expected,suggestion", APPROX_FAILS)
def test_approximate_number_fails(body, expected, suggestion):
    text = report(body)
    assert flagged("approximate-number", text) == expected
    if expected:
        assert findings("approximate-number", text)[0].suggestion == suggestion


@pytest.mark.parametrize("body", APPROX_PASSES)
def test_approximate_number_passes(body):
    assert flagged("approximate-number", report(body)) == []


IMPOSSIBLE_FAILS = [
    ("群众满意率达到105%。", ["105%"]),
    ("考试合格率120%，参学率100%。", ["120%"]),
    ("执法案卷评查覆盖率为101.5%。", ["101.5%"]),
    ("按期办结率１１０％。", ["１１０％"]),
    ("事项办理达到150%。", ["150%"]),
    ("共办理案件12件，其中行政复议案件15件。", ["15件"]),
    ("全年办理法律援助案件412件，其中农民工讨薪案件456件。", ["456件"]),
    ("发放资料1500份，其中宣传手册800份、折页1600份。", ["1600份"]),
]
IMPOSSIBLE_PASSES = [
    "群众满意率100%，办结率100%。",
    "受理量同比增长120%，网上办理率提高150%。",
    "完成年度目标的105%，收案数是上年的130%。",
    "超额完成任务，完成率112%。",
    "共办理案件15件，其中行政复议案件12件。",
    "全年办理法律援助案件412件，其中农民工讨薪案件156件，为受援人挽回损失680万元。",
    "培训580人次，其中新增持证人员136人。",
    "全年收到申请87件，受理79件，审结74件，其中纠错11件；调解结案19件，占25.7%。",
    "罚没金额2.6万元，其中罚款5000元。",
]


@pytest.mark.parametrize("body,expected", IMPOSSIBLE_FAILS)
def test_impossible_value_fails(body, expected):
    assert flagged("impossible-value", report(body)) == expected


@pytest.mark.parametrize("body", IMPOSSIBLE_PASSES)
def test_impossible_value_passes(body):
    assert flagged("impossible-value", report(body)) == []
