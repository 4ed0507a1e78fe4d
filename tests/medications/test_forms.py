"""Each form of the medicines screen, through the UI: saved once, refused once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.core.audit import system_actor
from waypoint.core.errors import InvalidInput
from waypoint.medications import services
from waypoint.medications.models import (
    MonitoringCheck,
    OpioidAgreement,
    Procedure,
    RiskProfile,
    TaperPlan,
)

from ..conftest import World

TODAY = timezone.localdate()


@pytest.fixture
def oxycodone(world: World) -> Any:
    return services.add_medication(
        actor=system_actor(world.staff["clinician"].user),
        patient=world.adult_patient,
        fields={
            "ingredient": "oxycodone",
            "form": "tablet",
            "route": "oral",
            "strength": Decimal(20),
            "strength_unit": "mg",
            "frequency": "bd",
            "start": TODAY - timedelta(days=400),
        },
    )


def url(world: World, tail: str) -> str:
    return f"/patients/{world.adult_patient.external_id}/{tail}"


FORMS: list[tuple[str, dict[str, Any], dict[str, Any], str, Callable[[], int]]] = [
    (
        "medicines/checks/add/",
        {"kind": "stop-bang", "done_on": TODAY.isoformat(), "score": 6},
        {"kind": "stop-bang", "done_on": TODAY.isoformat()},
        "score",
        lambda: MonitoringCheck.objects.count(),
    ),
    (
        "medicines/checks/add/",
        {"kind": "pdmp", "done_on": TODAY.isoformat(), "result": "clear"},
        {"kind": "pdmp", "done_on": (TODAY + timedelta(days=2)).isoformat()},
        "done_on",
        lambda: MonitoringCheck.objects.count(),
    ),
    (
        "medicines/agreement/add/",
        {
            "signed_on": TODAY.isoformat(),
            "functional_goals": "Walk the dog daily",
            "review_interval_days": 90,
        },
        {
            "signed_on": TODAY.isoformat(),
            "functional_goals": "x",
            "review_interval_days": 90,
            "last_reviewed_on": (TODAY - timedelta(days=5)).isoformat(),
        },
        "last_reviewed_on",
        lambda: OpioidAgreement.objects.count(),
    ),
    (
        "procedures/add/",
        {
            "kind": "trigger-point-injection",
            "side": "left",
            "performed_on": TODAY.isoformat(),
            "performed_by": "Dr Patel",
            "consent_recorded": "on",
            "pain_before": 7,
        },
        {
            "kind": "trigger-point-injection",
            "side": "left",
            "performed_on": TODAY.isoformat(),
            "performed_by": "Dr Patel",
            "pain_before": 7,
        },
        "consent_recorded",
        lambda: Procedure.objects.count(),
    ),
]


@pytest.mark.parametrize(
    ("tail", "good", "bad", "field", "count"), FORMS, ids=[f"{f[0]}{f[3]}" for f in FORMS]
)
def test_form_saves_and_refuses(
    world: World,
    login: Callable[[str], Client],
    oxycodone: Any,
    tail: str,
    good: dict[str, Any],
    bad: dict[str, Any],
    field: str,
    count: Callable[[], int],
) -> None:
    client = login("clinician")
    assert client.get(url(world, tail)).status_code == 200
    refused = client.post(url(world, tail), bad)
    assert refused.status_code == 422, refused.content[:300]
    assert field in refused.context["form"].errors
    assert count() == 0
    saved = client.post(url(world, tail), good)
    assert saved.status_code == 302
    assert count() == 1


def test_stop_bang_and_agreement_clear_their_alerts(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    client = login("clinician")
    page = url(world, "medicines/")

    def codes() -> set[str]:
        return {a.alert.code for a in client.get(page).context["state"].open_alerts}

    assert {"opioid-agreement-missing"} <= codes()
    client.post(
        url(world, "medicines/agreement/add/"),
        {
            "signed_on": TODAY.isoformat(),
            "functional_goals": "Back to part-time work",
            "review_interval_days": 90,
        },
    )
    assert "opioid-agreement-missing" not in codes()
    client.post(
        url(world, "medicines/checks/add/"),
        {"kind": "stop-bang", "done_on": TODAY.isoformat(), "score": 1},
    )
    assert not any("stop-bang" in c for c in codes())


def test_risk_profile_can_put_the_patient_out_of_scope(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    client = login("clinician")
    client.post(url(world, "medicines/risk/"), {"palliative_care": "on"})
    assert RiskProfile.objects.get(patient=world.adult_patient).palliative_care
    alerts = client.get(url(world, "medicines/")).context["state"].alerts
    assert [a.alert.code for a in alerts] == ["out-of-scope"]


def test_taper_through_the_ui_and_in_the_portal(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    client = login("clinician")
    bad = client.post(
        url(world, "medicines/taper/add/"),
        {
            "medication": oxycodone.pk,
            "rate_percent": "75",
            "interval_days": 28,
            "starts_on": TODAY.isoformat(),
            "floor_mg": "0",
        },
    )
    assert bad.status_code == 422 and "rate_percent" in bad.context["form"].errors
    made = client.post(
        url(world, "medicines/taper/add/"),
        {
            "medication": oxycodone.pk,
            "rate_percent": "10",
            "interval_days": 28,
            "starts_on": TODAY.isoformat(),
            "floor_mg": "0",
        },
    )
    assert made.status_code == 302
    plan = TaperPlan.objects.get()
    first = plan.steps.get(number=1)
    edited = client.post(
        url(world, f"medicines/taper/steps/{first.pk}/"),
        {"dose_mg": "36", "starts_on": first.starts_on.isoformat()},
    )
    assert edited.status_code == 302
    first.refresh_from_db()
    assert first.dose_mg == Decimal(36) and first.mme == Decimal("54")
    screen = client.get(url(world, "medicines/")).content.decode()
    assert "Taper schedule, MME per day" in screen  # the SVG's title (oxycodone has a factor)
    portal = (
        login("patient")
        .get(f"/portal/patients/{world.adult_patient.external_id}/")
        .content.decode()
    )
    assert "Your medicine schedule" in portal and "36 mg a day" in portal
    assert "<strong>Now</strong>" in portal


def test_change_and_stop_pages(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    client = login("clinician")
    base = url(world, f"medicines/{oxycodone.external_id}/")
    form = client.get(base + "change/")
    assert form.status_code == 200 and 'value="oxycodone"' in form.content.decode()
    no_reason = client.post(
        base + "change/",
        {
            "ingredient": "oxycodone",
            "form": "tablet",
            "route": "oral",
            "strength": "10",
            "strength_unit": "mg",
            "dose_unit": "unit",
            "frequency": "bd",
        },
    )
    assert no_reason.status_code == 422
    stopped = client.post(base + "stop/", {"change_reason": "No benefit at review"})
    assert stopped.status_code == 302
    again = client.post(base + "stop/", {"change_reason": "twice"})
    assert again.status_code == 409


def test_agreement_links_the_care_plans_goals(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    from waypoint.careplans import services as plans

    doctor = system_actor(world.staff["clinician"].user)
    plan = plans.create_plan(
        actor=doctor, episode=world.episode, starts_on=world.episode.start, review_interval_days=21
    )
    goal = plans.add_goal(
        actor=doctor,
        plan=plan,
        expected_version=1,
        fields={
            "statement": "Back to part-time work",
            "measure": "gas",
            "measure_code": "",
            "measure_part": "",
            "baseline": None,
            "target": None,
            "due_on": TODAY + timedelta(days=60),
        },
    )
    client = login("clinician")
    form = client.get(url(world, "medicines/agreement/add/")).content.decode()
    assert "Back to part-time work" in form
    client.post(
        url(world, "medicines/agreement/add/"),
        {
            "signed_on": TODAY.isoformat(),
            "functional_goals": "Work 3 days a week",
            "review_interval_days": 90,
            "plan_goals": [goal.pk],
        },
    )
    agreement = OpioidAgreement.objects.get()
    assert list(agreement.plan_goals.all()) == [goal]
    assert (
        "Care plan goals: Back to part-time work"
        in client.get(url(world, "medicines/")).content.decode()
    )
    other_plan_goal = plans.add_goal(
        actor=system_actor(world.staff["lead"].user),
        plan=plans.create_plan(
            actor=system_actor(world.staff["lead"].user),
            episode=world.other_adult.episodes.get(),
            starts_on=world.episode.start,
            review_interval_days=21,
        ),
        expected_version=1,
        fields={
            "statement": "Someone else's goal",
            "measure": "gas",
            "measure_code": "",
            "measure_part": "",
            "baseline": None,
            "target": None,
            "due_on": TODAY + timedelta(days=60),
        },
    )
    with pytest.raises(InvalidInput):
        services.save_agreement(
            actor=doctor,
            patient=world.adult_patient,
            signed_on=TODAY,
            functional_goals="x",
            plan_goals=[other_plan_goal],
        )


def test_stop_bang_questionnaire_counts_for_the_alert(
    world: World, login: Callable[[str], Client], oxycodone: Any
) -> None:
    from django.utils import timezone as tz

    from waypoint.assessments.models import QuestionnaireResponse

    client = login("clinician")

    def codes() -> set[str]:
        return {
            a.alert.code for a in client.get(url(world, "medicines/")).context["state"].open_alerts
        }

    missing = {c for c in codes() if "stop-bang" in c}
    assert missing  # no screen at all yet
    QuestionnaireResponse.objects.create(
        patient=world.adult_patient,
        instrument="stop_bang",
        instrument_version="1",
        respondent="self",
        status="completed",
        total=6,
        completed_at=tz.now(),
    )
    high = {c for c in codes() if "stop-bang" in c}
    assert high and high != missing  # now the screen is there, and high (6 of 8)
    QuestionnaireResponse.objects.create(
        patient=world.adult_patient,
        instrument="stop_bang",
        instrument_version="1",
        respondent="self",
        status="completed",
        total=1,
        completed_at=tz.now() + timedelta(minutes=1),
    )
    assert not {c for c in codes() if "stop-bang" in c}
