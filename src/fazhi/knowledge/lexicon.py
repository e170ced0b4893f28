"""The lexicon of fixed terms the likely-typo rule checks text against, and the character
relations it uses (sound-alike by pinyin, look-alike by data).

Terms come from knowledge/lexicon.toml and from the rest of the knowledge base (document names,
correct formulations, 纲要 keywords, campaign names, stock phrases), plus the idioms of jieba's
dictionary. Pinyin comes from pypinyin's character table; it is read once and kept in the user's
cache folder (fazhi.cache), because importing pypinyin takes a fifth of a second.

Sound-alike is judged on a "fuzzy" syllable: tone dropped, zh/ch/sh folded to z/c/s, -ng finals
folded to -n and l- to n- (the fuzzy settings of Chinese input methods), so 实/十/是/时 and
进/近/尽/劲 share a code, and so do 情/勤 and 落/诺.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from fazhi import knowledge
from fazhi.cache import cached
from fazhi.knowledge.catalog import load_entries
from fazhi.knowledge.formulations import formulations

_HAN4 = re.compile(r"^[\u4e00-\u9fff]{3,16}$")
_SPLIT = re.compile(r"[、，,；;：:“”‘’\"'（）()《》\s]+")
_PUA = 0xE000  # syllable codes are private-use characters, one per fuzzy syllable


def _fuzzy(syllable: str) -> str:
    s = "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c))
    s = s.replace("ü", "v")
    for a, b in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if s.startswith(a):
            s = b + s[2:]
    if s.startswith("l"):
        s = "n" + s[1:]
    if s.endswith("ng") and len(s) > 2:
        s = s[:-1]
    return s


def _common_chars() -> list[str]:
    """The 6,763 characters of GB 2312: the characters a typo can put in."""
    out = []
    for b1 in range(0xB0, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                out.append(bytes([b1, b2]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return out


def _build_pinyin() -> dict[str, tuple[str, ...]]:
    """character -> its readings (toneless, unfolded), for the GB 2312 characters."""
    from pypinyin.pinyin_dict import pinyin_dict  # heavy import (0.2 s): only when the cache is cold

    out = {}
    for ch in _common_chars():
        raw = pinyin_dict.get(ord(ch))
        if raw:
            readings = []
            for r in raw.split(","):
                plain = "".join(c for c in unicodedata.normalize("NFD", r) if not unicodedata.combining(c)).replace("ü", "v")
                if plain not in readings:
                    readings.append(plain)
            out[ch] = tuple(readings)
    return out


def _pinyin_source() -> list[Path]:
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pypinyin")
    return [Path(list(spec.submodule_search_locations)[0]) / "pinyin_dict.py"]


@lru_cache(maxsize=1)
def readings() -> dict[str, tuple[str, ...]]:
    """character -> toneless readings (first = most common); {} when pypinyin is not installed."""
    try:
        sources = _pinyin_source()
    except ModuleNotFoundError:
        return {}
    return cached("pinyin", sources, _build_pinyin)


@lru_cache(maxsize=1)
def sound_codes() -> dict[int, int]:
    """A str.translate table: character -> a private-use character standing for the fuzzy syllable
    of its first reading. Two characters with the same code sound alike. Kept in the cache
    folder (folding 6,763 readings takes ten milliseconds at every start)."""
    try:
        sources = _pinyin_source() + [Path(__file__)]
    except ModuleNotFoundError:
        return {}
    return cached("soundcodes", sources, _build_sound_codes)


def _build_sound_codes() -> dict[int, int]:
    syllables: dict[str, int] = {}
    table = {}
    for ch, rs in readings().items():
        code = syllables.setdefault(_fuzzy(rs[0]), _PUA + len(syllables))
        table[ord(ch)] = code
    return table


def sound_relation(a: str, b: str) -> str | None:
    """"same" when two characters share a reading (tone aside), "near" when their fuzzy syllables
    agree or differ by one letter, else None."""
    ra, rb = readings().get(a), readings().get(b)
    if not ra or not rb:
        return None
    if set(ra) & set(rb):
        return "same"
    fa, fb = {_fuzzy(r) for r in ra}, {_fuzzy(r) for r in rb}
    if fa & fb or any(_one_edit(x, y) for x in ra for y in rb):
        return "near"
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether two syllables differ by one letter replaced, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


@dataclass(frozen=True, slots=True)
class Confusion:
    word: str
    intended: str
    before: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cautionary:
    word: str
    reason: str
    intended: str | None = None
    severity: str = "warning"


@dataclass(frozen=True, slots=True)
class Lexicon:
    terms: frozenset[str]
    lookalike: dict[str, str]  # character -> the characters that look like it
    variants: frozenset[tuple[str, str]]  # (a, b) pairs that are both correct
    confusions: tuple[Confusion, ...]
    cautionary: tuple[Cautionary, ...]
    usage: dict


def _pieces(text: str) -> list[str]:
    return [p for p in _SPLIT.split(text) if _HAN4.match(p)]


def reads_as_words(s: str, words: frozenset[str] | None, single: frozenset[str] = frozenset()) -> bool:
    """Whether `s` splits into dictionary words of two to four characters and characters of
    `single`: 确实加强 does (确实|加强), 迫不急待 does not."""
    if words is None:
        return False
    ok = [True] + [False] * len(s)
    for i in range(1, len(s) + 1):
        ok[i] = (ok[i - 1] and s[i - 1] in single) or any(
            ok[i - n] and s[i - n:i] in words for n in (2, 3, 4) if i - n >= 0
        )
    return ok[-1]


def _dictionary_path() -> Path | None:
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "dict.txt"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str] | None:
    """Words of two to four characters in jieba's dictionary (frequency >= 5; misspellings it
    lists have 3), read without importing jieba and kept in the cache folder; None when jieba is
    not installed."""
    path = _dictionary_path()
    if path is None:
        return None
    entry = re.compile(r"^([^ \n]{2,4}) 0*(?:[5-9]|[1-9][0-9]+) ", re.M)
    return cached("words", [path], lambda: frozenset(entry.findall(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def all_words() -> frozenset[str]:
    """Every word of two to four Han characters in jieba's dictionary, however rare (民宿 has
    frequency 4): for telling whether a character stands outside any word."""
    path = _dictionary_path()
    if path is None:
        return frozenset()
    entry = re.compile(r"^([\u4e00-\u9fff]{2,4}) ", re.M)
    return cached("allwords", [path], lambda: frozenset(entry.findall(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Two-character words of jieba's dictionary common enough (frequency >= 500) that a slip
    which leaves no word behind and turns into one of them by a homophone is worth a warning."""
    path = _dictionary_path()
    if path is None:
        return frozenset()
    entry = re.compile(r"^([\u4e00-\u9fff]{2}) 0*(?:[5-9][0-9]{2}|[1-9][0-9]{3,}) ", re.M)
    return cached("common500", [path], lambda: frozenset(entry.findall(path.read_text(encoding="utf-8"))))


@lru_cache(maxsize=1)
def free_characters() -> frozenset[str]:
    """Characters jieba's dictionary counts often as words of their own (frequency >= 1500:
    起, 新, 办, 件 …): standing alone they are no sign of a slip."""
    path = _dictionary_path()
    if path is None:
        return frozenset()
    entry = re.compile(r"^([\u4e00-\u9fff]) 0*(?:1[5-9][0-9]{2}|[2-9][0-9]{3}|[1-9][0-9]{4,}) ", re.M)
    return cached("free1500", [path], lambda: frozenset(entry.findall(path.read_text(encoding="utf-8"))))


def _idioms() -> list[str]:
    """Four-character idioms (tag i) of jieba's dictionary with frequency >= 20."""
    path = _dictionary_path()
    if path is None:
        return []
    entry = re.compile(r"^([\u4e00-\u9fff]{4}) 0*(?:[2-9][0-9]|[1-9][0-9]{2,}) i$", re.M)
    return cached("idioms", [path], lambda: entry.findall(path.read_text(encoding="utf-8")))


def _knowledge_terms() -> set[str]:
    """Fixed names and phrases held elsewhere in the knowledge base."""
    out: set[str] = set()
    for e in load_entries():
        # full titles of national laws are cited in 《》 (the citation rules' business); their
        # short names are what running text uses
        for name in (*e.short, *(() if e.title.startswith("中华人民共和国") else (e.title,))):
            out.update(_pieces(name))
    for f in formulations():
        out.update(_pieces(f.correct))
    for area in knowledge.load("taxonomy").get("area", []):
        for kw in area.get("keywords", []):
            out.update(_pieces(kw))
    for c in knowledge.load("campaigns").get("campaign", []):
        out.update(_pieces(c["name"]))
    bank = knowledge.load("boilerplate")
    for p in (*bank["generic"]["phrases"], *bank["generic"]["slogans"]):
        out.update(_pieces(p))
    return out


def sources() -> list[str]:
    """The files the lexicon and the automata built from it derive from (cache keys): the
    knowledge files, jieba's dictionary, pypinyin's table and the code that builds them."""
    out = data_files() + [__file__, str(Path(__file__).parent.parent / "rules" / "typo.py")]
    for extra in (_dictionary_path(), *(_pinyin_source() if importlib.util.find_spec("pypinyin") else [])):
        if extra is not None:
            out.append(str(extra))
    return out


def _build_terms() -> list[str]:
    data = knowledge.load("lexicon")
    terms: set[str] = set()
    for group in data["terms"].values():
        for t in group:
            terms.update(_pieces(t))
    terms.update(_pieces("、".join(data["idioms"]["extra"])))
    terms.update(_idioms())
    terms.update(_knowledge_terms())
    return sorted(t for t in terms if len(t) >= 4)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = knowledge.load("lexicon")
    terms = cached("typoterms", sources(), _build_terms)  # kept on disk: a tenth of a second at start
    lookalike: dict[str, str] = {}
    for g in data["lookalike"]["groups"]:
        for ch in g:
            lookalike[ch] = "".join(sorted(set(lookalike.get(ch, "") + g.replace(ch, ""))))
    variants = set()
    for a, b in data["variants"]["pairs"]:
        variants.update({(a, b), (b, a)})
    confusions = tuple(
        Confusion(c["word"], c["intended"], tuple(c.get("before", ()))) for c in data["confusions"]["pairs"]
    )
    cautionary = tuple(
        Cautionary(w["word"], w["reason"], w.get("intended"), w.get("severity", "warning"))
        for w in data["cautionary"]["words"]
    )
    return Lexicon(frozenset(terms), lookalike, frozenset(variants), confusions, cautionary, data["usage"])


def data_files() -> list[str]:
    """The knowledge files the lexicon is built from (for cache keys and docs)."""
    base = resources.files(__package__)
    return [str(base.joinpath(f"{n}.toml")) for n in ("lexicon", "documents", "formulations", "taxonomy", "campaigns", "boilerplate")]


# ---------------------------------------------------------------------------------------------
# the user's lexicon (fazhi.toml [lexicon])


class LexiconError(ValueError):
    """A user lexicon that cannot be used; `problems` names every bad entry, in Chinese."""

    def __init__(self, problems: list[str]):
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class UserLexicon:
    allow: tuple[str, ...] = ()  # terms never flagged as typos (local names, project names)
    confusions: tuple[Confusion, ...] = ()  # written -> intended, flagged wherever written
    cautionary: tuple[Cautionary, ...] = ()  # banned (error) or cautionary (warning) words


_LEXICON_KEYS = ("allow", "confusions", "cautionary")


def _word(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and "\n" not in value


def user_lexicon(data: object) -> UserLexicon:
    """The [lexicon] table of a configuration, validated. Shape:

        [lexicon]
        allow = ["桂溪片区", "蓉易办"]
        confusions = { "社保局" = "人社局" }          # written = intended
        cautionary = [{ word = "…", reason = "…", intended = "…", severity = "error" | "warning" }]

    Raises LexiconError naming every bad entry."""
    if data is None:
        return UserLexicon()
    if not isinstance(data, dict):
        raise LexiconError(["lexicon 应为一个表（[lexicon]），含 allow、confusions、cautionary"])
    problems = [f"lexicon 中有未知的键“{k}”（可用：{'、'.join(_LEXICON_KEYS)}）" for k in data if k not in _LEXICON_KEYS]
    allow = data.get("allow", [])
    if not isinstance(allow, list):
        problems.append("lexicon.allow 应为词语的列表")
        allow = []
    for i, w in enumerate(allow, 1):
        if not _word(w):
            problems.append(f"lexicon.allow 第{i}项“{w}”不是非空的词语")
    confusions = data.get("confusions", {})
    pairs: list[Confusion] = []
    if not isinstance(confusions, dict):
        problems.append("lexicon.confusions 应为“错误写法 = 正确写法”的表")
        confusions = {}
    for written, intended in confusions.items():
        if not _word(written) or not _word(intended):
            problems.append(f"lexicon.confusions 中“{written}”的正确写法“{intended}”不是非空的词语")
        elif written == intended:
            problems.append(f"lexicon.confusions 中“{written}”的正确写法与它自身相同")
        else:
            pairs.append(Confusion(written, intended))
    cautionary = data.get("cautionary", [])
    words: list[Cautionary] = []
    if not isinstance(cautionary, list):
        problems.append("lexicon.cautionary 应为表的列表，每项含 word、reason")
        cautionary = []
    for i, row in enumerate(cautionary, 1):
        where = f"lexicon.cautionary 第{i}项"
        if not isinstance(row, dict):
            problems.append(f"{where}应为含 word、reason 的表")
            continue
        unknown = [k for k in row if k not in ("word", "reason", "intended", "severity")]
        if unknown:
            problems.append(f"{where}（{row.get('word', '')}）有未知的键：{'、'.join(map(str, unknown))}")
        word, reason = row.get("word"), row.get("reason")
        severity = row.get("severity", "warning")
        intended = row.get("intended")
        if not _word(word):
            problems.append(f"{where}缺少 word（要查找的词）")
            continue
        if not _word(reason):
            problems.append(f"{where}（{word}）缺少 reason（向用户说明的原因）")
        if severity not in ("error", "warning"):
            problems.append(f"{where}（{word}）的 severity“{severity}”无效，应为 error（禁用）或 warning（慎用）")
        if intended is not None and not _word(intended):
            problems.append(f"{where}（{word}）的 intended 应为非空的词语")
        words.append(Cautionary(word, str(reason), intended, severity))
    if problems:
        raise LexiconError(problems)
    return UserLexicon(tuple(w.strip() for w in allow), tuple(pairs), tuple(words))
