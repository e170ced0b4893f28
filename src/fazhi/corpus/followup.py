"""Follow-up across years: did year N+1's report address year N's shortcomings and plans?

1. Reports are grouped by issuer. Issuer names vary from year to year (中共丹棱县民政局党组,
   丹棱县民政局, 县民政局), so the key is the resolved region (province/city/county/township
   from the metadata) plus a normalized unit name: party prefixes and suffixes (中共, 党组, 党委),
   the region's names (full or short) and a bare level word (县, 市, 镇) are stripped; a unit
   that is the local government or Party committee itself becomes "人民政府". A report whose
   region could not be resolved borrows it from its sign-off line, or from the single other
   group with the same unit name.
2. For consecutive years N, N+1 of one issuer, every shortcoming and plan item of year N is
   compared with the sentences of year N+1's rectification, measures and "other" parts (never
   its new shortcomings or plans: a problem listed again is not a problem fixed). Similarity is
   the IDF-weighted share of the item's character bigrams found in a sentence (plus the next one,
   so a short sentence may borrow its neighbour's context); IDF comes from the sentences of the
   two reports, so boilerplate such as "法治政府建设" weighs little. An item is addressed when
   the best sentence reaches THRESHOLD. Tuning (fictional pairs in tests/corpus/test_followup.py,
   24 labelled items): addressed items score 0.27–1.0, unaddressed ones 0.0–0.19, so 0.25
   sits in the gap; paraphrases that share few characters with the item are the known misses.

Everything here is pure except `followup_db`, which reads the store.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from fazhi.api import facts_of, load
from fazhi.corpus.store import Store
from fazhi.model import Document, Item
from fazhi.parse import resolve_region
from fazhi.vocab import FOLLOWUP_KIND_LABELS

THRESHOLD = 0.25
PAIR_MARGIN = 0.05
# Parts of year N+1 where an answer to year N may stand.
ANSWER_PARTS = ("rectification", "measures", "other")
# Parts that never count as an answer.
EXCLUDED_PARTS = ("shortcomings", "plan", "leader_duties")

_PARTY_PREFIX = re.compile(r"^(?:中国共产党|中共)")
_PARTY_SUFFIX = re.compile(r"(?:委员会党组|党组织|党工委|党组|党委)$")
_GOVERNMENT = {"", "人民政府", "政府", "委员会", "委", "党委", "党工委", "办事处", "街道办事处", "行政公署"}
_LEVEL_WORD = re.compile(r"^(?:街道|自治区|自治州|自治县|省|市(?!场)|县|区|旗|镇|乡|盟)")
_REGION_SUFFIX = re.compile(r"(?:特别行政区|自治区|自治州|自治县|地区|街道|省|市|县|区|旗|盟|镇|乡)$")
_ENUM = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[）)、.．]|[①-⑳])\s*")
_GRAM_CHARS = re.compile(r"[\u3400-\u9fffA-Za-z0-9]+")


# --------------------------------------------------------------------------- issuers


def _region_names(region: dict[str, Any]) -> list[str]:
    """Full and short names of the region's units, longest first."""
    names: set[str] = set()
    for level in ("province", "city", "county", "township"):
        name = region.get(level)
        if not name:
            continue
        names.add(name)
        short = _REGION_SUFFIX.sub("", name)
        if len(short) >= 2:
            names.add(short)
    return sorted(names, key=lambda n: (-len(n), n))


def unit_name(issuer: str | None, region: dict[str, Any] | None = None) -> str:
    """The issuer's name without party wording, region names and a bare level word.

    >>> unit_name("中共丹棱县民政局党组", {"county": "丹棱县"})
    '民政局'
    >>> unit_name("县民政局", {})
    '民政局'
    >>> unit_name("丹棱县齐乐镇人民政府", {"county": "丹棱县", "township": "齐乐镇"})
    '人民政府'
    """
    name = "".join((issuer or "").split())
    name = _PARTY_PREFIX.sub("", name)
    names = _region_names(region or {})
    changed = True
    while changed:  # strip region names in any order ("眉山市丹棱县…")
        changed = False
        for n in names:
            if name.startswith(n):
                name = name[len(n):]
                changed = True
                break  # start again from the longest: 乳山市乳山口镇 must not lose 乳山 of 乳山口镇
    name = _LEVEL_WORD.sub("", name, count=1) if name not in _GOVERNMENT else name
    name = _PARTY_SUFFIX.sub("", name)
    if name in _GOVERNMENT or name in ("县委", "市委", "区委", "镇委", "乡委"):
        return "人民政府"
    return name


Key = tuple[str, str, str, str, str]


def issuer_key(issuer: str | None, region: dict[str, Any] | None) -> Key:
    r = region or {}
    return (r.get("province") or "", r.get("city") or "", r.get("county") or "", r.get("township") or "", unit_name(issuer, r))


def display_name(key: Key, names: Iterable[str]) -> str:
    """A canonical name for the group: the unit's own place plus the unit (丹棱县民政局,
    丹棱县齐乐镇人民政府); the most frequent name written when the region is unknown."""
    prov, city, county, town, unit = key
    place = (county + town) if town else (county or city or prov)
    if place:
        return place + unit
    counts = Counter(n for n in names if n)
    return max(counts, key=lambda n: (counts[n], len(n))) if counts else unit


def _region_label(key: Key) -> str:
    parts = [p for p in key[:4] if p]
    return "".join(dict.fromkeys(parts))  # 北京市北京市 -> 北京市


# --------------------------------------------------------------------------- reports


@dataclass
class Report:
    """What follow-up needs of one stored report. `text` is loaded lazily by the caller."""

    id: str
    path: str | None
    issuer: str | None
    region: dict[str, Any]
    year: int | None
    review: dict[str, Any] | None = None  # None: loaded on demand
    text: str | None = None
    signoff: str | None = None
    chars: int = 0


def _items_from_review(review: dict[str, Any], kind: str) -> list[Item] | None:
    """Items stored with the review, if the stored review carries them."""
    keys = ("shortcomings",) if kind == "shortcoming" else ("plans", "plan_items")
    for holder in (review, review.get("facts") or {}):
        for k in keys:
            value = holder.get(k)
            if isinstance(value, list):
                return [Item(str(v["text"]), int(v["start"]), int(v["end"])) for v in value if isinstance(v, dict)]
    return None


def report_items(review: dict[str, Any], doc: Document | None) -> list[tuple[str, Item]]:
    """(kind, item) for year N: from the stored review, else re-derived from the document."""
    out: list[tuple[str, Item]] = []
    facts = None
    for kind in ("shortcoming", "plan"):
        items = _items_from_review(review, kind)
        if items is None and doc is not None:
            facts = facts or facts_of(doc)  # a review stored before reviews carried the items
            items = facts.shortcomings if kind == "shortcoming" else facts.plans
        out.extend((kind, it) for it in items or [])
    return out


# --------------------------------------------------------------------------- similarity


def grams(text: str) -> Counter[str]:
    """Character bigrams of the text's CJK/alphanumeric runs (punctuation breaks a run)."""
    c: Counter[str] = Counter()
    for run in _GRAM_CHARS.findall(text):
        c.update(run[i : i + 2] for i in range(len(run) - 1))
    return c


def _core(text: str) -> str:
    """The item's text without its enumeration token (一是, （二）, 3.)."""
    return _ENUM.sub("", text, count=1)


@dataclass
class _Segment:
    start: int
    end: int
    grams: Counter[str]


# A heading that looks back on last year's plan ("上年度工作安排落实情况") is an answer, even
# when the part finder files it under "plan" for its words 工作安排.
_LOOK_BACK = re.compile(r"上一?年度?|去年|(?:落实|完成|执行)(?:情况|进展)")


def _answers(part: Any) -> bool:
    if part.part in ANSWER_PARTS:
        return True
    return part.part == "plan" and bool(_LOOK_BACK.search(part.heading or ""))


def _segments(doc: Document) -> list[_Segment]:
    """Sentences of year N+1 that may answer (each joined with the next one of the same part)."""
    spans = [(p.start, p.end) for p in doc.parts if _answers(p)]
    blocked = [(p.start, p.end) for p in doc.parts if p.part in EXCLUDED_PARTS and not _answers(p)]
    if not doc.parts:  # no recognizable structure: every sentence may answer
        spans = [(0, len(doc.text))]

    def inside(a: int, b: int, ranges: list[tuple[int, int]]) -> bool:
        return any(s <= a and b <= e for s, e in ranges)

    nested = [(p.start, p.end) for p in doc.parts if p.part in ("rectification", "other") or _answers(p)]

    def allowed(a: int, b: int) -> bool:
        # A rectification or "other" part nested inside an excluded one still counts.
        return inside(a, b, spans) and (inside(a, b, nested) or not inside(a, b, blocked))

    sents = [(a, b) for a, b in doc.sentences if b - a >= 4 and allowed(a, b)]
    out: list[_Segment] = []
    for i, (a, b) in enumerate(sents):
        out.append(_Segment(a, b, grams(doc.text[a:b])))
        if i + 1 < len(sents) and sents[i + 1][0] == b and "\n" not in doc.text[a : sents[i + 1][1]]:
            b2 = sents[i + 1][1]  # this sentence and the next one of the same paragraph
            out.append(_Segment(a, b2, grams(doc.text[a:b2])))
    return out


def _idf(texts: Iterable[Counter[str]]) -> Callable[[str], float]:
    df: Counter[str] = Counter()
    n = 0
    for g in texts:
        n += 1
        df.update(g.keys())
    return lambda gram: math.log((n + 1) / (df.get(gram, 0) + 1)) + 0.1


def similarity(item: Counter[str], seg: Counter[str], idf: Callable[[str], float]) -> float:
    """IDF-weighted share of the item's bigrams that the segment contains."""
    total = sum(idf(g) for g in item)
    if total <= 0:
        return 0.0
    return sum(idf(g) for g in item if g in seg) / total


def link_pair(
    doc_a: Document, items: list[tuple[str, Item]], doc_b: Document, threshold: float = THRESHOLD, scores: bool = False
) -> list[dict[str, Any]]:
    """For each (kind, item) of year N (offsets into doc_a), its best answer in doc_b.
    With scores=True each entry also carries "best", the highest similarity found (for tuning)."""
    segs = _segments(doc_b)
    sent_grams = [grams(doc_a.text[a:b]) for a, b in doc_a.sentences] + [grams(doc_b.text[a:b]) for a, b in doc_b.sentences]
    idf = _idf(sent_grams)
    out: list[dict[str, Any]] = []
    for kind, it in items:
        ig = grams(_core(it.text))
        scored = [(similarity(ig, s.grams, idf), s) for s in segs]
        best = top = max((sim for sim, _ in scored), default=0.0)
        # Evidence: the shortest segment close to the best (a joined pair only when it helps).
        floor = max(best - PAIR_MARGIN, threshold if best >= threshold else 0.0)
        near = [(s.end - s.start, s.start, sim, s) for sim, s in scored if sim >= floor and sim > 0]
        best_seg = min(near, key=lambda t: t[:2])[3] if near else None
        if best_seg is not None:
            best = similarity(ig, best_seg.grams, idf)
        addressed = best_seg is not None and best >= threshold
        evidence = None
        if addressed and best_seg is not None:
            evidence = {
                "start": best_seg.start,
                "end": best_seg.end,
                "text": doc_b.text[best_seg.start : best_seg.end],
                "similarity": round(best, 3),
            }
        entry = {"kind": kind, "text": it.text, "start": it.start, "end": it.end, "addressed": addressed, "evidence": evidence}
        if scores:
            entry["best"] = round(top, 3)
        out.append(entry)
    return out


# --------------------------------------------------------------------------- corpus


def _fill_regions(reports: list[Report], load_text: Callable[[Report], str | None]) -> None:
    """Give reports without a region one from their sign-off, else from the only group that
    shares their unit name."""
    for r in reports:
        if any(r.region.get(k) for k in ("province", "city", "county", "township")):
            continue
        signoff = r.signoff
        if signoff is None:
            text = load_text(r)
            if text:
                signoff = load(text).metadata.signoff_issuer
        if signoff:
            region = resolve_region(signoff).to_dict()
            if any(region.values()):
                r.region = region
    regions_by_unit: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for r in reports:
        k = issuer_key(r.issuer, r.region)
        if any(k[:4]):
            regions_by_unit[k[4]].add(k[:4])
    for r in reports:
        k = issuer_key(r.issuer, r.region)
        if not any(k[:4]) and len(regions_by_unit.get(k[4], ())) == 1:
            prov, city, county, town = next(iter(regions_by_unit[k[4]]))
            r.region = {"province": prov or None, "city": city or None, "county": county or None, "township": town or None}


def _matches(query: str, key: Key, names: set[str]) -> bool:
    """Does the --issuer query name this group? Same key, or a substring of any name used."""
    q = "".join(query.split())
    if any(q in n or n in q for n in names if n):
        return True
    qk = issuer_key(q, resolve_region(q).to_dict())
    if qk[4] != key[4]:
        return False
    return all(a == b or not a for a, b in zip(qk[:4], key[:4]))


def followup(
    reports: Iterable[Report],
    load_text: Callable[[Report], str | None] = lambda r: r.text,
    issuer: str | None = None,
    threshold: float = THRESHOLD,
    load_review: Callable[[Report], dict[str, Any]] = lambda r: r.review or {},
) -> dict[str, Any]:
    """Link every issuer's reports over consecutive years. `load_text(report)` returns the
    stored normalized text and `load_review(report)` the stored review dict; both are called
    only for reports that take part in a link."""
    reports = [r for r in reports if r.year is not None]
    _fill_regions(reports, load_text)
    groups: dict[Key, list[Report]] = defaultdict(list)
    for r in reports:
        groups[issuer_key(r.issuer, r.region)].append(r)

    docs: dict[str, Document | None] = {}  # one group's documents at a time

    def doc_of(r: Report) -> Document | None:
        if r.id not in docs:
            text = load_text(r)
            docs[r.id] = load(text) if text else None
        return docs[r.id]

    out: list[dict[str, Any]] = []
    for key in sorted(groups):
        members = groups[key]
        names = {r.issuer or "" for r in members}
        if issuer and not _matches(issuer, key, names):
            continue
        docs.clear()
        by_year: dict[int, Report] = {}
        for r in sorted(members, key=lambda r: (r.year, -(r.chars or len(r.text or "")), r.path or "")):
            by_year.setdefault(r.year, r)  # type: ignore[arg-type]  # one report per year
        years = sorted(by_year)
        links = []
        for y in years:
            if y + 1 not in by_year:
                continue
            a, b = by_year[y], by_year[y + 1]
            doc_a, doc_b = doc_of(a), doc_of(b)
            if doc_a is None or doc_b is None:
                continue
            items = report_items(load_review(a), doc_a)
            linked = link_pair(doc_a, items, doc_b, threshold)
            links.append({"from_year": y, "to_year": y + 1, "from_path": a.path, "to_path": b.path, "items": linked})
        out.append({
            "issuer": display_name(key, (r.issuer or "" for r in members)),
            "names": sorted(n for n in names if n),
            "region": _region_label(key),
            "years": years,
            "links": links,
        })
    return {"issuers": out}


def followup_db(db: str, issuer: str | None = None, threshold: float = THRESHOLD) -> dict[str, Any]:
    """followup() over every readable report in a store (StoreError when it cannot be opened)."""
    with Store.open(db, readonly=True) as store:
        reports = [
            Report(
                id=str(row.id), path=row.path, issuer=row.issuer, year=row.report_year, chars=row.chars or 0,
                region={"province": row.province, "city": row.city, "county": row.county, "township": row.township},
            )
            for row in store.iter_reports(order="year")
        ]
        return followup(
            reports,
            load_text=lambda r: store.text(int(r.id)),
            issuer=issuer,
            threshold=threshold,
            load_review=lambda r: store.get(int(r.id)),
        )


def save_result(db: str, result: dict[str, Any], threshold: float) -> None:
    """Keep a full run's links in the database, for `fazhi export` (replaces the last run's)."""
    with Store.open(db) as store:
        ids = {row.path: row.id for row in store.iter_reports(order="id")}
        rows = []
        for group in result["issuers"]:
            for link in group["links"]:
                a, b = ids.get(link["from_path"]), ids.get(link["to_path"])
                if a is None or b is None:
                    continue
                sc = [i for i in link["items"] if i["kind"] == "shortcoming"]
                pl = [i for i in link["items"] if i["kind"] == "plan"]
                rows.append((a, b, len(sc), sum(bool(i["addressed"]) for i in sc), len(pl), sum(bool(i["addressed"]) for i in pl)))
        store.replace_followups(rows, len(ids), threshold)


# --------------------------------------------------------------------------- text output



def _short(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def render_text(result: dict[str, Any]) -> str:
    lines: list[str] = []
    for g in result["issuers"]:
        years = "、".join(str(y) for y in g["years"])
        head = f"{g['issuer']}（{g['region'] or '地区未识别，仅按名称归并'}）"
        lines.append(f"{head}  报告年度：{years}")
        if len(g["names"]) > 1:
            lines.append(f"  名称写法：{'；'.join(g['names'])}")
        if not g["links"]:
            lines.append("  没有相邻年度的报告，无法跟踪")
        for link in g["links"]:
            items = link["items"]
            sc = [i for i in items if i["kind"] == "shortcoming"]
            pl = [i for i in items if i["kind"] == "plan"]
            lines.append(
                f"  {link['from_year']} → {link['to_year']}：不足 {len(sc)} 项，已见整改 {sum(i['addressed'] for i in sc)} 项；"
                f"安排 {len(pl)} 项，已见落实 {sum(i['addressed'] for i in pl)} 项"
            )
            if not items:
                lines.append(f"    {link['from_year']} 年报告中没有识别出不足或安排事项")
            for i in items:
                label = FOLLOWUP_KIND_LABELS[i["kind"]]
                if i["addressed"]:
                    ev = i["evidence"]
                    lines.append(f"    ✓ [{label}] {_short(i['text'])}")
                    lines.append(f"        {link['to_year']} 年回应（相似度 {ev['similarity']:.2f}）：{_short(ev['text'], 60)}")
                else:
                    lines.append(f"    ✗ [{label}] {_short(i['text'])}  —— {link['to_year']} 年报告未见跟进")
    if not result["issuers"]:
        lines.append("没有找到符合条件的单位")
    return "\n".join(lines) + "\n"
