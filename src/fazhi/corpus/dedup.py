"""Find copying across a corpus of reports: the same report filed twice, and passages copied
from another unit's report or from the unit's own earlier report.

How (numpy over batches of reports; nothing compares all pairs; four streaming passes):

1. Normalize: keep Han characters, digits and letters (full-width folded, lower case); drop
   punctuation and white space, so re-formatting changes nothing. Paragraphs stay separate.
2. Shingle: character n-grams (`ngram`, default 6) inside one paragraph, hashed to 64 bits.
3. Stop-shingles (pass 1): count in how many units' reports each shingle occurs (a unit is the
   issuer; a report without one is its own unit, copies of one text one unit, so sixty uploads
   of one report count once), in 2^27 saturating counters indexed by the top bits of its hash
   (a collision can only over-count). Shingles used by more than max(`min_stop_df`,
   `stop_fraction` × units) units are wording everybody uses; the shingles of the standard
   phrases the knowledge base lists (习近平法治思想, 严格规范公正文明执法, the part headings …)
   are stop-shingles whatever the counts. `min_stop_df` is high enough that a small corpus's
   counts alone never make a copied paragraph "common": a paragraph copied into twenty units'
   reports stays visible. Stop-shingles are dropped everywhere and never count as evidence.
4. Chunks (pass 2): each paragraph (long ones cut into `window`-character pieces) with at least
   `min_chunk_shingles` remaining shingles gets a MinHash signature (numpy, all chunks of a
   batch at once: fazhi.corpus.minhash); LSH banding at `threshold` gives candidate report pairs that share a
   near-identical chunk. Reports whose normalized text is identical are paired directly.
5. Filter (pass 3): candidates must share `min_shared` distinct shingles.
6. Verify (pass 4, texts of the remaining pairs only): whole-report Jaccard similarity of the
   filtered shingle sets, then sentence alignment: a sentence is copied when `copied_share` of
   its shingles occur in the other report; consecutive copied sentences that map to consecutive
   sentences of the other report form a passage (offsets into each text as given; sentences of
   standard wording only may sit inside a passage). A copied pair needs a passage of at least
   `min_passage_chars` characters and `min_evidence` shared shingles inside its passages that
   say something specific to a unit — a figure ("87件", "96.2%": copied numbers), a local
   document title in 《》 (not in the knowledge base), a name in quotation marks (not a
   standard slogan) — or occur in almost no other report. Shared generic wording that many
   units use (a circulated template without a fact of its own) is boilerplate, not copying;
   a paragraph with a unit's facts is copying however many reports it spread to.
7. Classify: "same-report" when the similarity is at least `same_report` and the metadata do
   not name different issuers or years (another format, a re-upload); otherwise
   "copied-passages", `a` being the earlier report (by year, then key). `groups` are the
   connected components of same-report pairs.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence

import numpy as np

from fazhi import knowledge
from fazhi.corpus.minhash import MinHashIndex, unique
from fazhi.corpus.store import Store
from fazhi.knowledge.catalog import catalog
from fazhi.vocab import PART_NAMES

__all__ = ["Doc", "Passage", "CopyPair", "DedupResult", "find_copies", "dedup_store", "shared_passages", "DEFAULTS"]

Doc = tuple[str, "str | None", "int | None", str]  # (key, issuer, year, text)

DEFAULTS: dict[str, Any] = {
    "threshold": 0.5,  # LSH Jaccard threshold on chunks (paragraphs)
    "same_report": 0.9,  # whole-report Jaccard for "same-report"
    "ngram": 6,
    "num_perm": 64,
    "window": 240,  # chunk length in normalized characters
    "min_chunk_shingles": 10,
    "stop_fraction": 0.002,
    "min_stop_df": 60,
    "min_passage_chars": 60,
    "min_shared": 10,  # shared shingles in a passage
    "evidence_df": 5,  # a shared shingle in at most this many reports (fewer in small corpora) is evidence
    "min_evidence": 10,  # evidence shingles a copied pair needs
    "copied_share": 0.8,  # share of a sentence's own shingles found in the other report
    "batch": 2000,
}

_P = np.uint64(0x100000001B3)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_POINTS = np.array([ord(x) for x in ".．"], dtype=np.uint32)
_NOT_A_FIGURE_AFTER = np.array([ord(x) for x in "年月日号.．、)）时周届"], dtype=np.uint32)  # 100周年, 二十届: not counts
_NOT_A_FIGURE_BEFORE = np.array([ord(x) for x in "（(第"], dtype=np.uint32)
_SENTENCE_END = np.array([ord(c) for c in "。！？；!?;\n"], dtype=np.uint32)
_LEAD = re.compile(r"^[\s\u3000]*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是])?[\s\u3000]*")


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class Passage:
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"a_start": self.a_start, "a_end": self.a_end, "b_start": self.b_start, "b_end": self.b_end, "text": self.text}


@dataclass(slots=True)
class CopyPair:
    a: str
    b: str
    kind: str  # same-report | copied-passages
    similarity: float
    passages: list[Passage] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "kind": self.kind,
            "similarity": round(self.similarity, 4),
            "passages": [p.to_dict() for p in self.passages],
        }


@dataclass(slots=True)
class DedupResult:
    pairs: list[CopyPair]
    groups: list[list[str]]
    stats: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Exactly the documented JSON structure."""
        return {"pairs": [p.to_dict() for p in self.pairs], "groups": self.groups}


class ChunkIndex(Protocol):
    """Where chunk signatures go; find_copies uses MinHashIndex unless given another.

    prepare(values, set_of, nsets) runs in worker threads (hash the sets: values[i] belongs to
    set set_of[i]); add(prepared, owner_of_set) runs in order in the calling thread; pairs()
    returns the candidate (owner_a, owner_b) pairs, a < b."""

    def prepare(self, values: np.ndarray, set_of: np.ndarray, nsets: int) -> Any: ...

    def add(self, prepared: Any, owner_of_set: np.ndarray) -> None: ...

    def pairs(self) -> np.ndarray: ...


# --------------------------------------------------------------------------- normalization, shingles


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _keep_mask(c: np.ndarray) -> np.ndarray:
    return (
        ((c >= 0x4E00) & (c <= 0x9FFF))
        | ((c >= 0x3400) & (c <= 0x4DBF))
        | ((c >= 0xF900) & (c <= 0xFAFF))
        | ((c >= 0x30) & (c <= 0x39))
        | (((c | 0x20) >= 0x61) & ((c | 0x20) <= 0x7A))
        | ((c >= 0xFF10) & (c <= 0xFF19))
        | (((c >= 0xFF21) & (c <= 0xFF3A)) | ((c >= 0xFF41) & (c <= 0xFF5A)))
    )


def _fold(k: np.ndarray) -> np.ndarray:
    k = np.where((k >= 0xFF10) & (k <= 0xFF5A), k - 0xFEE0, k)
    return np.where((k >= 0x41) & (k <= 0x5A), k | 0x20, k)


def _shingle_hashes(k: np.ndarray, n: int) -> np.ndarray:
    """64-bit hash of every window of n codes (len(k) - n + 1 of them)."""
    m = k.size - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    k64 = k.astype(np.uint64)
    h = k64[:m].copy()
    for j in range(1, n):
        h *= _P
        h ^= k64[j : j + m]
    # murmur3 finalizer: spread the bits (the top bits index the df counters)
    h ^= h >> np.uint64(33)
    h *= _M1
    h ^= h >> np.uint64(33)
    h *= _M2
    h ^= h >> np.uint64(33)
    return h


@dataclass(slots=True)
class _Batch:
    """Shingles of a batch of reports, concatenated (a shingle never spans two paragraphs)."""

    hashes: np.ndarray  # uint64
    doc: np.ndarray  # int32 doc index within the batch
    para: np.ndarray | None = None  # int64 paragraph id (unique within the batch)
    offset: np.ndarray | None = None  # position of the shingle inside its paragraph
    para_len: np.ndarray | None = None  # normalized length of the shingle's paragraph
    kept: np.ndarray | None = None  # normalized codes, for exact-duplicate digests
    doc_bounds: np.ndarray | None = None  # start of each doc in `kept` (+ end)


def _runs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element of a non-decreasing array: where its run of equal values starts, and
    the run's length."""
    start = np.ones(x.size, dtype=bool)
    np.not_equal(x[1:], x[:-1], out=start[1:])
    first = np.flatnonzero(start)
    length = np.diff(np.append(first, x.size))
    rid = np.cumsum(start) - 1
    return first[rid], length[rid]


def _batch(texts: Sequence[str], n: int, paras: bool = False) -> _Batch:
    c = _codes("\n".join(texts) + "\n")
    lens = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    keep_idx = np.flatnonzero(_keep_mask(c))
    kept = _fold(c[keep_idx])
    kdoc = np.repeat(np.arange(len(texts), dtype=np.int32), lens)[keep_idx]
    h = _shingle_hashes(kept, n)
    m = h.size
    kpara = np.cumsum(c == 10)[keep_idx]
    valid = kpara[:m] == kpara[n - 1 : n - 1 + m]  # shingles stay inside one paragraph
    if not paras:
        return _Batch(h[valid], kdoc[:m][valid])
    # first kept index of every paragraph id between the first and the last
    p0 = int(kpara[0]) if kpara.size else 0
    first_of = np.searchsorted(kpara, np.arange(p0, (int(kpara[-1]) if kpara.size else p0) + 2))
    rel = kpara - p0
    pstart = first_of[rel]
    plen = first_of[rel + 1] - pstart
    pos = np.arange(kept.size)
    bounds = np.searchsorted(kdoc, np.arange(len(texts) + 1, dtype=np.int32), side="left")
    return _Batch(
        hashes=h[valid],
        doc=kdoc[:m][valid],
        para=kpara[:m][valid],
        offset=(pos - pstart)[:m][valid],
        para_len=plen[:m][valid],
        kept=kept,
        doc_bounds=bounds,
    )


class _DocFreq:
    """Document frequency of shingles, approximately: 2^27 saturating 16-bit counters indexed by
    the top bits of the shingle hash. A collision can only over-count (a rare shingle may look
    more common than it is, never the reverse)."""

    BITS = 27

    def __init__(self) -> None:
        self.counts = np.zeros(1 << self.BITS, dtype=np.uint16)
        self.docs = 0
        self._shift = np.uint64(64 - self.BITS)

    def prepare(self, b: _Batch, unit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(buckets, number of distinct units per bucket) of one batch; thread-safe. `unit[d]`
        is the unit of the batch's report d, numbered from 0 within the batch (< 4096)."""
        # distinct (shingle, unit): the low 12 bits of the hash make room for the unit
        low = np.uint64(12)
        key = unique((b.hashes >> low << low) | unit[b.doc].astype(np.uint64))
        bucket = (key >> self._shift).astype(np.int64)  # sorted, since key is
        if bucket.size == 0:
            return bucket, bucket
        first = np.flatnonzero(np.concatenate([[True], bucket[1:] != bucket[:-1]]))
        return bucket[first], np.diff(np.append(first, bucket.size))

    def add(self, prepared: tuple[np.ndarray, np.ndarray], ndocs: int) -> None:
        ub, cnt = prepared
        self.counts[ub] = np.minimum(self.counts[ub] + cnt, 65535).astype(np.uint16)
        self.docs += ndocs

    def df(self, h: np.ndarray) -> np.ndarray:
        return self.counts[(h >> self._shift).astype(np.int64)]

    def mark_common(self, h: np.ndarray) -> None:
        """Make these shingles count as found everywhere."""
        self.counts[(h >> self._shift).astype(np.int64)] = 65535


def _builtin_phrases() -> list[str]:
    """Standard wording the knowledge base knows: fixed political formulations, stock phrases,
    the 纲要 areas and the mandated part names. Their shingles are stop-shingles even in a corpus
    too small for document frequencies to tell."""
    out: list[str] = ["法治政府建设实施纲要（2021－2025年）", "法治政府建设与责任落实督察工作规定"]
    out += [f["correct"] for f in knowledge.load("formulations").get("formulation", [])]
    generic = knowledge.load("boilerplate").get("generic", {})
    out += list(generic.get("phrases", [])) + list(generic.get("slogans", []))
    for area in knowledge.load("taxonomy").get("area", []):
        out.append(area.get("name", ""))
        out += list(area.get("keywords", []))
    out += list(PART_NAMES.values())
    return [p for p in out if p]


@lru_cache(maxsize=4)
def _builtin_stop(n: int) -> np.ndarray:
    hashes = []
    for phrase in _builtin_phrases():
        c = _codes(phrase)
        hashes.append(_shingle_hashes(_fold(c[_keep_mask(c)]), n))
    return unique(np.concatenate(hashes)) if hashes else np.empty(0, np.uint64)


def _chunked(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    buf: list[Any] = []
    for x in items:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _ordered_map(fn: Callable[[Any], Any], items: Iterable[Any], workers: int) -> Iterator[Any]:
    """fn over items in worker threads (numpy releases the GIL), results in input order, at
    most 2 × workers items in flight."""
    if workers <= 1:
        yield from map(fn, items)
        return

    with ThreadPoolExecutor(max_workers=workers) as ex:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(ex.submit(fn, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# --------------------------------------------------------------------------- corpus passes


class _Source:
    """Repeatable access to the documents: a sequence, or a callable returning a fresh
    iterable per pass; a one-shot iterable is read into a list."""

    def __init__(self, docs: Iterable[Doc] | Callable[[], Iterable[Doc]], fetch: Callable[[Sequence[str]], Iterable[tuple[str, str]]] | None):
        if callable(docs) and not isinstance(docs, (list, tuple)):
            self._factory: Callable[[], Iterable[Doc]] = docs  # type: ignore[assignment]
        else:
            seq = docs if isinstance(docs, (list, tuple)) else list(docs)
            self._factory = lambda: seq
        self._fetch = fetch

    def batches(self, size: int) -> Iterator[list[Doc]]:
        buf: list[Doc] = []
        for d in self._factory():
            if not d[3]:
                continue
            buf.append(d)
            if len(buf) >= size:
                yield buf
                buf = []
        if buf:
            yield buf

    def texts(self, keys: set[str]) -> Iterator[tuple[str, str]]:
        if self._fetch is not None:
            yield from self._fetch(sorted(keys))
            return
        for d in self._factory():
            if d[0] in keys:
                yield d[0], d[3]


def find_copies(
    docs: Iterable[Doc] | Callable[[], Iterable[Doc]],
    threshold: float = DEFAULTS["threshold"],
    *,
    same_report: float = DEFAULTS["same_report"],
    ngram: int = DEFAULTS["ngram"],
    num_perm: int = DEFAULTS["num_perm"],
    window: int = DEFAULTS["window"],
    min_chunk_shingles: int = DEFAULTS["min_chunk_shingles"],
    stop_fraction: float = DEFAULTS["stop_fraction"],
    min_stop_df: int = DEFAULTS["min_stop_df"],
    min_passage_chars: int = DEFAULTS["min_passage_chars"],
    copied_share: float = DEFAULTS["copied_share"],
    min_shared: int = DEFAULTS["min_shared"],
    evidence_df: int = DEFAULTS["evidence_df"],
    min_evidence: int = DEFAULTS["min_evidence"],
    batch: int = DEFAULTS["batch"],
    index: ChunkIndex | None = None,
    workers: int = 1,
    fetch: Callable[[Sequence[str]], Iterable[tuple[str, str]]] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> DedupResult:
    """Same-report pairs and copied passages among `docs` = (key, issuer, year, text) tuples.

    `docs` may be a list, or a zero-argument callable returning a fresh iterable for each pass
    (use that to stream from files or a database: nothing but the metadata is kept between
    passes); `fetch(keys)` may return the texts of the candidate reports for the last two
    passes instead of iterating everything again. `threshold` is the Jaccard similarity of two
    chunks (paragraphs) above which LSH makes their reports candidates; `index` replaces the
    MinHash + LSH stage (see ChunkIndex); `workers` > 1 runs the numpy work of passes 1–3 in
    threads. Offsets in passages refer to the texts as given. Deterministic for given input.
    """
    if not 0 < threshold <= 1 or not 0 < same_report <= 1:
        raise ValueError("threshold and same_report must be in (0, 1]")
    o = _Options(ngram, window, min_chunk_shingles, same_report, min_shared, batch, workers, progress)
    src = _Source(docs, fetch)
    run = _Run()
    dfs, stop_df = _count_shingles(src, o, stop_fraction, min_stop_df, run)
    run.lap("df")
    seen = _sign_chunks(src, o, dfs, stop_df, index if index is not None else MinHashIndex(threshold, num_perm), run)
    run.lap("signatures")
    cand = _candidate_pairs(seen, run)
    run.lap("lsh")
    # "rare": in at most this many reports (just the pair in a small corpus)
    rare_df = min(evidence_df, max(2, math.ceil(run.stats["docs"] / 2000)))
    run.stats["evidence_df"] = rare_df
    vp = _Verifier(ngram, dfs, stop_df, min_passage_chars, copied_share, min_shared, rare_df, min_evidence)
    keep = _share_enough(src, o, dfs, stop_df, seen, cand, run)
    run.lap("filter")
    pairs = _align(src, o, vp, seen, keep)
    groups = _groups([p for p in pairs if p.kind == "same-report"])
    run.stats.update(pairs=len(pairs), same_report=sum(p.kind == "same-report" for p in pairs))
    run.lap("verify")
    return DedupResult(pairs, groups, run.stats)


@dataclass(frozen=True, slots=True)
class _Options:
    """The settings of find_copies the passes share."""

    ngram: int
    window: int
    min_chunk_shingles: int
    same_report: float
    min_shared: int
    batch: int
    workers: int
    progress: Callable[[str, int], None] | None


@dataclass(slots=True)
class _Run:
    """Timings and counts of one find_copies run (DedupResult.stats)."""

    stats: dict[str, Any] = field(default_factory=dict)
    tick: float = field(default_factory=time.perf_counter)

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stats[f"seconds_{name}"] = round(now - self.tick, 3)
        self.tick = now


@dataclass(slots=True)
class _Seen:
    """What pass 2 keeps of every report: its key and metadata (by position), exact-copy digests
    and the LSH index of its chunks."""

    index: Any
    keys: list[str] = field(default_factory=list)
    issuers: list[str | None] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    digests: dict[bytes, list[int]] = field(default_factory=dict)


def _count_shingles(src: _Source, o: _Options, stop_fraction: float, min_stop_df: int, run: _Run) -> tuple[_DocFreq, int]:
    """Pass 1: document frequency of every shingle; the frequency above which a shingle is a stop
    shingle (counted in units, so that one unit's many uploads do not make its wording common)."""
    dfs = _DocFreq()
    units_seen: set[str] = set()

    def df_batch(docs_b: list[Doc]) -> tuple[int, list[str], tuple[np.ndarray, np.ndarray]]:
        names = [_unit(d) for d in docs_b]
        number: dict[str, int] = {}
        unit = np.array([number.setdefault(u, len(number)) for u in names], dtype=np.int64)
        return len(docs_b), names, dfs.prepare(_batch([d[3] for d in docs_b], o.ngram), unit)

    for nb, names, prepared in _ordered_map(df_batch, src.batches(min(o.batch, 4096)), o.workers):
        dfs.add(prepared, nb)
        units_seen.update(names)
        if o.progress:
            o.progress("df", dfs.docs)
    dfs.mark_common(_builtin_stop(o.ngram))
    stop_df = max(min_stop_df, math.ceil(stop_fraction * len(units_seen)))
    run.stats.update(docs=dfs.docs, units=len(units_seen), stop_df=stop_df)
    return dfs, stop_df


def _sign_chunks(src: _Source, o: _Options, dfs: _DocFreq, stop_df: int, idx: Any, run: _Run) -> _Seen:
    """Pass 2: chunk signatures into the LSH index; exact-duplicate digests."""
    seen = _Seen(idx)
    nchunks = 0

    def sig_batch(docs_b: list[Doc]) -> tuple[list[Doc], list[bytes], Any]:
        b = _batch([d[3] for d in docs_b], o.ngram, paras=True)
        assert b.kept is not None and b.doc_bounds is not None and b.para is not None
        kb = b.kept.tobytes()
        bounds = (b.doc_bounds * 4).tolist()
        dig = [hashlib.blake2b(kb[bounds[j] : bounds[j + 1]], digest_size=16).digest() if bounds[j + 1] > bounds[j] else b""
               for j in range(len(docs_b))]
        live = dfs.df(b.hashes) <= stop_df
        h = b.hashes[live]
        if h.size == 0:
            return docs_b, dig, None
        plen, off = b.para_len[live], b.offset[live]  # type: ignore[index]
        nwin = np.maximum(plen // o.window, 1)
        chunk = b.para[live] * 4096 + np.minimum(off // o.window, nwin - 1)  # non-decreasing
        first, size = _runs(chunk)
        ok = size >= o.min_chunk_shingles
        if not ok.any():
            return docs_b, dig, None
        starts = unique(first[ok])
        set_id = np.searchsorted(starts, first[ok])
        return docs_b, dig, (idx.prepare(h[ok], set_id, starts.size), b.doc[live][starts])

    for docs_b, dig, payload in _ordered_map(sig_batch, src.batches(min(o.batch, 4096)), o.workers):
        base = len(seen.keys)
        for j, (k, iss, yr, _) in enumerate(docs_b):
            seen.keys.append(k)
            seen.issuers.append(_norm_issuer(iss))
            seen.years.append(yr)
            if dig[j]:
                seen.digests.setdefault(dig[j], []).append(base + j)
        if payload is not None:
            prepared, owner = payload
            idx.add(prepared, base + owner.astype(np.int64))
            nchunks += owner.size
        if o.progress:
            o.progress("signatures", len(seen.keys))
    run.stats["chunks"] = nchunks
    ndocs = run.stats["docs"]
    if len(seen.keys) != ndocs:  # the source changed between passes (a store read without a snapshot)
        raise RuntimeError(f"reports changed while comparing: {ndocs} in the first pass, {len(seen.keys)} in the second")
    return seen



def _candidate_pairs(seen: _Seen, run: _Run) -> np.ndarray:
    """The pairs of reports LSH found similar chunks in, and the exact copies."""
    cand = seen.index.pairs()
    exact = [(g[i], g[j]) for g in seen.digests.values() if len(g) > 1 for i in range(len(g)) for j in range(i + 1, len(g))]
    if exact:
        cand = np.concatenate([cand, np.array(exact, dtype=np.int64).reshape(-1, 2)])
        packed = unique(cand[:, 0] * (1 << 32) + cand[:, 1])
        cand = np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)
    run.stats["candidates"] = int(cand.shape[0])
    return cand



def _share_enough(src: _Source, o: _Options, dfs: _DocFreq, stop_df: int, seen: _Seen, cand: np.ndarray, run: _Run) -> list[tuple[int, int]]:
    """Pass 3: distinct non-stop shingles of the candidate reports; keep the pairs that share
    enough of them to hold a passage (or to be the same report)."""
    sets: dict[int, np.ndarray] = {}
    if cand.size:
        pos = {k: i for i, k in enumerate(seen.keys)}
        need = {seen.keys[i] for i in np.unique(cand.ravel()).tolist()}

        def distinct(group: list[tuple[str, str]]) -> list[tuple[int, np.ndarray]]:
            # per report: sorted distinct non-stop shingles, truncated to 32 bits (for counting)
            bt = _batch([t for _, t in group], o.ngram)
            live = dfs.df(bt.hashes) <= stop_df
            key = unique(bt.doc[live].astype(np.uint64) << np.uint64(32) | (bt.hashes[live] >> np.uint64(32)))
            owner = (key >> np.uint64(32)).astype(np.int64)
            cuts = np.searchsorted(owner, np.arange(len(group) + 1))
            vals = key.astype(np.uint32)
            return [(pos[k], vals[cuts[j] : cuts[j + 1]]) for j, (k, _) in enumerate(group)]

        for got in _ordered_map(distinct, _chunked(src.texts(need), 256), o.workers):
            sets.update(got)

    def survivors(rows: list[tuple[int, int]]) -> list[tuple[int, int]]:
        out = []
        for i, j in rows:
            si, sj = sets.get(i), sets.get(j)
            if si is None or sj is None:
                continue
            inter = np.intersect1d(si, sj, assume_unique=True).size
            if inter >= o.min_shared or (inter and inter >= o.same_report * (si.size + sj.size - inter)):
                out.append((i, j))
        return out

    keep: list[tuple[int, int]] = []
    for got in _ordered_map(survivors, _chunked(iter(cand.tolist()), 2048), o.workers):
        keep.extend(got)
    sets.clear()
    run.stats["verified"] = len(keep)
    return keep



def _align(src: _Source, o: _Options, vp: "_Verifier", seen: _Seen, keep: list[tuple[int, int]]) -> list[CopyPair]:
    """Pass 4: texts of the remaining pairs; align sentences, classify (the earlier report of a
    copied pair is `a`)."""
    need_keys = {seen.keys[d] for ij in keep for d in ij}
    texts: dict[str, str] = dict(src.texts(need_keys)) if need_keys else {}
    views: dict[int, _View] = {}
    pairs: list[CopyPair] = []
    for n_done, (i, j) in enumerate(sorted(keep)):
        va, vb = views.get(i), views.get(j)
        if va is None:
            va = views[i] = vp.view(texts[seen.keys[i]])
        if vb is None:
            vb = views[j] = vp.view(texts[seen.keys[j]])
        if len(views) > 2048:  # keep the most recent views only
            for d in list(views)[:1024]:
                del views[d]
        pair = vp.compare(va, vb, o.same_report, _same_unit(seen.issuers[i], seen.years[i], seen.issuers[j], seen.years[j]))
        if pair is None:
            continue
        kind, sim, passages = pair
        a, b_ = (i, j)
        if kind == "copied-passages" and _later(seen.years[i], seen.keys[i], seen.years[j], seen.keys[j]):
            a, b_ = j, i
            passages = [Passage(p.b_start, p.b_end, p.a_start, p.a_end, texts[seen.keys[a]][p.b_start : p.b_end]) for p in passages]
        pairs.append(CopyPair(seen.keys[a], seen.keys[b_], kind, sim, passages))
        if o.progress and n_done % 1000 == 0:
            o.progress("verify", n_done)
    pairs.sort(key=lambda p: (p.a, p.b))
    return pairs


_SPACE = re.compile(r"\s+")


def _unit(d: Doc) -> str:
    """Who a report belongs to, for counting how widely wording is used: its issuer; without
    one, its text (so that copies of one report are one unit)."""
    issuer = _norm_issuer(d[1])
    if issuer:
        return "i:" + issuer
    return "t:" + hashlib.blake2b(_SPACE.sub("", d[3]).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def _norm_issuer(issuer: str | None) -> str | None:
    if not issuer:
        return None
    s = "".join(issuer.split())
    s = re.sub(r"^(?:中共|中国共产党)", "", s)
    s = re.sub(r"(?:党组|党委)$", "", s)
    return s or None


def _same_unit(ia: str | None, ya: int | None, ib: str | None, yb: int | None) -> bool:
    """False when the metadata says the two are different reports (other issuer or year)."""
    if ia and ib and ia != ib:
        return False
    if ya is not None and yb is not None and ya != yb:
        return False
    return True


def _later(ya: int | None, ka: str, yb: int | None, kb: str) -> bool:
    if ya is not None and yb is not None and ya != yb:
        return ya > yb
    return ka > kb


def _groups(pairs: list[CopyPair]) -> list[list[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    comps: dict[str, list[str]] = {}
    for x in list(parent):
        comps.setdefault(find(x), []).append(x)
    return sorted(sorted(c) for c in comps.values())


# --------------------------------------------------------------------------- verification


@dataclass(slots=True)
class _View:
    """One report prepared for comparison."""

    text: str
    hashes: np.ndarray  # non-stop shingle hashes in text order
    sent: np.ndarray  # sentence index of each
    uniq: np.ndarray  # sorted distinct hashes
    sent_start: np.ndarray  # text offsets of each sentence
    sent_end: np.ndarray
    sent_total: np.ndarray  # non-stop shingles per sentence
    sent_chars: np.ndarray
    evidence: np.ndarray  # shingle carries a figure or is rare in the corpus  # normalized characters per sentence


class _Verifier:
    def __init__(self, n: int, dfs: _DocFreq, stop_df: int, min_chars: int, share: float, min_shared: int,
                 evidence_df: int, min_evidence: int):
        self.n, self.dfs, self.stop_df, self.min_chars = n, dfs, stop_df, min_chars
        self.share, self.min_shared = share, min_shared
        self.evidence_df, self.min_evidence = evidence_df, min_evidence

    def _live(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Codes, indices of the kept characters, the non-stop shingle hashes with their
        start positions (in kept characters), and whether each contains a figure."""
        c = _codes(text)
        keep_idx = np.flatnonzero(_keep_mask(c))
        kept = _fold(c[keep_idx])
        h = _shingle_hashes(kept, self.n)
        m = h.size
        if m == 0:
            return c, keep_idx, np.empty(0, np.uint64), np.empty(0, np.int64)
        kpara = np.cumsum(c == 10)[keep_idx]
        ok = (kpara[:m] == kpara[self.n - 1 :]) & (self.dfs.df(h) <= self.stop_df)
        live = np.flatnonzero(ok)
        return c, keep_idx, h[live], live

    def figures(self, c: np.ndarray, keep_idx: np.ndarray, at: np.ndarray, named: np.ndarray | None = None) -> np.ndarray:
        """Whether the shingle starting at each of `at` (kept-character positions) contains a
        figure: digits that count something ("87件", "96.2%"), not a year, a date or a list
        number ("2024年", "1月20日", "1.", "（3）"); or a character of `named` (a mask over the
        text: local titles and names, see _named)."""
        c = _fold(c)
        d = (c >= 0x30) & (c <= 0x39)
        edges = np.diff(np.concatenate([[0], d.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        pad = np.concatenate([c, [0, 0]])
        after, after2 = pad[ends], pad[ends + 1]
        before = np.where(starts > 0, c[np.maximum(starts - 1, 0)], 0)
        decimal = np.isin(after, _POINTS) & (after2 >= 0x30) & (after2 <= 0x39)
        drop = (np.isin(after, _NOT_A_FIGURE_AFTER) & ~decimal) | np.isin(before, _NOT_A_FIGURE_BEFORE)
        delta = np.zeros(c.size + 1, dtype=np.int32)
        np.add.at(delta, starts[drop], 1)
        np.add.at(delta, ends[drop], -1)
        fig = d & (np.cumsum(delta)[:-1] == 0)
        if named is not None:
            fig |= named
        fig = fig[keep_idx]
        cf = np.concatenate([[0], np.cumsum(fig)])
        return (cf[at + self.n] - cf[at]) > 0

    def view(self, text: str) -> _View:
        c, keep_idx, h, at = self._live(text)
        fig = self.figures(c, keep_idx, at, _named(text, c.size))
        end = np.isin(c, _SENTENCE_END)
        ends = np.flatnonzero(end) + 1
        if ends.size == 0 or ends[-1] != c.size:
            ends = np.append(ends, c.size)
        starts = np.concatenate([[0], ends[:-1]])
        sid_char = np.cumsum(end) - end  # the sentence end belongs to its sentence
        sid_kept = sid_char[keep_idx]
        sid = sid_kept[at]
        nsent = ends.size
        return _View(
            text=text,
            hashes=h,
            sent=sid,
            uniq=unique(h),
            sent_start=starts,
            sent_end=ends,
            sent_total=np.bincount(sid, minlength=nsent),
            sent_chars=np.bincount(sid_kept, minlength=nsent),
            evidence=fig | (self.dfs.df(h) <= self.evidence_df),
        )

    def compare(self, A: _View, B: _View, same_report: float, same_unit: bool) -> tuple[str, float, list[Passage]] | None:
        inter = np.intersect1d(A.uniq, B.uniq, assume_unique=True)
        union = A.uniq.size + B.uniq.size - inter.size
        sim = inter.size / union if union else 1.0
        if sim >= same_report and same_unit:
            return "same-report", sim, []
        if inter.size == 0:
            return None
        passages = self._passages(A, B, inter)
        if not passages:
            return None
        # Evidence inside the passages: shared shingles that carry a figure (the same numbers)
        # or that almost no other report has. Shared standard wording alone is not copying.
        in_pass = np.zeros(A.sent_total.size, dtype=bool)
        for p in passages:
            in_pass[(A.sent_end > p.a_start) & (A.sent_start < p.a_end)] = True
        shared = _member(A.hashes, inter) & A.evidence & in_pass[A.sent]
        if int(unique(A.hashes[shared]).size) < self.min_evidence:
            return None
        return "copied-passages", sim, passages

    def _passages(self, A: _View, B: _View, inter: np.ndarray) -> list[Passage]:
        in_a = _member(A.hashes, inter)
        in_b = _member(B.hashes, inter)
        hit_a = np.bincount(A.sent[in_a], minlength=A.sent_total.size)
        hit_b = np.bincount(B.sent[in_b], minlength=B.sent_total.size)
        # Which sentence of B each shared shingle of A falls in (first occurrence in B).
        bh, bs = B.hashes[in_b], B.sent[in_b]
        o = np.argsort(bh, kind="stable")
        bh, bs = bh[o], bs[o]
        ah, as_ = A.hashes[in_a], A.sent[in_a]
        target = bs[np.searchsorted(bh, ah)]
        # For each A sentence, the B sentence most of its shared shingles point to.
        nb = B.sent_total.size
        combo = as_.astype(np.int64) * nb + target
        cu = unique(combo)
        cnt = np.diff(np.append(np.searchsorted(np.sort(combo), cu), combo.size))
        best: dict[int, tuple[int, int]] = {}
        for key, k in zip(cu.tolist(), cnt.tolist()):
            sa, sb = divmod(key, nb)
            if sa not in best or k > best[sa][1]:
                best[sa] = (sb, k)
        state_a = _states(A.sent_total, hit_a, self.share)
        state_b = _states(B.sent_total, hit_b, self.share)
        out: list[Passage] = []
        run: list[int] = []  # [a_first, a_last, b_first, b_last, shared]

        def close() -> None:
            if run:
                p = self._passage(A, B, run)
                if p is not None:
                    out.append(p)
                run.clear()

        pending = 0  # neutral A sentences since the last copied one
        for sa in range(A.sent_total.size):
            st = state_a[sa]
            if st == 2 and sa in best:
                sb = best[sa][0]
                if run and run[3] <= sb and _neutral_between(state_b, run[3], sb) and sb - run[3] <= 1 + pending + 2:
                    run[1], run[3] = sa, max(run[3], sb)
                    run[4] += int(hit_a[sa])
                else:
                    close()
                    run.extend([sa, sa, sb, sb, int(hit_a[sa])])
                pending = 0
            elif st == 1 and run:
                pending += 1
            else:
                close()
                pending = 0
        close()
        return out

    def _passage(self, A: _View, B: _View, run: list[int]) -> Passage | None:
        a0, a1, b0, b1, shared = run
        if shared < self.min_shared or int(A.sent_chars[a0 : a1 + 1].sum()) < self.min_chars:
            return None
        sa, ea = _trim(A.text, int(A.sent_start[a0]), int(A.sent_end[a1]))
        sb, eb = _trim(B.text, int(B.sent_start[b0]), int(B.sent_end[b1]))
        if ea <= sa or eb <= sb:
            return None
        return Passage(sa, ea, sb, eb, A.text[sa:ea])


_TITLE = re.compile(r"《([^《》\n]{2,80})》")
_QUOTED = re.compile(r"“([^“”\n]{2,20})”")


@lru_cache(maxsize=1)
def _standard_names() -> tuple[Any, frozenset[str]]:
    """The document catalog and the standard slogans: titles and quoted words that every unit
    may use, and so say nothing specific to one."""
    bank = knowledge.load("boilerplate")["generic"]
    slogans = set(bank.get("slogans", [])) | {p for p in _builtin_phrases() if len(p) <= 20}
    return catalog(), frozenset(slogans)


def _named(text: str, size: int) -> np.ndarray | None:
    """A mask of the characters of `text` that name something of the unit's own: titles in 《》
    that the knowledge base does not know (local documents, the unit's own plans) and names in
    quotation marks that are not standard slogans (a project, a brand). None when there are none."""
    if "《" not in text and "“" not in text:
        return None
    cat, slogans = _standard_names()
    mask = np.zeros(size, dtype=bool)
    found = False
    for m in _TITLE.finditer(text):
        if cat.lookup(m.group(1)) is None:
            mask[m.start(1):m.end(1)] = True
            found = True
    for m in _QUOTED.finditer(text):
        if m.group(1) not in slogans:
            mask[m.start(1):m.end(1)] = True
            found = True
    return mask if found else None


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if sorted_set.size == 0:
        return np.zeros(values.size, dtype=bool)
    pos = np.searchsorted(sorted_set, values)
    pos[pos == sorted_set.size] = 0
    return sorted_set[pos] == values


def _states(total: np.ndarray, hit: np.ndarray, share: float) -> np.ndarray:
    """Per sentence: 2 copied (at least `share` of its own shingles shared), 1 neutral (nothing
    of its own: only standard phrases, a heading number), 0 not copied."""
    st = np.zeros(total.size, dtype=np.int8)
    st[total == 0] = 1
    st[(total > 0) & (hit >= share * total)] = 2
    return st


def _neutral_between(state: np.ndarray, lo: int, hi: int) -> bool:
    return bool(hi <= lo + 1 or (state[lo + 1 : hi] >= 1).all())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading white space and numbering, trailing white space and line breaks."""
    m = _LEAD.match(text, start, end)
    if m:
        start = m.end()
    while end > start and text[end - 1] in " \t\r\n\u3000":
        end -= 1
    return start, end


class _PhraseStops:
    """Document frequencies for two reports alone: the standard phrases the knowledge base lists
    count as found everywhere, every other shingle as rare."""

    def __init__(self, n: int):
        self.stop = _builtin_stop(n)

    def df(self, h: np.ndarray) -> np.ndarray:
        return np.where(_member(h, self.stop), 65535, 1)


def shared_passages(
    text_a: str,
    text_b: str,
    *,
    ngram: int = DEFAULTS["ngram"],
    min_passage_chars: int = DEFAULTS["min_passage_chars"],
    copied_share: float = DEFAULTS["copied_share"],
    min_shared: int = DEFAULTS["min_shared"],
) -> list[Passage]:
    """The passages two reports share, by the sentence alignment find_copies verifies pairs
    with (offsets into each text; a_* into text_a). For showing any two reports side by side:
    no evidence threshold and no corpus, so only the standard phrases are ignored."""
    v = _Verifier(ngram, _PhraseStops(ngram), 2, min_passage_chars, copied_share, min_shared, 0, 0)  # type: ignore[arg-type]
    A, B = v.view(text_a), v.view(text_b)
    inter = np.intersect1d(A.uniq, B.uniq, assume_unique=True)
    return v._passages(A, B, inter) if inter.size else []


# --------------------------------------------------------------------------- the store


def save_result(db_path: str, result: DedupResult, threshold: float) -> None:
    """Keep a dedup run's pairs in the database, for `fazhi export` (replaces the last run's)."""
    with Store.open(db_path) as store:
        ids = {row.path: row.id for row in store.iter_reports(order="id")}
        rows = [
            (ids[p.a], ids[p.b], p.kind, p.similarity, len(p.passages), sum(x.a_end - x.a_start for x in p.passages))
            for p in result.pairs
            if p.a in ids and p.b in ids
        ]
        store.replace_copies(rows, int(result.stats.get("docs", 0)), threshold)


@contextmanager
def _snapshot(conn: Any) -> Iterator[None]:
    """One read transaction: in WAL mode every read inside it sees the database as it was at
    the first read."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def dedup_store(db_path: str, threshold: float = DEFAULTS["threshold"], progress: Callable[[str, int], None] | None = None, **options: Any) -> DedupResult:
    """find_copies over every readable report in a `fazhi index` database; keys are paths.

    All passes read one snapshot of the database (one read transaction): an index that is
    writing meanwhile is not seen half-way, so the count of compared reports and the pairs
    agree."""
    with Store.open(db_path, readonly=True) as store, _snapshot(store.conn):
        ids: dict[str, int] = {}

        def docs() -> Iterator[Doc]:
            for row in store.iter_reports(with_text=True, order="id"):
                ids[row.path] = row.id
                yield (row.path, row.issuer, row.report_year, row.text or "")

        def fetch(keys: Sequence[str]) -> Iterator[tuple[str, str]]:
            for k in keys:
                yield k, store.text(ids[k])

        return find_copies(docs, threshold, fetch=fetch, progress=progress, **options)
