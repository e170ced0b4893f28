"""Counting Han characters, the unit in which report lengths are given (约{n}字), and the
windows of four characters of a text as integers, for the rules that compare a report with itself.

Both work on the text's UTF-16 code units, so that the per-character work happens in C: a Han
character U+4E00..U+9FFF is exactly a code unit whose high byte is 0x4E..0x9F (a character beyond
U+FFFF is two surrogate units, high bytes 0xD8..0xDF, and never counts).
"""

from __future__ import annotations

import sys
from codecs import utf_16_le_encode  # the codec itself: str.encode looks it up by name each call

_HAN_HIGH = bytes(range(0x4E, 0xA0))  # high bytes of the code units U+4E00..U+9FFF
_HAN_FLAG = bytes(1 if 0x4E <= b <= 0x9F else 0 for b in range(256))  # high byte -> 1 for Han


def _units(text: str) -> bytes:
    # surrogatepass: a lone surrogate (from a file decoded with surrogateescape) is one unit too
    return utf_16_le_encode(text, "surrogatepass")[0]


def han_count(text: str) -> int:
    """The number of Han characters U+4E00..U+9FFF (the code units with a Han high byte, counted
    by deleting them: a few C calls instead of a regex match per run of Han characters)."""
    high = utf_16_le_encode(text, "surrogatepass")[0][1::2]  # _units, without the call
    return len(high) - len(high.translate(None, _HAN_HIGH))


def bmp_only(text: str) -> bool:
    """Whether every character of `text` is one UTF-16 code unit (none beyond U+FFFF)."""
    return len(_units(text)) == 2 * len(text)


def han_flags(text: str) -> bytes | None:
    """One byte per character of `text`: 1 for a Han character, 0 for any other (so that
    `flags.count(1, a, b)` is han_count(text[a:b]) without the copy); None when a character lies
    beyond U+FFFF, where the code units would no longer be the characters."""
    units = _units(text)
    if len(units) != 2 * len(text):
        return None
    return units[1::2].translate(_HAN_FLAG)


def han_windows(text: str) -> bytes:
    """One byte per window of four characters (text[i:i + 4], i < len(text) - 3) of a text without
    characters beyond U+FFFF: 1 when all four are Han. The AND of the flags shifted by 0-3, done on
    them as one big integer."""
    flags = han_flags(text)
    if flags is None:
        raise ValueError("han_windows: a character beyond U+FFFF")
    n = len(flags) - 3
    if n <= 0:
        return b""
    every = int.from_bytes(flags[:n], "little")
    for k in (1, 2, 3):
        every &= int.from_bytes(flags[k:k + n], "little")
    return every.to_bytes(n, "little")


def four_grams(text: str) -> list[int]:
    """Every window of four characters of a text without characters beyond U+FFFF, as an int:
    window i holds the low bytes of the code units of text[i:i + 4] in its four low bytes and their
    high bytes in its four high bytes, so that two windows are equal exactly when their ints are
    (exact: no collisions), and the low bits that pick a slot in a set or dict come from all four
    characters rather than the first alone. Built by eight strided copies of the UTF-16 bytes
    read at once as 64-bit integers."""
    n = len(text) - 3
    if n <= 0:
        return []
    units = _units(text)
    if len(units) != 2 * len(text):
        raise ValueError("four_grams: a character beyond U+FFFF")
    out = bytearray(8 * n)
    for k in range(4):
        out[k::8] = units[2 * k:2 * (k + n):2]  # low bytes of text[k:k + n]
        out[4 + k::8] = units[2 * k + 1:2 * (k + n):2]  # their high bytes
    return memoryview(out).cast("Q").tolist()


def without_lane(k: int) -> int:
    """The mask that clears the k-th character (0-3) of a four_grams int: `g & without_lane(1)`
    is the same for 依法行政 and 依法形政 and tells them from every 4-gram differing elsewhere."""
    mask = bytearray(b"\xff" * 8)
    mask[k] = mask[4 + k] = 0
    return int.from_bytes(mask, sys.byteorder)


def gram_text(g: int) -> str:
    """The four characters of a four_grams int."""
    b = g.to_bytes(8, sys.byteorder)
    units = bytearray(8)
    units[0::2], units[1::2] = b[:4], b[4:]
    return units.decode("utf-16-le", "surrogatepass")
