"""/api/v1 routes of the assessments app: instruments, FHIR Questionnaires, responses, scores.

Handlers parse, check access (through ``patients.queries`` and the services), call a
service or query and return a schema. Answer problems come back as 422 naming the item.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from waypoint.core import audit
from waypoint.core.audit import actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.errors import NotFound
from waypoint.core.schemas import ERRORS, Page
from waypoint.patients.queries import get_visible_patient

from . import catalogue, fhir, queries, services
from .choices import ResponseStatus
from .models import QuestionnaireResponse
from .schemas import (
    InstrumentOut,
    InstrumentQuery,
    ResponseIn,
    ResponseOut,
    ScoreOut,
    ScoreQuery,
    response_out,
    score_out,
)

router = Router(tags=["assessments"])


def _instrument_out(code: str) -> dict[str, Any]:
    i = catalogue.load()[code]
    return {
        "code": i.code,
        "name": i.name,
        "short_name": i.short_name,
        "version": i.version,
        "status": i.status,
        "respondent": i.respondent,
        "items": len(i.items),
        "age_min": i.age_min,
        "age_max": i.age_max,
        "loinc_panel": i.loinc_panel,
        "licence": i.licence.text,
        "licence_url": i.licence.url,
        "licence_requires_permission": i.licence.requires_permission,
    }


@router.get("/instruments", response={200: Page[InstrumentOut], **ERRORS})
def list_instruments(request: HttpRequest, query: Query[InstrumentQuery]) -> Any:
    """The catalogue: every instrument with its licence."""
    codes = list(catalogue.load())
    chosen = codes[query.offset : query.offset + query.limit]
    return {
        "count": len(codes),
        "limit": query.limit,
        "offset": query.offset,
        "items": [_instrument_out(code) for code in chosen],
    }


@router.get("/instruments/{code}/questionnaire", response={200: dict[str, Any], **ERRORS})
def instrument_questionnaire(request: HttpRequest, code: str) -> Any:
    """One instrument as a FHIR R4 Questionnaire."""
    instrument = catalogue.load().get(code[:40])
    if instrument is None:
        raise NotFound("No instrument with this code.")
    return fhir.questionnaire(instrument)


@router.post("/patients/{pid}/questionnaire-responses", response={201: ResponseOut, **ERRORS})
def submit_response(request: HttpRequest, pid: UUID, payload: ResponseIn) -> Any:
    """Record a completed response; unknown, out-of-range or missing items answer 422."""
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    response = services.submit_response(
        actor=actor,
        patient=patient,
        instrument_code=payload.instrument,
        answers=payload.answers,
        measurement_point=payload.measurement_point,
        respondent=payload.respondent,
        on_paper=payload.on_paper,
        episode=patient.episodes.exclude(status="entered-in-error").first(),
        school_days_missed=payload.school_days_missed,
    )
    return Status(201, response_out(response))


@router.get("/patients/{pid}/scores", response={200: Page[ScoreOut], **ERRORS})
def patient_scores(request: HttpRequest, pid: UUID, query: Query[ScoreQuery]) -> Any:
    """Completed responses with their scores, newest first."""
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    rows = QuestionnaireResponse.objects.filter(
        patient=patient, status=ResponseStatus.COMPLETED
    ).order_by("-completed_at", "-pk")
    if query.instrument:
        rows = rows.filter(instrument=query.instrument)
    count = rows.count()
    items = list(rows[query.offset : query.offset + query.limit])
    for row in items:
        row.patient = patient
    audit.log(actor, AuditAction.READ, patient_ref=patient.external_id, detail="API scores")
    return {
        "count": count,
        "limit": query.limit,
        "offset": query.offset,
        "items": [score_out(row) for row in items],
    }


@router.get("/questionnaire-responses/{rid}", response={200: ResponseOut, **ERRORS})
def read_response(request: HttpRequest, rid: UUID) -> Any:
    """One response with its item-level answers and any alerts."""
    return response_out(queries.get_response(actor_from_request(request), rid))
