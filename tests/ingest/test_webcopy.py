"""Reports as they arrive from the web: crawler headers become page fields, headings run into the
body get their own line, and the same report clean and crawled gives the same metadata, parts and
substantive findings (tests/webcopies.py holds the transformations)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.api import check, load
from fazhi.ingest.normalize import to_simplified
from fazhi.ingest.webcopy import OutlineState, _tokens, run_in_breaks
from fazhi.numerals import cn_to_int
from tests.webcopies import NFKC, TRANSFORMS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SOURCES = sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.html"))

BODY = "2024年，我局认真贯彻落实上级部署，现将有关情况报告如下：\n一、主要举措和成效\n全年办理行政复议案件12件。"


@pytest.mark.parametrize(
    "head,fields",
    [
        ("标题: 某县司法局关于2024年度法治政府建设情况的报告\n发布时间: 2025-03-20 09:30:00\n发布机构: 某县司法局\n"
         "原文链接: http://www.example.gov.cn/art/2025/3/20/art_1.html\n",
         {"title": "某县司法局关于2024年度法治政府建设情况的报告", "published": "2025-03-20", "publisher": "某县司法局",
          "url": "http://www.example.gov.cn/art/2025/3/20/art_1.html"}),
        ("标题：某县司法局关于2024年度法治政府建设情况的报告 发布时间：2025年3月20日 来源：某县人民政府网 ",
         {"title": "某县司法局关于2024年度法治政府建设情况的报告", "published": "2025-03-20", "source": "某县人民政府网"}),
        ("首页 > 政务公开 > 工作报告\n【字体：大 中 小】\nhttps://www.example.gov.cn/a/1.html\n2025-02-10\n",
         {"url": "https://www.example.gov.cn/a/1.html", "published": "2025-02-10"}),
        ("[索引号] 000000/2025-00001\n名 称：某县司法局2024年度法治政府建设情况报告\n发布日期：2025/02/10\n",
         {"title": "某县司法局2024年度法治政府建设情况报告", "published": "2025-02-10"}),
        ("来源：某县司法局    作者：办公室    发布时间：2025-03-12 10:21:33\n【字体：大 中 小】【打印】【关闭】\n",
         {"source": "某县司法局", "published": "2025-03-12"}),
        ("发布时间：2025-03-12 | 来源：某县司法局 | 浏览次数：1024\n", {"published": "2025-03-12", "source": "某县司法局"}),
        ("某县人民政府门户网站\n首页 > 政务公开 > 法治政府建设\n", {}),
        ("【标题】某县司法局关于2024年度法治政府建设情况的报告\n【发布时间】2025-03-20\n",
         {"title": "某县司法局关于2024年度法治政府建设情况的报告", "published": "2025-03-20"}),
        ("Title: 某县司法局关于2024年度法治政府建设情况的报告\nurl: http://www.x.gov.cn/1.html\npublish_time: 2025-03-20\n",
         {"title": "某县司法局关于2024年度法治政府建设情况的报告", "url": "http://www.x.gov.cn/1.html", "published": "2025-03-20"}),
        # a traditional-character mirror: the fields are converted like the text
        ("標題: 某縣司法局關於2024年度法治政府建設情況的報告\n發布時間: 2025-03-20\n",
         {"title": "某县司法局关于2024年度法治政府建设情况的报告", "published": "2025-03-20"}),
    ],
)
def test_page_header_becomes_fields(head, fields):
    doc = load(head + BODY)
    page = dict(doc.metadata.page)
    assert page.pop("header") == to_simplified(head.strip())
    assert page == fields
    assert doc.text.startswith("2024年，我局")
    assert doc.metadata.published_copy


def test_body_without_header_is_untouched():
    doc = load("标题党的问题要重视。\n" + BODY)
    assert doc.metadata.page == {} and doc.text.startswith("标题党")


def test_one_line_crawl_keeps_the_body_offset():
    text = "标题: 某县司法局关于2024年度法治政府建设情况的报告 发布时间: 2025-03-20 原文链接: http://x.gov.cn/1.html " + BODY.replace("\n", "")
    doc = load(text)
    assert doc.metadata.page["url"] == "http://x.gov.cn/1.html"
    assert doc.metadata.page["header"].endswith("原文链接: http://x.gov.cn/1.html")
    assert doc.text.startswith("2024年，我局")
    # provenance leads back to the source line at the right column
    origin = doc.source_of(0)
    assert text[origin["column"] + origin["block_offset"]:].startswith("2024年，我局")


@pytest.mark.parametrize(
    "line",
    [
        "全年筹措资金2.5万元，同比增长1.5%。",
        "依照第1.2条的规定，完成整改。",
        "坚持统一、规范、高效的原则，推进综合执法。",
        "2024年1月、3月各召开1次会议。",
        "实现1、2月份数据同步。",
        "根据第三条（一）项的规定办理。",
        "落实《条例》第十二条。二、三季度完成检查。",
        "本年度为1.深化改革之年。",  # 1. glued to a word where the outline expects 2.
        "办理案件12.5件次。",
    ],
)
def test_ordinary_sentences_are_not_split(line):
    expect = OutlineState()
    run_in_breaks("一、主要举措和成效", expect)
    run_in_breaks("（一）加强学习", expect)
    run_in_breaks("1.深入学习。", expect)
    assert run_in_breaks(line, expect) == []


@pytest.mark.parametrize(
    "line,parts",
    [
        ("（一）强化理论武装，扎实推进法治政府建设1.深入学习贯彻习近平法治思想。2.健全推进机制。",
         ["（一）强化理论武装，扎实推进法治政府建设", "1.深入学习贯彻习近平法治思想。", "2.健全推进机制。"]),
        ("全年办理案件12件。二、存在问题与不足执法制度还不完善，监督还不够有力。",
         ["全年办理案件12件。", "二、存在问题与不足", "执法制度还不完善，监督还不够有力。"]),
        ("工作取得成效。（二）规范执法一是抓制度，二是抓监督。（三）强化监督一是抓整改。",
         ["工作取得成效。", "（二）规范执法一是抓制度，二是抓监督。", "（三）强化监督一是抓整改。"]),
        ("四、2025年工作安排继续加强执法队伍建设，提升执法水平。特此报告。某县司法局2025年1月20日",
         ["四、2025年工作安排", "继续加强执法队伍建设，提升执法水平。", "特此报告。", "某县司法局", "2025年1月20日"]),
    ],
)
def test_run_in_headings_are_split(line, parts):
    expect = OutlineState()
    run_in_breaks("一、主要举措和成效", expect)
    if line.startswith("工作"):
        run_in_breaks("（一）加强学习", expect)
    if line.startswith("四"):
        for head in ("二、不足", "三、履职"):
            run_in_breaks(head, expect)
        line = line + "。" * 0
    cuts = [0, *run_in_breaks(line, expect), len(line)]
    assert [line[a:b] for a, b in zip(cuts, cuts[1:])] == parts


def _substantive(review) -> Counter:
    """Error and warning findings about what the author wrote, keyed by rule and flagged text with
    the punctuation a publishing system changes folded."""
    copy_rules = {"missing-addressee", "missing-signoff", "title-format", "halfwidth-punctuation", "mixed-numbering"}
    doc = review.document
    return Counter(
        # a missing part is anchored on the title, which a copy may not have: keyed by its message
        (f.name, (re.sub(r"\d+", "#", f.message) if f.name == "missing-part" else doc.text[f.start:f.end]).translate(NFKC))
        for f in review.findings
        if f.severity != "info" and f.name not in copy_rules
    )


def _meta(review) -> tuple:
    m = review.document.metadata
    return m.title, m.issuer, m.issuer_level, m.issuer_kind, m.region.to_dict(), m.report_year


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_same_report_clean_and_transformed(source, transform):
    clean_text = load(source).text
    clean = check(clean_text)
    variant = check(TRANSFORMS[transform](clean_text))
    assert [p.part for p in variant.document.parts] == [p.part for p in clean.document.parts]
    if transform == "webcopy":
        # the title and the sign-off are gone: what the body says about the issuer remains
        assert variant.document.metadata.report_year == clean.document.metadata.report_year
        assert variant.document.metadata.issuer_level == clean.document.metadata.issuer_level
    else:
        assert _meta(variant) == _meta(clean)
    lost = _substantive(clean) - _substantive(variant)
    new = _substantive(variant) - _substantive(clean)
    if transform == "webcopy":
        # a late date and a year in the title can only be judged where they are written
        lost -= Counter({k: v for k, v in lost.items() if k[0] in ("late-report", "year-mismatch")})
    assert not new and not lost


@pytest.mark.parametrize("transform", ["nfkc", "crawl", "webcopy"])
def test_web_punctuation_is_one_note(transform):
    clean_text = load(EXAMPLES / "clean_county_justice_2024.txt").text
    review = check(TRANSFORMS[transform](clean_text))
    notes = [f for f in review.findings if f.name == "halfwidth-punctuation"]
    assert len(notes) == 1 and notes[0].severity == "info"
    assert review.document.metadata.web_punctuation > 100 and "半角（共" in notes[0].message


def test_author_halfwidth_is_still_flagged():
    # an author's stray ASCII comma in a full-width text is the author's slip
    review = check(load(EXAMPLES / "township_2024_defects.txt").text)
    assert [f.severity for f in review.findings if f.name == "halfwidth-punctuation"] == ["warning"]
    assert review.document.metadata.web_punctuation == 0


@pytest.mark.parametrize("transform", sorted(set(TRANSFORMS) - {"webcopy"}))
def test_seeds_clean_and_crawled_agree(seeds_dir, transform):
    for path in sorted(seeds_dir.glob("*.txt")):
        clean_text = load(path).text
        clean = check(clean_text)
        variant = check(TRANSFORMS[transform](clean_text))
        assert _meta(variant) == _meta(clean), path.name
        assert [p.part for p in variant.document.parts] == [p.part for p in clean.document.parts], path.name
        assert _substantive(variant) == _substantive(clean), path.name


@pytest.mark.parametrize("layout", ["trs", "table", "sidebar", "zoom", "modern", "flat"])
def test_published_page_with_normalised_punctuation(tmp_path, layout):
    """A government page (six common layouts) holding the report without 主送 and 落款, its
    punctuation normalised by the publishing system: the parts and the issuer are found, and what
    the publishing system did is said once each, as hints."""
    from tests.ingest.webpages import gov_page
    from tests.webcopies import split_report

    title, _, body, _ = split_report(load(EXAMPLES / "clean_county_justice_2024.txt").text)
    page = tmp_path / "report.html"
    page.write_bytes(gov_page("".join(title), [p.translate(NFKC) for p in body], layout))
    review = check(page)
    assert review.document.metadata.issuer == "蒲江县司法局"
    assert [p.part for p in review.document.parts][:4] == ["measures", "shortcomings", "leader_duties", "plan"]
    assert [f for f in review.findings if f.severity != "info"] == []
    assert sorted(f.name for f in review.findings if f.severity == "info") == [
        "halfwidth-punctuation", "missing-addressee", "missing-signoff",
    ]


# --- the one-regex token scan equals the scan from each punctuation mark it replaced

def _tokens_by_trigger(text):
    """The straightforward scan: from every 、 . ． （ ( look back for the numeral before it."""
    cn, digits = "一二三四五六七八九十", "0123456789"
    n = len(text)
    for m in re.finditer(r"[、.．（(]", text):
        i = m.start()
        if text[i] in "（(":
            p = re.compile(rf"[（(][{cn}]{{1,3}}[）)]").match(text, i)
            if p is not None:
                yield ("paren_cn", i, p.end(), cn_to_int(p.group(0)[1:-1]) or 0)
            continue
        j = i
        while j > 0 and text[j - 1] in cn:
            j -= 1
        if j < i:
            if text[i] == "、" and i - j <= 3 and (i + 1 >= n or text[i + 1] not in cn):
                yield ("cn", j, i + 1, cn_to_int(text[j:i]) or 0)
            continue
        while j > 0 and text[j - 1] in digits and i - j < 3:
            j -= 1
        if 0 < i - j <= 2 and (j == 0 or text[j - 1] not in digits + ".．第") and i + 1 < n and "\u4e00" <= text[i + 1] <= "\u9fff":
            yield ("arabic", j, i + 1, int(text[j:i]))


@settings(max_examples=1000, deadline=None)
@given(st.text("一二三四五十、.．（()）0123第年是统规a 。", max_size=40))
def test_tokens_equal_the_scan_from_each_mark(text):
    assert [(t.style, t.start, t.end, t.value) for t in _tokens(text)] == list(_tokens_by_trigger(text))


@pytest.mark.parametrize("text", ["一、二、三、", "统一、规范", "二、三季度", "（一）（十二）", "第1.2条", "2.5万元", "1.深入", "123.法", "十一十、", "(三)1、学习"])
def test_tokens_table(text):
    assert [(t.style, t.start, t.end, t.value) for t in _tokens(text)] == list(_tokens_by_trigger(text))
