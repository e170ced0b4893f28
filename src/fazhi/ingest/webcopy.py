"""Reports as they arrive from the web: crawler and page headers, and headings run into the body.

Two things a publishing system or a crawler does to a report, undone here before parsing:

* **A header above the text.** Crawled corpora put their own labelled fields first
  (``标题: … 发布时间: 2025-03-20 发布机构: … 原文链接: http://…``), on lines of their own or all on the
  first line; saved pages keep breadcrumbs (``首页 > 政务公开 > …``), bare URLs, publication dates
  and 【字体：大 中 小】 tools. `strip_page_header` removes these leading blocks (or the leading part of
  the first block) and returns the fields it understood as the page's provenance
  (title, published, publisher, source, url, and header: the stripped lines
  themselves, up to 500 characters), never as report text.
* **Lost line breaks.** A crawl that drops every newline leaves ``…推进法治政府建设1.深入学习…`` and
  ``…落实到位。二、存在问题与不足执法制度……``. `run_in_breaks` finds where a numbered heading starts
  inside a line (after a full stop or colon, or glued to a heading before it, and only with the
  number the outline expects next), where a heading's known wording (knowledge/part_headings.toml)
  ends and its body begins, and where 特此报告 and the sign-off begin. Ordinary sentences are not
  split: ``2.5万元``, ``第1.2条``, ``统一、规范``, dates and decimals keep their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterator

from fazhi import knowledge
from fazhi._native import kernel
from fazhi.model import RawDocument
from fazhi.numerals import cn_to_int
from fazhi.vocab import ADDRESSEE_WORDS, AGENCY_END

# Field labels of crawlers and government CMSs, and the key each one fills (None: dropped).
_LABELS = {
    "标题": "title", "文章标题": "title", "题目": "title", "名称": "title", "标 题": "title", "名 称": "title",
    "发布时间": "published", "发布日期": "published", "发文日期": "published", "公开日期": "published",
    "时间": "published", "日期": "published", "更新时间": None, "生成日期": None, "成文日期": None,
    "发布机构": "publisher", "发布单位": "publisher", "发文机关": "publisher", "发文单位": "publisher",
    "发布机关": "publisher", "公开单位": "publisher",
    "来源": "source", "信息来源": "source", "文章来源": "source", "稿件来源": "source",
    "原文链接": "url", "原文地址": "url", "链接": "url", "网址": "url", "URL": "url", "url": "url", "来源链接": "url",
    "作者": None, "索引号": None, "主题分类": None, "分类": None, "文号": None, "发文字号": None, "栏目": None,
    "所属栏目": None, "浏览次数": None, "访问量": None, "点击数": None, "阅读次数": None, "关键词": None,
    "信息类别": None, "公开方式": None, "公开范围": None, "有效性": None, "责任编辑": None, "编辑": None,
    # traditional-character mirrors (the text is converted after the header is stripped)
    "標題": "title", "名稱": "title", "發布時間": "published", "發佈時間": "published", "發布日期": "published",
    "發佈日期": "published", "時間": "published", "發布機構": "publisher", "發佈機構": "publisher",
    "發文機關": "publisher", "來源": "source", "信息來源": "source", "資訊來源": "source", "原文鏈接": "url",
    "鏈接": "url", "網址": "url", "瀏覽次數": None, "訪問量": None, "點擊數": None, "索引號": None, "文號": None,
    # crawlers' own English keys
    "title": "title", "url": "url", "link": "url", "source": "source", "publisher": "publisher",
    "publish_time": "published", "pub_time": "published", "publish_date": "published", "pubdate": "published",
    "date": "published", "author": None, "site": None, "site_name": None, "crawl_time": None, "crawled_at": None,
}
_LABEL_ALT = "|".join(sorted((re.escape(k).replace(r"\ ", r"\s*") for k in _LABELS), key=len, reverse=True))
_SEPARATORS = " \t\u3000|｜"
# One labelled field at the start of a line: "标题: …", "[索引号] …", "- 发布时间：…".
_FIELD = re.compile(
    rf"^[\s\-•·*]*(?:[【\[]\s*(?P<blabel>{_LABEL_ALT})\s*[】\]]\s*[:：]?|[【\[]?(?P<label>{_LABEL_ALT})[\s】\]]*[:：])\s*",
    re.I,
)
_NEXT_FIELD = re.compile(rf"\s*[【\[]?(?:{_LABEL_ALT})[\s】\]]*[:：]", re.I)
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+", re.ASCII)
_DATE = re.compile(
    r"(?P<y>20\d\d)\s*(?:[-/.年])\s*(?P<m>\d{1,2})\s*(?:[-/.月])\s*(?P<d>\d{1,2})\s*日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
)
# A line of page furniture with nothing of the report in it.
_CHROME_LINE = re.compile(
    r"^(?:首页|当前位置|您(?:现在)?的?(?:当前)?位置|所在位置)\s*[>»:：]"
    r"|^\S{1,10}(?:\s*[>»]\s*\S{1,12}){1,6}$"
    r"|字[号体][:：]?\s*[\[【]?\s*大\s*中\s*小"
    r"|^[\u4e00-\u9fff]{2,20}(?:门户网站|政务网|网站|网)$"  # the site's name
    r"|^[【\[]?\s*(?:打印|关闭|打印本页|关闭窗口|收藏|分享)\s*[】\]]?(?:\s*[【\[]?\s*(?:打印|关闭|打印本页|关闭窗口|收藏|分享)\s*[】\]]?)*$"
)
_HEAD_BLOCKS = 15  # a header never runs longer than this many blocks
_c = kernel("_load")


@dataclass(slots=True)
class _Field:
    key: str | None
    value: str
    end: int  # where the field ends in the block text


def _field_at(text: str, pos: int) -> _Field | None:
    """A labelled field starting at `pos` (after spaces): its key, value and end."""
    m = _FIELD.match(text[pos:])
    if m is None:
        return None
    label = re.sub(r"\s+", " ", m.group("label") or m.group("blabel"))
    key = _LABELS.get(label, _LABELS.get(label.replace(" ", ""), _LABELS.get(label.lower())))
    start = pos + m.end()
    rest = text[start:]
    if key == "url" or rest.startswith(("http://", "https://", "www.")):
        u = _URL.match(rest)
        value = u.group(0) if u else ""
        return _Field(key, value, start + len(value))
    if key == "published":
        d = _DATE.match(rest)
        if d is not None:
            return _Field(key, _iso(d), start + d.end())
    nxt = _NEXT_FIELD.search(rest)
    if nxt is not None:
        value = rest[: nxt.start()]
    else:
        # the last field of a one-line header ends at the first space (the body follows); a field
        # on a line of its own takes the whole line
        space = re.search(r"\s", rest)
        value = rest[: space.start()] if space and key != "title" else rest
    return _Field(key, value.strip(_SEPARATORS), start + len(value))


def _iso(m: re.Match[str]) -> str:
    return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"


def strip_page_header(raw: RawDocument) -> tuple[RawDocument, dict[str, str]]:
    """`raw` without the crawler's or page's header blocks, and the page fields found there."""
    fields: dict[str, str] = {}
    blocks = raw.blocks
    drop = 0  # blocks wholly consumed
    cut: tuple[int, int] | None = None  # (block index, offset): the body starts inside this block
    seen = 0
    for bi, block in enumerate(blocks):
        if seen >= _HEAD_BLOCKS:
            break
        text = block.text
        if not text.strip():
            drop = bi + 1 if drop == bi else drop
            continue
        seen += 1
        pos = len(text) - len(text.lstrip())
        consumed = False
        while pos < len(text):
            f = _field_at(text, pos)
            if f is not None:
                if f.key and f.value and f.key not in fields:
                    fields[f.key] = f.value
                consumed = True
                pos = f.end
            else:
                rest = text[pos:]
                u = _URL.match(rest)
                d = _DATE.fullmatch(rest.strip()) if len(rest.strip()) <= 25 else None
                if u is not None and (consumed or not rest[u.end():].strip()):
                    fields.setdefault("url", u.group(0))
                    pos += u.end()
                elif d is not None:
                    fields.setdefault("published", _iso(d))
                    pos = len(text)
                elif _CHROME_LINE.search(rest.strip()) and not consumed:
                    pos = len(text)
                else:
                    break
                consumed = True
            while pos < len(text) and text[pos] in _SEPARATORS:
                pos += 1
        if not consumed:
            break
        if pos < len(text):
            cut = (bi, pos)
            break
        drop = bi + 1
    if drop == 0 and cut is None:
        return raw, {}
    kept = list(blocks[drop:])
    if cut is not None:
        bi, off = cut
        block = blocks[bi]
        origin = dict(block.origin)
        if "offset" in origin:
            origin["offset"] += off
        origin["column"] = origin.get("column", 0) + off
        kept = [replace(block, text=block.text[off:], origin=origin)] + list(blocks[bi + 1:])
    if not any(b.text.strip() for b in kept):
        return raw, {}  # a text of fields only: leave it alone, it is not a report with a header
    stripped = [b.text.strip() for b in blocks[:drop] if b.text.strip()]
    if cut is not None:
        stripped.append(blocks[cut[0]].text[: cut[1]].strip())
    if not any(stripped):
        return raw, {}  # only blank lines above the text
    fields["header"] = "\n".join(stripped)[:500]
    return replace(raw, blocks=kept), fields


# --------------------------------------------------------------------------- run-in headings

_CN = "一二三四五六七八九十"
_DIGITS = "0123456789"
# Numbering tokens: 一、 (not 统一、规范's 一、 before another numeral: 二、三季度), （一）, and 1. / 1、
# before a Han character (not 2.5万元, not 第1.2条). One regex stops at the punctuation of a token
# (、 . ． （ (), a character class the engine skips along, and keeps the marks with a numeral
# before them; the numeral's run is then checked here.
_TOKEN = re.compile(
    rf"[、.．（(](?:(?<=[（(])(?P<paren_cn>[{_CN}]{{1,3}}[）)])|(?<=[{_CN}]、)(?P<cn>)|(?<=[0-9][、.．])(?P<arabic>))"
)


@dataclass(slots=True)
class _Token:
    style: str  # cn | paren_cn | arabic
    start: int
    end: int
    value: int


def _tokens(text: str) -> Iterator[_Token]:
    """The numbering tokens of `text` in order."""
    n = len(text)
    for m in _TOKEN.finditer(text):
        i = m.start()
        if m.lastgroup == "paren_cn":
            yield _Token("paren_cn", i, m.end(), cn_to_int(text[i + 1:m.end() - 1]) or 0)
            continue
        j = i
        if m.lastgroup == "cn":
            while j > 0 and text[j - 1] in _CN:
                j -= 1
            if i - j <= 3 and (i + 1 >= n or text[i + 1] not in _CN):
                yield _Token("cn", j, i + 1, cn_to_int(text[j:i]) or 0)
            continue
        while j > 0 and text[j - 1] in _DIGITS and i - j < 3:
            j -= 1
        if i - j <= 2 and (j == 0 or text[j - 1] not in _DIGITS + ".．第") and i + 1 < n and _HAN.match(text[i + 1]):
            yield _Token("arabic", j, i + 1, int(text[j:i]))


_SENTENCE_END = "。！？!?"
_CLAUSE_END = "。！？!?；;：:"
_CLOSERS = "”’）)》」』"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CONTINUES = re.compile(r"[和及与、的]|安排|计划|打算|情况|思路|举措|成效|不足|问题|差距|短板|整改|工作")
_BODY_STOP = re.compile(r"[。！？!?]")
_NOT_BEFORE_PAREN = set("第条款项")
_CLOSING = re.compile(r"特此报告[。.]?")
_SIGNOFF_TAIL = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff（）()]{2,40}?)?\s*(?P<date>20\d\d年\d{1,2}月\d{1,2}日)\s*$"
)


@lru_cache(maxsize=1)
def _heading_phrases() -> re.Pattern[str]:
    """A known heading wording at the start of a heading's text, optionally after a year and
    推进法治政府建设; longest wordings first."""
    phrases = sorted({h for part in knowledge.load("part_headings")["parts"].values() for h in part["headings"]}, key=len, reverse=True)
    return re.compile(
        r"(?:(?:20\d\d|二[〇零○][一二三四五六七八九〇零○]{2})年度?|上一?年度)?(?:的)?(?:推进)?(?:法治政府建设)?(?:工作)?(?:中)?(?:的)?"
        r"(?:" + "|".join(re.escape(p).replace("，", "[，,]") for p in phrases) + r")"
    )


class OutlineState:
    """What `run_in_breaks` carries from block to block: the next value the outline expects at
    each numbered level, and whether the first heading has been seen."""

    def __init__(self) -> None:
        self.blocks = 0  # blocks seen before the first heading
        self.headed = False
        self.cn = 1
        self.paren_cn = 1
        self.arabic = 1

    def accepts(self, style: str, value: int, after_stop: bool = False) -> bool:
        """Glued to the text before it, only the expected value; after a full stop also 1 (a new
        list) and a skipped or repeated number (a numbering slip is still a heading, and the
        numbering rule reports it)."""
        expected = getattr(self, style)
        if after_stop:
            return value == 1 or expected - 1 <= value <= expected + 2
        return value == expected

    def see(self, style: str, value: int) -> None:
        self.headed = True
        if style == "cn":
            self.cn, self.paren_cn, self.arabic = value + 1, 1, 1
        elif style == "paren_cn":
            self.paren_cn, self.arabic = value + 1, 1
        else:
            self.arabic = value + 1


def _breaks_before_token(text: str, m: _Token, expect: OutlineState) -> bool:
    """Does the numbering token `m`, inside a line, start a heading?"""
    style = m.style
    value = m.value
    i = m.start
    spaced = text[i - 1] == " "  # a space inside a Chinese line: where a line break was lost
    if spaced and i < 2:
        return False
    prev = text[i - 2] if spaced else text[i - 1]
    j = i - 2 if spaced else i - 1
    while j > 0 and text[j] in _CLOSERS:
        j -= 1
    after_stop = text[j] in _CLAUSE_END if style != "arabic" else text[j] in _SENTENCE_END
    glued = bool(_HAN.match(prev)) or prev in _CLOSERS
    if spaced and not prev.isdigit():
        after_stop = True  # 。　　二、 / ：　　1. / 建设　　1.: each paragraph kept its indentation
    if style == "cn":
        # 统一、规范 and 唯一、 are words, not headings: glued only as the expected next number
        if after_stop:
            return expect.accepts(style, value, after_stop=True)
        return glued and value >= 2 and value == expect.cn and prev not in _CN + "第"
    if style == "paren_cn":
        if prev in _NOT_BEFORE_PAREN or prev.isdigit():
            return False
        return (after_stop or glued) and expect.accepts(style, value, after_stop)
    # arabic: after a sentence end, or glued to the heading before it (…法治政府建设1.深入学习)
    if prev in "年月日号第" or not (after_stop or glued):
        return False
    return expect.accepts(style, value, after_stop)


def _token_breaks(text: str, expect: OutlineState, breaks: list[int]) -> list[int]:
    """The numbering tokens of one block: appends to `breaks` where a numbered heading starts
    inside the line, moves `expect` on past each heading, and returns where the headings' text
    begins. The compiled kernel's token_breaks does the same."""
    heading_starts: list[int] = []
    for m in _tokens(text):
        if m.start == 0:
            expect.see(m.style, m.value)
            heading_starts.append(m.end)
            continue
        if _breaks_before_token(text, m, expect):
            expect.see(m.style, m.value)
            breaks.append(m.start)
            heading_starts.append(m.end)
    return heading_starts


def run_in_breaks(text: str, expect: "OutlineState | None" = None) -> list[int]:
    """Offsets in `text` (one block) before which a new line starts: numbered headings inside the
    line, the end of a heading's known wording, 特此报告 and the sign-off. `expect` carries the
    outline's state from block to block."""
    expect = expect or OutlineState()
    breaks: list[int] = []
    if not expect.headed and expect.blocks < 4:
        breaks.extend(_head_breaks(text, first=expect.blocks == 0))
    expect.blocks += 1
    heading_starts = (_c.token_breaks if _c is not None else _token_breaks)(text, expect, breaks)
    phrases = _heading_phrases()
    for pos in heading_starts:
        p = phrases.match(text, pos)
        if p is None or p.end() >= len(text):
            continue
        # only a heading followed by a sentence of body on the same line: 二、存在问题与不足执法制度
        # 还不完善，……。 (never 存在问题整改情况, a longer heading)
        stop = _BODY_STOP.search(text, p.end())
        body = p.end() + 1 if text[p.end()] == " " and p.end() + 1 < len(text) else p.end()
        nxt = text[body]
        if _CONTINUES.match(text, body) or (p.group(0).endswith("原因") and text.startswith("分析", body)):
            continue  # 存在的主要问题|和不足, 主要工作|安排: a longer heading than the wordings known
        if (_HAN.match(nxt) or nxt.isdigit() or nxt in "“《") and stop is not None and stop.start() - body >= 8:
            breaks.append(body)
    if "。" in text:
        for c in _CLOSING.finditer(text) if "特此" in text else ():
            if c.start() > 0:
                breaks.append(c.start())
            if c.end() < len(text):
                breaks.append(c.end())
        tail = _SIGNOFF_TAIL.search(text, max(0, len(text) - 60)) if text.rstrip().endswith("日") else None
        if tail is not None and tail.start("date") > 0:
            stop = max(text.rfind(ch, 0, tail.start("date")) for ch in "。！？")
            issuer = text[stop + 1:tail.start("date")].strip()
            if stop >= 0 and issuer and len(issuer) <= 40 and AGENCY_END.search(issuer):
                breaks.append(stop + 1)
                breaks.append(tail.start("date"))
            elif text[tail.start("date") - 1] in "。":
                breaks.append(tail.start("date"))
    if not breaks:
        return breaks
    # a line starts at its first character: a space before it ends the line before (and is dropped)
    breaks = [b + 1 if b < len(text) and text[b] == " " else b for b in breaks]
    return sorted(b for b in set(breaks) if 0 < b < len(text))


_RUN_TITLE = re.compile(r"^[^。，,；;：:]{8,90}?(?:情况的报告|工作的报告|工作报告|年度报告|建设报告|的报告)(?= ?[\u4e00-\u9fff\d])")
_RUN_ADDRESSEE = re.compile(r"^[^。；;：:\s]{2,40}?[：:] ?(?=\S)")
_SENTENCE_START = re.compile(r"按照|根据|为了?|现将|今年|本年|全年|近年|在|我|20\d\d年[，,度以]")


def _head_breaks(text: str, first: bool) -> list[int]:
    """Before the first heading: a title and a 主送 line run into the opening paragraph
    ("……情况的报告县委、县政府：2024年，……")."""
    out: list[int] = []
    pos = 0
    t = _RUN_TITLE.match(text) if first and not _SENTENCE_START.match(text) else None
    if t is not None and any(w in t.group(0) for w in ("法治", "依法行政")):
        pos = t.end() + (text[t.end()] == " ")
        out.append(pos)
    a = _RUN_ADDRESSEE.match(text[pos:]) if not _SENTENCE_START.match(text[pos:]) else None
    if a is not None and ADDRESSEE_WORDS.search(a.group(0)) and "如下" not in a.group(0) and "报告" not in a.group(0):
        out.append(pos + a.end())
    return out
