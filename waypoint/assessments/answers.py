"""Answers: raw answer values checked against an instrument, then turned into item scores.

Plain Python (no Django). An answer value is the stored value of the chosen option, or a
number within a numeric item's range and step; None or "" means unanswered. An item's
score is the chosen option's ``score`` (its value unless the file maps it, e.g. STarT
Back item 9 counts 1 only for "very much" or "extremely"); reverse items are mirrored
within the item's own range (TSK-17 items 4, 8, 12, 16: 5 - answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from waypoint.assessments.definitions import Instrument, Item

AnswerValue = int | float | Decimal | str | None


class AnswerError(ValueError):
    """An answer that does not fit the instrument; ``item`` is the offending item code."""

    def __init__(self, item: str, message: str) -> None:
        super().__init__(f"{item}: {message}")
        self.item = item


def answer_values(instrument: Instrument, answers: Mapping[str, AnswerValue]) -> dict[str, Decimal]:
    """The answered items' values as Decimals, unanswered items left out.

    Raises :class:`AnswerError` for an item code the instrument does not have, or a value
    that is not one of the item's options / outside its numeric range.
    """
    items = {item.code: item for item in instrument.items}
    values: dict[str, Decimal] = {}
    for code, raw in answers.items():
        item = items.get(code)
        if item is None:
            raise AnswerError(code, f"not an item of {instrument.short_name}")
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue  # unanswered: counted as missing, not an error
        value = _as_decimal(code, raw)
        _check_in_range(item, value, raw)
        values[code] = value
    return values


def item_scores(instrument: Instrument, values: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Item code -> the score its (checked) answer value contributes."""
    return {code: _item_score(instrument, instrument.item(code), v) for code, v in values.items()}


def _as_decimal(code: str, raw: AnswerValue) -> Decimal:
    # bool is an int subclass: True would silently score 1, so refuse it explicitly.
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise AnswerError(code, f"{raw!r} is not a number")
    try:
        value = Decimal(str(raw).strip()) if isinstance(raw, float | str) else Decimal(raw)
    except InvalidOperation:
        raise AnswerError(code, f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise AnswerError(code, f"{raw!r} is not a finite number")
    return value


def _check_in_range(item: Item, value: Decimal, raw: AnswerValue) -> None:
    if item.options:
        allowed = [option.value for option in item.options]
        if value not in allowed:
            choices = ", ".join(str(v) for v in allowed)
            raise AnswerError(item.code, f"{raw!r} is not one of the answer values {choices}")
        return
    assert item.min is not None and item.max is not None
    if not item.min <= value <= item.max:
        raise AnswerError(item.code, f"{raw!r} is outside {item.min}..{item.max}")
    if (value - item.min) % item.step:
        raise AnswerError(item.code, f"{raw!r} is not a step of {item.step} from {item.min}")


def _item_score(instrument: Instrument, item: Item, value: Decimal) -> Decimal:
    if item.options:
        value = next(option.score for option in item.options if option.value == value)
    if item.code in instrument.reverse_items:
        low, high = item.score_range()
        return low + high - value
    return value
