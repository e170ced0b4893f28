"""Counting Han characters, the unit in which report lengths are given (约{n}字)."""

from __future__ import annotations

import re

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def han_count(text: str) -> int:
    """The number of Han characters (summed over runs: a few matches instead of one a character)."""
    return sum(map(len, _HAN_RUN.findall(text)))
