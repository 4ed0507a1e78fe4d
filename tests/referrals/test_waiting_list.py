"""The waiting list: priority, days waiting, target and breach, sorting, filtering, removal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.core.errors import InvalidInput, NotFound
from waypoint.core.principals import principal_for
from waypoint.referrals import queries, services
from waypoint.referrals.models import Referral, WaitingListEntry

from ..conftest import World, years_ago
from .conftest import actor


@pytest.fixture
def waiting(world: World, make_referral: Callable[..., Referral]) -> dict[str, WaitingListEntry]:
    today = timezone.localdate()
    specs = {
        # name: (days since received, priority, service)
        "old": (200, "routine", world.adult),
        "soon": (30, "soon", world.adult),
        "urgent": (5, "urgent", world.adult),
        "child": (70, "routine", world.paeds),
    }
    made = {}
    for name, (days, priority, service) in specs.items():
        birth = years_ago(14) if service == world.paeds else years_ago(40)
        referral = make_referral(
            service,
            family_name=name.title(),
            birth_date=birth,
            received_on=today - timedelta(days=days),
            pain_duration_months=12,
        )
        services.decide(
            actor=actor("lead"),
            referral=referral,
            expected_version=referral.version,
            outcome="accept",
            priority=priority,
        )
        made[name] = WaitingListEntry.objects.get(referral=referral)
    return made


def names(entries: object) -> list[str]:
    return [e.patient.family_name.lower() for e in entries]  # type: ignore[attr-defined]


def test_days_waiting_target_and_breach(world: World, waiting: dict[str, WaitingListEntry]) -> None:
    old, child = waiting["old"], waiting["child"]
    assert old.days_waiting() == 200
    assert old.target_wait_days == world.adult.target_wait_days == 126
    assert old.breached() and not waiting["soon"].breached()
    # The paediatric target is shorter in the demo clinic; here both services use 126.
    assert child.days_waiting() == 70 and not child.breached()


def test_sorting_and_filtering(world: World, waiting: dict[str, WaitingListEntry]) -> None:
    coordinator = principal_for(world.staff["coordinator"].user)
    assert names(queries.waiting_list(coordinator)) == ["urgent", "soon", "old", "child"]
    assert names(queries.waiting_list(coordinator, sort="waiting")) == [
        "old",
        "child",
        "soon",
        "urgent",
    ]
    assert names(queries.waiting_list(coordinator, sort="name")) == [
        "child",
        "old",
        "soon",
        "urgent",
    ]
    assert names(queries.waiting_list(coordinator, service_id=world.paeds.pk)) == ["child"]
    assert names(queries.waiting_list(coordinator, priority="soon")) == ["soon"]
    assert names(queries.waiting_list(coordinator, breached=True)) == ["old"]
    # The adult clinician does not see the paediatric list.
    clinician = principal_for(world.staff["clinician"].user)
    assert "child" not in names(queries.waiting_list(clinician))


def test_expected_start_orders_and_is_checked(
    world: World, waiting: dict[str, WaitingListEntry]
) -> None:
    entry = waiting["soon"]
    services.set_expected_start(
        actor=actor("coordinator"),
        entry=entry,
        expected_start=timezone.localdate() + timedelta(days=7),
    )
    with pytest.raises(InvalidInput) as caught:
        services.set_expected_start(
            actor=actor("coordinator"),
            entry=entry,
            expected_start=entry.waiting_since - timedelta(days=1),
        )
    assert "expected_start" in caught.value.fields
    coordinator = principal_for(world.staff["coordinator"].user)
    assert names(queries.waiting_list(coordinator, sort="expected"))[0] == "soon"


def test_removal_needs_a_reason_and_is_kept(
    world: World, waiting: dict[str, WaitingListEntry]
) -> None:
    entry = waiting["old"]
    with pytest.raises(InvalidInput) as caught:
        services.remove_from_waiting_list(actor=actor("coordinator"), entry=entry, reason=" ")
    assert "reason" in caught.value.fields
    with pytest.raises(NotFound):
        services.remove_from_waiting_list(actor=actor("outsider"), entry=entry, reason="x")
    services.remove_from_waiting_list(
        actor=actor("coordinator"), entry=entry, reason="Started elsewhere"
    )
    entry.refresh_from_db()
    assert (entry.status, entry.removed_reason) == ("removed", "Started elsewhere")
    assert entry.removed_by == world.staff["coordinator"].user
    coordinator = principal_for(world.staff["coordinator"].user)
    assert "old" not in names(queries.waiting_list(coordinator))
    with pytest.raises(InvalidInput):
        services.remove_from_waiting_list(actor=actor("coordinator"), entry=entry, reason="again")


def test_waiting_list_pages(
    world: World, waiting: dict[str, WaitingListEntry], login: Callable[[str], Client]
) -> None:
    client = login("coordinator")
    page = client.get("/waiting-list/?sort=waiting&breached=on").content.decode()
    assert "OLD" in page and "Target breached" in page and "SOON" not in page
    entry = waiting["soon"]
    url = f"/waiting-list/{entry.external_id}/"
    assert client.post(url, {"action": "remove", "reason": ""}).status_code == 422
    assert client.post(url, {"action": "remove", "reason": "Declined the offer"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "removed"


def test_api_waiting_list(
    world: World, waiting: dict[str, WaitingListEntry], login: Callable[[str], Client]
) -> None:
    client = login("coordinator")
    body = client.get("/api/v1/waiting-list?sort=waiting&limit=2").json()
    assert body["count"] == 4 and [i["patient_name"].split()[-1] for i in body["items"]] == [
        "Old",
        "Child",
    ]
    assert body["items"][0]["breached"] is True and body["items"][0]["days_waiting"] == 200
    removed = client.post(
        f"/api/v1/waiting-list/{waiting['urgent'].external_id}/remove",
        {"reason": ""},
        content_type="application/json",
    )
    assert removed.status_code == 422 and "reason" in removed.json()["fields"]
