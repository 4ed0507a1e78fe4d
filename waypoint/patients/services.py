"""Operations that change patients, guardians, episodes and care teams.

Each takes keyword-only arguments, runs in one transaction, checks access and writes
the audit log. Validation errors name the field (``InvalidInput``); an edit based on a
stale version is refused (``Conflict``) and the refusal is audited too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import can_edit_patient, can_register_patient, can_view_patient
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.models import Service, StaffProfile

from .choices import EpisodeStatus, LinkStatus, RecordStatus
from .models import CareTeamMember, EpisodeOfCare, Guardian, GuardianLink, Patient
from .queries import patient_facts
from .rules import OPEN_EPISODE_STATUSES, allowed_episode_statuses

PATIENT_FIELDS = frozenset(
    {
        "mrn",
        "given_name",
        "family_name",
        "preferred_name",
        "birth_date",
        "sex",
        "phone",
        "email",
        "address",
        "preferred_language",
        "interpreter_needed",
        "school_or_work",
        "medical_complexity",
    }
)
GUARDIAN_FIELDS = frozenset({"given_name", "family_name", "phone", "email"})
NEEDS_REASON = frozenset({EpisodeStatus.CANCELLED, EpisodeStatus.ENTERED_IN_ERROR})


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc


def _assign(
    instance: models.Model, changes: Mapping[str, Any], allowed: frozenset[str]
) -> list[str]:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise InvalidInput({name: ["This field cannot be set here."] for name in unknown})
    changed = [name for name, value in changes.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, changes[name])
    return changed


def _save(instance: models.Model, actor: Actor, **kwargs: Any) -> None:
    # Token-authenticated API calls have no session user for simple-history to find.
    audit.mark_history_user(instance, actor)
    instance.save(**kwargs)


def require_edit(actor: Actor, patient: Patient) -> None:
    """NotFound when the actor may not see the patient, Forbidden when only see."""
    facts = patient_facts(patient)
    if can_edit_patient(actor.principal, facts, timezone.localdate()):
        return
    if can_view_patient(actor.principal, facts, timezone.localdate()):
        raise Forbidden("You may view this record but not change it.")
    raise NotFound("No patient with this id.")


@contextmanager
def _versioned(actor: Actor, instance: Patient | EpisodeOfCare, expected: int) -> Iterator[None]:
    """Claim ``expected`` → ``expected + 1`` atomically, or refuse with Conflict.

    The claim is a conditional UPDATE, so two writers can never both succeed, on SQLite
    or PostgreSQL. The refusal is audited outside the rolled-back transaction.
    """
    patient_ref = (
        instance.external_id if isinstance(instance, Patient) else instance.patient.external_id
    )
    try:
        with transaction.atomic():
            claimed = (
                type(instance)
                .objects.filter(pk=instance.pk, version=expected)
                .update(version=expected + 1)
            )
            if not claimed:
                raise Conflict(_conflict_message(instance))
            instance.version = expected + 1
            yield
    except Conflict:
        audit.log(
            actor,
            AuditAction.CONFLICT,
            patient_ref=patient_ref,
            target=instance,
            detail=f"stale version {expected}",
        )
        raise


def _conflict_message(instance: Patient | EpisodeOfCare) -> str:
    latest = instance.history.select_related("history_user").first()
    who = "someone else"
    when = ""
    if latest is not None:
        if latest.history_user is not None:
            who = latest.history_user.get_full_name() or latest.history_user.get_username()
        when = f" at {timezone.localtime(latest.history_date):%H:%M on %d %b %Y}"
    return (
        f"This record was changed by {who}{when} after you opened it. "
        "Your changes were not saved: reload to see the current version, then make them again."
    )


def _service_for_registration(actor: Actor, service: Service) -> None:
    if service.clinic_id != actor.principal.clinic_id or not can_register_patient(
        actor.principal, service.pk
    ):
        raise InvalidInput({"service": ["You do not work in this service."]})
    if not service.active:
        raise InvalidInput({"service": ["This service is closed to new episodes."]})


def create_patient(
    *, actor: Actor, service: Service, fields: Mapping[str, Any], episode_reason: str = ""
) -> Patient:
    """Register a patient and open a planned episode in ``service``, or change nothing."""
    if not actor.principal.is_staff_member:
        raise Forbidden("Only staff can register patients.")
    _service_for_registration(actor, service)
    with transaction.atomic():
        patient = Patient(clinic_id=service.clinic_id)
        _assign(patient, fields, PATIENT_FIELDS)
        _validate(patient)
        _save(patient, actor)
        episode = EpisodeOfCare(patient=patient, service=service, reason=episode_reason)
        _validate(episode)
        _save(episode, actor)
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=patient)
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=episode)
    return patient


def update_patient(
    *, actor: Actor, patient: Patient, expected_version: int, changes: Mapping[str, Any]
) -> Patient:
    """Change demographic fields; refuses a stale ``expected_version``."""
    require_edit(actor, patient)
    changed = _assign(patient, changes, PATIENT_FIELDS)
    _validate(patient)
    with _versioned(actor, patient, expected_version):
        _save(patient, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=patient.external_id,
            target=patient,
            detail="changed: " + (", ".join(sorted(changed)) or "nothing"),
        )
    return patient


def set_patient_status(
    *, actor: Actor, patient: Patient, expected_version: int, status: str, reason: str
) -> Patient:
    """Deactivate, reactivate or mark a record entered-in-error. Never deletes."""
    require_edit(actor, patient)
    if status not in RecordStatus.values:
        raise InvalidInput({"status": [f"Choose one of: {', '.join(RecordStatus.values)}."]})
    if status != RecordStatus.ACTIVE and not reason.strip():
        raise InvalidInput({"reason": ["Give a reason."]})
    with _versioned(actor, patient, expected_version):
        patient.status = status
        patient.status_reason = reason.strip()[:300]
        _save(patient, actor)
        audit.log(
            actor,
            AuditAction.DEACTIVATE if status != "active" else AuditAction.UPDATE,
            patient_ref=patient.external_id,
            target=patient,
            detail=f"status → {status}",
        )
    return patient


def open_episode(
    *, actor: Actor, patient: Patient, service: Service, reason: str = "", start: date | None = None
) -> EpisodeOfCare:
    require_edit(actor, patient)
    _service_for_registration(actor, service)
    if patient.episodes.filter(service=service, status__in=OPEN_EPISODE_STATUSES).exists():
        raise InvalidInput(
            {"service": ["The patient already has an open episode in this service."]}
        )
    with transaction.atomic():
        episode = EpisodeOfCare(patient=patient, service=service, reason=reason, start=start)
        _validate(episode)
        _save(episode, actor)
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=episode)
    return episode


def change_episode(
    *,
    actor: Actor,
    episode: EpisodeOfCare,
    expected_version: int,
    status: str,
    start: date | None,
    end: date | None,
    status_reason: str = "",
) -> EpisodeOfCare:
    """Move an episode along its status path (``rules.EPISODE_TRANSITIONS``)."""
    require_edit(actor, episode.patient)
    allowed = allowed_episode_statuses(episode.status)
    if status not in allowed:
        raise InvalidInput(
            {
                "status": [
                    f"An episode that is {episode.get_status_display().lower()} cannot become "
                    f"{_status_label(status)}."
                ]
            }
        )
    if status in NEEDS_REASON and status != episode.status and not status_reason.strip():
        raise InvalidInput({"status_reason": ["Give a reason for this status."]})
    episode.status, episode.start, episode.end = status, start, end
    episode.status_reason = status_reason.strip()[:300]
    today = timezone.localdate()
    if (
        status in (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD, EpisodeStatus.FINISHED)
        and not start
    ):
        episode.start = today
    if status == EpisodeStatus.FINISHED and not end:
        episode.end = max(today, episode.start or today)
    _validate(episode)
    with _versioned(actor, episode, expected_version):
        _save(episode, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=episode.patient.external_id,
            target=episode,
            detail=f"status → {status}",
        )
    return episode


def _status_label(status: str) -> str:
    return EpisodeStatus(status).label.lower() if status in EpisodeStatus.values else repr(status)


def add_care_team_member(
    *, actor: Actor, episode: EpisodeOfCare, staff: StaffProfile, role: str
) -> CareTeamMember:
    require_edit(actor, episode.patient)
    if not staff.services.filter(pk=episode.service_id).exists():
        raise InvalidInput({"staff": [f"{staff} does not work in {episode.service}."]})
    with transaction.atomic():
        member = CareTeamMember(episode=episode, staff=staff, role=role)
        _validate(member)
        _save(member, actor)
        audit.log(
            actor,
            AuditAction.CREATE,
            patient_ref=episode.patient.external_id,
            target=member,
            detail=f"{staff} as {role}",
        )
    return member


def end_care_team_member(*, actor: Actor, member: CareTeamMember) -> CareTeamMember:
    require_edit(actor, member.episode.patient)
    if member.end is not None:
        raise InvalidInput({"end": ["This person has already left the care team."]})
    with transaction.atomic():
        member.end = timezone.localdate()
        _save(member, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=member.episode.patient.external_id,
            target=member,
            detail="left the care team",
        )
    return member


def link_guardian(
    *,
    actor: Actor,
    patient: Patient,
    relationship: str,
    guardian: Guardian | None = None,
    guardian_fields: Mapping[str, Any] | None = None,
    renewed_until: date | None = None,
) -> GuardianLink:
    """Link an existing guardian, or a new one from ``guardian_fields``, to a patient."""
    require_edit(actor, patient)
    with transaction.atomic():
        if guardian is None:
            guardian = Guardian()
            _assign(guardian, guardian_fields or {}, GUARDIAN_FIELDS)
            _validate(guardian)
            _save(guardian, actor)
        link = GuardianLink(
            guardian=guardian,
            patient=patient,
            relationship=relationship,
            renewed_until=renewed_until,
        )
        _validate(link)
        _save(link, actor)
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=link)
    return link


def change_guardian_link(
    *, actor: Actor, link: GuardianLink, status: str, renewed_until: date | None
) -> GuardianLink:
    """End a link, or renew proxy access past the 18th birthday."""
    require_edit(actor, link.patient)
    if status not in LinkStatus.values:
        raise InvalidInput({"status": [f"Choose one of: {', '.join(LinkStatus.values)}."]})
    with transaction.atomic():
        link.status, link.renewed_until = status, renewed_until
        _validate(link)
        _save(link, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=link.patient.external_id,
            target=link,
            detail=f"status {status}, renewed until {renewed_until or '-'}",
        )
    return link
