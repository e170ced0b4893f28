"""The public entry points: load() and check()."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from fazhi.config import Config
from fazhi.extract import extract
from fazhi.ingest import EXTENSIONS, load_raw, read_bytes, sniff
from fazhi.ingest.normalize import normalize, to_simplified
from fazhi.ingest.webcopy import strip_page_header
from fazhi.model import Block, Document, Facts, IngestError, RawDocument, Review
from fazhi.parse import parse
from fazhi.rules import run_rules
from fazhi.score import explain


def _is_path(value: str | os.PathLike[str]) -> bool:
    """A PathLike is a path; a string is a path when it names an existing file or ends in a
    supported extension (so a mistyped path gives "not found", not a review of its letters)."""
    if isinstance(value, os.PathLike):
        return True
    if "\n" in value or len(value) > 1024:
        return False

    p = Path(value)
    return p.suffix.lower() in EXTENSIONS or p.is_file()


def load(source: str | os.PathLike[str], *, fmt: str | None = None) -> Document:
    """Read a report (a path, or the report's text itself) into a parsed Document.

    Raises IngestError when a file cannot be read."""
    if _is_path(source):
        raw = load_raw(source)
        path: str | None = str(source)
    else:
        text = str(source)
        blocks = [Block(line, {"line": i + 1}) for i, line in enumerate(text.splitlines())]
        raw = RawDocument(fmt or "txt", blocks)
        path = None
    return _parse_raw(raw, path)


def load_bytes(data: bytes, name: str) -> Document:
    """A report given as the bytes of a file called `name` (an archive member, an upload)."""
    suffix = Path(name).suffix
    return _parse_raw(read_bytes(data, sniff(data, suffix), suffix), name)


def _parse_raw(raw: RawDocument, path: str | None) -> Document:
    raw, page = strip_page_header(raw)
    text, prov, script, notes = normalize(raw)
    page = {k: to_simplified(v) for k, v in page.items()}  # a mirror's header may be traditional
    if not text.strip():
        raise IngestError("no-text", "文件中没有可读取的文字")
    return parse(text, fmt=raw.format, path=path, provenance=prov, raw=raw, script=script, notes=notes, page=page)


def looks_like_report(doc: Document) -> bool:
    """Whether a text could be a 法治政府建设年度报告 at all: one that never mentions 法治 or 依法
    and has none of the mandated parts is something else (a notice, a novel, a spreadsheet
    saved as text), and scoring it would be a wrong answer."""
    return bool(doc.parts) or "法治" in doc.text or "依法" in doc.text


def check(source: str | os.PathLike[str], config: Config | None = None) -> Review:
    """Read and check one report. Never raises for a bad file: the Review carries the error."""
    path = str(source) if _is_path(source) else None
    return _review(lambda: load(source), path, config)


def check_bytes(data: bytes, name: str, config: Config | None = None) -> Review:
    """check() for a report given as the bytes of a file called `name` (e.g. "a.zip!b.docx")."""
    return _review(lambda: load_bytes(data, name), name, config)


def _review(loader: "Callable[[], Document]", path: str | None, config: Config | None) -> Review:
    cfg = config or Config()
    try:
        doc = loader()
        if not looks_like_report(doc):
            raise IngestError("not-a-report", "内容不像法治政府建设年度报告（既没有规定的各部分，也没有提到“法治”或“依法”），未检查、未评分")
        facts = extract(doc, cfg.catalog())
        every = run_rules(doc, cfg.unselected(), facts)
        components = explain(doc, facts, every)  # the score does not depend on --select/--ignore
        findings = every if cfg.unselected() is cfg else [f for f in every if cfg.shows(f.name)]
    except IngestError as exc:
        return Review(path=path, format=_format_of(path), error=exc)
    except MemoryError:
        return Review(path=path, format=_format_of(path), error=IngestError("too-large", "文件过大，内存不足，无法处理"))
    except Exception as exc:  # a bug must not stop a batch or show a traceback
        return Review(
            path=path,
            format=_format_of(path),
            error=IngestError("internal-error", f"处理时发生内部错误（{type(exc).__name__}），请将文件反馈给开发者"),
        )
    return Review(path=path, format=doc.format, document=doc, findings=findings, facts=facts, components=components)


def facts_of(doc: Document, config: Config | None = None) -> Facts:
    """The Facts of a loaded Document (for a stored review that does not carry them)."""
    return extract(doc, (config or Config()).catalog())


def _format_of(path: str | None) -> str | None:
    if not path:
        return None

    return EXTENSIONS.get(Path(path).suffix.lower())
