"""Team meetings: the agenda built from the record, decisions into the notes, minutes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.careplans import meetings, services
from waypoint.careplans.models import ClinicalNote, TeamMeeting
from waypoint.core.audit import system_actor

from ..conftest import World
from ..factories import EpisodeFactory, PatientFactory

TODAY = timezone.localdate()


def test_agenda_is_built_from_the_record(world: World) -> None:
    doctor = system_actor(world.staff["clinician"].user)
    world.episode.start = TODAY - timedelta(days=40)
    world.episode.save()
    services.create_plan(
        actor=doctor,
        episode=world.episode,
        starts_on=TODAY - timedelta(days=40),
        review_interval_days=21,
    )  # review due 19 days ago
    response = QuestionnaireResponse.objects.create(
        patient=world.other_adult,
        instrument="phq9",
        instrument_version="1",
        respondent="self",
        status="completed",
    )
    SafetyAlert.objects.create(
        patient=world.other_adult,
        response=response,
        items=["44260-8"],
        message="PHQ-9 item 9 answered above 0",
    )
    newcomer = PatientFactory(clinic=world.clinic, family_name="Newcomer")
    EpisodeFactory(patient=newcomer, service=world.adult, status="planned", start=None)
    leaver = PatientFactory(clinic=world.clinic, family_name="Leaver")
    EpisodeFactory(
        patient=leaver, service=world.adult, status="active", end=TODAY + timedelta(days=10)
    )
    later = PatientFactory(clinic=world.clinic, family_name="Later")
    EpisodeFactory(
        patient=later, service=world.adult, status="active", end=TODAY + timedelta(days=30)
    )
    agenda = {(p.patient.family_name, p.reason) for p in meetings.build_agenda(world.adult, TODAY)}
    assert agenda == {
        ("Morgan", "review-due"),
        ("Other", "safety-alert"),
        ("Newcomer", "admission"),
        ("Leaver", "discharge"),
    }
    other_service = {p.patient.family_name for p in meetings.build_agenda(world.paeds, TODAY)}
    assert not other_service & {"Morgan", "Other", "Newcomer", "Leaver"}


def test_meeting_through_the_pages(world: World, login: Callable[[str], Client]) -> None:
    newcomer = PatientFactory(clinic=world.clinic, family_name="Newcomer")
    EpisodeFactory(patient=newcomer, service=world.adult, status="planned", start=None)
    client = login("coordinator")
    made = client.post("/meetings/", {"service": world.adult.pk, "meets_on": TODAY.isoformat()})
    assert made.status_code == 302
    meeting = TeamMeeting.objects.get()
    item = meeting.items.get(patient=newcomer)
    page = client.get(f"/meetings/{meeting.external_id}/").content.decode()
    assert "NEWCOMER" in page and "Planned admission" in page
    empty = client.post(
        f"/meetings/{meeting.external_id}/items/{item.pk}/", {f"item{item.pk}-decision": ""}
    )
    assert empty.status_code == 302 and not ClinicalNote.objects.exists()
    client.post(
        f"/meetings/{meeting.external_id}/items/{item.pk}/",
        {
            f"item{item.pk}-discussion": "Ready to start",
            f"item{item.pk}-decision": "Start on Monday's group",
        },
    )
    note = ClinicalNote.objects.get(patient=newcomer)
    assert note.signed_at is not None and note.plan == "Start on Monday's group"
    client.post(
        f"/meetings/{meeting.external_id}/attendance/",
        {
            "staff": [world.staff["coordinator"].pk, world.staff["clinician"].pk],
            "other_kind": ["family"],
            "other_name": ["Pat Newcomer"],
        },
    )
    assert meeting.attendees.count() == 3
    client.post(
        f"/meetings/{meeting.external_id}/close/", {"version": 1, "minutes": "Two new starts."}
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes) == ("held", "Two new starts.")
    again = client.post(
        f"/meetings/{meeting.external_id}/close/",
        {"version": 1, "minutes": "overwrite"},
        follow=True,
    )
    assert "Someone else changed or closed this meeting" in again.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Two new starts."
    assert login("outsider").get(f"/meetings/{meeting.external_id}/").status_code == 404
    assert login("patient").get("/meetings/").status_code == 404


def test_meetings_and_reviews_api(world: World) -> None:
    from waypoint.core.models import ApiToken

    doctor = system_actor(world.staff["clinician"].user)
    meetings.schedule_meeting(actor=doctor, service=world.adult, meets_on=TODAY)
    plan = services.create_plan(
        actor=doctor, episode=world.episode, starts_on=world.episode.start, review_interval_days=21
    )
    _, raw = ApiToken.mint(user=world.staff["clinician"].user, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    pid = world.adult_patient.external_id
    made = api.post(
        f"/api/v1/patients/{pid}/care-plan/interventions",
        {
            "version": 1,
            "kind": "physiotherapy",
            "description": "Graded walking",
            "owner_username": "clinician",
            "frequency": "weekly",
            "starts_on": str(plan.starts_on),
            "review_on": str(TODAY + timedelta(days=14)),
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    no_owner = api.post(
        f"/api/v1/patients/{pid}/care-plan/interventions",
        {
            "version": 2,
            "kind": "physiotherapy",
            "description": "x",
            "owner_username": "nobody",
            "frequency": "weekly",
            "starts_on": str(plan.starts_on),
            "review_on": str(TODAY + timedelta(days=14)),
        },
        content_type="application/json",
    )
    assert no_owner.status_code == 422 and "owner" in no_owner.json()["fields"]
    assert api.get(f"/api/v1/patients/{pid}/care-plan/reviews").json() == []
    listed = api.get("/api/v1/meetings").json()
    assert [m["service"] for m in listed] == ["Adult programme"]
    outsider = ApiToken.mint(user=world.staff["outsider"].user, name="o")[1]
    assert Client(HTTP_AUTHORIZATION=f"Bearer {outsider}").get("/api/v1/meetings").json() == []
