"""unbalanced-pair and halfwidth-punctuation."""

from __future__ import annotations

import pytest

from .helpers import findings, flagged, report

UNBALANCED_FAILS = [
    ("落实“谁执法谁普法责任制。", ["“"]),
    ("落实谁执法谁普法”责任制。", ["”"]),
    ("健全“一把手总负责”，班子成员齐抓共管”的机制。", ["”"]),
    ("学习《中华人民共和国行政处罚法。", ["《"]),
    ("学习中华人民共和国行政处罚法》。", ["》"]),
    ("开展培训（含线上培训3次。", ["（"]),
    ("开展培训含线上培训3次）。", ["）"]),
    ("落实“放管服（改革”）要求。", ["（", "）"]),
]
UNBALANCED_PASSES = [
    "落实“谁执法谁普法”责任制，学习《中华人民共和国行政处罚法》（2021年修订）。",
    "根据《法治政府建设与责任落实督察工作规定》（厅字〔2019〕28号）。",
    "深化“‘一村一法律顾问’全覆盖”工作。",
    "（一）加强组织领导。\n（二）规范执法行为。",
    "1）建立台账；2）定期通报。",
    "引用英文材料 China’s law 时保留原文。",
]
HALFWIDTH_FAILS = [
    ("县委、县政府:", [":"]),
    ("我局全年办理案件12件,开展培训3次。", [","]),
    ("确保各项工作扎实推进;全面加强学习。", [";"]),
    ("开展培训3次(含线上1次)。", ["(含线上1次)"]),
    ("全年办理案件12件.", ["."]),
    ("是否依法行政?", ["?"]),
    ('落实"谁执法谁普法"责任制。', ['"', '"']),
    ("效果明显...群众满意。", ["..."]),
]
HALFWIDTH_PASSES = [
    "全年办理案件1,500件，上午9:30召开会议。",
    "详见网站www.example.gov.cn/fzzf/index.html，或发邮件至fzb@example.gov.cn。",
    "增长率为12.5%，同比提高1.2个百分点。",
    "执行GB/T 9704-2012标准，版本v1.2。",
    "（1）加强学习；（2）规范执法。",
    "English text (in brackets), kept as is.",
    "政府和社会资本合作（PPP）项目3个。",
]


@pytest.mark.parametrize("text,expected", UNBALANCED_FAILS)
def test_unbalanced_fails(text, expected):
    assert flagged("unbalanced-pair", text) == expected


@pytest.mark.parametrize("text", UNBALANCED_PASSES)
def test_balanced_passes(text):
    assert flagged("unbalanced-pair", text) == []


@pytest.mark.parametrize("text,expected", HALFWIDTH_FAILS)
def test_halfwidth_fails(text, expected):
    assert flagged("halfwidth-punctuation", text) == expected


@pytest.mark.parametrize("text", HALFWIDTH_PASSES)
def test_halfwidth_passes(text):
    assert flagged("halfwidth-punctuation", text) == []


# A web copy: the publishing system turned every ，：；（） into ASCII while 。、“” survive.
_WEB_BODY = (
    "2024年,我局认真落实《法治政府建设实施纲要(2021－2025年)》,现将有关情况报告如下:",
    "一、主要举措和成效",
    "全年办理行政复议案件12件,组织执法培训3次(含线上1次);开展“八五”普法活动20场,覆盖群众3000余人。",
    "二、存在的不足和原因",
    "基层执法力量仍较薄弱,主要原因是编制有限、培训不足;宣传形式单一,受经费限制。",
)


def test_web_copy_punctuation_is_one_hint_with_the_count():
    found = findings("halfwidth-punctuation", report(*_WEB_BODY))
    assert len(found) == 1 and found[0].severity == "info"
    assert "共13处" in found[0].message


@pytest.mark.parametrize(
    "body",
    [
        # an author's stray marks in a full-width text: each is the author's slip
        ("2024年，我局认真落实纲要，现将有关情况报告如下：", "全年办理案件12件,组织培训3次，开展普法活动20场，覆盖群众3000余人。"),
        # too few marks to say anything about the copy
        ("全年办理案件12件,组织培训3次。",),
        # ASCII marks but no 。、 at all: not a copy normalised by a publishing system
        ("全年办理案件12件,组织培训3次,开展普法活动20场,覆盖群众3000余人,调解纠纷9件,化解信访5件,审查合同3份,办结投诉8件,培训干部2次,举办讲座4场,发放资料1000份",),
    ],
)
def test_not_a_web_copy_keeps_per_mark_warnings(body):
    found = findings("halfwidth-punctuation", report(*body, addressee=None))
    assert found and all(f.severity == "warning" for f in found)


def test_web_copy_still_flags_the_authors_own_marks():
    # 。 survives the publishing system: an ASCII "." ending a sentence is the author's
    body = list(_WEB_BODY) + ["继续加强执法队伍建设."]
    found = findings("halfwidth-punctuation", report(*body))
    assert [f.severity for f in found] == ["info", "warning"] and found[1].suggestion == "。"
