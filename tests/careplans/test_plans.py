"""Care plans end to end in the database: goals measured from recorded data, stop rules,
reviews, conflicts, notes and addenda, and who may change what."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.assessments.models import PerformanceTest
from waypoint.careplans import queries, services
from waypoint.careplans.models import CarePlan, Goal
from waypoint.core.audit import system_actor
from waypoint.core.errors import Conflict, Forbidden, InvalidInput
from waypoint.core.models import AuditEvent

from ..conftest import World

TODAY = timezone.localdate()
START = TODAY - timedelta(days=50)


@pytest.fixture
def doctor(world: World) -> Any:
    return system_actor(world.staff["clinician"].user)


@pytest.fixture
def plan(world: World, doctor: Any) -> CarePlan:
    world.episode.start = START
    world.episode.save()
    return services.create_plan(
        actor=doctor, episode=world.episode, starts_on=START, review_interval_days=21
    )


WALK = {
    "statement": "Walk 20 minutes without a flare",
    "measure": "performance",
    "measure_code": "six_minute_walk",
    "measure_part": "",
    "baseline": Decimal(200),
    "target": Decimal(400),
    "due_on": TODAY + timedelta(days=30),
}


def walk_code() -> str:
    from waypoint.careplans.measures import measure_choices

    return measure_choices()["performance"][0][0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": None}, "target"),
        ({"baseline": None}, "baseline"),
        ({"target": Decimal(200)}, "target"),
        ({"due_on": START}, "due_on"),
        ({"measure_code": "nonsense"}, "measure_code"),
    ],
)
def test_goal_needs_a_measurable_target_and_date(
    world: World, doctor: Any, plan: CarePlan, changes: dict[str, Any], field: str
) -> None:
    fields = {**WALK, "measure_code": walk_code(), **changes}
    with pytest.raises(InvalidInput) as refused:
        services.add_goal(actor=doctor, plan=plan, expected_version=plan.version, fields=fields)
    assert field in refused.value.fields
    assert not Goal.objects.exists()


def test_progress_comes_from_recorded_tests(world: World, doctor: Any, plan: CarePlan) -> None:
    code = walk_code()
    goal = services.add_goal(
        actor=doctor, plan=plan, expected_version=1, fields={**WALK, "measure_code": code}
    )
    assert queries.goal_progress_of(goal, TODAY).status == "no-data"
    PerformanceTest.objects.create(
        patient=world.adult_patient,
        test=code,
        value=Decimal(300),
        unit="m",
        measured_on=TODAY - timedelta(days=2),
    )
    progress = queries.goal_progress_of(goal, TODAY)
    assert (progress.status, progress.percent_of_way) == ("improving", Decimal(50))


def intervention(world: World, **more: Any) -> dict[str, Any]:
    return {
        "kind": "physiotherapy",
        "description": "Graded walking",
        "owner": world.staff["clinician"],
        "frequency": "weekly",
        "starts_on": START,
        "review_on": START + timedelta(days=21),
        **more,
    }


def test_intervention_needs_an_owner_in_the_service_and_a_sane_stop_rule(
    world: World, doctor: Any, plan: CarePlan
) -> None:
    for fields, field in [
        (intervention(world, owner=None), "owner"),
        (intervention(world, owner=world.staff["outsider"]), "owner"),
        (intervention(world, starts_on=START - timedelta(days=1)), "starts_on"),
        (intervention(world, stop_rule="percent-change"), "stop_goal"),
        (intervention(world, stop_rule="procedure"), "stop_rule"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            services.add_intervention(
                actor=doctor, plan=plan, expected_version=plan.version, fields=fields
            )
        assert field in refused.value.fields, (field, refused.value.fields)


def test_two_people_saving_the_same_version(world: World, doctor: Any, plan: CarePlan) -> None:
    services.add_problem(
        actor=doctor, plan=plan, expected_version=1, category="pain", description="Low back pain"
    )
    with pytest.raises(Conflict):
        services.add_problem(
            actor=doctor, plan=plan, expected_version=1, category="sleep", description="Insomnia"
        )
    assert plan.problems.count() == 1
    assert AuditEvent.objects.filter(action="conflict").count() == 1


def test_only_the_care_team_changes_the_plan(world: World, plan: CarePlan) -> None:
    nurse = system_actor(world.staff["nurse"].user)  # works in the service, not on the care team
    with pytest.raises(Forbidden):
        services.add_problem(
            actor=nurse, plan=plan, expected_version=1, category="pain", description="x"
        )
    lead = system_actor(world.staff["lead"].user)
    services.add_problem(
        actor=lead, plan=plan, expected_version=1, category="pain", description="Back pain"
    )


def test_review_computes_progress_runs_stop_rules_and_stops(
    world: World, doctor: Any, plan: CarePlan
) -> None:
    gas = services.add_goal(
        actor=doctor,
        plan=plan,
        expected_version=1,
        fields={
            "statement": "Return to school full days",
            "measure": "gas",
            "measure_code": "",
            "measure_part": "",
            "baseline": None,
            "target": None,
            "due_on": TODAY + timedelta(days=60),
        },
    )
    item = services.add_intervention(
        actor=doctor,
        plan=plan,
        expected_version=2,
        fields=intervention(world, stop_rule="no-goal-improved", stop_after_reviews=2),
    )
    bad = services.DecisionInput(item, "stop", "")
    with pytest.raises(InvalidInput) as refused:
        services.record_review(
            actor=doctor,
            plan=plan,
            expected_version=3,
            held_on=START - timedelta(days=1),
            summary="",
            next_review_on=TODAY,
            decisions=[bad],
        )
    assert {"held_on", f"reason-{item.pk}"} <= set(refused.value.fields)
    with pytest.raises(InvalidInput) as missing:
        services.record_review(
            actor=doctor,
            plan=plan,
            expected_version=3,
            held_on=TODAY - timedelta(days=20),
            summary="",
            next_review_on=TODAY,
            decisions=[],
        )
    assert "decisions" in missing.value.fields
    keep = services.DecisionInput(item, "continue", "")
    services.record_review(
        actor=doctor,
        plan=plan,
        expected_version=3,
        held_on=TODAY - timedelta(days=20),
        summary="",
        next_review_on=TODAY - timedelta(days=1),
        decisions=[keep],
        gas_ratings={gas.pk: -1},
    )
    second = services.record_review(
        actor=doctor,
        plan=plan,
        expected_version=4,
        held_on=TODAY - timedelta(days=1),
        summary="",
        next_review_on=TODAY + timedelta(days=14),
        decisions=[keep],
        gas_ratings={gas.pk: -1},
    )
    assert queries.stop_rule_result(item, TODAY).fired == "fired"  # two reviews, no goal improved
    assert second.decisions.get().stop_rule_result == "fired"  # judged with this review counted
    assert queries.plan_view(plan).review_due.due_on == TODAY + timedelta(days=14)
    third = services.record_review(
        actor=doctor,
        plan=plan,
        expected_version=5,
        held_on=TODAY,
        summary="",
        next_review_on=TODAY + timedelta(days=14),
        decisions=[services.DecisionInput(item, "stop", "No progress")],
        gas_ratings={gas.pk: 0},
    )
    item.refresh_from_db()
    gas.refresh_from_db()
    assert (item.status, gas.status) == ("stopped", "achieved")
    assert third.goal_reviews.get().status == "achieved"


def test_mme_goal_and_percent_stop_rule(world: World, doctor: Any, plan: CarePlan) -> None:
    from waypoint.medications import services as meds

    entry = meds.add_medication(
        actor=doctor,
        patient=world.adult_patient,
        fields={
            "ingredient": "oxycodone",
            "form": "tablet",
            "route": "oral",
            "strength": Decimal(20),
            "strength_unit": "mg",
            "frequency": "bd",
            "start": START - timedelta(days=100),
        },
    )
    goal = services.add_goal(
        actor=doctor,
        plan=plan,
        expected_version=1,
        fields={
            "statement": "Below 50 MME/day",
            "measure": "mme",
            "measure_code": "",
            "measure_part": "",
            "baseline": Decimal(60),
            "target": Decimal(45),
            "due_on": TODAY + timedelta(days=60),
        },
    )
    taper = services.add_intervention(
        actor=doctor,
        plan=plan,
        expected_version=2,
        fields=intervention(
            world,
            kind="medication",
            description="Taper oxycodone",
            stop_rule="percent-change",
            stop_goal=goal,
            stop_percent=Decimal(10),
            stop_after_days=28,
        ),
    )
    # 50 days after the start the dose has not fallen at all: the 10% rule fires.
    assert queries.stop_rule_result(taper, TODAY).fired == "fired"
    meds.change_medication(
        actor=doctor, entry=entry, fields={"strength": Decimal(15)}, reason="taper"
    )
    assert queries.goal_progress_of(goal, TODAY).status == "achieved"  # 45 MME/day
    assert queries.stop_rule_result(taper, TODAY).fired == "not-fired"  # fell 25%


def test_signed_notes_change_only_by_addendum(world: World, doctor: Any) -> None:
    with pytest.raises(InvalidInput):
        services.write_note(
            actor=doctor, patient=world.adult_patient, fields={"kind": "physiotherapy"}
        )
    draft = services.write_note(
        actor=doctor,
        patient=world.adult_patient,
        fields={"kind": "physiotherapy", "subjective": "Walked 10 min"},
    )
    with pytest.raises(Forbidden):
        services.edit_note(
            actor=system_actor(world.staff["nurse"].user),
            note=draft,
            expected_version=1,
            fields={"subjective": "changed"},
        )
    with pytest.raises(InvalidInput):
        services.add_addendum(actor=doctor, note=draft, text="too early")
    signed = services.edit_note(
        actor=doctor, note=draft, expected_version=1, fields={"plan": "Go on"}, sign=True
    )
    with pytest.raises(Forbidden):
        services.edit_note(
            actor=doctor, note=signed, expected_version=2, fields={"plan": "Rewrite"}
        )
    services.add_addendum(
        actor=system_actor(world.staff["nurse"].user), note=signed, text="Phoned: doing well"
    )
    assert signed.addenda.count() == 1
    assert signed.history.count() == 2  # draft, then signed: both kept


def test_pages_and_portal(
    world: World, login: Callable[[str], Client], doctor: Any, plan: CarePlan
) -> None:
    services.add_goal(
        actor=doctor, plan=plan, expected_version=1, fields={**WALK, "measure_code": walk_code()}
    )
    services.add_intervention(
        actor=doctor,
        plan=plan,
        expected_version=2,
        fields=intervention(world, patient_instructions="Walk 10 minutes every morning"),
    )
    client = login("clinician")
    pid = world.adult_patient.external_id
    page = client.get(f"/patients/{pid}/plan/").content.decode()
    assert "Walk 20 minutes without a flare" in page and "Record a review" in page
    assert "Walk 20 minutes" in client.get(f"/patients/{pid}/plan/?print=1").content.decode()
    stale = client.post(
        f"/patients/{pid}/plan/problems/add/",
        {"category": "pain", "description": "x", "version": 1},
    )
    assert stale.status_code == 409 and "reload the plan" in stale.content.decode()
    nurse_page = login("nurse").get(f"/patients/{pid}/plan/").content.decode()
    assert "only the patient's care team" in nurse_page and "Record a review" not in nurse_page
    portal = login("patient").get(f"/portal/patients/{pid}/").content.decode()
    assert "Your plan" in portal and "Walk 10 minutes every morning" in portal
    assert login("patient").get(f"/patients/{pid}/plan/").status_code == 404
    assert login("outsider").get(f"/patients/{pid}/plan/").status_code == 404
    home = client.get("/").content.decode()  # started 50 days ago, reviews every 21 days, none held
    assert "Care plan reviews due" in home and "overdue" in home
    assert (
        "Care plan reviews due" not in login("nurse").get("/").content.decode()
    )  # not on the team


def test_api(world: World, doctor: Any, plan: CarePlan) -> None:
    from waypoint.core.models import ApiToken

    _, raw = ApiToken.mint(user=world.staff["clinician"].user, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    pid = world.adult_patient.external_id
    made = api.post(
        f"/api/v1/patients/{pid}/care-plan/goals",
        {**{k: str(v) for k, v in WALK.items()}, "measure_code": walk_code(), "version": 1},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    stale = api.post(
        f"/api/v1/patients/{pid}/care-plan/goals",
        {**{k: str(v) for k, v in WALK.items()}, "measure_code": walk_code(), "version": 1},
        content_type="application/json",
    )
    assert stale.status_code == 409
    no_target = api.post(
        f"/api/v1/patients/{pid}/care-plan/goals",
        {
            "statement": "x",
            "measure": "performance",
            "measure_code": walk_code(),
            "baseline": "1",
            "due_on": str(TODAY + timedelta(days=9)),
            "version": 2,
        },
        content_type="application/json",
    )
    assert no_target.status_code == 422 and "target" in no_target.json()["fields"]
    body = api.get(f"/api/v1/patients/{pid}/care-plan").json()
    assert body["version"] == 2 and body["goals"][0]["progress"]["status"] == "no-data"
    note = api.post(
        f"/api/v1/patients/{pid}/notes",
        {"kind": "nursing", "subjective": "Slept better", "sign": True},
        content_type="application/json",
    )
    assert note.status_code == 201 and note.json()["signed_at"]
    assert api.get(f"/api/v1/patients/{pid}/notes").json()[0]["subjective"] == "Slept better"
    outsider = ApiToken.mint(user=world.staff["outsider"].user, name="o")[1]
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {outsider}")
        .get(f"/api/v1/patients/{pid}/care-plan")
        .status_code
        == 404
    )


def test_plan_history_says_who_changed_what(
    world: World, login: Callable[[str], Client], doctor: Any, plan: CarePlan
) -> None:
    services.add_goal(
        actor=doctor, plan=plan, expected_version=1, fields={**WALK, "measure_code": walk_code()}
    )
    services.update_plan(
        actor=system_actor(world.staff["lead"].user),
        plan=plan,
        expected_version=2,
        fields={"review_interval_days": 14},
    )
    page = login("clinician").get(f"/patients/{world.adult_patient.external_id}/plan/history/")
    changes = page.context["changes"]
    interval = next(c for c in changes if "review_interval_days: 21 → 14" in c.detail)
    assert (interval.what, interval.who) == (
        "Plan changed",
        world.staff["lead"].user.get_full_name(),
    )
    goal = next(c for c in changes if c.what == "Goal added")
    assert (
        "Walk 20 minutes" in goal.detail
        and goal.who == world.staff["clinician"].user.get_full_name()
    )
    assert changes == sorted(changes, key=lambda c: c.when, reverse=True)


def test_letters_from_the_plan(
    world: World, login: Callable[[str], Client], doctor: Any, plan: CarePlan
) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    services.add_goal(
        actor=doctor, plan=plan, expected_version=1, fields={**WALK, "measure_code": walk_code()}
    )
    client = login("clinician")
    pid = world.adult_patient.external_id
    school = client.post(
        f"/patients/{pid}/plan/letters/new/", {"kind": "school", "addressed_to": "Head teacher"}
    )
    assert school.status_code == 422 and "children" in school.content.decode()  # Alex is an adult
    made = client.post(
        f"/patients/{pid}/plan/letters/new/",
        {"kind": "referrer-update", "addressed_to": "Dr Green"},
    )
    assert made.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "Dear Dr Green" in page and "Walk 20 minutes without a flare" in page
    pdf = client.get(made["Location"] + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Alex Morgan" in text and "Walk 20 minutes" in text
    assert (
        login("nurse")
        .post(
            f"/patients/{pid}/plan/letters/new/", {"kind": "plan-summary", "addressed_to": "Alex"}
        )
        .status_code
        == 403
    )
