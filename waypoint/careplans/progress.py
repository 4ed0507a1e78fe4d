"""Goal progress, stop rules and review timing, over recorded data. No Django imports.

DESIGN.md names this module as an entry point: plain values and dates in, dataclasses
out. Progress is computed from what was recorded (scores, tests, procedures, GAS
ratings), never typed twice.

Sources for the rules encoded here:
- Goal Attainment Scaling: -2 much less than expected, -1 less, 0 the expected outcome
  (the goal), +1 more, +2 much more than expected (Kiresuk & Sherman 1968; Turner-Stokes
  2009, Clin Rehabil 23:362).
- "Meaningful change" of 30% in pain or function (IMMPACT; CDC 2022 Rec. 7) — the
  default of percent-change stop rules, which a plan can set otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

Status = Literal["achieved", "improving", "no-change", "worse", "no-data"]
Fired = Literal["fired", "not-fired", "not-yet", "no-data"]
GAS_TARGET = Decimal(0)


@dataclass(frozen=True)
class Observation:
    day: date
    value: Decimal


@dataclass(frozen=True)
class Goal:
    """A measurable goal: from ``baseline`` to ``target`` by ``due``.

    The direction comes from the numbers: a target below the baseline means lower is
    better (pain), above means higher is better (walking distance).
    """

    baseline: Decimal
    target: Decimal
    due: date

    @property
    def lower_is_better(self) -> bool:
        return self.target < self.baseline


@dataclass(frozen=True)
class Progress:
    status: Status
    latest: Observation | None
    percent_of_way: Decimal | None  # 0 at baseline, 100 at target (may exceed 100)
    overdue: bool  # due date passed and target not reached
    message: str


def goal_progress(goal: Goal, observations: Sequence[Observation], today: date) -> Progress:
    """How far the latest observation has moved from baseline toward target."""
    relevant = sorted((o for o in observations if o.day <= today), key=lambda o: o.day)
    if not relevant:
        return Progress("no-data", None, None, today > goal.due, "Nothing recorded yet.")
    latest = relevant[-1]
    span = goal.target - goal.baseline
    moved = latest.value - goal.baseline
    percent = (moved / span * 100).quantize(Decimal("0.1")) if span else Decimal(100)
    reached = latest.value <= goal.target if goal.lower_is_better else latest.value >= goal.target
    if reached:
        status: Status = "achieved"
    elif percent > 0:
        status = "improving"
    elif percent == 0:
        status = "no-change"
    else:
        status = "worse"
    overdue = today > goal.due and not reached
    message = (
        f"{_num(latest.value)} on {latest.day:%d %b %Y}: {_num(percent)}% of the way "
        f"from {_num(goal.baseline)} to {_num(goal.target)}"
    )
    return Progress(
        status, latest, percent, overdue, message + (" (due date passed)" if overdue else "")
    )


def gas_progress(ratings: Sequence[Observation], due: date, today: date) -> Progress:
    """Goal Attainment Scaling: the goal is met at 0 (the expected outcome) or above."""
    relevant = sorted((o for o in ratings if o.day <= today), key=lambda o: o.day)
    for rating in relevant:
        if rating.value not in (-2, -1, 0, 1, 2):
            raise ValueError(f"GAS ratings are -2 to +2, got {rating.value}")
    if not relevant:
        return Progress("no-data", None, None, today > due, "Not rated yet.")
    latest = relevant[-1]
    first = relevant[0].value
    if latest.value >= GAS_TARGET:
        status: Status = "achieved"
    elif latest.value > first:
        status = "improving"
    elif latest.value == first:
        status = "no-change"
    else:
        status = "worse"
    overdue = today > due and latest.value < GAS_TARGET
    return Progress(
        status, latest, None, overdue, f"GAS {int(latest.value):+d} on {latest.day:%d %b %Y}"
    )


@dataclass(frozen=True)
class PercentChangeRule:
    """Stop if the measure has not improved by ``percent`` within ``after_days`` of start.

    e.g. "stop if average pain has not fallen 30% after 6 weeks": percent=30,
    after_days=42, lower_is_better=True.
    """

    percent: Decimal
    after_days: int
    lower_is_better: bool = True


@dataclass(frozen=True)
class NoGoalImprovedRule:
    """Stop if no goal has improved at the last ``reviews`` reviews."""

    reviews: int = 3


@dataclass(frozen=True)
class ProcedureRule:
    """Stop (do not repeat) if the last procedure did not help."""


StopRule = PercentChangeRule | NoGoalImprovedRule | ProcedureRule


@dataclass(frozen=True)
class StopRuleResult:
    fired: Fired
    reason: str


def evaluate_percent_change(
    rule: PercentChangeRule, started: date, observations: Sequence[Observation], today: date
) -> StopRuleResult:
    """Baseline is the last value on or before ``started``; judged from start + after_days."""
    check_from = started + timedelta(days=rule.after_days)
    if today < check_from:
        return StopRuleResult(
            "not-yet", f"Judged from {check_from:%d %b %Y} ({rule.after_days} days after start)."
        )
    ordered = sorted(observations, key=lambda o: o.day)
    before = [o for o in ordered if o.day <= started]
    after = [o for o in ordered if started < o.day <= today]
    if not before or not after:
        return StopRuleResult(
            "no-data", "Needs a value before the start and one since: record the measure."
        )
    baseline, latest = before[-1].value, after[-1].value
    if baseline == 0:
        return StopRuleResult(
            "no-data", "The baseline is 0: a percentage change cannot be computed."
        )
    change = (
        (baseline - latest) / baseline * 100
        if rule.lower_is_better
        else (latest - baseline) / baseline * 100
    )
    change = change.quantize(Decimal("0.1"))
    word = "fallen" if rule.lower_is_better else "risen"
    if change >= rule.percent:
        return StopRuleResult(
            "not-fired",
            f"Has {word} {_num(change)}% ({_num(baseline)} → {_num(latest)}), "
            f"at least {_num(rule.percent)}%.",
        )
    return StopRuleResult(
        "fired",
        f"Has {word} only {_num(change)}% ({_num(baseline)} → {_num(latest)}) after "
        f"{(today - started).days} days; the rule asks {_num(rule.percent)}% "
        f"after {rule.after_days}.",
    )


def evaluate_no_goal_improved(
    rule: NoGoalImprovedRule, improved_at_reviews: Sequence[bool]
) -> StopRuleResult:
    """``improved_at_reviews``: per review, oldest first, whether any goal improved."""
    if len(improved_at_reviews) < rule.reviews:
        return StopRuleResult(
            "not-yet", f"{len(improved_at_reviews)} of {rule.reviews} reviews held."
        )
    recent = improved_at_reviews[-rule.reviews :]
    if any(recent):
        return StopRuleResult(
            "not-fired", f"A goal improved within the last {rule.reviews} reviews."
        )
    return StopRuleResult("fired", f"No goal improved at the last {rule.reviews} reviews.")


def evaluate_procedure(verdicts: Sequence[str]) -> StopRuleResult:
    """``verdicts``: the procedure effects, oldest first ("helped", "did-not-help", …)."""
    known = [v for v in verdicts if v in ("helped", "did-not-help")]
    if not known:
        return StopRuleResult("no-data", "No procedure with a follow-up yet.")
    if known[-1] == "did-not-help":
        return StopRuleResult("fired", "The last procedure did not help.")
    return StopRuleResult("not-fired", "The last procedure helped.")


@dataclass(frozen=True)
class ReviewDue:
    due_on: date
    overdue: bool
    days: int  # days until due (negative when overdue)


def next_review(
    plan_start: date,
    last_review: date | None,
    interval_days: int,
    today: date,
    set_for: date | None = None,
) -> ReviewDue:
    """When the next review is due: the date a review set, else last (or start) + interval."""
    if interval_days <= 0:
        raise ValueError("interval_days must be positive")
    due = set_for or (last_review or plan_start) + timedelta(days=interval_days)
    return ReviewDue(due, today > due, (due - today).days)


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text
