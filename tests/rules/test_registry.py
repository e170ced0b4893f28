"""Every rule is documented, and its own failing and passing examples behave as documented."""

from __future__ import annotations

import re

import pytest

from fazhi.rules import all_rules, get_rule

from .helpers import findings

RULES = all_rules()
REQUIRED_NAMES = {
    "missing-part", "missing-reasons", "part-order", "title-format", "missing-addressee", "missing-signoff",
    "late-report", "year-mismatch", "numbering-sequence", "mixed-numbering", "duplicated-word", "unbalanced-pair",
    "halfwidth-punctuation",
}


def test_required_rules_exist():
    assert REQUIRED_NAMES <= {r.name for r in RULES}


def test_codes_and_names_unique_and_well_formed():
    assert len({r.code for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    for r in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name)
        assert re.fullmatch(r"[A-Z]\d{3}", r.code)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_has_chinese_docs(rule):
    for text in (rule.summary, rule.why):
        assert len(text) >= 8 and re.search(r"[\u4e00-\u9fff]", text), rule.name
    assert rule.bad.strip() and rule.good.strip() and rule.bad != rule.good


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_bad_example_fails(rule):
    found = findings(rule.name, rule.bad)
    assert found, f"{rule.name}: its failing example raised nothing"
    for f in found:
        assert re.search(r"[\u4e00-\u9fff]", f.message)
        assert 0 <= f.start <= f.end


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_good_example_passes(rule):
    found = findings(rule.name, rule.good)
    assert not found, [(f.message) for f in found]


def test_lookup_by_code_and_name():
    assert get_rule("W101").name == "duplicated-word"
    assert get_rule("w101").name == "duplicated-word"
    assert get_rule("duplicated-word").code == "W101"
    assert get_rule("no-such-rule") is None
