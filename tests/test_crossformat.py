"""The same report as .txt (UTF-8 and GB18030), .docx (typed and Word-generated numbering),
.pdf and .html (simplified and traditional) gives the same text, metadata, parts and findings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.api import check

from .ingest.builders import make_docx, numbering_xml, p
from .ingest.pdf_builders import make_pdf
from .ingest.webpages import gov_page

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REPORTS = ["clean_county_justice_2024.txt", "township_2024_defects.txt"]
_CN_TOP = re.compile(r"^([一二三四五六七八九十]+)、")


def _paragraphs(name: str) -> list[str]:
    return [line.strip() for line in (EXAMPLES / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def _docx_with_word_numbering(paras: list[str]) -> bytes:
    """Top-level headings numbered by Word (一、 generated from numbering.xml, not typed)."""
    numbering = numbering_xml({0: [("chineseCounting", "%1、")]}, {1: 0})
    body = []
    for text in paras:
        m = _CN_TOP.match(text)
        body.append(p(text[m.end():], num=(1, 0)) if m else p(text))
    return make_docx(body, numbering=numbering)


def _variants(name: str, tmp_path: Path) -> dict[str, Path]:
    import opencc
    from docx import Document as WordDocument

    paras = _paragraphs(name)
    text = "\n".join(paras) + "\n"
    files: dict[str, bytes] = {
        "utf8.txt": text.encode("utf-8"),
        "gb18030.txt": text.encode("gb18030"),
        "numbered.docx": _docx_with_word_numbering(paras),
        "report.pdf": make_pdf(paras[1:], title=paras[0], header=None),
        "page.html": gov_page(paras[0], paras[1:], "trs"),
        "traditional.html": gov_page(opencc.OpenCC("s2t").convert(paras[0]), [opencc.OpenCC("s2t").convert(x) for x in paras[1:]], "zoom"),
    }
    out = {}
    for fname, data in files.items():
        path = tmp_path / fname
        path.write_bytes(data)
        out[fname] = path
    word = WordDocument()
    for para in paras:
        word.add_paragraph(para)
    out["typed.docx"] = tmp_path / "typed.docx"
    word.save(out["typed.docx"])
    return out


def _summary(path: Path):
    review = check(path)
    assert review.error is None, (path.name, review.error)
    doc = review.document
    meta = doc.metadata.to_dict()
    meta.pop("script")
    return {
        "text": doc.text,
        "metadata": meta,
        "parts": [p.to_dict() for p in doc.parts],
        # layout (category "format") is a property of a Word file, not of the report's text
        "findings": sorted((f.name, f.start, f.end) for f in review.findings if f.category != "format"),
    }


@pytest.mark.parametrize("name", REPORTS)
def test_same_report_every_format(tmp_path, name):
    variants = _variants(name, tmp_path)
    reference = _summary(variants["utf8.txt"])
    assert reference["metadata"]["report_year"] == 2024
    for label, path in variants.items():
        got = _summary(path)
        assert got["metadata"] == reference["metadata"], label
        assert got["parts"] == reference["parts"], label
        assert got["findings"] == reference["findings"], label
        assert got["text"] == reference["text"], label
    assert check(variants["traditional.html"]).document.metadata.script == "traditional"
