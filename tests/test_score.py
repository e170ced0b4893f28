"""The score: its shape, and properties under transformations of the fictional examples —
defects lower it, formatting does not move it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fazhi.api import load
from fazhi.extract import extract
from fazhi.parse.parts import REQUIRED
from fazhi.rules import run_rules
from fazhi.score import LABELS, WEIGHTS, explain, score

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FILES = ["clean_county_justice_2024.txt", "city_bureau_2023_gbk.txt", "district_2024_traditional.html", "township_2024_defects.txt"]
_TEXTS: dict[str, str] = {}


def text_of(name: str) -> str:
    """The example's normalized text (every format becomes plain text, simplified)."""
    if name not in _TEXTS:
        _TEXTS[name] = load(EXAMPLES / name).text
    return _TEXTS[name]


def run(text: str):
    doc = load(text)
    facts = extract(doc)
    findings = run_rules(doc, facts=facts)
    return doc, facts, findings


def scored(text: str) -> dict[str, float]:
    return score(*run(text))


# ---------------------------------------------------------------- shape


@pytest.mark.parametrize("name", FILES)
def test_components_are_explained(name):
    doc, facts, findings = run(text_of(name))
    comps = explain(doc, facts, findings)
    assert [c.name for c in comps] == ["compliance", "accuracy", "specificity", "candour", "coverage"]
    assert abs(sum(c.weight for c in comps) - 1) < 1e-9 and {c.name: c.weight for c in comps} == WEIGHTS
    for c in comps:
        assert 0 <= c.value <= 100 and c.label == LABELS[c.name]
        assert re.search(r"[\u4e00-\u9fff]", c.explanation)
        for text, start in c.evidence:
            assert re.search(r"[\u4e00-\u9fff]", text) and 0 <= start <= len(doc.text)
    s = score(doc, facts, findings)
    assert set(s) == {"overall", *WEIGHTS}
    assert s["overall"] == pytest.approx(sum(s[k] * w for k, w in WEIGHTS.items()), abs=0.11)


def test_clean_example_scores_high_and_defects_example_low():
    clean = scored(text_of("clean_county_justice_2024.txt"))
    defects = scored(text_of("township_2024_defects.txt"))
    assert clean["overall"] >= 95 and clean["compliance"] == 100 and clean["accuracy"] == 100
    assert defects["overall"] < clean["overall"] - 20
    assert defects["compliance"] < 50 and defects["accuracy"] < 80


def test_findings_are_evidence():
    doc, facts, findings = run(text_of("township_2024_defects.txt"))
    comps = {c.name: c for c in explain(doc, facts, findings)}
    assert any("第一责任人" in t for t, _ in comps["compliance"].evidence)
    assert any("重复" in t for t, _ in comps["accuracy"].evidence)


def test_missing_shortcomings_and_measures_score_zero():
    text = text_of("clean_county_justice_2024.txt")
    doc = load(text)
    for kind, component in (("shortcomings", "candour"), ("measures", "specificity")):
        part = next(p for p in doc.parts if p.part == kind)
        assert scored(text[:part.start] + text[part.end:])[component] == 0


def test_seed_scores_are_in_range(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        s = scored(load(path).text)
        assert 0 <= s["overall"] <= 100
        assert s["overall"] < scored(text_of("clean_county_justice_2024.txt"))["overall"]


# ---------------------------------------------------------------- defects lower the score


def _removable_parts(name: str):
    """Mandated parts that carry no finding of their own (removing a part that holds defects
    also removes the defects, which may well raise the score)."""
    text = text_of(name)
    doc, _, findings = run(text)
    for part in doc.parts:
        if part.part in REQUIRED and not any(part.start <= f.start < part.end for f in findings):
            yield part


CASES = [(name, p.part) for name in FILES[:3] for p in _removable_parts(name)]


@pytest.mark.parametrize("name,kind", CASES)
def test_removing_a_mandated_part_lowers_the_score(name, kind):
    text = text_of(name)
    part = next(p for p in load(text).parts if p.part == kind)
    before = scored(text)
    after = scored(text[:part.start] + text[part.end:])
    assert after["overall"] < before["overall"]
    assert after["compliance"] < before["compliance"]


def test_there_are_parts_to_remove():
    assert {k for _, k in CASES} == set(REQUIRED)


def _without_figures(text: str) -> str:
    doc = load(text)
    for q in sorted(extract(doc).quantities, key=lambda q: -q.start):
        text = text[:q.start] + text[q.end:]
    return text


@pytest.mark.parametrize("name", FILES)
def test_deleting_all_figures_lowers_the_score(name):
    text = text_of(name)
    before, after = scored(text), scored(_without_figures(text))
    assert after["specificity"] < before["specificity"]
    assert after["overall"] < before["overall"]


def _double_a_word(text: str) -> str:
    m = next(m for m in re.finditer("推进", text) if "推进推进" not in text[m.start() - 2:m.end() + 2])
    return text[:m.end()] + "推进" + text[m.end():]


def _unbalance_a_quote(text: str) -> str:
    doc = load(text)
    measures = next(p for p in doc.parts if p.part == "measures")
    i = text.index("。", measures.start + 40)
    return text[:i] + "“" + text[i:]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("inject", [_double_a_word, _unbalance_a_quote], ids=["doubled-word", "unbalanced-quote"])
def test_injected_errors_lower_the_score(name, inject):
    text = text_of(name)
    before, after = scored(text), scored(inject(text))
    assert after["accuracy"] < before["accuracy"]
    assert after["overall"] < before["overall"]


@pytest.mark.parametrize("name", ["clean_county_justice_2024.txt", "city_bureau_2023_gbk.txt"])
def test_citing_a_repealed_law_lowers_the_score(name):
    text = text_of(name)
    bad = text.replace("《中华人民共和国行政处罚法》", "《中华人民共和国婚姻法》", 1)
    assert bad != text
    doc, _, findings = run(bad)
    at = bad.index("《中华人民共和国婚姻法》")
    assert any(f.name == "repealed-law" and f.start <= at < f.end for f in findings)
    assert scored(bad)["overall"] < scored(text)["overall"]


# ---------------------------------------------------------------- formatting does not move it

INDENTS = ["", "\u3000\u3000", "  ", "\t", "\u3000"]


@pytest.mark.parametrize("name", FILES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_whitespace_and_blank_lines_do_not_change_the_score(name, data):
    text = text_of(name)
    lines = text.split("\n")
    out = []
    for line in lines:
        out.extend([""] * data.draw(st.integers(0, 2)))
        out.append(data.draw(st.sampled_from(INDENTS)) + line + data.draw(st.sampled_from(["", " ", "\u3000", "  "])))
    assert scored("\n".join(out)) == scored(text)


def _soft_wrap(text: str) -> str:
    """Break long body paragraphs after a comma near their middle, as a text export with hard
    line wraps would. Paragraphs holding an inline enumeration (一是……二是……) are left alone: the
    outline reads an enumeration run per paragraph."""
    doc = load(text)
    inline = {doc.text.rfind("\n", 0, h.start) + 1 for h in doc.headings if h.inline}
    out = []
    pos = 0
    for line in text.split("\n"):
        k = line.find("，", len(line) // 2)
        if len(line) > 60 and pos not in inline and k > 0 and not re.match(r"[一二三四五六七八九十\d（(]", line[k + 1:k + 3]):
            out += [line[:k + 1], line[k + 1:]]
        else:
            out.append(line)
        pos += len(line) + 1
    return "\n".join(out)


@pytest.mark.parametrize("name", FILES)
def test_joining_soft_wrapped_lines_does_not_change_the_score(name):
    text = text_of(name)
    wrapped = _soft_wrap(text)
    assert wrapped != text
    assert scored(wrapped) == scored(text)


@pytest.mark.parametrize("name", FILES)
def test_substance_components_ignore_any_soft_wrap(name):
    """Wrapping every long paragraph, enumerations included: the components computed from the
    Facts stay put (the outline-based rules may see a broken enumeration; that is theirs)."""
    text = text_of(name)
    out = []
    for line in text.split("\n"):
        k = line.find("，", len(line) // 2)
        if len(line) > 60 and k > 0 and not re.match(r"[一二三四五六七八九十\d（(]", line[k + 1:k + 3]):
            out += [line[:k + 1], line[k + 1:]]
        else:
            out.append(line)
    before, after = scored(text), scored("\n".join(out))
    for key in ("specificity", "candour", "coverage"):
        assert after[key] == before[key], key


def test_published_copy_is_scored_like_the_authors_file():
    # the web copy drops the 主送 line, the sign-off and the title, and normalises punctuation:
    # hints about the copy, not about the author, so compliance and accuracy stay as they were
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.webcopies import crawl, nfkc

    clean = text_of("clean_county_justice_2024.txt")
    base = scored(clean)
    for variant in (nfkc(clean), crawl(clean)):
        got = scored(variant)
        assert got["compliance"] == base["compliance"] and got["accuracy"] == base["accuracy"]
