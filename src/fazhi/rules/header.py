"""The report's head and tail: title, 主送机关, 落款 and 成文日期."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from fazhi.model import Document
from fazhi.rules.registry import Context, Hit, rule

_GOOD = """某县司法局关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：
一、主要举措和成效
全年办理行政复议案件12件。
特此报告。
某县司法局
2025年1月20日"""


_TITLE_YEAR = re.compile(r"(?:20\d\d|二[〇零○]..)\s*年")


def _first_line_span(doc: Document) -> tuple[int, int]:
    if doc.paragraphs:
        return doc.paragraphs[0]
    return (0, 0)


@rule(
    code="M101",
    name="title-format",
    severity="warning",
    category="metadata",
    summary="标题不符合“单位＋年份＋法治政府建设（年度）报告”的格式",
    why=(
        "各省工作指引统一了名称：标题由发文单位、年度和“法治政府建设年度报告”（或“关于××年度法治政府建设情况的报告”）"
        "组成。缺少年份、写成“工作总结”或没有标题的报告，上级难以归档和检索。"
    ),
    bad=_GOOD.replace("某县司法局关于2024年度法治政府建设情况的报告", "某县司法局法治建设工作总结"),
    good=_GOOD,
)
def title_format(doc: Document, ctx: Context) -> Iterator[Hit]:
    meta = doc.metadata
    if not meta.title:
        a, b = _first_line_span(doc)
        if _published(doc):
            # a published page keeps the title in its banner, outside the saved text
            yield Hit(a, b, "正文前没有标题；网页公开稿的标题常在页面横幅里，报送稿应有标题", severity="info")
            return
        yield Hit(a, b, "找不到报告标题（应为“单位＋关于××年度法治政府建设情况的报告”）")
        return
    a, b = meta.title_span or _first_line_span(doc)  # a title from the page's fields has no span
    title = meta.title
    problems = []
    if not _TITLE_YEAR.search(title):
        problems.append("缺少年份")
    if "法治政府" not in title:
        problems.append("缺少“法治政府建设”字样")
    if not title.endswith("报告"):
        problems.append("应以“报告”结尾" + ("（不宜称“总结”）" if title.endswith("总结") else ""))
    if not meta.issuer:
        problems.append("缺少发文单位")
    if problems:
        where = "网页字段中的标题" if meta.title_source == "page" else "标题"
        yield Hit(a, b, where + "，".join(problems))


_WEB_FORMATS = ("html",)  # .html, .htm, .mhtml: pages saved from a site


def _published(doc: Document) -> bool:
    """A published or crawled copy rather than the unit's own file: judge the author, not the
    publishing system, which drops the 主送 line, the sign-off and the title."""
    return doc.format in _WEB_FORMATS or doc.metadata.published_copy


@rule(
    code="M102",
    name="missing-addressee",
    severity="warning",
    category="metadata",
    summary="标题下缺少主送机关（如“县委、县政府：”）",
    why=(
        "年度报告是上行文，应在标题下写明主送机关（如“县委、县政府：”）。部门报本级党委和政府，"
        "地方政府报同级党委、人大常委会和上一级政府。从政府网站保存的网页（公开稿）和爬虫抓取的文本常省略主送机关，"
        "对网页、带爬虫或网页头部字段的文本、标点被网站整体转成半角的文本只作提示。"
    ),
    bad=_GOOD.replace("县委、县政府：\n", ""),
    good=_GOOD,
)
def missing_addressee(doc: Document, ctx: Context) -> Iterator[Hit]:
    if doc.metadata.addressee:
        return
    a, b = doc.metadata.title_span or _first_line_span(doc)
    if _published(doc):
        # the published web copy usually drops the 主送机关 line; the copy sent up must have it
        yield Hit(a, b, "标题下没有主送机关；网上公开稿常省略主送机关，报送稿应在标题下写明（如“县委、县政府：”）",
                  severity="info")
        return
    yield Hit(a, b, "标题下缺少主送机关（如“县委、县政府：”）", "在标题后另起一行写主送机关，以全角冒号结尾")


@rule(
    code="M103",
    name="missing-signoff",
    severity="warning",
    category="metadata",
    summary="缺少落款或成文日期",
    why=(
        "按 GB/T 9704-2012，公文末尾应有发文机关署名和用阿拉伯数字书写的成文日期；没有日期也无法判断是否按时报送。"
        "网上公开稿和爬取稿常删去落款，对这类文本只作提示。"
    ),
    bad=_GOOD.replace("\n某县司法局\n2025年1月20日", ""),
    good=_GOOD,
)
def missing_signoff(doc: Document, ctx: Context) -> Iterator[Hit]:
    meta = doc.metadata
    end = len(doc.text)
    last = doc.paragraphs[-1] if doc.paragraphs else (max(0, end - 1), end)
    if not meta.signed_date:
        what = "落款和成文日期" if not meta.signoff_issuer else "成文日期"
        year = (meta.report_year or dt.date.today().year - 1) + 1  # reports are dated early in the next year
        if _published(doc):
            yield Hit(last[0], last[1], f"文末没有{what}；网上公开稿常省略落款，报送稿应写明", severity="info")
            return
        yield Hit(last[0], last[1], f"文末缺少{what}", f"在文末写发文单位名称和成文日期，如“{year}年1月20日”")
    elif not meta.signoff_issuer:
        a, b = meta.signed_date_span or last
        yield Hit(a, b, "成文日期前缺少发文单位署名")
