"""The likely-typo kernel (src/fazhi/_native/_typo.c) against the rule's pure-Python paths: the
automaton walk with its per-match checks (_candidates) and the scan for characters that make no
word (_isolated) give the same results on random text of every kind, on the examples and the
seeds, and the rule the same findings; tables the kernel cannot trust are refused."""

from __future__ import annotations

import marshal
from array import array
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from fazhi.rules import typo

from .helpers import findings, report
from .test_typo import FAILS, PASSES, _plain_isolated, _slip_texts, _texts

pytestmark = pytest.mark.skipif(typo._c is None, reason="the _typo kernel is not built here (or FAZHI_PURE is set)")

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"


def _both(text: str) -> None:
    """The kernel's candidates, exact spans and isolated characters equal the pure path's."""
    native, pure = typo._matcher(), typo._pure_matcher()
    assert native.native is not None and pure.native is None
    fast_exact, pure_exact = array("q"), array("q")
    assert list(typo._candidates(text, native, fast_exact)) == list(typo._candidates(text, pure, pure_exact))
    assert fast_exact == pure_exact
    known = typo._bigrams()
    if known is not None:
        fast = typo._native_pairs().isolated(text)
        assert fast == list(typo._isolated(text, known)) == list(_plain_isolated(text, known))


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# any character: Han (the commonest and the rare), punctuation, digits, Latin, the private-use
# sound codes and the pure path's stand-in characters, characters beyond U+FFFF
_ANY = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))
_PIECES = st.sampled_from(
    ["\ue000", "\ue001", "\ue0a0", "\uf8f0", "\uf8f1", "\U00020000", "\U0002a6d6", "𠀀法治", "，", "。", "1", "a", " ", "\n", "政"]
)


@_SETTINGS
@given(st.one_of(_texts(pua=True), _slip_texts(), st.text(_ANY, max_size=60), st.lists(st.one_of(_PIECES, _texts()), max_size=8).map("".join)))
def test_kernel_equals_the_pure_paths_on_random_text(text):
    _both(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "法",
        "法治",
        "凯展",
        "\U00020000",
        "\U00020000凯展\U00020000",
        "依法行正" * 2000,  # a long run of one slip
        "法" * 5000,
        "\U00020000" * 3000 + "再接再励",
        "再接再励" + "\uf8f0" * 100 + "推荐法治政府建设",
        "ａｂｃ１２３，。！再接再厉再接再励",
    ],
    ids=range(11),
)
def test_kernel_equals_the_pure_paths_at_the_edges(text):
    _both(text)


def _texts_on_disk() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "examples").glob("*.txt"))
    if SEEDS.is_dir():
        paths += sorted(SEEDS.glob("*.txt"))
    return [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in paths]


def test_kernel_equals_the_pure_paths_on_examples_and_seeds():
    texts = _texts_on_disk() + [(s, s) for s, _ in FAILS] + [(s, s) for s in PASSES]
    for name, text in texts:
        _both(text)


def test_rule_findings_with_and_without_the_kernel(monkeypatch):
    """The whole rule on the examples, the seeds and the tables' sentences: the same findings."""
    bodies = [text for _, text in _texts_on_disk()] + [report(s) for s, _ in FAILS] + [report(*PASSES)]

    def run() -> list:
        return [[(f.start, f.end, f.message, f.suggestion) for f in findings("likely-typo", b)] for b in bodies]

    fast = run()
    assert any(fast)  # the FAILS sentences are found
    monkeypatch.setattr(typo, "_c", None)
    typo._matcher.cache_clear()
    try:
        assert typo._matcher().native is None
        assert run() == fast
    finally:
        typo._matcher.cache_clear()


# ---------------------------------------------------------------- the tables


def _kept() -> tuple:
    return typo.cached("typotables", typo.sources(), typo._tables)


def test_kept_tables_equal_a_fresh_build():
    kept = _kept()
    assert marshal.loads(marshal.dumps(kept)) == kept == typo._tables()


def _broken(tables: tuple, index: int, row: int, value: int) -> tuple:
    """The tables with int32 number `row` of array `index` set to `value`."""
    a = array("i" if array("i").itemsize == 4 else "l")
    a.frombytes(tables[index])
    a[row] = value
    return tables[:index] + (a.tobytes(),) + tables[index + 1:]


# (array, int32 row, value): map, nodes (edges, key), edges, rows, keys, forms, halves, strings
# and pool, each pointing outside its table, and a key of fewer than three symbols
_NODE = 3
BROKEN = [
    (3, 0, 10**6),  # a character mapped past the symbols
    (4, 0, -5),  # the root's row
    (4, 5 * _NODE + 1, -2),  # a node's edge count
    (4, 7 * _NODE, 10**8),  # a node's first edge
    (4, 0 * _NODE + 2, 0),  # a key on the root
    (4, 1 * _NODE + 2, 0),  # a key one symbol long (node 1 is the root's first child)
    (4, 7 * _NODE + 2, 10**8),
    (5, 1, 0),  # an edge back to the root
    (5, 1, 10**8),
    (6, 3, -1),
    (7, 0, 0),  # a key of length 0
    (7, 1, 10**8),
    (7, 4, 10**8),
    (8, 0, 10**8),
    (9, 2, 9),  # a kind past the five
    (10, 0, 10**8),
    (11, 0, -1),
    (11, 1, 10**8),
    (12, 0, 0x110000),
]


@pytest.mark.parametrize("index,row,value", BROKEN)
def test_broken_tables_are_refused(index, row, value):
    tables = _kept()
    a = array("i" if array("i").itemsize == 4 else "l")
    a.frombytes(tables[index])
    typo._c.Automaton(_broken(tables, index, row, a[row]))  # rewritten as it was: accepted
    with pytest.raises(ValueError):
        typo._c.Automaton(_broken(tables, index, row, value))


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:12],  # an item missing
        lambda t: (t[0] + 1, *t[1:]),  # another format
        lambda t: (*t[:3], t[3][:-2], *t[4:]),  # not a whole number of int32
        lambda t: (*t[:4], t[4][: 3 * 4 * 3 - 4], *t[5:]),  # nodes cut short
        lambda t: (t[0], -1, *t[2:]),
        lambda t: (t[0], t[1], 0, *t[3:]),  # no symbols
        lambda t: (2**64, *t[1:]),  # numbers beyond a C long: refused, not an OverflowError
        lambda t: (t[0], t[1], -(2**70), *t[3:]),
    ],
    ids=["short", "format", "int32", "nodes", "map", "symbols", "huge-format", "huge-symbols"],
)
def test_tables_of_another_shape_are_refused(change):
    with pytest.raises(ValueError):
        typo._c.Automaton(change(_kept()))


def test_wrong_types_are_refused():
    tables = _kept()
    with pytest.raises(TypeError):
        typo._c.Automaton(list(tables))
    with pytest.raises(TypeError):
        typo._c.Automaton((*tables[:5], "text", *tables[6:]))
    with pytest.raises(TypeError):
        typo._matcher().native.scan(b"bytes")
    known = typo._bigrams() or array("Q")
    with pytest.raises(TypeError):
        typo._c.Pairs(known, typo._looked_at_bits()).isolated(b"bytes")
    with pytest.raises(ValueError):
        typo._c.Pairs(known, typo._looked_at_bits()[:-1])
    with pytest.raises(ValueError):
        typo._c.Pairs(b"1234567", typo._looked_at_bits())
    with pytest.raises(ValueError):  # not sorted
        typo._c.Pairs(array("Q", [2, 1]), typo._looked_at_bits())
    with pytest.raises(ValueError):  # not distinct
        typo._c.Pairs(array("Q", [1, 1]), typo._looked_at_bits())


@pytest.mark.parametrize("kept", [("junk",), "huge"], ids=["junk", "huge-numbers"])
def test_unreadable_kept_tables_are_built_afresh(monkeypatch, kept):
    if kept == "huge":  # a damaged cache file once made every report an internal error (OverflowError)
        kept = (2**64, *typo._tables()[1:])
    monkeypatch.setattr(typo, "cached", lambda name, sources, build: kept if name == "typotables" else build())
    typo._matcher.cache_clear()
    try:
        assert typo._matcher().native is not None
        assert [f.suggestion for f in findings("likely-typo", report("我局再接再励，推荐法治政府建设。"))] == ["再接再厉", "推进法治政府建设"]
    finally:
        typo._matcher.cache_clear()


def test_pairs_of_any_characters():
    """isolated() from other pair lists: a few pairs of Han characters and of others (a Latin
    letter, a character beyond U+FFFF), and none."""
    text = "全年凯展咸索揭受，豫灵镇北坪乡开展a凯\U00020000凯展"
    codes = [(ord(a) << 32 | ord(b)) for a, b in ("开展", "线索", "a凯", "凯\U00020000", "\U00020000凯", "受，")]
    for known in (array("Q", sorted(codes)), array("Q", sorted(codes)[:3]), array("Q")):
        fast = typo._c.Pairs(known, typo._looked_at_bits()).isolated(text)
        assert fast == list(typo._isolated(text, known)) == list(_plain_isolated(text, known))


def test_tables_that_cannot_be_built_leave_the_pure_path(monkeypatch):
    """A half whose data disagrees with its term makes _tables() refuse; the rule goes on with
    the pure path and finds the same."""

    def broken():
        raise ValueError("half of …")

    monkeypatch.setattr(typo, "cached", lambda name, sources, build: build())
    monkeypatch.setattr(typo, "_tables", broken)
    typo._matcher.cache_clear()
    try:
        assert typo._matcher().native is None
        assert [f.suggestion for f in findings("likely-typo", report("我局再接再励，推荐法治政府建设。"))] == ["再接再厉", "推进法治政府建设"]
    finally:
        typo._matcher.cache_clear()


def test_unsorted_pairs_leave_the_pure_scan(monkeypatch):
    monkeypatch.setattr(typo, "_bigrams", lambda: array("Q", [2, 1]))
    typo._native_pairs.cache_clear()
    try:
        assert typo._native_pairs() is None
        assert list(typo._nonword_slips("全年凯展咸索")) == []
    finally:
        typo._native_pairs.cache_clear()


def _ints(raw: bytes) -> array:
    a = array("i" if array("i").itemsize == 4 else "l")
    a.frombytes(raw)
    return a


def _sparse_nodes(tables: tuple) -> list[tuple[int, int]]:
    """(node, its first edge) of the non-root nodes stored with an edge list."""
    nodes = _ints(tables[4])
    return [(u, nodes[u * _NODE]) for u in range(1, len(nodes) // _NODE) if nodes[u * _NODE + 1] > 0]


@pytest.mark.parametrize("shape", ["cycle", "two-parents", "key-length"])
def test_tables_that_are_not_a_tree_are_refused(shape):
    """Kept tables are read from the cache folder: a damaged or crafted file with a cycle (a scan
    that took minutes), a node shared by two parents (2 GB to build the filter) or a key away
    from its depth is refused, and the rule builds its tables afresh."""
    tables = _kept()
    sparse = _sparse_nodes(tables)
    if shape == "cycle":  # a node's edge back to itself
        u, e = sparse[0]
        broken = _broken(tables, 5, 2 * e + 1, u)
    elif shape == "two-parents":  # a second node's first edge to the first one's child
        (_, e1), (_, e2) = sparse[0], sparse[1]
        broken = _broken(tables, 5, 2 * e2 + 1, _ints(tables[5])[2 * e1 + 1])
    else:
        broken = _broken(tables, 7, 0, _ints(tables[7])[0] + 1)
    with pytest.raises(ValueError):
        typo._c.Automaton(broken)
