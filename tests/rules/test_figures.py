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


# ---------------------------------------------------------------- inconsistent-figures
# (body, flagged spans)
INCONSISTENT_FAILS = [
    ("全年办结案件12件，其中纠错8件，占66%。", ["66%"]),
    ("全年办结案件12件，其中纠错8件，占比为60.5%。", ["60.5%"]),
    ("受理申请30件，办结28件，办结率96%。", ["96%"]),
    ("受理复议申请40件，审结36件，审结率为95%。", ["95%"]),
    ("共排查隐患200处，已整改150处，整改率80%。", ["80%"]),
    ("全年共审查规范性文件25件，其中纠正5件，占25%。", ["25%"]),
    ("全年办结案件12件，其中纠错8件，占约60%。", ["约60%"]),
    ("发放宣传资料5000份、宣传册300份，共计5400份。", ["5400份"]),
    ("培训执法人员120人、法律顾问30人，合计160人。", ["160人"]),
    ("开展培训3次、讲座2次、竞赛1次，共7次。", ["7次"]),
    ("全年办理行政复议案件15件，分别为维持9件、撤销3件、确认违法2件。", ["15件"]),
    ("全年办理案件12件。其中，行政复议8件，行政诉讼6件。", ["8件，行政诉讼6件"]),
    ("全年受理信访事项20件，其中来信9件、来访8件、网上信访5件。", ["9件、来访8件、网上信访5件"]),
]
INCONSISTENT_PASSES = [
    "全年办结案件12件，其中纠错8件，占66.7%。",
    "全年办结案件12件，其中纠错8件，占66.67%。",
    "全年办结案件12件，其中纠错8件，占67%。",
    "全年办结案件12件，其中纠错8件，占约67%。",
    "受理申请30件，办结28件，办结率93.3%。",
    "受理申请30件，办结28件，按期办结率100%。",  # 按期: not derived from the counts shown
    "发放问卷200份，回收180份，群众满意率96%。",  # satisfaction is not 180/200
    "全年办结案件12件，同比增长20%。",
    "受理申请30件，较上年增加6件，增长25%。",
    "发放宣传资料5000份、宣传册300份，共计5300份。",
    "培训执法人员120人、法律顾问30人，合计150人。",
    "全年办理行政复议案件15件，分别为维持9件、撤销4件、确认违法2件。",
    "全年办理案件30件，其中行政复议和行政诉讼分别为12件、8件。",
    "全年办理案件12件。其中，行政复议7件，行政诉讼5件。",
    "全年办理案件12件，其中行政复议案件15件。",  # one part above the whole: impossible-value's finding
    "全年受理信访事项20余件，其中来信9件、来访8件、网上信访5件。",  # an approximate whole
    "办结案件8件，未办结4件，办结率66.7%。",  # 8 of 8 + 4
    "全年办结案件12件，其中纠错8件，未纠错4件，纠错8件占66.7%，未纠错占33.3%。",
    "开展培训3次、讲座2次，共计覆盖干部300人次。",
]


@pytest.mark.parametrize("body,expected", INCONSISTENT_FAILS)
def test_inconsistent_figures_fail(body, expected):
    assert flagged("inconsistent-figures", report(body)) == expected


@pytest.mark.parametrize("body", INCONSISTENT_PASSES)
def test_inconsistent_figures_pass(body):
    assert flagged("inconsistent-figures", report(body)) == []


def test_share_suggestion_is_the_computed_value():
    got = findings("inconsistent-figures", report("全年办结案件12件，其中纠错8件，占66%。"))
    assert got[0].suggestion == "66.7%" and "8件÷12件＝66.7%" in got[0].message
