"""Demo referrals in every state, for ``python -m waypoint demo-data`` (idempotent).

Each demo referral carries the referrer's reference (``ref. D01``...) at the end of the
referrer's contact: one that already exists in the clinic is left alone, so running the
builder twice changes nothing. Accepted referrals are about patients already in the
demo clinic (matched by MRN), so the demo's patient list stays as the demo builds it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from waypoint.core.audit import system_actor
from waypoint.core.models import Clinic, Service
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.patients.rules import OPEN_EPISODE_STATUSES

from . import services
from .choices import DuplicateChoice, Outcome, Priority
from .models import Referral

ALL_DISCLOSED = {
    "mental-health": True,
    "addictions": True,
    "care-support": True,
    "psychosocial-history": True,
    "medication-history": True,
    "previous-interventions": True,
    "proposed-referrals": True,
}
NO_FLAGS = {
    code: "absent"
    for code in (
        "severe-mental-illness",
        "unmanaged-suicide-risk",
        "unexplained-weight-loss",
        "inflammatory-joint-or-connective-tissue-disease",
        "cardio-respiratory-disease",
        "lymphadenopathy",
        "progressive-neurological-symptoms",
        "acute-trauma",
        "cauda-equina",
        "unremitting-night-pain",
    )
}


@dataclass(frozen=True)
class DemoReferral:
    given: str
    family: str
    born: date
    kind: str
    days_ago: int
    diagnosis: str
    months: int
    sites: str
    extra: dict[str, Any] = field(default_factory=dict)
    decisions: tuple[dict[str, Any], ...] = ()

    @property
    def accepted(self) -> bool:
        return any(step["outcome"] == Outcome.ACCEPT for step in self.decisions)


def _specs(today: date) -> list[DemoReferral]:
    def born(years: int, days: int = 40) -> date:
        return date(today.year - years, 1, 1) + timedelta(days=days)

    adult_facts = {
        "pain_is_primary": True,
        "biomedical_intervention_unhelpful": True,
        "self_management_activated": True,
        "disclosures": ALL_DISCLOSED,
        "red_flags": NO_FLAGS,
    }
    return [
        DemoReferral(
            "Priya",
            "Shah",
            born(42),
            "adult-programme",
            3,
            "musculoskeletal-non-malignant",
            24,
            "Lower back",
            adult_facts,
        ),
        DemoReferral(
            "Daniel",
            "Okoro",
            born(55),
            "adult-programme",
            9,
            "fibromyalgia",
            60,
            "Widespread",
            {"red_flags": NO_FLAGS},
        ),
        DemoReferral(
            "Margaret",
            "Doyle",
            born(67),
            "adult-programme",
            1,
            "musculoskeletal-non-malignant",
            8,
            "Lower back, legs",
            {
                **adult_facts,
                "red_flags": {
                    **NO_FLAGS,
                    "cauda-equina": "present",
                    "unremitting-night-pain": "present",
                },
            },
        ),
        DemoReferral(
            "Tomasz",
            "Nowak",
            born(38),
            "adult-programme",
            20,
            "neuropathic",
            14,
            "Left foot",
            {"red_flags": NO_FLAGS},
            (
                {
                    "outcome": Outcome.REQUEST_INFORMATION,
                    "reason": "Please send the psychology report.",
                },
            ),
        ),
        DemoReferral(
            "Helen",
            "Price",
            born(49),
            "adult-programme",
            160,
            "musculoskeletal-non-malignant",
            36,
            "Neck and shoulders",
            adult_facts,
            ({"outcome": Outcome.ACCEPT, "priority": Priority.ROUTINE, "reason": ""},),
        ),
        DemoReferral(
            "Yusuf",
            "Demir",
            born(33),
            "adult-programme",
            45,
            "crps",
            11,
            "Right hand",
            adult_facts,
            ({"outcome": Outcome.ACCEPT, "priority": Priority.SOON, "reason": ""},),
        ),
        DemoReferral(
            "Ruth",
            "Baker",
            born(71),
            "adult-programme",
            30,
            "cancer-related",
            5,
            "Chest wall",
            {"red_flags": NO_FLAGS},
            (
                {
                    "outcome": Outcome.DECLINE,
                    "reason": "Cancer-related pain: referred back to the palliative care team.",
                },
            ),
        ),
        DemoReferral(
            "Oliver",
            "Grant",
            born(29),
            "adult-programme",
            12,
            "inflammatory",
            10,
            "Knees and wrists",
            {
                **adult_facts,
                "red_flags": {
                    **NO_FLAGS,
                    "inflammatory-joint-or-connective-tissue-disease": "present",
                },
            },
            (
                {
                    "outcome": Outcome.URGENT_REVIEW,
                    "reason": "Possible inflammatory arthritis: rheumatology review first.",
                },
            ),
        ),
        DemoReferral(
            "Leah",
            "Walsh",
            born(15),
            "paediatric-intensive",
            25,
            "crps",
            7,
            "Left ankle",
            {
                "functional_disability": True,
                "outpatient_mdt_tried": True,
                "red_flags": NO_FLAGS,
                "disclosures": ALL_DISCLOSED,
            },
            (
                {
                    "outcome": Outcome.ACCEPT,
                    "priority": Priority.URGENT,
                    "reason": "Not attending school.",
                },
            ),
        ),
        DemoReferral(
            "Noah",
            "Fraser",
            born(12),
            "paediatric-intensive",
            6,
            "abdominal",
            5,
            "Abdomen",
            {"functional_disability": True, "red_flags": NO_FLAGS},
        ),
        DemoReferral(
            "Amelia",
            "Khan",
            born(8),
            "paediatric-intensive",
            14,
            "other",
            4,
            "Legs",
            {"medical_complexity": True, "recurrent_pain_behaviours": True},
            (
                {
                    "outcome": Outcome.REDIRECT,
                    "service": "neuroirritability",
                    "reason": "Child with medical complexity: neuroirritability clinic.",
                },
            ),
        ),
        DemoReferral(
            "George",
            "Ellis",
            born(61),
            "adult-programme",
            18,
            "musculoskeletal-non-malignant",
            30,
            "Lower back",
            {"requested_procedure": "Lumbar medial branch block", "referrer_is_physician": True},
            (
                {
                    "outcome": Outcome.REDIRECT,
                    "service": "interventional",
                    "reason": "Asks for a named procedure.",
                },
            ),
        ),
        DemoReferral(
            "Sofia",
            "Rossi",
            born(45),
            "adult-programme",
            40,
            "headache",
            20,
            "Head",
            {"red_flags": NO_FLAGS},
            (
                {
                    "outcome": Outcome.REDIRECT,
                    "redirect_to": "Regional headache clinic",
                    "reason": "Primary headache disorder.",
                },
            ),
        ),
    ]


def build_referrals(clinic: Clinic, rng: random.Random, today: date) -> None:
    """Add the demo referrals that are missing, then their decisions."""
    kinds = {s.kind: s for s in Service.objects.filter(clinic=clinic)}
    users = get_user_model().objects.filter(username__in=["coordinator", "lead"])
    by_name = {u.username: u for u in users}
    if "coordinator" not in by_name or "lead" not in by_name:
        return
    receiver = system_actor(by_name["coordinator"], path="demo-data")
    decider = system_actor(by_name["lead"], path="demo-data")
    for number, spec in enumerate(_specs(today), start=1):
        service = kinds.get(spec.kind)
        reference = f"ref. D{number:02d}"
        if (
            service is None
            or Referral.objects.filter(clinic=clinic, referrer_contact__endswith=reference).exists()
        ):
            continue
        person: dict[str, Any] = {
            "given_name": spec.given,
            "family_name": spec.family,
            "birth_date": spec.born,
        }
        if spec.accepted:
            known = _waiting_candidate(clinic, service, today)
            if known is None:
                continue
            person = {
                "mrn": known.mrn,
                "given_name": known.given_name,
                "family_name": known.family_name,
                "birth_date": known.birth_date,
                "sex": known.sex,
            }
        extra = dict(spec.extra)
        fields = {
            "received_on": today - timedelta(days=spec.days_ago),
            "source": rng.choice(["gp", "gp", "hospital-specialist", "internal-team"]),
            "referrer_name": rng.choice(["Dr Ann Hughes", "Dr Kwame Mensah", "Dr Lucy Zhang"]),
            "referrer_organisation": rng.choice(["Riverside Surgery", "City Hospital"]),
            "referrer_contact": f"referrals@example.org, {reference}",
            "sex": rng.choice(["female", "male"]),
            **person,
            "reason": f"Persistent {spec.sites.lower()} pain limiting daily activity.",
            "pain_sites": spec.sites,
            "pain_duration_months": spec.months,
            "diagnosis": spec.diagnosis,
            "previous_treatments": "Physiotherapy; simple analgesia.",
            "current_medicines": "Paracetamol 1 g four times a day as needed.",
            "funding": "NHS",
            **extra,
        }
        referral = services.create_referral(
            actor=receiver,
            service=service,
            fields=fields,
            duplicate_choice=DuplicateChoice.DIFFERENT,
        )
        for step in spec.decisions:
            target = kinds.get(step.get("service", "")) if "service" in step else None
            services.decide(
                actor=decider,
                referral=referral,
                expected_version=referral.version,
                outcome=step["outcome"],
                reason=step.get("reason", ""),
                service=target,
                priority=step.get("priority", ""),
                redirect_to=step.get("redirect_to", ""),
            )


def _waiting_candidate(clinic: Clinic, service: Service, today: date) -> Patient | None:
    """A demo patient of the right age with no open episode in ``service``."""
    open_here = EpisodeOfCare.objects.filter(
        patient=OuterRef("pk"), service=service, status__in=OPEN_EPISODE_STATUSES
    )
    low, high = service.age_min or 0, service.age_max if service.age_max is not None else 120
    candidates = (
        Patient.objects.filter(clinic=clinic, status="active")
        .exclude(Exists(open_here))
        .exclude(referrals__isnull=False)
        .order_by("mrn")
    )
    return next((p for p in candidates if low <= p.age(today) <= high), None)
