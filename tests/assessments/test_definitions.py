"""Definitions: ranges computed from the items and the scoring rule, subscale values and
safety rules, worked by hand from the published scoring of each instrument."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from tests.assessments.answer_sets import CATALOGUE
from waypoint.assessments.definitions import raw_range, total_items, total_range

D = Decimal


# (instrument, lowest and highest total). PHQ-9 9 items 0-3 (Kroenke 2001); PEG mean of
# 0-10 items (Krebs 2009); ORT weights sum to 26 for either sex (Webster 2005); DASS-21
# has no total (Lovibond 1995); PROMIS PI 4a 4 items 1-5; TSK-17 17 items 1-4.
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("phq9", (D(0), D(27))),
        ("peg", (D(0), D(10))),
        ("ort", (D(0), D(26))),
        ("dass21", None),
        ("promis_pi_4a_v1_0", (D(4), D(20))),
        ("tsk17", (D(17), D(68))),
    ],
)
def test_total_range(code: str, expected: tuple[Decimal, Decimal] | None) -> None:
    assert total_range(CATALOGUE[code]) == expected


def test_total_items_are_the_listed_items_or_all() -> None:
    phq9, gad7 = CATALOGUE["phq9"], CATALOGUE["gad7"]
    assert len(total_items(phq9)) == 9 and len(phq9.items) == 10  # difficulty item unscored
    assert total_items(gad7) == gad7.item_codes


def test_subscale_value_from_its_sum() -> None:
    # DASS-21 (Lovibond 1995): seven items 0-3, scale = sum x 2.
    dass21 = CATALOGUE["dass21"]
    depression = dass21.subscales[0]
    assert raw_range(dass21, depression.items) == (D(0), D(21))
    assert depression.from_sum(D(21)) == 42
    assert dataclasses.replace(depression, method="mean").from_sum(D(14)) == 2


@pytest.mark.parametrize(
    ("op", "value", "answers", "triggered"),
    [
        (">", D(0), [0, 1, 3], [False, True, True]),  # PHQ-9 item 9 as shipped
        (">=", D(2), [1, 2, 3], [False, True, True]),
        ("==", D(1), [0, 1, 2], [False, True, False]),
    ],
)
def test_safety_rule_comparisons(
    op: str, value: Decimal, answers: list[int], triggered: list[bool]
) -> None:
    (rule,) = CATALOGUE["phq9"].safety_items
    rule = dataclasses.replace(rule, op=op, value=value)
    assert [rule.triggered_by(D(answer)) for answer in answers] == triggered


def test_item_lookup_and_score_range() -> None:
    start_back = CATALOGUE["start_back"]
    # STarT Back item 9 scores 1 only for "very much" or "extremely" (Hill 2008).
    assert start_back.item("sbt9").score_range() == (D(0), D(1))
    with pytest.raises(KeyError):
        start_back.item("sbt10")
