"""Tests for ``waypoint.medications.facts``: age in completed years, as the scope (adults
from 18, CDC 2022) and the falls review (65, a Waypoint default) count it."""

from __future__ import annotations

from datetime import date

import pytest

from waypoint.medications.facts import PatientFacts, age_on


@pytest.mark.parametrize(
    ("birth_date", "today", "age"),
    [
        (date(2007, 6, 15), date(2025, 6, 14), 17),  # the day before the 18th birthday
        (date(2007, 6, 15), date(2025, 6, 15), 18),  # a birthday counts on the day itself
        (date(1960, 1, 1), date(2025, 12, 31), 65),
        (date(2004, 2, 29), date(2025, 2, 28), 20),  # born on 29 February
        (date(2004, 2, 29), date(2025, 3, 1), 21),
    ],
)
def test_age_on(birth_date: date, today: date, age: int) -> None:
    assert age_on(birth_date, today) == age


def test_facts_default_to_nothing_known() -> None:
    facts = PatientFacts()
    assert facts.birth_date is None
    assert facts.conditions == frozenset()
    assert facts.stop_bang_score is None
    assert not (facts.history_of_overdose or facts.substance_use_disorder)
