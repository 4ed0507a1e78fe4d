"""Cross-field checks of a built instrument: codes that refer to items, ranges and bands.

Private to the catalogue. :func:`check_instrument` runs after the instrument has been
built (:mod:`._parsing`) and raises :class:`~._reading.Invalid` with the path of the
field at fault.
"""

from __future__ import annotations

from decimal import Decimal

from waypoint.assessments._reading import Invalid
from waypoint.assessments.bands import RULES
from waypoint.assessments.definitions import (
    Bands,
    Instrument,
    Subscale,
    raw_range,
    total_items,
    total_range,
)


def check_instrument(instrument: Instrument, stem: str) -> None:
    """Check what one field cannot show alone; ``stem`` is the file name without ``.json``."""
    if instrument.code != stem:
        raise Invalid("code", f"{instrument.code!r} does not match the file name {stem!r}")
    if instrument.status == "draft" and not instrument.status_note:
        raise Invalid("status_note", "a draft instrument must say why it is a draft")
    if instrument.licence.requires_permission and instrument.item_text != "paraphrase":
        # Licensed wording must not ship: only neutral labels until the clinic has permission.
        raise Invalid("item_text", "an instrument that needs permission must use paraphrase")
    codes = [item.code for item in instrument.items]
    for index, code in enumerate(codes):
        if code in codes[:index]:
            raise Invalid(f"items[{index}].code", f"duplicate item code {code!r}")
    known = set(codes)
    for index, code in enumerate(instrument.reverse_items):
        if code not in known or not instrument.item(code).options:
            raise Invalid(f"reverse_items[{index}]", f"{code!r} is not an item with options")
    for index, subscale in enumerate(instrument.subscales):
        _check_item_list(subscale.items, known, f"subscales[{index}].items")
        _check_multiplier(
            subscale.multiplier, subscale.method, "subscale", f"subscales[{index}].multiplier"
        )
        if subscale.bands:
            low, high = _subscale_range(instrument, subscale)
            _check_bands(subscale.bands, (low, high), f"subscales[{index}].bands")
    for index, safety in enumerate(instrument.safety_items):
        _check_codes((safety.item,), known, f"safety_items[{index}].item")
    _check_scoring(instrument, known)
    if instrument.bands:
        _check_bands(instrument.bands, _band_range(instrument), "bands")
        _check_band_rule(instrument, instrument.bands)


def _check_codes(codes: tuple[str, ...], known: set[str], path: str) -> None:
    for code in codes:
        if code not in known:
            raise Invalid(path, f"unknown item code {code!r}")


def _check_item_list(codes: tuple[str, ...], known: set[str], path: str) -> None:
    """Known item codes, each once: a repeated code would count its item twice."""
    _check_codes(codes, known, path)
    for index, code in enumerate(codes):
        if code in codes[:index]:
            raise Invalid(f"{path}[{index}]", f"duplicate item code {code!r}")


def _check_multiplier(multiplier: Decimal, method: str, what: str, path: str) -> None:
    """Only a sum is multiplied (:meth:`Subscale.from_sum`, ``scoring._total``): a multiplier
    on any other method would be silently ignored, so it must be left at 1."""
    if multiplier <= 0:
        raise Invalid(path, "must be positive")
    if method != "sum" and multiplier != 1:
        raise Invalid(path, f"a {method!r} {what} takes no multiplier: only a sum is multiplied")


def _check_scoring(instrument: Instrument, known: set[str]) -> None:
    scoring, missing = instrument.scoring, instrument.missing
    _check_item_list(scoring.items, known, "scoring.items")
    # promis-table: the table is indexed by the raw summed score itself.
    _check_multiplier(scoring.multiplier, scoring.method, "total", "scoring.multiplier")
    items = total_items(instrument)
    if missing.max_missing >= max(len(items), 1) and scoring.method != "none":
        raise Invalid("missing.max_missing", "must be less than the number of scored items")
    if missing.max_missing and scoring.method in ("sum", "promis-table") and not missing.prorate:
        # A sum over fewer items would be silently low: allow gaps only with prorating.
        raise Invalid("missing.prorate", "a summed score with missing items must prorate")
    if scoring.method == "weighted-sum":
        if scoring.weights is None:
            raise Invalid("scoring.weights", "required for a weighted sum")
        if missing.max_missing:
            raise Invalid("missing.max_missing", "a weighted sum cannot be prorated")
        _check_codes((scoring.weights.selector,), known, "scoring.weights.selector")
        selector = instrument.item(scoring.weights.selector)
        for value, row in scoring.weights.by_value.items():
            if value not in {o.value for o in selector.options}:
                raise Invalid(f"scoring.weights.by_value.{value}", "not a selector answer value")
            if set(row) != set(items):
                raise Invalid(f"scoring.weights.by_value.{value}", "must weight every scored item")
    if scoring.method == "promis-table":
        _check_whole_scores(instrument, items)
        low, high = raw_range(instrument, items)
        if scoring.table is None or set(scoring.table) != set(range(int(low), int(high) + 1)):
            raise Invalid("scoring.table", f"must have one row per raw score {low}..{high}")
    expected = total_range(instrument)
    if scoring.range != expected:
        raise Invalid("scoring.range", f"declared {scoring.range}, items give {expected}")


def _check_whole_scores(instrument: Instrument, items: tuple[str, ...]) -> None:
    """Every score of these items is a whole number, so their (prorated, rounded) sum is a
    whole raw score that indexes the PROMIS table."""
    for code in items:
        index = instrument.item_codes.index(code)
        item = instrument.item(code)
        values = [(f"options[{n}].score", o.score) for n, o in enumerate(item.options)]
        if not item.options:
            assert item.min is not None
            assert item.max is not None
            values = [("min", item.min), ("max", item.max), ("step", item.step)]
        for field, value in values:
            if value != value.to_integral_value():
                raise Invalid(
                    f"items[{index}].{field}", "a promis-table item must score whole numbers"
                )


def _subscale_range(instrument: Instrument, subscale: Subscale) -> tuple[Decimal, Decimal]:
    low, high = raw_range(instrument, subscale.items)
    return subscale.from_sum(low), subscale.from_sum(high)


def _band_range(instrument: Instrument) -> tuple[Decimal, Decimal] | None:
    bands, scoring = instrument.bands, instrument.scoring
    assert bands is not None
    if bands.on == "t_score":
        if scoring.table is None:
            raise Invalid("bands.on", "T-score bands need a PROMIS table")
        t_scores = [row.t for row in scoring.table.values()]
        return min(t_scores), max(t_scores)
    if scoring.range is None:
        raise Invalid("bands.on", "bands on the total need a scored total")
    return scoring.range


def _check_bands(bands: Bands, value_range: tuple[Decimal, Decimal] | None, path: str) -> None:
    """Levels ascend without gaps or overlaps and stay within the values that can occur."""
    if bands.rule is not None and not RULES[bands.rule].ranged:
        return  # levels are chosen by the rule, not by ranges
    levels = bands.levels
    for index, level in enumerate(levels):
        where = f"{path}.levels[{index}]"
        if level.min is None and index > 0:
            raise Invalid(f"{where}.min", "only the first level may be open below")
        if level.max is None and index < len(levels) - 1:
            raise Invalid(f"{where}.max", "only the last level may be open above")
        if level.min is not None and level.max is not None and level.min > level.max:
            raise Invalid(where, "min is above max")
        if index > 0:
            previous = levels[index - 1].max
            assert previous is not None and level.min is not None
            if level.min != previous + bands.resolution:
                raise Invalid(f"{where}.min", f"must be {previous + bands.resolution}: no gaps")
    if value_range is not None:
        low, high = value_range
        first, last = levels[0], levels[-1]
        if first.min is not None and first.min > low:
            raise Invalid(f"{path}.levels[0].min", f"leaves {low} without a band")
        if last.max is not None and last.max < high:
            raise Invalid(f"{path}.levels[{len(levels) - 1}].max", f"leaves {high} without a band")


def _check_band_rule(instrument: Instrument, bands: Bands) -> None:
    """A band rule has the levels it chooses by name and every parameter it reads."""
    if bands.rule is None:
        return
    rule = RULES[bands.rule]
    levels = {level.code for level in bands.levels}
    if not rule.levels <= levels:
        raise Invalid("bands.levels", f"{bands.rule} needs levels {sorted(rule.levels)}")
    # Each parameter was read as its kind when parsed (numbers as Decimals, item codes as
    # a non-empty tuple); here the codes must name this instrument's items, subscales, levels.
    for key, kind in rule.params.items():
        value = bands.params[key]
        path = f"bands.params.{key}"
        if kind == "items":
            _check_item_list(value, set(instrument.item_codes), path)
        if kind == "subscale" and value not in {s.code for s in instrument.subscales}:
            raise Invalid(path, f"unknown subscale {value!r}")
        if kind == "level" and value not in levels:
            raise Invalid(path, f"unknown level {value!r}")
