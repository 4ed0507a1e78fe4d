"""Small server-rendered SVG charts: the MME trend and a taper's schedule.

Readable without JavaScript; each has a <title> and <desc> and the page also shows the
numbers as a table, so nothing depends on seeing the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .models import TaperPlan
from .queries import TrendPoint

WIDTH, HEIGHT, PAD = 560, 160, 36


def _step_path(
    points: Sequence[tuple[date, Decimal]], top: Decimal
) -> tuple[str, list[tuple[float, float]]]:
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    scale = float(top) or 1.0

    def xy(day: date, value: Decimal) -> tuple[float, float]:
        x = PAD + (WIDTH - 2 * PAD) * (day - first).days / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(value) / scale
        return round(x, 1), round(y, 1)

    coords = [xy(d, v) for d, v in points]
    parts = [f"M{coords[0][0]},{coords[0][1]}"]
    for (x, y), (_, prev_y) in zip(coords[1:], coords, strict=False):
        parts.append(f"H{x}V{y}" if y != prev_y else f"H{x}")
    return " ".join(parts), coords


def _frame(
    ident: str,
    title: str,
    desc: str,
    body: str,
    top: Decimal,
    unit: str,
    first: date,
    last: date,
    threshold: Decimal | None = None,
) -> SafeString:
    lines = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d">',
            WIDTH,
            HEIGHT,
            ident,
            ident,
        ),
        format_html(
            '<title id="{}-t">{}</title><desc id="{}-d">{}</desc>', ident, title, ident, desc
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>',
            PAD,
            HEIGHT - PAD,
            WIDTH - PAD,
            HEIGHT - PAD,
        ),
        format_html(
            '<text x="{}" y="{}" class="label">{} {}</text>', 4, PAD - 8, top, escape(unit)
        ),
        format_html(
            '<text x="{}" y="{}" class="label">{}</text>',
            PAD,
            HEIGHT - 10,
            first.strftime("%d %b %Y"),
        ),
        format_html(
            '<text x="{}" y="{}" class="label end">{}</text>',
            WIDTH - PAD,
            HEIGHT - 10,
            last.strftime("%d %b %Y"),
        ),
    ]
    if threshold is not None and top and threshold <= top:
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * float(threshold) / float(top)
        lines.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" class="threshold"/>'
                '<text x="{}" y="{}" class="label end">{} MME/day</text>',
                PAD,
                round(y, 1),
                WIDTH - PAD,
                round(y, 1),
                WIDTH - PAD,
                round(y, 1) - 4,
                threshold,
            )
        )
    lines.append(mark_safe(body))  # noqa: S308 - built from numbers only, above
    lines.append(mark_safe("</svg>"))  # noqa: S308
    return mark_safe("".join(lines))  # noqa: S308 - every part escaped or numeric


def mme_trend_svg(points: Sequence[TrendPoint], threshold: Decimal = Decimal(50)) -> SafeString:
    """Total MME/day over time as a step line, with the review threshold marked."""
    if len(points) < 2:
        return mark_safe("")
    values = [(p.day, p.total) for p in points]
    top = max(max(v for _, v in values), threshold) * Decimal("1.1")
    top = top.quantize(Decimal(1))
    path, _ = _step_path(values, top)
    latest = points[-1]
    desc = (
        f"From {points[0].total} MME/day on {points[0].day:%d %b %Y} to {latest.total} MME/day "
        f"on {latest.day:%d %b %Y}"
        + (" (a lower bound: some doses not counted)" if latest.incomplete else "")
    )
    return _frame(
        "mme-trend",
        "Total MME/day over time",
        desc,
        f'<path d="{path}" class="line"/>',
        top,
        "MME",
        points[0].day,
        latest.day,
        threshold,
    )


def taper_svg(plan: TaperPlan) -> SafeString:
    """The taper as MME/day over time (mg/day for a drug without a conversion factor)."""
    steps = list(plan.steps.all())
    if not steps:
        return mark_safe("")
    in_mme = all(s.mme is not None for s in steps)
    unit = "MME" if in_mme else "mg"
    values = [(s.starts_on, s.mme if in_mme and s.mme is not None else s.dose_mg) for s in steps]
    top = (max(v for _, v in values) * Decimal("1.1")).quantize(Decimal(1)) or Decimal(1)
    path, coords = _step_path(values, top)
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="3" class="dot"/>' for x, y in coords)
    desc = (
        f"{len(steps)} steps from {values[0][1]} {unit}/day on {steps[0].starts_on:%d %b %Y} "
        f"to {values[-1][1]} {unit}/day on {steps[-1].starts_on:%d %b %Y}"
    )
    title = "Taper schedule, MME per day" if in_mme else "Taper schedule, mg per day"
    return _frame(
        "taper",
        title,
        desc,
        f'<path d="{path}" class="line"/>{dots}',
        top,
        unit,
        steps[0].starts_on,
        steps[-1].starts_on,
        Decimal(50) if in_mme else None,
    )
