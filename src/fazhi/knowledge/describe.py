"""What the knowledge base holds, in words a user reads: an overview of the catalog and the
record of one document (for `fazhi knowledge`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from fazhi.knowledge.catalog import Catalog, Entry
from fazhi.vocab import CITATION_KIND_LABELS, CITATION_STATUS_LABELS



def status(entry: Entry, day: dt.date) -> str:
    """An entry's status on `day`; a plan whose period is over is "expired"."""
    if entry.period and entry.period[1] < day.year and not entry.repealed:
        return "expired"
    return entry.status_on(day)


def overview(cat: Catalog, day: dt.date) -> dict[str, Any]:
    """Counts by kind and by status on `day`, and how many entries came from user files."""
    entries = list(cat)
    return {
        "entries": len(entries),
        "by_kind": dict(Counter(e.kind for e in entries).most_common()),
        "by_status": dict(Counter(status(e, day) for e in entries).most_common()),
        "with_successor": sum(1 for e in entries if e.successor),
        "user_entries": sum(1 for e in entries if e.id.startswith("user-")),
        "date": day.isoformat(),
    }


def record(cat: Catalog, entry: Entry, day: dt.date) -> dict[str, Any]:
    """One entry with its status on `day` and the chain of documents that replaced it."""
    chain = []
    seen = {entry.id}
    nxt = cat.successor_of(entry)
    while nxt is not None and nxt.id not in seen:
        chain.append(nxt.title)
        seen.add(nxt.id)
        nxt = cat.successor_of(nxt)
    return {
        "id": entry.id,
        "title": entry.title,
        "kind": entry.kind,
        "short": list(entry.short),
        "aliases": list(entry.aliases),
        "effective": entry.effective.isoformat() if entry.effective else None,
        "repealed": entry.repealed.isoformat() if entry.repealed else None,
        "period": list(entry.period) if entry.period else None,
        "status": status(entry, day),
        "date": day.isoformat(),
        "successors": chain,
        "source": entry.source,
    }


def record_lines(rec: dict[str, Any], cited_as: str | None = None) -> list[str]:
    """A record as lines of Chinese for the terminal."""
    lines = [f"《{rec['title']}》（{CITATION_KIND_LABELS.get(rec['kind'], rec['kind'])}）"]
    if cited_as:
        lines.append(f"  “{cited_as}”是它的别称或旧称")
    if rec["short"]:
        lines.append("  简称：" + "、".join(rec["short"]))
    if rec["period"]:
        lines.append(f"  规划期：{rec['period'][0]}－{rec['period'][1]}年")
    if rec["effective"]:
        lines.append(f"  施行：{rec['effective']}")
    if rec["repealed"]:
        lines.append(f"  废止：{rec['repealed']}")
    lines.append(f"  {rec['date']}的状态：{CITATION_STATUS_LABELS.get(rec['status'], rec['status'])}")
    if rec["successors"]:
        lines.append("  由" + " → ".join(f"《{t}》" for t in rec["successors"]) + "取代")
    lines.append(f"  来源：{rec['source']}")
    return lines
