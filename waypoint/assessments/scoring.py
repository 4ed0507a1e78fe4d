"""Scoring: answers to a :class:`Score` (two scores to a :class:`Change`: ``change.py``).

Plain Python (no Django). The rules themselves are data in the instrument files (see
``catalogue.py``); this module interprets them:

- item score = the chosen option's ``score`` (its value unless the file maps it, e.g.
  STarT Back item 9 counts 1 only for "very much" or "extremely"); reverse items are
  mirrored within the item's own range (TSK-17 items 4, 8, 12, 16: 5 - answer): see
  ``answers.py``, which also checks each answer against its item;
- total = ``sum`` (times a multiplier), ``mean``, ``weighted-sum`` (weights chosen by a
  selector item: Opioid Risk Tool by sex) or ``promis-table`` (raw summed score, then the
  form's own T-score table); ``none`` when the instrument reports subscales only;
- missing items: at most ``missing.max_missing`` of the total's items may be unanswered;
  sums are then prorated, ``round(sum * n_items / n_answered)`` half up (PROMIS scoring
  manuals; HealthMeasures asks for >= 4 answered items on a short form), means use the
  items answered; either way the score is marked prorated and a message says so;
- PROMIS: the whole raw summed score (prorated and rounded if need be; the catalogue
  allows no multiplier and only whole item scores) indexes the form's T-score table;
- bands are looked up on the total or the T-score; STarT Back and STOP-Bang need a rule
  (``bands.py``);
- safety items are checked on the raw answer, whether or not a total could be scored.

Each instrument file cites the source of each of these rules. Arithmetic is Decimal
throughout: values are rounded only for display (:func:`for_display`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from waypoint.assessments.answers import AnswerError, AnswerValue, answer_values, item_scores
from waypoint.assessments.bands import Band, subscale_band, total_band
from waypoint.assessments.change import Change, change
from waypoint.assessments.definitions import Instrument, total_items

__all__ = [
    "AnswerError", "AnswerValue", "Band", "Change", "Score", "change", "for_display", "score",
]  # fmt: skip


@dataclass(frozen=True)
class Score:
    """The result of scoring one set of answers.

    ``answered`` counts the items answered; ``missing`` the *required* items left
    unanswered (``complete`` is true when there are none). ``total`` is None when the
    answers cannot be scored, and ``messages`` then says why.
    """

    instrument: str
    version: str
    total: Decimal | None
    subscales: Mapping[str, Decimal]
    band: Band | None
    subscale_bands: Mapping[str, Band]
    t_score: Decimal | None
    t_score_se: Decimal | None
    complete: bool
    prorated: bool
    safety_items: tuple[str, ...]
    answered: int
    missing: int
    messages: tuple[str, ...]


def score(instrument: Instrument, answers: Mapping[str, AnswerValue]) -> Score:
    """Score ``answers`` (item code -> answer value; None or "" = unanswered).

    Raises :class:`AnswerError` for an item code the instrument does not have, or a value
    that is not one of the item's options / outside its numeric range.
    """
    values = answer_values(instrument, answers)
    scores = item_scores(instrument, values)
    messages: list[str] = []
    safety = tuple(
        rule.item
        for rule in instrument.safety_items
        if rule.item in values and rule.triggered_by(values[rule.item])
    )
    unanswered = [
        item.code for item in instrument.items if item.required and item.code not in values
    ]
    subscales: dict[str, Decimal] = {}
    subscale_bands: dict[str, Band] = {}
    total: Decimal | None = None
    prorated = False
    t_score = t_se = None
    band: Band | None = None
    if instrument.status == "draft":
        messages.append(f"{instrument.short_name} cannot be scored yet: {instrument.status_note}")
    else:
        subscales, subscale_bands = _subscales(instrument, scores, messages)
        total, prorated = _total(instrument, values, scores, messages)
        if total is not None and instrument.scoring.table is not None:
            # PROMIS: the whole raw summed score (prorated if need be) indexes the form's table.
            row = instrument.scoring.table[int(_half_up(total))]
            t_score, t_se = row.t, row.se
        if instrument.bands is not None:
            band = total_band(instrument.bands, total, t_score, scores, subscales, messages)
    return Score(
        instrument=instrument.code,
        version=instrument.version,
        total=total,
        subscales=subscales,
        band=band,
        subscale_bands=subscale_bands,
        t_score=t_score,
        t_score_se=t_se,
        complete=not unanswered,
        prorated=prorated,
        safety_items=safety,
        answered=len(values),
        missing=len(unanswered),
        messages=tuple(messages),
    )


def for_display(value: Decimal | None, places: int = 1) -> str:
    """Round half up for display only; stored and compared values keep full precision."""
    if value is None:
        return "–"
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


# --- subscales and totals -----------------------------------------------------------------


def _subscales(
    instrument: Instrument, scores: Mapping[str, Decimal], messages: list[str]
) -> tuple[dict[str, Decimal], dict[str, Band]]:
    values: dict[str, Decimal] = {}
    bands: dict[str, Band] = {}
    for subscale in instrument.subscales:
        gaps = [code for code in subscale.items if code not in scores]
        if gaps:
            # Subscales are short (2-10 items): no source supports prorating them.
            messages.append(f"No {subscale.name} score: unanswered {', '.join(gaps)}.")
            continue
        value = subscale.from_sum(sum((scores[code] for code in subscale.items), Decimal(0)))
        values[subscale.code] = value
        found = subscale_band(subscale.bands, value) if subscale.bands is not None else None
        if found is not None:
            bands[subscale.code] = found
    return values, bands


def _total(
    instrument: Instrument,
    values: Mapping[str, Decimal],
    scores: Mapping[str, Decimal],
    messages: list[str],
) -> tuple[Decimal | None, bool]:
    scoring, rule = instrument.scoring, instrument.missing
    if scoring.method == "none":
        messages.append(f"{instrument.short_name} has no total score: see its subscales.")
        return None, False
    codes = total_items(instrument)
    answered = [scores[code] for code in codes if code in scores]
    gaps = len(codes) - len(answered)
    if gaps > rule.max_missing:
        messages.append(
            f"No total: {gaps} of {len(codes)} scored items unanswered; "
            f"{instrument.short_name} allows at most {rule.max_missing}."
        )
        return None, False
    summed = sum(answered, Decimal(0))
    if scoring.method == "mean":
        if gaps:
            messages.append(f"Total is the mean of {len(answered)} of {len(codes)} items.")
        return summed / len(answered), gaps > 0
    if scoring.method == "weighted-sum":
        assert scoring.weights is not None
        selector = values.get(scoring.weights.selector)
        if selector is None:
            messages.append(f"No total: {scoring.weights.selector} is needed to choose weights.")
            return None, False
        weights = scoring.weights.by_value[selector]
        return sum((weights[code] * scores[code] for code in codes), Decimal(0)), False
    if gaps:
        prorated = _half_up(summed * len(codes) / len(answered))
        messages.append(f"Total prorated from {len(answered)} of {len(codes)} items.")
        return prorated * scoring.multiplier, True
    return summed * scoring.multiplier, False


def _half_up(value: Decimal) -> Decimal:
    """``value`` rounded to a whole number, halves up (16.5 -> 17), as the PROMIS manuals do."""
    return value.quantize(Decimal(1), ROUND_HALF_UP)
