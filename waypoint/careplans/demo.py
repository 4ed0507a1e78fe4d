"""Demo care plans: Alex Morgan's plan with goals, interventions and a review."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from waypoint.core.audit import system_actor
from waypoint.core.extensions import demo_builder
from waypoint.core.models import StaffProfile
from waypoint.patients.models import Patient

from . import services
from .models import CarePlan


@demo_builder(order=60)
def build(clinic: Any, rng: random.Random, today: date) -> None:
    alex = Patient.objects.filter(clinic=clinic, mrn="WP000001").first()
    episode = alex.episodes.filter(status="active").first() if alex else None
    if alex is None or episode is None or CarePlan.objects.filter(episode=episode).exists():
        return  # idempotent
    doctor = get_user_model().objects.get(username="clinician")
    actor = system_actor(doctor)
    start = episode.start or today - timedelta(days=21)
    plan = services.create_plan(
        actor=actor,
        episode=episode,
        starts_on=start,
        review_interval_days=14,
        summary="Function first: graded walking and pacing, sleep, and a gentle opioid review.",
        patient_summary="We will help you walk further and sleep better, step by step, "
        "and look at your pain medicines together.",
    )
    version = 1
    for category, text in (
        ("pain", "Chronic low back pain, 4 years"),
        ("function", "Walks 10 minutes at most"),
        ("sleep", "Wakes 3 times a night with pain"),
        ("psychosocial", "Off work since March"),
    ):
        services.add_problem(
            actor=actor, plan=plan, expected_version=version, category=category, description=text
        )
        version += 1
    walking = services.add_goal(
        actor=actor,
        plan=plan,
        expected_version=version,
        fields={
            "statement": "Walk to the park and back (20 minutes) without a flare",
            "measure": "gas",
            "measure_code": "",
            "measure_part": "",
            "baseline": None,
            "target": None,
            "due_on": start + timedelta(days=42),
        },
    )
    version += 1
    physio = StaffProfile.objects.get(user__username="physio.adult")
    psych = StaffProfile.objects.get(user__username="psych.adult")
    for kind, text, owner, freq, you in (
        (
            "physiotherapy",
            "Graded walking programme",
            physio,
            "weekly, 45 minutes",
            "Walk 10 minutes every morning; add 2 minutes each week",
        ),
        (
            "psychology-act",
            "Acceptance and commitment therapy (group)",
            psych,
            "weekly group, 2 hours",
            "Notice one value-based action each day",
        ),
    ):
        services.add_intervention(
            actor=actor,
            plan=plan,
            expected_version=version,
            fields={
                "kind": kind,
                "description": text,
                "owner": owner,
                "frequency": freq,
                "patient_instructions": you,
                "starts_on": start,
                "review_on": start + timedelta(days=42),
                "stop_rule": "no-goal-improved",
                "stop_after_reviews": 3,
            },
        )
        version += 1
    held = min(today, start + timedelta(days=14))
    decisions = [services.DecisionInput(i, "continue", "") for i in plan.interventions.all()]
    services.record_review(
        actor=actor,
        plan=plan,
        expected_version=version,
        held_on=held,
        summary="Walking 14 minutes most days; one flare after gardening.",
        next_review_on=held + timedelta(days=14),
        decisions=decisions,
        gas_ratings={walking.pk: -1},
    )
