"""Triage decisions: recorded with their reason and carried out in the same transaction.

Accepting registers the patient if new (or opens a planned episode) and places them on
the waiting list; a later decision on the same referral undoes an acceptance.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import can_edit_patient
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import InvalidInput
from waypoint.core.models import Service
from waypoint.patients import services as patient_services
from waypoint.patients.choices import EpisodeStatus
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.patients.queries import patient_facts
from waypoint.patients.rules import OPEN_EPISODE_STATUSES

from ._changes import require, save, service_for, user_of, validate, versioned
from .access import can_decide_referral
from .choices import (
    LETTER_FOR,
    STATUS_AFTER,
    DuplicateChoice,
    EntryStatus,
    Outcome,
    Priority,
    ReferralStatus,
)
from .letter_writing import write_letter
from .matching import possible_duplicates
from .models import Decision, Referral
from .queries import audit_referral
from .waiting_list import place_on_waiting_list, take_off_waiting_list

NEEDS_REASON = frozenset({Outcome.DECLINE, Outcome.REDIRECT, Outcome.URGENT_REVIEW})


def _new_mrn(referral: Referral) -> str:
    base = f"REF{referral.pk:06d}"
    candidate, n = base, 1
    while Patient.objects.filter(clinic_id=referral.clinic_id, mrn=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _episode_for(actor: Actor, referral: Referral, service: Service) -> EpisodeOfCare:
    """Create the patient if new (planned episode), else open a planned episode."""
    reason = f"Referral received {referral.received_on:%d %b %Y}"
    if referral.patient is None:
        patient = patient_services.create_patient(
            actor=actor,
            service=service,
            fields={
                "mrn": referral.mrn or _new_mrn(referral),
                "given_name": referral.given_name,
                "family_name": referral.family_name,
                "birth_date": referral.birth_date,
                "sex": referral.sex,
                "phone": referral.phone,
                "address": referral.address,
                "medical_complexity": bool(referral.medical_complexity),
            },
            episode_reason=reason,
        )
        referral.patient = patient
        return patient.episodes.get(service=service)
    patient = referral.patient
    if patient.episodes.filter(service=service, status__in=OPEN_EPISODE_STATUSES).exists():
        raise InvalidInput(
            {"service": [f"{patient.full_name} already has an open episode in {service}."]}
        )
    if can_edit_patient(actor.principal, patient_facts(patient), timezone.localdate()):
        return patient_services.open_episode(
            actor=actor, patient=patient, service=service, reason=reason
        )
    # The triage clinician of this service may not yet see a patient known only to
    # another service: accepting the referral is what brings the patient into theirs.
    episode = EpisodeOfCare(patient=patient, service=service, reason=reason)
    validate(episode)
    save(episode, actor)
    audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=episode)
    return episode


def _undo_acceptance(actor: Actor, referral: Referral, why: str) -> None:
    """A revisited acceptance: off the waiting list, and the planned episode cancelled."""
    now = timezone.now()
    for entry in referral.waiting_list_entries.filter(status=EntryStatus.WAITING).select_related(
        "episode__patient"
    ):
        take_off_waiting_list(
            actor,
            entry,
            reason=why,
            detail="removed from the waiting list: decision revisited",
            at=now,
        )
        episode = entry.episode
        if episode.status == EpisodeStatus.PLANNED:
            episode.status = EpisodeStatus.CANCELLED
            episode.status_reason = why[:300]
            save(episode, actor)
            audit.log(
                actor,
                AuditAction.UPDATE,
                patient_ref=episode.patient.external_id,
                target=episode,
                detail="status → cancelled (triage decision revisited)",
            )


def _name(actor: Actor) -> str:
    user = user_of(actor)
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return str(profile) if profile is not None else user.get_username()


def unresolved_duplicates(referral: Referral) -> dict[str, list[str]]:
    """Records that may be this patient and that nobody has ruled on: accepting would
    create a duplicate. The coordinator's "different" covers the records they were shown,
    which existed when the referral was received or last corrected; later ones count."""
    if referral.patient_id is not None:
        return {}
    candidates = possible_duplicates(
        referral.clinic_id, referral.given_name, referral.family_name, referral.birth_date
    )
    if referral.duplicate_choice == DuplicateChoice.DIFFERENT:
        candidates = [p for p in candidates if p.created_at > referral.identity_checked_at]
    if not candidates:
        return {}
    names = "; ".join(f"{p.full_name} (MRN {p.mrn})" for p in candidates)
    return {
        "outcome": [
            f"Possible existing record: {names}. Edit the referral to say whether this is "
            "the same patient before accepting, so that no duplicate record is made."
        ]
    }


def decide(
    *,
    actor: Actor,
    referral: Referral,
    expected_version: int,
    outcome: str,
    reason: str = "",
    service: Service | None = None,
    priority: str = "",
    redirect_to: str = "",
    missing_items: Sequence[str] | None = None,
) -> Decision:
    """Record a triage decision and carry it out, in one transaction.

    Accepting creates the patient if new, a planned episode and a waiting-list entry;
    redirecting to a service of the clinic moves the referral to that service's queue;
    a decision can be revisited (a new decision), and an acceptance undone that way
    takes the patient off the waiting list. Decline, redirect and urgent review need a
    reason; so does accepting a referral with red flags present.
    """
    require(actor, referral, can_decide_referral)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        raise InvalidInput({"outcome": [f"Choose one of: {', '.join(Outcome.values)}."]})
    if outcome in NEEDS_REASON and not reason:
        errors["reason"] = [f"Give a reason to {Outcome(outcome).label.lower()}."]
    items = [i.strip()[:300] for i in (missing_items or []) if i and i.strip()]
    target: Service | None = None
    if outcome == Outcome.ACCEPT:
        target = service or referral.service
        if priority not in Priority.values:
            errors["priority"] = ["Choose a priority: urgent, soon or routine."]
        if referral.urgent and not reason:
            errors["reason"] = ["Red flags are present: give a reason for accepting."]
        if referral.status == ReferralStatus.ACCEPTED:
            errors["outcome"] = ["This referral is already accepted."]
        errors.update(unresolved_duplicates(referral))
    elif outcome == Outcome.REDIRECT:
        if service is None and not redirect_to.strip():
            errors["service"] = ["Choose a service, or name where the referral goes."]
        if service is not None and service.pk == referral.service_id:
            errors["service"] = ["This is the service the referral is already for."]
        target = service
    elif outcome == Outcome.REQUEST_INFORMATION:
        if not items:
            items = [d["label"] for d in referral.screening.get("missing_disclosures", [])]
        if not items:
            errors["missing_items"] = ["Say what information is missing."]
    if errors:
        raise InvalidInput(errors)
    if target is not None:
        service_for(actor, target)
    with versioned(actor, referral, expected_version):
        if referral.status == ReferralStatus.ACCEPTED:
            _undo_acceptance(actor, referral, f"Triage decision revisited: {reason or outcome}")
        decision = Decision.objects.create(
            referral=referral,
            outcome=outcome,
            service=target,
            redirect_to=redirect_to.strip()[:200],
            priority=priority if outcome == Outcome.ACCEPT else "",
            reason=reason,
            missing_items=items if outcome == Outcome.REQUEST_INFORMATION else [],
            decided_by=user_of(actor),
            decided_by_name=_name(actor),
        )
        referral.status = STATUS_AFTER[Outcome(outcome)]
        if outcome == Outcome.ACCEPT and target is not None:
            episode = _episode_for(actor, referral, target)
            place_on_waiting_list(referral, episode, target, priority)
        if outcome == Outcome.REDIRECT and target is not None:
            referral.service = target
            referral.status = ReferralStatus.RECEIVED
        save(referral, actor)
        audit_referral(
            actor, AuditAction.CREATE, referral, target=decision, detail=f"decision: {outcome}"
        )
        kind = LETTER_FOR.get(Outcome(outcome))
        if kind is not None:
            write_letter(actor=actor, referral=referral, kind=kind, decision=decision)
    return decision
