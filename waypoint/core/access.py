"""Who may see and change what: the one place where access is decided.

Plain Python, no Django imports: views, the API and the SQL filters in
``patients.queries`` all follow these rules, and ``tests/core/test_access.py`` checks
that the SQL filter and these functions agree for every user and patient of a clinic.

The rules (DESIGN.md, "Security"; issue #2):

* staff see a patient who has an episode of care in a service they work in; the clinic
  lead sees every patient of the clinic; nobody sees another clinic's patients;
* a patient sees only their own record;
* a guardian sees the records of the minors linked to them; proxy access ends at the
  child's 18th birthday unless the link was renewed (then it lasts to the renewal date);
* patients and guardians change nothing through this layer (they answer questionnaires
  and the like through the portal's own, narrower operations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Role(StrEnum):
    CLINICIAN = "clinician"
    NURSE = "nurse"
    COORDINATOR = "coordinator"
    CLINIC_LEAD = "clinic-lead"
    ADMIN = "admin"
    PATIENT = "patient"
    GUARDIAN = "guardian"


STAFF_ROLES = frozenset(
    {Role.CLINICIAN, Role.NURSE, Role.COORDINATOR, Role.CLINIC_LEAD, Role.ADMIN}
)
ADULT_AGE = 18


@dataclass(frozen=True)
class GuardianGrant:
    """A guardian's link to one child, as the access rules need it."""

    patient_id: int
    renewed_until: date | None = None


@dataclass(frozen=True)
class Principal:
    """The signed-in person as the rules see them. ``role`` is None when anonymous."""

    user_id: int | None
    role: Role | None
    clinic_id: int | None = None
    service_ids: frozenset[int] = frozenset()
    patient_id: int | None = None
    guardian_grants: tuple[GuardianGrant, ...] = field(default_factory=tuple)

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def staff_clinic_id(self) -> int:
        """The clinic of a staff member; asking it of anyone else is a programming error."""
        if self.clinic_id is None or not self.is_staff_member:
            raise ValueError("Only staff principals belong to a clinic.")
        return self.clinic_id

    @property
    def is_portal_user(self) -> bool:
        return self.role in (Role.PATIENT, Role.GUARDIAN)


@dataclass(frozen=True)
class PatientFacts:
    """What the rules need to know of a patient record."""

    patient_id: int
    clinic_id: int
    birth_date: date
    service_ids: frozenset[int]


def eighteenth_birthday(birth_date: date) -> date:
    """The day proxy access ends; a 29 February birthday falls on 1 March."""
    try:
        return birth_date.replace(year=birth_date.year + ADULT_AGE)
    except ValueError:
        return date(birth_date.year + ADULT_AGE, 3, 1)


def proxy_valid(birth_date: date, renewed_until: date | None, today: date) -> bool:
    """Whether a guardian's proxy access to a child holds on ``today``.

    It holds until the day before the 18th birthday; a renewal (recorded when, for
    example, a young adult lacks capacity or consents) extends it to ``renewed_until``
    inclusive.
    """
    if today < eighteenth_birthday(birth_date):
        return True
    return renewed_until is not None and today <= renewed_until


def can_view_patient(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """Whether ``principal`` may read ``patient``'s record on ``today``."""
    role = principal.role
    if role is None:
        return False
    if role == Role.PATIENT:
        return principal.patient_id == patient.patient_id
    if role == Role.GUARDIAN:
        return any(
            grant.patient_id == patient.patient_id
            and proxy_valid(patient.birth_date, grant.renewed_until, today)
            for grant in principal.guardian_grants
        )
    if principal.clinic_id != patient.clinic_id:
        return False
    if role == Role.CLINIC_LEAD:
        return True
    return bool(principal.service_ids & patient.service_ids)


def can_edit_patient(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """Staff who may see a record may correct it; portal users may not."""
    return principal.is_staff_member and can_view_patient(principal, patient, today)


def can_register_patient(principal: Principal, service_id: int) -> bool:
    """Staff may register a patient into a service they work in (the lead: any)."""
    if not principal.is_staff_member:
        return False
    return principal.role == Role.CLINIC_LEAD or service_id in principal.service_ids


def can_view_audit_log(principal: Principal) -> bool:
    """The audit log is the clinic lead's (DESIGN.md, "Security")."""
    return principal.role == Role.CLINIC_LEAD


def can_manage_api_tokens(principal: Principal) -> bool:
    """Administrators mint and revoke integration tokens."""
    return principal.role == Role.ADMIN
