"""Demo medicines: Alex Morgan on two opioids and a benzodiazepine, and a few others."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from waypoint.core.extensions import demo_builder
from waypoint.patients.models import Patient

from .models import MedicationEntry, MonitoringCheck, Procedure
from .services import check_entry

# ingredient, form, route, strength, unit, frequency, indication
ALEX = [
    ("oxycodone", "tablet", "oral", "10", "mg", "bd", "low back pain"),
    ("morphine", "tablet", "oral", "10", "mg", "prn max 3/day", "breakthrough pain"),
    ("diazepam", "tablet", "oral", "5", "mg", "nocte", "muscle spasm"),
    ("pregabalin", "capsule", "oral", "75", "mg", "bd", "leg pain"),
    ("senna", "tablet", "oral", "7.5", "mg", "nocte", "constipation"),
]
OTHERS = [
    [
        ("tramadol", "capsule", "oral", "50", "mg", "qds", "back pain"),
        ("amitriptyline", "tablet", "oral", "10", "mg", "nocte", "sleep and pain"),
    ],
    [
        ("fentanyl", "patch", "transdermal", "25", "mcg/hr", "every 72 hours", "widespread pain"),
        ("duloxetine", "capsule", "oral", "60", "mg", "once daily", "pain and mood"),
    ],
    [
        ("ibuprofen", "tablet", "oral", "400", "mg", "tds", "knee pain"),
        ("codeine/acetaminophen", "tablet", "oral", "30", "mg", "qds", "knee pain"),
    ],
]


@demo_builder(order=30)
def build(clinic: Any, rng: random.Random, today: date) -> None:
    if MedicationEntry.objects.filter(patient__clinic=clinic).exists():
        return  # idempotent: medicines were added on an earlier run
    doctor = get_user_model().objects.filter(username="clinician").first()
    alex = Patient.objects.filter(clinic=clinic, mrn="WP000001").first()
    if alex is not None:
        _add(alex, ALEX, today - timedelta(days=400), doctor)
        MonitoringCheck.objects.create(
            patient=alex,
            kind="pdmp",
            done_on=today - timedelta(days=120),
            result="No other prescribers",
            recorded_by=doctor,
        )
        Procedure.objects.create(
            patient=alex,
            kind="medial-branch-block",
            detail="L4/5, L5/S1 medial branches",
            side="bilateral",
            level="L4-S1",
            performed_on=today - timedelta(days=60),
            performed_by="Dr Sam Patel",
            consent_recorded=True,
            pain_before=7,
            pain_after=2,
            relief_percent=70,
            relief_days=2,
            followed_up_on=today - timedelta(days=45),
            recorded_by=doctor,
        )
    adults = [
        p
        for p in Patient.objects.filter(
            clinic=clinic, birth_date__lt=today - timedelta(days=365 * 19)
        ).order_by("mrn")[1:40]
        if rng.random() < 0.3
    ]
    for patient, drugs in zip(adults, OTHERS * 10, strict=False):
        _add(patient, drugs, today - timedelta(days=rng.randint(30, 700)), doctor)


def _add(patient: Patient, drugs: Sequence[tuple[str, ...]], start: date, by: Any) -> None:
    for ingredient, form, route, strength, unit, frequency, indication in drugs:
        entry = MedicationEntry(
            patient=patient,
            ingredient=ingredient,
            form=form,
            route=route,
            strength=Decimal(strength),
            strength_unit=unit,
            frequency=frequency,
            indication=indication,
            prescriber="GP",
            start=start,
            recorded_by=by,
        )
        check_entry(entry)  # the same checks and derived fields as a clinician's entry
        entry.save()
