"""Renderers: the same Reviews as terminal text, JSON or a self-contained HTML page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fazhi.knowledge.taxonomy import areas
from fazhi.model import Document, Finding, Review
from fazhi.vocab import (  # noqa: F401 (the labels the renderers share)
    CITATION_KIND_LABELS,
    CITATION_STATUS_LABELS,
    ERROR_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    PART_LABELS,
    PART_NAMES,
    REQUIRED,
    SEVERITY_LABELS,
)
from fazhi.rules import get_rule



def rule_title(code: str, name: str = "") -> str:
    """A rule's Chinese title, from its code or name; the name itself for a rule unknown here."""
    rule = get_rule(code) or (get_rule(name) if name else None)
    return rule.title if rule is not None else (name or code)


def rule_label(code: str, name: str = "") -> str:
    """How a rule is named to users: its Chinese title, then its code (字词误重复 W101; Rule.label)."""
    return f"{rule_title(code, name)} {code}"


def error_label(code: str) -> str:
    """A read failure's reason in Chinese, its code after it: 文件损坏（corrupt）."""
    label = ERROR_LABELS.get(code)
    return f"{label}（{code}）" if label else code


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


# statuses worth a reader's attention, in the order the summary lists them
_FLAGGED_STATUSES = ("repealed", "renamed")


def citation_summary(review: Review) -> str:
    """One line: how many documents are cited, by kind, and how many are no longer current."""
    cites = review.facts.citations if review.facts else []
    if not cites:
        return "没有引用文件"
    kinds = Counter(c.kind for c in cites)
    text = f"{len(cites)} 处（" + "、".join(f"{CITATION_KIND_LABELS.get(k, k)} {n}" for k, n in kinds.most_common()) + "）"
    statuses = Counter(c.status for c in cites)
    flagged = [f"{CITATION_STATUS_LABELS[s]} {statuses[s]}" for s in _FLAGGED_STATUSES if statuses[s]]
    return text + ("；其中" + "、".join(flagged) if flagged else "")


@dataclass(slots=True)
class CoverageRow:
    key: str
    name: str
    expected: bool  # expected of a report at this issuer's level and kind
    mentions: int
    first: int | None  # offset of the first mention


def coverage_rows(review: Review) -> list[CoverageRow]:
    """Every 纲要 area with whether the issuer is expected to cover it and how often the report does."""
    if review.document is None or review.facts is None:
        return []
    expected = set(review.facts.expected_areas)
    rows = []
    for a in areas():
        hits = review.facts.coverage.get(a.key) or []
        rows.append(CoverageRow(a.key, a.name, a.key in expected, len(hits), hits[0] if hits else None))
    return rows


def coverage_summary(review: Review) -> str:
    rows = [r for r in coverage_rows(review) if r.expected]
    if not rows:
        return ""
    missing = [r.name for r in rows if not r.mentions]
    text = f"涉及应报告的 {len(rows) - len(missing)}/{len(rows)} 个方面"
    return text + ("；未涉及：" + "、".join(missing) if missing else "")


def score_summary(review: Review) -> str:
    if not review.components:
        return ""
    parts = " · ".join(f"{c.label} {c.value:g}" for c in review.components)
    return f"{review.scores['overall']:g}（{parts}）"
