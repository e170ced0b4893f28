"""`fazhi check --fix`: tracked changes in a copy of the .docx, a fixed copy and a diff for .txt."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from fazhi.api import check, load
from fazhi.cli import main
from fazhi.render.revisions import FIXABLE, default_output, fixed_text, fixes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LINES = [
    "青山县司法局关于2024年度法治政府建设情况的报告",
    "县委、县政府：",
    "2024年,我局认真落实法治政府建设各项任务，现将有关情况报告如下：",
    "一、主要举措和成效",
    "全年开展执法培训18余次，组织学习《行政复议法》和《土地承包法》。",
    "我们认真认真落实了各项任务，做到人人知法、件件有落实。",
    "二、存在的不足和原因",
    "基层执法力量较弱，原因是培训不足。",
    "特此报告。",
    "青山县司法局",
    "2025年01月20日",
]
EXPECTED_FIXED = {
    "2024年，我局": "halfwidth-punctuation",
    "培训18次": "approximate-number",
    "《农村土地承包法》": "misnamed-law",
    "我们认真落实": "duplicated-word",
    "2025年1月20日": "date-format",
}


def _docx(path: Path, lines=LINES) -> Path:
    document = docx.Document()
    for line in lines:
        p = document.add_paragraph()
        half = len(line) // 2  # two runs per paragraph: changes must split and span runs
        p.add_run(line[:half])
        p.add_run(line[half:])
    document.save(str(path))
    return path


def _reject_all(path: Path, out: Path) -> Path:
    """The file with every tracked change rejected: insertions dropped, deletions restored."""
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                for ins in list(root.iter(f"{W}ins")):
                    ins.getparent().remove(ins)
                for dele in list(root.iter(f"{W}del")):
                    for t in dele.iter(f"{W}delText"):
                        t.tag = f"{W}t"
                    parent = dele.getparent()
                    for child in list(dele):
                        dele.addprevious(child)
                    parent.remove(dele)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, data)
    return out


def test_docx_fix_is_tracked_and_reversible(tmp_path):
    src = _docx(tmp_path / "报告.docx")
    review = check(src)
    chosen = fixes(review)
    assert sorted(f.name for f in chosen) == sorted(EXPECTED_FIXED.values())
    assert main(["check", str(src), "--fix"]) == 1  # the report still has errors: exit 1
    out = default_output(src)
    assert out.name == "报告.修订.docx" and out.is_file()
    document = docx.Document(str(out))  # opens in python-docx
    body = document.element.body
    ins, dels = list(body.iter(f"{W}ins")), list(body.iter(f"{W}del"))
    assert len(ins) == len(dels) == len(chosen)
    assert {el.get(f"{W}author") for el in ins + dels} == {"fazhi"}
    assert all(el.get(f"{W}date") for el in ins + dels)
    assert len(list(document.comments)) == len(chosen)
    # accepting every change (what fazhi's reader shows) gives exactly the fixed text
    accepted = load(out).text
    assert accepted == fixed_text(review.document.text, chosen)
    for phrase in EXPECTED_FIXED:
        assert phrase in accepted
    assert "人人知法、件件有落实" in accepted  # legitimate reduplication untouched
    # rejecting every change gives back the original text
    assert load(_reject_all(out, tmp_path / "rejected.docx")).text == review.document.text


def test_fix_output_option_and_nothing_to_fix(tmp_path):
    clean = _docx(tmp_path / "clean.docx", [line.replace("18余次", "18次") for line in LINES[:3]])
    out = tmp_path / "x.docx"
    main(["check", str(clean), "--fix", "-o", str(out)])
    assert out.is_file()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_fixed_docx_opens_in_libreoffice(tmp_path):
    src = _docx(tmp_path / "r.docx")
    out = tmp_path / "r.修订.docx"
    main(["check", str(src), "--fix", "-o", str(out)])
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                               "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=300)  # fmt: skip
    assert done.returncode == 0
    assert (tmp_path / "r.修订.pdf").stat().st_size > 1000


def test_txt_fixed_copy_and_diff(tmp_path, capsys):
    src = tmp_path / "报告.txt"
    src.write_text("\r\n".join(LINES) + "\r\n", encoding="gb18030")
    main(["check", str(src), "--fix"])
    out = tmp_path / "报告.修订.txt"
    fixed = out.read_bytes().decode("gb18030")
    assert "\r\n" in fixed  # line endings kept, encoding kept
    for phrase in EXPECTED_FIXED:
        assert phrase in fixed
    diff = capsys.readouterr().out
    assert diff.startswith("---") and "-2025年01月20日" in diff and "+2025年1月20日" in diff


def test_only_fixable_rules_are_applied(tmp_path):
    review = check(_docx(tmp_path / "r.docx"))
    assert all(f.name in FIXABLE for f in fixes(review))
    assert any(f.name not in FIXABLE for f in review.findings)  # e.g. missing parts: never "fixed"


def test_fix_refuses_other_formats(tmp_path, capsys):
    src = tmp_path / "r.html"
    src.write_text("<html><body>" + "".join(f"<p>{line}</p>" for line in LINES) + "</body></html>", encoding="utf-8")
    assert main(["check", str(src), "--fix"]) == 2
    assert "只能修订" in capsys.readouterr().err


def test_messy_docx_to_laid_out_fixed_report_in_two_commands(tmp_path):
    """`fazhi format` then `fazhi check --fix`: no layout finding left once the changes are
    accepted, and the text fixes are tracked changes on the formatted file."""
    from . import layout_builders as lb

    src = lb.build(tmp_path / "messy.docx", lb.Spec(body_font=lb.SONG, title_size=18, top=25.4, date="2025年01月20日"))
    document = docx.Document(str(src))
    para = next(p for p in document.paragraphs if p.text.startswith("全年开展"))
    para.add_run("另组织培训18余次,覆盖全体执法人员。")
    document.save(str(src))
    formatted = tmp_path / "排版.docx"
    assert main(["format", str(src), "-o", str(formatted)]) == 0
    assert main(["check", str(formatted), "--fix"]) in (0, 1)
    fixed = tmp_path / "排版.修订.docx"
    review = check(fixed)  # the reader shows the changes accepted
    assert [f.name for f in review.findings if f.category == "format"] == []
    assert "2025年1月20日" in review.document.text and "培训18次，覆盖" in review.document.text
    assert len(list(docx.Document(str(fixed)).element.body.iter(f"{W}ins"))) == 3
