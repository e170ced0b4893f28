"""Substance rules: near-duplicate-phrase, self-repetition, low-specificity, boilerplate,
thin-shortcomings, coverage-gap. Tables of fictional texts that must fail and texts that must pass."""

from __future__ import annotations

import importlib.util

import pytest

from fazhi.api import load

from .helpers import findings, flagged, report

# A concrete, complete report body (fictional). Sections are replaced per test.
MEASURES = [
    "一、主要举措和成效",
    "（一）严格合法性审查。全年审查规范性文件12件、重大行政决策事项5件、合同46份，提出修改意见88条。",
    "（二）规范行政执法。组织执法人员培训3期，新增持证人员62人，评查执法案卷120卷，发现问题31个。",
    "（三）化解行政争议。全年收到行政复议申请41件，审结38件；行政机关负责人出庭应诉率100%。",
    "（四）推进政务公开。公开行政处罚决定920条，办理人大代表建议6件、政协提案4件。",
    "（五）深入学习贯彻习近平法治思想。局党组理论学习中心组专题学法6次。",
]
SHORTCOMINGS = [
    "二、存在的不足和原因",
    "一是执法监督手段不多。案卷评查以事后抽查为主，执法过程的实时监督尚未覆盖12个乡镇综合执法队，部分执法文书说理不充分。"
    "二是基层法治力量薄弱。5个司法所只有1名在编人员，承接行政复议咨询等新任务有困难。"
    "三是普法针对性不强。面向新业态从业人员和外来务工人员的普法活动全年只有4场。"
    "主要原因是执法监督平台尚未与各执法系统对接，基层编制紧张、培训经费不足。",
]
LEADER = ["三、党政主要负责人履行推进法治建设第一责任人职责情况", "局主要负责同志主持研究法治建设事项6次，带头述法1次。"]
PLAN = [
    "四、2025年工作安排",
    "（一）建成执法监督平台，年内实现全部执法单位数据对接。",
    "（二）为每个司法所配齐2名工作人员，完成基层人员轮训500人次。",
]
OPENING = ["2024年，我局推进法治政府建设，现将有关情况报告如下："]


def build(measures=None, shortcomings=None, leader=None, plan=None, title="某县司法局关于2024年度法治政府建设情况的报告") -> str:
    body = OPENING + (MEASURES if measures is None else measures) + (SHORTCOMINGS if shortcomings is None else shortcomings)
    body += (LEADER if leader is None else leader) + (PLAN if plan is None else plan) + ["特此报告。"]
    return report(*body, title=title)


RULES = ["near-duplicate-phrase", "self-repetition", "low-specificity", "boilerplate", "thin-shortcomings", "coverage-gap"]


@pytest.mark.parametrize("name", RULES)
def test_the_concrete_report_passes(name):
    assert findings(name, build()) == []


# ---------------------------------------------------------------- near-duplicate-phrase

USES = ["（六）坚持依法行政，提升依法行政水平。"]


def _near(extra: list[str], leader: list[str] | None = None) -> list[str]:
    return flagged("near-duplicate-phrase", build(measures=MEASURES + extra, leader=leader))


HAS_WORDS = importlib.util.find_spec("jieba") is not None
needs_words = pytest.mark.skipif(not HAS_WORDS, reason="the general one-character check needs jieba's word list")


@pytest.mark.parametrize(
    "extra,expected",
    [
        pytest.param(USES + ["（七）依法形政能力明显增强。"], ["依法形政"], marks=needs_words),
        (["（六）推进法治政府建设，法治政府建设取得成效。", "（七）法制政府建设考核获得优秀。"], ["法制政府"]),
        (["（六）加强法治宣传教育，创新法治宣传教育形式。", "（七）开展法制宣传教育进社区活动。"], ["法制宣传教育"]),
    ],
)
def test_near_duplicate_fails(extra, expected):
    assert _near(extra) == expected


@pytest.mark.parametrize(
    "extra",
    [
        ["（六）依法形政能力增强。"] + ["（七）坚持依法行政。"],  # the common spelling only once
        USES + ["（七）依法形政能力增强，依法形政意识提高。"],  # the rare spelling twice: deliberate
        ["（六）落实县委依法治县办部署。", "（七）参加县委依法治县办会议，报送市委依法治市办。"],  # 县委/市委
        ["（六）召开党组会议研究，党组会议审议通过。", "（七）召开党委会议研究。"],  # 党委/党组
        ["（六）全面推进依法行政，全面推进政务公开。", "（七）全面推行依法行政考核。"],  # 推进/推行
        ["（六）行政复议和行政诉讼案件均下降，行政复议纠错5件。"],  # differ by two characters
        ["（六）严格法制审核，法治政府建设、法治社会建设协同推进。"],  # 法制 is a word
        ["（六）严格遵守法定程序，按照法定程序办理。", "（七）宣讲实体法和程序法。"],  # function character
        ["（六）一是加强学习，二是加强培训，二是加强考核。"],  # numerals
    ],
)
def test_near_duplicate_passes(extra):
    assert _near(extra) == []


@needs_words
def test_near_duplicate_respects_dictionary_words():
    extra = ["（六）打好污染防治攻坚战，污染防治成效明显。", "（七）开展新污染物治理调研。"]
    assert _near(extra) == []


def test_without_a_word_list_only_known_phrases_are_checked(monkeypatch):
    from fazhi.rules import substance

    monkeypatch.setattr(substance, "_dictionary", lambda: None)
    assert _near(USES + ["（七）依法形政能力明显增强。"]) == []
    assert _near(["（六）推进法治政府建设，法治政府建设取得成效。", "（七）法制政府建设考核获得优秀。"]) == ["法制政府"]


@needs_words
def test_near_duplicate_suggests_the_common_spelling():
    found = findings("near-duplicate-phrase", build(measures=MEASURES + USES + ["（七）依法形政能力明显增强。"]))
    assert found[0].suggestion == "依法行政" and found[0].severity == "warning"
    assert "出现2次" in found[0].message


def test_near_duplicate_ignores_titles():
    extra = ["（六）推进法治政府建设，法治政府建设取得成效。", "（七）学习《法制政府建设概论》一书。"]
    assert _near(extra) == []


# ---------------------------------------------------------------- self-repetition

COPY = "组织执法人员培训3期，新增持证人员62人，评查执法案卷120卷，发现问题31个。"


def _rep(measures=None, plan=None):
    return findings("self-repetition", build(measures=measures, plan=plan))


def test_repeated_sentence_is_flagged_once_at_the_later_place():
    m = MEASURES + ["（六）加强队伍建设。" + COPY]
    found = _rep(measures=m)
    assert len(found) == 1
    doc = load(build(measures=m))
    assert doc.text[found[0].start:found[0].end] == COPY
    assert found[0].start > doc.text.index(COPY)
    assert "重复" in found[0].message and COPY[:8] in found[0].message and "第" not in found[0].message  # words, not a line number


def test_nearly_identical_sentence():
    m = MEASURES + ["（六）加强队伍建设。组织执法人员培训4期，新增持证人员62人，评查执法案卷120卷，发现问题33个。"]
    found = _rep(measures=m)
    assert len(found) == 1 and "几乎相同" in found[0].message


def test_consecutive_repeats_are_one_passage():
    two = "审查规范性文件12件、重大行政决策事项5件、合同46份，提出修改意见88条。组织执法人员培训3期，新增持证人员62人，评查执法案卷120卷，发现问题31个。"
    m = ["一、主要举措和成效", "（一）合法性审查和执法。" + two, "（二）复议。全年收到行政复议申请41件，审结38件。", "（三）再述。" + two]
    found = _rep(measures=m)
    assert len(found) == 1 and "这段话" in found[0].message


def test_plan_copying_measures_is_one_finding_per_item():
    plan = ["四、2025年工作安排", "（一）加强执法。" + COPY + "全年收到行政复议申请41件，审结38件；行政机关负责人出庭应诉率100%。",
            "（二）为每个司法所配齐2名工作人员，完成基层人员轮训500人次。"]
    found = _rep(plan=plan)
    assert len(found) == 1
    assert "这项安排" in found[0].message and "照搬" in found[0].message
    doc = load(build(plan=plan))
    assert doc.text[found[0].start:found[0].end].startswith("（一）加强执法")


@pytest.mark.parametrize(
    "extra",
    [
        ["（六）带头学法。主要负责同志带头学法。", "（七）带头述法。主要负责同志带头学法。"],  # short sentences
        ["（六）组织执法人员参加省级培训，考试合格率100%，执法证件全部换发。"],  # shares words only
    ],
)
def test_repetition_passes(extra):
    assert _rep(measures=MEASURES + extra) == []


# ---------------------------------------------------------------- low-specificity

VAGUE = [
    "坚持把合法性审查作为重大行政决策的必经程序，审查意见全部书面反馈。",
    "调整充实政府法律顾问团，吸收执业律师和高校教师参加。",
    "组织执法人员参加综合法律知识培训，考试合格后换发执法证件。",
    "在政府门户网站公开执法主体、权责清单和执法结果。",
    "开展行政执法案卷评查，对发现的问题逐一反馈、限期整改。",
    "畅通行政复议申请渠道，推行网上申请、邮寄申请和窗口申请。",
    "与人民法院召开行政争议化解联席会议，联合发布典型案例。",
    "制定普法责任清单，组织开展宪法宣传周和民法典宣传月活动。",
    "为村（社区）配备法律顾问，培育法律明白人。",
    "人民调解组织排查化解矛盾纠纷，在法院设立诉调对接工作点。",
    "主动接受人大监督和政协民主监督，认真办理代表建议和委员提案。",
    "推进执法监督平台建设，实现执法数据归集和实时监督。",
]


def _measures(sentences: list[str]) -> list[str]:
    return ["一、主要举措和成效", "".join(sentences)]


@pytest.mark.parametrize(
    "sentences,severity",
    [
        (VAGUE * 3, "warning"),  # about 900 characters, no figure at all
        (VAGUE * 2 + ["全年审查规范性文件12件。"], "info"),  # one figure in about 600 characters
        (VAGUE * 2 + ["2024年3月起施行新的审查办法。"], "info"),  # a date is not a figure
    ],
)
def test_low_specificity_fails(sentences, severity):
    found = findings("low-specificity", build(measures=_measures(sentences)))
    assert len(found) == 1 and found[0].severity == severity
    assert "字" in found[0].message


@pytest.mark.parametrize(
    "sentences",
    [
        VAGUE[:5],  # under 300 characters: not checked
        VAGUE + ["全年审查规范性文件12件，纠正2件。"],  # one figure per 150 characters
        # figures counted in 部 (laws, films) and 对 (couples) are figures too
        VAGUE + ["编印学法清单，收录法律法规32部，全年办理婚姻登记740对。"],
    ],
)
def test_low_specificity_passes(sentences):
    assert findings("low-specificity", build(measures=_measures(sentences))) == []


def test_low_specificity_anchors_at_the_measures_heading():
    text = build(measures=_measures(VAGUE * 2))
    assert flagged("low-specificity", text) == ["一、主要举措和成效"]


# ---------------------------------------------------------------- boilerplate

SLOGANS = [
    "我局高度重视法治政府建设，认真贯彻落实上级决策部署，不断提升依法行政水平。",
    "进一步加强组织领导，切实增强干部职工法治意识，营造良好氛围。",
    "深入开展法治宣传教育，不断创新宣传形式，取得明显成效。",
    "扎实推进严格规范公正文明执法，进一步规范执法行为。",
    "持续推进政务公开，主动接受各方面监督，各项工作有序推进。",
    "统筹推进矛盾纠纷化解，切实维护群众合法权益，增强“四个意识”、做到“两个维护”。",
]


def test_boilerplate_fails_on_slogans():
    found = findings("boilerplate", build(measures=_measures(SLOGANS)))
    assert len(found) == 1 and found[0].severity == "info"
    assert "6句中都没有" in found[0].message and "通用表述" in found[0].message


@pytest.mark.parametrize(
    "sentences",
    [
        SLOGANS[:5],  # fewer than six sentences
        SLOGANS[:3] + ["全年审查规范性文件12件。", "组织执法培训3期。", "在县公共法律服务中心设立复议窗口。", "开展“宪法进企业”活动。"],
        VAGUE[:8],  # vague but not stock phrases: low-specificity's business, not this rule's
    ],
)
def test_boilerplate_passes(sentences):
    assert findings("boilerplate", build(measures=_measures(sentences))) == []


# ---------------------------------------------------------------- thin-shortcomings

GENERIC = [
    "二、存在的不足和原因",
    "一是部分干部法治意识还不够强，运用法治思维和法治方式解决问题的能力有待提高，依法办事的自觉性还需进一步增强。"
    "二是法治宣传形式还不够丰富，宣传的针对性和实效性不强，宣传力度需进一步加强。"
    "三是依法行政工作与新形势新要求相比还有差距，工作水平仍需提升，整体推进力度还不够大。"
    "四是法治政府建设氛围还不够浓厚，部分工作人员的法律素养有待提升。"
    "主要原因是学习不够深入、重视程度不够。",
]


@pytest.mark.parametrize(
    "part,words",
    [
        (["二、存在的不足和原因", "干部法治意识有待提高，原因是学习不够。"], "过于简略"),
        (GENERIC, "4条不足都只有"),
    ],
)
def test_thin_shortcomings_fails(part, words):
    found = findings("thin-shortcomings", build(shortcomings=part))
    assert len(found) == 1 and words in found[0].message and found[0].severity == "warning"


@pytest.mark.parametrize(
    "part",
    [
        SHORTCOMINGS,
        # one generic item among three concrete ones
        ["二、存在的不足和原因", SHORTCOMINGS[1].replace("主要原因", "四是法治意识有待提高。主要原因")],
        # short, but two concrete problems with figures and a cause: brief is not thin
        ["二、存在的不足和原因", "一是4个所持证执法人员少于3人；二是7卷案卷证据链不完整。原因是近三年只新进2人。"],
        # concrete but without causes: that is missing-reasons' finding, not this rule's
        ["二、存在的不足和原因", SHORTCOMINGS[1].split("主要原因")[0] + "四是规范性文件备案不及时。全年有3件文件超过30日才报送备案，其中2件涉及乡镇政府。"],
    ],
)
def test_thin_shortcomings_passes(part):
    assert findings("thin-shortcomings", build(shortcomings=part)) == []


def test_no_shortcomings_part_is_missing_parts_business():
    text = build(shortcomings=[])
    assert findings("thin-shortcomings", text) == []


# ---------------------------------------------------------------- coverage-gap


def test_county_government_missing_emergencies():
    text = build(title="某县人民政府关于2024年度法治政府建设情况的报告",
                 measures=MEASURES + ["（六）深化“放管服”改革，优化营商环境。", "（七）推进“互联网+政务服务”，一网通办事项300项。"])
    found = findings("coverage-gap", text)
    assert len(found) == 1 and "健全突发事件应对体系" in found[0].message and "县级政府" in found[0].message
    assert flagged("coverage-gap", text) == ["一、主要举措和成效"]


def test_department_is_judged_on_core_areas_only():
    # a 司法局 that says nothing about emergencies, tech or 放管服 is fine
    assert findings("coverage-gap", build()) == []
    measures = [line for line in MEASURES if "行政复议" not in line]
    shortcomings = [SHORTCOMINGS[0], SHORTCOMINGS[1].replace("行政复议咨询等", "")]
    found = findings("coverage-gap", build(measures=measures, shortcomings=shortcomings))
    assert len(found) == 1 and "健全社会矛盾纠纷行政预防调处化解体系" in found[0].message
    assert "县级部门" in found[0].message


def test_report_outside_the_framework_years_is_not_judged():
    measures = [line for line in MEASURES if "行政复议" not in line]
    shortcomings = [SHORTCOMINGS[0], SHORTCOMINGS[1].replace("行政复议咨询等", "")]
    text = build(measures=measures, shortcomings=shortcomings, title="某县司法局关于2019年度法治政府建设情况的报告")
    assert findings("coverage-gap", text.replace("2024年，", "2019年，").replace("2025年工作安排", "2020年工作安排")) == []


def test_mention_anywhere_counts_but_not_inside_titles():
    measures = [line for line in MEASURES if "行政复议" not in line] + ["（六）学习《中华人民共和国行政复议法》。"]
    shortcomings = [SHORTCOMINGS[0], SHORTCOMINGS[1].replace("行政复议咨询等", "")]
    assert findings("coverage-gap", build(measures=measures, shortcomings=shortcomings))
    plan = PLAN + ["（三）做好行政应诉工作。"]
    assert findings("coverage-gap", build(measures=measures, shortcomings=shortcomings, plan=plan)) == []


# ---------------------------------------------------------------- the real reports


def test_seed_findings(seeds_dir):
    """Every substance finding on the five real reports, each verified by reading the report."""
    from fazhi.rules import run_rules

    expected = {
        "000": {"low-specificity", "boilerplate", "coverage-gap", "thin-shortcomings"},
        "001": {"low-specificity", "coverage-gap", "thin-shortcomings", "self-repetition"},
        "002": {"thin-shortcomings"},
        "003": {"coverage-gap", "thin-shortcomings"},
        "004": {"near-duplicate-phrase"},
    }
    for prefix, names in expected.items():
        doc = load(next(seeds_dir.glob(f"{prefix}_*.txt")))
        got = [f.name for f in run_rules(doc) if f.category == "substance"]
        assert sorted(got) == sorted(names), prefix


def test_clean_example_has_no_substance_findings():
    from pathlib import Path

    from fazhi.rules import run_rules

    doc = load(Path(__file__).resolve().parents[2] / "examples" / "clean_county_justice_2024.txt")
    assert [f for f in run_rules(doc) if f.category == "substance"] == []
