"""Shared fixtures: a small two-service clinic with one user per role, and clients."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.core.models import Clinic, Service, StaffProfile
from waypoint.patients.models import EpisodeOfCare, Guardian, Patient

from .factories import (
    PASSWORD,
    CareTeamMemberFactory,
    ClinicFactory,
    EpisodeFactory,
    GuardianFactory,
    GuardianLinkFactory,
    PatientFactory,
    ServiceFactory,
    StaffFactory,
    UserFactory,
)


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    try:
        anchor = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anchor = date(today.year - years, 2, 28)
    return date.fromordinal(anchor.toordinal() - days)


@dataclass
class World:
    clinic: Clinic
    adult: Service
    paeds: Service
    staff: dict[str, StaffProfile]
    adult_patient: Patient  # has the 'patient' login, episode in adult service
    other_adult: Patient  # same service, no login
    child: Patient  # paediatric, guardian 'guardian'
    grown_up: Patient  # turned 18 yesterday; guardian 'old.guardian' without renewal
    renewed: Patient  # turned 18, guardian 'renewed.guardian' renewed until next month
    foreign: Patient  # another clinic
    episode: EpisodeOfCare
    guardian: Guardian


@pytest.fixture(autouse=True)
def fast_password_hashing(request: pytest.FixtureRequest, settings: object) -> None:
    """Argon2 is deliberately slow; tests that sign in dozens of users use MD5 instead.

    Tests marked ``real_hashers`` keep the production setting (argon2).
    """
    if "real_hashers" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def world(db: None) -> World:
    clinic = ClinicFactory(name="Test Pain Service", slug="test")
    adult = ServiceFactory(
        clinic=clinic, name="Adult programme", kind="adult-programme", age_min=18
    )
    paeds = ServiceFactory(
        clinic=clinic,
        name="Paediatric programme",
        kind="paediatric-intensive",
        age_min=10,
        age_max=18,
    )
    staff = {
        "clinician": StaffFactory(
            user=UserFactory(username="clinician"),
            clinic=clinic,
            role="clinician",
            discipline="pain-physician",
            services=[adult],
        ),
        "nurse": StaffFactory(
            user=UserFactory(username="nurse"),
            clinic=clinic,
            role="nurse",
            discipline="nurse",
            services=[adult],
        ),
        "coordinator": StaffFactory(
            user=UserFactory(username="coordinator"),
            clinic=clinic,
            role="coordinator",
            discipline="coordinator",
            services=[adult, paeds],
        ),
        "lead": StaffFactory(
            user=UserFactory(username="lead"),
            clinic=clinic,
            role="clinic-lead",
            discipline="pain-physician",
            services=[],
        ),
        "admin": StaffFactory(
            user=UserFactory(username="admin"),
            clinic=clinic,
            role="admin",
            discipline="",
            services=[],
        ),
        "outsider": StaffFactory(
            user=UserFactory(username="outsider"),
            clinic=clinic,
            role="clinician",
            discipline="physiotherapist",
            services=[paeds],
        ),
    }
    adult_patient = PatientFactory(
        clinic=clinic,
        given_name="Alex",
        family_name="Morgan",
        mrn="A00001",
        user=UserFactory(username="patient"),
    )
    episode = EpisodeFactory(patient=adult_patient, service=adult)
    CareTeamMemberFactory(episode=episode, staff=staff["clinician"], role="lead-clinician")
    other_adult = PatientFactory(
        clinic=clinic, given_name="Olivia", family_name="Other", mrn="A00002"
    )
    EpisodeFactory(patient=other_adult, service=adult)
    child = PatientFactory(
        clinic=clinic,
        given_name="Riley",
        family_name="Chen",
        mrn="C00001",
        birth_date=years_ago(14),
    )
    EpisodeFactory(patient=child, service=paeds)
    guardian = GuardianFactory(
        given_name="Mei", family_name="Chen", user=UserFactory(username="guardian")
    )
    GuardianLinkFactory(guardian=guardian, patient=child)
    grown_up = PatientFactory(
        clinic=clinic,
        given_name="Gwen",
        family_name="Grown",
        mrn="C00002",
        birth_date=years_ago(18, days=1),
    )
    EpisodeFactory(patient=grown_up, service=paeds)
    GuardianLinkFactory(
        guardian=GuardianFactory(user=UserFactory(username="old.guardian")), patient=grown_up
    )
    renewed = PatientFactory(
        clinic=clinic,
        given_name="Ray",
        family_name="Renewed",
        mrn="C00003",
        birth_date=years_ago(18, days=10),
    )
    EpisodeFactory(patient=renewed, service=paeds)
    GuardianLinkFactory(
        guardian=GuardianFactory(user=UserFactory(username="renewed.guardian")),
        patient=renewed,
        renewed_until=date.fromordinal(timezone.localdate().toordinal() + 30),
    )
    other_clinic = ClinicFactory(name="Elsewhere", slug="elsewhere")
    foreign = PatientFactory(
        clinic=other_clinic, given_name="Finn", family_name="Foreign", mrn="A00001"
    )
    EpisodeFactory(
        patient=foreign, service=ServiceFactory(clinic=other_clinic, name="Their programme")
    )
    return World(
        clinic,
        adult,
        paeds,
        staff,
        adult_patient,
        other_adult,
        child,
        grown_up,
        renewed,
        foreign,
        episode,
        guardian,
    )


@pytest.fixture
def login() -> Callable[[str], Client]:
    """A client signed in as ``username`` through the real login form."""

    def _login(username: str) -> Client:
        client = Client()
        response = client.post("/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, f"login as {username} failed"
        return client

    return _login
