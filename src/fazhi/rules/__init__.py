"""Rules: check(doc, config) -> [Finding]. One module per family; all register in `registry`."""

from __future__ import annotations

from fazhi import config as _config
from fazhi.config import Config
from fazhi.extract import extract
from fazhi.model import Document, Facts, Finding
from fazhi.rules.registry import REGISTRY, Context, Rule, lookup, matching

_loaded = False


def _load() -> None:
    global _loaded
    if not _loaded:
        from fazhi.rules import (  # noqa: F401
            citations,
            figures,
            header,
            layout,
            numbering,
            punctuation,
            structure,
            substance,
            timeliness,
            typo,
            writing,
        )

        _loaded = True


_SORTED: list[tuple[Rule, ...]] = [()]  # the registry by code, rebuilt when a rule registers


def _by_code() -> tuple[Rule, ...]:
    _load()
    if len(_SORTED[0]) != len(REGISTRY):
        _SORTED[0] = tuple(sorted(REGISTRY.values(), key=lambda r: r.code))
    return _SORTED[0]


def all_rules() -> list[Rule]:
    return list(_by_code())


def get_rule(key: str) -> Rule | None:
    _load()
    return lookup(key)


def rules_matching(key: str) -> set[str] | None:
    """Names of the rules a user's word means (name, code, Chinese title, category or its
    Chinese name); None when it names nothing."""
    _load()
    return matching(key)


def run_rules(doc: Document, config: Config | None = None, facts: Facts | None = None) -> list[Finding]:
    """All enabled rules over one document, findings sorted by position."""
    cfg = config or Config()
    cat = cfg.catalog()
    ctx = Context(cfg, facts if facts is not None else extract(doc, cat), cat)
    findings: list[Finding] = []
    every = cfg.select is None and not cfg.ignore  # then every rule is enabled
    for r in _by_code():
        if every or cfg.enabled(r):
            findings.extend(r.run(doc, ctx))
    findings.sort(key=lambda f: (f.start, f.code))
    return findings


_config.use_rule_lookups(rules_matching, get_rule)

__all__ = ["all_rules", "get_rule", "rules_matching", "run_rules"]
