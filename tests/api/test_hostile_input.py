"""Input PostgreSQL cannot store (NUL characters) is refused cleanly, on both databases.

schemathesis rarely generates it; these cases pin every text entry point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from waypoint.core.models import ApiToken

from ..conftest import World

NUL = "a\x00b"


@pytest.fixture
def api(world: World) -> Client:
    _, raw = ApiToken.mint(user=world.staff["coordinator"].user, name="t")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def patient_body(world: World) -> dict[str, Any]:
    return {
        "service": str(world.adult.external_id),
        "mrn": "NUL01",
        "given_name": "Ann",
        "family_name": "Nul",
        "birth_date": "1990-01-01",
        "sex": "female",
    }


CASES: list[tuple[str, str, Callable[[World], str], Callable[[World], dict[str, Any]]]] = [
    (
        "post",
        "create patient",
        lambda w: "/api/v1/patients",
        lambda w: {**patient_body(w), "given_name": NUL},
    ),
    (
        "patch",
        "update patient",
        lambda w: f"/api/v1/patients/{w.adult_patient.external_id}",
        lambda w: {"version": 1, "address": NUL},
    ),
    (
        "post",
        "status reason",
        lambda w: f"/api/v1/patients/{w.adult_patient.external_id}/status",
        lambda w: {"version": 1, "status": "inactive", "reason": NUL},
    ),
    (
        "post",
        "episode reason",
        lambda w: f"/api/v1/patients/{w.child.external_id}/episodes",
        lambda w: {"service": str(w.adult.external_id), "reason": NUL},
    ),
    (
        "post",
        "care team username",
        lambda w: f"/api/v1/episodes/{w.episode.external_id}/care-team",
        lambda w: {"staff_username": NUL},
    ),
    (
        "post",
        "guardian name",
        lambda w: f"/api/v1/patients/{w.child.external_id}/guardians",
        lambda w: {"given_name": NUL, "family_name": "X", "relationship": "mother"},
    ),
]


@pytest.mark.parametrize(("method", "name", "path", "body"), CASES, ids=[c[1] for c in CASES])
def test_api_refuses_nul(
    world: World,
    api: Client,
    method: str,
    name: str,
    path: Callable[[World], str],
    body: Callable[[World], dict[str, Any]],
) -> None:
    response = getattr(api, method)(path(world), body(world), content_type="application/json")
    assert response.status_code == 422, response.content
    assert "NUL" in response.json()["detail"]


def test_searches_with_nul(world: World, api: Client, login: Callable[[str], Client]) -> None:
    refused = api.get("/api/v1/patients", {"q": "mor\x00"})
    assert refused.status_code == 422 and "q" in refused.json()["fields"]
    page = login("coordinator").get("/patients/", {"q": "mor\x00"})  # the page just drops it
    assert page.status_code == 200 and page.context["page"].paginator.count == 1


def test_forms_refuse_nul(world: World, login: Callable[[str], Client]) -> None:
    response = login("coordinator").post(
        "/patients/new/",
        {
            "given_name": NUL,
            "family_name": "Nul",
            "birth_date": "1990-01-01",
            "sex": "female",
            "mrn": "NUL02",
            "preferred_language": "English",
            "service": world.adult.pk,
        },
    )
    assert response.status_code == 422
    assert "given_name" in response.context["form"].errors


def test_login_with_nul_username(world: World) -> None:
    response = Client().post("/login/", {"username": NUL, "password": "x"})
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
