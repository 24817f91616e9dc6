"""Small server-side SVG charts for the HTML report: no JavaScript, no CDN, works offline.

Every chart is one ``<svg class="chart chart-KIND">`` with a ``<title>`` (screen readers,
tooltips) and marks with stable classes (``bar``, ``series``, ``slice``, ``point``) that the
browser test looks for. Labels are escaped; sizes are in user units and scale with the page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

__all__ = ["PALETTE", "STATUS_COLORS", "columns", "donut", "hbar", "lines", "stacked_bar"]

PALETTE = (
    "#2563eb", "#16a34a", "#f59e0b", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
    "#ea580c", "#475569",
)  # fmt: skip
STATUS_COLORS = {
    "ok": "#16a34a",
    "skipped": "#94a3b8",
    "error": "#dc2626",
    "created": "#16a34a",
    "modified": "#f59e0b",
    "deleted": "#dc2626",
}
_FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"


def _svg(kind: str, width: float, height: float, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart chart-{kind}" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="100%" style="max-width:{width:.0f}px;'
        f'{_FONT}" preserveAspectRatio="xMinYMin meet"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _empty(kind: str, title: str, width: float = 480, height: float = 60) -> Markup:
    return _svg(
        kind,
        width,
        height,
        title,
        [
            f'<text class="empty" x="{width / 2:.0f}" y="{height / 2 + 5:.0f}" '
            f'text-anchor="middle" font-size="14" fill="#64748b">no data</text>'
        ],
    )


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return float(step * exponent)
    return float(10 * exponent)  # pragma: no cover


def hbar(
    items: Sequence[tuple[str, float]],
    title: str,
    *,
    width: float = 520,
    color: str = PALETTE[0],
    label_chars: int = 34,
    maximum: float | None = None,
    unit: str = "",
) -> Markup:
    """Horizontal bars, one per (label, value), in the given order; ``maximum`` fixes the
    full-width value (100 for percentages), else the largest value fills the width."""
    if not items:
        return _empty("hbar", title, width)
    longest = min(label_chars, max(len(lbl) for lbl, _ in items))
    row, label_w, value_w = 22, 8 + 7.4 * longest, 64
    plot_w = max(width - label_w - value_w - 16, 60)
    top = 6
    height = top + row * len(items) + 6
    peak = maximum or max(v for _, v in items) or 1
    body: list[str] = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = max(plot_w * value / peak, 1.5 if value else 0)
        body.append(
            f'<text x="{label_w:.0f}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#1e293b">{escape(_short(label, label_chars))}</text>'
            f'<rect class="bar" x="{label_w + 8:.0f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
            f'rx="3" fill="{color}"><title>{escape(label)}: {value:g}{unit}</title></rect>'
            f'<text x="{label_w + 12 + w:.1f}" y="{y + 15}" font-size="12" fill="#334155">'
            f"{value:g}{escape(unit)}</text>"
        )
    return _svg("hbar", width, height, title, body)


def stacked_bar(
    counts: Mapping[str, float],
    title: str,
    *,
    width: float = 520,
    colors: Mapping[str, str] = STATUS_COLORS,
) -> Markup:
    """One horizontal bar split by category (ledger statuses), with a legend."""
    total = sum(counts.values())
    if total <= 0:
        return _empty("stacked", title, width)
    height, bar_h = 64, 26
    x = 0.0
    body: list[str] = []
    legend_x = 0.0
    for i, (name, value) in enumerate(counts.items()):
        color = colors.get(name, PALETTE[i % len(PALETTE)])
        w = width * value / total
        if value:
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="4" width="{w:.1f}" height="{bar_h}" '
                f'fill="{color}"><title>{escape(name)}: {value:g}</title></rect>'
            )
        x += w
        body.append(
            f'<rect x="{legend_x:.0f}" y="44" width="12" height="12" rx="2" fill="{color}"/>'
            f'<text x="{legend_x + 16:.0f}" y="54" font-size="12" fill="#334155">'
            f"{escape(name)} {value:g}</text>"
        )
        legend_x += 24 + 7.5 * (len(name) + len(f"{value:g}") + 1)
    return _svg("stacked", width, height, title, body)


def donut(percent: float, title: str, *, label: str = "", size: float = 150) -> Markup:
    """A ring filled to ``percent`` (0-100) with the number in the middle."""
    pct = max(0.0, min(100.0, percent))
    r, stroke = size / 2 - 12, 18
    circumference = 2 * math.pi * r
    filled = circumference * pct / 100
    color = "#16a34a" if pct >= 90 else "#f59e0b" if pct >= 60 else "#dc2626"
    c = size / 2
    body = [
        f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="#e2e8f0" stroke-width="{stroke}"/>',
        f'<circle class="slice" cx="{c}" cy="{c}" r="{r:.1f}" fill="none" stroke="{color}" '
        f'stroke-width="{stroke}" stroke-dasharray="{filled:.2f} {circumference:.2f}" '
        f'transform="rotate(-90 {c} {c})"><title>{pct:.1f}%</title></circle>',
        f'<text x="{c}" y="{c + 7}" text-anchor="middle" font-size="22" font-weight="600" '
        f'fill="#0f172a">{pct:.0f}%</text>',
    ]
    if label:
        body.append(
            f'<text x="{c}" y="{c + 26}" text-anchor="middle" font-size="11" fill="#64748b">'
            f"{escape(label)}</text>"
        )
    return _svg("donut", size, size, title, body)


def _axis(left: float, top: float, plot_w: float, plot_h: float, peak: float) -> list[str]:
    out = []
    for i in range(5):
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        out.append(
            f'<line x1="{left}" x2="{left + plot_w:.0f}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#e2e8f0"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#64748b">{value:g}</text>'
        )
    return out


def _x_labels(labels: Sequence[str], xs: Sequence[float], y: float) -> list[str]:
    step = max(1, math.ceil(len(labels) / 12))
    return [
        f'<text x="{x:.1f}" y="{y}" text-anchor="middle" font-size="11" fill="#64748b">'
        f"{escape(label)}</text>"
        for i, (label, x) in enumerate(zip(labels, xs, strict=True))
        if i % step == 0 or i == len(labels) - 1
    ]


def _legend(
    names: Sequence[str], colors: Sequence[str], left: float, top: float, width: float
) -> tuple[list[str], float]:
    """Legend entries wrapped to ``width``; returns the marks and the height they take."""
    out, x, y = [], left, top + 12
    for name, color in zip(names, colors, strict=True):
        item_w = 30 + 7 * min(len(name), 40)
        if x > left and x + item_w > width:
            x, y = left, y + 18
        out.append(
            f'<rect x="{x:.0f}" y="{y - 10}" width="12" height="12" rx="2" fill="{color}"/>'
            f'<text x="{x + 16:.0f}" y="{y}" font-size="12" fill="#334155">'
            f"{escape(_short(name, 40))}</text>"
        )
        x += item_w
    return out, y - top + 6


def lines(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    title: str,
    *,
    width: float = 1100,
    height: float = 240,
) -> Markup:
    """One line per series over the x ``labels`` (runs), with points and a legend."""
    if not labels or not series:
        return _empty("line", title, width)
    left, top, right, bottom = 52, 12, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    colors = [PALETTE[i % len(PALETTE)] for i in range(len(series))]
    legend, legend_h = _legend(list(series), colors, left, height, width - right)
    peak = _nice_max(max((max(v) for v in series.values() if v), default=0))
    n = len(labels)
    xs = [left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2) for i in range(n)]
    body = _axis(left, top, plot_w, plot_h, peak)
    for (name, values), color in zip(series.items(), colors, strict=True):
        points = [(x, top + plot_h - plot_h * v / peak) for x, v in zip(xs, values, strict=True)]
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(points))
        body.append(
            f'<path class="series" d="{d}" fill="none" stroke="{color}" stroke-width="2.5" '
            f'stroke-linejoin="round"><title>{escape(name)}</title></path>'
        )
        body += [
            f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}">'
            f"<title>{escape(name)} @ {escape(label)}: {v:g}</title></circle>"
            for (x, y), label, v in zip(points, labels, values, strict=True)
        ]
    body += _x_labels(labels, xs, top + plot_h + 16)
    body += legend
    return _svg("line", width, height + legend_h, title, body)


def columns(
    labels: Sequence[str],
    stacks: Mapping[str, Sequence[float]],
    title: str,
    *,
    width: float = 1100,
    height: float = 220,
    colors: Mapping[str, str] = STATUS_COLORS,
) -> Markup:
    """Stacked columns: one per x label, one segment per stack (created/modified/deleted)."""
    if not labels:
        return _empty("columns", title, width)
    left, top, right, bottom = 52, 12, 16, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(s[i] for s in stacks.values()) for i in range(len(labels))]
    peak = _nice_max(max(totals, default=0))
    slot = plot_w / len(labels)
    bar_w = max(min(slot * 0.6, 48), 2)
    body = _axis(left, top, plot_w, plot_h, peak)
    xs = [left + slot * (i + 0.5) for i in range(len(labels))]
    names = list(stacks)
    palette = [colors.get(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]
    for i, x in enumerate(xs):
        y = top + plot_h
        for name, color in zip(names, palette, strict=True):
            value = stacks[name][i]
            if not value:
                continue
            h = plot_h * value / peak
            y -= h
            body.append(
                f'<rect class="bar" x="{x - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{escape(labels[i])} {escape(name)}: '
                f"{value:g}</title></rect>"
            )
    body += _x_labels(labels, xs, top + plot_h + 16)
    legend, legend_h = _legend(names, palette, left, height, width - right)
    body += legend
    return _svg("columns", width, height + legend_h, title, body)
