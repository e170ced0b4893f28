"""The runs of a Word paragraph: finding body paragraphs as the reader counts them, and splitting
runs so that a comment or a tracked change covers exactly some words (used by the comment
renderer, the tracked-change fixes and the layout formatter)."""

from __future__ import annotations

import copy
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# block-level wrappers the reader looks through (fazhi.ingest.docx._Walker.block_wrappers)
WRAPPERS = {f"{W}{t}" for t in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag")}


def body_paragraphs(body: Any) -> list[Any]:
    """Body-level w:p in reading order, as the reader counts them."""
    out: list[Any] = []

    def walk(container: Any) -> None:
        for child in container:
            if child.tag == f"{W}p":
                out.append(child)
            elif child.tag in WRAPPERS:
                walk(child)

    walk(body)
    return out


def simple_run(run: Any) -> bool:
    """A run whose only content is one w:t (plus formatting), so it can be split by offset."""
    kids = [c for c in run._r if c.tag != f"{W}rPr"]
    return len(kids) == 1 and kids[0].tag == f"{W}t"


def split_run(run: Any, k: int) -> Any:
    """Split a simple run after its k-th character; return the new right-hand run."""
    # python-docx loads slowly; only by the commands that read or write Word files
    from docx.text.run import Run

    text = run.text
    right = copy.deepcopy(run._r)
    run._r.addnext(right)
    run.text = text[:k]
    new = Run(right, run._parent)
    new.text = text[k:]
    return new


def cover_text(para: Any, target: str, hint: int) -> list[Any] | None:
    """The runs that cover exactly one occurrence of `target` in the paragraph's direct runs
    (the occurrence nearest `hint`), splitting runs at its edges; None when the paragraph's
    text does not contain it where the edges can be split."""
    runs = list(para.runs)
    texts = [r.text for r in runs]
    joined = "".join(texts)
    if not target:
        return None
    found = []
    i = joined.find(target)
    while i != -1:
        found.append(i)
        i = joined.find(target, i + 1)
    if not found:
        return None
    a = min(found, key=lambda x: abs(x - hint))
    b = a + len(target)
    # locate run index and inner offset of both edges
    bounds = []
    pos = 0
    for idx, t in enumerate(texts):
        bounds.append((pos, pos + len(t), idx))
        pos += len(t)
    first = next(idx for s, e, idx in bounds if s <= a < e)
    last = next(idx for s, e, idx in bounds if s < b <= e)
    fs, ls = bounds[first][0], bounds[last][0]
    if (a > fs and not simple_run(runs[first])) or (b < bounds[last][1] and not simple_run(runs[last])):
        return None
    if b < bounds[last][1]:
        split_run(runs[last], b - ls)
    if a > fs:
        right = split_run(runs[first], a - fs)
        if first == last:
            return [right]
        runs[first] = right
    return runs[first : last + 1]
