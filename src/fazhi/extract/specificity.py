"""How concrete a report is: which sentences of the measures part say nothing concrete (no
figure, no document title, no named place or body, no date finer than a year) and which listed
shortcomings say nothing beyond stock words. extract() keeps the answers in Facts; the
substance rules and the score read them there.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from fazhi import knowledge
from fazhi.extract.items import units
from fazhi.hanzi import han_count, han_flags
from fazhi.model import Document, Quantity

_VAGUE_RESIDUE = 0.35

TITLE = re.compile(r"《[^《》\n]{1,80}》")
_QUOTE = re.compile(r"“([^“”\n]{2,24})”")
# Named places and bodies, and dates finer than a year: a sentence naming one is concrete.
_NAMED = re.compile(
    r"[\u4e00-\u9fff]{2,8}(?:广场|学校|特校|中学|小学|幼儿园|医院|法院|检察院|派出所|司法所|律师事务所|公司|协会|商会|"
    r"大厅|登记处|管理所|服务站|服务中心|调解室|工作室|养老院|敬老院|福利院|园区|景区|公众号|热线|小程序)"
    r"|\d{1,2}月(?:份|\d{1,2}日)?"
)
_SENTENCE_END = re.compile(r"[。！？；]$")



@lru_cache(maxsize=1)
def bank() -> dict:
    return knowledge.load("boilerplate")


def body_of(doc: Document, kind: str) -> list[tuple[int, int]]:
    """Spans of the parts of one kind, without their headings."""
    return [(p.start + len(p.heading or ""), p.end) for p in doc.parts if p.part == kind]


def figure_starts(quantities: list[Quantity]) -> list[int]:
    """Where the figures start, sorted, for figures_in."""
    return sorted(q.start for q in quantities)


def figures_in(starts: list[int], a: int, b: int) -> int:
    """How many figures start in [a, b)."""
    return bisect_left(starts, b) - bisect_left(starts, a)


def _han_flags(doc: Document) -> bytes | None:
    """hanzi.han_flags of the document's text, made once per document and kept in doc.memo."""
    if "han_flags" not in doc.memo:
        doc.memo["han_flags"] = han_flags(doc.text)
    return doc.memo["han_flags"]


def han_in(doc: Document, a: int, b: int) -> int:
    """han_count(doc.text[a:b]), counted in the document's Han flags without copying the text."""
    flags = _han_flags(doc)
    return han_count(doc.text[a:b]) if flags is None else flags.count(1, a, b)


def _heading_ends(doc: Document) -> dict[int, int]:
    if "heading_ends" not in doc.memo:
        ends: dict[int, int] = {}
        for h in doc.headings:
            ends[h.start] = max(ends.get(h.start, h.end), h.end)
        doc.memo["heading_ends"] = ends
    return doc.memo["heading_ends"]


def _heading_unit(doc: Document, a: int, b: int, ends: dict[int, int]) -> bool:
    """Whether a sentence is only a heading: a title line (（一）加强组织领导) or a run-in title
    followed by its body (一是严格执法。……). A numbered paragraph that is one whole sentence
    (（二）年内建成监督平台。) is content."""
    end = ends.get(a)
    if end is None or b > end + 2:
        return False
    nl = doc.text.find("\n", b)
    rest = doc.text[b:len(doc.text) if nl < 0 else nl].strip()
    return bool(rest) or not _SENTENCE_END.search(doc.text[a:b].strip())


@lru_cache(maxsize=1)
def _slogans() -> frozenset[str]:
    return frozenset(bank()["generic"]["slogans"])


def _concrete(doc: Document, a: int, b: int, starts: list[int]) -> bool:
    """A figure (`starts`: see figure_starts), a title in 《》, a quoted name that is not a political
    formula, a named place or body, or a date finer than a year."""
    if figures_in(starts, a, b):
        return True
    text = doc.text[a:b]
    if TITLE.search(text) or _NAMED.search(text):
        return True
    slogans = _slogans()
    return any(m.group(1) not in slogans for m in _QUOTE.finditer(text))


def sentences_in(doc: Document, spans: list[tuple[int, int]], min_han: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    ends = _heading_ends(doc)
    flags = _han_flags(doc)  # han_in, without a call per sentence
    for a, b in spans:
        for s, e in units(doc, a, b):
            han = han_count(doc.text[s:e]) if flags is None else flags.count(1, s, e)
            if han >= min_han and not _heading_unit(doc, s, e, ends):
                out.append((s, e))
    return out


def generic_sentences(doc: Document, quantities: list[Quantity]) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]]:
    """(sentences of the measures part, those with nothing concrete, those of them that are stock
    formulations). Sentences of fewer than 10 Han characters and headings are not counted."""
    phrases = bank()["generic"]["phrases"]
    sents = sentences_in(doc, body_of(doc, "measures"), 10)
    starts = figure_starts(quantities)
    vague = [(a, b) for a, b in sents if not _concrete(doc, a, b, starts)]
    stock = [(a, b) for a, b in vague if any(p in doc.text[a:b] for p in phrases)]
    return len(sents), vague, stock


@lru_cache(maxsize=1)
def _vague_pattern() -> re.Pattern[str]:
    b = bank()
    words = set(b["shortfall"]["phrases"]) | set(b["shortfall"]["vague"]) | set(b["generic"]["phrases"])
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def vague_item(text: str) -> bool:
    """Whether a listed shortcoming says nothing beyond stock words: fewer than 35% of its Han
    characters are left once the shortfall phrases and vague subject words are removed, and it
    has no figure."""
    if re.search(r"\d", text):
        return False
    total = han_count(text)
    rest = han_count(_vague_pattern().sub("", text))
    return total > 0 and rest / total < _VAGUE_RESIDUE
