"""Build the demo clinic: deterministic for a seed (and the day it runs), idempotent.

Running it twice neither fails nor duplicates: services, staff and logins are keyed by
name and username, patients by MRN (``WP000001``...). Patients are drawn from the seed
all at once and only the missing ones are written, in bulk, so 10,000 take seconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from waypoint.core.choices import Discipline, ServiceKind, ServiceSetting, StaffRole
from waypoint.core.extensions import demo_builders
from waypoint.core.models import Clinic, Service, StaffProfile
from waypoint.patients.models import (
    CareTeamMember,
    EpisodeOfCare,
    Guardian,
    GuardianLink,
    Patient,
    search_key,
)

from . import people

DEMO_PASSWORD = "waypoint-demo"  # noqa: S105 - documented demo credential
BATCH = 500


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    what: str


# The README lists these; tests check the two stay the same.
DEMO_LOGINS = [
    DemoLogin(
        "clinician",
        "clinician",
        "Dr Sam Patel",
        "pain physician, adult programme and interventional clinic",
    ),
    DemoLogin("nurse", "nurse", "Grace Lin", "nurse, adult and paediatric programmes"),
    DemoLogin("coordinator", "coordinator", "Jo Reyes", "coordinator, all services"),
    DemoLogin(
        "lead", "clinic-lead", "Dr Amara Okafor", "clinic lead: every patient, the audit log"
    ),
    DemoLogin("admin", "admin", "Alex Admin", "administrator: API tokens, Django admin"),
    DemoLogin("patient", "patient", "Alex Morgan", "an adult patient in the programme"),
    DemoLogin("guardian", "guardian", "Mei Chen", "parent of Riley Chen (14)"),
]

SERVICES = [
    (
        "Adult Pain Management Programme",
        ServiceKind.ADULT_PROGRAMME,
        ServiceSetting.OUTPATIENT,
        18,
        None,
        126,
        {
            "min_pain_months": 3,
            "format": "9 weekly group sessions of 3 hours plus a 6-week follow-up",
        },
    ),
    (
        "Paediatric Intensive Pain Programme",
        ServiceKind.PAEDIATRIC_INTENSIVE,
        ServiceSetting.DAY,
        10,
        18,
        56,
        {"min_pain_months": 3, "format": "3-week day-treatment programme, school hours"},
    ),
    (
        "Neuroirritability Clinic",
        ServiceKind.NEUROIRRITABILITY,
        ServiceSetting.VIRTUAL,
        0,
        17,
        42,
        {"first_visit_minutes": 60, "follow_up_minutes": 30},
    ),
    (
        "Interventional Pain Clinic",
        ServiceKind.INTERVENTIONAL,
        ServiceSetting.OUTPATIENT,
        None,
        None,
        90,
        {},
    ),
]
ADULT, PAEDS, NEURO, INTERVENTIONAL = (s[0] for s in SERVICES)

# username, title, first, last, role, discipline, services
STAFF = [
    (
        "clinician",
        "Dr",
        "Sam",
        "Patel",
        StaffRole.CLINICIAN,
        Discipline.PAIN_PHYSICIAN,
        [ADULT, INTERVENTIONAL],
    ),
    ("nurse", "", "Grace", "Lin", StaffRole.NURSE, Discipline.NURSE, [ADULT, PAEDS]),
    (
        "coordinator",
        "",
        "Jo",
        "Reyes",
        StaffRole.COORDINATOR,
        Discipline.COORDINATOR,
        [ADULT, PAEDS, NEURO, INTERVENTIONAL],
    ),
    (
        "lead",
        "Dr",
        "Amara",
        "Okafor",
        StaffRole.CLINIC_LEAD,
        Discipline.PAIN_PHYSICIAN,
        [ADULT, PAEDS, NEURO, INTERVENTIONAL],
    ),
    ("admin", "", "Alex", "Admin", StaffRole.ADMIN, "", []),
    ("psych.adult", "Dr", "Hannah", "Byrne", StaffRole.CLINICIAN, Discipline.PSYCHOLOGIST, [ADULT]),
    ("physio.adult", "", "Tom", "Evans", StaffRole.CLINICIAN, Discipline.PHYSIOTHERAPIST, [ADULT]),
    (
        "ot.adult",
        "",
        "Priya",
        "Shah",
        StaffRole.CLINICIAN,
        Discipline.OCCUPATIONAL_THERAPIST,
        [ADULT],
    ),
    (
        "paeds.doctor",
        "Dr",
        "Kwame",
        "Mensah",
        StaffRole.CLINICIAN,
        Discipline.PAIN_PHYSICIAN,
        [PAEDS, NEURO, INTERVENTIONAL],
    ),
    (
        "np.paeds",
        "",
        "Laura",
        "Kowalski",
        StaffRole.CLINICIAN,
        Discipline.NURSE_PRACTITIONER,
        [PAEDS, NEURO],
    ),
    ("psych.paeds", "Dr", "Ines", "García", StaffRole.CLINICIAN, Discipline.PSYCHOLOGIST, [PAEDS]),
    (
        "physio.paeds",
        "",
        "Callum",
        "Hughes",
        StaffRole.CLINICIAN,
        Discipline.PHYSIOTHERAPIST,
        [PAEDS, NEURO],
    ),
    (
        "ot.paeds",
        "",
        "Rosa",
        "Lindqvist",
        StaffRole.CLINICIAN,
        Discipline.OCCUPATIONAL_THERAPIST,
        [PAEDS],
    ),
    ("dietician", "", "Fatima", "Ali", StaffRole.CLINICIAN, Discipline.DIETICIAN, [PAEDS]),
    (
        "social.worker",
        "",
        "Declan",
        "Murphy",
        StaffRole.CLINICIAN,
        Discipline.SOCIAL_WORKER,
        [PAEDS, NEURO],
    ),
    (
        "childlife",
        "",
        "Orla",
        "Kelly",
        StaffRole.CLINICIAN,
        Discipline.RECREATIONAL_THERAPIST,
        [PAEDS],
    ),
    ("teacher", "", "Ben", "Wright", StaffRole.CLINICIAN, Discipline.TEACHER, [PAEDS]),
]

STATUS_WEIGHTS = [
    ("planned", 20),
    ("active", 45),
    ("onhold", 8),
    ("finished", 20),
    ("cancelled", 7),
]


@dataclass
class PatientSpec:
    mrn: str
    given: str
    family: str
    sex: str
    birth_date: date
    service: str
    status: str
    start: date | None
    end: date | None
    reason: str
    phone: str
    email: str
    language: str
    school_or_work: str
    complexity: bool
    team: list[str] = field(default_factory=list)
    guardian: tuple[str, str, str] | None = None  # given, family, relationship


@dataclass
class Summary:
    created_patients: int = 0
    existing_patients: int = 0
    staff: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


Progress = Callable[[int], None]


def build(*, seed: int = 1, patients: int = 60, progress: Progress | None = None) -> Summary:
    """Create what is missing of the demo clinic; return what was done."""
    today = timezone.localdate()
    summary = Summary(logins=DEMO_LOGINS)
    with transaction.atomic():
        clinic, _ = Clinic.objects.get_or_create(
            slug="demo", defaults={"name": "Riverside Pain Service"}
        )
        services = _services(clinic)
        staff = _staff(clinic, services)
        summary.staff = len(staff)
        specs = _fixed_specs(today) + random_specs(random.Random(seed), today, max(patients - 2, 0))
        existing = set(Patient.objects.filter(clinic=clinic).values_list("mrn", flat=True))
        missing = [s for s in specs if s.mrn not in existing]
        summary.existing_patients = len(specs) - len(missing)
    for chunk in _chunks(missing, BATCH):
        with transaction.atomic():
            _create_patients(clinic, services, staff, chunk)
        summary.created_patients += len(chunk)
        if progress:
            progress(len(chunk))
    _portal_logins(clinic)
    for extend in demo_builders():
        with transaction.atomic():
            extend(clinic, random.Random(seed), today)
    return summary


def _services(clinic: Clinic) -> dict[str, Service]:
    result = {}
    for name, kind, setting, age_min, age_max, wait, extra in SERVICES:
        result[name], _ = Service.objects.get_or_create(
            clinic=clinic,
            name=name,
            defaults={
                "kind": kind,
                "setting": setting,
                "age_min": age_min,
                "age_max": age_max,
                "target_wait_days": wait,
                "settings": extra,
            },
        )
    return result


def _staff(clinic: Clinic, services: dict[str, Service]) -> dict[str, StaffProfile]:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)
    result = {}
    for username, title, first, last, role, discipline, service_names in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@riverside.example",
                "password": password,
                "is_staff": role == StaffRole.ADMIN,
                "is_superuser": role == StaffRole.ADMIN,
            },
        )
        profile, _ = StaffProfile.objects.get_or_create(
            user=user,
            defaults={"clinic": clinic, "role": role, "discipline": discipline, "title": title},
        )
        if created:
            profile.services.set([services[n] for n in service_names])
        result[username] = profile
    return result


def _fixed_specs(today: date) -> list[PatientSpec]:
    """The two people behind the 'patient' and 'guardian' demo logins."""
    return [
        PatientSpec(
            "WP000001",
            "Alex",
            "Morgan",
            "female",
            _birth(today, 42, 37),
            ADULT,
            "active",
            today - timedelta(days=21),
            None,
            "Chronic low back pain with reduced activity",
            "07700 900001",
            "alex.morgan@example.org",
            "English",
            "Nurse (off work)",
            False,
            team=["clinician", "psych.adult", "physio.adult"],
        ),
        PatientSpec(
            "WP000002",
            "Riley",
            "Chen",
            "male",
            _birth(today, 14, 120),
            PAEDS,
            "active",
            today - timedelta(days=10),
            None,
            "CRPS type 1, right foot, using crutches",
            "07700 900002",
            "",
            "English",
            "Riverside Academy, Year 9",
            False,
            team=["paeds.doctor", "psych.paeds", "physio.paeds", "teacher"],
            guardian=("Mei", "Chen", "mother"),
        ),
    ]


def _birth(today: date, years: int, extra_days: int) -> date:
    return (
        today.replace(year=today.year - years) - timedelta(days=extra_days)
        if not (today.month == 2 and today.day == 29)
        else date(today.year - years, 2, 28) - timedelta(days=extra_days)
    )


def random_specs(rng: random.Random, today: date, count: int) -> list[PatientSpec]:
    """``count`` patients drawn from ``rng``: the same seed and day give the same people."""
    by_service: dict[str, list[str]] = {}
    for username, *_rest, service_names in STAFF:
        if username in ("coordinator", "lead", "admin"):
            continue
        for name in service_names:
            by_service.setdefault(name, []).append(username)
    specs = []
    for i in range(count):
        mrn = f"WP{i + 3:06d}"
        roll = rng.random()
        if roll < 0.50:
            service, age = ADULT, rng.randint(19, 79)
        elif roll < 0.62:
            service, age = INTERVENTIONAL, rng.randint(16, 75)
        elif roll < 0.92:
            service, age = PAEDS, rng.randint(10, 17)
        else:
            service, age = NEURO, rng.randint(4, 17)
        sex = rng.choice(["female", "female", "male", "male", "female", "other"])
        given = rng.choice(people.GIVEN_MALE if sex == "male" else people.GIVEN_FEMALE)
        family = rng.choice(people.FAMILY)
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        start = (
            today - timedelta(days=rng.randint(5, 400))
            if status != "planned" and status != "cancelled"
            else None
        )
        end = None
        if status == "finished" and start is not None:
            end = min(today, start + timedelta(days=rng.randint(20, 120)))
        child = age < 18
        spec = PatientSpec(
            mrn=mrn,
            given=given,
            family=family,
            sex=sex,
            birth_date=_birth(today, age, rng.randint(0, 364)),
            service=service,
            status=status,
            start=start,
            end=end,
            reason=rng.choice(people.EPISODE_REASONS[_kind(service)]),
            phone=f"07700 9{rng.randint(0, 99999):05d}",
            email=""
            if child or rng.random() < 0.3
            else f"{given}.{family}{i}@example.org".lower().replace("'", ""),
            language=rng.choice(people.LANGUAGES),
            school_or_work=(
                f"{rng.choice(people.SCHOOLS)}, Year {max(age - 4, 1)}"
                if child
                else rng.choice(people.OCCUPATIONS)
            ),
            complexity=service == NEURO or (child and rng.random() < 0.05),
            team=rng.sample(by_service[service], k=min(len(by_service[service]), rng.randint(1, 3)))
            if status in ("active", "onhold", "finished")
            else [],
            guardian=(
                rng.choice(people.GIVEN_FEMALE + people.GIVEN_MALE),
                family,
                rng.choice(["mother", "father", "parent", "guardian", "carer"]),
            )
            if child
            else None,
        )
        specs.append(spec)
    return specs


def _kind(service_name: str) -> str:
    return next(kind for name, kind, *_ in SERVICES if name == service_name)


def _chunks(items: list[PatientSpec], size: int) -> Iterable[list[PatientSpec]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _create_patients(
    clinic: Clinic,
    services: dict[str, Service],
    staff: dict[str, StaffProfile],
    specs: list[PatientSpec],
) -> None:
    rows = [
        Patient(
            clinic=clinic,
            mrn=s.mrn,
            given_name=s.given,
            family_name=s.family,
            sex=s.sex,
            birth_date=s.birth_date,
            phone=s.phone,
            email=s.email,
            address=_address(int(s.mrn[2:])),
            preferred_language=s.language,
            interpreter_needed=s.language != "English",
            school_or_work=s.school_or_work,
            medical_complexity=s.complexity,
            search_name=search_key(f"{s.family} {s.given}"),
        )
        for s in specs
    ]
    bulk_create_with_history(rows, Patient, batch_size=BATCH)
    by_mrn = {
        p.mrn: p for p in Patient.objects.filter(clinic=clinic, mrn__in=[s.mrn for s in specs])
    }
    episodes = [
        EpisodeOfCare(
            patient=by_mrn[s.mrn],
            service=services[s.service],
            status=s.status,
            start=s.start,
            end=s.end,
            reason=s.reason,
            status_reason="Patient chose not to proceed" if s.status == "cancelled" else "",
        )
        for s in specs
    ]
    bulk_create_with_history(episodes, EpisodeOfCare, batch_size=BATCH)
    episode_by_patient = {
        e.patient_id: e for e in EpisodeOfCare.objects.filter(patient__in=by_mrn.values())
    }
    members = [
        CareTeamMember(
            episode=episode_by_patient[by_mrn[s.mrn].pk],
            staff=staff[username],
            role="lead-clinician" if n == 0 else "member",
            start=s.start or timezone.localdate(),
        )
        for s in specs
        for n, username in enumerate(s.team)
    ]
    bulk_create_with_history(members, CareTeamMember, batch_size=BATCH)
    guardians = {
        s.mrn: Guardian(given_name=s.guardian[0], family_name=s.guardian[1], phone=s.phone)
        for s in specs
        if s.guardian
    }
    bulk_create_with_history(list(guardians.values()), Guardian, batch_size=BATCH)
    links = [
        GuardianLink(guardian=guardians[s.mrn], patient=by_mrn[s.mrn], relationship=s.guardian[2])
        for s in specs
        if s.guardian
    ]
    bulk_create_with_history(links, GuardianLink, batch_size=BATCH)


def _address(number: int) -> str:
    return f"{number % 90 + 1} {people.STREETS[number % len(people.STREETS)]}, Riverside"


def _portal_logins(clinic: Clinic) -> None:
    """Give the fixed demo patient and guardian their portal accounts."""
    User = get_user_model()
    patient = Patient.objects.get(clinic=clinic, mrn="WP000001")
    if patient.user_id is None:
        patient.user = User.objects.create(
            username="patient",
            first_name="Alex",
            last_name="Morgan",
            password=make_password(DEMO_PASSWORD),
        )
        patient.save(update_fields=["user"])
    child = Patient.objects.get(clinic=clinic, mrn="WP000002")
    guardian = Guardian.objects.filter(links__patient=child).first()
    if guardian is not None and guardian.user_id is None:
        guardian.user = User.objects.create(
            username="guardian",
            first_name="Mei",
            last_name="Chen",
            password=make_password(DEMO_PASSWORD),
        )
        guardian.save(update_fields=["user"])


def describe(logins: list[DemoLogin]) -> list[str]:
    return [f"  {d.username:<12} {d.name:<18} {d.what}" for d in logins]
