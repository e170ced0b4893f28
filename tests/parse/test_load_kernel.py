"""The compiled load kernel (src/fazhi/_native/_load.c) against the pure-Python paths it
replaces in fazhi.parse: the same lines, sentences and outline rows on random text (empty,
non-Han, punctuation, digits of every script, characters beyond U+FFFF, long runs) and the same
whole Document for the seeds and the examples."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fazhi.api import load
from fazhi.ingest import normalize as normalize_mod
from fazhi.ingest import txt, webcopy
from fazhi.parse import document, outline

C = outline._c
needs_kernel = pytest.mark.skipif(C is None, reason="the _load kernel is not built here (or FAZHI_PURE is set)")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Characters the load stage's scans react to, mixed with ordinary ones: numerals and their marks,
# digits of other scripts (full-width, Arabic-Indic, mathematical beyond U+FFFF), every kind of
# space, line breaks, circled numbers, closers, and Han and non-Han text.
_ALPHABET = (
    list("一二三四五六七八九十是否非第条款项年月日号、，,．.。！？!?；;：:（()）”’」』》“《【】①②⑳")
    + list("0123456789１２３١٢") + ["\U0001d7ce", "\U0001d7cf"]  # 𝟎 𝟏: decimal digits beyond U+FFFF
    + [" ", "\u3000", "\xa0", "\t", "\n", "\n", "\x0b", "\x85", "\u2028"]
    + list("法治政府建设的工作报告特此abcXYZ-") + ["\U00020000", "\U0001f600", "\ufffd", "\x00", "\x1f"]
)
TEXT = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=300) | st.text(max_size=120)
RUNS = st.lists(st.sampled_from(["一是", "二是", "三是", "（一）", "（十二）", "1.", "12、", "①", "第一，", "一、", "二、",
                                 "。", "；", "，", "\n", " ", "加强", "2024年", "12.5", "（3）", "4)", "\U00020000"]),
                max_size=60).map("".join)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pure_lines(text: str):
    c, document._c = document._c, None
    try:
        return document.split_lines(text)
    finally:
        document._c = c


@needs_kernel
@SETTINGS
@given(st.one_of(TEXT, RUNS))
@example("")
@example("\n\n")
@example("一、" * 5000)
@example("。" * 3000 + "\n" + "（一）" * 2000)
def test_lines_and_sentences_equal_the_pure_path(text: str) -> None:
    assert C.split_lines(text) == _pure_lines(text)
    assert C.sentences(text) == [m.span() for m in document._SENTENCE.finditer(text)]


@needs_kernel
@SETTINGS
@given(st.one_of(TEXT, RUNS))
@example("")
@example("一、主要举措\n（一）加强学习，一是学习。二是培训；（1）甲；①乙\n1.深入学习。2.推进\n第一，总体")
@example("一是\n二是否\n三是三\n十一是")
@example("（一）（1）\n一、一是，二是\n1.5万元\n12)开展")
def test_outline_rows_equal_the_pure_path(text: str) -> None:
    _, spans = _pure_lines(text)
    assert C.heading_marks(text, spans) == outline._marks(text, spans)


@needs_kernel
def test_outline_rows_take_any_spans_of_the_text() -> None:
    text = "一、甲\n（二）乙"
    assert C.heading_marks(text, [[0, 3], (4, 8)]) == outline._marks(text, [(0, 3), (4, 8)])
    with pytest.raises(ValueError):
        C.heading_marks(text, [(0, 99)])
    with pytest.raises(TypeError):
        C.heading_marks(text, [(0,)])
    with pytest.raises(TypeError):
        C.heading_marks(b"bytes", [])


def _norm(o):
    """A Document (or any part of it) as plain nested tuples, for comparing two of them whole."""
    if is_dataclass(o):
        return (type(o).__name__, tuple((f.name, _norm(getattr(o, f.name))) for f in fields(o) if f.name != "memo"))
    if isinstance(o, dict):
        return tuple((k, _norm(v)) for k, v in o.items())
    if isinstance(o, (list, tuple)):
        return tuple(_norm(x) for x in o)
    return o


def _pure_load(monkeypatch: pytest.MonkeyPatch, source):
    with monkeypatch.context() as m:
        for mod in (document, outline, txt, webcopy, normalize_mod):
            m.setattr(mod, "_c", None)
        return load(source)


def _sources(seeds: Path | None) -> list[Path]:
    found = sorted(EXAMPLES.glob("*.txt")) + sorted(EXAMPLES.glob("*.html"))
    return found + (sorted(seeds.glob("*.txt")) if seeds else [])


@needs_kernel
def test_documents_of_the_examples_equal_the_pure_path(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = _sources(None)
    assert sources
    for path in sources:
        assert _norm(load(path)) == _norm(_pure_load(monkeypatch, path)), path.name


@needs_kernel
def test_documents_of_the_seeds_equal_the_pure_path(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        assert _norm(load(path)) == _norm(_pure_load(monkeypatch, path)), path.name


@needs_kernel
@SETTINGS
@given(st.lists(st.one_of(RUNS, TEXT.filter(lambda s: "\n" not in s)), min_size=1, max_size=12))
def test_documents_of_random_reports_equal_the_pure_path(lines: list[str]) -> None:
    text = "\n".join(["某县司法局关于2024年度法治政府建设情况的报告", *lines, "特此报告。"])
    mp = pytest.MonkeyPatch()
    try:
        assert _norm(load(text)) == _norm(_pure_load(mp, text))
    finally:
        mp.undo()


def test_the_modules_share_one_kernel() -> None:
    assert document._c is outline._c is txt._c is webcopy._c is normalize_mod._c
    assert normalize_mod.run_in_breaks is webcopy.run_in_breaks


@needs_kernel
def test_line_spans_that_change_while_read_do_not_crash_the_kernel() -> None:
    """A span whose __index__ empties the list of spans (only a hostile caller does that) must not
    make the kernel read freed items: it reads its own copy."""
    spans: list = []

    class Emptying:
        def __index__(self) -> int:
            spans.clear()
            return 0

    spans[:] = [[Emptying(), 3], (0, 3)]  # a list span is read through __index__
    rows = C.heading_marks("一、甲乙", spans)
    assert [r[:2] for r in rows] == [(0, 0), (1, 0)]


@pytest.mark.parametrize("pure", [False, True], ids=["kernel-or-pure", "pure"])
def test_a_line_of_very_many_inline_items_is_read_in_bounded_time_and_memory(pure: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """N inline items on one line used to copy the rest of the line each (N x length: 5.8 GB for a
    200,000-character line of 、①); past outline.MANY_INLINE items their texts are cut at
    outline.INLINE_HEAD_CAP characters. Fewer items keep their whole clause."""
    if pure:
        monkeypatch.setattr(outline, "_c", None)
    hostile = "、①" * 20_000
    line_spans = [(0, len(hostile))]
    marks = outline._c.heading_marks(hostile, line_spans) if outline._c is not None else outline._marks(hostile, line_spans)
    assert len(marks) == 20_000
    assert max(len(m[7]) for m in marks) == outline.INLINE_HEAD_CAP
    few = "、①" * outline.MANY_INLINE + "甲" * 500 + "。"
    rows = outline._marks(few, [(0, len(few))])
    assert len(rows) == outline.MANY_INLINE and len(rows[-1][7]) == 500  # the whole clause
    if outline._c is not None:
        assert outline._c.heading_marks(few, [(0, len(few))]) == rows
        assert outline._c.heading_marks(hostile, line_spans) == outline._marks(hostile, line_spans)
