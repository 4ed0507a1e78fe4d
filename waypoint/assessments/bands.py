"""Bands: which interpretation band a value falls in, including the rule-based bands.

Plain Python (no Django). Most bands are a range lookup on the total, the T-score or a
subscale value. STarT Back and STOP-Bang need a rule; each rule is declared in
:data:`RULES` with the parameters it reads from the instrument file and the levels it
needs, so the catalogue checks a file against the same declaration that scoring uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from waypoint.assessments.definitions import BandLevel, Bands


@dataclass(frozen=True)
class Band:
    """The interpretation band a score falls in."""

    code: str
    label: str


def total_band(
    bands: Bands,
    total: Decimal | None,
    t_score: Decimal | None,
    scores: Mapping[str, Decimal],
    subscales: Mapping[str, Decimal],
    messages: list[str],
) -> Band | None:
    """The band of the total or the T-score (``bands.on``); None when that is not scored.

    A rule, when the bands have one, decides from the range's level, ``scores`` (item
    code -> item score) and ``subscales`` (code -> value), and may add a message.
    """
    value = t_score if bands.on == "t_score" else total
    if value is None:
        return None
    level = _range_level(bands, value)
    if bands.rule is not None:
        level = RULES[bands.rule].decide(bands, level, value, scores, subscales, messages)
    return _as_band(level)


def subscale_band(bands: Bands, value: Decimal) -> Band | None:
    """The band whose range holds a subscale ``value``.

    Band rules apply to totals only: the catalogue rejects a rule on subscale bands.
    """
    return _as_band(_range_level(bands, value))


def _as_band(level: BandLevel | None) -> Band | None:
    return Band(level.code, level.label) if level is not None else None


def _range_level(bands: Bands, value: Decimal) -> BandLevel | None:
    # Highest level whose lower bound the value reaches: bands are contiguous (checked on
    # load), and a mean between two integer bands falls in the lower one.
    chosen = None
    for level in bands.levels:
        if level.min is None or level.min <= value:
            chosen = level
    return chosen


def _level(bands: Bands, code: str) -> BandLevel:
    return next(level for level in bands.levels if level.code == code)


# --- rules ---------------------------------------------------------------------------------


def _start_back(
    bands: Bands,
    level: BandLevel | None,
    total: Decimal,
    scores: Mapping[str, Decimal],
    subscales: Mapping[str, Decimal],
    messages: list[str],
) -> BandLevel | None:
    """STarT Back (Hill 2008): total <= 3 low; else psychosocial subscale >= 4 high; else medium."""
    params = bands.params
    psychosocial = subscales.get(params["subscale"])
    if total <= params["total_low_max"]:
        return _level(bands, "low")
    if psychosocial is None:
        return None
    if psychosocial >= params["subscale_high_min"]:
        return _level(bands, "high")
    return _level(bands, "medium")


def _stop_bang(
    bands: Bands,
    level: BandLevel | None,
    total: Decimal,
    scores: Mapping[str, Decimal],
    subscales: Mapping[str, Decimal],
    messages: list[str],
) -> BandLevel | None:
    """STOP-Bang: bands by total, raised to high for >= 2 STOP items plus male, BMI or neck."""
    params = bands.params
    stop = sum(1 for code in params["stop_items"] if scores.get(code, Decimal(0)) > 0)
    plus = [code for code in params["plus_items"] if scores.get(code, Decimal(0)) > 0]
    high = _level(bands, params["escalate_to"])
    if level != high and stop >= params["stop_min"] and plus:
        messages.append(f"High risk: {stop} STOP items with {', '.join(plus)}.")
        return high
    return level


@dataclass(frozen=True)
class BandRule:
    """A band rule: how it decides, and what it needs from the instrument file."""

    decide: Callable[
        [Bands, BandLevel | None, Decimal, Mapping[str, Decimal], Mapping[str, Decimal], list[str]],
        BandLevel | None,
    ]
    # Parameters the rule reads, with the kind of value: "number" (read as a Decimal),
    # "items" (item codes, each once, as a tuple), "subscale" (a subscale code) or "level"
    # (a level code of the same bands). A file gives exactly these.
    params: Mapping[str, str]
    levels: frozenset[str]  # level codes the rule chooses by name
    ranged: bool  # whether the levels also have ranges to check (else the rule alone decides)


RULES: Mapping[str, BandRule] = {
    "start-back": BandRule(
        _start_back,
        params={"subscale": "subscale", "total_low_max": "number", "subscale_high_min": "number"},
        levels=frozenset({"low", "medium", "high"}),
        ranged=False,
    ),
    "stop-bang": BandRule(
        _stop_bang,
        params={
            "stop_items": "items",
            "plus_items": "items",
            "stop_min": "number",
            "escalate_to": "level",
        },
        levels=frozenset(),
        ranged=True,
    ),
}
