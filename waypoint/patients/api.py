"""/api/v1 routes for patients, guardians, episodes and care teams.

Handlers parse, check access (through ``queries``), call a service and return a schema.
Errors come back as ``{"detail", "code"}`` (``waypoint.api``).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from waypoint.core import audit
from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Forbidden, InvalidInput, NotFound
from waypoint.core.models import Service, StaffProfile
from waypoint.core.schemas import ERRORS, InputSchema, Page, limit_field, offset_field

from . import queries, services
from .models import CareTeamMember, EpisodeOfCare, GuardianLink, Patient
from .schemas import (
    CareTeamMemberIn,
    CareTeamMemberOut,
    EpisodeIn,
    EpisodeOut,
    EpisodePatch,
    GuardianIn,
    GuardianLinkPatch,
    GuardianOut,
    PatientIn,
    PatientOut,
    PatientPatch,
    ServiceOut,
    StatusIn,
)

router = Router(tags=["patients"])


class PatientQuery(InputSchema):
    q: str = ""
    limit: int = limit_field()
    offset: int = offset_field()


class PageQuery(InputSchema):
    limit: int = limit_field()
    offset: int = offset_field()


def _actor(request: HttpRequest) -> Actor:
    return actor_from_request(request)


def _staff(request: HttpRequest) -> Actor:
    actor = _actor(request)
    if not actor.principal.is_staff_member:
        raise Forbidden("Staff only.")
    return actor


def _page(items: Any, limit: int, offset: int) -> dict[str, Any]:
    return {
        "count": items.count(),
        "limit": limit,
        "offset": offset,
        "items": list(items[offset : offset + limit]),
    }


def _service(actor: Actor, external_id: UUID) -> Service:
    service = Service.objects.filter(
        external_id=external_id, clinic_id=actor.principal.staff_clinic_id
    ).first()
    if service is None:
        raise InvalidInput({"service": ["No such service in your clinic."]})
    return service


def _episode(actor: Actor, external_id: UUID) -> EpisodeOfCare:
    episode = (
        EpisodeOfCare.objects.select_related("patient", "service")
        .filter(external_id=external_id)
        .first()
    )
    if episode is None:
        audit.log(actor, AuditAction.DENIED, detail=f"episode {external_id} not found")
        raise NotFound("No episode with this id.")
    queries.get_visible_patient(actor, episode.patient.external_id, audit_read=False)
    audit.log(actor, AuditAction.READ, patient_ref=episode.patient.external_id, target=episode)
    return episode


@router.get("/services", response={200: list[ServiceOut], **ERRORS})
def list_services(request: HttpRequest) -> Any:
    actor = _staff(request)
    return Service.objects.filter(clinic_id=actor.principal.staff_clinic_id, active=True)


@router.get("/patients", response={200: Page[PatientOut], **ERRORS})
def list_patients(request: HttpRequest, query: Query[PatientQuery]) -> Any:
    actor = _actor(request)
    if query.q.strip():
        patients = queries.search_patients(actor.principal, query.q[:100])
    else:
        patients = queries.visible_patients(actor.principal)
    page = _page(patients.order_by("family_name", "given_name", "pk"), query.limit, query.offset)
    audit.log(actor, AuditAction.LIST, detail=f"API patient list ({page['count']} visible)")
    return page


@router.post("/patients", response={201: PatientOut, **ERRORS})
def create_patient(request: HttpRequest, payload: PatientIn) -> Any:
    actor = _staff(request)
    data = payload.dict()
    service = _service(actor, data.pop("service"))
    reason = data.pop("episode_reason")
    return Status(
        201,
        services.create_patient(actor=actor, service=service, fields=data, episode_reason=reason),
    )


@router.get("/patients/{pid}", response={200: PatientOut, **ERRORS})
def read_patient(request: HttpRequest, pid: UUID) -> Any:
    return queries.get_visible_patient(_actor(request), pid)


@router.patch("/patients/{pid}", response={200: PatientOut, **ERRORS})
def update_patient(request: HttpRequest, pid: UUID, payload: PatientPatch) -> Any:
    actor = _actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    nulls = [name for name, value in changes.items() if value is None]
    if nulls:
        raise InvalidInput({name: ["This field cannot be null."] for name in nulls})
    return services.update_patient(
        actor=actor, patient=patient, expected_version=version, changes=changes
    )


@router.post("/patients/{pid}/status", response={200: PatientOut, **ERRORS})
def set_patient_status(request: HttpRequest, pid: UUID, payload: StatusIn) -> Any:
    """Deactivate, reactivate or mark entered-in-error. Patients are never deleted."""
    actor = _actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    return services.set_patient_status(
        actor=actor,
        patient=patient,
        expected_version=payload.version,
        status=payload.status,
        reason=payload.reason,
    )


@router.get("/patients/{pid}/episodes", response={200: Page[EpisodeOut], **ERRORS})
def list_episodes(request: HttpRequest, pid: UUID, query: Query[PageQuery]) -> Any:
    patient = queries.get_visible_patient(_actor(request), pid)
    episodes = patient.episodes.select_related("service", "patient").order_by("-created_at")
    return _page(episodes, query.limit, query.offset)


@router.post("/patients/{pid}/episodes", response={201: EpisodeOut, **ERRORS})
def open_episode(request: HttpRequest, pid: UUID, payload: EpisodeIn) -> Any:
    actor = _staff(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    service = _service(actor, payload.service)
    return Status(
        201,
        services.open_episode(
            actor=actor,
            patient=patient,
            service=service,
            reason=payload.reason,
            start=payload.start,
        ),
    )


@router.get("/episodes/{eid}", response={200: EpisodeOut, **ERRORS})
def read_episode(request: HttpRequest, eid: UUID) -> Any:
    return _episode(_actor(request), eid)


@router.patch("/episodes/{eid}", response={200: EpisodeOut, **ERRORS})
def change_episode(request: HttpRequest, eid: UUID, payload: EpisodePatch) -> Any:
    actor = _actor(request)
    episode = _episode(actor, eid)
    return services.change_episode(
        actor=actor,
        episode=episode,
        expected_version=payload.version,
        status=payload.status,
        start=payload.start,
        end=payload.end,
        status_reason=payload.status_reason,
    )


@router.get("/episodes/{eid}/care-team", response={200: list[CareTeamMemberOut], **ERRORS})
def list_care_team(request: HttpRequest, eid: UUID) -> Any:
    episode = _episode(_actor(request), eid)
    return episode.care_team.select_related("staff__user").order_by("end", "role")


@router.post("/episodes/{eid}/care-team", response={201: CareTeamMemberOut, **ERRORS})
def add_care_team_member(request: HttpRequest, eid: UUID, payload: CareTeamMemberIn) -> Any:
    actor = _staff(request)
    episode = _episode(actor, eid)
    staff = (
        StaffProfile.objects.select_related("user")
        .filter(user__username=payload.staff_username, clinic_id=actor.principal.staff_clinic_id)
        .first()
    )
    if staff is None:
        raise InvalidInput({"staff_username": ["No member of staff with this username."]})
    return Status(
        201,
        services.add_care_team_member(actor=actor, episode=episode, staff=staff, role=payload.role),
    )


@router.post("/care-team/{mid}/end", response={200: CareTeamMemberOut, **ERRORS})
def end_care_team_member(request: HttpRequest, mid: UUID) -> Any:
    actor = _staff(request)
    member = (
        CareTeamMember.objects.select_related("episode__patient", "staff__user")
        .filter(external_id=mid)
        .first()
    )
    if member is None:
        raise NotFound("No care team member with this id.")
    queries.get_visible_patient(actor, member.episode.patient.external_id, audit_read=False)
    return services.end_care_team_member(actor=actor, member=member)


@router.get("/patients/{pid}/guardians", response={200: list[GuardianOut], **ERRORS})
def list_guardians(request: HttpRequest, pid: UUID) -> Any:
    patient = queries.get_visible_patient(_actor(request), pid)
    return queries.guardian_links(patient)


@router.post("/patients/{pid}/guardians", response={201: GuardianOut, **ERRORS})
def link_guardian(request: HttpRequest, pid: UUID, payload: GuardianIn) -> Any:
    actor = _staff(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    data = payload.dict()
    relationship, renewed = data.pop("relationship"), data.pop("renewed_until")
    return Status(
        201,
        services.link_guardian(
            actor=actor,
            patient=patient,
            relationship=relationship,
            guardian_fields=data,
            renewed_until=renewed,
        ),
    )


@router.patch("/guardian-links/{lid}", response={200: GuardianOut, **ERRORS})
def change_guardian_link(request: HttpRequest, lid: UUID, payload: GuardianLinkPatch) -> Any:
    actor = _staff(request)
    link = (
        GuardianLink.objects.select_related("patient", "guardian").filter(external_id=lid).first()
    )
    if link is None:
        raise NotFound("No guardian link with this id.")
    queries.get_visible_patient(actor, link.patient.external_id, audit_read=False)
    return services.change_guardian_link(
        actor=actor, link=link, status=payload.status, renewed_until=payload.renewed_until
    )


class MeOut(Schema):
    username: str
    role: str | None
    patient: UUID | None = None


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["account"])
def me(request: HttpRequest) -> Any:
    actor = _actor(request)
    patient = (
        Patient.objects.filter(pk=actor.principal.patient_id or 0)
        .values_list("external_id", flat=True)
        .first()
    )
    return {
        "username": request.user.get_username(),
        "role": actor.role or None,
        "patient": patient,
    }
