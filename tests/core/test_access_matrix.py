"""The access matrix: every role × every patient-data view and endpoint (issue #2).

Generated, not hand-listed: ``VISIBLE`` states who may see which patient (the spec),
``ENDPOINTS`` lists every patient-data view and API route with its kind, and
``expected`` derives each cell's status. A new view joins by adding one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from waypoint.core.models import AuditEvent

from ..conftest import World

STAFF = {"clinician", "nurse", "coordinator", "lead", "admin", "outsider"}
PORTAL = {"patient", "guardian", "old.guardian", "renewed.guardian"}
USERS = sorted(STAFF | PORTAL) + ["anonymous"]

# Who may see each of the world's patients. 'outsider' works only in the paediatric
# service; 'admin' works in none; 'old.guardian''s child turned 18 yesterday.
VISIBLE = {
    "adult_patient": {"clinician", "nurse", "coordinator", "lead", "patient"},
    "other_adult": {"clinician", "nurse", "coordinator", "lead"},
    "child": {"coordinator", "lead", "outsider", "guardian"},
    "grown_up": {"coordinator", "lead", "outsider"},
    "renewed": {"coordinator", "lead", "outsider", "renewed.guardian"},
    "foreign": set(),
}


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # staff-ui | portal-ui | api-read | api-write
    method: str
    path: str  # {pid} is the patient's UUID, {eid} their first episode's
    body: dict[str, object] | None = None


ENDPOINTS = [
    Endpoint("chart", "staff-ui", "get", "/patients/{pid}/"),
    Endpoint("edit form", "staff-ui", "get", "/patients/{pid}/edit/"),
    Endpoint("status form", "staff-ui", "get", "/patients/{pid}/status/"),
    Endpoint("history", "staff-ui", "get", "/patients/{pid}/history/"),
    Endpoint("new episode form", "staff-ui", "get", "/patients/{pid}/episodes/new/"),
    Endpoint("link guardian form", "staff-ui", "get", "/patients/{pid}/guardians/new/"),
    Endpoint("episode form", "staff-ui", "get", "/episodes/{eid}/edit/"),
    Endpoint("care team form", "staff-ui", "get", "/episodes/{eid}/care-team/add/"),
    Endpoint("portal record", "portal-ui", "get", "/portal/patients/{pid}/"),
    Endpoint("api patient", "api-read", "get", "/api/v1/patients/{pid}"),
    Endpoint("api episodes", "api-read", "get", "/api/v1/patients/{pid}/episodes"),
    Endpoint("api guardians", "api-read", "get", "/api/v1/patients/{pid}/guardians"),
    Endpoint("api episode", "api-read", "get", "/api/v1/episodes/{eid}"),
    Endpoint("api care team", "api-read", "get", "/api/v1/episodes/{eid}/care-team"),
    Endpoint("api patch patient", "api-write", "patch", "/api/v1/patients/{pid}", {"version": 1}),
]


def expected(user: str, endpoint: Endpoint, target: str) -> int:
    visible = user in VISIBLE[target]
    if user == "anonymous":
        return 401 if endpoint.kind.startswith("api") else 302
    if endpoint.kind == "staff-ui":
        return 200 if user in STAFF and visible else 404
    if endpoint.kind == "portal-ui":
        return 302 if user in STAFF else (200 if visible else 404)
    if endpoint.kind == "api-read":
        return 200 if visible else 404
    return (200 if user in STAFF else 403) if visible else 404


@pytest.mark.parametrize("user", USERS)
def test_access_matrix(user: str, world: World, login: Callable[[str], Client]) -> None:
    client = Client() if user == "anonymous" else login(user)
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    # Writes last, so that reads see the world as built.
    for endpoint in sorted(ENDPOINTS, key=lambda e: e.kind == "api-write"):
        for target in VISIBLE:
            patient = getattr(world, target)
            path = endpoint.path.format(
                pid=patient.external_id, eid=patient.episodes.first().external_id
            )
            call = getattr(client, endpoint.method)
            response = (
                call(path, endpoint.body, content_type="application/json")
                if endpoint.body is not None
                else call(path)
            )
            got[(endpoint.name, target)] = response.status_code
            want[(endpoint.name, target)] = expected(user, endpoint, target)
    wrong = {cell: (got[cell], want[cell]) for cell in want if got[cell] != want[cell]}
    assert wrong == {}, f"{user}: (endpoint, patient): (got, expected) = {wrong}"


def test_patient_probing_another_record_gets_404_and_is_audited(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("patient")
    target = world.other_adult.external_id
    before = AuditEvent.objects.filter(action="denied", patient_ref=target).count()
    for path in (f"/portal/patients/{target}/", f"/api/v1/patients/{target}"):
        response = client.get(path)
        assert response.status_code == 404
    denied = AuditEvent.objects.filter(action="denied", patient_ref=target, username="patient")
    assert denied.count() == before + 2
    # A made-up id answers exactly like a real one that is not yours.
    ghost = client.get("/api/v1/patients/00000000-0000-4000-8000-000000000000")
    real = client.get(f"/api/v1/patients/{target}")
    assert (ghost.status_code, ghost.json()) == (real.status_code, real.json())


def test_api_list_shows_only_visible_patients(world: World, login: Callable[[str], Client]) -> None:
    for user in sorted(STAFF | PORTAL):
        body = login(user).get("/api/v1/patients?limit=200").json()
        mrns = {item["mrn"] + item["family_name"] for item in body["items"]}
        want = {
            getattr(world, t).mrn + getattr(world, t).family_name
            for t, who in VISIBLE.items()
            if user in who
        }
        assert want <= mrns, user
        # Nobody sees the other clinic's patient, and only the lead sees the whole clinic.
        assert world.foreign.family_name not in {i["family_name"] for i in body["items"]}
        if user in PORTAL:
            assert mrns == want, user
