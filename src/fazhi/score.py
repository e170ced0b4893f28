"""A report's score: five components of 0–100 and their weighted mean, each with the evidence
that produced it (docs/SCORE.md gives the formulas in Chinese).

compliance   要件合规  the mandated parts, title, addressee, sign-off, deadline (findings)
accuracy     文字准确  slips in wording, punctuation, numbering, citations and figures (findings
                       per thousand characters)
specificity  举措具体  figures and concrete sentences in the measures part, minus self-repetition
candour      问题剖析  the shortcomings part: length, causes, concrete items, rectification
coverage     纲要覆盖  share of the 纲要 areas expected of the issuer that the report mentions

The score reads only the Document, its Facts and the findings, so it is as stable as they are:
re-indenting a report or adding blank lines does not change it.
"""

from __future__ import annotations

from fazhi.hanzi import han_count
from fazhi.knowledge.taxonomy import areas
from fazhi.model import Component, Document, Facts, Finding, scores_of

WEIGHTS = {"compliance": 0.30, "accuracy": 0.20, "specificity": 0.20, "candour": 0.15, "coverage": 0.15}
LABELS = {
    "compliance": "要件合规",
    "accuracy": "文字准确",
    "specificity": "举措具体",
    "candour": "问题剖析",
    "coverage": "纲要覆盖",
}
# Which findings count against which component. Rule categories not listed here (those of rules
# added later, e.g. citations and figures) count against accuracy.
COMPLIANCE_CATEGORIES = {"structure", "metadata", "timeliness"}
SUBSTANCE_ACCURACY = {"near-duplicate-phrase"}
SUBSTANCE_SPECIFICITY = {"self-repetition"}

# compliance: points off per finding
_COMPLIANCE_PENALTY = {"error": 25.0, "warning": 10.0, "info": 3.0}
_MISSING_PART = 40.0  # a mandated part left out is worse than any flaw in a part that is there
# accuracy: weight per finding, points off per weighted finding per 1000 Han characters
_ACCURACY_WEIGHT = {"error": 3.0, "warning": 1.5, "info": 0.5}
_ACCURACY_SLOPE = 10.0
_ACCURACY_MIN_CHARS = 1000
# specificity: figures per 1000 Han characters of the measures part that earn full marks
_FULL_DENSITY = 8.0
_REPETITION_PENALTY = 10.0
# candour: shortcomings length that earns full marks
_FULL_SHORTCOMINGS = 300


def _clamp(x: float) -> float:
    return round(max(0.0, min(100.0, x)), 1)


def _component(name: str, value: float, explanation: str, evidence: list[tuple[str, int]]) -> Component:
    return Component(name, LABELS[name], _clamp(value), WEIGHTS[name], explanation, evidence)


def _body(doc: Document, kind: str) -> list[tuple[int, int]]:
    return [(p.start + len(p.heading or ""), p.end) for p in doc.parts if p.part == kind]


def _han(doc: Document, spans: list[tuple[int, int]]) -> int:
    return sum(han_count(doc.text[a:b]) for a, b in spans)


def _anchor(doc: Document) -> int:
    return doc.metadata.title_span[0] if doc.metadata.title_span else 0


# Hints that describe a published or crawled copy rather than the author's text (no 主送 line, no
# sign-off, the title in the page banner, punctuation normalised by the publishing system): they
# cost nothing.
_COPY_NOTES = {"missing-addressee", "missing-signoff", "title-format", "halfwidth-punctuation"}


def _by_author(doc: Document, findings: list[Finding]) -> list[Finding]:
    if not (doc.metadata.published_copy or doc.format == "html"):
        return findings
    return [f for f in findings if not (f.severity == "info" and f.name in _COPY_NOTES)]


def _compliance(doc: Document, findings: list[Finding]) -> Component:
    hits = [f for f in _by_author(doc, findings) if f.category in COMPLIANCE_CATEGORIES]
    missing = [f for f in hits if f.name == "missing-part" and f.severity == "error"]
    others = [f for f in hits if f.name != "missing-part" or f.severity != "error"]
    off = _MISSING_PART * len(missing) + sum(_COMPLIANCE_PENALTY[f.severity] for f in others)
    counts = {s: sum(1 for f in others if f.severity == s) for s in ("error", "warning", "info")}
    expl = (
        f"100 − 40×{len(missing)}（缺少规定部分）− 25×{counts['error']}（其他错误）− 10×{counts['warning']}（警告）"
        f"− 3×{counts['info']}（提示），计结构、标题主送落款、时效三类问题"
    )
    return _component("compliance", 100 - off, expl, [(f.message, f.start) for f in hits])


def _accuracy(doc: Document, findings: list[Finding]) -> Component:
    hits = [
        f
        for f in _by_author(doc, findings)
        if f.category not in COMPLIANCE_CATEGORIES and (f.category != "substance" or f.name in SUBSTANCE_ACCURACY)
    ]
    weighted = sum(_ACCURACY_WEIGHT[f.severity] for f in hits)
    han = han_count(doc.text)
    chars = max(han, _ACCURACY_MIN_CHARS)
    density = weighted * 1000 / chars
    expl = (
        f"100 − 10 × 每千字加权问题数（错误3、警告1.5、提示0.5）；加权{weighted:g}，全文约{han}字"
        f"（不足1000字按1000字计），每千字{density:.2f}"
    )
    return _component("accuracy", 100 - _ACCURACY_SLOPE * density, expl, [(f.message, f.start) for f in hits])


def _specificity(doc: Document, facts: Facts, findings: list[Finding]) -> Component:
    spans = _body(doc, "measures")
    han = _han(doc, spans)
    if han < 50:
        anchor = _anchor(doc)
        return _component("specificity", 0, "没有“主要举措和成效”部分（或不足50字），记0分", [("缺少主要举措和成效", anchor)])
    if len(spans) == 1:
        a, b = spans[0]
        figures = [q for q in facts.quantities if a <= q.start < b]
    else:
        figures = [q for q in facts.quantities if any(a <= q.start < b for a, b in spans)]
    density = len(figures) * 1000 / han
    f_score = min(1.0, density / _FULL_DENSITY)
    total, vague = facts.measures_sentences, facts.vague_sentences
    c_score = 1 - len(vague) / total if total else 0.0
    repeats = [f for f in findings if f.name in SUBSTANCE_SPECIFICITY]
    off = min(3, len(repeats)) * _REPETITION_PENALTY
    value = 100 * (0.6 * f_score + 0.4 * c_score) - off
    expl = (
        f"100 ×（0.6 × 数字密度分 + 0.4 × 具体句占比）− 10 × 重复（至多3处）；"
        f"主要举措部分约{han}字、{len(figures)}处数字（每千字{density:.1f}处，每千字8处及以上得满分，得{f_score:.2f}），"
        f"{total}句中{total - len(vague)}句具体（{c_score:.2f}），重复{len(repeats)}处"
    )
    evidence = [(f"主要举措部分{len(figures)}处数字", spans[0][0])]
    evidence += [(f"没有具体内容的句子：{doc.text[a:b][:30]}", a) for a, b in vague[:3]]
    evidence += [(f.message, f.start) for f in repeats]
    return _component("specificity", value, expl, evidence)


def _candour(doc: Document, facts: Facts, findings: list[Finding]) -> Component:
    spans = _body(doc, "shortcomings")
    if not spans:
        return _component("candour", 0, "没有“存在的不足和原因”部分，记0分", [("缺少存在的不足和原因", _anchor(doc))])
    han = _han(doc, spans)
    length = min(1.0, han / _FULL_SHORTCOMINGS)
    no_causes = [f for f in findings if f.name == "missing-reasons"]
    causes = 0.0 if no_causes else 1.0
    items = facts.shortcomings
    concrete = [it for it in items if not it.vague]
    share = len(concrete) / len(items) if items else 0.0
    rect = any(p.part == "rectification" for p in doc.parts)
    value = 35 * length + 25 * causes + 25 * share + 15 * rect
    expl = (
        f"35 × 篇幅分（约{han}字，300字及以上满分，得{length:.2f}）+ 25 × 分析了原因（{'是' if causes else '否'}）"
        f"+ 25 × 具体问题占比（{len(concrete)}/{len(items)}）+ 15 × 报告了上年度问题整改（{'是' if rect else '否'}）"
    )
    evidence = [(f"不足部分约{han}字", spans[0][0])]
    evidence += [(f.message, f.start) for f in no_causes]
    evidence += [(f"笼统的不足：{it.text[:30]}", it.start) for it in items if it.vague]
    return _component("candour", value, expl, evidence)


def _coverage(doc: Document, facts: Facts) -> Component:
    wanted = set(facts.expected_areas)
    expected = [a for a in areas() if a.key in wanted]
    basis = "按发文机关的层级和类型"
    if not expected:
        # unknown issuer: judge by what every administrative organ is expected to cover
        expected = [a for a in areas() if "department" in a.expected_levels]
        basis = "发文机关层级或类型不明，按部门的要求"
    covered = [a for a in expected if facts.coverage.get(a.key)]
    value = 100 * len(covered) / len(expected) if expected else 100.0
    expl = f"{basis}，应涉及纲要{len(expected)}个方面，涉及{len(covered)}个"
    evidence = [(f"涉及：{a.name}", facts.coverage[a.key][0]) for a in covered]
    first = doc.parts[0].start if doc.parts else _anchor(doc)
    evidence += [(f"未涉及：{a.name}", first) for a in expected if not facts.coverage.get(a.key)]
    return _component("coverage", value, expl, evidence)


def explain(doc: Document, facts: Facts, findings: list[Finding]) -> list[Component]:
    """The five components with their explanations and evidence."""
    return [
        _compliance(doc, findings),
        _accuracy(doc, findings),
        _specificity(doc, facts, findings),
        _candour(doc, facts, findings),
        _coverage(doc, facts),
    ]


def score(doc: Document, facts: Facts, findings: list[Finding]) -> dict[str, float]:
    """{"overall": 0–100, "compliance": …, "accuracy": …, "specificity": …, "candour": …, "coverage": …}."""
    return scores_of(explain(doc, facts, findings))


__all__ = ["LABELS", "WEIGHTS", "explain", "score"]
