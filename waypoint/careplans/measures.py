"""Where a goal's numbers come from: the records other apps keep, read here once.

Progress is computed from data already recorded (issue #5: "not typed twice"):
questionnaire totals (or a subscale, or a PROMIS T-score), performance tests, the opioid
MME trend, and GAS ratings given at reviews.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from waypoint.assessments.catalogue import load as load_catalogue
from waypoint.assessments.models import PerformanceTest, QuestionnaireResponse
from waypoint.assessments.performance import load as load_tests
from waypoint.medications.queries import mme_trend

from .choices import MeasureKind
from .models import Goal, GoalReview
from .progress import Observation

T_SCORE = "t_score"


def observations(goal: Goal) -> list[Observation]:
    patient = goal.plan.patient
    if goal.measure == MeasureKind.INSTRUMENT:
        responses = QuestionnaireResponse.objects.filter(
            patient=patient,
            instrument=goal.measure_code,
            status="completed",
            completed_at__isnull=False,
        ).order_by("completed_at")
        found = []
        for r in responses:
            value = _value(r, goal.measure_part)
            if value is not None:
                found.append(Observation(timezone.localdate(r.completed_at), value))
        return found
    if goal.measure == MeasureKind.PERFORMANCE:
        tests = (
            PerformanceTest.objects.filter(patient=patient, test=goal.measure_code)
            .exclude(status="entered-in-error")
            .order_by("measured_on")
        )
        return [Observation(t.measured_on, t.value) for t in tests]
    if goal.measure == MeasureKind.MME:
        return [Observation(p.day, p.total) for p in mme_trend(patient)]
    ratings = GoalReview.objects.filter(goal=goal, gas_rating__isnull=False).select_related(
        "review"
    )
    return [
        Observation(g.review.held_on, Decimal(g.gas_rating))
        for g in ratings.order_by("review__held_on")
        if g.gas_rating is not None
    ]


def _value(response: QuestionnaireResponse, part: str) -> Decimal | None:
    if part == T_SCORE:
        return response.t_score
    if part:
        raw = (response.subscales or {}).get(part)
        return Decimal(str(raw)) if raw is not None else None
    return response.total


def measure_choices() -> dict[str, list[tuple[str, str]]]:
    """What each measure kind can point at, for forms and validation."""
    instruments = sorted((code, inst.name) for code, inst in load_catalogue().items())
    tests = sorted((code, kind.name) for code, kind in load_tests().items())
    return {MeasureKind.INSTRUMENT: instruments, MeasureKind.PERFORMANCE: tests}
