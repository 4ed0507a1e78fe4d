"""Patient, episode, care-team and guardian operations: validation, conflicts, audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from waypoint.core.audit import system_actor
from waypoint.core.errors import Conflict, Forbidden, InvalidInput
from waypoint.core.models import AppendOnlyError, AuditEvent
from waypoint.patients import services
from waypoint.patients.models import EpisodeOfCare, Patient

from ..conftest import World

VALID = {
    "given_name": "Nia",
    "family_name": "Newton",
    "birth_date": "1990-02-03",
    "sex": "female",
    "mrn": "N12345",
    "preferred_language": "English",
}


def form_data(world: World, **changes: object) -> dict[str, object]:
    return {**VALID, "service": world.adult.pk, **changes}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date", "cannot be in the future"),
        ({"birth_date": "1850-01-01"}, "birth_date", "after 1900"),
        ({"phone": "call me"}, "phone", "phone number"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"mrn": "A00001"}, "mrn", "already has this MRN"),
        ({"mrn": "x"}, "mrn", "3 to 20"),
        ({"given_name": ""}, "given_name", "required"),
        ({"sex": "robot"}, "sex", "valid choice"),
    ],
)
def test_create_form_rejects_bad_input_and_saves_nothing(
    world: World,
    login: Callable[[str], Client],
    changes: dict[str, object],
    field: str,
    message: str,
) -> None:
    before = Patient.objects.count(), EpisodeOfCare.objects.count()
    response = login("coordinator").post("/patients/new/", form_data(world, **changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors or any(message in e for e in errors.get("__all__", [])), errors
    assert message in " ".join(
        errors.get(field, errors.get("__all__", []))
    ).lower() or message in str(errors)
    assert (Patient.objects.count(), EpisodeOfCare.objects.count()) == before
    assert message.split()[0].lower() in response.content.decode().lower()


def test_create_opens_a_planned_episode_and_audits(
    world: World, login: Callable[[str], Client]
) -> None:
    response = login("coordinator").post("/patients/new/", form_data(world))
    patient = Patient.objects.get(mrn="N12345", clinic=world.clinic)
    assert response.status_code == 302 and str(patient.external_id) in response["Location"]
    episode = patient.episodes.get()
    assert (episode.service, episode.status) == (world.adult, "planned")
    actions = set(
        AuditEvent.objects.filter(patient_ref=patient.external_id).values_list(
            "action", "object_type"
        )
    )
    assert {("create", "patients.Patient"), ("create", "patients.EpisodeOfCare")} <= actions


def test_same_mrn_is_fine_in_another_clinic(world: World, login: Callable[[str], Client]) -> None:
    # 'A00001' belongs to the foreign clinic's patient as well as ours: MRNs are per clinic.
    assert Patient.objects.filter(mrn="A00001").count() == 2


def test_cannot_register_into_a_service_one_does_not_work_in(
    world: World, login: Callable[[str], Client]
) -> None:
    response = login("clinician").post("/patients/new/", form_data(world, service=world.paeds.pk))
    assert response.status_code == 422
    assert "service" in response.context["form"].errors
    assert not Patient.objects.filter(mrn="N12345").exists()


def test_stale_edit_is_refused_with_409_and_input_kept(
    world: World, login: Callable[[str], Client]
) -> None:
    pid = world.adult_patient.external_id
    alice, bob = login("clinician"), login("nurse")
    data = {**VALID, "mrn": world.adult_patient.mrn, "version": 1}
    first = alice.post(f"/patients/{pid}/edit/", {**data, "phone": "01234 567890"})
    assert first.status_code == 302
    second = bob.post(f"/patients/{pid}/edit/", {**data, "preferred_name": "Nee"})
    assert second.status_code == 409
    page = second.content.decode()
    assert "changed by" in page and "not saved" in page
    assert 'value="Nee"' in page  # what Bob typed is still in the form
    world.adult_patient.refresh_from_db()
    assert (
        world.adult_patient.phone,
        world.adult_patient.preferred_name,
        world.adult_patient.version,
    ) == ("01234 567890", "", 2)
    assert AuditEvent.objects.filter(action="conflict", username="nurse").count() == 1


def test_edit_keeps_history(world: World, login: Callable[[str], Client]) -> None:
    pid = world.adult_patient.external_id
    client = login("clinician")
    client.post(
        f"/patients/{pid}/edit/",
        {**VALID, "mrn": "A00001", "version": 1, "family_name": "Morgan-Lee"},
    )
    history = world.adult_patient.history.order_by("history_date")
    assert [h.family_name for h in history][-2:] == ["Morgan", "Morgan-Lee"]
    assert history.last().history_user.username == "clinician"
    page = client.get(f"/patients/{pid}/history/").content.decode()
    assert "Morgan → Morgan-Lee" in page


def test_deactivate_needs_reason_and_never_deletes(
    world: World, login: Callable[[str], Client]
) -> None:
    pid = world.adult_patient.external_id
    client = login("clinician")
    refused = client.post(
        f"/patients/{pid}/status/", {"status": "inactive", "reason": "", "version": 1}
    )
    assert refused.status_code == 422
    done = client.post(
        f"/patients/{pid}/status/",
        {"status": "entered-in-error", "reason": "Duplicate", "version": 1},
    )
    assert done.status_code == 302
    world.adult_patient.refresh_from_db()
    assert world.adult_patient.status == "entered-in-error"
    with pytest.raises(ProtectedError):
        world.adult_patient.delete()  # episodes protect it, and nothing offers deletion
    assert client.get(f"/patients/{pid}/").status_code == 200


def test_audit_log_is_append_only(world: World) -> None:
    event = AuditEvent.objects.create(action="read", username="x")
    event.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_reads_are_audited(world: World, login: Callable[[str], Client]) -> None:
    pid = world.adult_patient.external_id
    client = login("nurse")
    client.get(f"/patients/{pid}/")
    client.get(f"/api/v1/patients/{pid}")
    reads = AuditEvent.objects.filter(action="read", patient_ref=pid, username="nurse")
    assert reads.count() == 2
    event = reads.first()
    assert (event.role, event.client_address, event.object_type) == (
        "nurse",
        "127.0.0.1",
        "patients.Patient",
    )


EPISODE_STEPS = [
    ("planned", "active", "", 302),
    ("planned", "finished", "", 422),  # must become active first
    ("active", "onhold", "", 302),
    ("active", "finished", "", 302),
    ("planned", "cancelled", "", 422),  # needs a reason
    ("planned", "cancelled", "Patient moved away", 302),
    ("finished", "active", "", 422),  # finished is final
    ("finished", "entered-in-error", "Wrong patient", 302),
]


@pytest.mark.parametrize(("start", "to", "reason", "status"), EPISODE_STEPS)
def test_episode_transitions(
    world: World, login: Callable[[str], Client], start: str, to: str, reason: str, status: int
) -> None:
    episode = world.episode
    episode.status = start
    episode.end = timezone.localdate() if start == "finished" else None
    episode.save()
    response = login("clinician").post(
        f"/episodes/{episode.external_id}/edit/",
        {
            "status": to,
            "start": episode.start.isoformat(),
            "end": "",
            "status_reason": reason,
            "version": 1,
        },
    )
    assert response.status_code == status
    episode.refresh_from_db()
    assert episode.status == (to if status == 302 else start)
    if to == "finished" and status == 302:
        assert episode.end is not None


def test_episode_end_before_start_is_refused(world: World, login: Callable[[str], Client]) -> None:
    ep = world.episode
    response = login("clinician").post(
        f"/episodes/{ep.external_id}/edit/",
        {
            "status": "finished",
            "start": ep.start.isoformat(),
            "end": (ep.start - timedelta(days=1)).isoformat(),
            "version": 1,
        },
    )
    assert response.status_code == 422
    assert "before the start" in response.content.decode()


def test_care_team_only_from_the_service_and_not_twice(world: World) -> None:
    actor = system_actor(world.staff["lead"].user)
    with pytest.raises(InvalidInput) as outside:
        services.add_care_team_member(
            actor=actor, episode=world.episode, staff=world.staff["outsider"], role="member"
        )
    assert "does not work in" in outside.value.fields["staff"][0]
    with pytest.raises(InvalidInput) as twice:
        services.add_care_team_member(
            actor=actor, episode=world.episode, staff=world.staff["clinician"], role="member"
        )
    assert "already on the care team" in str(twice.value.fields)
    member = services.add_care_team_member(
        actor=actor, episode=world.episode, staff=world.staff["nurse"], role="key-worker"
    )
    services.end_care_team_member(actor=actor, member=member)
    assert member.end == timezone.localdate()


def test_portal_users_cannot_change_records(world: World) -> None:
    actor = system_actor(world.adult_patient.user)
    with pytest.raises(Forbidden):
        services.update_patient(
            actor=actor,
            patient=world.adult_patient,
            expected_version=1,
            changes={"phone": "01234 567890"},
        )


def test_concurrent_version_claim_lets_exactly_one_win(world: World) -> None:
    a = Patient.objects.get(pk=world.adult_patient.pk)
    b = Patient.objects.get(pk=world.adult_patient.pk)
    actor = system_actor(world.staff["clinician"].user)
    services.update_patient(
        actor=actor, patient=a, expected_version=1, changes={"preferred_name": "A"}
    )
    with pytest.raises(Conflict):
        services.update_patient(
            actor=actor, patient=b, expected_version=1, changes={"preferred_name": "B"}
        )
    assert Patient.objects.get(pk=a.pk).preferred_name == "A"


def test_guardian_link_and_renewal(world: World, login: Callable[[str], Client]) -> None:
    client = login("coordinator")
    response = client.post(
        f"/patients/{world.grown_up.external_id}/guardians/new/",
        {
            "given_name": "Sam",
            "family_name": "Grown",
            "relationship": "father",
            "phone": "07700 900123",
            "email": "",
            "renewed_until": (timezone.localdate() + timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    link = world.grown_up.guardian_links.get(guardian__given_name="Sam")
    assert link.renewed_until is not None
    bad = client.post(
        f"/patients/{world.child.external_id}/guardians/new/",
        {"given_name": "", "family_name": "X", "relationship": "aunt"},
    )
    assert bad.status_code == 422
    assert {"given_name", "relationship"} <= set(bad.context["form"].errors)
