"""Chinese numerals <-> integers, for numbering tokens and dates."""

from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
UNITS = {"十": 10, "百": 100, "千": 1000}
CN_CHARS = "〇零○一二两三四五六七八九十百千"


def cn_to_int(s: str) -> int | None:
    """'一' -> 1, '十一' -> 11, '二十' -> 20, '一百零五' -> 105; '二〇二五' -> 2025 (digit by digit)."""
    if not s:
        return None
    if all(ch in DIGITS for ch in s) and len(s) > 1:
        value = 0
        for ch in s:
            value = value * 10 + DIGITS[ch]
        return value
    total = 0
    current = 0
    for ch in s:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """1 -> '一', 10 -> '十', 11 -> '十一', 20 -> '二十', 105 -> '一百零五' (n < 10000)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return digits[tens] + "十" + (digits[ones] if ones else "")
    out = []
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit_value)
        if d:
            out.append(digits[d] + unit)
        elif out and n and not out[-1].endswith("零"):
            out.append("零")
    return "".join(out)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
