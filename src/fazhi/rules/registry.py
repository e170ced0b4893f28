"""The rule registry: every rule has a stable code, a kebab-case name, a severity, a category
and its docs (what, why, a failing and a passing example) inside it, as in ruff."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from fazhi.model import SEVERITIES, Document, Facts, Finding
from fazhi.vocab import CATEGORIES, RULE_TITLES

if TYPE_CHECKING:
    from fazhi.knowledge.catalog import Catalog
    from fazhi.config import Config





def _title_from(summary: str) -> str:
    return re.split(r"[（(，,；;：:]", summary, maxsplit=1)[0][:12]


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
    title: str = ""  # Chinese, short; see fazhi.vocab.RULE_TITLES

    @property
    def label(self) -> str:
        """How a user sees the rule named: its Chinese title, then its code."""
        return f"{self.title} {self.code}"

    def run(self, doc: Document, ctx: Context) -> list[Finding]:
        hits = list(self.fn(doc, ctx))
        if not hits:
            return []  # most rules find nothing in most reports: no severity lookup
        severity = ctx.config.severity_of(self)
        return [
            Finding(
                code=self.code,
                name=self.name,
                severity=hit.severity if hit.severity and severity == self.severity else severity,
                category=self.category,
                message=hit.message,
                start=hit.start,
                end=hit.end,
                suggestion=hit.suggestion,
            )
            for hit in hits
        ]


REGISTRY: dict[str, Rule] = {}
_NAME = re.compile(r"^[a-z]+(?:-[a-z]+)*$")
_CODE = re.compile(r"^[A-Z]{1,3}\d{3}$")


def rule(
    *, code: str, name: str, severity: str, category: str, summary: str, why: str, bad: str, good: str, title: str | None = None
) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function. Codes and names are unique and never reused."""

    def deco(fn: RuleFn) -> RuleFn:
        if not _NAME.match(name) or not _CODE.match(code):
            raise ValueError(f"bad rule id {code} {name}")
        if severity not in SEVERITIES or category not in CATEGORIES:
            raise ValueError(f"bad severity/category for {name}")
        if name in REGISTRY or any(r.code == code for r in REGISTRY.values()):
            raise ValueError(f"duplicate rule {code} {name}")
        REGISTRY[name] = Rule(code, name, severity, category, summary, why, bad, good, fn, title or RULE_TITLES.get(name) or _title_from(summary))
        return fn

    return deco


def lookup(key: str) -> Rule | None:
    """A rule by name, code (case-insensitive) or Chinese title."""
    key = key.strip()
    if key in REGISTRY:
        return REGISTRY[key]
    for r in REGISTRY.values():
        if r.code.lower() == key.lower() or r.title == key:
            return r
    return None


def category_of(key: str) -> str | None:
    """A category key from its key or its Chinese name (结构与要件 -> structure)."""
    key = key.strip()
    if key in CATEGORIES:
        return key
    for k, label in CATEGORIES.items():
        if label == key:
            return k
    return None


def matching(key: str) -> set[str] | None:
    """The names of the rules a user's word means: a rule's name, code or Chinese title, or a
    category's key or Chinese name; None when it means nothing."""
    r = lookup(key)
    if r is not None:
        return {r.name}
    cat = category_of(key)
    if cat is not None:
        return {r.name for r in REGISTRY.values() if r.category == cat}
    return None
