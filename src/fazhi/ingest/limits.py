"""Resource limits that keep hostile or enormous inputs bounded in memory and time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Limits:
    max_file_bytes: int = 64 * 1024 * 1024  # a report, even with images, is far smaller
    max_text_chars: int = 2_000_000  # normalized text; ~100 times a long report
    max_unzipped_bytes: int = 256 * 1024 * 1024  # total of all members read from a zip package
    max_member_bytes: int = 64 * 1024 * 1024  # one XML member of a docx/odt
    max_ratio: int = 200  # compression ratio above which a member is treated as a zip bomb
    max_pdf_pages: int = 500
    max_runs: int = 200_000  # runs in a .docx body; a long report has a few thousand
    converter_timeout_s: float = 120.0


LIMITS = Limits()
