"""Renderers: the same Reviews as terminal text, JSON or a self-contained HTML page."""

from __future__ import annotations

from fazhi.model import Document, Finding
from fazhi.parse.parts import PART_NAMES, REQUIRED

PART_LABELS = {**PART_NAMES, "head": "标题与开头", "tail": "结尾与落款"}
LEVEL_LABELS = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}
KIND_LABELS = {"government": "政府", "department": "部门", "party": "党委（党组）"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def section_of(doc: Document, pos: int) -> str:
    """The part a position falls in: a part key, or "head" before the first part and "tail" after the last."""
    best = None
    for p in doc.parts:
        if p.start <= pos < p.end and (best is None or p.start >= best.start):
            best = p
    if best is not None:
        return best.part
    if doc.parts and pos >= max(p.end for p in doc.parts):
        return "tail"
    return "head"


def group_by_section(doc: Document, findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings grouped by the section they fall in, sections in document order."""
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(section_of(doc, f.start), []).append(f)
    return list(groups.items())


def parts_checklist(doc: Document, require_rectification: bool = False) -> list[tuple[str, bool, str]]:
    """(part key, present, label) for the mandated parts and the optional ones found; the label
    says when a part shares its heading with another."""
    present = {}
    for p in doc.parts:
        present.setdefault(p.part, p)
    keys = list(REQUIRED) + ["rectification", "other"]
    out = []
    for key in keys:
        if key in REQUIRED or key in present or (key == "rectification" and require_rectification):
            label = PART_NAMES[key]
            part = present.get(key)
            if part is not None and part.merged_with:
                label += "（与" + "、".join(PART_NAMES[m] for m in part.merged_with) + "合并）"
            out.append((key, part is not None, label))
    return out


def region_label(doc: Document) -> str:
    r = doc.metadata.region
    names: list[str] = []
    for n in (r.province, r.city, r.county, r.township):
        if n and n not in names:
            names.append(n)
    return "".join(names)


def source_label(doc: Document, pos: int) -> str:
    """Where a position is in the source file, in words a user can find it by: a PDF page, a
    Word paragraph or table cell. Empty for plain text, whose line numbers are already exact."""
    if doc.format in ("txt",) or doc.raw is None:
        return ""
    origin = doc.source_of(pos)
    if "page" in origin:
        return f"第{origin['page']}页"
    if "table" in origin:
        return f"表格{origin['table'] + 1}第{origin.get('row', 0) + 1}行第{origin.get('cell', 0) + 1}列"
    if "paragraph" in origin:
        return f"第{origin['paragraph'] + 1}段"
    return ""
