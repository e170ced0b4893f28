"""Keeping hostile text off the terminal: report text and file names can carry escape
sequences (clear the screen, write the clipboard with OSC 52, retitle the window) that a
terminal would obey. `printable()` shows control characters as visible \\u00XX escapes;
`SafeStream` wraps stdout/stderr so that nothing any command prints can reach the terminal
raw, except the colour codes (SGR, ESC [ ... m) the renderers themselves write.

The escape form `\\u00XX` is also what JSON would write, so JSON output keeps its meaning."""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]")
# The same, plus CR (a name or a line of report text never needs to move the cursor).
_CONTROL_CR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SGR = re.compile("(\x1b\\[[0-9;]*m)")


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def printable(text: str) -> str:
    """`text` with every control character (line feeds and tabs kept) shown as \\u00XX."""
    return _CONTROL_CR.sub(_escape, text)


def neutralize(text: str) -> str:
    """What SafeStream writes: control characters escaped, colour codes (SGR) kept."""
    if "\x1b" not in text:
        return _CONTROL.sub(_escape, text)
    pieces = _SGR.split(text)
    return "".join(p if i % 2 else _CONTROL.sub(_escape, p) for i, p in enumerate(pieces))


class SafeStream:
    """A text stream that neutralizes what is written to it and passes everything else on."""

    def __init__(self, inner: TextIO):
        self.inner = inner

    def write(self, text: str) -> int:
        self.inner.write(neutralize(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
