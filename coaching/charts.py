"""Server-side SVG charts for the client page: weekly lines and bars from our own data.

The SVG carries a ``<title>`` and ``<desc>`` (read by screen readers through ``role="img"`` and
``aria-labelledby``); the page also prints the same numbers as a table. No inline styles: the
look comes from classes in static/css/app.css, so a strict CSP holds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from coaching.metrics import adherence_band
from coaching.selectors_coach import WeekPoint

WIDTH = 560
HEIGHT = 150
PAD_LEFT = 48
PAD_RIGHT = 12
PAD_TOP = 14
PAD_BOTTOM = 30


def _nice_max(value: float) -> float:
    """A round axis top at or above ``value``."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * 10**exponent
        if top >= value:
            return float(top)
    return float(10 ** (exponent + 1))


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def _frame(points: Sequence[WeekPoint], top: float) -> tuple[list[str], float, float]:
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    parts: list[str] = []
    for fraction in (0, 0.5, 1):
        y = PAD_TOP + inner_h * (1 - fraction)
        parts.append(
            f'<line class="chart-grid" x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="chart-label" x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{escape(_fmt(top * fraction))}</text>"
        )
    step = inner_w / max(len(points), 1)
    for index, point in enumerate(points):
        if index % 3 == 0 or index == len(points) - 1:
            x = PAD_LEFT + step * (index + 0.5)
            parts.append(
                f'<text class="chart-label" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">'
                f"{point.week:%d %b}</text>"
            )
    return parts, step, inner_h


def _wrap(chart_id: str, title: str, desc: str, body: Sequence[str]) -> SafeString:
    head = format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>',
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every value above is escaped or numeric


def _describe(points: Sequence[WeekPoint], unit: str) -> str:
    known = [p for p in points if p.value is not None]
    if not known:
        return "No data in these weeks."
    first, last = known[0], known[-1]
    return (
        f"{len(known)} weeks with data. From {_fmt(first.value or 0)} {unit} in the week of {first.week:%d %b} "
        f"to {_fmt(last.value or 0)} {unit} in the week of {last.week:%d %b}."
    )


def line_chart(points: Sequence[WeekPoint], *, chart_id: str, title: str, unit: str) -> SafeString:
    values = [p.value for p in points if p.value is not None]
    top = _nice_max(max(values, default=0) * 1.1)
    parts, step, inner_h = _frame(points, top)
    coords: list[tuple[float, float, WeekPoint]] = []
    for index, point in enumerate(points):
        if point.value is None:
            continue
        x = PAD_LEFT + step * (index + 0.5)
        y = PAD_TOP + inner_h * (1 - point.value / top)
        coords.append((x, y, point))
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in coords)
        parts.append(f'<polyline class="chart-line" points="{path}"/>')
    for x, y, point in coords:
        parts.append(
            f'<circle class="chart-dot" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{point.week:%d %b}: {escape(_fmt(point.value or 0))} {escape(unit)}</title></circle>"
        )
    return _wrap(chart_id, title, _describe(points, unit), parts)


def bar_chart(
    points: Sequence[WeekPoint], *, chart_id: str, title: str, unit: str, top: float | None = None, bands: bool = False
) -> SafeString:
    values = [p.value for p in points if p.value is not None]
    top = top or _nice_max(max(values, default=0) * 1.05)
    parts, step, inner_h = _frame(points, top)
    bar_w = step * 0.6
    for index, point in enumerate(points):
        if point.value is None:
            continue
        height = inner_h * min(point.value, top) / top
        x = PAD_LEFT + step * (index + 0.5) - bar_w / 2
        y = PAD_TOP + inner_h - height
        css = f"chart-bar band-{adherence_band(point.value)}" if bands else "chart-bar"
        label = f"{point.week:%d %b}: {_fmt(point.value)} {unit}"
        if bands:
            label += f" ({adherence_band(point.value)})"
        parts.append(
            f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{max(height, 1):.1f}">'
            f"<title>{escape(label)}</title></rect>"
        )
    return _wrap(chart_id, title, _describe(points, unit), parts)
