"""/api/v1 routes for medications, the MME summary, stewardship alerts and procedures.

Shaped to map onto FHIR MedicationStatement and Procedure later. Access and audit go
through ``patients.queries.get_visible_patient``; writes through ``services``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Status

from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.errors import NotFound
from waypoint.core.schemas import ERRORS, InputSchema
from waypoint.patients.queries import get_visible_patient

from . import queries, services
from .models import MedicationEntry
from .schemas import (
    AcknowledgeIn,
    AlertOut,
    MedicationChangeIn,
    MedicationIn,
    MedicationOut,
    MMESummaryOut,
    ProcedureIn,
    ProcedureOut,
    StopIn,
)

router = Router(tags=["medications"])


class ListQuery(InputSchema):
    include_stopped: bool = False


def _entry(actor: Actor, eid: UUID) -> MedicationEntry:
    entry = (
        MedicationEntry.objects.select_related("patient", "supersedes")
        .filter(external_id=eid)
        .first()
    )
    if entry is None:
        raise NotFound("No medication with this id.")
    get_visible_patient(actor, entry.patient.external_id, audit_read=False)
    return entry


@router.get("/patients/{pid}/medications", response={200: list[MedicationOut], **ERRORS})
def list_medications(request: HttpRequest, pid: UUID, query: Query[ListQuery]) -> Any:
    patient = get_visible_patient(actor_from_request(request), pid)
    entries = patient.medications.select_related("supersedes")
    return entries if query.include_stopped else entries.filter(status="active")


@router.post("/patients/{pid}/medications", response={201: MedicationOut, **ERRORS})
def add_medication(request: HttpRequest, pid: UUID, payload: MedicationIn) -> Any:
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    return Status(201, services.add_medication(actor=actor, patient=patient, fields=payload.dict()))


@router.post("/medications/{eid}/change", response={201: MedicationOut, **ERRORS})
def change_medication(request: HttpRequest, eid: UUID, payload: MedicationChangeIn) -> Any:
    """Record a change as a new entry; the old one is stopped and kept (409 if already changed)."""
    actor = actor_from_request(request)
    data = payload.dict()
    reason = data.pop("reason")
    return Status(
        201,
        services.change_medication(
            actor=actor, entry=_entry(actor, eid), fields=data, reason=reason
        ),
    )


@router.post("/medications/{eid}/stop", response={200: MedicationOut, **ERRORS})
def stop_medication(request: HttpRequest, eid: UUID, payload: StopIn) -> Any:
    actor = actor_from_request(request)
    return services.stop_medication(
        actor=actor,
        entry=_entry(actor, eid),
        reason=payload.reason,
        stop=payload.stop,
        entered_in_error=payload.entered_in_error,
    )


@router.get("/patients/{pid}/mme", response={200: MMESummaryOut, **ERRORS})
def mme(request: HttpRequest, pid: UUID) -> Any:
    """Total MME/day (CDC 2022 factors), one line per opioid with its factor and source."""
    patient = get_visible_patient(actor_from_request(request), pid)
    summary = queries.stewardship(patient).summary
    return {
        "total": summary.total,
        "unit": summary.unit,
        "incomplete": summary.incomplete,
        "message": summary.message,
        "as_needed_max_used": summary.as_needed_max_used,
        "lines": [{**line.__dict__, "message": line.message} for line in summary.lines],
        "reasons": summary.reasons,
    }


@router.get("/patients/{pid}/stewardship-alerts", response={200: list[AlertOut], **ERRORS})
def alerts(request: HttpRequest, pid: UUID) -> Any:
    patient = get_visible_patient(actor_from_request(request), pid)
    return [
        {
            "code": s.alert.code,
            "severity": s.alert.severity,
            "message": s.alert.message,
            "source": s.alert.source,
            "reason": {k: str(v) for k, v in s.alert.reason.items()},
            "fingerprint": s.fingerprint,
            "acknowledged": s.acknowledgement is not None,
            "acknowledgement_note": s.acknowledgement.note if s.acknowledgement else None,
        }
        for s in queries.stewardship(patient).alerts
    ]


@router.post(
    "/patients/{pid}/stewardship-alerts/acknowledge", response={201: dict[str, str], **ERRORS}
)
def acknowledge(request: HttpRequest, pid: UUID, payload: AcknowledgeIn) -> Any:
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    ack = services.acknowledge_alert(
        actor=actor,
        patient=patient,
        code=payload.code,
        fingerprint=payload.fingerprint,
        note=payload.note,
    )
    return Status(201, {"code": ack.code, "note": ack.note})


@router.get("/patients/{pid}/procedures", response={200: list[ProcedureOut], **ERRORS})
def procedures(request: HttpRequest, pid: UUID) -> Any:
    patient = get_visible_patient(actor_from_request(request), pid)
    return [_procedure_out(p, e) for p, e in queries.procedures_with_effect(patient)]


@router.post("/patients/{pid}/procedures", response={201: ProcedureOut, **ERRORS})
def add_procedure(request: HttpRequest, pid: UUID, payload: ProcedureIn) -> Any:
    actor = actor_from_request(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    procedure = services.record_procedure(actor=actor, patient=patient, fields=payload.dict())
    return Status(201, _procedure_out(procedure, queries.classify(procedure.kind, None, None)))


def _procedure_out(procedure: Any, effect: Any) -> dict[str, Any]:
    fields = {f.name: getattr(procedure, f.name) for f in procedure._meta.concrete_fields}
    return {**fields, "effect": effect.verdict, "effect_reason": effect.reason}
