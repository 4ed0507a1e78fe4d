"""Read paths: who can see which patients, search, the chart, home lists.

The SQL filter in ``visible_patients`` follows ``core.access`` exactly; the test
``tests/core/test_access.py::test_sql_filter_agrees_with_rules`` holds them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import PatientFacts, Principal, Role, proxy_valid
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import NotFound

from .choices import EpisodeStatus
from .models import CareTeamMember, EpisodeOfCare, GuardianLink, Patient, search_key
from .rules import OPEN_EPISODE_STATUSES

# An episode entered in error never gave anyone a reason to see the patient.
COUNTING_EPISODES = ~Q(status=EpisodeStatus.ENTERED_IN_ERROR)


def visible_patients(principal: Principal, today: date | None = None) -> QuerySet[Patient]:
    """Every patient ``principal`` may see, as one query (rules: ``core.access``)."""
    today = today or timezone.localdate()
    patients = Patient.objects.all()
    role = principal.role
    if role is None:
        return patients.none()
    if role == Role.PATIENT:
        return patients.filter(pk=principal.patient_id) if principal.patient_id else patients.none()
    if role == Role.GUARDIAN:
        granted = {g.patient_id: g.renewed_until for g in principal.guardian_grants}
        births = Patient.objects.filter(pk__in=granted).values_list("pk", "birth_date")
        valid = [pk for pk, born in births if proxy_valid(born, granted[pk], today)]
        return patients.filter(pk__in=valid)
    patients = patients.filter(clinic_id=principal.staff_clinic_id)
    if role == Role.CLINIC_LEAD:
        return patients
    in_my_services = EpisodeOfCare.objects.filter(
        COUNTING_EPISODES, patient=OuterRef("pk"), service_id__in=principal.service_ids
    )
    return patients.filter(Exists(in_my_services))


def patient_facts(patient: Patient) -> PatientFacts:
    services = patient.episodes.filter(COUNTING_EPISODES).values_list("service_id", flat=True)
    return PatientFacts(
        patient_id=patient.pk,
        clinic_id=patient.clinic_id,
        birth_date=patient.birth_date,
        service_ids=frozenset(services),
    )


def get_visible_patient(
    actor: Actor, external_id: UUID | str, *, audit_read: bool = True
) -> Patient:
    """The patient if ``actor`` may see them, else NotFound — logged either way.

    Absent and forbidden look the same to the caller, so nobody can probe for records.
    """
    wanted = _as_uuid(external_id)
    patient = (
        visible_patients(actor.principal)
        .select_related("clinic", "user")
        .filter(external_id=wanted)
        .first()
        if wanted is not None
        else None
    )
    if patient is None:
        audit.log(
            actor,
            AuditAction.DENIED,
            patient_ref=_as_uuid(external_id),
            detail="patient not visible to this user (answered 404)",
        )
        raise NotFound("No patient with this id.")
    if audit_read:
        audit.log(actor, AuditAction.READ, patient_ref=patient.external_id, target=patient)
    return patient


def _as_uuid(value: UUID | str) -> UUID | None:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        return None


DATE_PATTERNS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%d/%m/%Y"),
)
MRN_PATTERN = re.compile(r"^(?=.*\d)[A-Za-z0-9\-]{3,20}$")


@dataclass(frozen=True)
class SearchTerms:
    text: str
    birth_date: date | None = None
    mrn: str | None = None
    name: str | None = None


def parse_search(text: str) -> SearchTerms:
    """A date searches dates of birth; something with digits, MRNs; the rest, names."""
    text = text.replace("\x00", "").strip()
    for pattern, fmt in DATE_PATTERNS:
        if pattern.match(text):
            try:
                return SearchTerms(text, birth_date=datetime.strptime(text, fmt).date())
            except ValueError:
                break
    if MRN_PATTERN.match(text):
        return SearchTerms(text, mrn=text.upper())
    return SearchTerms(text, name=search_key(text))


def search_patients(principal: Principal, text: str) -> QuerySet[Patient]:
    """Visible patients matching ``text`` (name prefix per word, MRN, or date of birth)."""
    patients = visible_patients(principal)
    terms = parse_search(text)
    if terms.birth_date:
        patients = patients.filter(birth_date=terms.birth_date)
    elif terms.mrn:
        patients = patients.filter(mrn__istartswith=terms.mrn)
    elif terms.name:
        for word in terms.name.split(" "):
            patients = patients.filter(
                Q(search_name__startswith=word) | Q(search_name__contains=f" {word}")
            )
    else:
        return patients.none()
    return with_open_episodes(patients)


def with_open_episodes(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    """Prefetch each patient's open episodes and their service, for list rows."""
    return patients.prefetch_related(
        Prefetch(
            "episodes",
            queryset=EpisodeOfCare.objects.filter(status__in=OPEN_EPISODE_STATUSES).select_related(
                "service"
            ),
            to_attr="open_episodes",
        )
    )


def my_patients(principal: Principal) -> QuerySet[Patient]:
    """Patients whose open episode has this staff member on its current care team."""
    if principal.user_id is None:
        return Patient.objects.none()
    mine = CareTeamMember.objects.filter(
        staff__user_id=principal.user_id,
        end__isnull=True,
        episode__patient=OuterRef("pk"),
        episode__status__in=OPEN_EPISODE_STATUSES,
    )
    return with_open_episodes(visible_patients(principal).filter(Exists(mine)))


def patients_in_my_services(principal: Principal) -> QuerySet[Patient]:
    """Visible patients with an open episode in one of the staff member's services."""
    open_here = EpisodeOfCare.objects.filter(
        patient=OuterRef("pk"), status__in=OPEN_EPISODE_STATUSES
    )
    if principal.role != Role.CLINIC_LEAD:
        open_here = open_here.filter(service_id__in=principal.service_ids)
    return with_open_episodes(visible_patients(principal).filter(Exists(open_here)))


def chart_episodes(patient: Patient) -> QuerySet[EpisodeOfCare]:
    """The chart's episodes with service and current care team, in few queries."""
    return (
        patient.episodes.select_related("service")
        .prefetch_related(
            Prefetch(
                "care_team",
                queryset=CareTeamMember.objects.filter(end__isnull=True).select_related(
                    "staff__user"
                ),
                to_attr="current_team",
            )
        )
        .order_by("-created_at")
    )


def guardian_links(patient: Patient) -> QuerySet[GuardianLink]:
    return patient.guardian_links.exclude(status="entered-in-error").select_related("guardian")


def children_of(principal: Principal) -> QuerySet[Patient]:
    """The minors a guardian may see today."""
    if principal.role != Role.GUARDIAN:
        return Patient.objects.none()
    return visible_patients(principal)
