"""The compiled load kernel (src/fazhi/_native/_load.c) against the pure-Python paths it
replaces in fazhi.ingest: the run-in headings of a sequence of blocks (breaks, heading starts and
the outline's state after each block) and the count of a binary file's characters, on random
text (empty, non-Han, punctuation, digits, characters beyond U+FFFF, long runs)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fazhi.ingest import txt, webcopy
from fazhi.ingest.webcopy import OutlineState

C = webcopy._c
needs_kernel = pytest.mark.skipif(C is None, reason="the _load kernel is not built here (or FAZHI_PURE is set)")

_ALPHABET = (
    list("一二三四五六七八九十第条款项年月日号、.．（()）。！？!?；;：:，,”’」』》“《0123456789１٣")
    + [" ", " ", "\u3000", "\n", "\U00020000", "\U0001d7cf", "①"]
    + list("法治政府建设存在问题与不足深入学习执法制度还不完善特此报告县司法局ab")
)
TEXT = st.text(alphabet=st.sampled_from(_ALPHABET), max_size=200) | st.text(max_size=80)
PIECES = st.lists(st.sampled_from(["一、", "二、", "三、", "（一）", "（二）", "（三）", "（十一）", "1.", "2.", "3、", "12.",
                                   "2.5万元", "第1.2条", "统一、规范", "。", "：", " ", "”", "加强学习", "年", "\U00020000"]),
                  max_size=40).map("".join)
BLOCKS = st.lists(st.one_of(TEXT, PIECES), max_size=10)
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _state(e: OutlineState) -> tuple:
    return (e.cn, e.paren_cn, e.arabic, e.headed, e.blocks)


@needs_kernel
@SETTINGS
@given(BLOCKS)
@example([""])
@example(["一、主要举措和成效", "（一）加强学习", "1.深入学习。2.推进依法行政。3、开展执法。（二）完善制度二、存在问题"])
@example(["推进法治政府建设1.深入学习", "落实到位。二、存在问题与不足执法制度还不完善，。三、下一步安排"])
@example(["。 二、甲", " 1.甲", "年1.甲", "第（一）", "1（二）", "”（二）", "一二三四、", "十、", "123.甲"])
@example(["（一）" * 3000, "1." * 4000])
def test_token_breaks_equal_the_pure_path(blocks: list[str]) -> None:
    fast, pure = OutlineState(), OutlineState()
    for text in blocks:
        fb: list[int] = [7]  # what was in the list before stays
        pb: list[int] = [7]
        assert C.token_breaks(text, fast, fb) == webcopy._token_breaks(text, pure, pb)
        assert fb == pb
        assert _state(fast) == _state(pure)


@needs_kernel
def test_token_breaks_check_their_arguments() -> None:
    with pytest.raises(TypeError):
        C.token_breaks("一、甲", OutlineState(), ())
    with pytest.raises(TypeError):
        C.token_breaks(None, OutlineState(), [])
    with pytest.raises(AttributeError):
        C.token_breaks("一、甲", object(), [])
    assert C.token_breaks("甲乙", object(), []) == []  # no token: the state is never read


@needs_kernel
@SETTINGS
@given(st.text(max_size=300) | st.text(alphabet=st.sampled_from(["\x00", "\x08", "\x09", "\x0e", "\x1f", "\x20", "\ufffd", "甲", "\U00020000"])))
@example("")
def test_bad_chars_equal_the_pure_count(text: str) -> None:
    for limit in (0, 5, 20000):
        assert C.bad_chars(text, limit) == len(txt._BAD_CHAR.findall(text[:limit]))
