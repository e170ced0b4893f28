"""`fazhi check --fix`: the safe fixes as Word tracked changes (修订), never a silent rewrite.

A fix is a finding of one of FIXABLE with a suggestion: its span is replaced by the suggestion.
On a .docx each fix becomes a w:del of the old text and a w:ins of the new (author "fazhi", the
time of the run), with the finding as a Word comment on the change, on a copy of the file; the
drafter accepts or rejects each in Word's or WPS's 修订 mode. A fix whose text cannot be found
in the paragraph's own runs (a field, a text box, a traditional-character original) is not
applied and is reported. On a .txt the fixed copy is written and a unified diff returned.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from fazhi.ingest.txt import decode
from fazhi.model import Finding, Review
from fazhi.render.docx import AUTHOR, INITIALS, DocxRenderError, SourceAnchors, comment_text
from fazhi.render.runs import W, cover_text

# Rules whose suggestion is a safe replacement of the finding's span.
FIXABLE = ("halfwidth-punctuation", "duplicated-word", "approximate-number", "misnamed-law", "date-format")


@dataclass(slots=True)
class FixResult:
    applied: list[Finding] = field(default_factory=list)
    skipped: list[Finding] = field(default_factory=list)
    diff: str = ""


def fixes(review: Review) -> list[Finding]:
    """The fixable findings, in text order, without overlaps (the first of overlapping ones wins)."""
    doc = review.document
    if doc is None:
        return []
    out: list[Finding] = []
    end = -1
    for f in sorted(review.findings, key=lambda f: (f.start, f.end)):
        if f.name not in FIXABLE or not f.suggestion or f.end <= f.start or f.start < end:
            continue
        if doc.text[f.start:f.end] == f.suggestion or "\n" in doc.text[f.start:f.end]:
            continue
        out.append(f)
        end = f.end
    return out


def fixed_text(text: str, chosen: list[Finding]) -> str:
    """`text` with each chosen finding's span replaced by its suggestion."""
    out, pos = [], 0
    for f in sorted(chosen, key=lambda f: f.start):
        out.append(text[pos:f.start])
        out.append(f.suggestion or "")
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def default_output(path: str | Path) -> Path:
    """原名.修订.docx (or .txt) beside the original."""
    p = Path(path)
    suffix = ".docx" if p.suffix.lower() in (".docx", ".docm") else ".txt"
    return p.with_name(f"{p.stem}.修订{suffix}")


def write(review: Review, out: str | Path, when: dt.datetime | None = None) -> FixResult:
    """Write the fixed copy of one readable review: tracked changes for .docx, text for .txt."""
    if review.document is None:
        raise DocxRenderError("文件无法读取，没有可修订的内容")
    if review.document.format == "docx" and review.path and Path(review.path).suffix.lower() in (".docx", ".docm"):
        try:
            return _write_docx(review, Path(out), when or dt.datetime.now(dt.timezone.utc))
        except DocxRenderError:
            raise
        except Exception as exc:  # a file python-docx reads but cannot change must not show a traceback
            raise DocxRenderError(f"修订时发生内部错误（{type(exc).__name__}），请将文件反馈给开发者") from None
    if review.document.format == "txt" and review.path:
        return _write_txt(review, Path(out))
    raise DocxRenderError("只能修订 Word（.docx）和文本（.txt）文件；其他格式请用 --format docx 查看批注")


def _write_docx(review: Review, out: Path, when: dt.datetime) -> FixResult:
    import docx  # python-docx: loaded only by the commands that write Word files

    doc = review.document
    assert doc is not None and review.path
    try:
        word = docx.Document(review.path)
    except Exception as exc:  # python-docx raises several kinds for a file our reader accepted
        raise DocxRenderError(f"无法用 Word 格式打开原文件（{type(exc).__name__}）") from None
    anchors = SourceAnchors(word, doc)
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    ids = _IdCounter(word.element.body)
    result = FixResult()
    # right to left, so that a change never moves the text of one still to be made
    for f in sorted(fixes(review), key=lambda f: f.start, reverse=True):
        origin = doc.source_of(f.start)
        para = anchors._paragraph(origin)
        target = doc.text[f.start:f.end]
        runs = cover_text(para, target, origin.get("block_offset", 0)) if para is not None and para.runs else None
        if not runs:
            result.skipped.append(f)
            continue
        word.add_comment(runs, comment_text(f), AUTHOR, INITIALS)
        _track(runs, f.suggestion or "", ids, stamp)
        result.applied.append(f)
    result.applied.reverse()
    result.skipped.reverse()
    try:
        word.save(str(out))
    except OSError as exc:
        raise DocxRenderError(f"无法写入 {out}：{exc.strerror or exc}") from None
    return result


class _IdCounter:
    """Fresh w:id values for w:ins / w:del, above any the document already uses."""

    def __init__(self, body: Any):
        used = [int(v) for el in body.iter(f"{W}ins", f"{W}del") if (v := el.get(f"{W}id") or "").isdigit()]
        self.next = max(used, default=0) + 1

    def __call__(self) -> str:
        self.next += 1
        return str(self.next - 1)


def _track(runs: list[Any], replacement: str, ids: _IdCounter, stamp: str) -> None:
    """Wrap `runs` in a w:del and put a w:ins with `replacement` (in the first run's formatting) after it."""
    first = runs[0]._r
    deleted = OxmlElement("w:del")
    inserted = OxmlElement("w:ins")
    for el in (deleted, inserted):
        el.set(qn("w:id"), ids())
        el.set(qn("w:author"), AUTHOR)
        el.set(qn("w:date"), stamp)
    new = OxmlElement("w:r")
    rpr = first.find(qn("w:rPr"))
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = replacement
    new.append(t)
    inserted.append(new)
    first.addprevious(deleted)
    for run in runs:
        deleted.append(run._r)
        for el in run._r.iter(qn("w:t")):
            el.tag = qn("w:delText")
        for el in run._r.iter(qn("w:instrText")):
            el.tag = qn("w:delInstrText")
    deleted.addnext(inserted)


def _write_txt(review: Review, out: Path) -> FixResult:
    """The original text file with the fixes, same line endings, UTF-8 (or its encoding when it can
    hold the result); the unified diff of the change."""
    doc = review.document
    assert doc is not None and doc.raw is not None and review.path
    data = Path(review.path).read_bytes()
    original, encoding = decode(data)
    result = FixResult()
    edits: list[tuple[int, int, str]] = []
    for f in fixes(review):
        block, offset = doc.provenance.locate(f.start)
        target = doc.text[f.start:f.end]
        base = doc.raw.blocks[block].origin.get("offset") if 0 <= block < len(doc.raw.blocks) else None
        pos = None if base is None else base + offset
        if pos is None or original[pos:pos + len(target)] != target:
            result.skipped.append(f)
            continue
        edits.append((pos, pos + len(target), f.suggestion or ""))
        result.applied.append(f)
    fixed = original
    for a, b, new in sorted(edits, reverse=True):
        fixed = fixed[:a] + new + fixed[b:]
    try:
        payload = fixed.encode(encoding if encoding not in ("utf-8-sig",) else "utf-8")
    except (UnicodeEncodeError, LookupError):
        payload = fixed.encode("utf-8")
    try:
        out.write_bytes(payload)
    except OSError as exc:
        raise DocxRenderError(f"无法写入 {out}：{exc.strerror or exc}") from None
    result.diff = "".join(difflib.unified_diff(original.splitlines(keepends=True), fixed.splitlines(keepends=True),
                                               fromfile=str(review.path), tofile=str(out)))
    return result
