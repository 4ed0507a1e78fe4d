"""The referrals API: same validation as the UI (422 naming the field), reads, decisions,
and bounds that survive generated input."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.core.models import ApiToken
from waypoint.referrals.models import Referral

from ..conftest import World, years_ago
from .conftest import ALL_ABSENT


def body(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service": str(world.adult.external_id),
        "source": "gp",
        "referrer_name": "Dr Ann Hughes",
        "given_name": "Nadia",
        "family_name": "Novak",
        "birth_date": years_ago(40).isoformat(),
        "reason": "Back pain",
        "pain_sites": "Lower back",
        "pain_duration_months": 24,
        "diagnosis": "musculoskeletal-non-malignant",
        "pain_is_primary": True,
        "biomedical_intervention_unhelpful": True,
        "red_flags": ALL_ABSENT,
        "disclosures": {"mental-health": True},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not ...}


@pytest.fixture
def api(world: World) -> Client:
    _, raw = ApiToken.mint(user=world.staff["coordinator"].user, name="GP feed")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data, content_type="application/json")


def test_create_read_screening_and_decisions(
    world: World, api: Client, login: Callable[[str], Client]
) -> None:
    created = post(api, "/api/v1/referrals", body(world, red_flags={"cauda-equina": "present"}))
    assert created.status_code == 201, created.json()
    rid = created.json()["id"]
    assert created.json()["urgent"] is True and created.json()["status"] == "received"
    read = api.get(f"/api/v1/referrals/{rid}").json()
    assert read["family_name"] == "Novak" and read["service"]["name"] == "Adult programme"
    screening = api.get(f"/api/v1/referrals/{rid}/screening").json()
    assert screening["urgent"] is True
    assert screening["red_flags_present"] == [
        {"code": "cauda-equina", "label": screening["red_flags_present"][0]["label"]}
    ]
    assert screening["rule_set"] == 1
    assert {e["kind"] for e in screening["eligibility"]} >= {
        "adult-programme",
        "paediatric-intensive",
    }
    clinician = login("clinician")
    refused = post(
        clinician,
        f"/api/v1/referrals/{rid}/decisions",
        {"version": 1, "outcome": "accept", "priority": "urgent"},
    )
    assert refused.status_code == 422 and "reason" in refused.json()["fields"]
    decided = post(
        clinician,
        f"/api/v1/referrals/{rid}/decisions",
        {"version": 1, "outcome": "urgent-review", "reason": "Same-day spinal assessment."},
    )
    assert decided.status_code == 201 and decided.json()["decided_by"]
    stale = post(
        clinician,
        f"/api/v1/referrals/{rid}/decisions",
        {"version": 1, "outcome": "decline", "reason": "x"},
    )
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    history = api.get(f"/api/v1/referrals/{rid}/decisions").json()
    assert [d["outcome"] for d in history] == ["urgent-review"]
    assert (
        post(
            api,
            f"/api/v1/referrals/{rid}/decisions",
            {"version": 2, "outcome": "decline", "reason": "x"},
        ).status_code
        == 403
    )
    queue = api.get("/api/v1/referrals").json()
    assert queue["count"] == 1 and queue["items"][0]["status"] == "urgent-review"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=3)).isoformat()}, "birth_date"),
        ({"pain_duration_months": -1}, "pain_duration_months"),
        ({"pain_duration_months": 99999}, "pain_duration_months"),
        ({"pain_duration_months": 700}, "pain_duration_months"),
        ({"service": "00000000-0000-4000-8000-000000000000"}, "service"),
        ({"service": "not-a-uuid"}, "service"),
        ({"reason": ...}, "reason"),
        ({"given_name": ""}, "given_name"),
        ({"diagnosis": "nonsense"}, "diagnosis"),
        ({"source": "fax"}, "source"),
        ({"red_flags": {"cauda-equina": "yes"}}, "red_flags.cauda-equina"),
        ({"red_flags": {"made-up": "present"}}, "red_flags"),
        ({"referrer_name": "nul\x00byte"}, "referrer_name"),
        ({"duplicate_choice": "maybe"}, "duplicate_choice"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    world: World, api: Client, overrides: dict[str, Any], field: str
) -> None:
    response = post(api, "/api/v1/referrals", body(world, **overrides))
    assert response.status_code == 422, response.json()
    assert field in response.json()["fields"], response.json()
    assert response.json()["code"] == "invalid"
    assert not Referral.objects.exists()


def test_possible_duplicate_through_the_api(world: World, api: Client) -> None:
    existing = world.other_adult
    data = body(
        world,
        given_name=existing.given_name,
        family_name=existing.family_name,
        birth_date=existing.birth_date.isoformat(),
    )
    warned = post(api, "/api/v1/referrals", data)
    assert warned.status_code == 422 and "duplicate_choice" in warned.json()["fields"]
    assert existing.mrn in warned.json()["detail"]
    linked = post(
        api,
        "/api/v1/referrals",
        {**data, "duplicate_choice": "same", "duplicate_of": str(existing.external_id)},
    )
    assert linked.status_code == 201 and linked.json()["patient"] == str(existing.external_id)


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=201", "offset=-1", "offset=1000001", "limit=abc", "priority=whenever"],
)
def test_list_bounds(world: World, api: Client, query: str) -> None:
    for path in ("/api/v1/referrals", "/api/v1/waiting-list"):
        if "priority" in query and path.endswith("referrals"):
            continue
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422, (path, query)
        assert response.json()["code"] == "invalid"


def test_portal_users_cannot_create_or_list(world: World, login: Callable[[str], Client]) -> None:
    for user in ("patient", "guardian"):
        client = login(user)
        assert post(client, "/api/v1/referrals", body(world)).status_code == 403
        assert client.get("/api/v1/referrals").json()["count"] == 0
        assert client.get("/api/v1/waiting-list").json()["count"] == 0
    assert Client().get("/api/v1/referrals").status_code == 401


def test_attachments_through_the_api(
    world: World, api: Client, login: Callable[[str], Client]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    rid = post(api, "/api/v1/referrals", body(world)).json()["id"]
    pdf = b"%PDF-1.4\n%%EOF\n"
    ok = api.post(
        f"/api/v1/referrals/{rid}/attachments",
        {"file": SimpleUploadedFile("letter.pdf", pdf, content_type="application/pdf")},
    )
    assert ok.status_code == 201, ok.json()
    assert ok.json()["size"] == len(pdf) and ok.json()["name"] == "letter.pdf"
    listed = api.get(f"/api/v1/referrals/{rid}/attachments").json()
    assert [a["name"] for a in listed] == ["letter.pdf"]
    content = api.get(f"/api/v1/referral-attachments/{ok.json()['id']}/content")
    assert content.status_code == 200 and content.content == pdf
    assert (
        login("patient").get(f"/api/v1/referral-attachments/{ok.json()['id']}/content").status_code
        == 404
    )
    refused = api.post(
        f"/api/v1/referrals/{rid}/attachments",
        {
            "file": SimpleUploadedFile(
                "virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"
            )
        },
    )
    assert refused.status_code == 422 and "attachments" in refused.json()["fields"]
    huge = api.post(
        f"/api/v1/referrals/{rid}/attachments",
        {
            "file": SimpleUploadedFile(
                "huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), content_type="application/pdf"
            )
        },
    )
    assert huge.status_code == 422 and "over the limit" in huge.json()["detail"]
    assert len(api.get(f"/api/v1/referrals/{rid}/attachments").json()) == 1
