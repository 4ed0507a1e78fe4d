"""/api/v1 routes for care plans and clinical notes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from waypoint.core.audit import actor_from_request
from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.models import StaffProfile
from waypoint.core.schemas import ERRORS, InputSchema, limit_field, offset_field
from waypoint.patients.queries import get_visible_patient

from . import queries, services
from .meetings import can_run_meetings
from .models import CarePlan, Goal, TeamMeeting
from .schemas import (
    CarePlanOut,
    GoalIn,
    GoalOut,
    InterventionIn,
    MeetingOut,
    NoteIn,
    NoteOut,
    ReviewOut,
)

router = Router(tags=["care plans"])


def _plan_out(plan: CarePlan) -> dict[str, Any]:
    view = queries.plan_view(plan)
    return {
        "id": plan.external_id,
        "episode": plan.episode.external_id,
        "status": plan.status,
        "starts_on": plan.starts_on,
        "review_interval_days": plan.review_interval_days,
        "next_review_on": view.review_due.due_on,
        "review_overdue": view.review_due.overdue,
        "summary": plan.summary,
        "patient_summary": plan.patient_summary,
        "version": plan.version,
        "goals": [_goal_out(g, p) for g, p in view.goals],
        "interventions": [
            {
                "id": i.external_id,
                "kind": i.kind,
                "description": i.description,
                "owner": i.owner.display_name,
                "frequency": i.frequency,
                "starts_on": i.starts_on,
                "review_on": i.review_on,
                "stop_rule": i.stop_rule,
                "stop_rule_result": {"fired": r.fired, "reason": r.reason} if r else None,
            }
            for i, r in view.interventions
        ],
    }


def _goal_out(goal: Any, progress: Any) -> dict[str, Any]:
    return {
        "id": goal.external_id,
        "statement": goal.statement,
        "measure": goal.measure,
        "measure_code": goal.measure_code,
        "measure_part": goal.measure_part,
        "baseline": goal.baseline,
        "target": goal.target,
        "due_on": goal.due_on,
        "status": goal.status,
        "progress": {
            "status": progress.status,
            "percent_of_way": progress.percent_of_way,
            "overdue": progress.overdue,
            "message": progress.message,
        },
    }


def _current(request: HttpRequest, pid: UUID, *, audit_read: bool = True) -> tuple[Any, CarePlan]:
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=audit_read)
    plan = (
        CarePlan.objects.filter(patient=patient)
        .exclude(status="entered-in-error")
        .select_related("episode")
        .order_by("-starts_on")
        .first()
    )
    if plan is None:
        raise NotFound("This patient has no care plan.")
    return actor, plan


@router.get("/patients/{pid}/care-plan", response={200: CarePlanOut, **ERRORS})
def read_plan(request: HttpRequest, pid: UUID) -> Any:
    """The current plan with each goal's progress (from recorded data) and stop rules."""
    return _plan_out(_current(request, pid)[1])


@router.post("/patients/{pid}/care-plan/goals", response={201: GoalOut, **ERRORS})
def add_goal(request: HttpRequest, pid: UUID, payload: GoalIn) -> Any:
    actor, plan = _current(request, pid, audit_read=False)
    data = payload.dict()
    version = data.pop("version")
    goal = services.add_goal(actor=actor, plan=plan, expected_version=version, fields=data)
    return Status(201, _goal_out(goal, queries.goal_progress_of(goal, plan.starts_on)))


@router.get("/patients/{pid}/notes", response={200: list[NoteOut], **ERRORS})
def list_notes(request: HttpRequest, pid: UUID) -> Any:
    patient = get_visible_patient(actor_from_request(request), pid)
    return (
        patient.clinical_notes.filter(entered_in_error=False)
        .select_related("author")
        .prefetch_related("addenda__author")[:200]
    )


@router.post("/patients/{pid}/notes", response={201: NoteOut, **ERRORS})
def write_note(request: HttpRequest, pid: UUID, payload: NoteIn) -> Any:
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    data = payload.dict()
    sign = data.pop("sign")
    return Status(201, services.write_note(actor=actor, patient=patient, fields=data, sign=sign))


@router.post("/patients/{pid}/care-plan/interventions", response={201: dict[str, str], **ERRORS})
def add_intervention(request: HttpRequest, pid: UUID, payload: InterventionIn) -> Any:
    actor, plan = _current(request, pid, audit_read=False)
    data = payload.dict()
    version = data.pop("version")
    owner = StaffProfile.objects.filter(
        user__username=data.pop("owner_username"), clinic_id=plan.patient.clinic_id
    ).first()
    stop_goal = data.pop("stop_goal")
    goal = Goal.objects.filter(external_id=stop_goal, plan=plan).first() if stop_goal else None
    if stop_goal and goal is None:
        raise InvalidInput({"stop_goal": ["No such goal in this plan."]})
    item = services.add_intervention(
        actor=actor,
        plan=plan,
        expected_version=version,
        fields={**data, "owner": owner, "stop_goal": goal},
    )
    return Status(201, {"id": str(item.external_id)})


@router.get("/patients/{pid}/care-plan/reviews", response={200: list[ReviewOut], **ERRORS})
def reviews(request: HttpRequest, pid: UUID) -> Any:
    return _current(request, pid)[1].reviews.prefetch_related(
        "goal_reviews__goal", "decisions__intervention"
    )[:100]


class MeetingQuery(InputSchema):
    limit: int = limit_field(20)
    offset: int = offset_field()


@router.get("/meetings", response={200: list[MeetingOut], **ERRORS}, tags=["team meetings"])
def meetings(request: HttpRequest, query: Query[MeetingQuery]) -> Any:
    actor = actor_from_request(request)
    if not actor.principal.is_staff_member:
        raise NotFound("No meetings.")
    rows = TeamMeeting.objects.filter(
        service__clinic_id=actor.principal.staff_clinic_id
    ).select_related("service")
    visible = [m for m in rows if can_run_meetings(actor, m.service)]
    return visible[query.offset : query.offset + query.limit]
