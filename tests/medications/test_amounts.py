"""Tests for ``waypoint.medications.amounts``: entered numbers read as exact Decimals,
refused naming the field, and shown back without float noise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from waypoint.medications.amounts import (
    DoseError,
    Numeric,
    check_at_most,
    optional_decimal,
    positive_decimal,
    show,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("2.5"), D("2.5")),
        (10, D(10)),
        # Through str(): Decimal(7.1) would be 7.0999999999999996447286321199499070644378662109375.
        (7.1, D("7.1")),
        (" 12 ", D(12)),
        ("0.075", D("0.075")),
    ],
)
def test_positive_decimal_is_exact(value: Numeric, expected: Decimal) -> None:
    result = positive_decimal(value, "strength")
    assert result == expected
    assert str(result) == str(expected)


@pytest.mark.parametrize("value", [0, -1, "0", D("-0.5"), "abc", "NaN", "Infinity", True, ""])
def test_positive_decimal_refuses_naming_the_field(value: Numeric) -> None:
    with pytest.raises(DoseError) as caught:
        positive_decimal(value, "strength")
    assert caught.value.field == "strength"
    assert caught.value.code == "invalid-dose"
    assert str(caught.value).startswith("strength: ")


def test_optional_decimal_keeps_none() -> None:
    assert optional_decimal(None, "max_per_day") is None
    assert optional_decimal("4", "max_per_day") == D(4)


def test_check_at_most_allows_the_maximum_and_refuses_beyond() -> None:
    check_at_most(D(24), D(24), "administrations_per_day", "administrations/day")
    check_at_most(None, D(24), "administrations_per_day", "administrations/day")
    with pytest.raises(DoseError, match="check units") as caught:
        check_at_most(D(25), D(24), "administrations_per_day", "administrations/day")
    assert caught.value.field == "administrations_per_day"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (D("180.0000"), "180"),
        (D("28.80"), "28.8"),
        (D("1E+2"), "100"),
        (D("0.5"), "0.5"),
        (D(0), "0"),
    ],
)
def test_show(value: Decimal, shown: str) -> None:
    assert show(value) == shown
