"""Renderers: sections, merged parts, highlighting from offsets, escaping."""

from __future__ import annotations

import io

from fazhi.api import check
from fazhi.render import group_by_section, parts_checklist, section_of
from fazhi.render import html as html_render
from fazhi.render import terminal

MERGED = (
    "某县司法局关于2024年度法治政府建设情况的报告\n县委、县政府：\n一、主要举措和成效\n开展开展培训3次。\n"
    "二、存在的问题及下一步打算\n由于人手少，培训不足。\n三、党政主要负责人履行第一责任人职责情况\n正文。\n"
    "某县司法局\n2025年1月2日"
)


def test_merged_parts_are_labelled():
    review = check(MERGED)
    labels = {key: label for key, ok, label in parts_checklist(review.document)}
    assert "合并" in labels["shortcomings"] and "合并" in labels["plan"]
    assert "合并" not in labels["measures"]


def test_findings_grouped_by_the_section_they_fall_in():
    review = check(MERGED)
    groups = dict(group_by_section(review.document, review.findings))
    dup = [f for f in review.findings if f.name == "duplicated-word"][0]
    assert section_of(review.document, dup.start) == "measures"
    assert dup in groups["measures"]


def test_terminal_shows_file_line_col_and_chinese_summary():
    review = check(MERGED)
    buf = io.StringIO()
    terminal.render([review], buf, color=False)
    out = buf.getvalue()
    assert "<文本>:4:1" in out and "duplicated-word" in out
    assert "共 1 份：错误 1" in out


def test_html_marks_exact_spans_and_escapes_everything():
    text = MERGED.replace("正文。", "<b onmouseover=alert(1)>正文</b>。&amp;")
    review = check(text)
    page = html_render.render([review])
    assert "<b onmouseover" not in page and "&lt;b onmouseover=alert(1)&gt;" in page
    assert '<mark class="error"' in page and ">开展开展</mark>" in page
    assert "&amp;amp;" in page


REPEALED = (
    "某县民政局关于2024年度法治政府建设情况的报告\n县委、县政府：\n一、主要举措和成效\n"
    "组织学习《婚姻法》和《中华人民共和国行政复议法》，办理行政复议案件12件，开展培训3次。\n"
    "二、存在的不足和原因\n培训覆盖面不够，原因是人员少。\n三、党政主要负责人履行推进法治建设第一责任人职责情况\n"
    "主要负责人主持专题会议2次。\n四、2025年工作安排\n完善执法制度。\n某县民政局\n2025年1月6日"
)


def test_terminal_shows_score_citations_and_coverage():
    review = check(REPEALED)
    buf = io.StringIO()
    terminal.render([review], buf, color=False)
    out = buf.getvalue()
    assert f"得分：{review.scores['overall']:g}（要件合规" in out
    assert "引用：2 处" in out and "已废止 1" in out
    assert "纲要：涉及应报告的" in out and "未涉及：" in out
    assert "每千字" not in out  # explanations only with explain=True
    buf = io.StringIO()
    terminal.render([review], buf, color=False, explain=True)
    explained = buf.getvalue()
    accuracy = next(c for c in review.components if c.name == "accuracy")
    assert accuracy.explanation in explained
    line = review.document.line_col(accuracy.evidence[0][1])[0]
    assert f"<文本>:{line}  {accuracy.evidence[0][0]}" in explained


def test_html_shows_score_coverage_chart_and_citation_status():
    page = html_render.render([check(REPEALED), check(MERGED)])
    assert page.count('class="overall"') == 2 and page.count('<svg class="coverage"') == 2
    assert '<td class="flag">已废止</td>' in page and "《婚姻法》" in page
    # line anchors are per report, and every link points at an anchor on the page
    import re

    anchors = set(re.findall(r'id="(r\d+L\d+)"', page))
    links = set(re.findall(r'href="#(r\d+L\d+)"', page))
    assert {a[:2] for a in anchors} == {"r0", "r1"} and links <= anchors


def test_batch_page_starts_with_an_overview_linking_every_report(tmp_path):
    import re

    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    reviews = [check(REPEALED), check(MERGED), check(bad)]
    page = html_render.render(reviews)
    overview = page[page.index("<h2>总览</h2>") : page.index('id="report-0"')]
    assert re.findall(r'href="#(report-\d)"', overview) == ["report-0", "report-1", "report-2"]
    assert all(f'id="report-{i}"' in page for i in range(3))
    assert f"<td>{reviews[0].scores['overall']:g}</td>" in overview and "无法读取" in overview
    assert "党政主要负责人" not in overview.split("report-1")[0]  # REPEALED has every part
    assert "<h2>总览</h2>" not in html_render.render(reviews[:1])
