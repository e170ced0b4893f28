"""fazhi (法治): read, check and extract 法治政府建设年度报告.

Public API:
    load(path_or_text)  -> Document   (ingest + parse)
    check(path_or_text, config=None) -> Review   (ingest + parse + rules)
"""

from __future__ import annotations

from fazhi.api import check, load
from fazhi.version import __version__

__all__ = ["check", "load", "__version__"]
