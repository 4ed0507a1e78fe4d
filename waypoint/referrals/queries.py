"""Read paths: which referrals and waiting-list entries a person may see, and lists.

The SQL filter in ``visible_referrals`` follows ``referrals.access`` exactly;
``tests/referrals/test_access.py`` holds them together.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import Principal, Role
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import NotFound

from .access import ReferralFacts
from .choices import OPEN_STATUSES, EntryStatus, Priority
from .models import Referral, WaitingListEntry


def referral_facts(referral: Referral | WaitingListEntry) -> ReferralFacts:
    return ReferralFacts(clinic_id=referral.service.clinic_id, service_id=referral.service_id)


def _in_reach(principal: Principal) -> Q | None:
    """The services a staff member works in, as a filter; None means nothing at all."""
    if not principal.is_staff_member or principal.clinic_id is None:
        return None
    reach = Q(service__clinic_id=principal.clinic_id)
    if principal.role != Role.CLINIC_LEAD:
        reach &= Q(service_id__in=principal.service_ids)
    return reach


def visible_referrals(principal: Principal) -> QuerySet[Referral]:
    """Every referral ``principal`` may see, as one query (rules: ``referrals.access``)."""
    reach = _in_reach(principal)
    if reach is None:
        return Referral.objects.none()
    return Referral.objects.filter(reach)


def _as_uuid(value: UUID | str) -> UUID | None:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None


def get_visible_referral(
    actor: Actor, external_id: UUID | str, *, audit_read: bool = True
) -> Referral:
    """The referral if ``actor`` may see it, else NotFound; audited either way."""
    wanted = _as_uuid(external_id)
    referral = (
        visible_referrals(actor.principal)
        .select_related("service", "clinic", "patient", "rule_set")
        .filter(external_id=wanted)
        .first()
        if wanted is not None
        else None
    )
    if referral is None:
        audit.log(
            actor,
            AuditAction.DENIED,
            detail=f"referral {str(external_id)[:40]} not visible to this user (answered 404)",
        )
        raise NotFound("No referral with this id.")
    if audit_read:
        audit_referral(actor, AuditAction.READ, referral)
    return referral


def audit_referral(
    actor: Actor,
    action: AuditAction,
    referral: Referral,
    *,
    target: object = None,
    detail: str = "",
) -> None:
    audit.log(
        actor,
        action,
        patient_ref=referral.patient.external_id if referral.patient is not None else None,
        target=target if target is not None else referral,
        detail=detail,
    )


def triage_queue(
    principal: Principal, *, status: str = "open", service_id: int | None = None
) -> QuerySet[Referral]:
    """Open referrals, urgent first (red flags present or urgent review), oldest first."""
    referrals = visible_referrals(principal).select_related("service", "patient")
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif status:
        referrals = referrals.filter(status=status)
    if service_id is not None:
        referrals = referrals.filter(service_id=service_id)
    return referrals.order_by("-urgent", "received_on", "id")


def visible_entries(principal: Principal) -> QuerySet[WaitingListEntry]:
    reach = _in_reach(principal)
    if reach is None:
        return WaitingListEntry.objects.none()
    return WaitingListEntry.objects.filter(reach)


WAITING_SORTS: dict[str, tuple[Any, ...]] = {
    "priority": ("priority_rank", "waiting_since", "id"),
    "waiting": ("waiting_since", "id"),
    # Those without an expected start come last, on SQLite as on PostgreSQL.
    "expected": (F("expected_start").asc(nulls_last=True), "waiting_since", "id"),
    "name": ("patient__family_name", "patient__given_name", "id"),
}


def waiting_list(
    principal: Principal,
    *,
    service_id: int | None = None,
    priority: str = "",
    breached: bool = False,
    sort: str = "priority",
    today: date | None = None,
) -> QuerySet[WaitingListEntry]:
    """People waiting, filtered and sorted; breach is a plain date comparison in SQL."""
    today = today or timezone.localdate()
    entries = (
        visible_entries(principal)
        .filter(status=EntryStatus.WAITING)
        .select_related("patient", "service", "referral")
        .annotate(
            priority_rank=Case(
                When(priority=Priority.URGENT, then=Value(0)),
                When(priority=Priority.SOON, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
    )
    if service_id is not None:
        entries = entries.filter(service_id=service_id)
    if priority:
        entries = entries.filter(priority=priority)
    if breached:
        entries = entries.filter(target_date__lt=today)
    return entries.order_by(*WAITING_SORTS.get(sort, WAITING_SORTS["priority"]))


def get_visible_entry(actor: Actor, external_id: UUID | str) -> WaitingListEntry:
    wanted = _as_uuid(external_id)
    entry = (
        visible_entries(actor.principal)
        .select_related("patient", "service", "referral")
        .filter(external_id=wanted)
        .first()
        if wanted is not None
        else None
    )
    if entry is None:
        audit.log(actor, AuditAction.DENIED, detail="waiting-list entry not visible (404)")
        raise NotFound("No waiting-list entry with this id.")
    return entry
