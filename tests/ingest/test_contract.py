"""The contract every reader keeps (as textlint's AST tester does for its plugins): the same short
report, written in each format, comes out as a RawDocument with the same invariants, and its
normalized text maps back to the blocks through the provenance.

- `format` is the reader's format; every block is a Block of kind "p" or "cell", its text one
  line (no newline), its origin a non-empty dict;
- after normalize(): the provenance runs are ordered, lie inside the text and name real blocks,
  each run's source range lies inside its block's text, and every paragraph of the report can be
  found in the text and located in a block holding it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fazhi.ingest import read_bytes, sniff
from fazhi.ingest.normalize import normalize
from fazhi.model import Block, RawDocument
from tests.ingest.builders import make_docx, make_odt

PARAGRAPHS = [
    "某县农业农村局关于2024年度法治政府建设情况的报告",
    "县委、县政府：",
    "一、主要举措和成效",
    "全年办理行政许可事项326件，开展执法检查41次。",
    "二、存在的不足和原因",
    "执法人员培训不足，部分文书说理不充分。",
    "某县农业农村局",
    "2025年1月15日",
]


def _html() -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{PARAGRAPHS[0]}</title></head><body>{body}</body></html>'.encode()


def _pdf() -> bytes:
    pdf_builders = pytest.importorskip("tests.ingest.pdf_builders")
    return pdf_builders.make_pdf(PARAGRAPHS[1:], title=PARAGRAPHS[0], header=None, footer=None)


MAKERS = {
    ".txt": lambda: "\n".join(PARAGRAPHS).encode("utf-8"),
    ".txt (GBK)": lambda: "\r\n".join(PARAGRAPHS).encode("gbk"),
    ".docx": lambda: make_docx(PARAGRAPHS),
    ".odt": lambda: make_odt(PARAGRAPHS),
    ".html": _html,
    ".pdf": _pdf,
}
FORMATS = {".txt": "txt", ".txt (GBK)": "txt", ".docx": "docx", ".odt": "odt", ".html": "html", ".pdf": "pdf"}


def _read(name: str) -> RawDocument:
    data = MAKERS[name]()
    suffix = name.split(" ")[0]
    return read_bytes(data, sniff(data, suffix), suffix)


@pytest.mark.parametrize("name", sorted(MAKERS))
def test_reader_keeps_the_contract(name: str) -> None:
    raw = _read(name)
    assert raw.format == FORMATS[name]
    assert raw.blocks
    for b in raw.blocks:
        assert isinstance(b, Block)
        assert b.kind in ("p", "cell")
        assert "\n" not in b.text
        assert isinstance(b.origin, dict) and b.origin

    text, prov, _script, _notes = normalize(raw)
    assert prov.starts == sorted(prov.starts)
    assert len(prov.starts) == len(prov.blocks) == len(prov.offsets) == len(prov.lengths)
    for start, block, offset, length in zip(prov.starts, prov.blocks, prov.offsets, prov.lengths):
        assert 0 <= start and start + length <= len(text)
        assert 0 <= block < len(raw.blocks)
        assert 0 <= offset and offset + length <= len(raw.blocks[block].text)

    for para in PARAGRAPHS:
        at = text.find(para)
        assert at >= 0, f"{para!r} not in the text read from {name}"
        block, _ = prov.locate(at)
        assert para[:4] in raw.blocks[block].text


def test_a_sample_doc_keeps_the_contract() -> None:
    """The bundled .doc fixture (read by the converter when one is installed)."""
    fixture = Path(__file__).parent / "fixtures" / "sample.doc"
    if not (shutil.which("soffice") or shutil.which("libreoffice") or shutil.which("catdoc") or shutil.which("antiword")):
        pytest.skip("no .doc converter installed")
    data = fixture.read_bytes()
    raw = read_bytes(data, sniff(data, ".doc"), ".doc")
    assert raw.format in ("doc", "docx")
    text, prov, _, _ = normalize(raw)
    assert text.strip()
    assert all(0 <= b < len(raw.blocks) for b in prov.blocks)
