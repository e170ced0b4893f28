"""`fazhi template`: a skeleton in the standard layout; with --from, last year's items to answer."""

from __future__ import annotations


import pytest

from fazhi.api import check, load
from fazhi.cli import main
from fazhi.template import addressee, comments_of

from .conftest import EXAMPLES

LAST = EXAMPLES / "clean_county_justice_2024.txt"


@pytest.mark.parametrize(
    "unit, expected",
    [("青山县司法局", "县委、县政府："), ("某市某区民政局", "区委、区政府："), ("广州市天河区人民政府", "区委、区人大常委会、广州市人民政府："),
     ("青山县石桥镇人民政府", "县委、县政府："), ("浙江省司法厅", "省委、省政府：")],
)
def test_addressee_by_level_and_kind(unit, expected):
    assert addressee(unit) == expected


def test_template_skeleton(tmp_path):
    out = tmp_path / "模板.docx"
    assert main(["template", "--unit", "青山县司法局", "--year", "2025", "-o", str(out)]) == 0
    review = check(out)
    doc = review.document
    assert doc.metadata.title == "青山县司法局关于2025年度法治政府建设情况的报告"
    assert doc.metadata.addressee == "县委、县政府"
    assert [p.part for p in doc.parts] == ["measures", "shortcomings", "leader_duties", "plan", "other"]
    assert [f.name for f in review.findings if f.category == "format"] == []  # laid out to the standard
    comments = comments_of(out)
    assert any("厅字〔2019〕28号" in c and "行政复议" in c for c in comments)  # 规定 and the 纲要 areas
    assert any("原因" in c for c in comments)


def test_template_from_last_year(tmp_path):
    out = tmp_path / "模板.docx"
    assert main(["template", "--unit", "青山县司法局", "--year", "2025", "--from", str(LAST), "-o", str(out)]) == 0
    last = check(LAST)
    doc = load(out)
    assert [p.part for p in doc.parts][:2] == ["measures", "rectification"]
    comments = "\n".join(comments_of(out))
    assert last.facts.shortcomings and last.facts.plans
    for item in last.facts.shortcomings + last.facts.plans:  # every shortcoming and plan item listed
        assert item.text in comments
    rect = next(p for p in doc.parts if p.part == "rectification")
    assert doc.text[rect.start:rect.end].count("的整改情况") == len(last.facts.shortcomings)
    assert "上年度报告中的数字" in comments and last.facts.quantities[0].text in comments


def test_template_bad_inputs(tmp_path, capsys):
    assert main(["template", "--unit", "某局", "--year", "1999", "-o", str(tmp_path / "a.docx")]) == 2
    assert main(["template", "--unit", "某局", "--year", "2025", "--from", str(tmp_path / "无.docx"),
                 "-o", str(tmp_path / "a.docx")]) == 2  # fmt: skip
    assert "无法读取上年报告" in capsys.readouterr().err
