"""The demo clinic: believable, deterministic, idempotent, and as the README says."""

from __future__ import annotations

import io
import random
import re
from datetime import date
from pathlib import Path

from django.core.management import call_command

from waypoint.core.models import Service, StaffProfile
from waypoint.demo.clinic import DEMO_LOGINS, build, random_specs
from waypoint.patients.models import EpisodeOfCare, GuardianLink, Patient

README = Path(__file__).resolve().parents[2] / "README.md"


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Patient.objects.order_by("mrn").values_list(
            "mrn",
            "given_name",
            "family_name",
            "birth_date",
            "sex",
            "episodes__status",
            "episodes__service__name",
        )
    )


def test_demo_clinic_is_believable(db: None) -> None:
    summary = build(seed=1, patients=80)
    assert summary.created_patients == 80
    assert set(Service.objects.values_list("kind", flat=True)) == {
        "adult-programme",
        "paediatric-intensive",
        "neuroirritability",
        "interventional",
    }
    staff = StaffProfile.objects.all()
    assert staff.count() >= 12
    disciplines = {s.discipline for s in staff}
    assert {
        "pain-physician",
        "nurse-practitioner",
        "nurse",
        "psychologist",
        "physiotherapist",
        "occupational-therapist",
        "dietician",
        "social-worker",
        "recreational-therapist",
        "teacher",
        "coordinator",
    } <= disciplines
    assert set(EpisodeOfCare.objects.values_list("status", flat=True)) >= {
        "planned",
        "active",
        "onhold",
        "finished",
        "cancelled",
    }
    ages = [p.age() for p in Patient.objects.all()]
    assert any(a >= 18 for a in ages)
    children = [p for p in Patient.objects.all() if 10 <= p.age() < 18]
    assert children and all(GuardianLink.objects.filter(patient=c).exists() for c in children)
    assert Patient.objects.filter(medical_complexity=True).count() >= 2
    alex = Patient.objects.get(mrn="WP000001")
    assert alex.medications.filter(drug_class="opioid").count() == 2
    plan = alex.care_plans.get()
    assert plan.goals.count() >= 1 and plan.interventions.count() == 2 and plan.reviews.count() == 1


def test_same_seed_same_clinic_and_second_run_adds_nothing(db: None) -> None:
    build(seed=7, patients=40)
    first = snapshot()
    again = build(seed=7, patients=40)
    assert again.created_patients == 0 and again.existing_patients == 40
    assert snapshot() == first
    assert len({p[0] for p in first}) == 40  # one row per patient: no duplicates


def test_another_seed_gives_other_people() -> None:
    today = date(2026, 11, 23)
    one = [(s.given, s.family, s.birth_date) for s in random_specs(random.Random(1), today, 30)]
    again = [(s.given, s.family, s.birth_date) for s in random_specs(random.Random(1), today, 30)]
    two = [(s.given, s.family, s.birth_date) for s in random_specs(random.Random(2), today, 30)]
    assert one == again
    assert one != two


def test_command_prints_the_logins_the_readme_lists(db: None) -> None:
    out = io.StringIO()
    call_command("demo_data", "--patients", "10", "--no-progress", stdout=out)
    text = out.getvalue()
    readme = README.read_text()
    for login in DEMO_LOGINS:
        assert login.username in text
        assert re.search(rf"`{re.escape(login.username)}`", readme), (
            f"README lacks {login.username}"
        )
    assert "waypoint-demo" in text and "waypoint-demo" in readme
