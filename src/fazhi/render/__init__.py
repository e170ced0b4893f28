"""Renderers: the same Reviews as terminal text, JSON or a self-contained HTML page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fazhi.knowledge.describe import KIND_LABELS as CITATION_KIND_LABELS
from fazhi.knowledge.describe import STATUS_LABELS as CITATION_STATUS_LABELS
from fazhi.model import Document, Finding, Review
from fazhi.parse.parts import PART_NAMES, REQUIRED

PART_LABELS = {**PART_NAMES, "head": "标题与开头", "tail": "结尾与落款"}
LEVEL_LABELS = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "township": "乡镇级"}
KIND_LABELS = {"government": "政府", "department": "部门", "party": "党委（党组）"}
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# Why a file could not be read (IngestError and corpus codes), in words; the code may follow.
ERROR_LABELS = {
    "binary": "不是文本文件", "convert-failed": "转换失败", "converter-missing": "缺少转换程序",
    "corrupt": "文件损坏", "corrupt-archive": "压缩包损坏", "empty": "空文件", "encrypted": "已加密",
    "garbled-pdf": "PDF 文字乱码", "internal-error": "内部错误", "is-directory": "是文件夹",
    "nested-archive": "压缩包内的压缩包", "no-text": "没有文字", "not-a-file": "不是普通文件",
    "not-a-report": "不是年度报告", "not-found": "找不到文件", "scanned-pdf": "扫描件 PDF（无文字层）",
    "too-large": "文件过大", "too-long": "文字过长", "too-many-members": "压缩包内文件过多",
    "too-many-pages": "页数过多", "too-many-runs": "Word 格式片段过多", "unreadable": "无法读取",
    "unsafe-path": "压缩包内路径不安全", "unsupported-format": "不支持的格式", "worker-crashed": "处理时程序异常退出",
    "xml-entities": "含有 XML 实体声明", "zip-bomb": "疑似压缩炸弹",
}


def rule_title(code: str, name: str = "") -> str:
    """A rule's Chinese title, from its code or name; the name itself for a rule unknown here."""
    from fazhi.rules import get_rule

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
    from fazhi.extract.coverage import areas, expected_areas

    if review.document is None or review.facts is None:
        return []
    expected = {a.key for a in expected_areas(review.document)}
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
