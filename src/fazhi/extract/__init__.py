"""Document -> Facts: what a report says (citations, figures, 纲要 coverage and the areas expected
of its issuer, listed shortcomings and plan items, how concrete the measures and shortcomings
are). Pure functions of the Document; rules, the score, renderers and the corpus read the Facts
and never derive them again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fazhi.extract.citations import find_citations
from fazhi.extract.coverage import expected_areas, find_coverage
from fazhi.extract.items import find_plan_items, find_shortcomings
from fazhi.extract.quantities import find_quantities
from fazhi.extract.specificity import generic_sentences, vague_item
from fazhi.model import Document, Facts

if TYPE_CHECKING:
    from fazhi.knowledge.catalog import Catalog


def extract(doc: Document, catalog: "Catalog | None" = None) -> Facts:
    """The Facts of a document; citations are looked up in `catalog` (default: the bundled one,
    a configuration's Config.catalog() adds the user's documents)."""
    quantities = find_quantities(doc.text)
    shortcomings = find_shortcomings(doc)
    for it in shortcomings:
        it.vague = vague_item(it.text)
    total, vague, stock = generic_sentences(doc, quantities)
    return Facts(
        citations=find_citations(doc, catalog),
        quantities=quantities,
        coverage=find_coverage(doc),
        shortcomings=shortcomings,
        plans=find_plan_items(doc),
        expected_areas=[a.key for a in expected_areas(doc)],
        measures_sentences=total,
        vague_sentences=vague,
        stock_sentences=stock,
    )


__all__ = ["extract"]
