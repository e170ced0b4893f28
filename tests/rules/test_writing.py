"""duplicated-word: doubled words and punctuation are flagged, legitimate reduplication is not."""

from __future__ import annotations

import pytest

from .helpers import flagged

FAILS = [
    ("我局进一步进一步规范执法行为。", ["进一步进一步"]),
    ("机关工作人员人员考试合格率达到100%。", ["人员人员"]),
    ("引领干部深刻深刻领悟重要意义。", ["深刻深刻"]),
    ("加强队伍的的建设。", ["的的"]),
    ("我局是是全县首批试点单位。", ["是是"]),
    ("开展开展法治宣传活动5次。", ["开展开展"]),
    ("持续推进法治政府建设建设。", ["建设建设"]),
    ("全面落实行政执法三项制度制度。", ["制度制度"]),
    ("提升执法水平，，推进依法行政。", ["，，"]),
    ("现将有关情况报告如下：：", ["：："]),
    ("我们在在全县推广。", ["在在"]),
]
PASSES = [
    "做到件件有落实、事事有回音。",
    "形成人人学法、人人守法的氛围。",
    "一项一项抓整改，一件一件抓落实，一步一步推进。",
    "实实在在为群众办实事，扎扎实实推进工作。",
    "坚持宪法法律至上，维护宪法权威。",
    "以达到普法目的的各类活动常常开展。",
    "为了了解群众需求，开展走访。",
    "是否依法行政，要看是是非非的标准。",
    "针对对象不同，分类开展普法。",
    "办理的各类案件、事项等等均已归档。",
    "层层压实责任，处处体现法治。",
    "参与与监督并重。",
    "以及及时回应群众关切。",
    "做到认认真真学习、明明白白办事。",
    "全年共开展各类培训12次，培训人员1200人次。",
    "法治宣传教育……效果明显——群众满意。",
    "坚持一一对应，逐项销号。",
]


@pytest.mark.parametrize("text,expected", FAILS)
def test_flags_doubling(text, expected):
    assert flagged("duplicated-word", text) == expected


@pytest.mark.parametrize("text", PASSES)
def test_legitimate_reduplication_passes(text):
    assert flagged("duplicated-word", text) == []
