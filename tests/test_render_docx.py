"""Word comments: every finding becomes a comment anchored on exactly its words, in a copy of
the .docx (through the provenance map) or in a new .docx made from any other format."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from lxml import etree

from fazhi.api import check
from fazhi.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

BODY = [
    "某县司法局关于2024年度法治政府建设情况的报告",
    "县委、县政府：",
    "一、主要举措和成效",
    "全年开展开展法治培训3次，办理行政复议案件12件。",
    "二、存在的不足和原因",
    "培训覆盖面不够，原因是人员少。",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "主要负责人主持专题会议2次。",
    "四、2025年工作安排",
    "完善执法制度，学习《婚姻法》。",
    "某县司法局",
    "2025年1月6日",
]


def anchored(path: Path) -> dict[str, str]:
    """Comment id -> the document text between its range start and end."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    open_ids: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ids[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            cid = el.get(f"{W}id")
            done[cid] = "".join(open_ids.pop(cid))
        elif el.tag == f"{W}t" and el.text:
            for parts in open_ids.values():
                parts.append(el.text)
    assert not open_ids
    return done


def comments(path: Path) -> dict[str, str]:
    d = docx.Document(str(path))
    return {str(c.comment_id): c.text for c in d.comments}


def test_text_report_becomes_a_docx_with_exact_comments(tmp_path):
    review = check("\n".join(BODY))
    assert {f.name for f in review.findings} >= {"duplicated-word", "repealed-law"}
    from fazhi.render import docx as docx_render

    out = tmp_path / "a.docx"
    docx_render.render(review, out)
    texts, spans = comments(out), anchored(out)
    assert len(texts) == len(review.findings) + 1
    summary = next(t for t in texts.values() if t.startswith("fazhi 检查结果"))
    assert f"{review.scores['overall']:g}" in summary
    for f in review.findings:
        cid = next(k for k, t in texts.items() if f.message in t)
        assert spans[cid] == review.document.text[f.start : f.end].replace("\n", "")


def _word_file(tmp_path: Path) -> Path:
    """A .docx as Word writes it: runs split mid-word, formatting, a table, a content control."""
    d = docx.Document()
    for line in BODY[:3]:
        d.add_paragraph(line)
    para = d.add_paragraph()
    for piece in ("全年开展开", "展法治培训3次，", "办理行政复议案件12件。"):
        run = para.add_run(piece)
        run.bold = piece.startswith("展")
    for line in BODY[4:9]:
        d.add_paragraph(line)
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "完善执法制度"
    table.cell(0, 1).text = "学习《婚姻法》。"
    for line in BODY[10:]:
        d.add_paragraph(line)
    path = tmp_path / "报告.docx"
    d.save(str(path))
    return path


def test_word_file_gets_comments_on_the_exact_words(tmp_path):
    src = _word_file(tmp_path)
    review = check(src)
    assert review.error is None
    names = {f.name: f for f in review.findings}
    assert {"duplicated-word", "repealed-law"} <= set(names)
    out = tmp_path / "批注.docx"
    code = main(["check", str(src), "--format", "docx", "-o", str(out)])
    assert code == 1
    texts, spans = comments(out), anchored(out)
    assert len(texts) == len(review.findings) + 1
    by_message = {t.split("\n")[0]: k for k, t in texts.items()}
    dup = by_message[f"【错误】{names['duplicated-word'].message}"]
    assert spans[dup] == "开展开展"  # across two runs of different formatting
    law = by_message[f"【错误】{names['repealed-law'].message}"]
    assert spans[law] == "《婚姻法》"  # inside a table cell
    # the annotated copy reads as the same report: same text, same findings
    again = check(out)
    assert again.document.text == review.document.text
    assert [(f.code, f.start) for f in again.findings] == [(f.code, f.start) for f in review.findings]
    # formatting kept: the bold piece is still bold
    bold = [r.text for p in docx.Document(str(out)).paragraphs for r in p.runs if r.bold]
    assert "".join(bold) == "展法治培训3次，"


def test_text_that_differs_from_the_source_anchors_the_paragraph(tmp_path):
    """A traditional-character original: the normalized words are not in the file, so the
    comment covers their whole paragraph; words the same in both scripts are still exact."""
    import opencc

    s2t = opencc.OpenCC("s2t")
    d = docx.Document()
    for line in BODY:
        d.add_paragraph(s2t.convert(line))
    src = tmp_path / "繁體.docx"
    d.save(str(src))
    review = check(src)
    assert review.document.metadata.script == "traditional"
    dup = next(f for f in review.findings if f.name == "duplicated-word")
    law = next(f for f in review.findings if f.name == "repealed-law")
    out = tmp_path / "out.docx"
    from fazhi.render import docx as docx_render

    docx_render.render(review, out)
    texts, spans = comments(out), anchored(out)
    by_message = {t.split("\n")[0]: k for k, t in texts.items()}
    assert spans[by_message[f"【错误】{dup.message}"]] == s2t.convert(BODY[3])
    assert spans[by_message[f"【错误】{law.message}"]] == "《婚姻法》"


def test_cli_folder_output_and_errors(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    a = tmp_path / "in" / "甲.txt"
    a.write_text("\n".join(BODY), encoding="utf-8")
    (tmp_path / "in" / "乙.docx").write_bytes(b"not a zip")
    out = tmp_path / "out"
    code = main(["check", str(tmp_path / "in"), str(EXAMPLES / "clean_county_justice_2024.txt"), "--format", "docx", "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "乙.docx" in err and "无法读取" in err
    assert sorted(p.name for p in out.iterdir()) == ["clean_county_justice_2024.txt.批注.docx", "甲.txt.批注.docx"]
    code = main(["check", str(a), "--format", "docx"])
    assert code == 2 and "-o" in capsys.readouterr().err
