"""The notation the layout rules' examples are written in: a document's layout as text.

"【字体 字号 对齐】文字" is a paragraph with that font, size and alignment ("首行缩进N字" sets the
first-line indent; without an alignment a paragraph is justified and indented two characters);
"【页面】纸张A4 上37 下35 左28 右26 行距29磅" is the page setup; "【页码】字体 字号 位置 文字" a page
number (位置: 居中 居左 居右 外侧). Lines without 【】 are plain text. Used by `fazhi rule` (the
examples are shown as written) and by the rules' tests, so that every layout rule has a failing
and a passing example like every other rule.
"""

from __future__ import annotations

import re

from fazhi.ingest.normalize import normalize
from fazhi.knowledge.layout import spec
from fazhi.model import Block, Document, Layout, PageNumber, PageSetup, ParagraphLayout, RawDocument, RunLayout
from fazhi.parse import parse


_SPEC_LINE = re.compile(r"^【(?P<spec>[^】]*)】(?P<text>.*)$")
_ALIGN_WORDS = {"居中": "center", "左对齐": "left", "居左": "left", "右对齐": "right", "居右": "right", "两端对齐": "justify",
                "外侧": "outside", "内侧": "inside"}  # fmt: skip


def example_raw(text: str) -> RawDocument:
    """A RawDocument from the rules' example notation: "【字体 字号 对齐】文字" lines, a "【页面】"
    line (纸张A4 上37 下35 左28 右26 行距29磅) and a "【页码】" line (字体 字号 位置 文字). Lines
    without 【】 are plain text without layout; without any 【】 line the result is plain text."""
    sp = spec()
    sizes = sp.data["sizes"]
    blocks: list[Block] = []
    layout = Layout()
    has_layout = False
    for i, line in enumerate(text.splitlines()):
        m = _SPEC_LINE.match(line)
        if m is None:
            blocks.append(Block(line, {"line": i + 1}))
            continue
        has_layout = True
        words = m.group("spec").split()
        body = m.group("text")
        if words == ["页面"]:
            page = PageSetup(first_block=0)
            for key, attr in (("上", "top"), ("下", "bottom"), ("左", "left"), ("右", "right")):
                found = re.search(key + r"(\d+(?:\.\d+)?)", body)
                if found:
                    setattr(page, attr, float(found.group(1)))
            if "A4" in body:
                page.width, page.height = 210.0, 297.0
            pitch = re.search(r"行距(\d+(?:\.\d+)?)磅", body)
            if pitch:
                page.line_pitch, page.grid = float(pitch.group(1)), "lines"
            layout.pages.append(page)
            continue
        if words == ["页码"]:
            tokens = body.split()
            font = tokens[0] if tokens else None
            size = float(sizes[tokens[1]]) if len(tokens) > 1 and tokens[1] in sizes else None
            align = _ALIGN_WORDS.get(tokens[2]) if len(tokens) > 2 else None
            shown = " ".join(tokens[3:])
            if align == "outside":
                layout.even_odd = True
                layout.page_numbers.append(PageNumber("default", "right", shown, font, size))
                layout.page_numbers.append(PageNumber("even", "left", shown, font, size))
            else:
                layout.page_numbers.append(PageNumber("default", align, shown, font, size))
            continue
        font = next((w for w in words if w not in sizes and w not in _ALIGN_WORDS and not w.startswith("首行")), None)
        size = next((float(sizes[w]) for w in words if w in sizes), None)
        align = next((_ALIGN_WORDS[w] for w in words if w in _ALIGN_WORDS), None)
        indent = next((float(w[4:-1]) * (size or 16) for w in words if w.startswith("首行缩进") and w.endswith("字")),
                      2 * (size or 16) if align is None else 0.0)
        lay = ParagraphLayout(align=align or "justify", indent_first=indent, indent_left=0.0, indent_right=0.0,
                              runs=[RunLayout(0, len(body), font, None, size)])
        if layout.pages and layout.pages[0].line_pitch:
            lay.line_rule, lay.line = "exact", layout.pages[0].line_pitch
        blocks.append(Block(body, {"paragraph": len(blocks)}, layout=lay))
    return RawDocument("docx" if has_layout else "txt", blocks, layout=layout if has_layout else None)


def example_document(text: str) -> Document:
    """The parsed Document of an example written in the notation of `example_raw`."""
    raw = example_raw(text)
    norm, prov, script, notes = normalize(raw)
    return parse(norm, fmt=raw.format, provenance=prov, raw=raw, script=script, notes=notes)
