"""`fazhi format IN.docx -o OUT.docx`: the report re-laid out to GB/T 9704, its text unchanged.

The roles of the paragraphs (title, 主送, headings by level, body, 落款, 成文日期) come from the
outline fazhi parses (fazhi.rules.layout.roles), so the formatting follows the report's structure,
not Word's style names. Tables, images, footnotes, comments and tracked changes are kept: only
run and paragraph properties of the report's own paragraphs, the sections' page setup, the
footers and the font table change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fazhi.api import load
from fazhi.format import word
from fazhi.knowledge.layout import LayoutSpec, spec
from fazhi.model import Document
from fazhi.render.runs import body_paragraphs, simple_run, split_run
from fazhi.rules.layout import roles


class FormatError(Exception):
    """The report could not be re-laid out; the message is one line of Chinese."""


@dataclass(slots=True)
class Formatted:
    paragraphs: int  # paragraphs given a role's formatting
    headings: int


def relayout(source: str | Path, out: str | Path, overrides: dict[str, Any] | None = None) -> Formatted:
    """Write `source` (.docx) re-laid out to `out`."""
    import docx  # python-docx: loaded only by the commands that write Word files

    if Path(source).suffix.lower() not in (".docx", ".docm"):
        raise FormatError("只能重新排版 Word（.docx）文件；其他格式请先另存为 .docx")
    doc = load(source)
    try:
        document = docx.Document(str(source))
    except Exception as exc:  # python-docx raises several kinds for a file our reader accepted
        raise FormatError(f"无法用 Word 格式打开文件（{type(exc).__name__}）") from None
    sp = spec(overrides)
    try:
        result = apply(document, doc, sp)
    except Exception as exc:  # a file python-docx reads but cannot change must not show a traceback
        raise FormatError(f"排版时发生内部错误（{type(exc).__name__}），请将文件反馈给开发者") from None
    try:
        document.save(str(out))
    except OSError as exc:
        raise FormatError(f"无法写入 {out}：{exc.strerror or exc}") from None
    return result


def apply(document: Any, doc: Document, sp: LayoutSpec) -> Formatted:
    """Set page, default style, fonts by role, page numbers and font fallbacks on `document`."""
    # python-docx loads slowly; only by the commands that read or write Word files
    from docx.text.paragraph import Paragraph

    word.set_page(document, sp)
    word.set_default_style(document, sp)
    paragraphs = [Paragraph(p, document._body) for p in body_paragraphs(document.element.body)]
    pitch = word.line_pitch_pt(sp)
    done = headings = 0
    seen: set[int] = set()
    placed_all = roles(doc)
    date_len = next((_width(doc.text[p.start:p.end]) for p in placed_all if p.role == "date"), 0.0)
    for placed in placed_all:
        origin = doc.raw.blocks[placed.block].origin if doc.raw is not None else {}
        index = origin.get("paragraph")
        if "table" in origin or index is None or not 0 <= index < len(paragraphs) or index in seen:
            continue
        seen.add(index)
        para = paragraphs[index]
        role = placed.role
        want = sp.role(role)
        font, size = sp.office_font(want["family"]), want["size_pt"]
        bold = False if role in ("title", "heading1") else None
        spacing = word.char_spacing_pt(sp, size) if role != "title" else None
        for run in word.runs_of(para):
            word.set_run_font(run._r, font, size, bold=bold, spacing_pt=spacing)
        if placed.run_in:
            _format_run_in(para, doc, placed, sp)
            headings += 1
        if role == "title":
            word.set_paragraph(para, "center", size_pt=size, line_pt=word.TITLE_LINE_PT)
        elif role == "addressee":
            word.set_paragraph(para, "left", size_pt=size, line_pt=pitch)
        elif role == "date":
            word.set_paragraph(para, "right", right_chars=4, size_pt=size, line_pt=pitch)
        elif role == "signoff":
            # centred over the date: the date's right space plus half the difference in width
            width = _width(doc.text[placed.start:placed.end])
            right = max(2.0, 4 + (date_len - width) / 2) if date_len else 2.0
            word.set_paragraph(para, "right", right_chars=round(right, 1), size_pt=size, line_pt=pitch)
        else:
            word.set_paragraph(para, "justify", first_chars=2, size_pt=size, line_pt=pitch)
            headings += role.startswith("heading")
        done += 1
    word.set_page_numbers(document, sp)
    word.declare_fallbacks(document, sp)
    return Formatted(done, headings)


def _width(text: str) -> float:
    """Width in characters: Latin letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _format_run_in(para: Any, doc: Document, placed: Any, sp: LayoutSpec) -> None:
    """A heading that runs into its paragraph ("（一）加强领导。正文……"): the heading's runs get
    the heading's font, split off at the heading's end when they run on."""
    h_start, h_end, level = placed.run_in
    want = sp.role(f"heading{level}")
    if want["family"] == sp.role("body")["family"]:
        return
    end = doc.provenance.locate(max(h_end - 1, h_start))[1] + 1  # offset in the block's text
    pos = 0
    for run in word.runs_of(para):
        text = run.text
        if pos >= end:
            break
        if pos + len(text) > end:
            if not simple_run(run) or run._r.getparent() is not para._p:
                break  # cannot split a field or a tracked change: leave the rest as body text
            split_run(run, end - pos)
        word.set_run_font(run._r, sp.office_font(want["family"]), want["size_pt"],
                          spacing_pt=word.char_spacing_pt(sp, want["size_pt"]))
        pos += len(run.text)
