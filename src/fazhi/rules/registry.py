"""The rule registry: every rule has a stable code, a kebab-case name, a severity, a category
and its docs (what, why, a failing and a passing example) inside it, as in ruff."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from fazhi.model import SEVERITIES, Document, Facts, Finding

if TYPE_CHECKING:
    from fazhi.knowledge.catalog import Catalog
    from fazhi.config import Config

CATEGORIES = {
    "structure": "结构与要件",
    "metadata": "标题、主送与落款",
    "timeliness": "时效",
    "numbering": "序号",
    "writing": "文字",
    "punctuation": "标点",
    "citations": "引用与表述",
    "figures": "数字",
    "substance": "内容质量",
    "format": "版式",
}


@dataclass(slots=True)
class Hit:
    """What a rule function yields: a span, a Chinese message, and optionally a replacement."""

    start: int
    end: int
    message: str
    suggestion: str | None = None
    severity: str | None = None  # overrides the rule's default for this hit


@dataclass(slots=True)
class Context:
    """What a rule may read besides the Document: the configuration, the extracted Facts and the
    document catalog they were extracted against (the bundled one plus the user's documents)."""

    config: "Config"
    facts: Facts = field(default_factory=Facts)
    catalog: "Catalog | None" = None

    def __post_init__(self) -> None:
        if self.catalog is None:
            self.catalog = self.config.catalog()


RuleFn = Callable[[Document, Context], Iterable[Hit]]


@dataclass(slots=True)
class Rule:
    code: str
    name: str
    severity: str
    category: str
    summary: str  # one line, Chinese
    why: str  # Chinese: what it checks and why it matters
    bad: str  # a text that must produce at least one finding
    good: str  # a text that must produce none
    fn: RuleFn = field(repr=False)

    def run(self, doc: Document, ctx: Context) -> Iterator[Finding]:
        severity = ctx.config.severity_of(self)
        for hit in self.fn(doc, ctx):
            yield Finding(
                code=self.code,
                name=self.name,
                severity=hit.severity if hit.severity and severity == self.severity else severity,
                category=self.category,
                message=hit.message,
                start=hit.start,
                end=hit.end,
                suggestion=hit.suggestion,
            )


REGISTRY: dict[str, Rule] = {}
_NAME = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")


def rule(*, code: str, name: str, severity: str, category: str, summary: str, why: str, bad: str, good: str) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function. Codes and names are unique and never reused."""

    def deco(fn: RuleFn) -> RuleFn:
        if not _NAME.match(name) or not _CODE.match(code):
            raise ValueError(f"bad rule id {code} {name}")
        if severity not in SEVERITIES or category not in CATEGORIES:
            raise ValueError(f"bad severity/category for {name}")
        if name in REGISTRY or any(r.code == code for r in REGISTRY.values()):
            raise ValueError(f"duplicate rule {code} {name}")
        REGISTRY[name] = Rule(code, name, severity, category, summary, why, bad, good, fn)
        return fn

    return deco


def lookup(key: str) -> Rule | None:
    """A rule by name or code (case-insensitive for codes)."""
    if key in REGISTRY:
        return REGISTRY[key]
    for r in REGISTRY.values():
        if r.code.lower() == key.lower():
            return r
    return None
