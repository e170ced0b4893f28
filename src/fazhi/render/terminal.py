"""Terminal view: per report, metadata, the parts checklist and findings grouped by section,
each as `file:line:col`."""

from __future__ import annotations

from typing import TextIO

from fazhi.model import Review
from fazhi.safetext import printable
from fazhi.render import (
    KIND_LABELS,
    LEVEL_LABELS,
    PART_LABELS,
    SEVERITY_LABELS,
    citation_summary,
    coverage_summary,
    group_by_section,
    parts_checklist,
    region_label,
    rule_title,
    score_summary,
    source_label,
)

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_EVIDENCE_SHOWN = 5


def render(
    reviews: list[Review],
    out: TextIO,
    *,
    color: bool | None = None,
    require_rectification: bool = False,
    explain: bool = False,
) -> None:
    """explain: under the score line, how each component was computed and the evidence, by line."""
    # rich loads slowly; only when printing to a terminal
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, force_terminal=color, no_color=color is False, highlight=False, soft_wrap=True)
    totals = {"error": 0, "warning": 0, "info": 0}
    failed = 0
    for review in reviews:
        name = escape(printable(review.path or "<文本>"))
        if review.error is not None:
            failed += 1
            console.print(f"[bold]{name}[/bold]: [red]无法读取[/red] [{escape(review.error.code)}] {escape(review.error.message)}")
            console.print()
            continue
        doc = review.document
        assert doc is not None
        meta = doc.metadata
        console.print(f"[bold]{name}[/bold]")
        facts = [
            f"标题：{meta.title or '（未识别）'}",
            f"单位：{meta.issuer or '（未识别）'}"
            + (f"（{LEVEL_LABELS.get(meta.issuer_level or '', '')}{KIND_LABELS.get(meta.issuer_kind or '', '')}）" if meta.issuer_level or meta.issuer_kind else ""),
            f"地区：{region_label(doc) or '（未识别）'}",
            f"年度：{meta.report_year or '（未识别）'}",
            f"主送：{meta.addressee or '（无）'}",
            f"成文日期：{meta.signed_date or '（无）'}",
        ]
        if meta.script == "traditional":
            facts.append("原文为繁体，已转为简体")
        console.print("  " + escape(printable("  ".join(facts))))
        checklist = "  ".join(
            ("[green]✓[/green] " if ok else "[red]✗[/red] ") + escape(label) for _, ok, label in parts_checklist(doc, require_rectification)
        )
        console.print("  部分：" + checklist)
        if review.components:
            console.print("  得分：" + escape(score_summary(review)))
            if explain:
                for c in review.components:
                    console.print(f"    [bold]{escape(c.label)} {c.value:g}[/bold]  [dim]{escape(c.explanation)}[/dim]")
                    for text, pos in c.evidence[:_EVIDENCE_SHOWN]:
                        console.print(f"      {name}:{doc.line_col(pos)[0]}  {escape(text)}")
                    if len(c.evidence) > _EVIDENCE_SHOWN:
                        console.print(f"      [dim]……另有 {len(c.evidence) - _EVIDENCE_SHOWN} 条[/dim]")
        console.print("  引用：" + escape(citation_summary(review)))
        coverage = coverage_summary(review)
        if coverage:
            console.print("  纲要：" + escape(coverage))
        if not review.findings:
            console.print("  [green]未发现问题[/green]")
        for section, findings in group_by_section(doc, review.findings):
            console.print(f"  [bold]{escape(PART_LABELS.get(section, section))}[/bold]")
            for f in findings:
                totals[f.severity] += 1
                line, col = doc.line_col(f.start)
                sug = f" → {escape(printable(f.suggestion))}" if f.suggestion else ""
                where = source_label(doc, f.start)
                where = f"（{where}）" if where else ""
                console.print(
                    f"    {name}:{line}:{col}{where}  [{_STYLE[f.severity]}]{SEVERITY_LABELS[f.severity]}[/{_STYLE[f.severity]}] "
                    f"{escape(rule_title(f.code, f.name))} [dim]{f.code} {f.name}[/dim]  {escape(printable(f.message))}{sug}"
                )
        console.print()
    summary = f"共 {len(reviews)} 份：错误 {totals['error']}，警告 {totals['warning']}，提示 {totals['info']}"
    if failed:
        summary += f"，无法读取 {failed} 份"
    console.print(summary)
