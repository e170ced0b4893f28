"""unbalanced-pair and halfwidth-punctuation."""

from __future__ import annotations

import pytest

from .helpers import flagged

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
