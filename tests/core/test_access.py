"""The access rules (core.access), table-driven, and their SQL twin in patients.queries."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from waypoint.core.access import (
    GuardianGrant,
    PatientFacts,
    Principal,
    Role,
    can_edit_patient,
    can_register_patient,
    can_view_audit_log,
    can_view_patient,
    eighteenth_birthday,
    proxy_valid,
)
from waypoint.core.principals import principal_for
from waypoint.patients.models import Patient
from waypoint.patients.queries import patient_facts, visible_patients

from ..conftest import World

CHILD = PatientFacts(
    patient_id=7, clinic_id=1, birth_date=date(2010, 6, 15), service_ids=frozenset({2})
)
ADULT = PatientFacts(
    patient_id=8, clinic_id=1, birth_date=date(1970, 1, 1), service_ids=frozenset({1})
)
FOREIGN = PatientFacts(
    patient_id=9, clinic_id=2, birth_date=date(1970, 1, 1), service_ids=frozenset({1})
)
TODAY = date(2026, 11, 23)


def staff(role: Role, services: set[int], clinic: int = 1) -> Principal:
    return Principal(user_id=1, role=role, clinic_id=clinic, service_ids=frozenset(services))


# (who, patient, may view, may edit, why)
CASES = [
    (staff(Role.CLINICIAN, {1}), ADULT, True, True, "episode in a service they work in"),
    (staff(Role.CLINICIAN, {2}), ADULT, False, False, "staff outside the patient's services"),
    (staff(Role.NURSE, {1, 2}), CHILD, True, True, "nurse in the child's service"),
    (staff(Role.COORDINATOR, set()), ADULT, False, False, "coordinator in no service"),
    (staff(Role.ADMIN, set()), ADULT, False, False, "admin has no clinical reach by role"),
    (staff(Role.CLINIC_LEAD, set()), ADULT, True, True, "clinic lead sees the whole clinic"),
    (staff(Role.CLINIC_LEAD, set()), FOREIGN, False, False, "never another clinic's patients"),
    (staff(Role.CLINICIAN, {1}), FOREIGN, False, False, "same service id, other clinic"),
    (
        Principal(1, Role.PATIENT, clinic_id=1, patient_id=8),
        ADULT,
        True,
        False,
        "own record, read-only",
    ),
    (Principal(1, Role.PATIENT, clinic_id=1, patient_id=8), CHILD, False, False, "another patient"),
    (
        Principal(1, Role.GUARDIAN, guardian_grants=(GuardianGrant(7),)),
        CHILD,
        True,
        False,
        "linked minor",
    ),
    (
        Principal(1, Role.GUARDIAN, guardian_grants=(GuardianGrant(7),)),
        ADULT,
        False,
        False,
        "not linked",
    ),
    (Principal(None, None), ADULT, False, False, "anonymous"),
]


@pytest.mark.parametrize(
    ("who", "patient", "view", "edit", "why"), CASES, ids=[c[4] for c in CASES]
)
def test_rules(who: Principal, patient: PatientFacts, view: bool, edit: bool, why: str) -> None:
    assert can_view_patient(who, patient, TODAY) is view
    assert can_edit_patient(who, patient, TODAY) is edit


# Proxy access ends on the 18th birthday unless renewed (issue #2).
PROXY = [
    (date(2008, 11, 24), None, TODAY, True, "18 tomorrow"),
    (date(2008, 11, 23), None, TODAY, False, "18 today"),
    (date(2008, 11, 23), date(2027, 5, 1), TODAY, True, "18 today, renewed"),
    (date(2008, 11, 23), date(2026, 11, 22), TODAY, False, "renewal lapsed yesterday"),
    (date(2008, 11, 23), date(2026, 11, 23), TODAY, True, "renewal ends today, inclusive"),
    (date(2008, 2, 29), None, date(2026, 2, 28), True, "leap-day child, 28 Feb"),
    (date(2008, 2, 29), None, date(2026, 3, 1), False, "leap-day child turns 18 on 1 March"),
]


@pytest.mark.parametrize(
    ("born", "renewed", "today", "valid", "why"), PROXY, ids=[p[4] for p in PROXY]
)
def test_proxy_ends_at_eighteen(
    born: date, renewed: date | None, today: date, valid: bool, why: str
) -> None:
    assert proxy_valid(born, renewed, today) is valid


def test_eighteenth_birthday_of_leap_day() -> None:
    assert eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert eighteenth_birthday(date(2008, 3, 1)) == date(2026, 3, 1)


def test_registration_and_audit_rights() -> None:
    assert can_register_patient(staff(Role.COORDINATOR, {1}), 1)
    assert not can_register_patient(staff(Role.COORDINATOR, {1}), 2)
    assert can_register_patient(staff(Role.CLINIC_LEAD, set()), 2)
    assert not can_register_patient(Principal(1, Role.PATIENT, patient_id=8), 1)
    assert can_view_audit_log(staff(Role.CLINIC_LEAD, set()))
    assert not can_view_audit_log(staff(Role.ADMIN, set()))


def test_sql_filter_agrees_with_rules(world: object) -> None:
    """For every user and every patient, the SQL filter and the pure rules agree."""
    today = timezone.localdate()
    patients = list(Patient.objects.all())
    facts = {p.pk: patient_facts(p) for p in patients}
    disagreements = []
    checked = 0
    for user in get_user_model().objects.all():
        principal = principal_for(user)
        in_sql = set(visible_patients(principal, today).values_list("pk", flat=True))
        for p in patients:
            checked += 1
            if (p.pk in in_sql) != can_view_patient(principal, facts[p.pk], today):
                disagreements.append((user.username, p.mrn, p.pk in in_sql))
    assert checked > 50
    assert disagreements == []


def test_entered_in_error_episode_grants_nothing(world: object) -> None:
    assert isinstance(world, World)
    world.episode.status = "entered-in-error"
    world.episode.save()
    nurse = principal_for(world.staff["nurse"].user)
    assert not visible_patients(nurse).filter(pk=world.adult_patient.pk).exists()
    assert not can_view_patient(nurse, patient_facts(world.adult_patient), timezone.localdate())
