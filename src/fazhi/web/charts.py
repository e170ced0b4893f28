"""Bar charts drawn on the server as inline SVG: no script, no library, nothing to download;
they print as they show. Every chart on a page has its numbers in a table beside it, so the
chart only has to be readable, not exact. Labels are escaped (they may come from reports)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(slots=True)
class Bar:
    label: str
    value: float | None  # None: no data (drawn as a dash)
    text: str  # the value as shown at the end of the bar
    href: str | None = None  # the reports behind the bar


def _short(label: str, n: int) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def _link(bar: Bar, inner: str) -> str:
    if not bar.href:
        return inner
    return f'<a href="{escape(bar.href)}">{inner}</a>'


def hbars(bars: list[Bar], *, title: str, scale: float | None = None, width: int = 560, label_chars: int = 12) -> Markup:
    """Horizontal bars, one per row, labelled on the left; `scale` is the value of a full bar
    (the largest value when None)."""
    row, label_w, pad = 26, 14 * label_chars + 10, 64
    top = max([b.value or 0 for b in bars] + [scale or 0]) or 1
    plot = width - label_w - pad
    height = row * len(bars) + 8
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = 0 if b.value is None else max(1.0, plot * b.value / top) if b.value > 0 else 0
        label = f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(_short(b.label, label_chars))}<title>{escape(b.label)}</title></text>'
        bar = f'<rect class="bar" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 10}" rx="2"/>'
        value = f'<text class="value" x="{label_w + w + 6:.1f}" y="{y + 17}">{escape(b.text)}</text>'
        parts.append(label + _link(b, bar + value))
    parts.append(f'<line class="axis" x1="{label_w}" y1="2" x2="{label_w}" y2="{height - 2}"/></svg>')
    return Markup("".join(parts))


def columns(bars: list[Bar], *, title: str, width: int = 560, height: int = 200) -> Markup:
    """Vertical columns (a histogram), labels under each column, counts above."""
    n = max(1, len(bars))
    bottom, top_pad = 22, 18
    slot = width / n
    top = max([b.value or 0 for b in bars], default=0) or 1
    plot = height - bottom - top_pad
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for i, b in enumerate(bars):
        h = 0 if not b.value else max(1.0, plot * b.value / top)
        x = i * slot + slot * 0.15
        y = height - bottom - h
        bar = f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" rx="2"/>'
        value = f'<text class="value" x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">{escape(b.text)}</text>'
        label = f'<text class="label" x="{x + slot * 0.35:.1f}" y="{height - 6}" text-anchor="middle">{escape(b.label)}</text>'
        parts.append(_link(b, bar + value) + label)
    parts.append(f'<line class="axis" x1="0" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/></svg>')
    return Markup("".join(parts))
