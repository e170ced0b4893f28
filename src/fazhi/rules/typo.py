"""Typos against the lexicon of fixed terms (likely-typo), and words a report should not use
(cautionary-word).

likely-typo finds, with one Aho–Corasick automaton run over the text written in sound codes:
- sound: spans whose pinyin (fuzzy syllables, see fazhi.knowledge.lexicon) equals a term's while
  one character differs — 再接再励 for 再接再厉, 依法行正 for 依法行政;
- variants: a term with one character replaced by a look-alike, one inner character dropped, or
  two neighbouring characters swapped — 未成年保护 for 未成年人保护, 事实求是 for 实事求是;
- halves: for terms of six characters or more, a span that matches the term but for one inner
  character, whatever it is, when that character sounds near the right one or makes no word —
  推荐法治政府建设 for 推进法治政府建设;
then a character that makes no word with either neighbour (one regex scan finds the characters to
look at; each pair of neighbours is looked up once per process) and whose homophone makes a
common word that the report uses elsewhere (凯展 for 开展); the usage checks (截止 before a time point, 的 before a verb after an adverbial adjective)
and the confusions listed as data or in the user's configuration (确实加强).
A candidate is dropped when it is itself a term or a dictionary word, when the two characters are
legitimate variants (作出/做出, 制定/制订), when a short term's written form reads as words of its
own (确实加强 is left to the confusion list), inside 《》 (titles are the citation rules'
business), beside place-name characters or in quotation marks (for the no-word check), and
inside a term the user allowed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from array import array
from bisect import bisect_left
from typing import Any, Iterator

from fazhi.knowledge.formulations import misuses_in
from fazhi import knowledge
from fazhi._native import kernel
from fazhi.cache import cached, folder
from fazhi.knowledge.lexicon import (
    Lexicon,
    UserLexicon,
    all_words,
    common_words,
    dictionary_words,
    free_characters,
    lexicon,
    readings,
    reads_as_words,
    sound_codes,
    sound_relation,
    sources,
)
from fazhi.model import Document
from fazhi.rules.registry import Context, Hit, rule

_TITLE = re.compile(r"《[^《》\n]{1,80}》")
_SHORT = 5  # terms up to this length need a sound- or look-alike character and no word of its own
# Characters whose absence from a term leaves a legitimate phrase (能力水平, 存在问题, 规范文件)
_OPTIONAL = frozenset("的地得和与及之性有了在对是等并或其而")
# Single characters that stand as words of their own in running text (全年共推进, 均已办结)
_SINGLE = _OPTIONAL | frozenset("共均已再又还都也就才仅约近达各每把被将从向按由经据为以于")


@dataclass(frozen=True, slots=True)
class _Matcher:
    # One Aho–Corasick automaton run over the text written in sound codes
    # (fazhi.knowledge.lexicon.sound_codes): an alphabet of a few hundred syllables keeps
    # pyahocorasick several times faster than over characters. One scan serves the forms and the
    # halves of long terms; each coded key stands for (length, first, others, forms, halves):
    # - first: the first term of this sound in sorted order (or ""), others: the other terms
    #   of this sound (a frozenset, or None when there are none); a span written as one of them
    #   is no slip, and no form can match it (forms are never terms), so most matches (terms
    #   written correctly) cost one slice and one string comparison;
    # - forms: (written form, term, kind, k): "" for any homophone of the term (kind "sound", k
    #   found at run time), else a look-alike, dropped or swapped form (k: where it differs for
    #   "shape", else -1), in the order of the sorted terms;
    # - halves: (term, its length, how far before the key's end it starts, its first and its
    #   last character) for the halves of long terms.
    # With the compiled kernel (fazhi/_native/_typo.c), `native` is its Automaton over the tables
    # of the same keys and values (_tables), which walks the text and makes those checks in C, and
    # `both` and `codes` are None.
    both: Any
    codes: list[int] | None  # the str.translate table: character -> its sound code, else _OTHER
    native: Any = None


# pyahocorasick looks for a character among a node's children one by one, so the keys go in with
# the commonest syllables first, and every character without a sound code (punctuation, digits,
# Latin) is written as _OTHER, which a dummy key makes the root's first child.
_OTHER, _NEVER = "\uf8f0", "\uf8f1"  # private use, past the sound codes; _NEVER is never written


def _automaton(entries: list[tuple[str, tuple]]) -> Any:
    import ahocorasick  # pyahocorasick

    a = ahocorasick.Automaton()
    a.add_word(_OTHER + _NEVER, (2, "", None, (), ()))
    for key, value in entries:
        a.add_word(key, value)
    a.make_automaton()
    return a


def _coded(s: str, codes: dict[int, int]) -> str | None:
    c = s.translate(codes)
    return c if all(ord(x) >= 0xE000 for x in c) else None


_c = kernel("_typo")


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    if _c is not None:
        native = _native_automaton()
        if native is not None:
            return _Matcher(None, None, native)
    return _pure_matcher()


def _native_automaton() -> Any:
    """The kernel's Automaton over _tables() (kept in the cache folder: building them takes about
    a second), or None when neither the kept nor fresh tables pass its checks, or when there is
    no pinyin table to write the text in sound codes (the pure path then matches nothing either)."""
    if not sound_codes():
        return None
    for tables in (lambda: cached("typotables", sources(), _tables), _tables):
        try:
            return _c.Automaton(tables())
        except (TypeError, ValueError, OverflowError, MemoryError):  # kept tables unreadable: build afresh
            continue
    return None


@lru_cache(maxsize=1)
def _pure_matcher() -> _Matcher:
    import ahocorasick  # pyahocorasick

    # the built automaton's own state (what pickle would keep: its nodes as bytes and its values,
    # plain data) in the cache folder, keyed by pyahocorasick's module too: restoring it takes a
    # third of the time of adding the 28,000 keys again
    automaton, words = None, -1
    if folder() is not None:  # (without a cache folder the state would only be made to be read back)
        words, state = cached("typoauto", [*sources(), ahocorasick.__file__], _frozen)
        try:
            automaton = ahocorasick.Automaton(*state)
        except (TypeError, ValueError):
            pass
    if automaton is None or automaton.kind != ahocorasick.AHOCORASICK or len(automaton) != words:
        automaton = _automaton(_entries())  # no cache, or a state this pyahocorasick cannot read
    table = [ord(_OTHER)] * 0x10000  # a list: str.translate looks a list up faster than a dict
    for ch, code in sound_codes().items():
        table[ch] = code
    return _Matcher(automaton, table)


def _frozen() -> tuple[int, tuple]:
    """(number of keys, the automaton's state)."""
    automaton = _automaton(_entries())
    return len(automaton), automaton.__reduce__()[1]


def _forms() -> tuple[dict[str, list], dict[str, list]]:
    """coded key -> [(written form or "" for any homophone, term, kind)], and coded half ->
    [(term, offset of the half)] for the terms of six characters or more."""
    lex = lexicon()
    codes = sound_codes()
    forms: dict[str, list] = {}
    halves: dict[str, list] = {}

    def add(written: str, term: str, kind: str) -> None:
        key = _coded(written, codes)
        if key is not None and (kind == "sound" or written not in lex.terms):
            forms.setdefault(key, []).append((written if kind != "sound" else "", term, kind))

    for t in sorted(lex.terms):
        add(t, t, "sound")
        n = len(t)
        for k, ch in enumerate(t):
            for other in lex.lookalike.get(ch, ""):
                add(t[:k] + other + t[k + 1:], t, "shape")
            if n >= 4 and 0 < k < n - 1:
                add(t[:k] + t[k + 1:], t, "drop")
            if k + 1 < n and t[k] != t[k + 1]:
                add(t[:k] + t[k + 1] + t[k] + t[k + 2:], t, "swap")
        if n >= 6:
            for half, offset in ((t[: n // 2], 0), (t[n // 2:], n // 2)):
                key = _coded(half, codes)
                if key is not None:
                    halves.setdefault(key, []).append((t, offset))
    return forms, halves


def _entries() -> list[tuple[str, tuple]]:
    """The automaton's keys and values (see _Matcher; plain data, for the cache), the keys in
    the order of their syllables' frequency in the terms (a node's children are looked through
    in the order they were added)."""
    forms, halves = _forms()
    out = []
    for key in forms.keys() | halves.keys():
        f = tuple((w, t, kind, _diff(w, t) if kind == "shape" else -1) for w, t, kind in forms.get(key, ()))
        sound = [t for _, t, kind, _ in f if kind == "sound"]
        h = tuple(
            (t, len(t), offset + (len(t) - len(t) // 2 if offset else len(t) // 2) - 1, t[0], t[-1])
            for t, offset in halves.get(key, ())
        )
        first, others = (sound[0], frozenset(sound[1:]) or None) if sound else ("", None)
        out.append((key, (len(key), first, others, f, h)))
    count = Counter(c for t in lexicon().terms for c in (_coded(t, sound_codes()) or ""))
    rank = {c: i for i, (c, _) in enumerate(sorted(count.items(), key=lambda x: (-x[1], x[0])))}
    # the keys of terms and halves first (text mostly follows them), then the other forms
    out.sort(key=lambda e: (not (e[1][1] or e[1][4]), [rank.get(c, len(rank)) for c in e[0]], e[0]))
    return out


_KINDS = ("sound", "shape", "drop", "swap", "other")  # a candidate's kind, by its index in the tables
_TABLES_FORMAT = 3  # FORMAT in _typo.c
_NO_K = -(2**31)  # a form's k that is None
_DENSE = 16  # a node with this many children has a row of every symbol (a binary search fewer)


def _tables() -> tuple:
    """_entries() for the compiled scan, a trie of the keys over their symbols (sound code -
    U+E000): (format, first character of the map, number of symbols, then int32 arrays as bytes)
    — map: character - first -> symbol or -1; nodes, numbered depth first: (first edge, number
    of edges, key or -1), where the root and the nodes with _DENSE children or more have (row,
    -1, key); edges: (symbol, node), sorted by symbol per node; rows: symbol -> node or 0, one
    row of `symbols` per dense node; keys, in the order of _entries(): (length, first term or
    -1, others start, count, forms start, count, halves start, count); others: strings; forms:
    (written or -1 for a homophone, term, kind in _KINDS, k or _NO_K for None); halves: (term,
    back); strings: (offset, length) in pool; pool: the characters."""
    entries = _entries()
    base = 0xE000
    strings: dict[str, int] = {}

    def sid(s: str) -> int:
        return strings.setdefault(s, len(strings))

    children: list[dict[int, int]] = [{}]
    key_at = [-1]
    keys: list[int] = []
    others: list[int] = []
    forms: list[int] = []
    halves: list[int] = []
    for number, (key, (length, first, other, fs, hs)) in enumerate(entries):
        u = 0
        for ch in key:
            v = children[u].get(ord(ch) - base)
            if v is None:
                v = children[u][ord(ch) - base] = len(children)
                children.append({})
                key_at.append(-1)
            u = v
        key_at[u] = number
        keys += (length, sid(first) if first else -1, len(others), len(other or ()), len(forms) // 4, len(fs), len(halves) // 2, len(hs))
        others += (sid(t) for t in sorted(other or ()))
        for w, t, kind, k in fs:
            forms += (sid(w) if w else -1, sid(t), _KINDS.index(kind), _NO_K if k is None else k)
        for t, size, back, head, tail in hs:
            if (size, head, tail) != (len(t), t[0], t[-1]):
                raise ValueError(f"half of {t}")  # the kernel reads them from the term
            halves += (sid(t), back)
    # numbered depth first, so that a walk down the trie reads neighbouring records
    order: list[int] = []
    stack = [0]
    while stack:
        u = stack.pop()
        order.append(u)
        stack += (v for _, v in sorted(children[u].items(), reverse=True))
    new = {u: i for i, u in enumerate(order)}
    symbols = max(sound_codes().values(), default=base - 1) - base + 1
    nodes: list[int] = []
    edges: list[int] = []
    rows: list[int] = []
    for u in order:
        if u == 0 or len(children[u]) >= _DENSE:
            nodes += (len(rows) // max(symbols, 1), -1, key_at[u])
            rows += (new[children[u][s]] if s in children[u] else 0 for s in range(symbols))
        else:
            nodes += (len(edges) // 2, len(children[u]), key_at[u])
            edges += (x for s, v in sorted(children[u].items()) for x in (s, new[v]))
    lo, hi = min(sound_codes(), default=0), max(sound_codes(), default=-1)
    char_map = [-1] * (hi - lo + 1)
    for ch, code in sound_codes().items():
        char_map[ch - lo] = code - base
    pool: list[int] = []
    spans: list[int] = []
    for s in strings:
        spans += (len(pool), len(s))
        pool += map(ord, s)
    i32 = "i" if array("i").itemsize == 4 else "l"
    arrays = (char_map, nodes, edges, rows, keys, others, forms, halves, spans, pool)
    return (_TABLES_FORMAT, lo, symbols, *(array(i32, a).tobytes() for a in arrays))


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    term: str
    kind: str  # sound | shape | drop | swap | other
    k: int  # the position of the differing character in the term (sound, shape, other)


@lru_cache(maxsize=1)
def _words() -> frozenset[str] | None:
    """jieba's words and the field's own two-character words it lacks (述法, 解纷 …: the list
    the near-duplicate rule uses); None without jieba."""
    d = dictionary_words()
    return None if d is None else d | frozenset(knowledge.load("boilerplate")["near_duplicate"]["words"])


def _diff(written: str, term: str) -> int | None:
    """The one position where two strings of equal length differ, or None (the first difference
    found by halving, then the rest compared whole: a few C-level comparisons)."""
    n = min(len(written), len(term))
    a, b = written[:n], term[:n]
    if a == b:
        return None
    lo, hi = 0, n  # a[:lo] == b[:lo], and they differ inside [lo, hi)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid
    return lo if a[lo + 1:] == b[lo + 1:] else None


def _makes_word(text: str, pos: int, lo: int, hi: int, words: frozenset[str] | None) -> bool:
    """Whether the character at pos forms a dictionary word of two or three characters with its
    neighbours inside [lo, hi)."""
    if words is None:
        return False
    for size in (2, 3):
        for s in range(max(lo, pos - size + 1), min(pos, hi - size) + 1):
            if text[s:s + size] in words:
                return True
    return False


def _segmentable(s: str, words: frozenset[str] | None) -> bool:
    """Whether `s` reads as words of its own (and single function characters)."""
    return reads_as_words(s, words, _SINGLE)


def _candidates(text: str, m: _Matcher, exact: array) -> Iterator[_Candidate]:
    """Candidates of the automaton (those of the forms first, then those of the halves, each in
    the order of the text); `exact` (array "q") receives the spans of terms written correctly
    (the first term of their sound), start and end one after the other."""
    if m.native is not None:
        found, spans = m.native.scan(text)
        exact.frombytes(spans)
        for start, end, term, kind, k in found:
            yield _Candidate(start, end, term, _KINDS[kind], k)
        return
    later: list[_Candidate] = []
    n = len(text)
    empty = ()  # compared by identity: most keys have no forms or no halves, and their tuples stay unread
    for end, (length, first, others, forms, halves) in m.both.iter(text.translate(m.codes)):
        if forms is not empty:
            start = end - length + 1
            written = text[start:end + 1]
            if written == first:  # the term is written here correctly
                exact.extend((start, end + 1))
            elif others is None or written not in others:  # nor a term of the same sound
                for form, t, kind, k in forms:
                    if not form:
                        k = _diff(written, t)
                        if k is not None:
                            yield _Candidate(start, end + 1, t, "sound", k)
                    elif written == form:
                        yield _Candidate(start, end + 1, t, kind, k)
        if halves is empty:
            continue
        for t, size, back, head, tail in halves:
            start = end - back
            # one inner difference: the first and last characters must be the term's
            if start < 0 or start + size > n or text[start] != head or text[start + size - 1] != tail:
                continue
            written = text[start:start + size]
            if written == t:
                continue
            # the half that matched is equal in sound: the one difference may be anywhere
            k = _diff(written, t)
            if k is not None:
                later.append(_Candidate(start, start + size, t, "other", k))
    yield from later


# ---------------------------------------------------------------- a character that makes no word


def _bigram_codes(words: frozenset[str]) -> bytes:
    pairs = sorted({ord(w[i]) << 32 | ord(w[i + 1]) for w in words for i in range(len(w) - 1)})
    return array("Q", pairs).tobytes()


@lru_cache(maxsize=1)
def _bigrams() -> array | None:
    """Every pair of neighbouring characters inside a word (of the dictionary, the field's words
    and the lexicon), sorted, as 64-bit codes; None without jieba. A plain array searched with
    bisect: the rule needs a few hundred lookups per report, not numpy's import time."""
    words = _words()
    if words is None:
        return None
    raw = cached("bigrams", sources(), lambda: _bigram_codes(words | all_words() | lexicon().terms))
    known = array("Q")
    known.frombytes(raw)
    return known


def _in_word(known: array, a: str, b: str) -> bool:
    """Whether the characters a, b stand next to each other inside some word."""
    code = ord(a) << 32 | ord(b)
    i = bisect_left(known, code)
    return i < len(known) and known[i] == code


def _repairs_index() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    before: dict[tuple[str, str], str] = {}
    after: dict[tuple[str, str], str] = {}
    r = readings()
    for a, b in sorted(common_words()):
        if a in r:
            before[r[a][0], b] = before.get((r[a][0], b), "") + a
        if b in r:
            after[a, r[b][0]] = after.get((a, r[b][0]), "") + b
    return before, after


@lru_cache(maxsize=1)
def _repairs() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """The common two-character words (common_words) by a reading and a character: (reading,
    second character) -> the first characters of that most common reading, (first character,
    reading) -> the second characters. A homophone that makes a word with a neighbour is one
    dictionary lookup instead of a walk over every homophone."""
    return cached("repairs", sources(), _repairs_index)


@lru_cache(maxsize=1)
def _ordinary() -> frozenset[str]:
    """Characters that stand as words of their own (free_characters, _SINGLE): never looked at
    by the no-word check."""
    return free_characters() | _SINGLE


@lru_cache(maxsize=1)
def _looked_at() -> re.Pattern[str]:
    """A Han character that is not an ordinary word of its own (one character class, so the
    scan runs in C)."""
    ordinary = {ord(c) for c in _ordinary()}
    ranges: list[tuple[int, int]] = []
    for cp in range(0x4E00, 0xA000):
        if cp in ordinary:
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return re.compile("[" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]")


@lru_cache(maxsize=1)
def _looked_at_bits() -> bytes:
    """_looked_at as a bitmap over U+4E00..U+9FFF (bit i of byte i // 8: U+4E00 + i), for the
    kernel's isolated()."""
    bits = bytearray(b"\xff" * (0x5200 // 8))
    for ch in _ordinary():
        i = ord(ch) - 0x4E00
        if 0 <= i < 0x5200:
            bits[i >> 3] &= ~(1 << (i & 7)) & 0xFF
    return bytes(bits)


@lru_cache(maxsize=1)
def _native_pairs() -> Any:
    """The kernel's index of _bigrams() and _looked_at_bits() (built in C in a millisecond), or
    None (no kernel, no jieba, or a pair list the kernel refuses: not sorted)."""
    known = _bigrams()
    if _c is None or known is None:
        return None
    try:
        return _c.Pairs(known, _looked_at_bits())
    except ValueError:
        return None


# pair of neighbouring characters -> inside some word, for the `known` array it was looked up in:
# reports share most of their pairs, so a process looks each up once (bounded: cleared when full)
_PAIRS: list[Any] = [None, {}]
_PAIRS_MAX = 50_000


def _isolated(text: str, known: array) -> Iterator[tuple[int, bool, bool]]:
    """(position, right neighbour free, left neighbour free) for the Han characters that are not
    ordinary words of their own and make a word with neither neighbour; a neighbour is "free"
    when it does not belong to a word on its other side."""
    padded = f"  {text}  "
    if _PAIRS[0] is not known or len(_PAIRS[1]) > _PAIRS_MAX:
        _PAIRS[:] = [known, {}]
    pairs: dict[str, bool] = _PAIRS[1]
    get = pairs.get

    def in_word(pair: str) -> bool:
        found = get(pair)
        if found is None:
            found = pairs[pair] = _in_word(known, pair[0], pair[1])
        return found

    for m in _looked_at().finditer(text, 1, len(text) - 1):
        i = m.start()
        # the two lookups of in_word written out: this loop sees a tenth of the text
        pair = text[i - 1:i + 1]
        found = get(pair)
        if found is None:
            found = pairs[pair] = _in_word(known, pair[0], pair[1])
        if found:
            continue
        pair = text[i:i + 2]
        found = get(pair)
        if found is None:
            found = pairs[pair] = _in_word(known, pair[0], pair[1])
        if not found:
            yield i, not in_word(padded[i + 3:i + 5]), not in_word(padded[i:i + 2])


# Characters of place names (豫灵镇, 北坪乡, 熟溪街道, 靖州): a character that makes no word next to
# one of these is more likely part of a name than a slip.
_PLACE = frozenset("州镇乡县区市村旗盟街道路巷山河湖江溪坪桥湾岭峰寨庄屯营堡洲岛沟川坝塘垸圩")
_QUOTED = re.compile(r"“[^“”\n]{1,30}”")


def _nonword_slips(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, written, intended): a character that makes no word with its neighbours and
    whose homophone makes a common word with one of them — 伐治 for 法治, 凯展 for 开展."""
    known = _bigrams()
    if known is None:
        return
    before, after = _repairs()
    first = readings()
    pairs = _native_pairs()
    isolated = pairs.isolated(text) if pairs is not None else _isolated(text, known)
    for i, right_free, left_free in isolated:
        c = text[i]
        rs = first.get(c)
        if rs is None:
            continue  # no homophone to repair with
        # the neighbour the repair joins must not already belong to a word on its other side
        # (不充分 is no 补充, 参考率 no 考虑)
        fixes = set()
        nxt, prv = text[i + 1], text[i - 1]
        if _is_han(nxt) and right_free:
            fixes |= {(h + nxt, i) for h in before.get((rs[0], nxt), "") if h != c}
        if _is_han(prv) and left_free:
            fixes |= {(prv + h, i - 1) for h in after.get((prv, rs[0]), "") if h != c}
        if len(fixes) == 1:
            word, start = fixes.pop()
            # the report itself uses the intended word elsewhere (开展, 接受 …): 涉法 is no slip
            # for 设法, nor a name (胡硕) for 胡说
            if word not in text:
                continue
            if _PLACE.isdisjoint(text[max(0, start - 1):start + 6]) and not _in_quotes(text, start):
                yield start, start + 2, text[start:start + 2], word


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _in_quotes(text: str, pos: int) -> bool:
    """Whether pos lies inside “…” (a project's or a brand's name)."""
    return any(m.start() < pos < m.end() for m in _QUOTED.finditer(text, max(0, pos - 31), min(len(text), pos + 31)))


def _plausible(text: str, c: _Candidate, lex: Lexicon, words: frozenset[str] | None) -> str | None:
    """Why the candidate is a slip, in Chinese, or None when it is not one."""
    written = text[c.start:c.end]
    if written in lex.terms or (words is not None and written in words):
        return None
    if c.kind in ("drop", "swap") and (
        _makes_word(text, c.start, max(0, c.start - 1), c.start + 1, words)
        or _makes_word(text, c.end - 1, c.end - 1, min(len(text), c.end + 1), words)
    ):
        return None  # the span begins or ends inside a word of the text around it
    if c.kind == "drop":
        dropped = next(c.term[i] for i in range(len(c.term)) if c.term[:i] + c.term[i + 1:] == written)
        if dropped in _OPTIONAL or (len(written) <= 4 and _segmentable(written, words)):
            return None  # 存在问题, 能力水平: a shorter phrase of its own
        return f"漏了“{dropped}”字"
    if c.kind == "swap":
        return "字序颠倒"
    a, b = written[c.k], c.term[c.k]
    if (a, b) in lex.variants or not _is_han(a):
        return None
    relation = sound_relation(a, b)
    shape = a in lex.lookalike.get(b, "")
    if c.kind == "other":
        if not (relation or shape) and _makes_word(text, c.start + c.k, c.start, c.end, words):
            return None
        kind = "形近" if shape else "音同" if relation == "same" else "音近" if relation else "错字"
        return f"“{a}”与“{b}”{kind}"
    if len(c.term) <= _SHORT and _segmentable(written, words):
        return None  # the written text reads as words of its own: a different phrase, not a slip
    if c.k in (0, len(c.term) - 1) and _makes_word(text, c.start + c.k, max(0, c.start - 1), min(len(text), c.end + 1), words):
        return None
    kind = "形近" if c.kind == "shape" else "音同" if relation == "same" else "音近"
    return f"“{a}”与“{b}”{kind}"


def _blocked(doc: Document, ctx: Context) -> list[tuple[int, int]]:
    """Spans no typo is looked for in: titles in 《》, citations, the formulations C105 reports, and
    the terms the user allowed."""
    text = doc.text
    spans = [m.span() for m in _TITLE.finditer(text)]
    spans += [(c.start, c.end) for c in ctx.facts.citations]
    spans += [(m.start, m.end) for m in misuses_in(doc)]
    for term in ctx.config.lexicon.allow:
        i = text.find(term)
        while i >= 0:
            spans.append((i, i + len(term)))
            i = text.find(term, i + 1)
    return spans


def _overlaps(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s < b and a < e for s, e in spans)


@lru_cache(maxsize=1)
def _usage_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    u = lexicon().usage
    jiezhi = re.compile(r"截止(?=" + u["time_after_jiezhi"] + ")")
    alt = lambda words: "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # noqa: E731
    de = re.compile(f"({alt(u['adverbial'])})的({alt(u['verbs'])})(?!{alt(u['noun_heads'])})")
    noun_verb = re.compile(f"(?:{alt(u['noun_verbs'])})[了着过]?[^，。；：！？\\n]{{0,8}}$")
    return jiezhi, de, noun_verb


def _usage(text: str) -> Iterator[Hit]:
    jiezhi, de, noun_verb = _usage_patterns()
    for m in jiezhi.finditer(text):
        yield Hit(m.start(), m.end(), f"“截止”表示到期停止，后面跟时间点时应写“截至”（如“截至{text[m.end():m.end() + 6].split('，')[0]}”）", "截至")
    for m in de.finditer(text):
        if noun_verb.search(text, max(0, m.start() - 12), m.start()):
            continue  # 得到群众积极的参与: the verb is a noun here
        if m.start() > 0 and text[m.start() - 1] in "的地得":
            continue
        yield Hit(m.start(), m.end(), f"“{m.group(1)}”修饰动词“{m.group(2)}”，应用“地”：“{m.group(1)}地{m.group(2)}”", f"{m.group(1)}地{m.group(2)}")


def _confusions(text: str, lex: Lexicon, user: UserLexicon) -> Iterator[Hit]:
    for c in (*lex.confusions, *user.confusions):
        i = text.find(c.word)
        while i >= 0:
            after = text[i + len(c.word):]
            nxt = next((b for b in c.before if after.startswith(b)), None)
            if not c.before or (nxt and after[len(nxt):len(nxt) + 1] not in ("了", "过", "着")):
                yield Hit(i, i + len(c.word), f"“{c.word}”疑为“{c.intended}”之误", c.intended)
            i = text.find(c.word, i + len(c.word))


def _report(*body: str) -> str:
    return "\n".join(["某县司法局关于2024年度法治政府建设情况的报告", "县委、县政府：", *body, "特此报告。", "某县司法局", "2025年1月20日"])


@rule(
    code="W102",
    name="likely-typo",
    severity="warning",
    category="writing",
    summary="固定词语、成语、规范提法中的错别字，以及“截止/截至”“的/地”用错",
    why=(
        "公文里的固定说法（法律和行政术语、规范提法、成语、常用搭配）写错一个字，读者一眼就能看出，却最容易被起草人漏看。"
        "本规则把正文与固定词语表比对：同音或音近字（按拼音）、形近字替换了一个字，固定词语中间漏了一个字，相邻两字颠倒，"
        "都作为疑似错字提示，并给出正确写法；一个字与前后都不成词、换成同音字就成为本报告其他地方用过的常用词的（“凯展”与“开展”），也提示；另外检查“截止”后面直接跟时间（应为“截至”）、"
        "“扎实的推进”这类形容词作状语时误用“的”（应为“地”），以及常见的混淆词（“确实加强”应为“切实加强”）。"
        "两种写法都规范的（作出/做出、制定/制订）不提示；改写后的词本身是词典里的词时也不提示，宁可漏报，不误报。"
        "本地地名、项目名可在 fazhi.toml 的 [lexicon] allow 中列出，永不提示。"
    ),
    bad=_report("我局确实加强组织领导，再接再励推荐法治政府建设。截止今年6月底，扎实的推进行政执法三项制度。"),
    good=_report("我局切实加强组织领导，再接再厉推进法治政府建设。截至今年6月底，扎实地推进行政执法三项制度，报名截止日期为6月30日，依法作出处罚决定，制订工作方案。"),
)
def likely_typo(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    lex = lexicon()
    user = ctx.config.lexicon
    words = _words()
    blocked: list[tuple[int, int]] | None = None
    seen: set[tuple[int, int]] = set()
    hits: list[Hit] = []
    exact = array("q")
    straddling: list[tuple[int, int]] | None = None
    for c in sorted(_candidates(text, _matcher(), exact), key=lambda c: (c.start, -c.end)):
        if (c.start, c.end) in seen or any(s <= c.start < e for s, e in seen):
            continue
        why = _plausible(text, c, lex, words)
        if why is None:
            continue
        if straddling is None:
            straddling = list(zip(exact[::2], exact[1::2]))
        if any(s < c.end and c.start < e and not (c.start <= s and e <= c.end) for s, e in straddling):
            continue  # a term written correctly straddles the span: 依法治国中 is no 法治中国
        if blocked is None:
            blocked = _blocked(doc, ctx)
        if _overlaps(blocked, c.start, c.end):
            continue
        seen.add((c.start, c.end))
        written = text[c.start:c.end]
        hits.append(Hit(c.start, c.end, f"“{written}”疑为“{c.term}”之误（{why}）", c.term))
    for a, b, written, intended in _nonword_slips(text):
        if any(s < b and a < e for s, e in seen):
            continue
        if blocked is None:
            blocked = _blocked(doc, ctx)
        if not _overlaps(blocked, a, b):
            seen.add((a, b))
            hits.append(Hit(a, b, f"“{written}”疑为“{intended}”之误（同音字，“{written}”不成词）", intended))
    for h in (*_usage(text), *_confusions(text, lex, user)):
        if not any(s < h.end and h.start < e for s, e in seen):
            if blocked is None:
                blocked = _blocked(doc, ctx)
            if not _overlaps(blocked, h.start, h.end):
                seen.add((h.start, h.end))
                hits.append(h)
    hits.sort(key=lambda h: h.start)
    yield from hits


@rule(
    code="W103",
    name="cautionary-word",
    severity="warning",
    category="writing",
    summary="用了已不再使用或本单位规定不用的词（禁用词、慎用词），并说明原因",
    why=(
        "机构改革、法律修改以后，一些名称和提法不再使用（如“全国法制宣传日”已改为“国家宪法日”，“依法治县领导小组”已改设为"
        "“县委全面依法治县委员会”）；各单位也常有自己的禁用词、慎用词清单。本规则逐一查找，并给出原因和应当使用的写法。"
        "单位自己的清单写在 fazhi.toml 的 [lexicon] 中，见 README。"
    ),
    bad=_report("12月4日全国法制宣传日当天，我局开展宪法宣传活动。"),
    good=_report("12月4日国家宪法日当天，我局开展宪法宣传活动。"),
)
def cautionary_word(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    for w in (*lexicon().cautionary, *ctx.config.lexicon.cautionary):
        i = text.find(w.word)
        while i >= 0:
            advice = f"，建议改为“{w.intended}”" if w.intended else ""
            label = "禁用" if w.severity == "error" else "慎用"
            yield Hit(i, i + len(w.word), f"“{w.word}”为{label}词：{w.reason}{advice}", w.intended, severity=w.severity)
            i = text.find(w.word, i + len(w.word))
