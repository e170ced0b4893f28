"""Party study campaigns and standard political formulations: the time-bound and wording
knowledge the writing rules use."""

from __future__ import annotations

import pytest

from fazhi.knowledge.campaigns import campaigns, is_follow_up
from fazhi.knowledge.formulations import compact, find_misuses, formulations

EXPECTED_YEARS = {
    "党的群众路线教育实践活动": (2013, 2014),
    "“三严三实”专题教育": (2015, 2015),
    "“两学一做”学习教育": (2016, 2019),
    "“不忘初心、牢记使命”主题教育": (2019, 2020),
    "党史学习教育": (2021, 2021),
    "学习贯彻习近平新时代中国特色社会主义思想主题教育": (2023, 2024),
    "党纪学习教育": (2024, 2024),
    "深入贯彻中央八项规定精神学习教育": (2025, 2025),
}


def by_name(name: str):
    return next(c for c in campaigns() if c.name == name)


def test_campaign_years():
    for name, years in EXPECTED_YEARS.items():
        assert by_name(name).years == years, name


def test_campaigns_are_well_formed():
    ids = [c.id for c in campaigns()]
    assert len(ids) == len(set(ids))
    names = [n for c in campaigns() for n in c.names()]
    assert len(names) == len(set(names))
    for c in campaigns():
        assert c.source and c.years[0] <= c.years[1]
        for p in c.phases:
            assert p.source and c.years[1] < p.years[0] <= p.years[1]


@pytest.mark.parametrize(("name", "year", "active"), [
    ("党史学习教育", 2021, True),
    ("党史学习教育", 2022, False),
    ("党纪学习教育", 2024, True),
    ("党纪学习教育", 2025, False),
    ("学习贯彻习近平新时代中国特色社会主义思想主题教育", 2024, True),
    ("深入贯彻中央八项规定精神学习教育", 2025, True),
    ("深入贯彻中央八项规定精神学习教育", 2026, False),
    ("党的群众路线教育实践活动", 2015, False),
])
def test_active_in(name, year, active):
    assert by_name(name).active_in(year) is active


def test_two_studies_has_no_dated_normalization_phase():
    # 推进“两学一做”学习教育常态化制度化 is a standing requirement (《中国共产党党员教育管理工作条例》
    # 第三条, 2019), not a stage that ended in 2019: no phase whose name would be flagged afterwards.
    c = by_name("“两学一做”学习教育")
    assert c.phases == ()
    for year in (2016, 2017, 2018, 2019):
        assert c.active_in(year)
    assert not c.active_in(2020)
    assert c.mentioned_in("深入开展“两学一做”学习教育")
    assert c.mentioned_in("推进“两学一做”学习教育常态化制度化")
    assert c.phase_named("推进两学一做学习教育常态化制度化") is None
    assert is_follow_up("推进“两学一做”学习教育常态化制度化")


def test_campaign_sources_match_the_record():
    theme = by_name("学习贯彻习近平新时代中国特色社会主义思想主题教育")
    assert "2023年3月30日" in theme.source and "2024年2月4日" in theme.source
    merit = by_name("树立和践行正确政绩观学习教育")
    assert merit.years == (2026, 2026) and "7月底" in merit.source


def test_follow_up_wording():
    assert is_follow_up("巩固拓展党史学习教育成果")
    assert not is_follow_up("深入开展党史学习教育")


# ---- formulations ------------------------------------------------------------------------------


def test_formulations_are_well_formed():
    items = formulations()
    assert len(items) >= 20
    corrects = [compact(f.correct)[0] for f in items]
    for f in items:
        assert f.correct and f.wrong and f.source
        for w in f.wrong:
            needle = compact(w)[0]
            assert needle != compact(f.correct)[0]
            # a wrong variant never occurs inside a correct formulation
            assert not any(needle in c for c in corrects), (w, f.correct)


def test_correct_text_has_no_misuse():
    text = "。".join(f.correct for f in formulations())
    text += "。增强“四个意识”、坚定“四个自信”、做到“两个维护”。深入学习贯彻新时代中国特色社会主义思想。"
    assert find_misuses(text) == []


def test_misuses_found_through_quotes_and_punctuation():
    text = "引导群众尊法、守法、学法、用法，深入学习“习近平法制思想”，贯彻二十大三中全会精神。"
    found = find_misuses(text)
    assert [m.formulation.correct for m in found] == ["尊法学法守法用法", "习近平法治思想", "二十届三中全会"]
    for m in found:
        assert text[m.start:m.end] == m.text
    assert found[0].text == "尊法、守法、学法、用法"


@pytest.mark.parametrize("official", [
    # 党的十八大报告；十八届四中全会决定
    "增强全社会学法尊法守法用法意识",
    # 十九届六中全会公报；党的二十大关于十九届中央委员会报告的决议
    "做到坚决维护习近平同志党中央的核心、全党的核心地位，坚决维护党中央权威和集中统一领导",
    "深刻领悟“两个确立”的决定性意义，坚决维护习近平同志党中央的核心、全党的核心地位",
    # 党的二十大报告
    "努力使尊法学法守法用法在全社会蔚然成风",
])
def test_wordings_of_central_documents_are_not_misuses(official):
    assert find_misuses(official) == []
