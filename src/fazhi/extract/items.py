from __future__ import annotations

from fazhi.model import Document, Item


def find_shortcomings(doc: Document) -> list[Item]:  # being written
    return []


def find_plan_items(doc: Document) -> list[Item]:  # being written
    return []
