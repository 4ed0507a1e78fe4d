"""The measurement schedule: the shipped file validates, and due/overdue at the boundaries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from waypoint.assessments import catalogue, schedule
from waypoint.assessments.schedule import (
    EpisodeDates,
    MeasurementPoint,
    ScheduleError,
    ServiceSchedule,
    add_months,
    due_items,
)

D = date


def point(**overrides: object) -> MeasurementPoint:
    values: dict[str, object] = {
        "code": "intake",
        "label": "Intake",
        "anchor": "referral",
        "offset_days": 0,
        "offset_months": 0,
        "every_days": None,
        "due_from_days": 0,
        "due_by_days": 14,
        "closes_after_days": 90,
        "instruments": ("phq9",),
    }
    values.update(overrides)
    return MeasurementPoint(**values)  # type: ignore[arg-type]


def plan(*points: MeasurementPoint) -> ServiceSchedule:
    return ServiceSchedule("adult-programme", False, points)


EPISODE = EpisodeDates(referral=D(2026, 3, 1), start=D(2026, 3, 10), end=None, open=True)


def test_shipped_schedule_names_only_catalogue_instruments() -> None:
    loaded = schedule.load(known_instruments=list(catalogue.load()))
    kinds = set(loaded.services)
    assert kinds == {
        "adult-programme",
        "paediatric-intensive",
        "neuroirritability",
        "interventional",
    }
    assert "ePPOC" in loaded.source


def test_paediatric_schedule_uses_child_and_parent_versions_and_school_days() -> None:
    paeds = schedule.load().for_kind("paediatric-intensive")
    assert paeds is not None and paeds.record_school_days_missed
    intake = next(p for p in paeds.points if p.code == "intake")
    assert {"fdi_child", "fdi_parent"} <= set(intake.instruments)
    adult = schedule.load().for_kind("adult-programme")
    assert adult is not None and not adult.record_school_days_missed
    codes = {p.code for p in adult.points}
    assert {"intake", "episode-start", "review", "discharge"} <= codes
    assert {"follow-up-3m", "follow-up-6m", "follow-up-12m"} <= codes


# (today, expected state) around an intake on 1 March: due from the day, due by +14
# inclusive, overdue to +90 inclusive, then missed.
@pytest.mark.parametrize(
    ("today", "state"),
    [
        (D(2026, 2, 28), "upcoming"),
        (D(2026, 3, 1), "due"),
        (D(2026, 3, 15), "due"),
        (D(2026, 3, 16), "overdue"),
        (D(2026, 5, 30), "overdue"),
        (D(2026, 5, 31), "missed"),
    ],
)
def test_intake_window_boundaries(today: date, state: str) -> None:
    [item] = due_items(plan(point()), EPISODE, set(), today)
    assert (item.point, item.instrument, item.state) == ("intake", "phq9", state)
    assert item.offered == (state in ("due", "overdue"))


def test_done_wins_over_every_window() -> None:
    for today in (D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2027, 1, 1)):
        [item] = due_items(plan(point()), EPISODE, {("intake", "phq9")}, today)
        assert item.state == "done"


def test_due_from_days_opens_the_window_early() -> None:
    start = point(code="episode-start", anchor="start", due_from_days=7)
    before = due_items(plan(start), EPISODE, set(), D(2026, 3, 2))
    opened = due_items(plan(start), EPISODE, set(), D(2026, 3, 3))
    assert (before[0].state, opened[0].state) == ("upcoming", "due")


# Follow-up 3, 6 and 12 calendar months after a discharge on 31 August (ePPOC points;
# the 31st falls on the last day of a shorter month).
@pytest.mark.parametrize(
    ("months", "expected"),
    [(3, D(2026, 11, 30)), (6, D(2027, 2, 28)), (12, D(2027, 8, 31))],
)
def test_follow_up_dates_after_discharge(months: int, expected: date) -> None:
    ended = EpisodeDates(D(2026, 1, 1), D(2026, 2, 1), D(2026, 8, 31), open=False)
    follow = point(code=f"follow-up-{months}m", anchor="end", offset_months=months)
    [item] = due_items(plan(follow), ended, set(), D(2026, 9, 1))
    assert item.on == expected


def test_no_end_date_means_no_discharge_or_follow_up() -> None:
    points = (
        point(code="discharge", anchor="end"),
        point(code="fu", anchor="end", offset_months=3),
    )
    assert due_items(plan(*points), EPISODE, set(), D(2026, 9, 1)) == []


def test_reviews_repeat_while_open_up_to_the_next_one() -> None:
    review = point(code="review", anchor="start", every_days=28, due_from_days=3, due_by_days=7)
    items = due_items(plan(review), EPISODE, set(), D(2026, 4, 20))
    # start 10 Mar: reviews on 7 Apr, 5 May (the next one to come), not 2 Jun.
    assert [(i.point, i.on) for i in items] == [
        ("review-1", D(2026, 4, 7)),
        ("review-2", D(2026, 5, 5)),
    ]
    assert [i.state for i in items] == ["overdue", "upcoming"]


def test_reviews_stop_at_discharge() -> None:
    review = point(code="review", anchor="start", every_days=28)
    ended = EpisodeDates(D(2026, 3, 1), D(2026, 3, 10), D(2026, 5, 5), open=False)
    items = due_items(plan(review), ended, set(), D(2026, 9, 1))
    assert [i.point for i in items] == ["review-1"]  # 5 May is the discharge itself


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 12, 1), 12, D(2027, 12, 1)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "schedules.json"
    path.write_text(json.dumps(data))
    return path


GOOD = {
    "source": {"citation": "test"},
    "services": {"x": {"points": [{**vars(point()), "instruments": ["phq9"]}]}},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("source"), "source.citation"),
        (lambda d: d["services"]["x"]["points"][0].update(anchor="moon"), "points[0].anchor"),
        (
            lambda d: d["services"]["x"]["points"][0].update(instruments=["nope"]),
            "not in the catalogue: nope",
        ),
        (lambda d: d["services"]["x"]["points"][0].update(due_by_days=-1), "due_by_days"),
        (
            lambda d: d["services"]["x"]["points"][0].update(closes_after_days=1),
            "closes_after_days",
        ),
        (lambda d: d["services"]["x"].update(points=[]), "services.x.points"),
    ],
)
def test_malformed_schedule_names_the_field(tmp_path: Path, change: object, message: str) -> None:
    data = json.loads(json.dumps(GOOD))
    good = schedule.load(_write(tmp_path, data), known_instruments=["phq9"])
    assert good.for_kind("x") is not None
    change(data)  # type: ignore[operator]
    with pytest.raises(ScheduleError, match=message.replace("[", r"\[").replace("]", r"\]")):
        schedule.load(_write(tmp_path, data), known_instruments=["phq9"])


def test_window_lengths_are_days_not_months() -> None:
    # due_by 14 days: the 15th day after the point is overdue, whatever the month length.
    feb = EpisodeDates(D(2026, 2, 20), None, None, open=True)
    [item] = due_items(plan(point()), feb, set(), D(2026, 2, 20) + timedelta(days=15))
    assert item.state == "overdue"


def test_a_later_occurrence_supersedes_an_unanswered_earlier_one() -> None:
    intake = point()
    start = point(code="episode-start", anchor="start", due_by_days=30, closes_after_days=60)
    # 12 March: intake (1 Mar) overdue but the start point (10 Mar) is open: ask once.
    items = due_items(plan(intake, start), EPISODE, set(), D(2026, 3, 12))
    assert [(i.point, i.state) for i in items] == [("intake", "missed"), ("episode-start", "due")]
    # Before the start point opens, the intake is still the one to answer.
    items = due_items(plan(intake, start), EPISODE, set(), D(2026, 3, 9))
    assert [(i.point, i.state) for i in items] == [("intake", "due"), ("episode-start", "upcoming")]
    # Done stays done.
    items = due_items(plan(intake, start), EPISODE, {("intake", "phq9")}, D(2026, 3, 12))
    assert [i.state for i in items] == ["done", "due"]
