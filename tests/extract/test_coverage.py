"""纲要 coverage: keyword hits per area, exclusions, and which areas each issuer is expected to cover."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.api import load
from fazhi.extract import coverage as cov
from fazhi.extract.coverage import area, areas, expected_areas, find_coverage, framework
from fazhi.knowledge import load as load_knowledge

from ..rules.helpers import report

CHAPTERS = [
    "深入学习贯彻习近平法治思想",
    "健全政府机构职能体系",
    "健全依法行政制度体系",
    "健全行政决策制度体系",
    "健全行政执法工作体系",
    "健全突发事件应对体系",
    "健全社会矛盾纠纷行政预防调处化解体系",
    "健全行政权力制约和监督体系",
    "健全法治政府建设科技保障体系",
    "加强党的领导，完善法治政府建设推进机制",
]


def test_taxonomy_has_the_ten_chapters_in_order_with_unique_ascii_keys():
    chapters = [a for a in areas() if a.chapter]
    assert [a.name for a in chapters] == CHAPTERS
    keys = [a.key for a in areas()]
    assert len(set(keys)) == len(keys) and all(k.isascii() and k.isidentifier() for k in keys)
    fw = framework()
    assert fw["number"] == "中发〔2021〕33号" and fw["source"]
    for a in load_knowledge("taxonomy")["area"]:
        assert a["keywords"] and a["note"] and "examples" in a


def test_pufa_is_supplementary_and_never_expected():
    pufa = area("pufa")
    assert pufa is not None and pufa.chapter == "" and pufa.expected_levels == ()


def _cov(*body: str, title: str = "某县司法局关于2024年度法治政府建设情况的报告") -> dict[str, list[int]]:
    return find_coverage(load(report(*body, title=title)))


@pytest.mark.parametrize(
    "sentence,key",
    [
        ("全年审查重大行政决策事项5件。", "decisions"),
        ("坚持公众参与、专家论证、风险评估程序。", "decisions"),
        ("落实行政执法“三项制度”。", "enforcement"),
        ("推行包容审慎监管，发布首违不罚清单。", "enforcement"),
        ("全面落实“谁执法谁普法”普法责任制。", "enforcement"),
        ("修订应急预案，开展应急演练2次。", "emergencies"),
        ("行政机关负责人出庭应诉率100%。", "disputes"),
        ("人民调解组织化解矛盾纠纷300件。", "disputes"),
        ("办理人大代表建议6件、政协提案4件。", "supervision"),
        ("主动接受县人大常委会的监督。", "supervision"),
        ("推进“互联网＋政务服务”，实现一网通办。", "tech"),
        ("深化“放管服”改革，优化营商环境。", "functions"),
        ("向市政府报备规范性文件14件。", "rules"),
        ("主要负责同志在全会上专题述法。", "leadership"),
        ("组织开展宪法宣传周活动。", "pufa"),
    ],
)
def test_keywords_map_to_areas(sentence, key):
    cov = _cov("一、主要举措和成效", sentence)
    assert cov[key], (sentence, key)


def test_offsets_point_at_the_keyword():
    doc = load(report("一、主要举措和成效", "全年办理行政复议案件12件。"))
    hits = find_coverage(doc)["disputes"]
    assert [doc.text[h:h + 4] for h in hits] == ["行政复议"]


def test_every_area_has_a_key_even_without_hits():
    cov = _cov("一、主要举措和成效", "正文。")
    assert set(cov) == {a.key for a in areas()}
    assert all(v == [] for v in cov.values())


@pytest.mark.parametrize(
    "sentence,key",
    [
        ("重点学习《中华人民共和国行政复议法》。", "disputes"),  # a title in 《》 is not work on the area
        ("全面推行“一村一法律顾问”制度。", "decisions"),  # public legal service, not decisions
        ("贯彻落实党中央重大决策部署。", "decisions"),  # a stock phrase
    ],
)
def test_exclusions(sentence, key):
    assert _cov("一、主要举措和成效", sentence)[key] == []


def test_title_is_not_searched():
    cov = _cov("正文。", title="某县应急管理局关于2024年度法治政府建设情况的报告")
    assert cov["emergencies"] == []


@pytest.mark.parametrize(
    "issuer,expected",
    [
        ("某县人民政府", {"thought", "functions", "rules", "decisions", "enforcement", "emergencies", "disputes",
                     "supervision", "tech", "leadership"}),
        ("某市人民政府", {"thought", "functions", "rules", "decisions", "enforcement", "emergencies", "disputes",
                     "supervision", "tech", "leadership"}),
        ("某县某镇人民政府", {"thought", "decisions", "emergencies", "disputes", "supervision", "leadership"}),
        ("某县民政局", {"thought", "decisions", "disputes", "supervision", "leadership"}),
        ("中共某县民政局党组", {"thought", "decisions", "disputes", "supervision", "leadership"}),
    ],
)
def test_expected_areas_by_issuer(issuer, expected):
    doc = load(report("正文。", title=f"{issuer}关于2024年度法治政府建设情况的报告"))
    assert {a.key for a in expected_areas(doc)} == expected


def test_nothing_expected_of_an_unknown_issuer():
    doc = load(report("正文。", title="关于2024年度法治政府建设情况的报告"))
    if doc.metadata.issuer_level is None or doc.metadata.issuer_kind is None:
        assert expected_areas(doc) == []


def test_seed_coverage(seeds_dir):
    # verified by reading the reports: the civil-affairs bureau (000) never mentions 重大行政决策,
    # 复议/信访/调解 or 政务公开/监督; the town (003) never mentions emergencies
    doc = load(next(seeds_dir.glob("000_*.txt")))
    cov = find_coverage(doc)
    assert not cov["decisions"] and not cov["disputes"] and not cov["supervision"]
    assert cov["enforcement"] and cov["thought"]
    doc = load(next(seeds_dir.glob("003_*.txt")))
    cov = find_coverage(doc)
    assert not cov["emergencies"] and cov["decisions"] and cov["disputes"]


# --- the split scan (keywords and patterns apart, merged) equals the area's own pattern

_PIECES = sorted({w for a in areas() for w in a.keywords}) + [
    "接受", "监督", "七五", "八五", "九五", "普法", "五", "互联网", "+", "＋", " ", "依法全面履行", "政府", "职能", "群众",
]


def _split_scans():
    """Every area with patterns, scanned apart whatever its patterns start with."""
    raw = {a["key"]: a.get("patterns", []) for a in load_knowledge("taxonomy")["area"]}
    out = []
    for a in areas():
        if raw[a.key]:
            words = "|".join(re.escape(w) for w in sorted(a.keywords, key=len, reverse=True))
            out.append(cov._Scan(a, re.compile(words), re.compile("|".join(raw[a.key]))))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES) | st.text("接受监督普法七八九五互联网依法", max_size=3), max_size=25), st.integers(0, 5))
def test_split_scan_equals_the_area_pattern(pieces, start):
    text = "".join(pieces)
    for scan in [*cov._scans(), *_split_scans()]:
        assert cov._hits(scan, text, start) == [m.start() for m in scan.area.pattern.finditer(text, start)], scan.area.key


def test_split_scan_with_overlapping_pattern_matches():
    text = "接受接受群众监督监督，七五八五普法，接受社会监督"
    for scan in _split_scans():
        assert cov._hits(scan, text, 0) == [m.start() for m in scan.area.pattern.finditer(text)]


def test_an_area_whose_pattern_starts_with_a_class_is_scanned_apart():
    assert cov._scans()[[a.key for a in areas()].index("pufa")].patterns is not None
    assert cov._scans()[[a.key for a in areas()].index("thought")].patterns is None


def test_split_scan_finds_a_pattern_match_that_starts_inside_another():
    """A keyword hit ends inside one pattern match; the next pattern match starts inside it."""
    words, pattern = ("民主接", "监督"), "接受.{0,8}监督"
    fake = areas()[0].__class__("x", "x", "", (), re.compile("|".join(words) + "|" + pattern), None, words, "")
    scan = cov._Scan(fake, re.compile("|".join(words)), re.compile(pattern))
    for text in ("民主接受接受监督", "民主接受接受接受监督", "接受民主接受监督监督"):
        assert cov._hits(scan, text, 0) == [m.start() for m in fake.pattern.finditer(text)]
