"""numbering-sequence and mixed-numbering at every level, including 一是/二是."""

from __future__ import annotations

import pytest

from fazhi.api import load

from .helpers import findings, flagged, report

SEQ_FAILS = [
    ("一、举措\n二、问题\n四、安排", ["四、"]),
    ("一、举措\n二、问题\n二、安排", ["二、"]),
    ("一、举措\n（一）学习。\n（二）执法。\n（四）监督。", ["（四）"]),
    ("一、举措\n（一）学习。\n（二）执法。\n（一）监督。", ["（一）"]),
    ("一、举措\n（二）学习。\n（三）执法。", ["（二）"]),
    ("一、举措\n1.学习。\n2.执法。\n4.监督。", ["4."]),
    ("一、举措\n（1）学习。\n（2）执法。\n（2）监督。", ["（2）"]),
    ("我局一是抓学习，二是抓执法，二是抓监督。", ["二是"]),
    ("我局一是抓学习，三是抓执法。", ["三是"]),
    ("我局一是抓学习，二是抓执法，三是抓监督，四是抓考核，三是抓宣传。", ["三是"]),
    ("主要做法：二是抓执法，三是抓监督。", ["二是"]),
    ("措施如下：（1）建台账；（2）定期通报；（4）年终考核。", ["（4）"]),
]
SEQ_PASSES = [
    "一、举措\n（一）学习。\n（二）执法。\n二、问题\n（一）队伍弱。\n（二）宣传少。",
    "一、举措\n（一）学习。\n1.集中学。\n2.自学。\n（二）执法。\n1.规范。\n2.监督。",
    "我局一是抓学习，二是抓执法，三是抓监督。",
    "一是抓学习。\n二是抓执法。\n三是抓监督。",
    "学法内容：一是宪法，二是民法典。\n培训方式：一是集中学，二是自学。",
    "我局一是人人参学，二是件件有落实。\n另外，一是建台账，二是定期通报。",
    "这是一项重要工作，统一是前提，唯一是标准。",
    "措施如下：（1）建台账；（2）定期通报；（3）年终考核。",
    "主要做法：1.建台账。\n2.定期通报。\n取得成效：\n1.案件下降。\n2.满意度提高。",
]
MIXED_FAILS = [
    ("一、举措\n（1）学习。\n（2）执法。\n(3)监督。", ["(3)"]),
    ("一、举措\n1.学习。\n2.执法。\n3．监督。", ["3．"]),
    ("一、举措\n二，问题\n三、安排", ["二，"]),
    ("措施：（1）建台账；（2）通报；(3)考核。", ["(3)"]),
]
MIXED_PASSES = [
    "一、举措\n（1）学习。\n（2）执法。\n（3）监督。",
    "一、举措\n1.学习。\n2.执法。\n3.监督。",
    "一、举措\n二、问题\n三、安排",
]


@pytest.mark.parametrize("text,expected", SEQ_FAILS)
def test_sequence_fails(text, expected):
    assert flagged("numbering-sequence", text) == expected


@pytest.mark.parametrize("text", SEQ_PASSES)
def test_sequence_passes(text):
    assert flagged("numbering-sequence", text) == []


@pytest.mark.parametrize("text,expected", MIXED_FAILS)
def test_mixed_fails(text, expected):
    assert flagged("mixed-numbering", text) == expected


@pytest.mark.parametrize("text", MIXED_PASSES)
def test_mixed_passes(text):
    assert flagged("mixed-numbering", text) == []


def test_suggestions_name_the_expected_token():
    f = findings("numbering-sequence", "一、举措\n（一）学习。\n（二）执法。\n（四）监督。")
    assert f[0].suggestion == "（三）"
    assert "缺少“（三）”" in f[0].message


def test_outline_levels():
    doc = load("一、举措\n（一）学习。\n1.集中学。\n（1）专题讲座。\n我局一是抓学习，二是抓执法。\n二、问题")
    levels = [(h.token, h.level) for h in doc.headings]
    assert levels == [("一、", 1), ("（一）", 2), ("1.", 3), ("（1）", 4), ("一是", 5), ("二是", 5), ("二、", 1)]


# Crawled text without line breaks: the sub-sections run into each other on one line.
_RUN_ON = (
    "一、主要举措和成效（一）加强学习，扎实推进法治政府建设1.深入学习习近平法治思想。一是抓学习，二是抓培训。"
    "2.健全推进机制。一是抓制度，二是抓考核。（二）规范执法一是抓制度，二是抓监督。"
    "（三）强化监督一是抓整改，二是抓考核，三是抓问责。二、存在的不足和原因由于人手少，执法力量不足。"
)


def test_enumeration_restarting_under_each_run_in_subsection_is_not_a_restart():
    assert findings("numbering-sequence", report(_RUN_ON)) == []


def test_numbering_glued_to_its_heading_is_numbering():
    doc = load(report(_RUN_ON))
    tokens = [h.token for h in doc.headings if not h.inline]
    assert tokens == ["一、", "（一）", "1.", "2.", "（二）", "（三）", "二、"]


def test_skip_in_run_on_text_is_still_found():
    text = report(_RUN_ON.replace("（三）强化监督", "（四）强化监督"))
    assert [f.message for f in findings("numbering-sequence", text)] == ["序号不连续：“（二）”之后是“（四）”，缺少“（三）”"]
