"""A report as crawlers and publishing systems hand it on: the transformations, for the tests and
for benchmarks/quality.py.

Each transformation takes the clean text of a report (its lines) and returns the text as a web
copy or a crawl would have it. They are written from what published copies look like (see
DOMAIN.md, "How the texts arrive"), independently of fazhi's parser: the head and tail of the
report are found with simple line tests of their own.

  header    a crawler's labelled fields on lines of their own, the title moved into 标题:
  inline    the same fields and the whole body on one line (the crawler dropped every newline)
  joined    the title kept, every line of the body run together (no line breaks)
  nfkc      every ，：；（）！？ turned into ASCII (a publishing system's NFKC), 。、“”《》 kept
  webcopy   published copy: title in the page banner (gone), no 主送 line, no sign-off, NFKC
  crawl     header + joined body + NFKC: a complete report from a crawled corpus
  retitled  as crawl, with the title repeated at the start of the run-together body
  spaced    text pasted from a page: the paragraphs run together, each still indented with "　　"
"""

from __future__ import annotations

import re

NFKC = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})
_DATE_LINE = re.compile(r"^\s*20\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_TITLE_WORDS = ("报告", "法治政府", "依法行政")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def split_report(text: str) -> tuple[list[str], str | None, list[str], list[str]]:
    """(title lines, addressee line, body lines, sign-off lines) of a clean report."""
    lines = _lines(text)
    title: list[str] = []
    i = 0
    # the title: up to two short lines without a full stop, the last one naming the subject
    for j in range(min(3, len(lines))):
        line = lines[j]
        if "。" in line or len(line) > 60 or line.endswith(("：", ":")):
            break
        if j > 0 and line.startswith(("一、", "（一）")):
            break
        title.append(line)
        i = j + 1
        if any(w in line for w in _TITLE_WORDS) and line.endswith(("报告", "总结")):
            break
    addressee = None
    if i < len(lines) and lines[i].endswith(("：", ":")) and len(lines[i]) <= 50 and "如下" not in lines[i]:
        addressee = lines[i]
        i += 1
    body = lines[i:]
    signoff: list[str] = []
    if body and _DATE_LINE.match(body[-1]):
        signoff.insert(0, body.pop())
        if body and len(body[-1]) <= 30 and "。" not in body[-1]:
            signoff.insert(0, body.pop())
    return title, addressee, body, signoff


def crawler_header(title: str, *, one_line: bool = False) -> str:
    fields = [
        f"标题: {title}",
        "发布时间: 2025-03-20 09:30:00",
        "发布机构: 某市人民政府办公室",
        "原文链接: http://www.example.gov.cn/zwgk/art/2025/3/20/art_1229_5123.html",
    ]
    return " ".join(fields) + " " if one_line else "\n".join(fields) + "\n"


def header(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    rest = ([addressee] if addressee else []) + body + signoff
    return crawler_header("".join(title)) + "\n".join(rest)


def inline(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    rest = ([addressee] if addressee else []) + body + signoff
    return crawler_header("".join(title), one_line=True) + "".join(rest)


def joined(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    rest = ([addressee] if addressee else []) + body + signoff
    return "\n".join(title) + "\n" + "".join(rest)


def nfkc(text: str) -> str:
    return text.translate(NFKC)


def webcopy(text: str) -> str:
    _, _, body, _ = split_report(text)
    return "\n".join(body).translate(NFKC)


def crawl(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    rest = ([addressee] if addressee else []) + body + signoff
    return crawler_header("".join(title)) + "".join(rest).translate(NFKC)


def retitled(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    rest = "".join(title) + "".join(([addressee] if addressee else []) + body + signoff)
    return crawler_header("".join(title)) + rest.translate(NFKC)


def spaced(text: str) -> str:
    title, addressee, body, signoff = split_report(text)
    return "\n".join(title) + "\n" + "　　".join(([addressee] if addressee else []) + body + signoff)


TRANSFORMS = {
    "header": header, "inline": inline, "joined": joined, "nfkc": nfkc, "webcopy": webcopy, "crawl": crawl,
    "retitled": retitled, "spaced": spaced,
}
