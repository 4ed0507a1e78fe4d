"""Template filters for scores: shown rounded (half up), stored at full precision."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from waypoint.assessments.scoring import for_display

register = template.Library()


@register.filter
def score(value: Any) -> str:
    """A score for display: whole numbers without decimals, others to one place."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    if number == number.to_integral():
        return for_display(number, 0)
    return for_display(number, 1)


@register.filter
def signed(value: Any) -> str:
    """A change with its sign: +3, −2.5, 0."""
    if value is None:
        return "–"
    text = score(value)
    number = Decimal(str(value))
    if number > 0:
        return f"+{text}"
    return text.replace("-", "−")


@register.filter
def region_on(region: Any, chosen: Any) -> bool:
    """Whether a body-map region is among the chosen codes."""
    return bool(region.code in chosen)


@register.filter
def regions_in(regions: Any, view: str) -> Any:
    """The body-map regions of one view (front or back)."""
    return regions.in_view(view)
