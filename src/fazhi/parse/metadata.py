"""Metadata: title, issuer (its level and kind, region), report year, addressee, sign-off and date."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from itertools import islice

from fazhi.model import Heading, Metadata
from fazhi.numerals import cn_to_int
from fazhi.parse.region import resolve_region
from fazhi.vocab import ADDRESSEE_WORDS, AGENCY_END

_YEAR = re.compile(r"(20\d\d)\s*年")
_CN_YEAR = re.compile(r"(二[〇零○Ｏ][一二三四五六七八九〇零○Ｏ]{2})\s*年")
_DATE = re.compile(
    r"(?P<y>20\d\d|二[〇零○Ｏ][〇零○Ｏ一二三四五六七八九]{2})\s*年\s*"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"
)
_TITLE_WORDS = ("报告", "法治政府建设", "依法行政", "法治建设")
_ISSUER_CUT = re.compile(r"关于|(?:20\d\d|二[〇零○Ｏ].{2})\s*年|法治政府|依法行政|法治建设|年度")
_SENTENCE_PUNCT = re.compile(r"[。，；！？,;!?]")
# A web page's fields ("发布时间：…来源：某县司法局 浏览次数："), never a 主送机关.
_PAGE_FIELD = re.compile(r"浏览|发布(?:时间|日期|机构)|来源[：:]|索引号|\d{1,2}:\d{2}")


def _number(token: str) -> int | None:
    """An Arabic or Chinese numeral (二〇二五, 十二) as an int."""
    if token.isdigit():
        return int(token)
    return cn_to_int(token)


def _is_titleish(line: str) -> bool:
    """A line that can be a report's title. Never a site's column or breadcrumb (工作报告, 法治政府建设,
    首页 > 政务公开): a title names its subject and what it is (报告/总结/情况) or a year."""
    if not (8 <= len(line) <= 90) or line.endswith(("。", "；", "：", ":")) or _is_chrome(line):
        return False
    if not any(w in line for w in _TITLE_WORDS):
        return False
    topic = any(w in line for w in _TOPIC_WORDS)
    return (topic and bool(_TITLE_KIND.search(line))) or ("报告" in line and bool(_YEAR.search(line) or _CN_YEAR.search(line)))


def _is_issuerish(line: str) -> bool:
    return len(line) <= 40 and not _SENTENCE_PUNCT.search(line) and bool(AGENCY_END.search(line))


# Lines of a saved web page around the report: breadcrumbs (首页 > 政务公开), menus (网站地图|微信),
# labelled fields (名 称：…, [ 索引号 ] …, - 标 题：…) and a page title with the site's name after
# it (……的报告-某某网, ……的报告_某县人民政府).
_CHROME = re.compile(
    r"[>|»]"  # breadcrumbs, menus
    r"|^\W*\[\s*\S+\s*\]"  # [ 索引号 ] …
    r"|^[-•·*\s]*[^\s：:，。、]{1,6}(?:\s+[^\s：:，。、]{1,3}){0,3}\s*[：:]"  # 名 称：…, - 主题分类：…
    r"|报告\s*[-_–]\s*\S"  # ……的报告-某某网
)
_TOPIC_WORDS = ("法治政府", "依法行政", "法治建设")
_TITLE_KIND = re.compile(r"报告|总结|情况|年度")
_PAGE_HEAD_LINES = 25


def _is_chrome(line: str) -> bool:
    return bool(_CHROME.search(line))


def _title_at(text: str, head: list[tuple[int, int]], i: int, heading_starts: set[int]) -> tuple[str, tuple[int, int]]:
    """The title whose (last) line is head[i]: with the issuer line above it, and the second line
    of a title wrapped over two lines."""
    a, b = head[i]
    line = text[a:b]
    start, end = a, b
    if i > 0:
        pa, pb = head[i - 1]
        if pa not in heading_starts and _is_issuerish(text[pa:pb]) and not _is_chrome(text[pa:pb]):
            start = pa
    if "报告" not in line and i + 1 < len(head):
        na, nb = head[i + 1]
        nxt = text[na:nb]
        if len(nxt) <= 30 and nxt.endswith("报告"):
            end = nb
    return text[start:end].replace("\n", ""), (start, end)


def _title_below_page_head(text: str, lines: list[tuple[int, int]], heading_starts: set[int]) -> tuple[str, tuple[int, int]] | None:
    """A report saved from a web page: the title below the site's menus, breadcrumbs and fields.
    The page often repeats the title (in its header and again above the text); the last title
    line before the body is the report's own. Only a line naming the subject and the word 报告
    (or wrapped onto a next line ending in 报告) counts, and never a chrome line."""
    head: list[tuple[int, int]] = []
    for a, b in lines[:_PAGE_HEAD_LINES]:
        line = text[a:b]
        if a in heading_starts or "。" in line or len(line) > 90:
            break  # the body has begun
        head.append((a, b))
    best = None
    for i, (a, b) in enumerate(head):
        line = text[a:b]
        if _is_chrome(line) or line.endswith(("。", "；", "：", ":")) or not any(w in line for w in _TOPIC_WORDS):
            continue
        wrapped = i + 1 < len(head) and text[head[i + 1][0]:head[i + 1][1]].endswith("报告") and len(text[head[i + 1][0]:head[i + 1][1]]) <= 30
        if "报告" in line or wrapped:
            best = i
    if best is None:
        return None
    return _title_at(text, head, best, heading_starts)


def find_title(text: str, lines: list[tuple[int, int]], heading_starts: set[int]) -> tuple[str, tuple[int, int]] | None:
    """The title: one of the first lines (before any heading), or an issuer line plus the
    "关于……的报告" line below it, or a title wrapped over two lines. Text saved from a web page
    has the site's menus and fields above the title: see _title_below_page_head."""
    found = _title_in_first_lines(text, lines, heading_starts)
    if found is None or _is_chrome(found[0]):
        return _title_below_page_head(text, lines, heading_starts) or found
    return found


def _title_in_first_lines(text: str, lines: list[tuple[int, int]], heading_starts: set[int]) -> tuple[str, tuple[int, int]] | None:
    head = [(a, b) for a, b in lines[:4] if a not in heading_starts]
    if not head:
        return None
    for i, (a, b) in enumerate(head[:3]):
        line = text[a:b]
        if not _is_titleish(line):
            if i == 0 and _is_issuerish(line) and len(head) > 1:
                continue
            if i > 0:
                break
            continue
        start = a
        if i > 0:
            pa, pb = head[i - 1]
            prev = text[pa:pb]
            if _is_issuerish(prev):
                start = pa
            elif i > 1:
                break
        end = b
        # A title wrapped over two lines: "……关于2024年度法治政府" / "建设情况的报告".
        if "报告" not in line and i + 1 < len(head):
            na, nb = head[i + 1]
            nxt = text[na:nb]
            if len(nxt) <= 30 and nxt.endswith("报告"):
                end = nb
        title = text[start:end].replace("\n", "")
        return title, (start, end)
    return None


def issuer_from_title(title: str) -> str | None:
    m = _ISSUER_CUT.search(title)
    if m is None or m.start() == 0:
        return None
    issuer = title[: m.start()].strip(" ，,")
    return issuer if 2 <= len(issuer) <= 40 else None


# Administrative markers in an issuer's name and the level of a unit named after them. The
# marker that comes last names the issuing unit: 鲁山县瓦屋镇人民政府 is a township, 武乡县民政局
# (乡 inside the county's name) a county-level unit, 北京市海淀区人民政府 a county-level district.
_LEVEL_MARKER = re.compile(
    r"(?P<township>(?<!城)(?:镇|乡)(?![村镇])|街道|苏木)"
    r"|(?P<county>县(?!级)|旗|(?<![社园港景片辖郊矿林发])(?<!^城)区(?!域|间|别|块|划))"
    r"|(?P<city>市(?=政府)|市(?![场民政容级县区直管])|自治州|(?<!自治)州(?!市)|盟|地区)"
    r"|(?P<province>省(?![级直])|自治区|兵团)"
)
_MUNICIPALITY = re.compile(r"^(北京|上海|天津|重庆)市")
_CENTRAL = re.compile(r"^(?:国务院|中共中央|国家|中华人民共和国)|^[^省市县区镇乡]{1,8}部(?:党组)?$")


# Special zones: development zones, high-tech zones, industrial parks, new areas, pilot free trade
# zones' 片区 and their 管委会. A zone is run one level below the government that set it up.
_ZONE = re.compile(
    r"片区|(?:经济技术|高新技术产业|经济|高新|工业|产业|综合保税|旅游度假)?(?:开发区|园区|高新区|新区|试验区|示范区|保税区|度假区)"
    r"|管委会|管理委员会"
)
_BELOW = {"province": "city", "city": "county", "county": "township", "township": "township"}


def _zone_level(name: str, zone: re.Match[str]) -> str:
    """成都高新区 / 某市经济技术开发区管委会: county; 某县工业园区管委会: township; a 片区 of a free trade
    zone: county; a new area named without its province or city (雄安新区, 两江新区): city (most are
    sub-provincial); 浦东新区人民政府, a district with its own government: county."""
    new_area = zone.group(0).endswith("新区") and not zone.group(0).endswith("高新区")
    if "片区" in name or (new_area and re.search(r"(?:人民政府|政府)$", name)):
        return "county"  # a 新区 with its own 人民政府 is a district (浦东新区, 滨海新区)
    last = None
    for m in _LEVEL_MARKER.finditer(name, 0, zone.start()):
        last = m.lastgroup
    if last == "city" and _MUNICIPALITY.match(name):
        last = "province"
    if last is not None:
        return _BELOW[last]
    return "city" if new_area else "county"


def issuer_level(issuer: str | None) -> str | None:
    """The administrative level of the issuing unit, from the markers in its name."""
    if not issuer:
        return None
    name = issuer.removeprefix("中共")
    if _CENTRAL.search(name):
        return "central"
    zone = _ZONE.search(name)
    if zone is not None:
        return _zone_level(name, zone)
    last = None
    for m in _LEVEL_MARKER.finditer(name):
        last = m.lastgroup
    if last == "city" and _MUNICIPALITY.match(name):
        return "province"  # 北京市司法局 is a provincial-level department
    if last is None and name.endswith("厅"):
        return "province"
    return last


def issuer_kind(issuer: str | None) -> str | None:
    if not issuer:
        return None
    if issuer.startswith("中共") or re.search(r"(党组|党委|党工委|委员会党组)$", issuer) or issuer.endswith("县委") or issuer.endswith("市委"):
        return "party"
    if re.search(r"(人民政府|政府|办事处|行政公署|管委会|管理委员会)$", issuer):
        return "government"
    return "department"


def find_addressee(text: str, lines: list[tuple[int, int]], after: int) -> tuple[str, tuple[int, int]] | None:
    """A 主送机关 line such as "县委、县政府：" among the first lines after the title."""
    for a, b in islice((line for line in lines if line[0] >= after), 3):
        line = text[a:b].strip()
        if line.endswith(("：", ":")) and len(line) <= 50 and ADDRESSEE_WORDS.search(line):
            if "如下" in line or "报告" in line or "。" in line or _PAGE_FIELD.search(line):
                continue
            return line.rstrip("：:"), (a, b)
    return None


def find_signoff(
    text: str, lines: list[tuple[int, int]]
) -> tuple[tuple[str, tuple[int, int]] | None, tuple[str, tuple[int, int]] | None]:
    """(issuer, span) and (YYYY-MM-DD, span) of the 落款 and 成文日期 among the last lines."""
    tail = lines[-8:]
    date = None
    issuer = None
    for idx in range(len(tail) - 1, -1, -1):
        a, b = tail[idx]
        line = text[a:b]  # normalized lines carry no surrounding spaces
        m = _DATE.search(line)
        if m is None or len(line) > 40:
            continue
        before = line[: m.start()].strip()
        after = line[m.end():].strip(" ）)")
        if after and not re.fullmatch(r"[（(]?(此件|本件).*", after):
            continue
        y, mo, d = (_number(m.group(k)) for k in ("y", "m", "d"))
        try:
            day = dt.date(y or 0, mo or 0, d or 0)
        except ValueError:
            continue  # 2月30日 and the like are not a date
        date = (day.isoformat(), (a + m.start(), a + m.end()))
        if before and _is_issuerish(before):
            issuer = (before, (a, a + len(before)))
        elif idx > 0:
            pa, pb = tail[idx - 1]
            prev = text[pa:pb]
            if _is_issuerish(prev):
                issuer = (prev, (pa, pb))
        break
    return issuer, date


def find_report_year(text: str, title: str | None, lines: list[tuple[int, int]], first_body: int) -> tuple[int | None, str | None]:
    if title:
        m = _YEAR.search(title) or _CN_YEAR.search(title)
        if m:
            return _number(m.group(1)), "title"
    # The opening paragraph usually names the year ("2023年，在县委……"); else the most frequent year.
    for a, b in lines:
        if a < first_body:
            continue
        line = text[a:b]
        m = _YEAR.search(line[:20])
        if m:
            return int(m.group(1)), "body"
        break
    counts = Counter(int(y) for y in _YEAR.findall(text[: max(len(text) // 2, 2000)]))
    if counts:
        return counts.most_common(1)[0][0], "body"
    return None, None


# The issuer named in the body when there is no title: the opening sentence
# ("2022年,民政部党组坚持……", "2023年，在县委的领导下，县司法局以……") and the sentence announcing the
# report ("现将县人民政府2022年法治政府建设工作情况报告如下").
_AGENCY = (
    r"[\u4e00-\u9fff（）()]{1,30}?(?:人民政府|政府|街道办事处|办事处|管理委员会|管委会|委员会|办公室|党工委|党组|党委"
    r"|局|厅|委|办|部|署|院|中心|队|所)"
)
_WHEN = r"(?:(?:20\d\d|二[〇零○][一二三四五六七八九〇零○]{2})年(?:度|以来)?|一年来|过去一年|今年以来|近年来|全年)"
_OPENING = re.compile(
    rf"^(?:{_WHEN}[，,、]?\s*)?(?P<name>{_AGENCY})(?:党组|党委)?"
    r"(?=[，,]|坚持|以|在|认真|深入|全面|始终|紧紧|紧扣|紧密|聚焦|立足|按照|着力|持续|不断|积极|高度|牢固|切实|严格|围绕|结合"
    r"|贯彻|扎实|大力|主动|统筹|锚定|把|将|全力)"
)
_LEADING_CONTEXT = re.compile(rf"^(?:{_WHEN}[，,、]?\s*)?在[^。；]{{2,60}}?下[，,]\s*")
_FIRST_SENTENCES = re.compile(r"[^。！？]*[。！？]?")
_REPORT_SENTENCE = re.compile(
    rf"现将(?P<name>{_AGENCY})(?:党组|党委)?(?=20\d\d|二[〇零○]|关于|法治|依法|有关|年度|全年|本年度|工作|上一?年)"
)
_NOT_A_NAME = re.compile(r"^(?:我|本|各|全|有关|相关|上述|以上|该|局|厅|委|办)")


def _named(name: str | None) -> str | None:
    if not name or _NOT_A_NAME.match(name) or len(name) < 2:
        return None
    return name


def issuer_from_opening(text: str, lines: list[tuple[int, int]], body_from: int) -> str | None:
    """The unit that opens the first body paragraph, after a year and a "在……下，" clause."""
    for a, b in lines:
        if a < body_from:
            continue
        line = text[a:b]
        if len(line) <= 20 and not _SENTENCE_PUNCT.search(line):
            continue  # a column or site name above the body (工作报告, 政务公开)
        # the first sentence, or the second after a sentence about the year ("2022年是……的一年。")
        pos = 0
        for _ in range(2):
            sentence = _FIRST_SENTENCES.match(line, pos).group(0)
            ctx = _LEADING_CONTEXT.match(sentence)
            rest = sentence[ctx.end():] if ctx else sentence
            m = _OPENING.match(rest) or (_OPENING.match(sentence) if ctx else None)
            if m and _named(m.group("name")):
                return m.group("name")
            pos += len(sentence)
            if not sentence or pos >= len(line):
                break
        return None
    return None


def issuer_from_report_sentence(text: str, body_from: int) -> str | None:
    """The unit in "现将……报告如下" within the opening of the body."""
    m = _REPORT_SENTENCE.search(text, body_from, min(len(text), body_from + 1500))
    return _named(m.group("name")) if m else None


def _page_issuer(page: dict[str, str]) -> str | None:
    for key in ("publisher", "source"):
        value = page.get(key, "").strip()
        if value and _is_issuerish(value) and not value.endswith(("网", "网站", "门户")):
            return value
    return None


def choose_issuer(candidates: list[tuple[str, str | None]]) -> tuple[str | None, str | None]:
    """(issuer, source) from candidates in order of trust; a less trusted candidate that completes
    the chosen name (县人民政府 → 蒲江县人民政府, the sign-off's full name) replaces it."""
    named = [(src, name) for src, name in candidates if name]
    if not named:
        return None, None
    src, best = named[0]
    if src == "title":
        return best, src  # the title names the issuer as the author wrote it
    for _, other in named[1:]:
        if len(other) > len(best) and other.endswith(best.lstrip("县市区镇乡省")):
            best = other
            break
    return best, src


def web_punctuation(text: str) -> int:
    """The number of ASCII ，：；（）！？ marks when the text has them all in ASCII form while
    。、“” survive (a publishing system's normalisation); 0 otherwise."""
    if sum(text.count(ch) for ch in ",:;()!?") < 10:
        return 0  # most texts: a handful of ASCII marks at most
    ascii_marks = len(WEB_MARK.findall(text))
    if ascii_marks < 10:
        return 0
    full = len(_FULL_MARKS.findall(text))
    survivors = text.count("。") + text.count("、")
    if full * 10 > ascii_marks or survivors == 0:  # a title or 主送 line from outside the body may stay full-width
        return 0
    return ascii_marks


WEB_MARK = re.compile(r"(?<=[\u4e00-\u9fff”》」。、])[,:;()!?]|[,:;()!?](?=[\u4e00-\u9fff“《「])")
_FULL_MARKS = re.compile(r"[，：；（）！？]")


def extract(text: str, lines: list[tuple[int, int]], headings: list[Heading], page: dict[str, str] | None = None) -> Metadata:
    page = page or {}
    meta = Metadata(chars=len(text), page=dict(page))
    heading_starts = {h.start for h in headings if not h.inline}
    found = find_title(text, lines, heading_starts)
    body_from = 0
    if found:
        meta.title, meta.title_span = found
        meta.title_source = "text"
        body_from = meta.title_span[1]
    elif page.get("title") and _is_titleish(page["title"]):
        meta.title, meta.title_source = page["title"], "page"  # the title sat in the page's banner
    addressee = find_addressee(text, lines, body_from)
    if addressee:
        meta.addressee, meta.addressee_span = addressee
        body_from = meta.addressee_span[1]
    signoff_issuer, signed = find_signoff(text, lines)
    if signoff_issuer:
        meta.signoff_issuer, meta.signoff_span = signoff_issuer
    if signed:
        meta.signed_date, meta.signed_date_span = signed
    meta.issuer, meta.issuer_source = choose_issuer([
        ("title", issuer_from_title(meta.title) if meta.title else None),
        ("opening", issuer_from_opening(text, lines, body_from)),
        ("report_sentence", issuer_from_report_sentence(text, body_from)),
        ("signoff", meta.signoff_issuer),
        ("page", _page_issuer(page)),
    ])
    meta.web_punctuation = web_punctuation(text)
    meta.issuer_level = issuer_level(meta.issuer)
    meta.issuer_kind = issuer_kind(meta.issuer)
    meta.report_year, meta.report_year_source = find_report_year(text, meta.title, lines, body_from)
    meta.region = resolve_region(meta.issuer, text[:500])
    return meta
