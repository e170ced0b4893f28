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
