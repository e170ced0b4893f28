"""Offsets of a document that several rules look up, computed once per document (doc.memo)."""

from __future__ import annotations

from bisect import bisect_left

from fazhi.model import Document


def sentence_starts(doc: Document) -> list[int]:
    """The start of every sentence, in order (sentences are sorted and do not overlap)."""
    starts = doc.memo.get("sentence_starts")
    if starts is None:
        starts = doc.memo["sentence_starts"] = [a for a, _ in doc.sentences]
    return starts


def sentences_from(doc: Document, lo: int, hi: int) -> list[tuple[int, int]]:
    """The sentences that start in [lo, hi): [(a, b) for a, b in doc.sentences if lo <= a < hi]
    by two bisections."""
    starts = sentence_starts(doc)
    return doc.sentences[bisect_left(starts, lo):bisect_left(starts, hi)]
