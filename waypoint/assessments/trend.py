"""A small trend line for the chart: values over time to SVG coordinates.

Plain Python (no Django). The template draws the SVG (with a title and a description
that reads the values out), so the chart needs no JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 160
HEIGHT = 40
PAD = 4


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float
    on: date
    value: Decimal


@dataclass(frozen=True)
class Trend:
    points: tuple[TrendPoint, ...]
    low: Decimal
    high: Decimal

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return HEIGHT


def trend(
    values: Sequence[tuple[date, Decimal]], scale: tuple[Decimal, Decimal] | None = None
) -> Trend | None:
    """Coordinates for ``values`` (oldest first) on the instrument's range, else their own.

    Higher values are drawn higher. None when there is nothing to draw.
    """
    if not values:
        return None
    low, high = (
        scale if scale is not None else (min(v for _, v in values), max(v for _, v in values))
    )
    span = (high - low) or Decimal(1)
    first, last = values[0][0], values[-1][0]
    days = (last - first).days or 1
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    points = []
    for index, (on, value) in enumerate(values):
        share = (on - first).days / days if last != first else index / max(len(values) - 1, 1)
        x = PAD + inner_w * share if len(values) > 1 else WIDTH / 2
        y = PAD + inner_h * (1 - float((value - low) / span))
        points.append(TrendPoint(round(x, 1), round(y, 1), on, value))
    return Trend(tuple(points), low, high)
