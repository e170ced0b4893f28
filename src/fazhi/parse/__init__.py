"""Normalized text -> Document: lines, paragraphs, sentences, outline, metadata, parts."""

from __future__ import annotations

from fazhi.parse.document import parse

__all__ = ["parse"]
