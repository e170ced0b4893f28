"""Substance: what the report says rather than how it is formatted — slips that only the report's
own usage reveals, copy-paste inside the report, vague or slogan-only writing, thin shortcomings,
and 纲要 areas left out. All are conservative: a finding here must be one an author would accept.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import compress, repeat
from operator import ne
from typing import Callable, Iterable, Iterator

from fazhi._native import kernel
from fazhi.extract.specificity import TITLE, bank, body_of, figure_starts, figures_in, han_in, sentences_in
from fazhi.hanzi import bmp_only, four_grams, gram_text, han_windows, without_lane
from fazhi.knowledge.lexicon import dictionary_words
from fazhi.knowledge.taxonomy import Area, areas, framework
from fazhi.model import Document, Facts, Item, quote
from fazhi.rules.registry import Context, Hit, rule
from fazhi.vocab import LEVEL_SHORT, PART_NAMES

_c = kernel("_substance")  # the 4-gram counting of Q101 and Q102 in C; None: the pure paths below

_NUMBERING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]|\d{1,2}[.．、]|第[一二三四五六七八九十]+[，、])\s*")

# ---------------------------------------------------------------- shared helpers


def _heading_of(doc: Document, kind: str) -> tuple[int, int] | None:
    for p in doc.parts:
        if p.part == kind:
            return p.start, p.start + max(len(p.heading or ""), 1)
    return None


def _anchor(doc: Document, kind: str) -> tuple[int, int]:
    return _heading_of(doc, kind) or doc.metadata.title_span or (0, min(1, len(doc.text)))


_EXAMPLE = """某县司法局关于2024年度法治政府建设情况的报告
县委、县政府：
2024年，我局深入学习贯彻习近平法治思想，推进法治政府建设，现将有关情况报告如下：
一、主要举措和成效
（一）严格合法性审查。全年审查县政府规范性文件12件、重大行政决策事项5件、以县政府名义签订的合同46份，提出修改意见88条，被采纳81条。调整县政府法律顾问团，聘请执业律师4名、高校教师1名，列席县政府常务会议15次，出具书面法律意见22份。
（二）规范行政执法。组织执法人员综合法律知识培训3期，新增持证人员62人。开展行政执法案卷集中评查，抽查案卷120卷，发现问题31个，均已督促纠正。为乡镇综合行政执法队配备执法记录仪24台。
（三）化解行政争议。全年收到行政复议申请41件，受理39件，审结38件，其中纠错5件；以县政府为被告的一审行政诉讼案件17件，行政机关负责人出庭应诉率100%。人民调解组织排查化解矛盾纠纷860件，调解成功率97.2%。
（四）推进政务公开。在县政府门户网站公开行政处罚决定920条，办理人大代表建议6件、政协提案4件，办复率100%。
二、存在的不足和原因
一是执法监督手段不多。案卷评查以事后抽查为主，执法过程的实时监督尚未覆盖12个乡镇综合执法队，部分执法文书说理不充分。二是基层法治力量薄弱。5个司法所只有1名在编人员，承接行政复议咨询等新任务有困难。三是普法针对性不强。面向新业态从业人员和外来务工人员的普法活动全年只有4场。主要原因是执法监督平台尚未与各执法系统对接，基层编制紧张、培训经费不足。
三、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责同志主持研究法治建设事项6次，带头述法1次，承办人大代表建议2件。
四、2025年工作安排
（一）建成执法监督平台，年内实现全部执法单位数据对接。
（二）为每个司法所配齐2名工作人员，完成基层人员轮训500人次。
（三）针对新业态从业人员开展“订单式”普法不少于20场。
特此报告。
某县司法局
2025年1月20日"""

# ---------------------------------------------------------------- Q101 near-duplicate-phrase


@dataclass(frozen=True, slots=True)
class _Near:
    alternations: frozenset[tuple[str, str]]  # (a, b) for every two spellings of one group
    known: tuple[tuple[str, str], ...]
    words: frozenset[str]


@lru_cache(maxsize=1)
def _near() -> _Near:
    data = bank()["near_duplicate"]
    return _Near(
        frozenset((a, b) for g in data["alternations"] for a in g for b in g),
        # a pair with a character that is not Han can never match a run of Han characters
        tuple((a, b) for a, b in data["known"] if _HAN_ONLY.fullmatch(a) and _HAN_ONLY.fullmatch(b)),
        frozenset(data["words"]),
    )


_dictionary = dictionary_words  # words of two to four characters in jieba's dictionary; None without jieba


# Function characters: a phrase differing in one of these is a different construction, not a slip.
_FUNCTION = frozenset("的地得了着过和与及或在对从把被将是为以于而并且又也都就才之其所向由按")
_GAP = "\x00"  # stands for a title in 《》 (and for what is not Han in a word window): offsets stay the document's
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _in_word(han: str, k: int, near: _Near) -> bool:
    """Whether the character at han[k] belongs to a word: a two-character word of the knowledge
    list, or a two- to four-character word of the dictionary. A window reaching a gap holds a
    character that is not Han and so is never a word."""
    d = _dictionary()
    for length in (2, 3, 4):
        for s in range(max(0, k - length + 1), min(k, len(han) - length) + 1):
            w = han[s:s + length]
            if (length == 2 and w in near.words) or (d is not None and w in d):
                return True
    return False


def _alternate(a: str, b: str, near: _Near) -> bool:
    return (a, b) in near.alternations


def _han_text(doc: Document) -> tuple[int, str]:
    """(start, text): the body after the title, with titles in 《》 replaced by gaps, so that
    text[i] is the document's character at start + i. The other characters that are not Han stay:
    everything below reads runs of Han characters only, and a 4-gram, a pair or a word reaching
    outside a run is never taken. (A text with a character beyond U+FFFF has every character that
    is not Han made a gap, so that four_grams can read it.)"""
    start = doc.metadata.title_span[1] if doc.metadata.title_span else 0
    text = TITLE.sub(lambda m: _GAP * len(m.group(0)), doc.text)[start:]
    return start, text if bmp_only(text) else _NOT_HAN.sub(_GAP, text)


def _gapped(han: str, a: int, b: int) -> str:
    """han[a:b] with every character that is not Han replaced by a gap."""
    return _NOT_HAN.sub(_GAP, han[a:b])


@rule(
    code="Q101",
    name="near-duplicate-phrase",
    severity="warning",
    category="substance",
    summary="某个词语只出现一次，且与报告中多次出现的写法只差一个字，疑为笔误",
    why=(
        "同一份报告里“依法行政”写了多次、只有一处写成“依法形政”，或“法治政府建设”反复出现、只有一处写成“法制政府建设”，"
        "几乎可以肯定是输入法造成的笔误。只在以下情况提示：少见的写法只出现一次，常见写法至少出现两次，两者只差一个字（替换），"
        "且少见写法中含错字的词在词典和本报告其他地方都不存在；县委/市委、党委/党组、一是/二是、审查/审核这类正常的一字之差不提示。"
        "“法治/法制”这类两种写法都是词的，只对知识库列出的固定搭配（法制政府、法制思维等）提示。"
        "一般的一字之差检查需要词表（jieba 的词典）；未安装 jieba 时只检查知识库列出的搭配。"
    ),
    bad=_EXAMPLE.replace("推进法治政府建设，现将", "推进法治政府建设，法治政府建设考核获评优秀，法制政府建设经验被推广，现将"),
    good=_EXAMPLE.replace("推进法治政府建设，现将", "推进法治政府建设，法治政府建设考核获评优秀，法治政府建设经验被推广，现将"),
)
def near_duplicate_phrase(doc: Document, ctx: Context) -> Iterator[Hit]:
    near = _near()
    start, han = _han_text(doc)
    flagged: set[int] = set()
    if _dictionary() is not None:  # without a word list the general check guesses too often
        yield from _one_character_slips(start, han, near, flagged)
    yield from _known_slips(start, han, near, flagged)


# The masks that clear the second / third character of a 4-gram (依法行政 -> 依_行政 / 依法_政).
_WITHOUT = (without_lane(1), without_lane(2))
_ENDS = _WITHOUT[0] & _WITHOUT[1]  # clears both


def _one_character_slips(start: int, han: str, near: _Near, flagged: set[int]) -> Iterator[Hit]:
    """A 4-gram said once that differs in its second or third character from a 4-gram said at
    least twice (the candidates: _slip_candidates, or the kernel's slips), when the difference
    is a slip rather than a different phrase."""
    for i, *alternatives in _c.slips(han) if _c is not None else _slip_candidates(han):
        g = han[i:i + 4]
        for k in (1, 2):
            pos = start + i + k
            best, said = alternatives[2 * k - 2:2 * k]
            if pos in flagged or best is None:
                continue
            rare, other = g[k], best[k]
            if rare in _FUNCTION or other in _FUNCTION or _alternate(rare, other, near):
                continue
            if _recurs(han, g[k - 1:k + 1]) or _recurs(han, g[k:k + 2]):
                continue  # the rare spelling recurs in the report: deliberate
            lo = max(0, i + k - 3)  # every word holding han[i + k] lies in han[i + k - 3:i + k + 4]
            if _in_word(_gapped(han, lo, i + k + 4), i + k - lo, near):
                continue  # the rare character makes a real word here: a different phrase
            flagged.add(pos)
            yield Hit(
                start + i,
                start + i + 4,
                f"“{g}”只出现一次，而本报告中“{best}”出现{said}次，两者只差“{rare}/{other}”一字，疑为笔误",
                suggestion=best,
            )


def _slip_candidates(han: str) -> list[tuple[int, str | None, int, str | None, int]]:
    """(i, common2, n2, common3, n3) for each 4-gram of Han characters said once, at i (in
    order), that differs in its second or third character from a 4-gram said at least twice:
    common2 / common3 is the most said of those differing in the second / third character (the
    first said on a tie), or None, and n2 / n3 how often it is said (0). The 4-grams are counted
    as integers (four_grams: exact, and cheap to hash and to mask), only the few candidates are
    turned back into text."""
    windows = four_grams(han)
    grams = Counter(compress(windows, han_windows(han)))  # the 4-grams of Han characters only
    # What is left of the common 4-grams without their second / third character -> the most
    # said of them (Counter keeps the order of first occurrence: the first said wins a tie).
    best: tuple[dict[int, int], dict[int, int]] = ({}, {})
    for g, n in grams.items():
        if n > 1:
            for table, mask in zip(best, _WITHOUT):
                key = g & mask
                if key not in table or n > grams[table[key]]:
                    table[key] = g
    if not best[0]:
        return []
    # the first and last characters of the common 4-grams, which a 4-gram differing from one of
    # them in the second or third must have too (one cheap test for the hundreds said once)
    ends = {key & _ENDS for key in best[0]}
    w2, w3 = _WITHOUT
    # a 4-gram said once occurs at exactly one position
    candidates = sorted(
        (han.find(gram_text(g)), g)
        for g, n in grams.items()
        if n == 1 and g & _ENDS in ends and (g & w2 in best[0] or g & w3 in best[1])
    )
    out = []
    for i, g in candidates:
        row: list = [i]
        for table, mask in zip(best, _WITHOUT):
            b = table.get(g & mask)
            row += (None, 0) if b is None else (gram_text(b), grams[b])
        out.append(tuple(row))
    return out


def _recurs(text: str, s: str) -> bool:
    """Whether `s` occurs at least twice in `text`, overlapping occurrences included."""
    i = text.find(s)
    return i >= 0 and text.find(s, i + 1) >= 0


def _known_slips(start: int, han: str, near: _Near, flagged: set[int]) -> Iterator[Hit]:
    for slip, intended in near.known:
        right = han.count(intended)
        if right < 2 or han.count(slip) != 1:
            continue
        pos = start + han.find(slip)
        if any(pos <= f < pos + len(slip) for f in flagged):
            continue
        yield Hit(
            pos,
            pos + len(slip),
            f"此处写作“{slip}”，而本报告其余{right}处都写作“{intended}”，疑为笔误或用词不统一，建议统一为“{intended}”",
            suggestion=intended,
        )


# ---------------------------------------------------------------- Q102 self-repetition

_MIN_REPEAT_HAN = 20
_SIMILAR = 0.8
_CONTAINED = 0.9
_WORDS_AND_DIGITS = re.compile(r"[\u4e00-\u9fff0-9]+")


def _norm(text: str) -> str:
    """Han characters and digits, without the numbering token and punctuation."""
    return "".join(_WORDS_AND_DIGITS.findall(_NUMBERING.sub("", text.strip())))


def _part_at(doc: Document, pos: int) -> str | None:
    """The mandated part a position lies in (a subsection part inside it counts as the part)."""
    found = [p for p in doc.parts if p.start <= pos < p.end]
    found.sort(key=lambda p: (p.part == "rectification", p.start))
    return found[0].part if found else None


def _similar(a: str, b: str) -> float:
    """Similarity of two normalized sentences: difflib's ratio, or, when the shorter is at least
    90% contained in the longer (a sentence copied into a longer one), that containment."""
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    m = SequenceMatcher(None, short, long_, autojunk=False)
    contained = sum(blk.size for blk in m.get_matching_blocks()) / len(short)
    if contained >= _CONTAINED:
        return contained
    if len(short) / len(long_) < _SIMILAR:
        return 0.0
    return m.ratio()


_GRAM = 4
_COMMON_GRAM = 50  # a 4-gram found in more sentences than this does not suggest candidates
_SHARED = 0.4  # a candidate shares at least this part of the shorter sentence's 4-grams


def _windows(norms: list[str]) -> list[list[int]]:
    """Each sentence's 4-grams as integers, in order: four_grams of all the sentences run
    together, cut back into sentences (no 4-gram spans two)."""
    every = four_grams("".join(norms))
    out: list[list[int]] = []
    at = 0
    for n in norms:
        out.append(every[at:at + max(len(n) - _GRAM + 1, 0)])  # (a negative end would count from the back)
        at += len(n)
    return out


def _repeats(doc: Document) -> tuple[list[tuple[int, int]], list[tuple[int, int, float]]]:
    """The long sentences of the body, and (earlier index, later index, similarity) for those
    said twice."""
    if not doc.parts:
        return [], []
    spans = [(min(p.start for p in doc.parts), max(p.end for p in doc.parts))]
    sents = sentences_in(doc, spans, _MIN_REPEAT_HAN)
    if _c is None:
        return sents, _repeated([_norm(doc.text[a:b]) for a, b in sents])
    # the kernel finds the few pairs to compare; only their sentences are normalized here
    found = _c.repeats(doc.text, sents, _MIN_REPEAT_HAN, _SHARED, _COMMON_GRAM)
    norms: dict[int, str] = {}

    def norm(i: int) -> str:
        if i not in norms:
            norms[i] = _norm(doc.text[sents[i][0]:sents[i][1]])
        return norms[i]

    return sents, _most_similar(found, norm)


def _repeated(norms: list[str]) -> list[tuple[int, int, float]]:
    """(earlier index, later index, similarity) for the normalized sentences said twice: each
    later sentence of _MIN_REPEAT_HAN characters or more with its most similar earlier one, when
    they are _SIMILAR."""
    return _most_similar(_compared(norms), norms.__getitem__)


def _most_similar(found: Iterable[tuple[int, list[int]]], norm: Callable[[int], str]) -> list[tuple[int, int, float]]:
    """(earlier, later, similarity) for each later sentence and the earlier one of its candidates
    most similar to it (the first on a tie), when they are _SIMILAR."""
    pairs: list[tuple[int, int, float]] = []
    for j, earlier in found:
        best = (0.0, -1)
        for i in earlier:
            r = _similar(norm(i), norm(j))
            if r > best[0] or (r == best[0] and i < best[1]):
                best = (r, i)
        if best[0] >= _SIMILAR:
            pairs.append((best[1], j, best[0]))
    return pairs


def _compared(norms: list[str]) -> Iterator[tuple[int, list[int]]]:
    """(later index, [earlier indexes]): the sentences each sentence of _MIN_REPEAT_HAN
    characters or more is compared with. Candidates come from an index of shared 4-grams, so long
    texts stay fast: one pass, in which a 4-gram enters the index when a second sentence says it.
    (The kernel's repeats does the same from the sentences' spans.)"""
    first: dict[int, int] = {}  # the first sentence of every 4-gram
    index: dict[int, list[int]] = {}  # the sentences so far of a 4-gram said in two or more
    shortest = max(map(len, norms), default=0)  # the shortest earlier sentence with a 4-gram
    for j, (n, grams) in enumerate(zip(norms, _windows(norms))):
        # the 4-grams that an earlier sentence says too (setdefault records the new ones as j's)
        mine = set(compress(grams, map(ne, map(first.setdefault, grams, repeat(j)), repeat(j))))
        # An earlier sentence shares at most len(mine) of these 4-grams: too few to reach the
        # threshold below even with the shortest earlier sentence, and no candidate can pass.
        if mine and len(n) >= _MIN_REPEAT_HAN and len(mine) >= _SHARED * (min(len(n), shortest) - _GRAM + 1):
            earlier: list[int] = []
            for g in mine:
                posting = index.get(g) or [first[g]]
                if len(posting) <= _COMMON_GRAM:
                    earlier += posting
            shared = Counter(earlier)
            found = [i for i, k in shared.items() if k >= _SHARED * (min(len(n), len(norms[i])) - _GRAM + 1)]
            if found:
                yield j, found
        for g in mine:
            if g in index:
                index[g].append(j)
            else:
                index[g] = [first[g], j]
        if grams:
            shortest = min(shortest, len(n))


@rule(
    code="Q102",
    name="self-repetition",
    severity="warning",
    category="substance",
    summary="报告内有重复的句子或段落，或下一年度安排照搬了主要举措的表述",
    why=(
        "同一句话（20字以上）在报告中出现两次，或两句长句相似度达80%以上，多是拼凑材料时重复粘贴；"
        "“下一年度安排”逐句照搬“主要举措和成效”，说明安排没有针对当年的不足。"
        "重复的内容既占篇幅，也会在上级汇总比对时被当作敷衍。只提示后出现的那一处，并指出与哪一行重复。"
    ),
    bad=_EXAMPLE.replace(
        "（二）为每个司法所配齐2名工作人员，完成基层人员轮训500人次。",
        "（二）开展行政执法案卷集中评查，抽查案卷120卷，发现问题31个，均已督促纠正。",
    ),
    good=_EXAMPLE,
)
def self_repetition(doc: Document, ctx: Context) -> Iterator[Hit]:
    sents, pairs = _repeats(doc)
    plans = ctx.facts.plans
    # plan items that mostly copy the measures part: one finding per item
    copied: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for i, j, r in pairs:
        if _part_at(doc, sents[i][0]) == "measures" and _part_at(doc, sents[j][0]) == "plan":
            item = _item_at(plans, sents[j][0])
            if item is not None:
                copied[item].append((i, j, r))
    done: set[int] = set()
    for n, found in copied.items():
        item = plans[n]
        long_units = [s for s in sents if item.start <= s[0] < item.end]
        if len(found) >= 2 or len(found) * 2 >= len(long_units):
            words = quote(doc.text, *sents[found[0][0]])
            how = f"照搬了“主要举措和成效”部分{words}的表述" if len(found) == 1 else (
                f"有{len(found)}句照搬了“主要举措和成效”部分（{words}等处）的表述"
            )
            yield Hit(
                item.start,
                item.end,
                f"这项安排{how}；下一年度安排应针对不足提出新的措施和目标，不宜重复已做的工作",
            )
            done.update(j for _, j, _ in found)
    # the other repeats, consecutive ones merged into one passage
    run: list[tuple[int, int, float]] = []
    for i, j, r in pairs:
        if j in done:
            continue
        if run and j == run[-1][1] + 1 and i == run[-1][0] + 1:
            run.append((i, j, r))
            continue
        if run:
            yield _repeat_hit(doc, sents, run)
        run = [(i, j, r)]
    if run:
        yield _repeat_hit(doc, sents, run)


def _item_at(items: list[Item], pos: int) -> int | None:
    return next((n for n, it in enumerate(items) if it.start <= pos < it.end), None)


def _repeat_hit(doc: Document, sents: list[tuple[int, int]], run: list[tuple[int, int, float]]) -> Hit:
    i0, j0, _ = run[0]
    exact = all(r >= 0.999 for _, _, r in run)
    what = "这段话" if len(run) > 1 else "这句话"
    where = "前文" + quote(doc.text, *sents[i0])
    earlier, later = _part_at(doc, sents[i0][0]), _part_at(doc, sents[j0][0])
    if earlier and later and earlier != later:
        where = f"“{PART_NAMES.get(earlier, earlier)}”部分的" + quote(doc.text, *sents[i0])
    if exact:
        msg = f"{what}与{where}的内容重复"
    else:
        low = min(r for _, _, r in run)
        msg = f"{what}与{where}的内容几乎相同（相似度{round(low * 100)}%）"
    return Hit(sents[j0][0], sents[run[-1][1]][1], msg + "，请删去重复或改写")


# ---------------------------------------------------------------- Q103 low-specificity

_CHARS_PER_FIGURE = 500


def _without_figures(text: str) -> str:
    """The text with its figures replaced by words (for the rule's example)."""
    return re.sub(r"(?<!\d)(?!20\d\d)[0-9]+(?:\.[0-9]+)?(?!年)", "若干", re.sub(r"[0-9.]+%", "全部", text))
_NONE_AT_ALL = 800
_MIN_MEASURES = 300


@rule(
    code="Q103",
    name="low-specificity",
    severity="info",
    category="substance",
    summary="“主要举措和成效”部分数字和实例过少，成效说不具体",
    why=(
        "“主要举措和成效”要说明做了什么、做了多少、效果如何。整个部分平均每500字不到1处具体数字"
        "（件数、次数、人次、比率、金额等），读者就无从判断成效；超过800字而没有一个数字的，按警告提示。"
        "300字以下的部分不检查。日期、年份和序号不算数字。"
    ),
    bad=_without_figures(_EXAMPLE[: _EXAMPLE.index("二、存在")]) + _EXAMPLE[_EXAMPLE.index("二、存在"):],
    good=_EXAMPLE,
)
def low_specificity(doc: Document, ctx: Context) -> Iterator[Hit]:
    spans = body_of(doc, "measures")
    han = sum(han_in(doc, a, b) for a, b in spans)
    if han < _MIN_MEASURES:
        return
    starts = figure_starts(ctx.facts.quantities)
    figures = sum(figures_in(starts, a, b) for a, b in spans)
    if figures * _CHARS_PER_FIGURE >= han:
        return
    a, b = _anchor(doc, "measures")
    advice = "成效宜用数字和实例说明，例如办理的案件数、审查的文件件数、培训人次、办结率"
    if figures == 0:
        sev = "warning" if han > _NONE_AT_ALL else None
        yield Hit(a, b, f"“主要举措和成效”部分约{han}字，没有一处具体数字；{advice}", severity=sev)
        return
    per = round(han / figures)
    yield Hit(a, b, f"“主要举措和成效”部分约{han}字，只有{figures}处具体数字（约每{per}字1处）；{advice}")


# ---------------------------------------------------------------- Q104 boilerplate

_GENERIC_SHARE = 0.6
_STOCK_SHARE = 1 / 3
_MIN_SENTENCES = 6


@rule(
    code="Q104",
    name="boilerplate",
    severity="info",
    category="substance",
    summary="“主要举措和成效”部分以套话为主，缺少具体内容",
    why=(
        "句子是否“具体”的判断：含有数字、《》中的文件名、引号中的活动或制度名称（“两个维护”之类政治套语不算）、"
        "具体单位或场所名称（××律师事务所、××服务中心），或具体到月份的日期，任一即算具体。"
        "当“主要举措和成效”部分（至少6句）中超过60%的句子什么具体内容都没有，且至少三分之一的句子是"
        "“进一步加强”“不断提升”“取得明显成效”“营造良好氛围”这类通用表述时提示。"
        "通用表述词表见 knowledge/boilerplate.toml。"
    ),
    bad=_EXAMPLE.split("一、主要举措和成效")[0]
    + "一、主要举措和成效\n"
    + "我局高度重视法治政府建设，认真贯彻落实上级决策部署，不断提升依法行政水平。"
    + "进一步加强组织领导，切实增强干部职工法治意识，营造良好氛围。"
    + "深入开展法治宣传教育，不断创新宣传形式，取得明显成效。"
    + "扎实推进严格规范公正文明执法，进一步规范执法行为，执法水平不断提高。"
    + "持续推进政务公开，主动接受各方面监督，各项工作有序推进。"
    + "统筹推进矛盾纠纷化解，切实维护人民群众合法权益，社会保持和谐稳定。\n"
    + "二、存在的不足和原因" + _EXAMPLE.split("二、存在的不足和原因")[1],
    good=_EXAMPLE,
)
def boilerplate(doc: Document, ctx: Context) -> Iterator[Hit]:
    facts = ctx.facts
    total, vague, stock = facts.measures_sentences, facts.vague_sentences, facts.stock_sentences
    if total < _MIN_SENTENCES or len(vague) <= _GENERIC_SHARE * total or len(stock) < _STOCK_SHARE * total:
        return
    a, b = _anchor(doc, "measures")
    phrases = bank()["generic"]["phrases"]
    used = Counter(p for s, e in stock for p in phrases if p in doc.text[s:e])
    samples = "".join(f"“{p}”" for p, _ in used.most_common(3))
    yield Hit(
        a,
        b,
        f"“主要举措和成效”部分{total}句中{'都' if len(vague) == total else f'有{len(vague)}句'}没有数字、文件名或具体名称，其中{len(stock)}句只是"
        f"{samples}之类的通用表述；建议写明具体做法、对象和结果",
    )


# ---------------------------------------------------------------- Q105 thin-shortcomings

_SHORT = 150


@rule(
    code="Q105",
    name="thin-shortcomings",
    severity="warning",
    category="substance",
    summary="“存在的不足”写得过短或过于笼统",
    why=(
        "规定要求如实报告存在的不足。整个部分不到150字，或所列问题多半只有“有待提高”“不够到位”“仍需加强”"
        "加“法治意识”“宣传形式”之类笼统主语、说不出具体环节和对象的，读者无从判断问题所在，也无法据此整改。"
        "是否分析了原因由 missing-reasons（S102）检查，这里不重复。"
    ),
    bad=_EXAMPLE.replace(
        _EXAMPLE[_EXAMPLE.index("一是执法监督") : _EXAMPLE.index("三、党政")],
        "一是部分干部法治意识还不够强，运用法治思维和法治方式解决问题的能力有待提高，依法办事的自觉性还需进一步增强。"
        "二是法治宣传形式还不够丰富，宣传的针对性和实效性不强，宣传力度需进一步加强。"
        "三是依法行政工作与新形势新要求相比还有差距，工作水平仍需提升，整体推进力度还不够大。"
        "四是法治政府建设氛围还不够浓厚，部分工作人员的法律素养有待提升。主要原因是学习不够深入、重视程度不够。\n",
    ),
    good=_EXAMPLE,
)
def thin_shortcomings(doc: Document, ctx: Context) -> Iterator[Hit]:
    spans = body_of(doc, "shortcomings")
    if not spans:
        return
    a, b = _anchor(doc, "shortcomings")
    han = sum(han_in(doc, s, e) for s, e in spans)
    items = ctx.facts.shortcomings
    vague = [it for it in items if it.vague]
    if han < _SHORT:
        # brief is fine when it is concrete: two or more specific problems say enough
        if len(items) - len(vague) < 2:
            yield Hit(a, b, f"“存在的不足和原因”部分只有约{han}字，过于简略；应逐条写明具体问题、表现和原因")
        return
    if len(items) >= 2 and len(vague) * 2 > len(items):
        stock = [p for p in bank()["shortfall"]["phrases"] if len(p) >= 3 and any(p in it.text for it in vague)][:3]
        said = "".join(f"“{p}”" for p in stock) + "等" if stock else ""
        share = f"{len(items)}条不足都" if len(vague) == len(items) else f"{len(items)}条不足中有{len(vague)}条"
        yield Hit(
            a,
            b,
            f"所列{share}只有{said}笼统表述，没有指明具体环节、对象或数据；"
            "建议写明问题出在哪些工作、哪些单位，表现是什么",
        )


# ---------------------------------------------------------------- Q106 coverage-gap


def missing_areas(doc: Document, facts: Facts) -> list[Area]:
    """Expected 纲要 areas the report never mentions (none when the framework does not govern
    the report's year)."""
    fw = framework()
    year = doc.metadata.report_year
    if year is not None and not (int(fw["valid_from"]) <= year <= int(fw["valid_to"])):
        return []
    return [a for a in areas() if a.key in facts.expected_areas and not facts.coverage.get(a.key)]


_ISSUER_NAMES = {"government": "政府", "department": "部门", "party": "部门"}


@rule(
    code="Q106",
    name="coverage-gap",
    severity="info",
    category="substance",
    summary="报告没有涉及《法治政府建设实施纲要》中本级机关应当报告的领域",
    why=(
        "《法治政府建设实施纲要（2021－2025年）》分十个方面部署任务。县级以上政府的年度报告应当覆盖各个方面；"
        "乡镇政府只检查决策、矛盾纠纷化解、监督和政务公开、突发事件应对等每个乡镇都承担的方面；"
        "政府部门（含部门党组）只检查每个行政机关都承担的方面：重大决策合法性审查、行政复议应诉和信访、政务公开和接受监督。"
        "全文一次都没有提到的方面才提示（《》书名中的字样不算）。领域和关键词见 knowledge/taxonomy.toml。"
    ),
    bad=re.sub(r"（三）化解行政争议。[^\n]*\n", "", _EXAMPLE).replace("（四）", "（三）").replace("承接行政复议咨询等新任务", "承接新任务"),
    good=_EXAMPLE,
)
def coverage_gap(doc: Document, ctx: Context) -> Iterator[Hit]:
    missing = missing_areas(doc, ctx.facts)
    if not missing:
        return
    a, b = _anchor(doc, "measures")
    m = doc.metadata
    who = f"{LEVEL_SHORT.get(m.issuer_level or '', '')}{_ISSUER_NAMES.get(m.issuer_kind or '', '')}"
    listed = "；".join(f"{x.name}（如{x.examples}）" for x in missing)
    yield Hit(a, b, f"全文没有涉及纲要中{who}应当报告的{len(missing)}个方面：{listed}")
