"""Tests for ``waypoint.medications.frequency``: sig text to administrations per day.

UK and US abbreviations, intervals, as-needed orders with their maximum (counted at the
maximum, as the CDC 2022 MME method counts as-needed orders), and text it must refuse.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from waypoint.medications.amounts import DoseError
from waypoint.medications.frequency import parse_frequency

D = Decimal


# ------------------------------------------------------------------- frequencies

FREQUENCIES = [
    # (sig, administrations/day, as needed, maximum/day, every_hours)
    ("bd", "2", False, None, None),
    ("BID", "2", False, None, None),
    ("b.i.d.", "2", False, None, None),
    ("twice daily", "2", False, None, None),
    ("tds", "3", False, None, None),
    ("TID", "3", False, None, None),
    ("qds", "4", False, None, None),
    ("QID", "4", False, None, None),
    ("once daily", "1", False, None, None),
    ("od", "1", False, None, None),
    ("nocte", "1", False, None, None),
    ("mane", "1", False, None, None),
    ("q4h", "6", False, None, "4"),
    ("Q 6 H", "4", False, None, "6"),
    ("every 6 hours", "4", False, None, "6"),
    ("every eight hours", "3", False, None, "8"),
    ("4-hourly", "6", False, None, "4"),
    ("every 12 hours", "2", False, None, "12"),
    ("3 times a day", "3", False, None, None),
    ("2x daily", "2", False, None, None),
    ("every other day", "0.5", False, None, None),
    ("take 1 tablet by mouth twice daily", "2", False, None, None),
    ("PRN max 4/day", None, True, "4", None),
    ("prn, max 4 per day", None, True, "4", None),
    ("as needed up to 4 times a day", None, True, "4", None),
    ("q4h prn", None, True, "6", "4"),
    ("q4-6h PRN", None, True, "6", "4"),
    ("bd prn", None, True, "2", None),
    ("prn", None, True, None, None),
    ("maximum of 8 tablets in 24 hours", None, True, "8", None),
]


@pytest.mark.parametrize(("text", "per_day", "as_needed", "maximum", "every"), FREQUENCIES)
def test_parse_frequency(
    text: str, per_day: str | None, as_needed: bool, maximum: str | None, every: str | None
) -> None:
    parsed = parse_frequency(text)
    assert parsed.administrations_per_day == (None if per_day is None else D(per_day))
    assert parsed.as_needed is as_needed
    assert parsed.max_per_day == (None if maximum is None else D(maximum))
    assert parsed.every_hours == (None if every is None else D(every))


def test_parse_frequency_patch_every_72_hours() -> None:
    parsed = parse_frequency("1 patch every 72 hours")
    assert parsed.every_hours == D(72)
    assert parsed.quantity == D(1)
    assert parsed.quantity_unit == "unit"
    assert parsed.as_needed is False
    # One third of an administration a day (not exactly representable).
    assert parsed.administrations_per_day is not None
    assert D("0.3333") < parsed.administrations_per_day < D("0.3334")


def test_parse_frequency_every_three_days_is_72_hours() -> None:
    assert parse_frequency("every 3 days").every_hours == D(72)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "sometimes", "bd for 3 days", "q0h", "q4-6h", "2 tablets", "every blue moon"],
)
def test_parse_frequency_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(DoseError) as caught:
        parse_frequency(text)
    assert caught.value.field == "frequency"
