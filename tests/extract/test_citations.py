"""find_citations: 《》 titles and bare law names, classified and dated against the report year.

The catalog is injected (`use_catalog`) so the tests do not depend on how much of
knowledge/documents.toml is filled in; the entries are real documents with their real dates."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fazhi.extract.citations as xc
import fazhi.rules.citations as rc
from fazhi.api import load
from fazhi.knowledge.catalog import Catalog, Entry, catalog

D = dt.date.fromisoformat

ENTRIES = [
    Entry("constitution", "中华人民共和国宪法", "national_law", ("宪法",), effective=D("1982-12-04")),
    Entry("civil-code", "中华人民共和国民法典", "national_law", ("民法典",), effective=D("2021-01-01")),
    Entry("marriage-law", "中华人民共和国婚姻法", "national_law", ("婚姻法",), effective=D("1981-01-01"),
          repealed=D("2021-01-01"), successor="civil-code"),
    Entry("admin-penalty", "中华人民共和国行政处罚法", "national_law", ("行政处罚法",), effective=D("1996-10-01")),
    Entry("admin-license", "中华人民共和国行政许可法", "national_law", ("行政许可法",), effective=D("2004-07-01")),
    Entry("food-safety", "中华人民共和国食品安全法", "national_law", ("食品安全法",), effective=D("2009-06-01")),
    Entry("work-safety", "中华人民共和国安全生产法", "national_law", ("安全生产法",), effective=D("2002-11-01")),
    Entry("product-quality", "中华人民共和国产品质量法", "national_law", ("产品质量法",), effective=D("1993-09-01")),
    Entry("agri-product-quality", "中华人民共和国农产品质量安全法", "national_law", ("农产品质量安全法",), effective=D("2006-11-01")),
    Entry("police", "中华人民共和国人民警察法", "national_law", ("人民警察法",), effective=D("1995-02-28")),
    Entry("rural-land-contract", "中华人民共和国农村土地承包法", "national_law", ("农村土地承包法",), effective=D("2003-03-01")),
    Entry("anti-dv", "中华人民共和国反家庭暴力法", "national_law", ("反家庭暴力法",), effective=D("2016-03-01")),
    Entry("petition-reg", "信访条例", "administrative_regulation", effective=D("2005-05-01"),
          repealed=D("2022-05-01"), successor="petition-work"),
    Entry("petition-work", "信访工作条例", "party_document", effective=D("2022-05-01")),
    Entry("business-env", "优化营商环境条例", "administrative_regulation", effective=D("2020-01-01")),
    Entry("outline-2015", "法治政府建设实施纲要（2015－2020年）", "plan", period=(2015, 2020), successor="outline-2021"),
    Entry("outline-2021", "法治政府建设实施纲要（2021－2025年）", "plan", period=(2021, 2025)),
    Entry("urban-rural-planning", "中华人民共和国城乡规划法", "national_law", ("城乡规划法",), ("城乡规划条例法",),
          effective=D("2008-01-01")),
]


def make_catalog(entries=ENTRIES) -> Catalog:
    return Catalog(list(entries))


@pytest.fixture
def use_catalog(monkeypatch):
    from fazhi.config import Config

    """Run with the catalog above instead of knowledge/documents.toml."""
    fake = make_catalog()
    monkeypatch.setattr(xc, "catalog", lambda: fake)  # find_citations() called without one
    monkeypatch.setattr(Config, "catalog", lambda self: fake)  # what check() and the rules use
    return fake


def doc_of(*body: str, year: int = 2023, issuer: str = "鲁山县民政局"):
    return load("\n".join([f"{issuer}关于{year}年度法治政府建设情况的报告", "县委、县政府：", *body, "特此报告。", issuer, f"{year + 1}年1月20日"]))


def cites(*body: str, year: int = 2023, issuer: str = "鲁山县民政局"):
    return xc.find_citations(doc_of(*body, year=year, issuer=issuer))


def one(body: str, **kw):
    found = [c for c in cites(body, **kw) if c.bracketed]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "body,canonical,kind,status",
    [
        ("学习《中华人民共和国行政处罚法》。", "中华人民共和国行政处罚法", "national_law", "in_force"),
        ("学习《行政处罚法》。", "中华人民共和国行政处罚法", "national_law", "in_force"),
        ("学习《婚姻法》。", "中华人民共和国婚姻法", "national_law", "repealed"),
        ("落实《信访条例》。", "信访条例", "administrative_regulation", "repealed"),
        ("落实《信访工作条例》。", "信访工作条例", "party_document", "in_force"),
        ("学习《城乡规划条例法》。", "中华人民共和国城乡规划法", "national_law", "renamed"),
        ("实施《法治政府建设实施纲要（2015—2020年）》。", "法治政府建设实施纲要（2015－2020年）", "plan", "repealed"),
        ("实施《法治政府建设实施纲要（2021-2025年）》。", "法治政府建设实施纲要（2021－2025年）", "plan", "in_force"),
    ],
)
def test_catalog_titles(use_catalog, body, canonical, kind, status):
    c = one(body)
    assert (c.canonical, c.kind, c.status) == (canonical, kind, status)
    assert c.entry is not None


def test_status_is_relative_to_the_report_year(use_catalog):
    assert one("学习《婚姻法》。", year=2019).status == "in_force"
    assert one("学习《婚姻法》。", year=2021).status == "repealed"
    assert one("落实《信访条例》。", year=2021).status == "in_force"
    assert one("落实《信访条例》。", year=2022).status == "repealed"


def test_version_suffix_inside_and_after_the_title(use_catalog):
    c = one("学习《中华人民共和国行政处罚法（2021年修订）》。")
    assert (c.version, c.entry) == ("2021年修订", "admin-penalty")
    d = doc_of("学习《中华人民共和国行政处罚法》（2021年修订）。")
    c = [c for c in xc.find_citations(d) if c.bracketed][0]
    assert c.version == "2021年修订"
    assert d.text[c.start:c.end] == "《中华人民共和国行政处罚法》（2021年修订）"


def test_nested_angle_brackets_stay_one_title(use_catalog):
    c = one("印发《关于学习〈中华人民共和国民法典〉的通知》。")
    assert c.text == "《关于学习〈中华人民共和国民法典〉的通知》"
    assert c.kind == "unknown"


@pytest.mark.parametrize(
    "body,kind",
    [
        ("制定了《鲁山县民政局法治政府建设工作计划》。", "own_document"),
        ("纳入《2024年民政局党员干部教育培训计划》。", "own_document"),
        ("印发《我局行政执法公示办法》。", "own_document"),
        ("印发《鲁山县普法责任清单》。", "own_document"),
        ("落实《河南省行政执法条例》。", "local_document"),
        ("落实《平顶山市文明行为促进条例》。", "local_document"),
        ("落实《吉林省民政系统法治宣传教育第八个五年规划（2021—2025年）》。", "local_document"),
        ("学习《习近平谈治国理政》。", "book"),
        ("学习《论坚持全面依法治国》。", "book"),
        ("刊登于《人民日报》。", "book"),
        ("研读《习近平法治思想学习纲要》。", "book"),
        ("落实《国家人权行动计划》和《法治中国建设规划（2020－2025年）》。", None),
        ("学习《中华人民共和国土地承包法》。", "unknown"),
        ("学习《殡葬管理条例》。", "unknown"),
        ("执行《城市居民委员会组织法》。", "unknown"),
        ("执行《社区矫正法》。", "unknown"),
        ("执行《市场主体登记管理条例》。", "unknown"),
    ],
)
def test_form_classification(use_catalog, body, kind):
    found = [c for c in cites(body) if c.bracketed]
    if kind is None:  # two titles: an unknown plan-like and a plan
        assert [c.kind for c in found] == ["unknown", "plan"]
        return
    assert len(found) == 1 and found[0].kind == kind, found
    expected = "not_applicable" if kind in ("own_document", "local_document", "book") else "unknown"
    assert found[0].status == expected


def test_unknown_national_law_is_normalized(use_catalog):
    c = one("学习《中华人民共和国土地承包法》。")
    assert c.canonical == "土地承包法" and c.entry is None


@pytest.mark.parametrize(
    "body,names",
    [
        ("特别是宪法、行政处罚法、民法典等法律的宣传。", ["宪法", "行政处罚法", "民法典"]),
        ("学习中华人民共和国行政处罚法。", ["中华人民共和国行政处罚法"]),
        ("学习《民法典》和宪法。", ["《民法典》", "宪法"]),
        ("深入学习行政处罚法律知识和行政许可法规。", []),
        ("完善法治政府建设，推进法治宣传。", []),
        ("开展宪法宣传周活动，在国家宪法日组织宪法宣誓，开展“宪法进社区”。", []),
        ("开展民法典宣传月活动。", []),
        ("宣传食品安全法实施条例。", []),
        ("学习《食品安全法》及实施条例。", ["《食品安全法》"]),
        ("学习《宪法学习读本》。", ["《宪法学习读本》"]),
        ("宣传婚姻法。", ["婚姻法"]),
        ("组织宪法学习，邀请宪法学专家授课。", ["宪法"]),
    ],
)
def test_bare_names(use_catalog, body, names):
    assert [c.text for c in cites(body)] == names


def test_bare_name_fields(use_catalog):
    c = [c for c in cites("宣传婚姻法。") if not c.bracketed][0]
    assert (c.kind, c.status, c.entry, c.canonical) == ("national_law", "repealed", "marriage-law", "中华人民共和国婚姻法")


def test_no_report_year_means_unknown_status(use_catalog):
    d = load("关于法治政府建设情况的报告\n学习《婚姻法》。")
    assert d.metadata.report_year is None
    assert [c.status for c in xc.find_citations(d)] == ["unknown"]


def test_offsets_point_at_the_citation(use_catalog):
    d = doc_of("学习《行政许可法》和民法典。")
    for c in xc.find_citations(d):
        assert d.text[c.start:c.end] == c.text


def test_real_catalog_knows_the_civil_code():
    d = doc_of("学习民法典和《婚姻法》。", year=2023)
    found = {c.text: c.status for c in xc.find_citations(d)}
    assert found == {"民法典": "in_force", "《婚姻法》": "repealed"}


# --- the 法-anchored scan for bare names equals the plain leftmost-longest regex over all names

def _regex_bare_hits(text, cat):
    """The straightforward way: one alternation of every name, longest first (leftmost-longest)."""
    _, names, _ = xc._bare_index(cat)
    alts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(alts, text)]


# A catalog with awkward names too: one that is only 法典, names inside names, 法 at the start.
_TRICKY = make_catalog(ENTRIES + [
    Entry(f"t{i}", f"中华人民共和国{n}", "national_law", (n,)) for i, n in enumerate(("法典", "民法", "法官法", "立法法", "典法", "法法"))
])


def _bare_strategy(cat):
    names = sorted(xc._bare_index(cat)[1])
    alphabet = "".join(sorted(set("".join(names)))) + "法典。，学习中华人民共和国"
    return st.lists(st.sampled_from(names) | st.text(alphabet, max_size=4), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(_bare_strategy(catalog()), _bare_strategy(_TRICKY))
def test_bare_hits_equal_the_regex_scan(text, tricky):
    assert xc._bare_hits(text, catalog()) == _regex_bare_hits(text, catalog())
    assert xc._bare_hits(tricky, _TRICKY) == _regex_bare_hits(tricky, _TRICKY)


def test_bare_hits_overlapping_names():
    for text in ("民法典民法宪法法官法立法法", "行政处罚法行政许可法", "法", "", "中华人民共和国宪法修正案", "法典法法法"):
        for cat in (catalog(), _TRICKY):
            assert xc._bare_hits(text, cat) == _regex_bare_hits(text, cat)
