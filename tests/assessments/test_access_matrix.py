"""The assessments access matrix: every role × every questionnaire view and endpoint.

Generated like ``tests/core/test_access_matrix.py``: who sees which patient comes from
there (``VISIBLE``); ``ENDPOINTS`` lists each view and route with its kind, and
``expected`` derives each cell. The pure rules are checked against the same table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from waypoint.assessments import access
from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.core.principals import principal_for
from waypoint.patients.queries import patient_facts

from ..conftest import World
from ..core.test_access_matrix import PORTAL, STAFF, USERS, VISIBLE
from .helpers import phq9_answers

CHILDREN = {"child", "grown_up", "renewed"}
CLINICAL = {"clinician", "nurse", "lead", "outsider"}  # outsider: a paediatric physio


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # staff-ui | portal-ui | api-read | api-write-self | api-write-proxy
    method: str
    path: str  # {pid} patient, {rid} a response of theirs, {aid} an alert of theirs


SUBMIT = "/api/v1/patients/{pid}/questionnaire-responses"
ENDPOINTS = [
    Endpoint("paper entry", "staff-ui", "get", "/patients/{pid}/questionnaires/paper/"),
    Endpoint("response answers", "staff-ui", "get", "/questionnaires/{rid}/"),
    Endpoint("withdraw form", "staff-ui", "get", "/questionnaires/{rid}/entered-in-error/"),
    Endpoint("acknowledge form", "staff-ui", "get", "/safety-alerts/{aid}/acknowledge/"),
    Endpoint("portal list", "portal-ui", "get", "/portal/patients/{pid}/questionnaires/"),
    Endpoint("portal form", "portal-ui", "get", "/portal/questionnaires/{rid}/"),
    Endpoint("portal review", "portal-ui", "get", "/portal/questionnaires/{rid}/review/"),
    Endpoint("api scores", "api-read", "get", "/api/v1/patients/{pid}/scores"),
    Endpoint("api response", "api-read", "get", "/api/v1/questionnaire-responses/{rid}"),
    Endpoint("api submit phq9", "api-write-self", "post", SUBMIT),
    Endpoint("api submit fdi parent", "api-write-proxy", "post", SUBMIT),
]  # fmt: skip

BODIES = {
    "api-write-self": {"instrument": "phq9", "answers": phq9_answers()},
    "api-write-proxy": {
        "instrument": "fdi_parent",
        "answers": {f"fdi{n}": 0 for n in range(1, 16)},
    },
}


def expected(user: str, endpoint: Endpoint, target: str) -> int:
    visible = user in VISIBLE[target]
    if user == "anonymous":
        return 401 if endpoint.kind.startswith("api") else 302
    if not visible:
        return 404
    if endpoint.kind == "staff-ui":
        return 200 if user in STAFF else 404
    if endpoint.kind == "portal-ui":
        # The seeded response is the patient's own (adults) or the parent's (children).
        if user == "patient":
            return 200
        return 200 if user in PORTAL and target in CHILDREN else 404
    if endpoint.kind == "api-read":
        return 200
    if user in STAFF:
        return 201
    fits = (user == "patient") == (endpoint.kind == "api-write-self")
    return 201 if fits else 422


def seed(world: World) -> dict[str, tuple[QuestionnaireResponse, SafetyAlert]]:
    seeded = {}
    for target in VISIBLE:
        patient = getattr(world, target)
        response = QuestionnaireResponse.objects.create(
            patient=patient,
            instrument="fdi_parent" if target in CHILDREN else "phq9",
            instrument_version="1",
            respondent="parent-proxy" if target in CHILDREN else "self",
        )
        alert = SafetyAlert.objects.create(patient=patient, response=response, message="test")
        seeded[target] = (response, alert)
    return seeded


@pytest.mark.parametrize("user", USERS)
def test_access_matrix(user: str, world: World, login: Callable[[str], Client]) -> None:
    seeded = seed(world)
    client = Client() if user == "anonymous" else login(user)
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    for endpoint in sorted(ENDPOINTS, key=lambda e: e.kind.startswith("api-write")):
        for target in VISIBLE:
            patient = getattr(world, target)
            response, alert = seeded[target]
            path = endpoint.path.format(
                pid=patient.external_id, rid=response.external_id, aid=alert.external_id
            )
            body = BODIES.get(endpoint.kind)
            answer = (
                client.post(path, body, content_type="application/json")
                if body is not None
                else client.get(path)
            )
            got[(endpoint.name, target)] = answer.status_code
            want[(endpoint.name, target)] = expected(user, endpoint, target)
    wrong = {cell: (got[cell], want[cell]) for cell in want if got[cell] != want[cell]}
    assert wrong == {}, f"{user}: (endpoint, patient): (got, expected) = {wrong}"


@pytest.mark.parametrize("user", sorted(STAFF | PORTAL))
def test_pure_rules_agree_with_the_table(user: str, world: World) -> None:
    principal = principal_for(get_user_model().objects.get(username=user))
    today = timezone.localdate()
    for target in VISIBLE:
        facts = patient_facts(getattr(world, target))
        visible = user in VISIBLE[target]
        assert access.can_read_responses(principal, facts, today) == visible
        assert access.can_submit_response(principal, facts, today) == visible
        assert access.can_answer_in_portal(principal, facts, today) == (visible and user in PORTAL)
        assert access.can_enter_on_paper(principal, facts, today) == (visible and user in STAFF)
        assert access.can_acknowledge_alert(principal, facts, today) == (
            visible and user in CLINICAL
        )
