"""Punctuation (GB/T 15834): paired marks come in pairs; Chinese text uses full-width marks."""

from __future__ import annotations

import re
from typing import Iterator

from fazhi.model import Document
from fazhi.parse.metadata import WEB_MARK
from fazhi.rules.registry import Context, Hit, rule

PAIRS = {"“": "”", "‘": "’", "（": "）", "《": "》", "【": "】", "〔": "〕", "「": "」", "『": "』", "〈": "〉", "(": ")", "[": "]"}
CLOSERS = {v: k for k, v in PAIRS.items()}
NAMES = {"“": "引号", "‘": "单引号", "（": "括号", "(": "括号", "《": "书名号", "〈": "书名号", "【": "方括号", "[": "方括号", "〔": "六角括号", "「": "引号", "『": "引号"}

_HAN = re.compile(r"[\u4e00-\u9fff]")
_PAIR_CHARS = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
_ASCII_PUNCT_CHARS = ',;:?!()."'
_CJK_PUNCT = set("，。、；：！？“”‘’（）《》【】〔〕…—")
_URL = re.compile(r"(?:https?://|www\.)[\w./?=&%:#~+-]+|[\w.-]+@[\w.-]+\.\w+", re.ASCII)
# What publishing systems normalise (NFKC): full-width ，：；（）！？ become ASCII; 。、“”《》 survive.
_WEB_NORMALISED = set(",:;()!?")
_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}


def _token_positions(doc: Document) -> set[int]:
    """Every offset inside a numbering token of a heading (computed once per document)."""
    tokens = doc.memo.get("token_positions")
    if tokens is None:
        tokens = doc.memo["token_positions"] = {i for h in doc.headings for i in range(h.token_start, h.token_end)}
    return tokens


def _offsets(text: str, chars: str) -> list[int]:
    """The sorted offsets of every occurrence of any of `chars`: one str.find loop per character,
    cheaper than a regex scan for a few characters that are rare in Chinese text."""
    out: list[int] = []
    for ch in chars:
        p = text.find(ch)
        while p != -1:
            out.append(p)
            p = text.find(ch, p + 1)
    out.sort()
    return out


def _by_paragraph(doc: Document, offsets: list[int]) -> list[tuple[int, int, list[int]]]:
    """(start, end, its offsets) for each paragraph holding any of the sorted `offsets`."""
    out: list[tuple[int, int, list[int]]] = []
    paragraphs = doc.paragraphs
    j, n = 0, len(paragraphs)
    for pos in offsets:
        while j < n and paragraphs[j][1] <= pos:
            j += 1
        if j == n:
            break
        a, b = paragraphs[j]
        if pos < a:
            continue  # between paragraphs
        if not out or out[-1][0] != a:
            out.append((a, b, []))
        out[-1][2].append(pos)
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


@rule(
    code="P101",
    name="unbalanced-pair",
    severity="error",
    category="punctuation",
    summary="引号、括号、书名号不成对",
    why="引号、括号和书名号必须成对出现（GB/T 15834）。少一半通常是删改时误删，会让读者看不清引用的起止。",
    bad="落实“谁执法谁普法责任制，学习《中华人民共和国行政处罚法。",
    good="落实“谁执法谁普法”责任制，学习《中华人民共和国行政处罚法》（2021年修订）。",
)
def unbalanced_pair(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    tokens = _token_positions(doc)
    for _, _, marks in _by_paragraph(doc, [m.start() for m in _PAIR_CHARS.finditer(text)]):
        stack: list[tuple[str, int]] = []
        for i in marks:
            ch = text[i]
            if ch in PAIRS:
                if i in tokens:
                    continue  # （一） and (1) numbering tokens are checked by the numbering rules
                stack.append((ch, i))
            elif ch in CLOSERS:
                if i in tokens:
                    continue
                if ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha():
                    continue  # an apostrophe in English text
                opener = CLOSERS[ch]
                if stack and stack[-1][0] == opener:
                    stack.pop()
                    continue
                if any(o == opener for o, _ in stack):
                    while stack and stack[-1][0] != opener:
                        o, p = stack.pop()
                        yield Hit(p, p + 1, f"{NAMES.get(o, '符号')}“{o}”没有对应的“{PAIRS[o]}”", None)
                    stack.pop()
                    continue
                yield Hit(i, i + 1, f"“{ch}”前面缺少对应的“{opener}”", None)
        for o, p in stack:
            yield Hit(p, p + 1, f"{NAMES.get(o, '符号')}“{o}”没有对应的“{PAIRS[o]}”", None)


def _han_or_cjk(ch: str) -> bool:
    return bool(_HAN.match(ch)) or ch in _CJK_PUNCT


@rule(
    code="P102",
    name="halfwidth-punctuation",
    severity="warning",
    category="punctuation",
    summary="中文语句中使用了半角标点",
    why=(
        "中文文本应使用全角标点（GB/T 15834）。半角逗号、冒号、括号混在中文里，多是从网页或表格复制来的痕迹。数字中的“1,500”"
        "“9:30”、网址不受影响。网站发布系统常把全文的 ，：；（）！？ 统一转成半角（。、“”《》不变）：这样的网页稿或爬取稿"
        "不是起草人的笔误，只给一条提示并注明处数，不逐个报警告。"
    ),
    bad="县委、县政府:\n我局全年办理案件12件,开展培训3次(含线上1次).",
    good="县委、县政府：\n我局全年办理案件1,500件，9:30召开会议，详见www.example.gov.cn，开展培训3次（含线上1次）。",
)
def halfwidth_punctuation(doc: Document, ctx: Context) -> Iterator[Hit]:
    text = doc.text
    tokens = _token_positions(doc)
    web = doc.metadata.web_punctuation
    if web:
        # a publishing system turned every ，：；（）！？ into ASCII: one note on the copy, not one
        # finding per comma; the marks it does not touch (. " ...) are still the author's
        first = WEB_MARK.search(text)
        a = first.start() if first else 0
        yield Hit(
            a,
            a + 1,
            f"全文的逗号、冒号、分号、括号等都是半角（共{web}处），而句号、顿号、引号仍为全角：这是网页发布系统转换标点的痕迹，"
            "不是起草人的笔误；报送稿应使用全角标点",
            severity="info",
        )
    # every match of _URL holds one of these: most reports have neither a web address nor e-mail
    may_url = "://" in text or "www." in text or "@" in text
    skip: list[tuple[int, int]] = [(m.start(), m.end()) for m in _URL.finditer(text)] if may_url else []
    # on a web copy every ，：；（）！？ turned ASCII is passed over below: not even looked at
    chars = "".join(ch for ch in _ASCII_PUNCT_CHARS if ch not in _WEB_NORMALISED) if web else _ASCII_PUNCT_CHARS
    for a, b, marks in _by_paragraph(doc, _offsets(text, chars)):
        i = a
        for at in marks:
            if at < i:
                continue  # inside the ellipsis or the brackets just reported
            i = at
            ch = text[i]
            if i in tokens or _inside(i, skip):
                i += 1
                continue
            prev = text[i - 1] if i > a else ""
            nxt = text[i + 1] if i + 1 < b else ""
            if ch == "." and text.startswith("...", i):
                if _han_or_cjk(prev) or _han_or_cjk(text[i + 3:i + 4]):
                    j = i
                    while j < b and text[j] == ".":
                        j += 1
                    yield Hit(i, j, "中文省略号应为“……”", "……")
                    i = j
                    continue
            if web and ch in _WEB_NORMALISED:
                i += 1
                continue
            if ch in ",:" and prev.isdigit() and nxt.isdigit():
                i += 1
                continue
            if ch == ".":
                # only a sentence-ending period after Chinese text; not 1.5, No.3, v1.2
                if _HAN.match(prev) and (nxt == "" or _HAN.match(nxt) or nxt in "“ "):
                    yield Hit(i, i + 1, "中文语句中使用了半角句点“.”，应为“。”", "。")
                i += 1
                continue
            if ch == '"':
                if _han_or_cjk(prev) or _han_or_cjk(nxt):
                    yield Hit(i, i + 1, '中文语句中使用了半角引号“"”，应为“”或”', None)
                i += 1
                continue
            if ch == "(":
                close = text.find(")", i, b)
                inner = text[i + 1:close] if close != -1 else ""
                if _HAN.search(inner) or _HAN.match(prev) or (close != -1 and _HAN.match(text[close + 1:close + 2] or " ")):
                    end = close + 1 if close != -1 else i + 1
                    fixed = "（" + inner + "）" if close != -1 else "（"
                    yield Hit(i, end, "中文语句中使用了半角括号“()”，应为“（）”", fixed)
                    i = end
                    continue
                i += 1
                continue
            if ch == ")":
                if _HAN.match(prev) or _HAN.match(nxt):
                    yield Hit(i, i + 1, "中文语句中使用了半角括号“)”，应为“）”", "）")
                i += 1
                continue
            if _han_or_cjk(prev) or (_HAN.match(nxt) and prev != " "):
                yield Hit(i, i + 1, f"中文语句中使用了半角“{ch}”，应为全角“{_FULL[ch]}”", _FULL[ch])
            i += 1
