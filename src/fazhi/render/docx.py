"""Findings as Word comments, for the drafter who lives in Word.

A .docx report is copied with one comment per finding, anchored on the words the finding is
about: the provenance map gives the Word paragraph (or table cell) and the offset inside it;
the runs there are split so that the comment covers exactly the finding's text. When the text
in the file differs from the normalized text at that place (a traditional-character original,
a field, a tracked change), the comment covers the whole paragraph instead. Any other report
(.txt, .pdf, .html ...) becomes a new .docx of its normalized text, one paragraph per line,
with the comments anchored exactly. The first paragraph carries a summary comment: counts,
score and the parts checklist.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, NamedTuple, Sequence

from fazhi.model import Document, Finding, Review
from fazhi.render import SEVERITY_LABELS, parts_checklist, rule_label, score_summary
from fazhi.render.runs import body_paragraphs, cover_text

AUTHOR = "fazhi"
INITIALS = "FZ"

# Characters XML 1.0 cannot hold (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F):
# shown as their control pictures (␀ ␛ ...) or U+FFFD, one for one, so offsets stay aligned.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < " " else "\ufffd", text)


class DocxRenderError(Exception):
    """The annotated copy could not be written; the message is one line of Chinese."""


def comment_text(f: Finding) -> str:
    text = f"【{SEVERITY_LABELS[f.severity]}】{f.message}"
    if f.suggestion:
        text += f"\n建议：{f.suggestion}"
    return text + f"\n（{rule_label(f.code, f.name)}）"


def summary_text(review: Review, require_rectification: bool = False) -> str:
    doc = review.document
    assert doc is not None
    counts = {s: sum(1 for f in review.findings if f.severity == s) for s in SEVERITY_LABELS}
    lines = ["fazhi 检查结果：" + "，".join(f"{SEVERITY_LABELS[s]} {n}" for s, n in counts.items())]
    if review.components:
        lines.append("得分：" + score_summary(review))
    lines.append("部分：" + "  ".join(("✓ " if ok else "✗ ") + label for _, ok, label in parts_checklist(doc, require_rectification)))
    return "\n".join(lines)


def render(
    review: Review,
    out: str | Path,
    *,
    require_rectification: bool = False,
    notes: Sequence[tuple[int, int, str, str]] = (),
) -> None:
    """Write the annotated .docx for one readable review to `out`. `notes` are further comments
    (start, end, text, author) anchored the same way, e.g. a reviewer's remarks in the workspace."""
    # python-docx loads slowly; only by the commands that read or write Word files
    import docx

    doc = review.document
    if doc is None:
        raise DocxRenderError("文件无法读取，没有可批注的内容")
    if doc.format == "docx" and review.path:
        try:
            word = docx.Document(review.path)
        except Exception as exc:  # python-docx raises several kinds for a file our reader accepted
            raise DocxRenderError(f"无法用 Word 格式打开原文件（{type(exc).__name__}）") from None
        anchors = SourceAnchors(word, doc)
    else:
        word = docx.Document()
        _a4(word)
        anchors = _TextAnchors(word, doc, [*review.findings, *(_Span(a, b) for a, b, _, _ in notes)])
    first = anchors.first_runs()
    if first:
        word.add_comment(first, xml_safe(summary_text(review, require_rectification)), AUTHOR, INITIALS)
    for f in review.findings:
        runs = anchors.runs_for(f)
        if runs:
            word.add_comment(runs, xml_safe(comment_text(f)), AUTHOR, INITIALS)
    for start, end, text, author in notes:
        runs = anchors.runs_for(_Span(start, end))
        if runs:
            word.add_comment(runs, xml_safe(text), author or AUTHOR, (author or INITIALS)[:2])
    try:
        word.save(str(out))
    except OSError as exc:
        raise DocxRenderError(f"无法写入 {out}：{exc.strerror or exc}") from None


def _a4(word: Any) -> None:
    """A4 paper with the margins of GB/T 9704-2012 (python-docx's template is US Letter)."""
    from docx.shared import Mm  # python-docx loads slowly; only when writing Word files

    for section in word.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


class _Span(NamedTuple):
    start: int
    end: int


class _TextAnchors:
    """A new document of the normalized text, one paragraph per line, cut into runs at every
    finding boundary so that each comment covers exactly its span."""

    def __init__(self, word: Any, doc: Document, findings: list[Finding]):
        self.doc = doc
        cuts = {0, len(doc.text)}
        for f in findings:
            cuts.add(f.start)
            cuts.add(max(f.end, f.start + 1))
        self.runs: list[tuple[int, int, Any]] = []  # (start, end, run) in text order
        starts = doc.line_starts or [0]
        for i, a in enumerate(starts):
            b = starts[i + 1] - 1 if i + 1 < len(starts) else len(doc.text)
            para = word.add_paragraph()
            inner = sorted(c for c in cuts if a < c < b)
            for x, y in zip([a, *inner], [*inner, b]):
                if y > x:
                    self.runs.append((x, y, para.add_run(xml_safe(doc.text[x:y]))))

    def first_runs(self) -> list[Any]:
        return [self.runs[0][2]] if self.runs else []

    def runs_for(self, f: Finding) -> list[Any]:
        end = max(f.end, f.start + 1)
        inside = [r for a, b, r in self.runs if a < end and b > f.start]
        if not inside:  # a span on a line break: the run just before it
            before = [r for a, b, r in self.runs if a <= f.start]
            inside = before[-1:]
        return inside


class SourceAnchors:
    """Comments on the original .docx, placed through the provenance map."""

    def __init__(self, word: Any, doc: Document):
        # python-docx loads slowly; only by the commands that read or write Word files
        from docx.text.paragraph import Paragraph

        self.word = word
        self.doc = doc
        body = word.element.body
        self.paragraphs = [Paragraph(p, word._body) for p in body_paragraphs(body)]

    def first_runs(self) -> list[Any]:
        for para in self.paragraphs:
            if para.runs:
                return [para.runs[0]]
        return []

    def _paragraph(self, origin: dict[str, Any]) -> Any | None:
        try:
            if "textbox" in origin:
                return None
            if "table" in origin:
                cell = self.word.tables[origin["table"]].rows[origin["row"]].cells[origin["cell"]]
                return cell.paragraphs[origin.get("paragraph", 0)]
            return self.paragraphs[origin["paragraph"]]
        except (IndexError, KeyError):
            return None

    def runs_for(self, f: Finding) -> list[Any]:
        origin = self.doc.source_of(f.start)
        para = self._paragraph(origin)
        if para is None or not para.runs:
            return self.first_runs()
        target = self.doc.text[f.start : max(f.end, f.start + 1)]
        exact = cover_text(para, target, origin.get("block_offset", 0)) if "\n" not in target else None
        return exact or list(para.runs)
