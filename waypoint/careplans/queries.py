"""Read paths: a plan with its goals' progress, stop rules and review timing; the team's
due and overdue reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from waypoint.core.access import Principal, Role
from waypoint.medications.queries import procedures_with_effect
from waypoint.patients.queries import visible_patients

from . import measures, progress
from .choices import InterventionStatus, MeasureKind, PlanStatus, StopRuleKind
from .models import CarePlan, Goal, Intervention, Problem


def goal_progress_of(goal: Goal, today: date) -> progress.Progress:
    data = measures.observations(goal)
    if goal.measure == MeasureKind.GAS:
        return progress.gas_progress(data, goal.due_on, today)
    assert goal.baseline is not None and goal.target is not None  # enforced at entry
    return progress.goal_progress(
        progress.Goal(goal.baseline, goal.target, goal.due_on), data, today
    )


def improved_at_reviews(plan: CarePlan) -> list[bool]:
    """Per review, oldest first: whether any goal was improving or achieved."""
    result = []
    for review in plan.reviews.order_by("held_on", "pk").prefetch_related("goal_reviews"):
        result.append(any(g.status in ("improving", "achieved") for g in review.goal_reviews.all()))
    return result


def stop_rule_result(item: Intervention, today: date) -> progress.StopRuleResult | None:
    if item.stop_rule == StopRuleKind.PERCENT_CHANGE and item.stop_goal is not None:
        assert item.stop_percent is not None and item.stop_after_days is not None
        goal = item.stop_goal
        lower = (
            goal.target is not None and goal.baseline is not None and goal.target < goal.baseline
        )
        rule = progress.PercentChangeRule(
            item.stop_percent, item.stop_after_days, lower_is_better=lower
        )
        return progress.evaluate_percent_change(
            rule, item.starts_on, measures.observations(goal), today
        )
    if item.stop_rule == StopRuleKind.NO_GOAL_IMPROVED and item.stop_after_reviews:
        rule2 = progress.NoGoalImprovedRule(item.stop_after_reviews)
        return progress.evaluate_no_goal_improved(rule2, improved_at_reviews(item.plan))
    if item.stop_rule == StopRuleKind.PROCEDURE:
        verdicts = [
            effect.verdict for _, effect in reversed(procedures_with_effect(item.plan.patient))
        ]
        return progress.evaluate_procedure(verdicts)
    return None


@dataclass(frozen=True)
class PlanView:
    plan: CarePlan
    goals: list[tuple[Goal, progress.Progress]]
    interventions: list[tuple[Intervention, progress.StopRuleResult | None]]
    review_due: progress.ReviewDue


def plan_view(plan: CarePlan, today: date | None = None) -> PlanView:
    today = today or timezone.localdate()
    goals = [(g, goal_progress_of(g, today)) for g in plan.goals.exclude(status="entered-in-error")]
    items = [
        (i, stop_rule_result(i, today))
        for i in plan.interventions.filter(status=InterventionStatus.ACTIVE).select_related(
            "owner__user", "stop_goal"
        )
    ]
    last = plan.reviews.first()
    due = progress.next_review(
        plan.starts_on,
        last.held_on if last else None,
        plan.review_interval_days,
        today,
        last.next_review_on if last else None,
    )
    return PlanView(plan, goals, items, due)


@dataclass(frozen=True)
class Change:
    when: Any
    who: str
    what: str
    detail: str


def plan_history(plan: CarePlan, limit: int = 200) -> list[Change]:
    """Every change to the plan, its problems, goals and interventions, newest first."""
    sources = [
        ("Plan", plan.history.all(), lambda h: ""),
        ("Problem", Problem.history.filter(plan_id=plan.pk), lambda h: h.description),
        ("Goal", Goal.history.filter(plan_id=plan.pk), lambda h: h.statement),
        ("Intervention", Intervention.history.filter(plan_id=plan.pk), lambda h: h.description),
    ]
    changes: list[Change] = []
    for label, records, describe in sources:
        for record in records.select_related("history_user")[:limit]:
            verb = {"+": "added", "~": "changed", "-": "removed"}[record.history_type]
            detail = describe(record)
            previous = record.prev_record
            if record.history_type == "~" and previous is not None:
                delta = record.diff_against(previous, excluded_fields=["version", "updated_at"])
                fields = ", ".join(f"{c.field}: {c.old} → {c.new}" for c in delta.changes)
                detail = f"{detail} ({fields})" if detail and fields else detail or fields
            user = record.history_user
            who = (user.get_full_name() or user.get_username()) if user else "system"
            changes.append(Change(record.history_date, who, f"{label} {verb}", detail[:300]))
    return sorted(changes, key=lambda c: c.when, reverse=True)[:limit]


def plans_for_team(principal: Principal) -> QuerySet[CarePlan]:
    """Active plans of patients the user may see; for staff, those whose care team they are on."""
    plans = CarePlan.objects.filter(
        status=PlanStatus.ACTIVE, patient__in=visible_patients(principal)
    )
    if principal.role != Role.CLINIC_LEAD and principal.user_id is not None:
        plans = plans.filter(
            episode__care_team__staff__user_id=principal.user_id,
            episode__care_team__end__isnull=True,
        )
    return (
        plans.select_related("patient", "episode__service").prefetch_related("reviews").distinct()
    )


def due_reviews(
    principal: Principal, today: date | None = None, within_days: int = 7
) -> list[tuple[CarePlan, progress.ReviewDue]]:
    """Plans whose review is overdue or due within ``within_days``, most overdue first."""
    today = today or timezone.localdate()
    rows = []
    for plan in plans_for_team(principal):
        reviews = sorted(plan.reviews.all(), key=lambda r: (r.held_on, r.pk))
        last = reviews[-1] if reviews else None
        due = progress.next_review(
            plan.starts_on,
            last.held_on if last else None,
            plan.review_interval_days,
            today,
            last.next_review_on if last else None,
        )
        if due.days <= within_days:
            rows.append((plan, due))
    return sorted(rows, key=lambda row: row[1].due_on)
