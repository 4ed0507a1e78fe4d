"""/api/v1: patients, episodes, care team, guardians; errors as {detail, code}."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from waypoint.core.models import ApiToken
from waypoint.patients.models import Patient

from ..conftest import World


@pytest.fixture
def api(world: World) -> Callable[[str], Client]:
    def _api(username: str) -> Client:
        user = world.staff[username].user if username in world.staff else None
        if user is None:
            user = Patient.objects.get(user__username=username).user
        _, raw = ApiToken.mint(user=user, name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return _api


def new_patient(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "service": str(world.adult.external_id),
        "mrn": "API001",
        "given_name": "Ada",
        "family_name": "Api",
        "birth_date": "1985-07-01",
        "sex": "female",
        **changes,
    }


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_create_read_update_patient(world: World, api: Callable[[str], Client]) -> None:
    client = api("coordinator")
    created = post(client, "/api/v1/patients", new_patient(world, phone="07700 900999"))
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["mrn"], body["version"], body["phone"]) == ("API001", 1, "07700 900999")
    pid = body["id"]
    assert client.get(f"/api/v1/patients/{pid}").json()["family_name"] == "Api"
    patched = client.patch(
        f"/api/v1/patients/{pid}",
        {"version": 1, "preferred_name": "Addy"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/patients/{pid}",
        {"version": 1, "preferred_name": "Old"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict" and "not saved" in stale.json()["detail"]
    assert Patient.objects.get(external_id=pid).preferred_name == "Addy"
    episodes = client.get(f"/api/v1/patients/{pid}/episodes").json()
    assert episodes["count"] == 1 and episodes["items"][0]["status"] == "planned"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "yesterday"}, "birth_date"),
        ({"phone": "abc"}, "phone"),
        ({"email": "nope"}, "email"),
        ({"mrn": "A00002"}, "mrn"),
        ({"sex": "x"}, "sex"),
        ({"given_name": ""}, "given_name"),
        ({"service": "00000000-0000-4000-8000-000000000000"}, "service"),
        ({"service": str(0)}, "service"),
    ],
)
def test_create_validation_names_the_field(
    world: World, api: Callable[[str], Client], changes: dict[str, Any], field: str
) -> None:
    before = Patient.objects.count()
    response = post(api("coordinator"), "/api/v1/patients", new_patient(world, **changes))
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body
    assert field in body["detail"]
    assert Patient.objects.count() == before


def test_deactivate_then_entered_in_error(world: World, api: Callable[[str], Client]) -> None:
    client = api("clinician")
    pid = world.adult_patient.external_id
    no_reason = post(client, f"/api/v1/patients/{pid}/status", {"version": 1, "status": "inactive"})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    done = post(
        client,
        f"/api/v1/patients/{pid}/status",
        {"version": 1, "status": "inactive", "reason": "Moved"},
    )
    assert done.json()["status"] == "inactive"
    assert Patient.objects.filter(pk=world.adult_patient.pk).exists()


def test_episode_and_care_team(world: World, api: Callable[[str], Client]) -> None:
    client = api("coordinator")
    pid = world.adult_patient.external_id
    dup = post(
        client, f"/api/v1/patients/{pid}/episodes", {"service": str(world.adult.external_id)}
    )
    assert dup.status_code == 422 and "open episode" in dup.json()["detail"]
    opened = post(
        client, f"/api/v1/patients/{pid}/episodes", {"service": str(world.paeds.external_id)}
    )
    assert opened.status_code == 201
    eid = opened.json()["id"]
    moved = client.patch(
        f"/api/v1/episodes/{eid}",
        {"version": 1, "status": "active"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["start"] is not None
    bad = client.patch(
        f"/api/v1/episodes/{eid}",
        {"version": 2, "status": "planned"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "status" in bad.json()["fields"]
    added = post(
        client,
        f"/api/v1/episodes/{eid}/care-team",
        {"staff_username": "outsider", "role": "key-worker"},
    )
    assert added.status_code == 201 and added.json()["role"] == "key-worker"
    nobody = post(client, f"/api/v1/episodes/{eid}/care-team", {"staff_username": "ghost"})
    assert nobody.status_code == 422 and "staff_username" in nobody.json()["fields"]
    team = client.get(f"/api/v1/episodes/{eid}/care-team").json()
    assert [m["staff_name"] for m in team] == [world.staff["outsider"].display_name]
    ended = post(client, f"/api/v1/care-team/{team[0]['id']}/end", {})
    assert ended.json()["end"] is not None


def test_guardians(world: World, api: Callable[[str], Client]) -> None:
    client = api("coordinator")
    cid = world.child.external_id
    linked = post(
        client,
        f"/api/v1/patients/{cid}/guardians",
        {"given_name": "Li", "family_name": "Chen", "relationship": "father"},
    )
    assert linked.status_code == 201
    names = [g["given_name"] for g in client.get(f"/api/v1/patients/{cid}/guardians").json()]
    assert sorted(names) == ["Li", "Mei"]
    ended = client.patch(
        f"/api/v1/guardian-links/{linked.json()['link_id']}",
        {"status": "ended"},
        content_type="application/json",
    )
    assert ended.json()["status"] == "ended"


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=201",
        "offset=-1",
        "offset=1000001",
        "limit=abc",
        "offset=99999999999999999999",
    ],
)
def test_pagination_is_bounded(world: World, api: Callable[[str], Client], query: str) -> None:
    response = api("lead").get(f"/api/v1/patients?{query}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_pagination_pages(world: World, api: Callable[[str], Client]) -> None:
    client = api("lead")
    first = client.get("/api/v1/patients?limit=2&offset=0").json()
    second = client.get("/api/v1/patients?limit=2&offset=2").json()
    assert first["count"] == second["count"] == 5
    assert len(first["items"]) == 2
    assert not {p["id"] for p in first["items"]} & {p["id"] for p in second["items"]}


def test_search_by_name_mrn_and_birth_date(world: World, api: Callable[[str], Client]) -> None:
    client = api("lead")

    def found(q: str) -> set[str]:
        return {p["mrn"] for p in client.get("/api/v1/patients", {"q": q}).json()["items"]}

    assert found("mor") == {"A00001"}
    assert found("alex morg") == {"A00001"}
    assert found("A0000") == {"A00001", "A00002"}
    assert found(world.child.birth_date.isoformat()) == {"C00001"}
    assert found(world.child.birth_date.strftime("%d/%m/%Y")) == {"C00001"}
    assert found("zzz") == set()


def test_session_api_needs_csrf_for_writes(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.post("/login/", {"username": "coordinator", "password": "correct-horse-battery"})
    response = client.post("/api/v1/patients", new_patient(world), content_type="application/json")
    assert response.status_code == 403
    assert not Patient.objects.filter(mrn="API001").exists()


def test_openapi_documents_errors(world: World) -> None:
    spec = Client().get("/api/v1/openapi.json").json()
    patch = spec["paths"]["/api/v1/patients/{pid}"]["patch"]["responses"]
    assert {"200", "404", "409", "422"} <= set(patch)
