"""parse(text) -> Document: lines, paragraphs, sentences, outline, metadata and parts."""

from __future__ import annotations

import re

from fazhi._native import kernel
from fazhi.model import Document, Provenance, RawDocument
from fazhi.parse import metadata as meta_mod
from fazhi.parse.outline import find_headings
from fazhi.parse.parts import find_parts

_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)》]*")
# A whole sentence of a line: up to and with its end marks and closing quotes, or the line's rest.
_SENTENCE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;]+[”’」』）)》]*|[^。！？!?；;\n]+")
_CLOSING = re.compile(r"^特此报告[。.]?$|^此致|^专此报告")
_c = kernel("_load")


def split_lines(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """(the start of every line, the spans of the lines that are not blank)"""
    if _c is not None:
        return _c.split_lines(text)
    starts = [0]
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        if line.strip():
            spans.append((pos, end))
        pos = end + 1
        starts.append(pos)
    starts.pop()
    return starts, spans


def split_sentences(text: str, paragraphs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in paragraphs:
        pos = a
        for m in _SENTENCE_END.finditer(text, a, b):
            out.append((pos, m.end()))
            pos = m.end()
        if pos < b:
            out.append((pos, b))
    return out


def sentences_of_lines(text: str) -> list[tuple[int, int]]:
    """split_sentences(text, lines) when every line of `text` is a paragraph (no blank line): one
    scan of the whole text, a sentence never crossing a line break."""
    if _c is not None:
        return _c.sentences(text)
    return [m.span() for m in _SENTENCE.finditer(text)]


def body_end(text: str, lines: list[tuple[int, int]], signoff_start: int | None) -> int:
    """Where the report body ends: at 特此报告 or the sign-off, else the end of the text."""
    end = len(text) if signoff_start is None else signoff_start
    for a, b in reversed(lines[-8:]):
        if a >= end:
            continue
        if _CLOSING.match(text[a:b].strip()):
            return a
    return end


def parse(
    text: str,
    *,
    fmt: str = "txt",
    path: str | None = None,
    provenance: Provenance | None = None,
    raw: RawDocument | None = None,
    script: str = "simplified",
    notes: list[str] | None = None,
    page: dict[str, str] | None = None,
) -> Document:
    line_starts, lines = split_lines(text)
    doc = Document(
        text=text,
        format=fmt,
        path=path,
        provenance=provenance or Provenance(),
        raw=raw,
        line_starts=line_starts,
        paragraphs=lines,
        notes=list(notes or []),
    )
    # normalized text has no blank line: every line is a paragraph, split in one scan
    doc.sentences = sentences_of_lines(text) if len(lines) == text.count("\n") + 1 else split_sentences(text, lines)
    doc.headings = find_headings(text, lines)
    meta = meta_mod.extract(text, lines, doc.headings, page or {})
    meta.script = script
    doc.metadata = meta
    signoff_start = None
    spans = [s for s in (meta.signoff_span, meta.signed_date_span) if s]
    if spans:
        signoff_start = min(s[0] for s in spans)
    doc.parts = find_parts(text, doc.headings, meta.report_year, body_end(text, lines, signoff_start))
    return doc
