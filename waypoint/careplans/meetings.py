"""Team meetings: the agenda is built from the record, decisions flow into notes.

Agenda for a service and date (issue #5): patients whose plan review is due by the
meeting or overdue, patients with a safety alert still open, planned admissions (planned
episodes starting within two weeks, or with no date yet) and planned discharges
(active episodes whose end date falls within two weeks).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from waypoint.assessments.models import SafetyAlert
from waypoint.core import audit
from waypoint.core.access import Role
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput
from waypoint.core.models import Service, StaffProfile
from waypoint.patients.models import EpisodeOfCare, Patient

from . import progress
from .choices import AgendaReason, AttendeeKind, MeetingStatus
from .models import AgendaItem, Attendee, CarePlan, ClinicalNote, TeamMeeting

WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class Proposed:
    patient: Patient
    reason: str
    detail: str


def build_agenda(service: Service, meets_on: date) -> list[Proposed]:
    """What the team should discuss, from the record, most urgent first."""
    items: list[Proposed] = []
    alerts = SafetyAlert.objects.filter(
        status="open",
        patient__episodes__service=service,
        patient__episodes__status__in=("planned", "active", "onhold"),
    )
    for alert in alerts.select_related("patient").distinct().order_by("raised_at"):
        items.append(Proposed(alert.patient, AgendaReason.SAFETY_ALERT, alert.message[:300]))
    plans = CarePlan.objects.filter(episode__service=service, status="active").select_related(
        "patient"
    )
    for plan in plans.prefetch_related("reviews"):
        reviews = sorted(plan.reviews.all(), key=lambda r: (r.held_on, r.pk))
        last = reviews[-1] if reviews else None
        due = progress.next_review(
            plan.starts_on,
            last.held_on if last else None,
            plan.review_interval_days,
            meets_on,
            last.next_review_on if last else None,
        )
        if due.due_on <= meets_on:
            items.append(
                Proposed(plan.patient, AgendaReason.REVIEW_DUE, f"Review due {due.due_on:%d %b %Y}")
            )
    starting = EpisodeOfCare.objects.filter(service=service, status="planned").select_related(
        "patient"
    )
    for episode in starting:
        if episode.start is None or episode.start <= meets_on + WINDOW:
            when = f"starts {episode.start:%d %b %Y}" if episode.start else "no start date yet"
            items.append(
                Proposed(episode.patient, AgendaReason.ADMISSION, f"Planned start: {when}")
            )
    ending = EpisodeOfCare.objects.filter(
        service=service, status="active", end__isnull=False, end__lte=meets_on + WINDOW
    ).select_related("patient")
    for episode in ending:
        assert episode.end is not None
        items.append(
            Proposed(
                episode.patient, AgendaReason.DISCHARGE, f"Planned discharge {episode.end:%d %b %Y}"
            )
        )
    return items


def can_run_meetings(actor: Actor, service: Service) -> bool:
    principal = actor.principal
    if not principal.is_staff_member or service.clinic_id != principal.clinic_id:
        return False
    return principal.role == Role.CLINIC_LEAD or service.pk in principal.service_ids


def _require(actor: Actor, service: Service) -> None:
    if not can_run_meetings(actor, service):
        raise Forbidden("Only staff of this service can run its team meetings.")


def schedule_meeting(*, actor: Actor, service: Service, meets_on: date) -> TeamMeeting:
    _require(actor, service)
    if meets_on < timezone.localdate() - timedelta(days=7):
        raise InvalidInput({"meets_on": ["Schedule a meeting from last week onwards."]})
    with transaction.atomic():
        meeting = TeamMeeting.objects.create(
            service=service, meets_on=meets_on, created_by=actor.user
        )
        for item in build_agenda(service, meets_on):
            AgendaItem.objects.get_or_create(
                meeting=meeting,
                patient=item.patient,
                reason=item.reason,
                defaults={"detail": item.detail},
            )
        audit.log(
            actor,
            AuditAction.CREATE,
            target=meeting,
            detail=f"agenda of {meeting.items.count()} items",
        )
    return meeting


def record_attendance(
    *,
    actor: Actor,
    meeting: TeamMeeting,
    staff: list[StaffProfile],
    others: Sequence[tuple[str, str, Patient | None]],
) -> None:
    """Staff present, and patients or family who took part: (kind, name, patient)."""
    _require(actor, meeting.service)
    for kind, name, _ in others:
        if kind not in (AttendeeKind.PATIENT, AttendeeKind.FAMILY) or not name.strip():
            raise InvalidInput(
                {"others": ["Give the name of each patient or family member who took part."]}
            )
    with transaction.atomic():
        # Attendance is a list the team corrects, not clinical data: replace it whole.
        meeting.attendees.all().delete()
        Attendee.objects.bulk_create(
            [Attendee(meeting=meeting, kind=AttendeeKind.STAFF, staff=s) for s in staff]
            + [Attendee(meeting=meeting, kind=k, name=n.strip(), patient=p) for k, n, p in others]
        )
        audit.log(
            actor,
            AuditAction.UPDATE,
            target=meeting,
            detail=f"attendance: {len(staff)} staff, {len(others)} others",
        )


def record_discussion(
    *, actor: Actor, item: AgendaItem, discussion: str, decision: str
) -> AgendaItem:
    """Record what was said and decided; the decision lands in the patient's notes, signed."""
    _require(actor, item.meeting.service)
    if item.meeting.status != MeetingStatus.PLANNED:
        raise Conflict("This meeting's minutes are closed.")
    if not decision.strip():
        raise InvalidInput({"decision": ["Record the decision (or 'no change')."]})
    with transaction.atomic():
        note = ClinicalNote.objects.create(
            patient=item.patient,
            kind="other",
            author=actor.user,
            signed_at=timezone.now(),
            subjective=f"Team meeting {item.meeting.meets_on:%d %b %Y}: "
            f"{item.get_reason_display()}.",
            assessment=discussion.strip(),
            plan=decision.strip(),
        )
        item.discussion, item.decision, item.note = discussion.strip(), decision.strip(), note
        item.save()
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=item.patient.external_id,
            target=item,
            detail="discussed",
        )
    return item


def close_meeting(
    *, actor: Actor, meeting: TeamMeeting, expected_version: int, minutes: str
) -> TeamMeeting:
    _require(actor, meeting.service)
    with transaction.atomic():
        claimed = TeamMeeting.objects.filter(
            pk=meeting.pk, version=expected_version, status="planned"
        ).update(version=expected_version + 1, status=MeetingStatus.HELD, minutes=minutes.strip())
        if not claimed:
            raise Conflict("Someone else changed or closed this meeting. Reload it.")
        meeting.refresh_from_db()
        audit.log(actor, AuditAction.UPDATE, target=meeting, detail="minutes closed")
    return meeting
