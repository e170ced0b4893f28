"""title-format, missing-addressee, missing-signoff, and the metadata they rely on."""

from __future__ import annotations

import pytest

from .helpers import findings, report


@pytest.mark.parametrize(
    "title",
    [
        "某县司法局关于2024年度法治政府建设情况的报告",
        "某县司法局2024年度法治政府建设报告",
        "某县司法局2024年法治政府建设年度报告",
        "某县人民政府关于2024年法治政府建设工作情况的报告",
    ],
)
def test_good_titles(title):
    assert findings("title-format", report("正文。", title=title)) == []


@pytest.mark.parametrize(
    "title,words",
    [
        ("某县司法局法治政府建设年度报告", ["缺少年份"]),
        ("某县司法局2024年度法治政府建设工作总结", ["应以“报告”结尾", "总结"]),
        ("某县司法局2024年度依法行政工作报告", ["法治政府建设"]),
        ("关于2024年度法治政府建设情况的报告", ["缺少发文单位"]),
    ],
)
def test_bad_titles(title, words):
    found = findings("title-format", report("正文。", title=title, signoff="2025年1月20日"))
    assert len(found) == 1
    for w in words:
        assert w in found[0].message


def test_issuer_alone_on_first_line_is_part_of_title():
    text = "中共某县民政局党组\n关于2024年度法治政府建设工作的报告\n县委、县政府：\n正文。\n某县民政局\n2025年1月20日"
    assert findings("title-format", text) == []
    from fazhi.api import load

    meta = load(text).metadata
    assert meta.title == "中共某县民政局党组关于2024年度法治政府建设工作的报告"
    assert meta.issuer == "中共某县民政局党组" and meta.issuer_kind == "party" and meta.issuer_level == "county"


def test_addressee():
    assert findings("missing-addressee", report("正文。")) == []
    assert findings("missing-addressee", report("正文。", addressee="市委、市人大常委会，省政府：")) == []
    assert len(findings("missing-addressee", report("正文。", addressee=None))) == 1
    # a body sentence ending in a colon is not an addressee
    assert len(findings("missing-addressee", report("现将有关情况报告如下：", addressee=None))) == 1


@pytest.mark.parametrize(
    "signoff,n",
    [
        ("某县司法局\n2025年1月20日", 0),
        ("某县司法局 2025年1月20日", 0),
        ("某县司法局\n二〇二五年一月二十日", 0),
        ("某县司法局\n2025年1月20日\n（此件公开发布）", 0),
        ("某县司法局", 1),
        ("2025年1月20日", 1),
        (None, 1),
    ],
)
def test_signoff(signoff, n):
    assert len(findings("missing-signoff", report("一、主要举措和成效", "正文。", signoff=signoff))) == n


# Text saved from a government web page: menus, breadcrumbs and labelled fields above the title,
# the title often twice (page header and document), the site's name after the page title.
_PAGE_HEAD = "\n".join([
    "首页 > 信息公开 > 法治政府建设",
    "索 引 号：000000/2025-00001  发布机构：某县农业农村局",
    "名 称：某县农业农村局2024年度法治政府建设情况报告",
    "发布时间：2025-02-10 09:30 来源：某县农业农村局 浏览次数：",
])


@pytest.mark.parametrize(
    "head,title",
    [
        (_PAGE_HEAD + "\n某县农业农村局2024年度法治政府建设情况报告", "某县农业农村局2024年度法治政府建设情况报告"),
        ("某县农业农村局关于2024年度法治政府建设情况的报告_某县人民政府门户网站\n打印\n某县农业农村局关于2024年度法治政府\n建设情况的报告",
         "某县农业农村局关于2024年度法治政府建设情况的报告"),
        (_PAGE_HEAD + "\n中共某县农业农村局党组\n关于2024年度法治政府建设情况的报告", "中共某县农业农村局党组关于2024年度法治政府建设情况的报告"),
        ("• 设为首页\n• 无障碍浏览\n[ 主题分类 ] 法治政府建设\n某县农业农村局2024年法治政府建设年度报告", "某县农业农村局2024年法治政府建设年度报告"),
    ],
)
def test_title_below_web_page_head(head, title):
    text = head + "\n县委、县政府：\n2024年，我局依法履职，现将有关情况报告如下：\n一、主要举措和成效\n办理案件5件。\n某县农业农村局\n2025年1月20日"
    from fazhi.api import load

    meta = load(text).metadata
    assert meta.title == title
    assert meta.addressee == "县委、县政府"
    assert findings("title-format", text) == []
    assert findings("missing-addressee", text) == []


def test_page_field_is_not_an_addressee():
    text = "某县农业农村局2024年度法治政府建设情况报告\n发布时间：2025-02-10 来源：某县农业农村局 浏览次数：\n2024年，我局依法履职。"
    assert len(findings("missing-addressee", text)) == 1


def test_body_without_title_has_no_title_from_page_head():
    # no title anywhere before the body: still reported as missing; below a page's breadcrumb
    # (a web copy, whose title sits in the page banner) only as a hint
    text = "首页 > 信息公开\n2024年，我局推进法治政府建设，现将有关情况报告如下：\n一、主要举措和成效\n办理案件5件。"
    found = findings("title-format", text)
    assert len(found) == 1 and "网页公开稿" in found[0].message and found[0].severity == "info"
    found = findings("title-format", text.split("\n", 1)[1])
    assert len(found) == 1 and "找不到报告标题" in found[0].message and found[0].severity == "warning"


def test_web_copy_without_addressee_is_only_a_hint():
    """A report saved from a government site usually has no 主送机关 line: a hint, not a warning."""
    from fazhi.api import load
    from fazhi.config import Config
    from fazhi.extract import extract
    from fazhi.rules import get_rule
    from fazhi.rules.registry import Context

    rule = get_rule("missing-addressee")
    text = report("正文。", addressee=None)
    web = load(text, fmt="html")
    hits = list(rule.run(web, Context(Config(), extract(web))))
    assert [f.severity for f in hits] == ["info"] and "公开稿" in hits[0].message
    plain = load(text)
    assert [f.severity for f in rule.run(plain, Context(Config(), extract(plain)))] == ["warning"]


# Published and crawled copies: the publishing system drops the 主送 line, the sign-off and the
# title; judge the author, not the system (a hint, not a warning). The unit's own file still gets
# the warning.
_CRAWLER = "标题: 某县司法局关于2024年度法治政府建设情况的报告\n发布时间: 2025-03-20\n原文链接: http://www.example.gov.cn/1.html\n"
_BODY = "2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：\n一、主要举措和成效\n全年办理行政复议案件12件。"
_NFKC_BODY = "2024年,我局认真落实纲要(2021－2025年),现将有关情况报告如下:\n一、主要举措和成效\n全年办理案件12件,组织培训3次(含线上1次);开展普法活动20场,覆盖群众3000余人;审查合同3份,提出意见9条。"


@pytest.mark.parametrize("rule", ["missing-addressee", "missing-signoff"])
@pytest.mark.parametrize("text", [_CRAWLER + _BODY, "某县司法局关于2024年度法治政府建设情况的报告\n" + _NFKC_BODY])
def test_published_copy_without_addressee_or_signoff_is_a_hint(rule, text):
    found = findings(rule, text)
    assert [f.severity for f in found] == ["info"]


@pytest.mark.parametrize("rule", ["missing-addressee", "missing-signoff"])
def test_units_own_file_without_addressee_or_signoff_is_a_warning(rule):
    found = findings(rule, "某县司法局关于2024年度法治政府建设情况的报告\n" + _BODY)
    assert [f.severity for f in found] == ["warning"]


def test_title_from_the_crawler_header_is_checked_and_passes():
    assert findings("title-format", _CRAWLER + _BODY) == []
    found = findings("title-format", _CRAWLER.replace("关于2024年度法治政府建设情况的报告", "2024年法治政府建设工作总结") + _BODY)
    assert len(found) == 1 and "报告" in found[0].message and found[0].severity == "warning"


def test_web_copy_without_a_title_is_a_hint():
    found = findings("title-format", _NFKC_BODY)
    assert [f.severity for f in found] == ["info"]
