"""Opioid taper schedules following CDC 2022 Rec. 5, the pure core.

Source: CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United States,
2022 (MMWR Recomm Rep 2022;71(No. RR-3)), Rec. 5: taper only when risks outweigh
benefits, never abruptly unless there are life-threatening warning signs; about 10% per
month after a year or more of use, about 10% of the original dose per week after weeks to
months. The default rates and intervals are in the ``taper`` section of
``data/stewardship-rules.json``, validated by ``waypoint.medications.rules``;
``default_taper`` uses them. The rounding to a practical dose follows practice, not the
guideline. No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from waypoint.medications.amounts import DoseError, Numeric, positive_decimal
from waypoint.medications.rules import (
    TAPER_USES,
    StewardshipRules,
    TaperBasis,
    TaperUse,
    default_rules,
)

__all__ = ["TaperBasis", "TaperStep", "TaperUse", "default_taper", "taper_schedule"]

_MAX_TAPER_STEPS = 1000


@dataclass(frozen=True)
class TaperStep:
    """One change of dose: from ``starts_on`` take ``dose`` (rounded to a practical dose)."""

    number: int
    starts_on: date
    dose: Decimal
    reduction: Decimal
    percent_of_original: Decimal


def default_taper(
    current_dose: Numeric,
    use: TaperUse,
    start: date,
    floor: Numeric = 0,
    *,
    rules: StewardshipRules | None = None,
    increment: Numeric = 5,
) -> list[TaperStep]:
    """The CDC 2022 Rec. 5 schedule for ``use``, its numbers from the rules' ``taper``.

    ``use`` is ``"long_term"`` (≥ 1 year: about 10% per month) or ``"weeks_to_months"``
    (10% of the original per week to about 30%, then 10% of the remaining dose per week),
    as given in ``data/stewardship-rules.json`` (default: the bundled rules); follow up
    at least every ``rules.taper.follow_up_interval_days`` days. The schedule is that of
    ``taper_schedule`` with the rate, interval, basis and switch point of the rules.

    Raises ``DoseError`` naming ``use`` for a use the rules have no schedule for, and as
    ``taper_schedule`` does for the other arguments.
    """
    taper = (rules or default_rules()).taper
    chosen = taper.schedules.get(use)
    if chosen is None:
        raise DoseError("use", f"must be one of {', '.join(TAPER_USES)}, got {use!r}")
    return taper_schedule(
        current_dose,
        chosen.rate_percent,
        chosen.interval_days,
        start,
        floor,
        basis=chosen.basis,
        switch_at_percent=chosen.switch_at_percent,
        increment=increment,
    )


def taper_schedule(
    current_dose: Numeric,
    rate_percent: Numeric,
    interval_days: int,
    start: date,
    floor: Numeric = 0,
    *,
    basis: TaperBasis = "original",
    switch_at_percent: Numeric | None = None,
    increment: Numeric = 5,
) -> list[TaperStep]:
    """A dose-reduction schedule following CDC 2022 Rec. 5 (dose in MME/day or mg/day).

    Each ``interval_days`` the exact target falls by ``rate_percent`` of the original dose
    (``basis="original"``, linear) or of the current target (``basis="current"``). With
    ``switch_at_percent`` (e.g. 30), once the target reaches that share of the original,
    each later step falls by ``rate_percent`` of the dose remaining at that point. Rec. 5
    examples, the defaults of the rules file (``default_taper`` takes them from there):

    * long-term use (≥ 1 year): ``taper_schedule(d, 10, 30, start)`` — 10% per month;
    * weeks to months: ``taper_schedule(d, 10, 7, start, switch_at_percent=30)`` — 10% of
      the original per week to 30%, then 10% of that remaining dose per week.

    Doses are rounded to the nearest multiple of ``increment`` (half up), so a step can be
    up to half an increment away from the exact target; steps whose rounded dose does not
    change are merged into the next change, so every step is a real reduction dated when
    it starts (step 1 on ``start``). The schedule never goes below ``floor`` and ends at
    it (0 by default, i.e. off opioids). The rounding follows practice, not the guideline;
    a clinician adjusts the plan with the patient, and slower is always allowed.

    Raises ``DoseError`` naming the argument for a dose ≤ 0, a rate outside 0–100 %, an
    interval < 1 day, or a floor at or above the current dose.
    """
    original = positive_decimal(current_dose, "current_dose")
    rate = positive_decimal(rate_percent, "rate_percent")
    if rate > 100:
        raise DoseError("rate_percent", f"must be at most 100, got {rate_percent!r}")
    if isinstance(interval_days, bool) or not isinstance(interval_days, int) or interval_days < 1:
        raise DoseError("interval_days", f"must be a whole number of days >= 1: {interval_days!r}")
    step_size = positive_decimal(increment, "increment")
    lowest = Decimal(0) if floor in (0, "0") else positive_decimal(floor, "floor")
    if lowest >= original:
        raise DoseError("floor", f"must be below the current dose {original}")
    switch = (
        None
        if switch_at_percent is None
        else positive_decimal(switch_at_percent, "switch_at_percent")
    )
    if basis not in ("original", "current"):
        raise DoseError("basis", f"must be 'original' or 'current', got {basis!r}")

    hundred = Decimal(100)
    target = original
    second_phase_cut: Decimal | None = None
    previous = original
    steps: list[TaperStep] = []
    for k in range(_MAX_TAPER_STEPS):
        if second_phase_cut is not None:
            cut = second_phase_cut
        else:
            cut = (original if basis == "original" else target) * rate / hundred
        target -= cut
        if (
            switch is not None
            and second_phase_cut is None
            and target <= original * switch / hundred
        ):
            second_phase_cut = target * rate / hundred
        rounded = (target / step_size).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step_size
        last = target <= lowest or rounded <= lowest
        dose = lowest if last else rounded
        if dose < previous:
            steps.append(
                TaperStep(
                    number=len(steps) + 1,
                    starts_on=start + timedelta(days=k * interval_days),
                    dose=dose,
                    reduction=previous - dose,
                    percent_of_original=(dose * hundred / original).quantize(
                        Decimal("0.1"), rounding=ROUND_HALF_UP
                    ),
                )
            )
            previous = dose
        if last:
            return steps
    raise DoseError("rate_percent", "taper does not reach the floor; use a larger rate")
