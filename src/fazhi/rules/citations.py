"""Citations: repealed laws, misnamed laws, expired plans, campaigns of other years, and
garbled standard formulations. Everything is judged against the report year, so a 2026 report is
checked by 2026's catalog."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any, Iterator

from fazhi.extract.citations import successor_covering
from fazhi.knowledge.campaigns import campaigns
from fazhi.knowledge.catalog import Catalog, Entry, catalog, normalize_title
from fazhi.knowledge.formulations import find_misuses, formulations, misuses_in
from fazhi.model import Citation, Document
from fazhi.rules.registry import Context, Hit, rule

# Until registry.py lists it; setdefault keeps whatever label registry.py gives.

_PREFIX = "中华人民共和国"


def _report(year: int, *body: str) -> str:
    """A short report around body lines (used by the rule examples)."""
    return "\n".join([
        f"某县民政局关于{year}年度法治政府建设情况的报告",
        "县委、县政府：",
        *body,
        "特此报告。",
        "某县民政局",
        f"{year + 1}年1月20日",
    ])


def _date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_CLAUSE_ENDS = "。；！？\n"


def _sentence(doc: Document, start: int, end: int) -> tuple[int, int]:
    """The clause group around a span: back to the previous 。；！？ or line start, on to the next,
    at most 120 characters each way (a find per end mark, not a step per character)."""
    text = doc.text
    lo, hi = max(0, start - 120), min(len(text), end + 120)
    a = max(lo, max(text.rfind(ch, lo, start) for ch in _CLAUSE_ENDS) + 1)
    found = [i for i in (text.find(ch, end, hi) for ch in _CLAUSE_ENDS) if i >= 0]
    return a, min(found) if found else max(end, hi)


def _styled(title: str, cited: Citation) -> str:
    """A catalog title in the style of the citation: prefix kept only if the citation had it."""
    t = title
    if not cited.text.lstrip("《").startswith(_PREFIX):
        t = t[len(_PREFIX):] if t.startswith(_PREFIX) and len(t) > len(_PREFIX) + 1 else t
    return f"《{t}》" if cited.bracketed else t


def _in_plan_part(doc: Document, pos: int) -> bool:
    return any(p.part == "plan" and p.start <= pos < p.end for p in doc.parts)


# ---------------------------------------------------------------------------------------------
# repealed-law

_REPEAL_NOTED = re.compile(r"废止|失效|取代|替代|代替|不再适用|已被|修订前|旧法")


@rule(
    code="C101",
    name="repealed-law",
    severity="error",
    category="citations",
    summary="引用了报告年度已经废止的法律法规",
    why=(
        "法律法规被废止或被新法取代后，报告仍把它当作现行依据来学习、宣传、执行，说明内容沿用旧稿或对法律变化不了解。"
        "例如《民法典》自2021年1月1日起施行，《婚姻法》同时废止，2021年以后的报告不应再宣传《婚姻法》。"
        "文中已说明废止、取代（“原《婚姻法》”“已被……取代”）的，以及报告年度早于废止日期的，不会被标记。"
    ),
    bad=_report(2023, "2023年，我局组织干部职工学习《婚姻法》《民法典》等法律法规。"),
    good=_report(2023, "2023年，我局组织干部职工学习《民法典》，对照原《婚姻法》讲解婚姻家庭编的新变化。"),
)
def repealed_law(doc: Document, ctx: Context) -> Iterator[Hit]:
    cat = ctx.catalog
    for c in ctx.facts.citations:
        if c.status != "repealed" or c.kind == "plan" or not c.entry:
            continue
        entry = cat.entries[c.entry]
        a, b = _sentence(doc, c.start, c.end)
        if _REPEAL_NOTED.search(doc.text, a, b) or doc.text[c.start - 1:c.start] == "原":
            continue
        name = _styled(entry.title, c)
        year = doc.metadata.report_year
        succ = cat.successor_of(entry)
        instead = f"，由{_styled(succ.title, c)}取代" if succ else ""
        suggestion = _styled(succ.title, c) if succ else None
        if entry.repealed and entry.repealed.year == year:
            # Repealed during the report year: right for the months before, wrong after.
            yield Hit(c.start, c.end, f"{name}已于{_date(entry.repealed)}废止{instead}，此后的工作应引用新的依据",
                      suggestion, severity="warning")
        else:
            when = f"已于{_date(entry.repealed)}废止" if entry.repealed else "已废止"
            yield Hit(c.start, c.end, f"{name}{when}{instead}，{year}年度报告不应再作为现行依据引用", suggestion)


# ---------------------------------------------------------------------------------------------
# misnamed-law

_LAWLIKE = re.compile(r"(?:法|法典|条例|规定|办法)$")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is certain to exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        best = i
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            best = min(best, cur[j])
        if best > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def _close_enough(cited: str, name: str, d: int) -> bool:
    """Conservative: a missing word (the cited title is the catalog title with up to 2 characters,
    or 20% of a long title, left out) when it keeps 4+ characters; a wrong character in titles of
    5+ characters; two wrong characters only in titles of 10+ characters. An *extra* word is never
    enough: longer real laws often extend shorter ones (人民武装警察法 / 人民警察法)."""
    if d == 0:
        return False
    if d == abs(len(cited) - len(name)):  # only insertions or only deletions
        return len(cited) < len(name) and len(cited) >= 4 and d <= max(2, len(name) // 5)
    longer = max(len(cited), len(name))
    return longer >= 5 and d <= max(1, longer // 5)


def _ending(t: str) -> str:
    for end in ("条例", "规定", "办法"):
        if t.endswith(end):
            return end
    return "法"


@lru_cache(maxsize=4)
def _law_names(cat: Catalog) -> dict[str, tuple[tuple[str, Entry, int, frozenset[str]], ...]]:
    """The catalog's law-like titles and short names by their ending (法, 条例, 规定, 办法), each
    with the distance bound closest_title allows it and its characters."""
    out: dict[str, list[tuple[str, Entry, int, frozenset[str]]]] = {}
    for n, e in cat.names().items():
        if e.kind != "plan" and _LAWLIKE.search(n):
            # _close_enough's bound for a missing word in a long title
            out.setdefault(_ending(n), []).append((n, e, max(3, len(n) // 5), frozenset(n)))
    return {k: tuple(v) for k, v in out.items()}


def closest_title(title: str, cat: Catalog | None = None) -> tuple[Entry, int] | None:
    """The catalog entry whose title or short name is nearest to `title` within the conservative
    bounds of `_close_enough`; None when there is none or two different entries tie."""
    t = normalize_title(title)
    chars = frozenset(t)
    best: list[tuple[int, Entry]] = []
    for name, e, limit, name_chars in _law_names(cat if cat is not None else catalog()).get(_ending(t), ()):
        # lower bounds of the distance: the length difference, and the characters of either
        # title missing from the other (each costs an edit); cheaper than the table
        if abs(len(name) - len(t)) > limit or len(name_chars - chars) > limit or len(chars - name_chars) > limit:
            continue
        d = _distance(t, name, limit)
        if d <= limit and _close_enough(t, name, d):
            best.append((d, e))
    if not best:
        return None
    dmin = min(d for d, _ in best)
    winners = {e.id: e for d, e in best if d == dmin}
    if len(winners) != 1:
        return None
    return next(iter(winners.values())), dmin


def _without_period(title: str) -> str:
    return re.sub(r"[（(][^（）()]*[）)]$", "", _PERIOD.sub("", title)).strip()


def _plan_with_other_period(c: Citation, cat: Any, year: int | None) -> Entry | None:
    """The catalog plan a citation names with a period it never had: 《法治政府建设实施纲要
    （2022－2025年）》 for the 2021－2025 outline. Same title without the period, a period in the
    citation, and no plan of that title with that period; the plan covering the report year is
    preferred, else the one whose period is nearest."""
    m = _PERIOD.search(c.canonical)
    if not m:
        return None
    cited = (int(m.group(1)), int(m.group(2)))
    bare = _without_period(c.canonical)
    same = [e for e in cat.entries.values() if e.kind == "plan" and e.period and _without_period(e.title) == bare]
    if not same or any(tuple(e.period) == cited for e in same):
        return None
    # a period overlapping no known one may be a successor the knowledge base does not have yet
    same = [e for e in same if e.period[0] <= cited[1] and cited[0] <= e.period[1]]
    if not same:
        return None
    if year is not None:
        for e in same:
            if e.covers(year):
                return e
    return min(same, key=lambda e: abs(e.period[0] - cited[0]) + abs(e.period[1] - cited[1]))


@rule(
    code="C102",
    name="misnamed-law",
    severity="warning",
    category="citations",
    summary="法律法规名称不准确（漏字、错字或使用旧称）",
    why=(
        "引用法律法规应使用其正式名称，可省略“中华人民共和国”。漏字（《土地承包法》应为《农村土地承包法》）、"
        "错字或沿用旧称，会让读者无从查找依据，也显得不严谨。只在名称与知识库中某部法律法规、党内法规仅差一两个字（长标题漏掉一个词）时提示，"
        "地方性文件、本单位文件、书籍和知识库未收录的名称不作判断；以知识库记载的曾用名或常见错误名称引用的，给出规范名称。"
        "纲要、规划的期限写错的（《法治政府建设实施纲要（2022－2025年）》），也按名称不准确提示；"
        "与知识库中各期都不重叠的期限可能是新一期，不作判断。"
    ),
    bad=_report(2023, "2023年，我局组织学习《中华人民共和国民法典》，向群众宣传《家庭暴力法》。"),
    good=_report(2023, "2023年，我局组织学习《中华人民共和国民法典》《鲁山县民政局普法工作计划》《习近平谈治国理政》。"),
)
def misnamed_law(doc: Document, ctx: Context) -> Iterator[Hit]:
    cat = ctx.catalog
    for c in ctx.facts.citations:
        if not c.bracketed:
            continue
        if c.status == "renamed" and c.entry:
            # The catalog's aliases of a law are its former titles and recognizable wrong forms
            # (acceptable short names are `short`); plans' aliases are mere spelling variants.
            entry = cat.entries[c.entry]
            if entry.kind != "plan":
                name = _styled(entry.title, c)
                yield Hit(c.start, c.end, f"{c.text}不是规范名称，应为{name}", name)
            continue
        if c.kind == "plan" and not c.entry and c.canonical:
            plan = _plan_with_other_period(c, cat, doc.metadata.report_year)
            if plan:
                a, b = plan.period  # type: ignore[misc]
                name = _styled(plan.title, c)
                yield Hit(c.start, c.end, f"{c.text}的期限有误，该纲要或规划的期限是{a}－{b}年，应为{name}", name)
            continue
        if c.kind != "unknown" or c.entry or not c.canonical:
            continue
        if not _LAWLIKE.search(c.canonical):
            continue
        found = closest_title(c.canonical, cat)
        if found:
            entry, _ = found
            name = _styled(entry.title, c)
            yield Hit(c.start, c.end, f"{c.text}与正式名称不符，应为{name}", name)


# ---------------------------------------------------------------------------------------------
# outdated-reference

_PERIOD = re.compile(r"((?:19|20)\d\d)\s*年?\s*[－—\-–~～至到]+\s*((?:19|20)\d\d)\s*年?")
_PUFA = re.compile(r"[“\"]?([一二三四五六七八九十])五[”\"]?(?:普法|法治宣传教育)")
# _PUFA from its literal 五: SRE skips to a literal first character fast, but tries every
# position of the text for a pattern opening with an optional quote
_PUFA_TAIL = re.compile(r"五[”\"]?(?:普法|法治宣传教育)")
_OPEN_QUOTES = frozenset("“\"")


def _pufa_mentions(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, numeral) of every match of _PUFA (“七五”普法, 八五法治宣传教育), as
    _PUFA.finditer would give them."""
    for m in _PUFA_TAIL.finditer(text):
        p = m.start()
        if p == 0 or text[p - 1] not in _CN_ORD:
            continue
        start = p - 2 if p >= 2 and text[p - 2] in _OPEN_QUOTES else p - 1
        yield start, m.end(), text[p - 1]
_RETRO = re.compile(r"总结|回顾|收官|验收|圆满完成|全面完成|完成了|先进|表彰|评估")
_CN_ORD = "一二三四五六七八九十"
_PLAN_TITLE = re.compile(r"(?:纲要|规划|计划|方案)$")


def _plan_period(c: Citation, cat: Any) -> tuple[int, int] | None:
    m = _PERIOD.search(c.text)
    if not m:
        return None  # no explicit period in the citation: it may mean the current plan
    if c.entry and cat.entries[c.entry].period:
        return cat.entries[c.entry].period
    a, b = int(m.group(1)), int(m.group(2))
    return (a, b) if a <= b else None


@rule(
    code="C103",
    name="outdated-reference",
    severity="warning",
    category="citations",
    summary="把已经到期的纲要、规划或普法规划当作现行依据",
    why=(
        "纲要、规划、五年普法规划都有期限：《法治政府建设实施纲要（2015－2020年）》已由2021－2025年纲要接续，"
        "“七五”普法（2016－2020年）已由“八五”普法接续。期满后仍写“深入实施”“贯彻落实”，多半是照抄旧稿。"
        "在规划最后一年或次年写总结、回顾、收官、验收的，不会被标记。新规划印发前，各地仍沿用上一期规划："
        "知识库里还没有接续规划的，期满次年不标记，从期满后第二年起才标记。"
    ),
    bad=_report(2023, "2023年，我局深入实施《法治政府建设实施纲要（2015－2020年）》，扎实推进“七五”普法工作。"),
    good=_report(2023, "2023年，我局深入实施《法治政府建设实施纲要（2021－2025年）》，扎实推进“八五”普法工作。"),
)
def outdated_reference(doc: Document, ctx: Context) -> Iterator[Hit]:
    year = doc.metadata.report_year
    if not year:
        return
    cat = ctx.catalog
    text = doc.text
    spans: list[tuple[int, int]] = []

    def retrospective(start: int, end: int, last: int) -> bool:
        a, b = _sentence(doc, start, end)
        return year <= last + 1 and bool(_RETRO.search(text, a, b))

    def replaced(entry: Entry | None, last: int) -> tuple[bool, Entry | None]:
        """(outdated, successor to name): outdated once a known successor has begun; with none
        known, from the second year after the period (plans are cited until the next is issued)."""
        succ = successor_covering(cat, entry, year) if entry else None
        return (succ is not None or year >= last + 2), succ

    for c in ctx.facts.citations:
        if c.kind == "book" or not _PLAN_TITLE.search(_PERIOD.sub("", normalize_title(c.text)).rstrip("（）()")):
            continue
        period = _plan_period(c, cat)
        if not period or period[1] >= year or retrospective(c.start, c.end, period[1]):
            continue
        outdated, succ = replaced(cat.entries[c.entry] if c.entry else None, period[1])
        if not outdated:
            continue
        spans.append((c.start, c.end))
        msg = f"{c.text}的规划期（{period[0]}－{period[1]}年）已经结束，{year}年不应再作为现行依据"
        if succ:
            yield Hit(c.start, c.end, f"{msg}，应为《{succ.title}》", f"《{succ.title}》")
        else:
            yield Hit(c.start, c.end, msg)
    for start, end, numeral in _pufa_mentions(text):
        if any(a <= start < b for a, b in spans):
            continue
        n = _CN_ORD.index(numeral) + 1
        first = 1986 + 5 * (n - 1)
        last = first + 4
        if last >= year or retrospective(start, end, last):
            continue
        found = cat.lookup(f"{numeral}五普法")
        outdated, succ = replaced(found[0] if found else None, last)
        if not outdated:
            continue
        cur = (succ.period[0] if succ and succ.period else year) - 1986
        right = f"“{_CN_ORD[cur // 5]}五”普法" if cur // 5 < len(_CN_ORD) else None
        msg = f"“{numeral}五”普法（{first}－{last}年）已经结束"
        yield Hit(start, end, f"{msg}，{year}年应为{right}" if right else msg, right)


# ---------------------------------------------------------------------------------------------
# stale-campaign

def _campaigns() -> list[Any]:
    """The knowledge base's campaigns (the cached list itself, so that _owners reuses its table)."""
    return campaigns()


_OWNERS: list[Any] = []  # [the campaign list, its owner table, its pattern]: one slot


def _owners(items: list[Any]) -> tuple[dict[str, Any], re.Pattern[str] | None]:
    """Every name (campaign, alias, phase) -> its campaign, and one pattern for all the names,
    longest first; computed once per campaign list."""
    if _OWNERS and _OWNERS[0] is items:
        return _OWNERS[1], _OWNERS[2]
    owner: dict[str, Any] = {}
    for c in items:
        phases = [n for p in getattr(c, "phases", ()) for n in (p.name, *p.aliases)]
        for n in (c.name, *c.aliases, *phases):
            owner.setdefault(n, c)
    pat = re.compile("|".join(re.escape(n) for n in sorted(owner, key=len, reverse=True))) if owner else None
    _OWNERS[:] = [items, owner, pat]
    return owner, pat


_LEGACY_AFTER = re.compile(r"[^，。；！？\n]{0,6}?(?:成果|常态化|长效化|制度化|经验|以来|期间|成效|回头看|总结)")
_LEGACY_BEFORE = re.compile(r"(?:巩固|拓展|延伸|运用|用好|转化)[^，。；！？\n]{0,6}$")
_BOUNDARY_BEFORE = re.compile(r"(?:开展|结合|推进|深化|参加|通过|以|在|的|和|与|及|把|将|、|围绕|利用|借助|抓好|扎实|深入|持续|推动|落实|学习|坚持|做好|组织|启动|部署)$")


@rule(
    code="C104",
    name="stale-campaign",
    severity="warning",
    category="citations",
    summary="把其他年份的学习教育活动写成本年度工作",
    why=(
        "党内集中学习教育都有起止年份：党史学习教育在2021年，学习贯彻习近平新时代中国特色社会主义思想主题教育在"
        "2023－2024年，党纪学习教育在2024年。报告把不属于本年度的学习教育写成当年工作，通常是沿用了旧报告的文字。"
        "“巩固拓展党史学习教育成果”“推动……常态化长效化”等后续表述是正当的，不会被标记。"
    ),
    bad=_report(2023, "2023年，我局深入开展党史学习教育，组织专题学习6次。"),
    good=_report(2023, "2023年，我局巩固拓展党史学习教育成果，组织专题学习6次。"),
)
def stale_campaign(doc: Document, ctx: Context) -> Iterator[Hit]:
    year = doc.metadata.report_year
    if not year:
        return
    owner, pat = _owners(_campaigns())
    if pat is None:
        return
    text = doc.text
    titles = [(c.start, c.end) for c in ctx.facts.citations if c.bracketed]
    flagged: set[tuple[int, int]] = set()
    for m in pat.finditer(text):
        camp = owner[m.group(0)]
        if camp.active_in(year):
            continue
        if any(a <= m.start() < b for a, b in titles):
            continue
        if camp.active_in(year + 1) and _in_plan_part(doc, m.start()):
            continue  # next year's plan may announce next year's campaign
        before = text[max(0, m.start() - 12):m.start()]
        if len(m.group(0)) <= 4 and before and "\u4e00" <= before[-1] <= "\u9fff" and not _BOUNDARY_BEFORE.search(before):
            continue  # a short alias inside a longer name ("尊法学法守法用法主题教育")
        if _LEGACY_AFTER.match(text, m.end()) or _LEGACY_BEFORE.search(before):
            continue
        sent = _sentence(doc, m.start(), m.end())
        if sent in flagged:
            continue
        flagged.add(sent)
        first, last = camp.years
        when = f"{first}年" if first == last else f"{first}－{last}年"
        yield Hit(m.start(), m.end(), f"“{m.group(0)}”是{when}开展的学习教育，不是{year}年的工作；如系沿用旧稿请改写，如指后续工作请写明“巩固拓展……成果”")


# ---------------------------------------------------------------------------------------------
# standard-formulation

def _formulations() -> list[Any]:
    """The knowledge base's formulations (the cached list itself, so that find_misuses reuses
    its automaton)."""
    return formulations()


@rule(
    code="C105",
    name="standard-formulation",
    severity="error",
    category="citations",
    summary="规范表述有误（如“两个维护”“四个意识”等固定提法写错）",
    why=(
        "党和国家的固定提法、规范表述有统一的写法，漏字、错字、颠倒顺序都会造成政治性差错，也是审核时最先被挑出的问题。"
        "本规则只匹配知识库中已知的错误写法，并给出正确写法。"
    ),
    bad=_report(2023, "2023年，我局深入学习贯彻习近平法治思想，推进严格规范文明公正执法。"),
    good=_report(2023, "2023年，我局深入学习贯彻习近平法治思想，推进严格规范公正文明执法。"),
)
def standard_formulation(doc: Document, ctx: Context) -> Iterator[Hit]:
    items = _formulations()
    if not items:
        return
    text = doc.text
    # quotes, 、，and spaces ignored; the bundled formulations' misuses are shared with likely-typo
    for m in misuses_in(doc) if items is formulations() else find_misuses(text, items):
        right = m.formulation.correct
        # A wrong variant may be part of a correct form written out in full.
        if any(_covered(text, m.start, m.text, f.correct) for f in items):
            continue
        yield Hit(m.start, m.end, f"“{m.text}”表述有误，规范表述为“{right}”", right)


def _covered(text: str, pos: int, wrong: str, correct: str) -> bool:
    off = correct.find(wrong)
    while off != -1:
        if text.startswith(correct, pos - off):
            return True
        off = correct.find(wrong, off + 1)
    return False
