"""Document -> Facts: what a report says (citations, figures, 纲要 coverage, listed shortcomings
and plan items). Pure functions of the Document; rules and the score read the Facts."""

from __future__ import annotations

from fazhi.model import Document, Facts


def extract(doc: Document) -> Facts:
    from fazhi.extract.citations import find_citations
    from fazhi.extract.coverage import find_coverage
    from fazhi.extract.items import find_plan_items, find_shortcomings
    from fazhi.extract.quantities import find_quantities

    return Facts(
        citations=find_citations(doc),
        quantities=find_quantities(doc.text),
        coverage=find_coverage(doc),
        shortcomings=find_shortcomings(doc),
        plans=find_plan_items(doc),
    )


__all__ = ["extract"]
