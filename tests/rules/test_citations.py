"""Citation rules: repealed-law, misnamed-law, outdated-reference, stale-campaign,
standard-formulation. Catalog, campaigns and formulations are injected so that the tables test
the rules, not the state of the knowledge files; the entries are real, with their real dates."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import fazhi.rules.citations as rc
from tests.extract.test_citations import use_catalog  # noqa: F401  (fixture)

from .helpers import findings, flagged, report


@dataclass(frozen=True)
class FakeCampaign:
    id: str
    name: str
    aliases: tuple[str, ...]
    years: tuple[int, int]

    def active_in(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


@dataclass(frozen=True)
class FakeFormulation:
    correct: str
    wrong: tuple[str, ...]


CAMPAIGNS = [
    FakeCampaign("party-history", "党史学习教育", (), (2021, 2021)),
    FakeCampaign("theme-2023", "学习贯彻习近平新时代中国特色社会主义思想主题教育", ("主题教育",), (2023, 2024)),
    FakeCampaign("discipline", "党纪学习教育", (), (2024, 2024)),
    FakeCampaign("eight-rules", "深入贯彻中央八项规定精神学习教育", (), (2025, 2025)),
]
FORMULATIONS = [
    FakeFormulation("习近平新时代中国特色社会主义思想", ("习近平新时代中国特色主义思想", "习近平新时代特色社会主义思想")),
    FakeFormulation("两个维护", ("两个拥护",)),
    FakeFormulation("严格规范公正文明执法", ("严格规范文明公正执法",)),
]


@pytest.fixture
def knowledge(monkeypatch, use_catalog):  # noqa: F811
    monkeypatch.setattr(rc, "_campaigns", lambda: list(CAMPAIGNS))
    monkeypatch.setattr(rc, "_formulations", lambda: list(FORMULATIONS))


def in_year(year: int, *body: str) -> str:
    return report(*body, title=f"某县民政局关于{year}年度法治政府建设情况的报告", signoff=f"某县民政局\n{year + 1}年1月20日")


# -- repealed-law ------------------------------------------------------------------------------

REPEALED_FAILS = [
    (2023, "组织干部职工学习《婚姻法》《民法典》。", ["《婚姻法》"], "《民法典》"),
    (2021, "宣传《中华人民共和国婚姻法》。", ["《中华人民共和国婚姻法》"], "《中华人民共和国民法典》"),
    (2024, "向群众宣传婚姻法、宪法等法律。", ["婚姻法"], "民法典"),
    (2022, "严格落实《信访条例》，推行领导接访。", ["《信访条例》"], "《信访工作条例》"),
    (2023, "加大《婚姻法》（2001年修正）的学习力度。", ["《婚姻法》（2001年修正）"], "《民法典》"),
]
REPEALED_PASSES = [
    (2023, "学习《民法典》和《行政处罚法》。"),
    (2019, "学习《婚姻法》，开展婚姻登记普法。"),
    (2020, "宣传婚姻法。"),
    (2023, "对照原《婚姻法》讲解民法典婚姻家庭编的变化。"),
    (2023, "民法典施行后，《婚姻法》同时废止，我局及时更新宣传资料。"),
    (2023, "《婚姻法》已被民法典取代，我局更新了培训教材。"),
    (2021, "严格落实《信访条例》。"),
    (2023, "严格落实《信访工作条例》。"),
    (2023, "开展“民法典宣传月”活动。"),
]


@pytest.mark.parametrize("year,body,expected,suggestion", REPEALED_FAILS)
def test_repealed_law_fails(knowledge, year, body, expected, suggestion):
    text = in_year(year, body)
    assert flagged("repealed-law", text) == expected
    assert findings("repealed-law", text)[0].suggestion == suggestion


def test_repealed_during_the_report_year_is_a_warning(knowledge):
    found = findings("repealed-law", in_year(2022, "严格落实《信访条例》。"))
    assert [(f.severity, f.suggestion) for f in found] == [("warning", "《信访工作条例》")]
    found = findings("repealed-law", in_year(2023, "严格落实《信访条例》。"))
    assert [f.severity for f in found] == ["error"]


@pytest.mark.parametrize("year,body", REPEALED_PASSES)
def test_repealed_law_passes(knowledge, year, body):
    assert flagged("repealed-law", in_year(year, body)) == []


# -- misnamed-law ------------------------------------------------------------------------------

MISNAMED_FAILS = [
    ("宣传《中华人民共和国土地承包法》。", "《中华人民共和国农村土地承包法》"),
    ("宣传《土地承包法》。", "《农村土地承包法》"),
    ("宣传《家庭暴力法》。", "《反家庭暴力法》"),
    ("学习《中华人民共和国行政处法》。", "《中华人民共和国行政处罚法》"),
    ("学习《中华人民共和国安全生成法》。", "《中华人民共和国安全生产法》"),
    ("学习《农产品质量法》。", "《农产品质量安全法》"),
    ("学习《营商环境条例》。", "《优化营商环境条例》"),
    # a plan cited with a period it never had
    ("对照《法治政府建设实施纲要（2022—2025年）》推进工作。", "《法治政府建设实施纲要（2021－2025年）》"),
    ("对照《法治政府建设实施纲要（2016-2020年）》推进工作。", "《法治政府建设实施纲要（2015－2020年）》"),
]
MISNAMED_PASSES = [
    "宣传《中华人民共和国农村土地承包法》《行政处罚法》。",
    "制定了《鲁山县民政局法治政府建设工作计划》。",
    "学习《习近平谈治国理政》。",
    "落实《河南省行政执法条例》。",
    "学习《中华人民共和国监察法》。",  # real law, not in the test catalog, not near any entry
    "学习《中华人民共和国老年人权益保障法》。",
    "学习《殡葬管理条例》《社会救助暂行办法》。",
    "学习《民法典》、宪法。",
    "学习《中华人民共和国行政复议法》。",
    "落实《法治政府建设与责任落实督察工作实施办法》。",
    "对照《法治政府建设实施纲要（2021年—2025年）》推进工作。",
    "对照《某省法治政府建设实施纲要（2022—2025年）》推进工作。",  # a local plan of its own
    "对照《法治政府建设实施纲要（2026—2030年）》推进工作。",  # a successor not in the knowledge base
]


@pytest.mark.parametrize("body,suggestion", MISNAMED_FAILS)
def test_misnamed_law_fails(knowledge, body, suggestion):
    found = findings("misnamed-law", in_year(2023, body))
    assert [(f.suggestion, f.severity) for f in found] == [(suggestion, "warning")]


@pytest.mark.parametrize("body", MISNAMED_PASSES)
def test_misnamed_law_passes(knowledge, body):
    assert flagged("misnamed-law", in_year(2023, body)) == []


def test_alias_title_gets_the_official_name(knowledge):
    found = findings("misnamed-law", in_year(2023, "执行《城乡规划条例法》。"))
    assert [(f.severity, f.suggestion) for f in found] == [("warning", "《城乡规划法》")]


def test_plan_spelling_variants_are_not_judged(knowledge, monkeypatch):
    from fazhi.knowledge.catalog import Catalog, Entry

    plan = Entry("outline-2021", "法治政府建设实施纲要（2021－2025年）", "plan", aliases=("法治政府建设实施纲要（2021－2025）",),
                 period=(2021, 2025))
    fake = Catalog([plan])
    from fazhi.config import Config

    monkeypatch.setattr(Config, "catalog", lambda self: fake)
    assert flagged("misnamed-law", in_year(2023, "落实《法治政府建设实施纲要（2021－2025）》。")) == []


def test_closest_title_refuses_ties_and_far_titles(use_catalog):  # noqa: F811
    cat = use_catalog
    assert rc.closest_title("中华人民共和国行政处罚法", cat) is None  # exact: nothing to correct
    assert rc.closest_title("行政诉讼法", cat) is None
    assert rc.closest_title("行政处罚许可法", cat) is None  # as near to 处罚法 as to 许可法
    assert rc.closest_title("土地承包法", cat)[0].id == "rural-land-contract"


# -- outdated-reference ------------------------------------------------------------------------

OUTDATED_FAILS = [
    (2023, "深入实施《法治政府建设实施纲要（2015－2020年）》。", ["《法治政府建设实施纲要（2015－2020年）》"]),
    (2022, "扎实推进“七五”普法工作。", ["“七五”普法"]),
    (2023, "认真落实七五普法规划。", ["七五普法"]),
    (2023, "落实《吉林省民政系统法治宣传教育第七个五年规划（2016—2020年）》。", ["《吉林省民政系统法治宣传教育第七个五年规划（2016—2020年）》"]),
    # no successor known: still the latest plan in the year after its period, outdated from the second
    (2027, "全面落实《法治政府建设实施纲要（2021－2025年）》，深化“八五”普法。", ["《法治政府建设实施纲要（2021－2025年）》", "“八五”普法"]),
    (2023, "做好“七五”普法总结验收。", ["“七五”普法"]),  # retrospective, but three years late
]
OUTDATED_PASSES = [
    (2023, "深入实施《法治政府建设实施纲要（2021－2025年）》，推进“八五”普法。"),
    (2020, "深入实施《法治政府建设实施纲要（2015－2020年）》，做好“七五”普法总结验收。"),
    (2021, "做好“七五”普法总结验收，启动“八五”普法。"),
    (2021, "回顾《法治政府建设实施纲要（2015－2020年）》实施情况。"),
    (2024, "2025年是“八五”普法规划的收官之年，谋划“九五”普法工作。"),
    (2023, "落实《法治政府建设实施纲要》。"),  # no period written: may mean the current one
    (2023, "学习《习近平谈治国理政》。"),
    # the year after a period ends, before any successor is issued, the last plan is still the one cited
    (2026, "全面落实《法治政府建设实施纲要（2021－2025年）》，深化“八五”普法。"),
]


@pytest.mark.parametrize("year,body,expected", OUTDATED_FAILS)
def test_outdated_reference_fails(knowledge, year, body, expected):
    assert flagged("outdated-reference", in_year(year, body)) == expected


@pytest.mark.parametrize("year,body", OUTDATED_PASSES)
def test_outdated_reference_passes(knowledge, year, body):
    assert flagged("outdated-reference", in_year(year, body)) == []


def test_outdated_reference_suggests_the_successor(knowledge):
    found = findings("outdated-reference", in_year(2023, "深入实施《法治政府建设实施纲要（2015－2020年）》，推进“七五”普法。"))
    assert [f.suggestion for f in found] == ["《法治政府建设实施纲要（2021－2025年）》", "“八五”普法"]


def test_real_catalog_successors_decide_when_a_plan_is_outdated():
    """With the bundled catalog: 八五 began in 2021, so 七五 is outdated in 2021 already; no
    successor of the 2021–2025 纲要 or of 八五 is known, so 2026 is not flagged, 2027 is."""
    from fazhi.api import check

    def names(year: int, body: str) -> list[str]:
        return [f.suggestion or "" for f in check(in_year(year, body)).findings if f.name == "outdated-reference"]

    assert names(2021, "深入推进“七五”普法。") == ["“八五”普法"]
    assert names(2026, "全面落实《法治政府建设实施纲要（2021－2025年）》，深化“八五”普法。") == []
    assert names(2027, "深化“八五”普法。") == ["“九五”普法"]
    review = check(in_year(2026, "全面落实《法治政府建设实施纲要（2021－2025年）》。"))
    assert [c.status for c in review.facts.citations] == ["unknown"]


# -- stale-campaign ----------------------------------------------------------------------------

STALE_FAILS = [
    (2023, "深入开展党史学习教育，组织专题学习6次。", ["党史学习教育"]),
    (2024, "把学习贯彻习近平法治思想与党史学习教育紧密结合。", ["党史学习教育"]),
    (2022, "扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育。", ["学习贯彻习近平新时代中国特色社会主义思想主题教育"]),
    (2023, "结合党纪学习教育，组织学习纪律处分条例。", ["党纪学习教育"]),
    (2025, "结合党纪学习教育，组织学习纪律处分条例。", ["党纪学习教育"]),
]
STALE_PASSES = [
    (2021, "深入开展党史学习教育。"),
    (2023, "巩固党史学习教育成果。"),
    (2023, "巩固拓展党史学习教育成果，推动党史学习教育常态化长效化。"),
    (2023, "扎实开展主题教育，组织专题学习6次。"),
    (2024, "结合党纪学习教育，组织学习纪律处分条例。"),
    (2023, "组织开展尊法学法守法用法主题教育。"),
    (2025, "深入贯彻中央八项规定精神学习教育。"),
    (2022, "学习《关于在全党开展党史学习教育的通知》精神。"),
    (2022, "认真做好党史学习教育总结工作。"),
]


@pytest.mark.parametrize("year,body,expected", STALE_FAILS)
def test_stale_campaign_fails(knowledge, year, body, expected):
    assert flagged("stale-campaign", in_year(year, body)) == expected


@pytest.mark.parametrize("year,body", STALE_PASSES)
def test_stale_campaign_passes(knowledge, year, body):
    assert flagged("stale-campaign", in_year(year, body)) == []


def test_next_years_campaign_is_fine_in_the_plan_part(knowledge):
    text = in_year(
        2022,
        "2022年，我局认真贯彻落实上级部署，现将有关情况报告如下：",
        "一、主要举措和成效",
        "全年办理行政复议案件12件。",
        "二、存在的不足和原因",
        "基层执法力量薄弱，主要原因是编制有限。",
        "三、2023年工作安排",
        "扎实开展学习贯彻习近平新时代中国特色社会主义思想主题教育。",
    )
    assert flagged("stale-campaign", text) == []


# -- standard-formulation ----------------------------------------------------------------------

FORMULATION_FAILS = [
    ("坚持以习近平新时代中国特色主义思想为指导。", ["习近平新时代中国特色主义思想"], "习近平新时代中国特色社会主义思想"),
    ("增强“四个意识”，做到“两个拥护”。", ["两个拥护"], "两个维护"),
    ("推进严格规范文明公正执法。", ["严格规范文明公正执法"], "严格规范公正文明执法"),
    ("推进“严格规范、文明公正”执法。", ["严格规范、文明公正”执法"], "严格规范公正文明执法"),
]
FORMULATION_PASSES = [
    "坚持以习近平新时代中国特色社会主义思想为指导，做到“两个维护”。",
    "推进严格规范公正文明执法。",
    "拥护党的领导。",
]


@pytest.mark.parametrize("body,expected,suggestion", FORMULATION_FAILS)
def test_standard_formulation_fails(knowledge, body, expected, suggestion):
    text = in_year(2023, body)
    assert flagged("standard-formulation", text) == expected
    assert findings("standard-formulation", text)[0].suggestion == suggestion


@pytest.mark.parametrize("body", FORMULATION_PASSES)
def test_standard_formulation_passes(knowledge, body):
    assert flagged("standard-formulation", in_year(2023, body)) == []


def test_wrong_variant_inside_the_correct_form_is_not_flagged(monkeypatch):
    monkeypatch.setattr(rc, "_formulations", lambda: [FakeFormulation("全面依法治国", ("依法治国",))])
    assert flagged("standard-formulation", in_year(2023, "推进全面依法治国。")) == []
    assert flagged("standard-formulation", in_year(2023, "推进依法治国。")) == ["依法治国"]


def test_without_a_report_year_nothing_is_judged(knowledge):
    text = "关于法治政府建设情况的报告\n深入开展党史学习教育，学习《婚姻法》，推进“七五”普法。"
    for name in ("repealed-law", "outdated-reference", "stale-campaign"):
        assert flagged(name, text) == []


@pytest.mark.parametrize(
    "body, suggestion",
    [
        ("认真落实《党政主要负责人履行推进第一责任人职责规定》。", "《党政主要负责人履行推进法治建设第一责任人职责规定》"),
        ("落实《法治政府建设与责任落实督察规定》。", "《法治政府建设与责任落实督察工作规定》"),
        ("认真落实《党政主要负责人履行推进法治建设第一责任人职责规定》。", None),
        ("落实《法治政府建设与责任落实督察工作实施办法》。", None),  # a local implementing rule
        ("制定《某县党政主要负责人述法工作办法》。", None),
        ("执行《市场监督管理行政处罚程序规定》。", None),
    ],
)
def test_misnamed_regulations_and_rules_with_the_real_catalog(body, suggestion):
    """Titles ending in 规定 or 办法 are judged like laws; a long title may lack a whole word."""
    from fazhi.api import check

    found = [f.suggestion for f in check(in_year(2023, body)).findings if f.name == "misnamed-law"]
    assert found == ([suggestion] if suggestion else [])
