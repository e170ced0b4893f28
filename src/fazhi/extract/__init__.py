"""Document -> Facts: what a report says (citations, figures, 纲要 coverage, listed shortcomings
and plan items). Pure functions of the Document; rules and the score read the Facts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi.model import Document, Facts

if TYPE_CHECKING:
    from fazhi.knowledge.catalog import Catalog


def extract(doc: Document, catalog: "Catalog | None" = None) -> Facts:
    """The Facts of a document; citations are looked up in `catalog` (default: the bundled one,
    a configuration's Config.catalog() adds the user's documents)."""
    from fazhi.extract.citations import find_citations
    from fazhi.extract.coverage import find_coverage
    from fazhi.extract.items import find_plan_items, find_shortcomings
    from fazhi.extract.quantities import find_quantities

    return Facts(
        citations=find_citations(doc, catalog),
        quantities=find_quantities(doc.text),
        coverage=find_coverage(doc),
        shortcomings=find_shortcomings(doc),
        plans=find_plan_items(doc),
    )


__all__ = ["extract"]
