"""Goal progress, stop rules and review timing at their boundaries (worked by hand)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from waypoint.careplans.progress import (
    Goal,
    NoGoalImprovedRule,
    Observation,
    PercentChangeRule,
    evaluate_no_goal_improved,
    evaluate_percent_change,
    evaluate_procedure,
    gas_progress,
    goal_progress,
    next_review,
)

START = date(2026, 1, 5)


def obs(*pairs: tuple[int, str]) -> list[Observation]:
    return [Observation(START + timedelta(days=d), D(v)) for d, v in pairs]


# walk 6 → 20 minutes (higher is better); pain 8 → 5 (lower is better)
GOALS = [
    (Goal(D(6), D(20), START + timedelta(days=42)), obs((7, "13")), "improving", D(50)),
    (Goal(D(6), D(20), START + timedelta(days=42)), obs((7, "20")), "achieved", D(100)),
    (Goal(D(6), D(20), START + timedelta(days=42)), obs((7, "25")), "achieved", D("135.7")),
    (Goal(D(6), D(20), START + timedelta(days=42)), obs((7, "6")), "no-change", D(0)),
    (Goal(D(6), D(20), START + timedelta(days=42)), obs((7, "4")), "worse", D("-14.3")),
    (Goal(D(8), D(5), START + timedelta(days=42)), obs((7, "6.5")), "improving", D(50)),
    (Goal(D(8), D(5), START + timedelta(days=42)), obs((7, "5")), "achieved", D(100)),
    (Goal(D(8), D(5), START + timedelta(days=42)), obs((7, "9")), "worse", D("-33.3")),
    (Goal(D(8), D(5), START + timedelta(days=42)), [], "no-data", None),
]


@pytest.mark.parametrize(("goal", "data", "status", "percent"), GOALS)
def test_goal_progress(goal: Goal, data: list[Observation], status: str, percent: D | None) -> None:
    result = goal_progress(goal, data, START + timedelta(days=10))
    assert (result.status, result.percent_of_way) == (status, percent)


def test_latest_observation_wins_and_future_ones_are_ignored() -> None:
    goal = Goal(D(6), D(20), START + timedelta(days=42))
    data = obs((3, "15"), (7, "9"), (30, "20"))
    assert goal_progress(goal, data, START + timedelta(days=10)).latest == data[1]


@pytest.mark.parametrize(("today_offset", "overdue"), [(42, False), (43, True)])
def test_overdue_only_after_the_due_day(today_offset: int, overdue: bool) -> None:
    goal = Goal(D(6), D(20), START + timedelta(days=42))
    assert (
        goal_progress(goal, obs((7, "13")), START + timedelta(days=today_offset)).overdue is overdue
    )
    assert goal_progress(goal, obs((7, "20")), START + timedelta(days=50)).overdue is False


@pytest.mark.parametrize(
    ("ratings", "status"),
    [
        ([(1, "-2")], "no-change"),
        ([(1, "-2"), (9, "-1")], "improving"),
        ([(1, "-1"), (9, "0")], "achieved"),
        ([(1, "-1"), (9, "2")], "achieved"),
        ([(1, "0"), (9, "-1")], "worse"),
        ([], "no-data"),
    ],
)
def test_gas(ratings: list[tuple[int, str]], status: str) -> None:
    assert (
        gas_progress(obs(*ratings), START + timedelta(days=60), START + timedelta(days=20)).status
        == status
    )


def test_gas_refuses_out_of_scale() -> None:
    with pytest.raises(ValueError, match="-2 to \\+2"):
        gas_progress(obs((1, "3")), START, START + timedelta(days=5))


PAIN = PercentChangeRule(percent=D(30), after_days=42)
# baseline 8 on day 0 → 30% fall is 5.6
PERCENT_CASES = [
    (41, [(0, "8"), (30, "8")], "not-yet"),
    (42, [(0, "8"), (40, "5.6")], "not-fired"),  # exactly 30%
    (42, [(0, "8"), (40, "5.7")], "fired"),  # 28.8%
    (60, [(0, "8"), (40, "5"), (55, "7")], "fired"),  # the latest counts
    (42, [(30, "5")], "no-data"),  # nothing before the start
    (42, [(0, "8")], "no-data"),  # nothing since
    (42, [(0, "0"), (40, "0")], "no-data"),
]


@pytest.mark.parametrize(("day", "data", "fired"), PERCENT_CASES)
def test_percent_change_stop_rule(day: int, data: list[tuple[int, str]], fired: str) -> None:
    result = evaluate_percent_change(PAIN, START, obs(*data), START + timedelta(days=day))
    assert result.fired == fired, result.reason


def test_percent_change_for_higher_is_better() -> None:
    walk = PercentChangeRule(percent=D(30), after_days=28, lower_is_better=False)
    assert (
        evaluate_percent_change(
            walk, START, obs((0, "10"), (28, "13")), START + timedelta(days=28)
        ).fired
        == "not-fired"
    )
    assert (
        evaluate_percent_change(
            walk, START, obs((0, "10"), (28, "12.9")), START + timedelta(days=28)
        ).fired
        == "fired"
    )


@pytest.mark.parametrize(
    ("history", "fired"),
    [
        ([False, False], "not-yet"),
        ([False, False, False], "fired"),
        ([True, False, False, False], "fired"),
        ([False, True, False], "not-fired"),
        ([False, False, True], "not-fired"),
    ],
)
def test_no_goal_improved_after_three_reviews(history: list[bool], fired: str) -> None:
    assert evaluate_no_goal_improved(NoGoalImprovedRule(3), history).fired == fired


@pytest.mark.parametrize(
    ("verdicts", "fired"),
    [
        ([], "no-data"),
        (["not-yet-known"], "no-data"),
        (["helped"], "not-fired"),
        (["helped", "did-not-help"], "fired"),
        (["did-not-help", "helped", "not-yet-known"], "not-fired"),
    ],
)
def test_procedure_stop_rule(verdicts: list[str], fired: str) -> None:
    assert evaluate_procedure(verdicts).fired == fired


@pytest.mark.parametrize(
    ("last", "set_for", "today", "due", "overdue"),
    [
        (None, None, date(2026, 1, 19), date(2026, 1, 19), False),
        (None, None, date(2026, 1, 20), date(2026, 1, 19), True),
        (date(2026, 1, 19), None, date(2026, 1, 20), date(2026, 2, 2), False),
        (date(2026, 1, 19), date(2026, 1, 26), date(2026, 1, 27), date(2026, 1, 26), True),
    ],
)
def test_next_review(
    last: date | None, set_for: date | None, today: date, due: date, overdue: bool
) -> None:
    result = next_review(START, last, 14, today, set_for)
    assert (result.due_on, result.overdue) == (due, overdue)
