"""late-report and year-mismatch, with deadlines per level and per province from configuration."""

from __future__ import annotations

import pytest

from fazhi.config import Config, ConfigError, from_mapping

from .helpers import findings, flagged, report


@pytest.mark.parametrize(
    "date,late",
    [("2025年1月20日", False), ("2025年3月1日", False), ("2025年3月2日", True), ("2025年12月31日", True)],
)
def test_county_department_deadline(date, late):
    assert bool(findings("late-report", report("正文。", signoff=f"某县司法局\n{date}"))) is late


def test_province_government_has_april_deadline():
    text = report("正文。", title="某省人民政府关于2024年度法治政府建设情况的报告", signoff="某省人民政府\n2025年3月20日")
    assert findings("late-report", text) == []
    text = text.replace("2025年3月20日", "2025年4月2日")
    assert len(findings("late-report", text)) == 1


def test_deadline_configured_per_level_and_province():
    cfg = from_mapping({"deadlines": {"county": "02-15", "浙江省": {"default": "02-10"}}})
    text = report("正文。", signoff="某县司法局\n2025年2月20日")
    assert len(findings("late-report", text, cfg)) == 1
    assert findings("late-report", text, Config()) == []
    assert str(cfg.deadline(2024, "county", "department", "浙江省")) == "2025-02-10"
    assert str(cfg.deadline(2024, "township", "government", None)) == "2025-03-01"
    with pytest.raises(ConfigError):
        from_mapping({"deadlines": {"county": "3月1日"}})


@pytest.mark.parametrize(
    "body,expected",
    [
        (["2023年，我局认真落实上级部署。"], ["2023年"]),
        (["现将2023年度法治政府建设情况报告如下："], ["2023年"]),
        (["一、2023年度主要举措和成效", "正文。"], ["2023年"]),
        (["一、主要举措和成效", "正文。", "二、2024年工作安排", "正文。"], ["2024年"]),
        (["我局按时报送2023年度法治政府建设工作报告，获得好评。"], ["2023年"]),
    ],
)
def test_year_mismatch_fails(body, expected):
    assert flagged("year-mismatch", report(*body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        ["2024年，我局认真落实上级部署。", "一、2024年度主要举措和成效", "二、2025年工作安排"],
        ["2022年以来，我局持续推进依法行政。"],
        ["一、主要举措和成效", "《法治政府建设实施纲要（2021—2025年）》全面落实。"],
        ["一、上年度问题整改情况", "2023年度法治政府建设报告中指出的问题已整改。"],
        ["针对2023年度法治政府建设报告中提出的问题，逐项整改。"],
        ["2024年，我局工作如下：", "一、主要举措和成效", "对照2023年度法治政府建设报告查找差距。"],
    ],
)
def test_year_mismatch_passes(body):
    assert flagged("year-mismatch", report(*body)) == []


def test_signed_in_wrong_year():
    assert flagged("year-mismatch", report("正文。", signoff="某县司法局\n2023年1月20日")) == ["2023年1月20日"]
    assert flagged("year-mismatch", report("正文。", signoff="某县司法局\n2024年12月28日")) == []
