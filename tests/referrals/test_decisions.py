"""The triage decision workflow: accept, request information, redirect, decline, urgent
review; reasons where required; who/when/why; revisiting keeps the history."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.referrals import services
from waypoint.referrals.models import Decision, Referral, WaitingListEntry

from ..conftest import World
from .conftest import actor


def decide(referral: Referral, by: str = "clinician", **kwargs: object) -> Decision:
    referral.refresh_from_db()
    return services.decide(
        actor=actor(by),
        referral=referral,
        expected_version=referral.version,
        **kwargs,  # type: ignore[arg-type]
    )


def test_accept_registers_the_patient_with_a_planned_episode_and_a_waiting_list_entry(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult, mrn="N12345")
    decision = decide(referral, outcome="accept", priority="soon")
    referral.refresh_from_db()
    assert referral.status == "accepted"
    patient = Patient.objects.get(mrn="N12345")
    assert referral.patient == patient and patient.full_name == "Nadia Novak"
    episode = EpisodeOfCare.objects.get(patient=patient)
    assert (episode.service, episode.status) == (world.adult, "planned")
    entry = WaitingListEntry.objects.get(referral=referral)
    assert (entry.patient, entry.episode, entry.priority) == (patient, episode, "soon")
    assert entry.target_wait_days == world.adult.target_wait_days
    assert decision.decided_by == world.staff["clinician"].user
    assert decision.decided_by_name and decision.decided_at is not None
    assert referral.letters.filter(kind="acceptance").exists()


def test_accept_without_mrn_gets_a_generated_one(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)
    decide(referral, outcome="accept", priority="routine")
    referral.refresh_from_db()
    assert referral.patient is not None and referral.patient.mrn.startswith("REF")


def test_accept_an_existing_patient_opens_an_episode(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    # The grown-up is known to the paediatric service only; the adult clinician cannot
    # see them yet, and accepting the referral is what brings them into the adult service.
    known = world.grown_up
    referral = make_referral(
        world.adult,
        mrn=known.mrn,
        given_name=known.given_name,
        family_name=known.family_name,
        birth_date=known.birth_date,
    )
    decide(referral, outcome="accept", priority="routine")
    assert Patient.objects.filter(family_name=known.family_name).count() == 1
    assert known.episodes.filter(service=world.adult, status="planned").exists()


def test_accept_refused_when_an_episode_is_already_open(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    known = world.other_adult  # has an active adult episode
    referral = make_referral(
        world.adult,
        mrn=known.mrn,
        given_name=known.given_name,
        family_name=known.family_name,
        birth_date=known.birth_date,
    )
    with pytest.raises(InvalidInput) as caught:
        decide(referral, outcome="accept", priority="routine")
    assert "service" in caught.value.fields
    referral.refresh_from_db()
    assert referral.status == "received" and not referral.decisions.exists()
    assert not WaitingListEntry.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"outcome": "decline"}, "reason"),
        ({"outcome": "decline", "reason": "   "}, "reason"),
        ({"outcome": "urgent-review"}, "reason"),
        ({"outcome": "redirect", "reason": "Elsewhere"}, "service"),
        ({"outcome": "accept"}, "priority"),
        ({"outcome": "accept", "priority": "whenever"}, "priority"),
        ({"outcome": "approve"}, "outcome"),
    ],
)
def test_decisions_without_what_they_need_are_refused(
    world: World, make_referral: Callable[..., Referral], kwargs: dict[str, str], field: str
) -> None:
    referral = make_referral(world.adult)
    with pytest.raises(InvalidInput) as caught:
        decide(referral, **kwargs)
    assert field in caught.value.fields
    assert not Decision.objects.exists()
    assert not Patient.objects.filter(family_name="Novak").exists()


def test_accepting_despite_red_flags_needs_a_reason(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult, red_flags={"acute-trauma": "present"})
    with pytest.raises(InvalidInput, match="Red flags are present"):
        decide(referral, outcome="accept", priority="urgent")
    decide(referral, outcome="accept", priority="urgent", reason="Trauma reviewed in ED; settled.")
    assert WaitingListEntry.objects.filter(priority="urgent").exists()


def test_request_information_lists_what_is_missing_in_a_letter(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)
    decision = decide(referral, outcome="request-information")
    assert "Addictions" in " ".join(decision.missing_items) or any(
        "addiction" in item.lower() for item in decision.missing_items
    )
    referral.refresh_from_db()
    assert referral.status == "information-requested"
    letter = referral.letters.get(kind="request-information")
    for item in decision.missing_items:
        assert item in letter.body
    named = decide(referral, outcome="request-information", missing_items=["Recent MRI report"])
    assert named.missing_items == ["Recent MRI report"]


def test_redirect_inside_the_clinic_moves_the_referral_to_that_queue(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)
    decide(referral, by="lead", outcome="redirect", service=world.paeds, reason="Is 17.")
    referral.refresh_from_db()
    assert (referral.service, referral.status) == (world.paeds, "received")
    assert "Paediatric programme" in referral.letters.get(kind="redirect").body
    # Now a paediatric referral, it has left the adult clinician's sight.
    with pytest.raises(NotFound):
        decide(referral, outcome="decline", reason="x")


def test_redirect_outside_closes_it(world: World, make_referral: Callable[..., Referral]) -> None:
    referral = make_referral(world.adult)
    decide(referral, outcome="redirect", redirect_to="Headache clinic", reason="Migraine")
    referral.refresh_from_db()
    assert referral.status == "redirected" and referral.service == world.adult
    assert "Headache clinic" in referral.letters.get(kind="redirect").body


def test_only_clinicians_of_the_service_or_the_lead_decide(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)
    for user in ("nurse", "coordinator"):
        with pytest.raises(Forbidden):
            decide(referral, by=user, outcome="decline", reason="x")
    for user in ("outsider", "admin", "patient"):
        with pytest.raises(NotFound):
            decide(referral, by=user, outcome="decline", reason="x")
    assert not Decision.objects.exists()


def test_a_decision_can_be_revisited_and_history_is_kept(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)
    decide(referral, outcome="request-information")
    decide(referral, outcome="accept", priority="routine")
    entry = WaitingListEntry.objects.get()
    with pytest.raises(InvalidInput, match="already accepted"):
        decide(referral, outcome="accept", priority="urgent")
    decide(referral, by="lead", outcome="decline", reason="Moved out of area.")
    referral.refresh_from_db()
    assert referral.status == "declined"
    outcomes = list(
        referral.decisions.order_by("decided_at", "id").values_list("outcome", flat=True)
    )
    assert outcomes == ["request-information", "accept", "decline"]
    who = list(
        referral.decisions.order_by("decided_at", "id").values_list(
            "decided_by__username", flat=True
        )
    )
    assert who == ["clinician", "clinician", "lead"]
    entry.refresh_from_db()
    assert entry.status == "removed" and "revisited" in entry.removed_reason
    entry.episode.refresh_from_db()
    assert entry.episode.status == "cancelled"
    # Accepting again after the decline is allowed: a new entry, a new episode.
    decide(referral, outcome="accept", priority="soon")
    assert WaitingListEntry.objects.filter(status="waiting").count() == 1


def test_a_stale_decision_is_refused(world: World, make_referral: Callable[..., Referral]) -> None:
    referral = make_referral(world.adult)
    stale = referral.version
    decide(referral, outcome="request-information")
    with pytest.raises(Conflict):
        services.decide(
            actor=actor("lead"),
            referral=referral,
            expected_version=stale,
            outcome="decline",
            reason="x",
        )
    assert referral.decisions.count() == 1


def test_decision_form(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    referral = make_referral(world.adult)
    client = login("clinician")
    url = f"/referrals/{referral.external_id}/decide/"
    page = client.get(url)
    assert page.status_code == 200 and "Eligibility by service" in page.content.decode()
    refused = client.post(url, {"version": referral.version, "outcome": "decline", "reason": ""})
    assert refused.status_code == 422 and "Give a reason" in refused.content.decode()
    done = client.post(
        url, {"version": referral.version, "outcome": "decline", "reason": "Not chronic."}
    )
    assert done.status_code == 302
    detail = client.get(f"/referrals/{referral.external_id}/").content.decode()
    assert "Not chronic." in detail and "Decline" in detail
    assert login("nurse").get(url).status_code == 403
