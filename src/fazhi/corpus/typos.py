"""Typos a corpus reveals: a four-character phrase written one way in many reports and, one
character different in sound-alike form, once in one report ("依法行政" in 900 reports, "依法行正"
in one). The likely-typo rule knows only its lexicon; the corpus knows what these reports
actually write.

How (numpy; two passes over the texts):
1. Every run of Han characters gives its 4-grams, each packed into a 64-bit key (four 16-bit
   offsets from U+4E00) and a sound key (four syllable codes of fazhi.knowledge.lexicon, 9 bits
   each). Document frequencies of the keys come from the distinct keys of each report.
2. Common phrases are those in at least `min_common` reports; rare ones are in exactly one. A
   rare 4-gram whose sound key equals a common one's and which differs from it in exactly one
   character is a candidate. Candidates whose written form reads as dictionary words of its own,
   or whose differing characters are legitimate variants (作出/做出), are dropped.
3. Second pass: where each candidate occurs in its report (offsets into the stored text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from fazhi.corpus.dedup import _snapshot
from fazhi.corpus.store import Store
from fazhi.knowledge.lexicon import dictionary_words, lexicon, reads_as_words, sound_codes

_BASE = 0x4E00
_LANES = np.array([48, 32, 16, 0], dtype=np.uint64)


@dataclass(slots=True)
class Variant:
    key: str  # the report
    start: int
    end: int
    written: str
    intended: str
    reports: int  # how many reports write the intended form

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "start": self.start, "end": self.end, "written": self.written,
                "intended": self.intended, "reports": self.reports}


def _grams(text: str, syllable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(keys, start offsets) of the 4-grams of Han characters in `text` that all have a reading."""
    c = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    han = (c >= _BASE) & (c <= 0x9FFF)
    if c.size < 4:
        return np.empty(0, np.uint64), np.empty(0, np.int64)
    ok = han[:-3] & han[1:-2] & han[2:-1] & han[3:]
    starts = np.flatnonzero(ok)
    off = np.where(han, c - _BASE, 0).astype(np.uint64)
    snd = syllable[np.where(han, c - _BASE, 0)]
    exact = (off[starts] << np.uint64(48)) | (off[starts + 1] << np.uint64(32)) | (off[starts + 2] << np.uint64(16)) | off[starts + 3]
    known = (snd[starts] > 0) & (snd[starts + 1] > 0) & (snd[starts + 2] > 0) & (snd[starts + 3] > 0)
    return exact[known], starts[known]


def _syllables() -> np.ndarray:
    """Per character from U+4E00: its syllable code + 1 (0: none)."""
    table = np.zeros(0x9FFF - _BASE + 1, dtype=np.int64)
    for ch, code in sound_codes().items():
        if _BASE <= ch <= 0x9FFF:
            table[ch - _BASE] = code - 0xE000 + 1
    return table


def _sound_of(keys: np.ndarray, syllable: np.ndarray) -> np.ndarray:
    """The sound keys of exact keys, lane by lane."""
    out = np.zeros(keys.size, dtype=np.uint64)
    for lane in _LANES:
        out = (out << np.uint64(9)) | syllable[((keys >> lane) & np.uint64(0xFFFF)).astype(np.int64)].astype(np.uint64)
    return out


def _decode(key: int) -> str:
    return "".join(chr(_BASE + ((key >> int(s)) & 0xFFFF)) for s in _LANES)


def _edge_word(text: str, start: int, k: int, words: frozenset[str] | None) -> bool:
    """Whether the differing character at the edge of the 4-gram makes a word with the character
    just outside it."""
    if words is None:
        return False
    i = start + k
    pair = text[i - 1:i + 1] if k == 0 and i > 0 else text[i:i + 2] if k == 3 else ""
    return len(pair) == 2 and pair in words


def corpus_variants(docs: Callable[[], Iterable[tuple[str, str]]], min_common: int = 20,
                    progress: Callable[[str, int], None] | None = None) -> tuple[list[Variant], int]:
    """Rare spellings of common phrases among `docs` (a callable returning (key, text) pairs,
    called twice); returns the variants and the number of reports read."""
    syllable = _syllables()
    distinct: list[np.ndarray] = []
    n = 0
    for _, text in docs():
        distinct.append(np.unique(_grams(text, syllable)[0]))
        n += 1
        if progress and n % 1000 == 0:
            progress("read", n)
    if not distinct:
        return [], 0
    keys, df = np.unique(np.concatenate(distinct), return_counts=True)
    distinct.clear()
    common = keys[df >= min_common]
    rare = keys[df == 1]
    if common.size == 0 or rare.size == 0:
        return [], n
    common_sound, rare_sound = _sound_of(common, syllable), _sound_of(rare, syllable)
    order = np.argsort(common_sound, kind="stable")
    cs, cx = common_sound[order], common[order]
    lo = np.searchsorted(cs, rare_sound, side="left")
    hi = np.searchsorted(cs, rare_sound, side="right")
    df_of = dict(zip(keys[df >= min_common].tolist(), df[df >= min_common].tolist()))
    lex = lexicon()
    words = dictionary_words()
    wanted: dict[int, tuple[str, str, int, int]] = {}
    for r, a, b in zip(rare.tolist(), lo.tolist(), hi.tolist()):
        for c in cx[a:b].tolist():
            diff = [((r >> int(s)) & 0xFFFF) != ((c >> int(s)) & 0xFFFF) for s in _LANES]
            if sum(diff) != 1:
                continue
            written, intended = _decode(r), _decode(c)
            k = diff.index(True)
            if (written[k], intended[k]) in lex.variants or written in lex.terms or reads_as_words(written, words):
                continue
            if intended not in lex.terms and not reads_as_words(intended, words):
                continue  # the common form must be a phrase (依法行政), not a span across words
            if r not in wanted or df_of[c] > wanted[r][2]:
                wanted[r] = (written, intended, df_of[c], k)
    out: list[Variant] = []
    if wanted:
        targets = np.array(sorted(wanted), dtype=np.uint64)
        for key, text in docs():
            exact, starts = _grams(text, syllable)
            hit = np.isin(exact, targets)
            last = -4
            for e, s in zip(exact[hit].tolist(), starts[hit].tolist()):
                written, intended, count, k = wanted[e]
                if k in (0, 3) and _edge_word(text, s, k, words):
                    continue  # 吉祥镇: the character belongs to a word outside the phrase
                if s < last + 4:
                    continue  # overlapping windows of one slip: the first is reported
                last = s
                out.append(Variant(key, s, s + 4, written, intended, count))
    out.sort(key=lambda v: (-v.reports, v.key, v.start))
    return out, n


def store_variants(db_path: str, min_common: int = 20, progress: Callable[[str, int], None] | None = None) -> tuple[list[Variant], int]:
    """corpus_variants over the readable reports of a `fazhi index` database, on one snapshot."""
    with Store.open(db_path, readonly=True) as store, _snapshot(store.conn):
        def docs() -> Iterator[tuple[str, str]]:
            for row in store.iter_reports(with_text=True, order="id"):
                if row.text:
                    yield row.path, row.text

        return corpus_variants(docs, min_common, progress)
