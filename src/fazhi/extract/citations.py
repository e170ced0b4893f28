"""Citations: every 《…》 title and every bare national-law name in running text.

A title is looked up in the document catalog (knowledge/documents.toml); when it is not there it
is classified by its form (local document, the issuer's own document, book, plan, unknown).
Bare names ("宪法", "行政处罚法", "民法典") are the short names of the catalog's national laws,
found from the 法 they all end on (法 or 法典): one regex finds the 法 that follow a character
some name has before its final 法, and each is checked against those names (a dict lookup, a few
startswith), far cheaper than a scan with an automaton or a regex of several hundred names.

Choices:
- A bare name is not a citation when it continues into a longer word ("行政处罚法律",
  "宪法学"), names a different document ("食品安全法实施条例"), or names an event:
  "宪法宣传周", "国家宪法日", "宪法宣誓", "民法典宣传月", "宪法进社区" are activities, not
  citations of the text. "学习宪法", "宪法权威" are counted.
- Status is judged at the end of the report year: a law repealed on or before 12-31 is
  "repealed"; a catalog plan whose period ended before the report year is "repealed" once the
  catalog knows a successor that had begun by then, and "unknown" while none is known (plans are
  cited until their successor is issued); without a report year every catalog status is "unknown".
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from fazhi.knowledge.catalog import Catalog, Entry, catalog, normalize_title, version_of
from fazhi.model import Citation, Document, Metadata
from fazhi.parse.region import resolve_region

_PREFIX = "中华人民共和国"
# One level of nested 《》 is tolerated inside a title (《关于贯彻《…》的意见》).
_TITLE = re.compile(r"《((?:[^《》\n]|《[^《》\n]{0,60}》){1,120})》")
_AFTER_VERSION = re.compile(r"[（(]((?:19|20)\d\d年[^（）()\n]{0,8}?(?:修订|修正|修改|版|试行))[）)]")

# A bare law name must not run on into a longer word.
_WORD_TAIL = set("律规治制院人官学庭理务系宝则网盲")
_DIFFERENT_DOC = ("实施条例", "实施细则", "实施办法", "实施意见")
_EVENT_TAIL = re.compile(r"(?:宣传周|宣传日|宣传月|宣传活动周|日|宣誓|进)")

_BOOKS = {
    "人民日报", "光明日报", "经济日报", "法治日报", "法制日报", "求是", "学习时报", "中国纪检监察报",
    "习近平谈治国理政", "论坚持全面依法治国", "习近平著作选读", "习近平法治思想概论", "之江新语",
}
_BOOK = re.compile(
    r"^(?:习近平|毛泽东|邓小平)(?!.*(?:条例|规定|办法|法)$)|^论|(?:日报|时报|晚报|周刊|杂志)$|"
    r"(?:论述摘编|摘编|选编|文选|选读|文集|读本|概论|学习纲要|学习问答|问答|三十讲|故事|词典|教程)$"
)
_OWN_SUFFIX = re.compile(r"(?:计划|方案|制度|清单|手册|要点|台账|汇编|指引)$")
_OWN_WORDS = re.compile(r"我局|本局|我委|本委|我办|本办|我镇|本镇|我乡|本乡|我院|本院|我厅|本厅|本单位|本部门")
_LOCAL_START = re.compile(r"^(?:全?[省市县区州乡镇](?!场|民|级)|本[省市县区])|^[\u4e00-\u9fff]{2,6}?(?:省|自治区|市|县|自治州|盟)(?!场|民|级|辖)")
_PLAN_PERIOD = re.compile(r"[（(]\s*((?:19|20)\d\d)\s*[－—\-–~～至到]+\s*((?:19|20)\d\d)\s*年?\s*[）)]")
_REGION_SUFFIX = re.compile(r"(?:特别行政区|自治区|地区|新区|省|市|县|区|旗|盟|镇|乡|街道)$")
_ISSUER_NOISE = re.compile(r"^(?:中共|中国共产党)|(?:党组|党委)$")


@lru_cache(maxsize=4)
def _bare_index(cat: Catalog) -> tuple[dict[str, tuple[tuple[str, int], ...]], dict[str, Entry], re.Pattern[str]]:
    """The short names of national laws (name -> entry), the same names keyed by the character
    before their final 法 ("" when the 法 starts the name) with the offset of that 法, and a regex
    that finds those characters before a 法 (a few in a report, of some 70 法)."""
    names = {
        name: e
        for name, e in cat.names().items()
        if e.kind == "national_law" and len(name) >= 2 and name.endswith(("法", "法典"))
    }
    by_prev: dict[str, list[tuple[str, int]]] = {}
    for name in names:
        k = len(name) - (2 if name.endswith("法典") else 1)
        by_prev.setdefault(name[k - 1] if k else "", []).append((name, k))
    keys = "".join(sorted(c for c in by_prev if c))
    before = re.compile(f"[{re.escape(keys)}](?=法)" if keys else r"(?!)")
    return {c: tuple(v) for c, v in by_prev.items()}, names, before


def _bare_hits(text: str, cat: Catalog) -> list[tuple[int, int, str]]:
    """Leftmost-longest (start, end, name) occurrences of bare law names."""
    by_prev, names, before = _bare_index(cat)
    if not names:
        return []
    raw: list[tuple[int, int, str]] = []
    if "" in by_prev:  # a name that starts with its final 法: look at every 法
        ends = []
        i = text.find("法")
        while i >= 0:
            ends.append(i)
            i = text.find("法", i + 1)
    else:
        ends = [m.end() for m in before.finditer(text)]
    always = by_prev.get("", ())
    for i in ends:
        for name, k in by_prev.get(text[i - 1], ()) + always if i else always:
            s = i - k
            if s >= 0 and text.startswith(name, s):
                raw.append((s, s + len(name), name))
    raw.sort(key=lambda t: (t[0], -t[1]))
    found: list[tuple[int, int, str]] = []
    last = -1
    for a, b, name in raw:
        if a >= last:
            found.append((a, b, name))
            last = b
    return found


def _region_names(meta: Metadata) -> list[str]:
    out: list[str] = []
    for name in (meta.region.township, meta.region.county, meta.region.city, meta.region.province):
        if name:
            out.append(name)
            short = _REGION_SUFFIX.sub("", name)
            if len(short) >= 2 and short != name:
                out.append(short)
    return out


def _issuer_unit(meta: Metadata) -> str | None:
    """The issuer without its place names and Party wrapper: "东辽县民政局" -> "民政局"."""
    if not meta.issuer:
        return None
    unit = _ISSUER_NOISE.sub("", meta.issuer)
    for name in _region_names(meta):
        unit = unit.replace(name, "")
    return unit if len(unit) >= 3 and unit.endswith(("局", "委员会", "办公室", "厅", "中心", "所", "院", "委", "办")) else None


@lru_cache(maxsize=4096)
def _starts_with_place(title: str) -> bool:
    r = resolve_region(title[:16])
    for name in (r.province, r.city, r.county, r.township):
        if name:
            short = _REGION_SUFFIX.sub("", name)
            if title.startswith(name) or (len(short) >= 2 and title.startswith(short)):
                return True
    return False


def classify(title: str, meta: Metadata | None = None) -> str:
    """The kind of a title that is not in the catalog, judged by its form."""
    t = normalize_title(title)
    bare = _PLAN_PERIOD.sub("", t)
    if t in _BOOKS or _BOOK.search(bare):
        return "book"
    if meta is not None:
        issuer = _ISSUER_NOISE.sub("", meta.issuer or "")
        unit = _issuer_unit(meta)
        if (issuer and issuer in t) or (unit and unit in t):
            return "own_document"
    if _OWN_WORDS.search(t):
        return "own_document"
    if meta is not None and _OWN_SUFFIX.search(bare):
        home = _region_names(meta)[:2]  # the issuer's own locality, full and short
        if any(t.startswith(h) for h in home):
            return "own_document"
    if _LOCAL_START.search(t) or _starts_with_place(t):
        return "local_document"
    if bare.endswith(("纲要", "规划")):
        return "plan"
    return "unknown"


def successor_covering(cat: Catalog, entry: Entry, year: int) -> Entry | None:
    """The plan in `entry`'s successor chain that had begun by `year`, latest first; None when
    the catalog knows no successor that had (the plan is then still the latest one)."""
    found = None
    seen = {entry.id}
    nxt = cat.successor_of(entry)
    while nxt is not None and nxt.id not in seen:
        if nxt.period and nxt.period[0] <= year:
            found = nxt
        seen.add(nxt.id)
        nxt = cat.successor_of(nxt)
    return found


def status_of(entry: Entry, by_alias: bool, year: int | None, cat: Catalog) -> str:
    """in_force | repealed | renamed | unknown, judged at the end of `year`. A plan past its
    period is "repealed" once a successor has begun, "unknown" while none is known."""
    if year is None:
        return "unknown"
    if entry.kind == "plan" and entry.period:
        if year > entry.period[1]:
            return "repealed" if successor_covering(cat, entry, year) else "unknown"
        return "in_force" if year >= entry.period[0] else "unknown"
    end = dt.date(year, 12, 31)
    if entry.repealed and entry.repealed <= end:
        return "repealed"
    if by_alias:
        return "renamed"
    if entry.effective and entry.effective > end:
        return "unknown"
    return "in_force"


def find_citations(doc: Document, cat: Catalog | None = None) -> list[Citation]:
    """Every citation in the document, looked up in `cat` (default: the bundled catalog)."""
    text = doc.text
    meta = doc.metadata
    year = meta.report_year
    cat = cat if cat is not None else catalog()
    out: list[Citation] = []
    spans: list[tuple[int, int]] = []
    for m in _TITLE.finditer(text):
        inner = m.group(1)
        start, end = m.start(), m.end()
        version = version_of(inner)
        after = _AFTER_VERSION.match(text, end)
        if after:
            version = version or after.group(1)
            end = after.end()
        spans.append((start, end))
        found = cat.lookup(inner)
        if found:
            entry, by_alias = found
            out.append(Citation(text[start:end], entry.title, entry.kind, status_of(entry, by_alias, year, cat),
                                start, end, version, entry.id, True))
            continue
        kind = classify(inner, meta)
        status = "not_applicable" if kind in ("local_document", "own_document", "book") else "unknown"
        out.append(Citation(text[start:end], normalize_title(inner), kind, status, start, end, version, None, True))

    _, names, _ = _bare_index(cat)
    si = 0
    for a, b, name in _bare_hits(text, cat):
        while si < len(spans) and spans[si][1] <= a:
            si += 1
        if si < len(spans) and spans[si][0] < b:
            continue  # inside a 《》 title
        nxt = text[b:b + 1]
        if (nxt in _WORD_TAIL and not text.startswith("学习", b)) or text.startswith(_DIFFERENT_DOC, b) or _EVENT_TAIL.match(text, b):
            continue
        if text[max(0, a - 2):a] == "国家" and text.startswith("日", b):
            continue
        if text[max(0, a - len(_PREFIX)):a] == _PREFIX:
            a -= len(_PREFIX)
        entry = names[name]
        out.append(Citation(text[a:b], entry.title, entry.kind, status_of(entry, False, year, cat), a, b, None, entry.id, False))
    out.sort(key=lambda c: c.start)
    return out
