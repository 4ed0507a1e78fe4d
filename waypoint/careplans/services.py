"""Operations on care plans, reviews and notes: keyword-only, one transaction, access
checked, audit written; plan edits claim the plan's version (409 when stale)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput
from waypoint.core.models import StaffProfile
from waypoint.patients.models import EpisodeOfCare
from waypoint.patients.services import require_edit

from . import measures
from .access import can_edit_note, can_edit_plan
from .choices import Decision, InterventionStatus, MeasureKind, PlanStatus, StopRuleKind
from .models import (
    Addendum,
    CarePlan,
    ClinicalNote,
    Goal,
    GoalReview,
    Intervention,
    InterventionDecision,
    Problem,
    Review,
)
from .queries import goal_progress_of, stop_rule_result

NOTE_FIELDS = ("kind", "subjective", "objective", "assessment", "plan")
STALE_PLAN = (
    "Someone else changed this care plan after you opened it. Nothing was saved: "
    "reload the plan, then make your change again."
)


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc


def _save(instance: models.Model, actor: Actor, **kwargs: Any) -> None:
    # Token-authenticated API calls have no session user for simple-history to find.
    audit.mark_history_user(instance, actor)
    instance.save(**kwargs)


def _log(actor: Actor, action: str, plan_or_patient: Any, target: Any, detail: str = "") -> None:
    patient = getattr(plan_or_patient, "patient", plan_or_patient)
    audit.log(actor, action, patient_ref=patient.external_id, target=target, detail=detail)


def care_team_user_ids(episode: EpisodeOfCare) -> frozenset[int]:
    return frozenset(
        episode.care_team.filter(end__isnull=True).values_list("staff__user_id", flat=True)
    )


def require_plan_edit(actor: Actor, plan: CarePlan) -> None:
    require_edit(actor, plan.patient)
    if not can_edit_plan(actor.principal, care_team_user_ids(plan.episode)):
        raise Forbidden("Only the patient's care team (or the clinic lead) can change this plan.")


@contextmanager
def _claim(actor: Actor, plan: CarePlan, expected_version: int) -> Iterator[None]:
    """Claim the plan's version for this change, or refuse (409, audited)."""
    try:
        with transaction.atomic():
            claimed = CarePlan.objects.filter(pk=plan.pk, version=expected_version).update(
                version=expected_version + 1, updated_at=timezone.now()
            )
            if not claimed:
                raise Conflict(STALE_PLAN)
            plan.version = expected_version + 1
            yield
    except Conflict:
        _log(actor, AuditAction.CONFLICT, plan, plan, f"stale plan version {expected_version}")
        raise


def create_plan(
    *,
    actor: Actor,
    episode: EpisodeOfCare,
    starts_on: date,
    review_interval_days: int,
    summary: str = "",
    patient_summary: str = "",
) -> CarePlan:
    require_edit(actor, episode.patient)
    if not can_edit_plan(actor.principal, care_team_user_ids(episode)):
        raise Forbidden("Only the patient's care team (or the clinic lead) can write the plan.")
    if hasattr(episode, "care_plan"):
        raise InvalidInput({"episode": ["This episode already has a care plan."]})
    if episode.start and starts_on < episode.start:
        raise InvalidInput({"starts_on": ["The plan cannot start before the episode."]})
    plan = CarePlan(
        episode=episode,
        patient=episode.patient,
        starts_on=starts_on,
        created_by=actor.user,
        review_interval_days=review_interval_days,
        summary=summary,
        patient_summary=patient_summary,
    )
    _validate(plan)
    with transaction.atomic():
        _save(plan, actor)
        _log(actor, AuditAction.CREATE, plan, plan)
    return plan


def update_plan(
    *, actor: Actor, plan: CarePlan, expected_version: int, fields: Mapping[str, Any]
) -> CarePlan:
    require_plan_edit(actor, plan)
    allowed = {"summary", "patient_summary", "review_interval_days", "status"}
    for name, value in fields.items():
        if name not in allowed:
            raise InvalidInput({name: ["This field cannot be set here."]})
        setattr(plan, name, value)
    _validate(plan)
    with _claim(actor, plan, expected_version):
        _save(plan, actor)
        _log(actor, AuditAction.UPDATE, plan, plan, "changed: " + ", ".join(sorted(fields)))
    return plan


def add_problem(
    *, actor: Actor, plan: CarePlan, expected_version: int, category: str, description: str
) -> Problem:
    require_plan_edit(actor, plan)
    problem = Problem(plan=plan, category=category, description=description.strip())
    _validate(problem)
    with _claim(actor, plan, expected_version):
        _save(problem, actor)
        _log(actor, AuditAction.CREATE, plan, problem, description[:100])
    return problem


def add_goal(
    *, actor: Actor, plan: CarePlan, expected_version: int, fields: Mapping[str, Any]
) -> Goal:
    require_plan_edit(actor, plan)
    goal = Goal(plan=plan, **fields)
    errors: dict[str, list[str]] = {}
    if goal.measure == MeasureKind.GAS:
        goal.baseline, goal.target = Decimal(-1), Decimal(0)  # GAS: the goal is the 0 level
    else:
        if goal.baseline is None:
            errors["baseline"] = ["Give the baseline value (where the patient is now)."]
        if goal.target is None:
            errors["target"] = ["A goal needs a measurable target."]
        elif goal.baseline is not None and goal.target == goal.baseline:
            errors["target"] = ["The target must differ from the baseline."]
        choices = measures.measure_choices().get(goal.measure)
        if choices is not None and goal.measure_code not in {code for code, _ in choices}:
            errors["measure_code"] = ["Choose what is measured from the list."]
    if goal.due_on and goal.due_on <= plan.starts_on:
        errors["due_on"] = ["The due date must come after the plan starts."]
    if errors:
        raise InvalidInput(errors)
    _validate(goal)
    with _claim(actor, plan, expected_version):
        _save(goal, actor)
        _log(actor, AuditAction.CREATE, plan, goal, goal.statement[:100])
    return goal


def add_intervention(
    *, actor: Actor, plan: CarePlan, expected_version: int, fields: Mapping[str, Any]
) -> Intervention:
    require_plan_edit(actor, plan)
    item = Intervention(plan=plan, **fields)
    errors: dict[str, list[str]] = {}
    owner: StaffProfile | None = fields.get("owner")
    if owner is None:
        errors["owner"] = ["Every intervention needs an owner."]
    elif not owner.services.filter(pk=plan.episode.service_id).exists():
        errors["owner"] = [f"{owner} does not work in {plan.episode.service}."]
    if item.starts_on and item.starts_on < plan.starts_on:
        errors["starts_on"] = ["An intervention cannot start before the plan."]
    if item.review_on and item.starts_on and item.review_on <= item.starts_on:
        errors["review_on"] = ["The review date must come after the start."]
    errors.update(_stop_rule_errors(item, plan))
    if errors:
        raise InvalidInput(errors)
    _validate(item)
    with _claim(actor, plan, expected_version):
        _save(item, actor)
        _log(actor, AuditAction.CREATE, plan, item, str(item)[:100])
    return item


def _stop_rule_errors(item: Intervention, plan: CarePlan) -> dict[str, list[str]]:
    rule = item.stop_rule
    if rule == StopRuleKind.PERCENT_CHANGE:
        errors = {}
        if item.stop_goal is None or item.stop_goal.plan_id != plan.pk:
            errors["stop_goal"] = ["Choose the goal whose measure the rule watches."]
        elif item.stop_goal.measure == MeasureKind.GAS:
            errors["stop_goal"] = ["A percentage change needs a numeric measure, not GAS."]
        if item.stop_percent is None or not 0 < item.stop_percent <= 100:
            errors["stop_percent"] = ["Give the change required, 1 to 100%."]
        if not item.stop_after_days:
            errors["stop_after_days"] = ["Give the number of days after which the rule is judged."]
        return errors
    if rule == StopRuleKind.NO_GOAL_IMPROVED and not item.stop_after_reviews:
        return {"stop_after_reviews": ["Give the number of reviews."]}
    if rule == StopRuleKind.PROCEDURE and item.kind != "procedure":
        return {"stop_rule": ["This rule is for interventional procedures."]}
    return {}


@dataclass(frozen=True)
class DecisionInput:
    intervention: Intervention
    decision: str
    reason: str


def record_review(
    *,
    actor: Actor,
    plan: CarePlan,
    expected_version: int,
    held_on: date,
    summary: str,
    next_review_on: date,
    decisions: list[DecisionInput],
    gas_ratings: Mapping[int, int] | None = None,
) -> Review:
    """Progress per goal (computed), stop rules (evaluated), a decision per intervention."""
    require_plan_edit(actor, plan)
    errors: dict[str, list[str]] = {}
    if held_on < plan.starts_on:
        errors["held_on"] = ["A review cannot come before the plan starts."]
    if held_on > timezone.localdate():
        errors["held_on"] = ["Record a review once it has been held."]
    if next_review_on <= held_on:
        errors["next_review_on"] = ["The next review must come after this one."]
    active = {i.pk for i in plan.interventions.filter(status=InterventionStatus.ACTIVE)}
    decided = {d.intervention.pk for d in decisions}
    if active - decided:
        errors["decisions"] = ["Decide on every active intervention (continue, change or stop)."]
    for d in decisions:
        if d.decision not in Decision.values:
            errors[f"decision-{d.intervention.pk}"] = ["Choose continue, change or stop."]
        elif d.decision != Decision.CONTINUE and not d.reason.strip():
            errors[f"reason-{d.intervention.pk}"] = [
                f"Give a reason to {d.decision} “{d.intervention.description}”."
            ]
    for goal_pk, rating in (gas_ratings or {}).items():
        if rating not in (-2, -1, 0, 1, 2):
            errors[f"gas-{goal_pk}"] = ["A GAS rating is −2 to +2."]
    if errors:
        raise InvalidInput(errors)
    with _claim(actor, plan, expected_version):
        review = Review.objects.create(
            plan=plan,
            held_on=held_on,
            summary=summary.strip(),
            next_review_on=next_review_on,
            recorded_by=actor.user,
        )
        for goal in plan.goals.filter(status="active"):
            given = (gas_ratings or {}).get(goal.pk)
            if given is not None:
                # Saved first, so that the GAS progress below counts today's rating.
                GoalReview.objects.create(
                    review=review, goal=goal, status="pending", detail="", gas_rating=given
                )
            progress = goal_progress_of(goal, held_on)
            GoalReview.objects.update_or_create(
                review=review,
                goal=goal,
                defaults={
                    "status": progress.status,
                    "detail": progress.message[:300],
                    "gas_rating": given,
                },
            )
            if progress.status == "achieved":
                goal.status = "achieved"
                _save(goal, actor, update_fields=["status"])
        for d in decisions:
            result = stop_rule_result(d.intervention, held_on)
            InterventionDecision.objects.create(
                review=review,
                intervention=d.intervention,
                decision=d.decision,
                reason=d.reason.strip()[:300],
                stop_rule_result=result.fired if result else "",
                stop_rule_detail=result.reason[:300] if result else "",
            )
            if d.decision == Decision.STOP:
                d.intervention.status = InterventionStatus.STOPPED
                _save(d.intervention, actor, update_fields=["status"])
        _log(actor, AuditAction.CREATE, plan, review, f"review of {held_on}")
    return review


def write_note(
    *,
    actor: Actor,
    patient: Any,
    fields: Mapping[str, str],
    sign: bool = False,
    episode: EpisodeOfCare | None = None,
) -> ClinicalNote:
    require_edit(actor, patient)
    note = ClinicalNote(
        patient=patient,
        episode=episode,
        author=actor.user,
        **{k: fields.get(k, "") for k in NOTE_FIELDS},
    )
    if not any(fields.get(k, "").strip() for k in NOTE_FIELDS[1:]):
        raise InvalidInput({"subjective": ["Write at least one part of the note."]})
    _validate(note)
    with transaction.atomic():
        note.signed_at = timezone.now() if sign else None
        _save(note, actor)
        _log(actor, AuditAction.CREATE, patient, note, "signed" if sign else "draft")
    return note


def edit_note(
    *,
    actor: Actor,
    note: ClinicalNote,
    expected_version: int,
    fields: Mapping[str, str],
    sign: bool = False,
) -> ClinicalNote:
    require_edit(actor, note.patient)
    if note.signed_at is not None:
        raise Forbidden("A signed note cannot be changed: add an addendum instead.")
    if not can_edit_note(actor.principal, note.author_id, False):
        raise Forbidden("Only the author can change a draft note.")
    with transaction.atomic():
        claimed = ClinicalNote.objects.filter(
            pk=note.pk, version=expected_version, signed_at__isnull=True
        ).update(version=expected_version + 1)
        if not claimed:
            raise Conflict("This note was changed or signed after you opened it. Reload it.")
        for name in NOTE_FIELDS:
            if name in fields:
                setattr(note, name, fields[name])
        note.version = expected_version + 1
        note.signed_at = timezone.now() if sign else None
        _validate(note)
        _save(note, actor)
        _log(actor, AuditAction.UPDATE, note.patient, note, "signed" if sign else "draft saved")
    return note


def add_addendum(*, actor: Actor, note: ClinicalNote, text: str) -> Addendum:
    require_edit(actor, note.patient)
    if note.signed_at is None:
        raise InvalidInput({"text": ["Edit the draft instead: addenda are for signed notes."]})
    if not text.strip():
        raise InvalidInput({"text": ["Write the addendum."]})
    with transaction.atomic():
        addendum = Addendum.objects.create(note=note, text=text.strip(), author=actor.user)
        _log(actor, AuditAction.CREATE, note.patient, addendum)
    return addendum


def plan_is_active(plan: CarePlan) -> bool:
    return plan.status == PlanStatus.ACTIVE
