"""Plain text in the encodings reports are seen in: UTF-8 (with or without BOM), GB18030/GBK,
UTF-16 (with or without BOM) and Big5. The encoding is detected from BOMs, strict decoding and
charset-normalizer's analysis restricted to these candidates, never assumed."""

from __future__ import annotations

import codecs
import re

from fazhi._native import kernel
from fazhi.model import Block, IngestError, RawDocument

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LEGACY = ("gb18030", "big5")
_c = kernel("_load")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM: Chinese text has few NULs, but ASCII (digits, newlines) puts NULs
    on one side of each pair."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    # Some hanzi have a zero byte too (一 is U+4E00), so compare the two sides rather than
    # requiring one side to be free of zeros.
    if odd > half * 0.05 and even * 4 < odd:
        return "utf-16-le"
    if even > half * 0.05 and odd * 4 < even:
        return "utf-16-be"
    return None


def _utf16_by_content(data: bytes) -> str | None:
    """UTF-16 of text that is nearly all hanzi has no NUL bytes at all: take the byte order
    under which almost every character is a hanzi, Chinese punctuation, printable ASCII or
    white space (GB18030 or Big5 bytes read as UTF-16 scatter over the whole BMP, and often
    into lone surrogates). Tried after UTF-8, which pure ASCII would otherwise pass here."""
    if len(data) % 2:
        return None
    sample = data[:4096]
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:  # the sample may end inside a surrogate pair
            try:
                text = sample[:-2].decode(enc)
            except UnicodeDecodeError:
                continue
        if len(text) >= 4 and sum(1 for ch in text if _textual(ch)) >= 0.95 * len(text):
            return enc
    return None


def _textual(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2010 <= o <= 0x206F
        or 0x20 <= o < 0x7F or ch in "\t\r\n" or 0x3400 <= o <= 0x4DBF
    )


def detect_encoding(data: bytes) -> str:
    return _detect(data)[0]


def _detect(data: bytes) -> tuple[str, str | None]:
    """The encoding, and the text when finding the encoding decoded it whole already (UTF-8)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, None
    guess16 = _utf16_without_bom(data)
    if guess16:
        return guess16, None
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A file cut off inside a multi-byte character is still UTF-8.
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8", None
    return _utf16_by_content(data) or _legacy(data), None


def _legacy(data: bytes) -> str:
    """GB18030 or Big5: both decode much Chinese byte soup; the right one yields common hanzi."""
    # loaded only when a text file is not UTF-8
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536], cp_isolation=list(_LEGACY), preemptive_behaviour=False).best()
    if best is not None and best.encoding in ("gb18030", "big5"):
        return best.encoding
    scores = {}
    for enc in _LEGACY:
        text = data[:65536].decode(enc, errors="replace")
        scores[enc] = text.count("\ufffd") * 10 - sum(1 for ch in text if ch in _COMMON)
    return min(scores, key=scores.get)


# Characters frequent in these reports; a wrong decoding rarely produces them.
_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理")

# Control characters other than \t \n \v \f \r, and the replacement character: signs of a binary file.
_BAD_CHAR = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def decode(data: bytes) -> tuple[str, str]:
    enc, text = _detect(data)
    if text is None:
        text = data.decode(enc, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    sample = min(len(text), 20000)
    if sample:
        bad = _c.bad_chars(text, 20000) if _c is not None else len(_BAD_CHAR.findall(text[:20000]))
        if bad > max(8, sample * 0.02):
            raise IngestError("binary", "文件不是文本（含大量控制字符或无法解码的字节），可能已损坏或扩展名不对")
    return text, enc


def read(data: bytes) -> RawDocument:
    text, enc = decode(data)
    blocks: list[Block] = []
    offset = 0
    for i, line in enumerate(text.splitlines(keepends=True)):
        body = line.rstrip("\r\n\u2028\u2029\x85\x0b\x0c\x1c\x1d\x1e")
        blocks.append(Block(body, {"line": i + 1, "offset": offset}))
        offset += len(line)
    notes = [] if enc in ("utf-8", "utf-8-sig") else [f"编码：{enc}"]
    return RawDocument("txt", blocks, notes, encoding=enc)
