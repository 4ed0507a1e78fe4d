"""Demo data: questionnaire histories and a couple of open safety alerts.

Deterministic for a seed and idempotent: a patient who already has responses is left
alone. Alex Morgan (WP000001) gets a PHQ-9 and PEG history that improves past the MCID,
from earlier care (no measurement point of the current episode, so that the current
episode's intake set stays due in the portal); two other adults have an open alert.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from waypoint.core.audit import Actor, system_actor
from waypoint.core.models import Clinic
from waypoint.patients.models import EpisodeOfCare, Patient

from . import catalogue, services

ALEX = "WP000001"
# (weeks before today, PHQ-9 item level, PEG level): a course that improves.
ALEX_COURSE = [(24, 2, 8), (16, 2, 7), (8, 1, 5), (2, 1, 4)]
ALERT_PATIENTS = 2


def build(clinic: Clinic, rng: random.Random, today: date) -> None:
    actor = system_actor(path="demo-data")
    alex = Patient.objects.filter(clinic=clinic, mrn=ALEX).first()
    if alex is not None and not alex.questionnaire_responses.exists():
        _course(actor, alex, today)
    adults = list(
        Patient.objects.filter(clinic=clinic, episodes__service__kind="adult-programme")
        .exclude(mrn=ALEX)
        .order_by("mrn")
        .distinct()[:40]
    )
    if not adults:
        return
    for patient in rng.sample(adults, min(ALERT_PATIENTS, len(adults))):
        if patient.questionnaire_responses.exists():
            continue
        answers = _phq9(level=2, item9=1)
        services.record_completed(
            actor=actor,
            patient=patient,
            instrument_code="phq9",
            answers=answers,
            completed_at=_at(today - timedelta(days=rng.randint(0, 3))),
            measurement_point="intake",
            episode=_episode(patient),
        )


def _course(actor: Actor, patient: Patient, today: date) -> None:
    for weeks, phq_level, peg_level in ALEX_COURSE:
        when = _at(today - timedelta(weeks=weeks))
        for code, answers in (("phq9", _phq9(phq_level, 0)), ("peg", _peg(peg_level))):
            services.record_completed(
                actor=actor,
                patient=patient,
                instrument_code=code,
                answers=answers,
                completed_at=when,
            )


def _episode(patient: Patient) -> EpisodeOfCare | None:
    return patient.episodes.exclude(status="entered-in-error").order_by("-created_at").first()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _phq9(level: int, item9: int) -> dict[str, int]:
    instrument = catalogue.load()["phq9"]
    safety = {rule.item for rule in instrument.safety_items}
    answers = {}
    for index, item in enumerate(instrument.items):
        if not item.required:
            continue
        answers[item.code] = item9 if item.code in safety else min(3, level + index % 2)
    return answers


def _peg(level: int) -> dict[str, int]:
    instrument = catalogue.load()["peg"]
    return {item.code: min(10, level + index % 2) for index, item in enumerate(instrument.items)}
