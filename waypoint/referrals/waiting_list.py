"""The waiting list: placed on it by an acceptance, taken off with a reason, a start expected.

Each operation takes keyword-only arguments, runs in one transaction, checks access and
writes the audit log.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.models import Service
from waypoint.patients.models import EpisodeOfCare

from ._changes import save, user_of
from .access import can_manage_waiting_list
from .choices import EntryStatus
from .models import Referral, WaitingListEntry
from .queries import referral_facts


def _require_entry(actor: Actor, entry: WaitingListEntry) -> None:
    facts = referral_facts(entry)
    if not can_manage_waiting_list(actor.principal, facts):
        raise NotFound("No waiting-list entry with this id.")


def _audit(actor: Actor, entry: WaitingListEntry, detail: str) -> None:
    audit.log(
        actor,
        AuditAction.UPDATE,
        patient_ref=entry.patient.external_id,
        target=entry,
        detail=detail,
    )


def place_on_waiting_list(
    referral: Referral, episode: EpisodeOfCare, service: Service, priority: str
) -> WaitingListEntry:
    """The entry for an accepted referral, waiting since the referral was received."""
    return WaitingListEntry.objects.create(
        referral=referral,
        patient=episode.patient,
        service=service,
        episode=episode,
        priority=priority,
        waiting_since=referral.received_on,
        target_wait_days=service.target_wait_days,
        target_date=referral.received_on + timedelta(days=service.target_wait_days),
    )


def take_off_waiting_list(
    actor: Actor, entry: WaitingListEntry, *, reason: str, detail: str, at: datetime
) -> None:
    """Mark the entry removed (no access check, no transaction: the caller has both)."""
    entry.status = EntryStatus.REMOVED
    entry.removed_reason = reason[:300]
    entry.removed_at = at
    entry.removed_by = user_of(actor)
    save(entry, actor)
    _audit(actor, entry, detail)


def remove_from_waiting_list(
    *, actor: Actor, entry: WaitingListEntry, reason: str
) -> WaitingListEntry:
    """Take someone off the waiting list; the reason is required and kept."""
    _require_entry(actor, entry)
    if entry.status != EntryStatus.WAITING:
        raise InvalidInput({"reason": ["This person is no longer on the waiting list."]})
    if not reason.strip():
        raise InvalidInput({"reason": ["Give a reason for removing this person."]})
    with transaction.atomic():
        take_off_waiting_list(
            actor,
            entry,
            reason=reason.strip(),
            detail="removed from the waiting list",
            at=timezone.now(),
        )
    return entry


def set_expected_start(
    *, actor: Actor, entry: WaitingListEntry, expected_start: date | None
) -> WaitingListEntry:
    """Record when the person is expected to start (never before the referral came in)."""
    _require_entry(actor, entry)
    if expected_start is not None and expected_start < entry.waiting_since:
        raise InvalidInput(
            {"expected_start": ["The expected start cannot be before the referral was received."]}
        )
    with transaction.atomic():
        entry.expected_start = expected_start
        save(entry, actor)
        _audit(actor, entry, f"expected start → {expected_start or '-'}")
    return entry
