"""MinHash signatures and LSH banding over many small sets at once, in numpy.

Sets arrive flattened: `values` (uint64 hashes, already well mixed) and `set_of` (which set each
value belongs to). `signatures` applies `num_perm` multiply-shift hash functions
h_i(x) = (a_i·x + b_i) >> 32 to all values of all sets at once and takes the minimum per set
with a segmented reduction: the cost is num_perm vector passes over the values, with no Python
work per set (datasketch's MinHash does a Python loop over each set's values and one numpy
call per set). One-permutation hashing was tried first: it is cheaper still, but on the small
sets paragraphs give (10–30 shingles) its densified bins are correlated and LSH bands collide
far more often than the Jaccard similarity says, which costs more in verification than it saves.

Banding follows the usual scheme: `b` bands of `r` rows, two sets are candidates when all rows
of some band agree. `optimal_bands` chooses (b, r) for a Jaccard threshold the way datasketch's
MinHashLSH does (minimising the weighted false-positive and false-negative areas), so the two
can be compared at the same threshold and number of permutations.
"""

from __future__ import annotations

import numpy as np

__all__ = ["optimal_bands", "signatures", "band_keys", "candidate_pairs", "MinHashIndex", "unique"]

_U32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def unique(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique without its overhead)."""
    if x.size == 0:
        return x.copy()
    s = np.sort(x)
    keep = np.empty(s.size, dtype=bool)
    keep[0] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) minimising fp_weight * P(false positive) + fn_weight * P(false negative)."""
    xs = np.linspace(0.0, 1.0, 1001)
    best, best_err = (1, num_perm), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - xs**r) ** b
            lo, hi = xs <= threshold, xs >= threshold
            fp = np.trapezoid(p[lo], xs[lo]) if lo.sum() > 1 else 0.0
            fn = np.trapezoid(1.0 - p[hi], xs[hi]) if hi.sum() > 1 else 0.0
            err = fp_weight * fp + fn_weight * fn
            if err < best_err:
                best, best_err = (b, r), err
    return best


def signatures(values: np.ndarray, set_of: np.ndarray, nsets: int, num_perm: int, seed: int = 1) -> np.ndarray:
    """(nsets, num_perm) uint32 signatures with num_perm independent hash functions
    h_i(x) = (a_i·x + b_i) >> 32 over 64-bit values (multiply-shift), vectorized over all sets:
    the minimum per set is a segmented reduction. Every set needs at least one value."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)
    order = np.argsort(set_of, kind="stable")
    x = values[order]
    starts = np.searchsorted(set_of[order], np.arange(nsets))
    sig = np.empty((nsets, num_perm), dtype=np.uint32)
    h = np.empty_like(x)
    shift = np.uint64(32)
    for i in range(num_perm):
        np.multiply(x, a[i], out=h)
        h += b[i]
        h >>= shift
        sig[:, i] = np.minimum.reduceat(h, starts)
    return sig


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(nsets, bands) uint64 keys: the hash of each band's `rows` signature values."""
    n = sig.shape[0]
    out = np.empty((n, bands), dtype=np.uint64)
    for j in range(bands):
        h = np.full(n, np.uint64(((j + 1) * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF), dtype=np.uint64)
        for c in range(j * rows, (j + 1) * rows):
            h ^= sig[:, c].astype(np.uint64)
            h *= _MIX
            h ^= h >> np.uint64(31)
        out[:, j] = h
    return out


def candidate_pairs(keys: np.ndarray, owner: np.ndarray, max_bucket: int = 10) -> np.ndarray:
    """Distinct (owner_a, owner_b) pairs, a < b, of sets that share a band key. Buckets larger
    than `max_bucket` (text every report shares) link each member to its neighbours only."""
    found: list[np.ndarray] = []
    n = keys.shape[0]
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    for j in range(keys.shape[1]):
        order = np.argsort(keys[:, j], kind="stable")
        k = keys[order, j]
        same = k[1:] == k[:-1]
        if not same.any():
            continue
        # run boundaries over the sorted keys
        start = np.ones(n, dtype=bool)
        start[1:] = ~same
        run_id = np.cumsum(start) - 1
        run_first = np.flatnonzero(start)
        run_len = np.diff(np.append(run_first, n))
        length = run_len[run_id]
        end = run_first[run_id] + length  # exclusive end of each position's run
        pos = np.arange(n)
        small = (length > 1) & (length <= max_bucket)
        cnt = np.where(small, end - pos - 1, 0)
        total = int(cnt.sum())
        if total:
            rep = np.repeat(pos, cnt)
            within = np.arange(total) - np.repeat(np.cumsum(cnt) - cnt, cnt)
            found.append(np.stack([order[rep], order[rep + 1 + within]], axis=1))
        big = np.flatnonzero((length > max_bucket) & (pos + 1 < end))
        if big.size:
            found.append(np.stack([order[big], order[big + 1]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    sets = np.concatenate(found)
    a, b = owner[sets[:, 0]].astype(np.int64), owner[sets[:, 1]].astype(np.int64)
    keep = a != b
    a, b = a[keep], b[keep]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    packed = unique(lo * (1 << 32) + hi)
    return np.stack([packed >> 32, packed & 0xFFFFFFFF], axis=1)


class MinHashIndex:
    """Collects band keys batch by batch; `pairs()` returns candidate owner pairs."""

    name = "fazhi MinHash + LSH (numpy)"

    def __init__(self, threshold: float, num_perm: int = 64, max_bucket: int = 10):
        self.threshold = threshold
        self.num_perm = num_perm
        self.max_bucket = max_bucket
        self.bands, self.rows = optimal_bands(threshold, num_perm)
        self._keys: list[np.ndarray] = []
        self._owner: list[np.ndarray] = []

    def prepare(self, values: np.ndarray, set_of: np.ndarray, nsets: int) -> np.ndarray:
        """Band keys of one batch of sets (values[i] belongs to set set_of[i]); thread-safe."""
        return band_keys(signatures(values, set_of, nsets, self.num_perm), self.bands, self.rows)

    def add(self, prepared: np.ndarray, owner_of_set: np.ndarray) -> None:
        if owner_of_set.size:
            self._keys.append(prepared)
            self._owner.append(owner_of_set.astype(np.int64))

    def pairs(self) -> np.ndarray:
        if not self._keys:
            return np.empty((0, 2), dtype=np.int64)
        keys = np.concatenate(self._keys)
        owner = np.concatenate(self._owner)
        self._keys, self._owner = [keys], [owner]
        return candidate_pairs(keys, owner, self.max_bucket)
