"""Amounts entered for a dose: read as exact Decimals, or refused naming the field.

Decimal throughout, because the totals are shown to clinicians and compared with
thresholds: 12 mcg/hr × 2.4 must be 28.8, not 28.799999999999997. Floats are read through
``str()`` so their binary error never enters. No Django imports.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["DoseError", "Numeric", "check_at_most", "optional_decimal", "positive_decimal", "show"]

Numeric = Decimal | int | float | str


class DoseError(ValueError):
    """A dose that cannot be right (≤ 0, implausibly large, contradictory, unparseable).

    ``field`` names the offending ``Dose`` field (or argument) so that forms and the API
    can point at it; ``code`` is machine-readable for the API's ``{detail, code}`` errors.
    """

    code = "invalid-dose"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def positive_decimal(value: Numeric, field_name: str) -> Decimal:
    """``value`` as an exact Decimal greater than 0; ``DoseError`` naming the field if not.

    Refuses booleans, text that is not a number, NaN and infinities.
    """
    if isinstance(value, bool):
        raise DoseError(field_name, f"expected a number, got {value!r}")
    try:
        # str() first: Decimal(0.1) would carry the binary error into the total.
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        raise DoseError(field_name, f"not a number: {value!r}") from None
    if not result.is_finite():
        raise DoseError(field_name, f"not a finite number: {value!r}")
    if result <= 0:
        raise DoseError(field_name, f"must be greater than 0, got {value}")
    return result


def optional_decimal(value: Numeric | None, field_name: str) -> Decimal | None:
    """Like ``positive_decimal``, for a field that may be left out (None stays None)."""
    return None if value is None else positive_decimal(value, field_name)


def check_at_most(value: Decimal | None, maximum: Decimal, field_name: str, what: str) -> None:
    """Refuse ``value`` above a plausible maximum: a data-entry guard, not a dosing limit."""
    if value is not None and value > maximum:
        raise DoseError(
            field_name, f"{value} {what} is beyond the plausible maximum of {maximum}; check units"
        )


def show(value: Decimal) -> str:
    """A Decimal for people: no exponent, no trailing zeros (180.0000 → "180")."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
