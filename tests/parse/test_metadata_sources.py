"""Metadata when the title is missing or is not a title: the issuer from the opening sentence, the
现将……报告如下 sentence, the sign-off and the page's own fields, in that order of trust; never a
breadcrumb, column or site name as title. Special zones get a sensible level."""

from __future__ import annotations

import pytest

from fazhi.api import load
from fazhi.parse.metadata import issuer_kind, issuer_level

BODY = "\n一、主要举措和成效\n全年办理行政复议案件12件。"


@pytest.mark.parametrize(
    "text,issuer,source,level,kind",
    [
        ("2022年,民政部党组坚持以习近平新时代中国特色社会主义思想为指导,深入贯彻习近平法治思想。", "民政部", "opening", "central", "department"),
        ("2023年，在县委、县政府的坚强领导下，蒲江县司法局以习近平法治思想为指导，扎实推进法治政府建设。", "蒲江县司法局", "opening", "county", "department"),
        ("2024年以来，龙泉关镇人民政府认真贯彻落实上级部署，推进依法行政。", "龙泉关镇人民政府", "opening", "township", "government"),
        ("2024年，宜昌高新区管委会坚持依法行政，优化营商环境。", "宜昌高新区管委会", "opening", "county", "government"),
        ("按照县委依法治县办的要求，现将县人民政府2022年法治政府建设工作情况报告如下：", "县人民政府", "report_sentence", "county", "government"),
        ("根据工作安排，现将阜平县司法局关于2024年度法治政府建设情况报告如下：", "阜平县司法局", "report_sentence", "county", "department"),
        ("一年来，在区委、区政府的坚强领导下，区人社局，深入学习贯彻习近平法治思想。", "区人社局", "opening", "county", "department"),
        ("2022年是实施纲要的重要一年。街道办事处在区委的领导下，以习近平法治思想为指引。", "街道办事处", "opening", "township", "government"),
        ("2024年，我局深入推进法治政府建设。现将有关情况报告如下：", None, None, None, None),
        ("2024年，在市委的领导下，我们坚持依法行政。", None, None, None, None),
    ],
)
def test_issuer_from_the_body(text, issuer, source, level, kind):
    meta = load(text + BODY).metadata
    assert meta.title is None
    assert (meta.issuer, meta.issuer_source, meta.issuer_level, meta.issuer_kind) == (issuer, source, level, kind)


def test_order_of_trust_and_completion():
    # the opening names the unit without its place; the sign-off completes it
    meta = load("2023年，县司法局坚持依法行政，推进法治政府建设。" + BODY + "\n蒲江县司法局\n2024年1月20日").metadata
    assert meta.issuer == "蒲江县司法局" and meta.region.county == "蒲江县"
    # the sign-off alone
    meta = load("2024年，我局深入推进法治政府建设。" + BODY + "\n蒲江县司法局\n2025年1月20日").metadata
    assert (meta.issuer, meta.issuer_source) == ("蒲江县司法局", "signoff")
    # the page's fields last
    page = "发布机构: 阜平县司法局\n发布时间: 2025-03-01\n"
    meta = load(page + "2024年，我局深入推进法治政府建设。" + BODY).metadata
    assert (meta.issuer, meta.issuer_source) == ("阜平县司法局", "page")
    # a title wins over everything
    meta = load("某县司法局关于2024年度法治政府建设情况的报告\n2024年，县民政局坚持依法行政。" + BODY).metadata
    assert (meta.issuer, meta.issuer_source) == ("某县司法局", "title")


def test_page_title_when_the_body_has_none():
    page = "标题: 阜平县司法局关于2024年度法治政府建设情况的报告\n原文链接: http://www.example.gov.cn/1.html\n"
    meta = load(page + "2024年，我局深入推进法治政府建设。" + BODY).metadata
    assert meta.title == "阜平县司法局关于2024年度法治政府建设情况的报告"
    assert meta.title_source == "page" and meta.title_span is None
    assert meta.issuer == "阜平县司法局" and meta.report_year == 2024


@pytest.mark.parametrize(
    "first",
    ["工作报告", "政务公开", "法治政府建设", "首页 > 政务公开 > 工作报告", "当前位置：首页 > 信息公开", "年度报告"],
)
def test_breadcrumb_column_or_site_name_is_never_a_title(first):
    meta = load(first + "\n2024年，龙泉关镇人民政府坚持依法行政，推进法治政府建设。" + BODY).metadata
    assert meta.title is None
    assert meta.issuer == "龙泉关镇人民政府" and meta.issuer_level == "township"


@pytest.mark.parametrize(
    "name,level,kind",
    [
        ("宜昌高新区管委会", "county", "government"),
        ("成都高新技术产业开发区管理委员会", "county", "government"),
        ("某市经济技术开发区管委会", "county", "government"),
        ("苏州工业园区管理委员会", "county", "government"),
        ("某县工业园区管委会", "township", "government"),
        ("某县经济开发区管委会", "township", "government"),
        ("中国（四川）自由贸易试验区成都天府新区片区管委会", "county", "government"),
        ("雄安新区管理委员会", "city", "government"),
        ("两江新区管委会", "city", "government"),
        ("上海市浦东新区人民政府", "county", "government"),
        ("天津市滨海新区人民政府", "county", "government"),
        ("宜昌市西陵区人民政府", "county", "government"),
        ("某县发展和改革委员会", "county", "department"),
        ("民政部", "central", "department"),
        # district names ending in 城区, and 城市管理 inside a county department's name
        ("钢城区卫生健康局", "county", "department"),
        ("金寨县城市管理局", "county", "department"),
        ("晋城市人民政府", "city", "government"),
    ],
)
def test_levels_of_special_zones(name, level, kind):
    assert (issuer_level(name), issuer_kind(name)) == (level, kind)
