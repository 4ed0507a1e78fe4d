"""factory_boy factories: each test builds exactly the world it needs."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from waypoint.core.models import Clinic, Service, StaffProfile
from waypoint.patients.models import CareTeamMember, EpisodeOfCare, Guardian, GuardianLink, Patient

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password(PASSWORD)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = "adult-programme"
    age_min = 18


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    clinic = factory.SubFactory(ClinicFactory)
    role = "clinician"
    discipline = "physiotherapist"

    @factory.post_generation
    def services(self, create: bool, extracted: list[Service] | None, **kwargs: object) -> None:
        if create and extracted:
            self.services.set(extracted)


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    mrn = factory.Sequence(lambda n: f"T{n:06d}")
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    birth_date = date(1980, 5, 17)
    sex = "female"


class EpisodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EpisodeOfCare

    patient = factory.SubFactory(PatientFactory)
    service = factory.SubFactory(ServiceFactory)
    status = "active"
    start = date(2026, 1, 5)


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    given_name = "Pat"
    family_name = factory.Sequence(lambda n: f"Parent{n}")


class GuardianLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuardianLink

    guardian = factory.SubFactory(GuardianFactory)
    patient = factory.SubFactory(PatientFactory)
    relationship = "mother"


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    episode = factory.SubFactory(EpisodeFactory)
    staff = factory.SubFactory(StaffFactory)
    role = "member"
