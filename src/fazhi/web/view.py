"""What the report page shows, computed from the stored REPORT object (the `fazhi check --format
json` contract) only: the text cut into highlighted segments, the parts checklist, labelled
citations and score details."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fazhi.rules import get_rule
from fazhi.vocab import CATEGORIES, CITATION_KIND_LABELS, CITATION_STATUS_LABELS, PART_NAMES, REQUIRED, SEVERITY_LABELS


def rule_title(code: str) -> str:
    """A rule's Chinese title (the code follows it where shown)."""
    rule = get_rule(code)
    return getattr(rule, "title", None) or (rule.summary if rule else code)


@dataclass(slots=True)
class Segment:
    start: int
    text: str
    findings: list[int] = field(default_factory=list)  # indexes into the findings list
    comments: list[int] = field(default_factory=list)  # ids of reviewer comments
    severity: str | None = None


def segments(text: str, findings: list[dict[str, Any]], comments: list[dict[str, Any]] = ()) -> list[list[Segment]]:
    """The text as paragraphs (lines) of segments, cut at every finding and comment boundary; each
    segment knows the findings and comments covering it (overlaps allowed)."""
    cuts = {0, len(text)}
    spans: list[tuple[int, int, str, int]] = []
    for i, f in enumerate(findings):
        a, b = max(0, f["start"]), min(len(text), max(f["end"], f["start"] + 1))
        spans.append((a, b, "f", i))
        cuts.update((a, b))
    for c in comments:
        spans.append((c["start"], c["end"], "c", c["id"]))
        cuts.update((c["start"], c["end"]))
    i = text.find("\n")
    while i >= 0:
        cuts.update((i, i + 1))
        i = text.find("\n", i + 1)
    order = {"error": 0, "warning": 1, "info": 2}
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    lines: list[list[Segment]] = [[]]
    for a, b in zip(points, points[1:]):
        piece = text[a:b]
        if piece == "\n":
            lines.append([])
            continue
        seg = Segment(a, piece)
        for s, e, kind, ref in spans:
            if s < b and e > a:
                (seg.findings if kind == "f" else seg.comments).append(ref)
        if seg.findings:
            seg.severity = min((findings[i]["severity"] for i in seg.findings), key=lambda s: order.get(s, 3))
        lines[-1].append(seg)
    return lines


def parts_checklist(report: dict[str, Any], require_rectification: bool = False) -> list[dict[str, Any]]:
    found = {p["part"] for p in report.get("parts", [])}
    wanted = [*REQUIRED, *(["rectification"] if require_rectification or "rectification" in found else [])]
    return [{"part": p, "label": PART_NAMES[p], "ok": p in found} for p in wanted]


def citations(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**c, "kind_label": CITATION_KIND_LABELS.get(c["kind"], c["kind"]), "status_label": CITATION_STATUS_LABELS.get(c["status"], c["status"])}
        for c in report.get("citations", [])
    ]


def findings(report: dict[str, Any], marks: dict[tuple[str, int], dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, f in enumerate(report.get("findings", [])):
        m = marks.get((f["code"], f["start"]))
        out.append(
            {
                **f,
                "index": i,
                "title": rule_title(f["code"]),
                "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"]),
                "category_label": CATEGORIES.get(f.get("category") or "", f.get("category") or ""),
                "decision": m["decision"] if m else None,
                "reason": m["reason"] if m else None,
                "decided_by": m["user"] if m else None,
            }
        )
    return out
