"""HTML and MHTML reader for reports published on (or saved from) government websites.

Only the report is kept: the page's navigation, breadcrumb, information bar ("来源：… 发布时间：…"),
font-size and print/share tools, related links, site footer, scripts and styles are not.

Steps:
  1. MHTML (.mht/.mhtml) is unpacked with the stdlib email package: the first text/html part.
  2. Decoding: a BOM, else valid UTF-8, else the declared charset (GBK/GB2312 read as GB18030),
     else detection as for plain text.
  3. lxml's HTML parser builds the tree (no network, no DTD or custom entities, comments and
     processing instructions dropped). Scripts, styles, forms' controls and hidden elements are
     skipped while walking, never stripped, so element indices stay those of the page.
  4. The content container is the element with the most non-link Chinese text in its own text
     and its block children (plus half of its grandchildren's), as readability does, nudged by
     class/id names that CMSs use for the body (TRS_Editor, zoom, content, article, ...).
  5. Each paragraph-like element (p, div text, h1-h6, li, table cell, and each <br>-separated
     line) becomes one Block; short boilerplate lines left in the container are dropped. The page
     title (meta ArticleTitle, an <h1>/<h2>, or <title>) is put first when the body lacks it.

A hand-written extractor is used rather than trafilatura: on the test pages trafilatura dropped the
sign-off and the title in several layouts, and it cannot say which element a paragraph came from,
which provenance needs (see the measurements reported with the tests).
"""

from __future__ import annotations

import codecs
import email
import email.policy
import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree
from lxml import html as lxml_html

from fazhi.ingest.txt import detect_encoding
from fazhi.model import Block, IngestError, RawDocument

# --------------------------------------------------------------------------- element classes

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog dir div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SKIP_TAGS = frozenset(
    "script style noscript template iframe frame frameset object embed applet svg math canvas "
    "audio video select option textarea button input map area head title meta link base".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTENT_NAME = re.compile(
    r"trs_editor|trs_ueditor|\bzoom\b|article|content|detail|\bcon\b|main-?te?xt|wzcon|"
    r"pages_content|custom_unionstyle|\bview\b|\btext\b|zw\b|bt_content",
    re.I,
)
_BOILER_NAME = re.compile(
    r"\bnav|menu|crumb|foot|header|\bside|related|share|tool|copyright|comment|ewm|qrcode|"
    r"\blinks?\b|prenext",
    re.I,
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WS_NEWLINE_CJK = re.compile(r"(?<=[\u2e80-\uffef])[ \t\r\n\f]*\n[ \t\r\n\f]*(?=[\u2e80-\uffef])")
_WS_RUN = re.compile(r"[ \t\r\n\f]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Short lines of page furniture that can sit inside the content container.
_BOILERPLATE = re.compile(
    r"^(?:当前位置|您(?:现在)?的?(?:当前)?位置|所在位置)[:：]"
    r"|(?:来源|信息来源|发布机构|作者)[:：].{0,60}(?:发布时间|发布日期|时间|日期)[:：]"
    r"|^(?:发布时间|发布日期|更新时间)[:：]"
    r"|浏览次数|阅读次数|点击数|访问次数|浏览量"
    r"|字[号体][:：]?\s*[\[【]?\s*大\s*中\s*小"
    r"|打印本页|关闭窗口|【\s*打印\s*】|【\s*关闭\s*】|分享到|扫一扫在手机"
    r"|^(?:上一篇|下一篇)[:：]|^相关(?:链接|文件|阅读|新闻|信息)[:：]?$"
    r"|主办单位[:：]|承办单位[:：]|网站标识码|ICP\s*备|公网安备|版权所有|Copyright|©"
    r"|建议使用.{0,30}(?:分辨率|浏览器)"
)
_BOILERPLATE_MAX = 120


def read(data: bytes, mhtml: bool = False) -> RawDocument:
    """Read an HTML page (or an MHTML archive) into the report's paragraph blocks."""
    charset = None
    if mhtml or _looks_like_mime(data):
        data, charset = _unpack_mhtml(data)
    text, enc = decode_html(data, charset)
    try:
        root = _parse(text)
        blocks = _extract(root)
    except IngestError:
        raise
    except Exception as exc:  # lxml on hostile markup
        raise IngestError("corrupt", f"网页文件无法解析（{type(exc).__name__}），可能已损坏") from None
    if not blocks:
        raise IngestError("no-text", "网页中没有找到报告正文")
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"编码：{enc}"]
    return RawDocument("html", blocks, notes, encoding=enc)


# --------------------------------------------------------------------------- MHTML


_MIME_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[^\r\n]*\r?\n")


def _looks_like_mime(data: bytes) -> bool:
    """An MHTML archive saved under another extension: mail-style headers announcing MIME."""
    head = data[:4096].lstrip()
    return bool(_MIME_HEADER.match(head)) and (
        b"mime-version:" in head.lower() or b"multipart/related" in head.lower()
    )


def _unpack_mhtml(data: bytes) -> tuple[bytes, str | None]:
    """The first text/html part of an MHTML archive and its declared charset."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] == b"<":
        return data, None  # a plain HTML page saved with an .mht extension
    try:
        message = email.message_from_bytes(data, policy=email.policy.compat32)
        for part in message.walk():
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if payload:
                    return payload, part.get_content_charset()
    except Exception:
        pass
    raise IngestError("corrupt", "MHTML 文件已损坏或其中没有网页内容")


# --------------------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{2,40})""", re.I)
_CHARSET_ALIASES = {"gbk": "gb18030", "gb2312": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
                    "cp936": "gb18030", "euc-cn": "gb18030", "big5": "big5hkscs",
                    "x-x-big5": "big5hkscs"}


def _codec(name: str | None) -> str | None:
    """A Python text codec for a declared charset name; None when unknown, not a text encoding,
    or one that cannot be right for an ASCII-readable Chinese page (UTF-16/32, UTF-7)."""
    if not name:
        return None
    name = name.strip().lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None
    codec = info.name
    if not getattr(info, "_is_text_encoding", True) or codec in ("idna", "punycode", "utf-7"):
        return None
    if codec in ("gbk", "gb2312"):
        return "gb18030"
    if codec.startswith(("utf-16", "utf-32")):
        return None
    return codec


def _is_single_byte(codec: str) -> bool:
    """Latin and other one-byte codecs: a Chinese page declaring one is misconfigured."""
    try:
        "汉".encode(codec)
    except UnicodeEncodeError:
        return True
    return False


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (XML declaration or meta tag)."""
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def decode_html(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Text and encoding: a BOM (or UTF-16 without one), else valid UTF-8 with non-ASCII bytes,
    else the MIME `hint` or the declared charset, else detection as for plain text."""
    if data.startswith(_BOMS) or b"\x00" in data[:4096]:
        enc = detect_encoding(data)
    elif _is_utf8(data) and any(b >= 0x80 for b in data[:65536]):
        enc = "utf-8"  # a page saved by a browser is re-encoded but may keep its old declaration
    else:
        declared = _codec(hint) or _codec(declared_charset(data))
        non_ascii = any(b >= 0x80 for b in data[:65536])
        if declared is None or (declared == "utf-8" and not _is_utf8(data)):
            declared = detect_encoding(data)
        elif non_ascii and _is_single_byte(declared):
            declared = detect_encoding(data)  # e.g. GBK bytes served as iso-8859-1
        enc = declared
    try:
        text = data.decode(enc, errors="replace")
    except (LookupError, UnicodeError, ValueError):
        enc = detect_encoding(data)
        text = data.decode(enc, errors="replace")
    return text.lstrip("\ufeff"), enc


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:  # a file cut inside its last character is still UTF-8
        return exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"


# --------------------------------------------------------------------------- parsing


def _parse(text: str) -> etree._Element:
    """lxml's HTML parser, offline and without custom entities."""
    text = _CONTROL.sub("", text)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    if not text.strip():
        raise IngestError("empty", "网页文件为空，没有可读取的内容")
    parser = lxml_html.HTMLParser(
        recover=True,
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
        huge_tree=False,
        default_doctype=False,
    )
    root = lxml_html.document_fromstring(text, parser=parser)
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops at 256 levels of nesting; no real page comes near that
        raise IngestError("corrupt", "网页结构嵌套过深（超过 256 层），无法解析")
    if root is None:
        raise IngestError("corrupt", "网页文件无法解析，可能已损坏")
    return root


def _is_skipped(el: etree._Element) -> bool:
    tag = el.tag
    if not isinstance(tag, str):
        return True  # comments, entities, processing instructions
    if tag in _SKIP_TAGS:
        return True
    if el.get("hidden") is not None:
        return True
    style = el.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _is_block(el: etree._Element) -> bool:
    return el.tag in _BLOCK_TAGS


def _is_link(el: etree._Element) -> bool:
    return el.tag == "a" and el.get("href") is not None


# --------------------------------------------------------------------------- choosing the container


# Events of a walk over the visible tree: a block opens or closes, a <br>, a link opens or
# closes, or a run of text (element text or tail) inside the innermost open block.
OPEN, CLOSE, BREAK, LINK_IN, LINK_OUT, TEXT = range(6)


def _walk(root: etree._Element) -> Iterator[tuple[int, Any]]:
    """Events in document order for `root`'s subtree, skipping scripts, styles and hidden parts
    (their tails are text of the enclosing element). Iterative, so deep nesting is no problem."""
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if el is root:
            if event == "start" and el.text:
                yield TEXT, el.text
            continue
        skipped = _is_skipped(el)
        if event == "start":
            if skipped:
                walker.skip_subtree()
                continue
            if el.tag == "br":
                yield BREAK, el
            elif _is_block(el):
                yield OPEN, el
            elif _is_link(el):
                yield LINK_IN, el
            if el.text:
                yield TEXT, el.text
        else:
            if not skipped:
                if _is_block(el):
                    yield CLOSE, el
                elif _is_link(el):
                    yield LINK_OUT, el
            if el.tail:
                yield TEXT, el.tail


@dataclass(slots=True)
class _TextStats:
    """Chinese characters each block element owns directly, outside links and inside links."""

    own: dict[Any, int] = field(default_factory=dict)
    link: dict[Any, int] = field(default_factory=dict)


def _text_stats(body: etree._Element) -> _TextStats:
    stats = _TextStats()
    stack: list[Any] = [body]
    links = 0
    for event, value in _walk(body):
        if event == TEXT:
            n = len(_CJK.findall(value))
            if n:
                table = stats.link if links else stats.own
                table[stack[-1]] = table.get(stack[-1], 0) + n
        elif event == OPEN:
            stack.append(value)
        elif event == CLOSE:
            stack.pop()
        elif event == LINK_IN:
            links += 1
        elif event == LINK_OUT:
            links -= 1
    return stats


def _name_factor(el: etree._Element) -> float:
    names = f"{el.get('class', '')} {el.get('id', '')}"
    if not names.strip():
        return 1.0
    if _CONTENT_NAME.search(names):
        return 1.25
    if _BOILER_NAME.search(names):
        return 0.5
    return 1.0


def _block_children(el: etree._Element) -> list[etree._Element]:
    """The nearest block descendants of `el` (through inline wrappers), in document order."""
    out = []
    todo = list(reversed(el))
    while todo:  # iterative: hostile pages nest inline elements very deeply
        child = todo.pop()
        if not isinstance(child.tag, str) or _is_skipped(child):
            continue
        if _is_block(child):
            out.append(child)
        else:
            todo.extend(reversed(child))
    return out


def _link_density(stats: _TextStats) -> dict[Any, float]:
    """For each element holding text, the share of its subtree's Chinese text that is link text."""
    text: dict[Any, int] = {}
    links: dict[Any, int] = {}
    for table, totals in ((stats.own, text), (stats.link, links)):
        for owner, n in table.items():
            totals[owner] = totals.get(owner, 0) + n
            for ancestor in owner.iterancestors():
                totals[ancestor] = totals.get(ancestor, 0) + n
    return {el: links.get(el, 0) / (n + links.get(el, 0)) for el, n in text.items()}


def _choose_container(body: etree._Element) -> etree._Element:
    """The element that holds the report: the most non-link Chinese text in its own text and its
    block children (half for grandchildren), scaled down by the share of link text beneath it."""
    stats = _text_stats(body)
    if not stats.own:
        return body
    density = _link_density(stats)
    best, best_score = body, -1.0
    for el in body.iter():
        if el not in density:
            continue  # holds no non-link text at all
        children = _block_children(el)
        score = stats.own.get(el, 0) + sum(stats.own.get(c, 0) for c in children)
        score += 0.5 * sum(stats.own.get(g, 0) for c in children for g in _block_children(c))
        score *= _name_factor(el) * (1.0 - density[el])
        if score >= best_score:  # ties go to the deeper element, seen later in document order
            best, best_score = el, score
    return best


def _is_ancestor(a: etree._Element, b: etree._Element) -> bool:
    return any(p is a for p in b.iterancestors())


# --------------------------------------------------------------------------- blocks


@dataclass(slots=True)
class _Piece:
    """A block's text as collected, before whitespace cleanup."""

    owner: etree._Element
    parts: list[str] = field(default_factory=list)
    link_chars: int = 0
    cell: bool = False


class _Collector:
    """Turns the container's subtree into pieces: one per run of text between block boundaries
    and <br>s, owned by the innermost block element."""

    def __init__(self, container: etree._Element):
        self.container = container
        self.pieces: list[_Piece] = []
        self.stack: list[etree._Element] = [container]
        self.in_cell: list[bool] = [False]  # parallel to stack: inside a data table's cell?
        self.links = 0
        self.current = _Piece(container)
        self._data_tables: dict[Any, bool] = {}

    def run(self) -> list[_Piece]:
        for event, value in _walk(self.container):
            if event == TEXT:
                self.current.parts.append(value)
                if self.links:
                    self.current.link_chars += len(value.strip())
            elif event == BREAK:
                self.flush()
            elif event == OPEN:
                self.flush()
                self.stack.append(value)
                self.in_cell.append(self.in_cell[-1] or self.is_data_cell(value))
                self.flush()  # starts the element's own piece
            elif event == CLOSE:
                self.flush()
                self.stack.pop()
                self.in_cell.pop()
                self.flush()  # what follows belongs to the parent again
            elif event == LINK_IN:
                self.links += 1
            elif event == LINK_OUT:
                self.links -= 1
        self.flush()
        return self.pieces

    def flush(self) -> None:
        """Close the current piece (kept if it has text) and start one for the innermost block."""
        if "".join(self.current.parts).strip():
            self.pieces.append(self.current)
        if self.current.parts or self.current.owner is not self.stack[-1]:
            self.current = _Piece(self.stack[-1], cell=self.in_cell[-1])

    def is_data_cell(self, el: etree._Element) -> bool:
        """A cell of a real table inside the content, not of a one-cell layout table."""
        if el.tag not in _CELL_TAGS or el is self.container:
            return False
        table = next(el.iterancestors("table"), None)
        if table is None:
            return False
        if table not in self._data_tables:
            inside = _is_ancestor(self.container, table)
            self._data_tables[table] = inside and len(table.xpath(".//td|.//th")) > 1
        return self._data_tables[table]


def _clean_text(parts: list[str]) -> str:
    """Collapse HTML whitespace: a source line break between Chinese characters vanishes,
    any other run of whitespace becomes one space."""
    text = "".join(parts)
    text = _WS_NEWLINE_CJK.sub("", text)
    return _WS_RUN.sub(" ", text).strip()


def _element_indices(root: etree._Element) -> dict[Any, int]:
    """Each element's index among the page's elements of the same tag, in document order."""
    counts: dict[str, int] = {}
    index: dict[Any, int] = {}
    for el in root.iter():
        tag = el.tag
        if isinstance(tag, str):
            index[el] = counts.get(tag, 0)
            counts[tag] = index[el] + 1
    return index


def _to_blocks(pieces: list[_Piece], indices: dict[Any, int]) -> list[Block]:
    blocks: list[Block] = []
    per_owner: dict[Any, int] = {}
    for piece in pieces:
        per_owner[piece.owner] = per_owner.get(piece.owner, 0) + 1
    seen: dict[Any, int] = {}
    for piece in pieces:
        text = _clean_text(piece.parts)
        if not text or _is_furniture(text, piece):
            continue
        origin: dict[str, Any] = {"element": piece.owner.tag, "index": indices.get(piece.owner, 0)}
        if per_owner[piece.owner] > 1:  # <br>-separated lines of one element
            seen[piece.owner] = seen.get(piece.owner, 0) + 1
            origin["line"] = seen[piece.owner]
        blocks.append(Block(text, origin, kind="cell" if piece.cell else "p"))
    return blocks


def _is_furniture(text: str, piece: _Piece) -> bool:
    """Boilerplate lines and lines made only of links (related articles, share buttons)."""
    visible = len(re.sub(r"\s", "", text))
    if piece.link_chars and piece.link_chars >= visible:
        return True
    return len(text) <= _BOILERPLATE_MAX and bool(_BOILERPLATE.search(text))


# --------------------------------------------------------------------------- title

_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]|\s[-—–]+\s)\s*")  # "报告标题_栏目_网站", "标题 - 网站"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _page_title(root: etree._Element, body: etree._Element, indices: dict[Any, int]) -> Block | None:
    """The report title. Text: meta ArticleTitle, else an <h1>/<h2> that agrees with <title>,
    else the first part of <title> ("报告标题_栏目_网站"), else the first long <h1>. Origin: the
    element showing it on the page when there is one."""
    meta = _meta_title(root)
    head = next((_clean_text([el.text_content()]) for el in root.iter("title")), "")
    first_part = _TITLE_SPLIT.split(head)[0] if head else ""
    headings = [
        (el, _clean_text([el.text_content()]))
        for el in body.iter("h1", "h2")
        if not _is_skipped(el) and not any(_is_skipped(a) for a in el.iterancestors())
    ]
    candidates = [meta] if meta else []
    candidates += [text for _el, text in headings if _agrees(text, first_part)]
    candidates += [first_part] + [text for el, text in headings if el.tag == "h1"]
    title = next((t for t in candidates if len(_squash(t)) >= 8), None)
    if title is None:
        return None
    holder = next((el for el, text in headings if _squash(text) == _squash(title)), None)
    if holder is None:
        holder = _element_with_text(body, title)
    if holder is not None:
        return Block(title, {"element": holder.tag, "index": indices.get(holder, 0)})
    return Block(title, {"element": "meta" if title == meta else "title", "index": 0})


def _meta_title(root: etree._Element) -> str:
    for el in root.iter("meta"):
        if (el.get("name") or el.get("property") or "").lower() in ("articletitle", "og:title"):
            title = _clean_text([el.get("content") or ""])
            if title:
                return title
    return ""


def _agrees(heading: str, title: str) -> bool:
    """Is a heading the page's title (the <title> may be truncated, or the heading shortened)?"""
    h, t = _squash(heading), _squash(title)
    return len(h) >= 8 and bool(t) and (h == t or h.startswith(t) or t.startswith(h))


def _element_with_text(body: etree._Element, text: str) -> etree._Element | None:
    """The first visible element whose own leading text is exactly `text` (e.g. <font> in a <td>)."""
    wanted = _squash(text)
    for el in body.iter():
        if isinstance(el.tag, str) and el.text and _squash(el.text) == wanted and not _is_skipped(el):
            return el
    return None


def _has_title(blocks: list[Block], title: str) -> bool:
    """Does the body already start with the title (possibly split over a few lines)?"""
    t = _squash(title)
    if not t:
        return True
    head = "".join(_squash(b.text) for b in blocks[:3])
    first = _squash(blocks[0].text) if blocks else ""
    return t in head or (len(first) >= 8 and first in t)


# --------------------------------------------------------------------------- the pipeline


def _extract(root: etree._Element) -> list[Block]:
    body = root.find("body")
    if body is None:
        body = root
    indices = _element_indices(root)
    container = _choose_container(body)
    blocks = _to_blocks(_Collector(container).run(), indices)
    title = _page_title(root, body, indices)
    if title is not None and not _has_title(blocks, title.text):
        blocks.insert(0, title)
    return blocks
