"""Tests for ``waypoint.medications.taper``: schedules worked by hand.

CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United States, 2022
(MMWR RR-71(3)) Rec. 5 (tapering); its default rates and intervals are in the ``taper``
section of ``data/stewardship-rules.json``.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from waypoint.medications.amounts import DoseError
from waypoint.medications.rules import TaperDefault, load_rules
from waypoint.medications.taper import default_taper, taper_schedule

D = Decimal
DATA = Path(__file__).parents[2] / "waypoint/medications/data/stewardship-rules.json"


# (arguments, [(days after start, dose)]) — each schedule worked by hand.
TAPERS = [
    # Rec. 5, weeks to months: 10% of the original (100) per week down to 30, then 10% of
    # the remaining 30 (= 3) per week: exact 27, 24, 21, ... rounded to the nearest 5;
    # unchanged doses merge into the next change.
    (
        {"current_dose": 100, "rate_percent": 10, "interval_days": 7, "switch_at_percent": 30},
        [(0, 90), (7, 80), (14, 70), (21, 60), (28, 50), (35, 40), (42, 30),
         (49, 25), (63, 20), (77, 15), (84, 10), (98, 5), (112, 0)],
    ),
    # Rec. 5, long-term: 10% of 60 (= 6) per month: exact 54, 48, 42, 36, 30, 24, 18,
    # 12, 6, 0 → nearest 5: 55, 50, 40, 35, 30, 25, 20, 10, 5, 0.
    (
        {"current_dose": 60, "rate_percent": 10, "interval_days": 30},
        [(0, 55), (30, 50), (60, 40), (90, 35), (120, 30), (150, 25), (180, 20),
         (210, 10), (240, 5), (270, 0)],
    ),
    # Stated floor: stops at 30.
    (
        {"current_dose": 100, "rate_percent": 10, "interval_days": 7, "floor": 30},
        [(0, 90), (7, 80), (14, 70), (21, 60), (28, 50), (35, 40), (42, 30)],
    ),
    # 25% of the current dose every 14 days from 40: exact 30, 22.5, 16.875, 12.66,
    # 9.49, 7.12, 5.34, 4.00, 3.00, 2.25 → 30, 25, 15, (15), 10, 5, (5), (5), (5), 0.
    (
        {"current_dose": 40, "rate_percent": 25, "interval_days": 14, "basis": "current"},
        [(0, 30), (14, 25), (28, 15), (56, 10), (70, 5), (126, 0)],
    ),
    # Acute use > 3 days and < 1 week: 50% for 2 days; 20 → 10, 5, (2.5 → 5), 1.25 → 0.
    (
        {"current_dose": 20, "rate_percent": 50, "interval_days": 2, "basis": "current"},
        [(0, 10), (2, 5), (6, 0)],
    ),
    # Practical increment 2.5 mg: 20 mg, 10% of original per week: 18 → 17.5, 16 → 15,
    # 14 → 15 (merged), 12 → 12.5, 10, 8 → 7.5, 6 → 5, 4 → 5 (merged), 2 → 2.5, 0.
    (
        {"current_dose": 20, "rate_percent": 10, "interval_days": 7, "increment": "2.5"},
        [(0, "17.5"), (7, 15), (21, "12.5"), (28, 10), (35, "7.5"), (42, 5), (56, "2.5"),
         (63, 0)],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "expected"), TAPERS)
def test_taper_schedule(kwargs: dict[str, object], expected: list[tuple[int, object]]) -> None:
    start = date(2025, 1, 6)
    steps = taper_schedule(start=start, **kwargs)  # type: ignore[arg-type]
    assert [(s.starts_on, s.dose) for s in steps] == [
        (start + timedelta(days=d), D(str(dose))) for d, dose in expected
    ]
    assert [s.number for s in steps] == list(range(1, len(expected) + 1))


def test_taper_step_fields() -> None:
    steps = taper_schedule(60, 10, 30, date(2025, 1, 1))
    assert steps[0].reduction == D(5)  # 60 → 55
    assert steps[2].reduction == D(10)  # 50 → 40
    assert steps[0].percent_of_original == D("91.7")  # 55 / 60
    assert steps[-1].dose == 0
    assert steps[-1].percent_of_original == 0


def test_taper_defaults_in_the_rules_file_give_rec_5_schedules() -> None:
    raw = json.loads(DATA.read_text())["taper"]["weeks_to_months"]
    steps = taper_schedule(
        100,
        raw["rate_percent"],
        raw["interval_days"],
        date(2025, 1, 6),
        switch_at_percent=raw["switch_at_percent_of_original"],
    )
    assert [s.dose for s in steps][:7] == [D(90), D(80), D(70), D(60), D(50), D(40), D(30)]


# (use, dose, the same schedule spelled out with the rules file's numbers) — Rec. 5.
DEFAULT_TAPERS = [
    ("long_term", 60, {"rate_percent": 10, "interval_days": 30}),
    ("weeks_to_months", 100, {"rate_percent": 10, "interval_days": 7, "switch_at_percent": 30}),
    ("weeks_to_months", 45, {"rate_percent": 10, "interval_days": 7, "switch_at_percent": 30}),
]


@pytest.mark.parametrize(("use", "dose", "spelled_out"), DEFAULT_TAPERS)
def test_default_taper_takes_its_numbers_from_the_rules(
    use: str, dose: int, spelled_out: dict[str, object]
) -> None:
    start = date(2025, 1, 6)
    expected = taper_schedule(dose, start=start, **spelled_out)  # type: ignore[arg-type]
    assert default_taper(dose, use, start) == expected  # type: ignore[arg-type]


def test_default_taper_follows_locally_changed_rules() -> None:
    rules = load_rules()
    slower = TaperDefault(rate_percent=D(5), interval_days=28, basis="current", note="slower")
    local = dataclasses.replace(
        rules,
        taper=dataclasses.replace(
            rules.taper, schedules={**rules.taper.schedules, "long_term": slower}
        ),
    )
    start = date(2025, 1, 6)
    steps = default_taper(60, "long_term", start, rules=local, floor=30)
    assert steps == taper_schedule(60, 5, 28, start, 30, basis="current")
    # 5% of the current dose every 28 days from 60: exact 57, 54.15, 51.44 → 55, (55), 50.
    assert [(s.starts_on, s.dose) for s in steps[:2]] == [
        (start, D(55)),
        (start + timedelta(days=56), D(50)),
    ]
    assert steps[-1].dose == 30


def test_default_taper_refuses_an_unknown_use() -> None:
    with pytest.raises(DoseError) as caught:
        default_taper(60, "overnight", date(2025, 1, 6))  # type: ignore[arg-type]
    assert caught.value.field == "use"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"current_dose": 0}, "current_dose"),
        ({"current_dose": -10}, "current_dose"),
        ({"rate_percent": 0}, "rate_percent"),
        ({"rate_percent": 150}, "rate_percent"),
        ({"interval_days": 0}, "interval_days"),
        ({"floor": 100}, "floor"),
        ({"floor": -5}, "floor"),
        ({"increment": 0}, "increment"),
    ],
)
def test_taper_errors(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"current_dose": 100, "rate_percent": 10, "interval_days": 7}
    args.update(kwargs)
    with pytest.raises(DoseError) as caught:
        taper_schedule(start=date(2025, 1, 6), **args)  # type: ignore[arg-type]
    assert caught.value.field == field
