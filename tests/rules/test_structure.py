"""missing-part, missing-reasons, part-order, with the many ways headings are worded."""

from __future__ import annotations

import pytest

from fazhi.api import load
from fazhi.config import Config

from .helpers import FULL_BODY, findings, report


def _without(*drop: str) -> str:
    body = [line for line in FULL_BODY if not any(line.startswith(d) for d in drop)]
    return report(*body)


def test_complete_report_passes_all_structure_rules():
    text = report(*FULL_BODY)
    for name in ("missing-part", "missing-reasons", "part-order"):
        assert findings(name, text) == []


@pytest.mark.parametrize(
    "heading,part",
    [
        ("一、2024年度推进法治政府建设的主要举措和成效", "measures"),
        ("一、主要工作开展情况", "measures"),
        ("一、2024年工作情况", "measures"),
        ("二、存在的问题和不足", "shortcomings"),
        ("二、推进法治政府建设存在的不足和原因", "shortcomings"),
        ("二、工作中的短板和差距", "shortcomings"),
        ("三、党政主要负责人履行推进法治建设第一责任人职责情况", "leader_duties"),
        ("三、主要负责同志履职情况", "leader_duties"),
        ("四、2025年工作安排", "plan"),
        ("四、下一步工作打算", "plan"),
        ("四、下一年度推进法治政府建设的主要安排", "plan"),
        ("五、其他需要报告的情况", "other"),
        ("五、上年度报告中存在问题的整改情况", "rectification"),
    ],
)
def test_headings_map_to_parts(heading, part):
    doc = load(report("2024年，我局工作如下：", heading, "正文内容。"))
    assert [p.part for p in doc.parts] == [part]


def test_merged_heading_counts_for_both_parts():
    doc = load(report("一、主要举措和成效", "正文。", "二、存在的问题及下一步打算", "正文。"))
    parts = [p.part for p in doc.parts]
    assert parts == ["measures", "shortcomings", "plan"]
    assert doc.parts[1].start == doc.parts[2].start


def test_unnamed_sections_continue_measures():
    doc = load(report("一、2024年工作情况", "正文。", "二、提升执法水平", "正文。", "三、存在问题和不足", "由于人手少。"))
    assert [p.part for p in doc.parts] == ["measures", "shortcomings"]
    assert doc.parts[0].end == doc.parts[1].start


def test_missing_part_error_and_mention_warning():
    text = _without("三、", "主要负责同志")
    found = findings("missing-part", text)
    assert len(found) == 1 and found[0].severity == "error"
    assert "第一责任人" in found[0].message
    # mentioned in the text without its own part: a warning, not an error
    text = report(*[line.replace("全年办理行政复议案件12件", "主要负责人带头学法") for line in FULL_BODY if not line.startswith(("三、", "主要负责同志"))])
    found = findings("missing-part", text)
    assert len(found) == 1 and found[0].severity == "warning"


def test_subsection_counts_as_part():
    body = [line for line in FULL_BODY if not line.startswith(("三、", "主要负责同志"))]
    body.insert(3, "（一）党政主要负责人履行第一责任人职责情况")
    assert findings("missing-part", report(*body)) == []


def test_rectification_required_by_config():
    cfg = Config(require_rectification=True)
    found = findings("missing-part", report(*FULL_BODY), cfg)
    assert len(found) == 1 and "整改" in found[0].message


@pytest.mark.parametrize(
    "shortcomings,flag",
    [
        ("基层执法力量仍较薄弱，普法形式还不够丰富。", True),
        ("一是队伍建设有待加强。二是宣传方式单一。", True),
        ("基层执法力量仍较薄弱，主要原因是编制有限。", False),
        ("由于培训经费有限，执法人员业务能力提升较慢。", False),
        ("究其根源，在于对法治建设重视不够。", False),
        ("受人员编制限制，执法力量不足。", False),
    ],
)
def test_missing_reasons(shortcomings, flag):
    body = [shortcomings if line.startswith("基层执法力量") else line for line in FULL_BODY]
    assert bool(findings("missing-reasons", report(*body))) is flag


def test_part_order():
    body = list(FULL_BODY)
    # move the plan before the shortcomings
    plan = body[7:9]
    del body[7:9]
    body[3:3] = plan
    found = findings("part-order", report(*body))
    assert found and "下一年度主要安排" in found[0].message
    assert all(f.severity == "warning" for f in found)


def test_leader_duties_as_opening_part_is_not_out_of_order():
    # several provinces' reports open with the leader's duties, then measures, shortcomings, plan
    body = list(FULL_BODY)
    duties = body[5:7]
    del body[5:7]
    body[1:1] = duties
    assert findings("part-order", report(*body)) == []


def test_leader_duties_between_later_parts_is_out_of_order():
    body = list(FULL_BODY)
    # measures, plan, leader's duties, shortcomings: still flagged
    body = [body[0], body[1], body[2], body[7], body[8], body[5], body[6], body[3], body[4], body[9]]
    found = findings("part-order", report(*body))
    assert found


def test_rectification_anywhere_is_not_out_of_order():
    body = list(FULL_BODY)
    body[3:3] = ["二、上年度问题整改情况", "去年问题已整改。"]
    assert findings("part-order", report(*body)) == []


def test_every_heading_wording_in_the_data_names_its_part():
    from fazhi import knowledge
    from fazhi.parse.parts import classify

    data = knowledge.load("part_headings")["parts"]
    for part, entry in data.items():
        assert entry["source"] and entry["headings"], part
        for wording in entry["headings"]:
            assert classify(wording, 2024) == [part], (part, wording)
            assert classify(f"2024年度推进法治政府建设{wording}", 2024) == [part], (part, wording)


@pytest.mark.parametrize(
    "heading,part",
    [
        ("一、主要成效", "measures"),
        ("一、主要做法和成效", "measures"),
        ("二、存在问题与不足", "shortcomings"),
        ("二、存在的主要问题和不足", "shortcomings"),
        ("二、存在的不足及原因", "shortcomings"),
        ("三、党政主要负责人履职情况", "leader_duties"),
        ("四、下一步工作计划", "plan"),
        ("四、2025年工作思路", "plan"),
        ("四、今后工作打算", "plan"),
        ("五、其他事项", "other"),
    ],
)
def test_common_wordings_map_to_parts(heading, part):
    doc = load(report("2024年，我局工作如下：", heading, "正文内容。"))
    assert [p.part for p in doc.parts] == [part]
