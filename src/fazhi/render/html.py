"""A self-contained, offline HTML page: each report's text with findings highlighted, the parts
checklist and the findings list. All report text is escaped; no scripts or external resources."""

from __future__ import annotations

from html import escape

from fazhi.version import __version__
from fazhi.model import Document, Finding, Review
from fazhi.render import (
    rule_label,
    rule_title,
    CITATION_KIND_LABELS,
    CITATION_STATUS_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    PART_LABELS,
    SEVERITY_LABELS,
    coverage_rows,
    group_by_section,
    parts_checklist,
    region_label,
)

_CSS = """
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","SimSun","仿宋",serif;margin:0;background:#f4f4f2;color:#222}
header.top{background:#8b1a1a;color:#fff;padding:12px 24px;font-size:18px}
section.report{background:#fff;margin:20px auto;max-width:1100px;padding:20px 28px;box-shadow:0 1px 3px #0002}
h2{font-size:20px;margin:0 0 8px}
table.meta{border-collapse:collapse;margin:8px 0;font-size:14px}
table.meta td{border:1px solid #ddd;padding:3px 8px}
table.meta td:first-child{background:#fafafa;color:#555;white-space:nowrap}
ul.parts{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:8px;font-size:14px}
ul.parts li{padding:2px 10px;border-radius:12px}
li.ok{background:#e6f4ea;color:#1e6b34} li.missing{background:#fde8e8;color:#a61b1b}
.findings{font-size:14px} .findings h4{margin:10px 0 4px}
.findings li{margin:2px 0}
.sev{display:inline-block;min-width:3em;text-align:center;border-radius:3px;color:#fff;font-size:12px;padding:0 4px}
.sev.error{background:#c62828}.sev.warning{background:#e69500}.sev.info{background:#1976d2}
.code{color:#777;font-family:monospace}
.text{border-top:1px solid #ddd;margin-top:14px;padding-top:10px;line-height:1.9;font-size:16px}
.text p{margin:0 0 4px;text-indent:2em} .text p.h{text-indent:0;font-weight:bold}
mark{background:none;border-bottom:2px solid;padding:0 1px}
mark.error{border-color:#c62828;background:#fde8e8} mark.warning{border-color:#e69500;background:#fff4dc} mark.info{border-color:#1976d2;background:#e3f0fd}
.error-box{color:#a61b1b}
footer{color:#888;font-size:12px;text-align:center;padding:12px}
details{margin:10px 0;font-size:14px} summary{cursor:pointer;font-weight:bold}
table.score,table.cites{border-collapse:collapse;font-size:14px;margin:6px 0}
table.score td,table.cites td,table.cites th{border-bottom:1px solid #eee;padding:3px 8px;vertical-align:top}
.bar{display:inline-block;height:10px;background:#8b1a1a;vertical-align:middle}
.overall{font-size:22px;font-weight:bold;color:#8b1a1a}
.expl{color:#555} .evid{margin:2px 0 0;padding-left:18px;color:#444}
td.flag{color:#a61b1b;font-weight:bold}
svg.coverage text{font-size:12px;font-family:inherit}
"""
_EVIDENCE_SHOWN = 8
_FLAGGED = {"repealed", "renamed"}
_RANK = {"error": 0, "warning": 1, "info": 2}


def _highlighted(doc: Document, findings: list[Finding], ids: dict[int, str], index: int) -> str:
    """The text as paragraphs, with <mark> elements over every finding's span."""
    text = doc.text
    bounds = {0, len(text)}
    for f in findings:
        bounds.add(max(0, min(f.start, len(text))))
        bounds.add(max(0, min(max(f.end, f.start + 1), len(text))))
    for a, _ in doc.paragraphs:
        bounds.add(a)
    cuts = sorted(bounds)
    heading_lines = {doc.line_col(h.start)[0] for h in doc.headings if not h.inline and h.level <= 2}
    out: list[str] = []
    para_of = {a: b for a, b in doc.paragraphs}
    open_para = False
    for a, b in zip(cuts, cuts[1:]):
        if a in para_of:
            if open_para:
                out.append("</p>")
            line = doc.line_col(a)[0]
            out.append(f'<p id="r{index}L{line}" class="{"h" if line in heading_lines else ""}">')
            open_para = True
        chunk = text[a:b].replace("\n", "")
        if not chunk:
            continue
        covering = [f for f in findings if f.start <= a and max(f.end, f.start + 1) >= b]
        if covering:
            worst = min(covering, key=lambda f: _RANK[f.severity])
            tip = "\n".join(f"[{rule_label(f.code, f.name)}] {f.message}" for f in covering)
            anchor = "".join(f' data-f="{ids[id(f)]}"' for f in covering[:1])
            out.append(f'<mark class="{worst.severity}" title="{escape(tip)}"{anchor} id="{ids[id(covering[0])]}-{a}">{escape(chunk)}</mark>')
        else:
            out.append(escape(chunk))
    if open_para:
        out.append("</p>")
    return "".join(out)


def _line_link(doc: Document, pos: int, index: int) -> str:
    """A link to the line of report number `index` (ids are per report: one page holds many)."""
    line = doc.line_col(pos)[0]
    return f'<a href="#r{index}L{line}">第{line}行</a>'


def _score(review: Review, index: int) -> str:
    """The overall score, then each component with a bar, its explanation and its evidence."""
    doc = review.document
    assert doc is not None
    rows = []
    for c in review.components:
        evidence = "".join(f"<li>{_line_link(doc, pos, index)} {escape(text)}</li>" for text, pos in c.evidence[:_EVIDENCE_SHOWN])
        if len(c.evidence) > _EVIDENCE_SHOWN:
            evidence += f"<li>……另有 {len(c.evidence) - _EVIDENCE_SHOWN} 条</li>"
        rows.append(
            f"<tr><td>{escape(c.label)}（权重 {c.weight:g}）</td>"
            f'<td><span class="bar" style="width:{c.value:.0f}px"></span> {c.value:g}</td>'
            f'<td><div class="expl">{escape(c.explanation)}</div><ul class="evid">{evidence}</ul></td></tr>'
        )
    return (
        f'<details open><summary>得分 <span class="overall">{review.scores["overall"]:g}</span> / 100</summary>'
        f'<table class="score">{"".join(rows)}</table></details>'
    )


def _coverage_chart(review: Review) -> str:
    """An inline SVG bar chart: mentions per 纲要 area; grey rows are not expected of this issuer,
    red labels are expected but missing."""
    rows = coverage_rows(review)
    if not rows:
        return ""
    label_w, bar_w, row_h = 300, 360, 20
    most = max((r.mentions for r in rows), default=0) or 1
    items = []
    for i, r in enumerate(rows):
        y = i * row_h
        colour = "#8b1a1a" if r.expected else "#bbb"
        label_colour = "#a61b1b" if r.expected and not r.mentions else "#222"
        note = "（未涉及）" if r.expected and not r.mentions else ("" if r.expected else "（不要求）")
        width = bar_w * r.mentions / most
        items.append(
            f'<text x="0" y="{y + 14}" fill="{label_colour}">{escape(r.name + note)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{width:.1f}" height="12" fill="{colour}"></rect>'
            f'<text x="{label_w + width + 4:.1f}" y="{y + 14}" fill="#555">{r.mentions}</text>'
        )
    height = row_h * len(rows)
    return (
        f"<details open><summary>纲要覆盖（各方面提及次数）</summary>"
        f'<svg class="coverage" width="{label_w + bar_w + 40}" height="{height}" '
        f'role="img" aria-label="纲要覆盖">{"".join(items)}</svg></details>'
    )


def _citations(review: Review, index: int) -> str:
    doc = review.document
    cites = review.facts.citations if review.facts else []
    if doc is None or not cites:
        return ""
    rows = "".join(
        f"<tr><td>{_line_link(doc, c.start, index)}</td><td>{escape(c.text)}</td><td>{escape(c.canonical or '')}</td>"
        f"<td>{escape(CITATION_KIND_LABELS.get(c.kind, c.kind))}</td>"
        f'<td class="{"flag" if c.status in _FLAGGED else ""}">{escape(CITATION_STATUS_LABELS.get(c.status, c.status))}</td></tr>'
        for c in cites
    )
    return (
        f"<details><summary>引用的文件（{len(cites)} 处）</summary><table class=\"cites\">"
        f"<tr><th>位置</th><th>原文</th><th>规范名称</th><th>类别</th><th>状态</th></tr>{rows}</table></details>"
    )


def _report(review: Review, index: int, require_rectification: bool) -> str:
    title = escape(review.path or "<文本>")
    if review.error is not None:
        return (
            f'<section class="report" id="report-{index}"><h2>{title}</h2>'
            f'<p class="error-box">无法读取：[{escape(review.error.code)}] {escape(review.error.message)}</p></section>'
        )
    doc = review.document
    assert doc is not None
    m = doc.metadata
    rows = [
        ("标题", m.title or "（未识别）"),
        ("发文单位", (m.issuer or "（未识别）") + (f"（{LEVEL_LABELS.get(m.issuer_level or '', '')}{KIND_LABELS.get(m.issuer_kind or '', '')}）" if m.issuer_level else "")),
        ("地区", region_label(doc) or "（未识别）"),
        ("报告年度", str(m.report_year or "（未识别）")),
        ("主送机关", m.addressee or "（无）"),
        ("落款", m.signoff_issuer or "（无）"),
        ("成文日期", m.signed_date or "（无）"),
        ("字数", str(m.chars)),
    ]
    if m.script == "traditional":
        rows.append(("字形", "原文为繁体，已转为简体"))
    meta = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
    parts = "".join(
        f'<li class="{"ok" if ok else "missing"}">{"✓" if ok else "✗"} {escape(label)}</li>'
        for _, ok, label in parts_checklist(doc, require_rectification)
    )
    ids = {id(f): f"r{index}f{i}" for i, f in enumerate(review.findings)}
    groups = []
    for section, fs in group_by_section(doc, review.findings):
        items = []
        for f in fs:
            line, col = doc.line_col(f.start)
            sug = f" → {escape(f.suggestion)}" if f.suggestion else ""
            items.append(
                f'<li><span class="sev {f.severity}">{SEVERITY_LABELS[f.severity]}</span> '
                f'<b>{escape(rule_title(f.code, f.name))}</b> '
                f'<a href="#r{index}L{line}">第{line}行第{col}列</a> {escape(f.message)}{sug} '
                f'<span class="code">{escape(f.code)} {escape(f.name)}</span></li>'
            )
        groups.append(f"<h4>{escape(PART_LABELS.get(section, section))}</h4><ul>{''.join(items)}</ul>")
    counts = {s: sum(1 for f in review.findings if f.severity == s) for s in _RANK}
    summary = "，".join(f"{SEVERITY_LABELS[s]} {n}" for s, n in counts.items())
    findings_html = "".join(groups) or "<p>未发现问题。</p>"
    return (
        f'<section class="report" id="report-{index}"><h2>{escape(m.title or review.path or "")}</h2>'
        f'<div class="path code">{title}</div><table class="meta">{meta}</table>'
        f'<ul class="parts">{parts}</ul>'
        f"{_score(review, index) if review.components else ''}{_coverage_chart(review)}{_citations(review, index)}"
        f'<div class="findings"><strong>发现：{summary}</strong>{findings_html}</div>'
        f'<div class="text">{_highlighted(doc, review.findings, ids, index)}</div></section>'
    )


def _overview(reviews: list[Review], require_rectification: bool) -> str:
    """For a batch: one row per report (issuer, year, score, counts, missing parts), linked to it."""
    rows = []
    for i, r in enumerate(reviews):
        name = escape(r.path or "<文本>")
        if r.error is not None or r.document is None:
            rows.append(f'<tr><td><a href="#report-{i}">{name}</a></td><td colspan="7" class="flag">无法读取：{escape(r.error.message if r.error else "")}</td></tr>')
            continue
        m = r.document.metadata
        counts = [sum(1 for f in r.findings if f.severity == s) for s in _RANK]
        missing = "、".join(label for _, ok, label in parts_checklist(r.document, require_rectification) if not ok)
        score = f"{r.scores['overall']:g}" if r.components else ""
        rows.append(
            f'<tr><td><a href="#report-{i}">{name}</a></td><td>{escape(m.issuer or "")}</td><td>{m.report_year or ""}</td>'
            f"<td>{score}</td>" + "".join(f"<td>{n}</td>" for n in counts) + f'<td class="flag">{escape(missing)}</td></tr>'
        )
    head = "".join(f"<th>{h}</th>" for h in ("文件", "发文单位", "年度", "得分", "错误", "警告", "提示", "缺少的部分"))
    return f'<section class="report"><h2>总览</h2><table class="cites"><tr>{head}</tr>{"".join(rows)}</table></section>'


def render(reviews: list[Review], *, require_rectification: bool = False) -> str:
    body = "".join(_report(r, i, require_rectification) for i, r in enumerate(reviews))
    if len(reviews) > 1:
        body = _overview(reviews, require_rectification) + body
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>法治政府建设年度报告检查结果</title><style>{_CSS}</style></head><body>"
        f'<header class="top">法治政府建设年度报告检查结果（共 {len(reviews)} 份）</header>{body}'
        f"<footer>由 fazhi {escape(__version__)} 生成，离线可用</footer></body></html>"
    )
