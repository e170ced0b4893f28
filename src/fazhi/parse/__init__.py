"""Normalized text -> Document: lines, paragraphs, sentences, outline, metadata, parts.

Besides parse(), the package offers later stages the naming of issuers and places it uses itself:
an issuer's level and kind from its name, and the region a name resolves to. Later stages import
these from here, never from the modules inside."""

from __future__ import annotations

from fazhi.parse.document import parse
from fazhi.parse.metadata import issuer_kind, issuer_level
from fazhi.parse.region import resolve_region

__all__ = ["issuer_kind", "issuer_level", "parse", "resolve_region"]
