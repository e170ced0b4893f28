"""The bundled examples find exactly what their *.expected.md files list (rule, line, column,
excerpt): every planted defect, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fazhi.api import check

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ROW = re.compile(r"^\|\s*\d+\s*\|[^|]*\|\s*第 (\d+) 行第 (\d+) 列\s*\|\s*`([^`]+)`\s*\|\s*`([a-z-]+)`\s*\|$")


def expected_rows(md: Path) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in md.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line.strip())
        if m:
            rows.append((m.group(4), int(m.group(1)), int(m.group(2)), m.group(3)))
    return rows


@pytest.mark.parametrize("name", ["county_market_2024_citations"])
def test_example_finds_exactly_what_is_planted(name):
    rows = expected_rows(EXAMPLES / f"{name}.expected.md")
    assert len(rows) == 10
    review = check(EXAMPLES / f"{name}.txt")
    doc = review.document
    found = sorted((f.name, *doc.line_col(f.start), doc.text[f.start : f.end]) for f in review.findings)
    assert found == sorted(rows)
