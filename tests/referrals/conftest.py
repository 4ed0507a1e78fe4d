"""Helpers for the referrals tests: valid referral input and actors for the world's users."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from waypoint.core.audit import Actor, system_actor
from waypoint.core.models import Service
from waypoint.referrals import services
from waypoint.referrals.models import Referral

from ..conftest import years_ago

ALL_ABSENT = {
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


def referral_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "source": "gp",
        "referrer_name": "Dr Ann Hughes",
        "referrer_organisation": "Riverside Surgery",
        "given_name": "Nadia",
        "family_name": "Novak",
        "birth_date": years_ago(40),
        "sex": "female",
        "reason": "Persistent low back pain.",
        "pain_sites": "Lower back",
        "pain_duration_months": 24,
        "diagnosis": "musculoskeletal-non-malignant",
        "pain_is_primary": True,
        "biomedical_intervention_unhelpful": True,
        "red_flags": dict(ALL_ABSENT),
        "disclosures": {"mental-health": True},
    }
    fields.update(overrides)
    return fields


def actor(username: str) -> Actor:
    return system_actor(get_user_model().objects.get(username=username), path="test")


@pytest.fixture
def make_referral() -> Callable[..., Referral]:
    def make(
        service: Service, *, by: str = "coordinator", choice: str = "", **overrides: Any
    ) -> Referral:
        return services.create_referral(
            actor=actor(by),
            service=service,
            fields=referral_fields(**overrides),
            duplicate_choice=choice,
        )

    return make
