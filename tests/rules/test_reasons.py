"""missing-reasons (S102): does the 不足 part explain WHY, sentence by sentence?

Every passage below was written for this test. FAILING passages only state or restate problems,
however self-critical their words (认识不够到位, 重视不够, 投入不足, 存在的问题主要是); PASSING
passages give at least one sentence that links a problem to its cause.
"""

from __future__ import annotations

import pytest

from .helpers import FULL_BODY, findings, report

FAILING = [
    "基层执法力量仍较薄弱，普法形式还不够丰富。",
    "一是队伍建设有待加强。二是宣传方式单一。",
    "部分干部对法治建设认识不够到位，重视程度不够。",
    "执法人员法治意识不强，执法水平有待提高。",
    "行政复议应诉能力还需提升，败诉案件仍有发生。",
    "法治宣传的针对性和实效性不强，群众参与度不高。",
    "一是依法决策机制还不够健全；二是规范性文件审查还不够严格；三是执法监督还存在薄弱环节。",
    "法治建设投入不足，信息化水平不高。",
    "缺乏专业法律人才，法律顾问作用发挥不充分。",
    "部分执法案卷不规范，文书制作质量有待提高。",
    "重大行政决策公众参与渠道较窄，专家论证不够深入。",
    "基层法治建设发展不平衡，乡镇之间差距较大。",
    "行政执法“三项制度”落实还不到位，执法公示内容更新不及时。",
    "矛盾纠纷多元化解机制还不完善，部分纠纷化解不及时。",
    "对照上级要求，我局法治政府建设仍存在一些短板：学法用法的氛围还不够浓厚，执法队伍专业化程度不高。",
    "存在的问题主要是：执法力量薄弱、普法形式单一、监督机制不健全。",
    "法治督察整改还不彻底，个别问题反复出现。",
    "政务公开的深度和广度还有待拓展。",
    "行政执法与刑事司法衔接还不够顺畅。",
    "部分工作人员运用法治思维和法治方式解决问题的能力有限。",
    "一是学习不够系统深入。二是制度执行不够严格。三是考核结果运用不够充分。",
    "法律顾问参与决策的广度和深度不够，合法性审查力量薄弱。",
    "普法责任制落实不够均衡，“谁执法谁普法”存在“上热下冷”现象。",
    "数字法治政府建设相对滞后，执法信息平台功能单一。",
    "行政调解组织作用发挥不够，调解成功率偏低。",
    "这是我局今后需要着力改进的地方：执法监督有待加强，执法文书不够规范。",
    "领导干部带头学法的制度化、常态化还需加强。",
    "执法装备配备不足，执法车辆老化。",
    "乡镇综合行政执法队伍人员少、任务重，专业能力不强。",
    "对新颁布法律法规的学习宣传不够及时，干部职工掌握不够全面。",
    "虽然取得了一定成效，但与群众期待相比还有差距，法治政府建设任重道远。",
    "行政规范性文件备案审查质量不高，个别文件存在合法性瑕疵。",
    "政府信息公开申请答复不够规范，存在超期答复情况。",
    "（一）执法队伍建设有待加强。执法人员少，专业人员更少。（二）普法宣传有待创新。宣传手段仍以发放资料为主。",
]

PASSING = [
    "基层执法力量仍较薄弱，主要原因是编制有限。",
    "由于培训经费有限，执法人员业务能力提升较慢。",
    "究其根源，在于对法治建设重视不够。",
    "受人员编制限制，执法力量不足。",
    "执法不规范的问题反复出现，究其原因，一是学习不深入，二是监督不到位。",
    "从主观上看，部分干部认为法治建设是“软任务”；从客观上看，基层执法人员流动频繁。",
    "产生上述问题的原因主要有：思想认识不到位，制度建设滞后。",
    "这些问题的产生，既有客观因素，也有主观因素。客观上，执法任务繁重；主观上，学法不够主动。",
    "普法形式单一，这主要是因为宣传经费投入偏少。",
    "复议纠错率偏高，根本在于前端执法环节把关不严。",
    "法律顾问作用发挥不充分，问题在于聘用机制不够灵活。",
    "执法人员专业能力不强，原因在于近三年新进人员多、系统培训少。",
    "受财政收支紧平衡影响，法治建设经费有所压减。",
    "机构改革后职能调整频繁，导致部分执法事项衔接不畅。",
    "乡镇法治力量薄弱，主要是由于缺少法律专业人员。",
    "执法文书质量不高，归根结底是执法人员培训不系统。",
    "宣传覆盖面窄的症结，在于宣传阵地主要集中在城区。",
    "部分决策程序不完整，缘于对重大行政决策目录管理理解不一。",
    "之所以出现案卷评查问题，是因为办案人员对新法掌握不够。",
    "因为基层执法人员身兼数职，执法检查频次难以保证。",
    "个别单位普法流于形式，源于普法责任清单没有与考核挂钩。",
    "执法信息难以共享。由于数据平台建设滞后，各系统之间没有接口。",
    "客观方面，辖区面积大、人口分散；主观方面，个别干部存在畏难情绪。",
    "执法监督不够有力，一方面是监督人员少，另一方面是由于监督手段以人工为主。",
    "新法学习不及时，致使个别执法行为依据失当。",
    "纠纷化解时效不高，以致部分矛盾上行。",
    "问题的成因是多方面的：既有体制机制方面的，也有队伍能力方面的。",
    "备案审查力量不足，主要受专业人员编制约束。",
    "执法装备不足，原因是近年装备更新资金未列入预算。",
    "数字化水平不高的原因，一是资金不足，二是技术人员缺乏。",
    "此类问题主要是由于职责边界不清。",
    "造成这一问题的主要是人员流动频繁、业务骨干调离。",
    "执法人员少，专业人员更少。这些问题主要是机构改革后人员划转尚未到位。",
]


def _with(shortcomings: str, heading: str = "二、存在的不足") -> str:
    body = []
    for line in FULL_BODY:
        if line.startswith("二、"):
            body.append(heading)
        elif line.startswith("基层执法力量"):
            body.append(shortcomings)
        else:
            body.append(line)
    return report(*body)


def test_tables_are_large_enough():
    assert len(FAILING) >= 30 and len(PASSING) >= 30


@pytest.mark.parametrize("passage", FAILING)
def test_problems_without_causes_are_flagged(passage):
    found = findings("missing-reasons", _with(passage))
    assert len(found) == 1, passage
    assert "没有分析原因" in found[0].message and found[0].severity == "error"


@pytest.mark.parametrize("passage", FAILING[:10])
def test_heading_naming_causes_is_not_an_analysis(passage):
    found = findings("missing-reasons", _with(passage, heading="二、存在的不足和原因"))
    assert len(found) == 1 and "标题写了“原因”" in found[0].message


@pytest.mark.parametrize("passage", PASSING)
def test_causal_sentences_pass(passage):
    assert findings("missing-reasons", _with(passage)) == [], passage


@pytest.mark.parametrize("heading", ["（二）原因分析", "（二）产生问题的原因", "（二）问题根源"])
def test_cause_subsection_counts(heading):
    text = report(*[
        "2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：",
        "一、主要举措和成效", "全年办理行政复议案件12件。",
        "二、存在的不足和原因", "（一）存在的不足", "执法力量薄弱，普法形式单一。",
        heading, "一是编制少，专业人员少；二是培训少，经费紧张。",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况", "主要负责同志带头学法。",
        "四、2025年工作安排", "继续加强执法队伍建设。",
    ])
    assert findings("missing-reasons", text) == []


def test_empty_cause_subsection_does_not_count():
    text = report(*[
        "一、主要举措和成效", "全年办理行政复议案件12件。",
        "二、存在的不足和原因", "（一）存在的不足", "执法力量薄弱，普法形式单一。", "（二）原因分析",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况", "主要负责同志带头学法。",
    ])
    assert len(findings("missing-reasons", text)) == 1


def test_heading_only_part_is_said_so():
    text = report(*[line for line in FULL_BODY if not line.startswith("基层执法力量")])
    found = findings("missing-reasons", text)
    assert len(found) == 1 and "只有标题" in found[0].message
