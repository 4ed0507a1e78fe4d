"""Access to referrals: the pure rules, the SQL filter, and the generated matrix of
roles × every referral page and endpoint, including a coordinator of another clinic."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.factories import StaffFactory, UserFactory
from waypoint.core.access import Principal, Role
from waypoint.core.models import AuditEvent
from waypoint.core.principals import principal_for
from waypoint.referrals import access, queries, services
from waypoint.referrals.access import ReferralFacts
from waypoint.referrals.models import Referral

from ..conftest import World
from .conftest import actor, referral_fields

CLINIC, OTHER = 1, 2
ADULT, PAEDS, THEIRS = 10, 11, 20


def staff(role: Role, services_: set[int], clinic: int = CLINIC) -> Principal:
    return Principal(user_id=1, role=role, clinic_id=clinic, service_ids=frozenset(services_))


# (principal, referral, may view, may decide) — the rules of waypoint/referrals/access.py.
RULES = [
    (staff(Role.CLINICIAN, {ADULT}), ReferralFacts(CLINIC, ADULT), True, True),
    (staff(Role.CLINICIAN, {ADULT}), ReferralFacts(CLINIC, PAEDS), False, False),
    (staff(Role.NURSE, {ADULT}), ReferralFacts(CLINIC, ADULT), True, False),
    (staff(Role.COORDINATOR, {ADULT, PAEDS}), ReferralFacts(CLINIC, PAEDS), True, False),
    (staff(Role.CLINIC_LEAD, set()), ReferralFacts(CLINIC, PAEDS), True, True),
    (staff(Role.CLINIC_LEAD, set(), OTHER), ReferralFacts(CLINIC, ADULT), False, False),
    (staff(Role.ADMIN, set()), ReferralFacts(CLINIC, ADULT), False, False),
    # A service id of another clinic never opens this clinic's referrals, nor the reverse.
    (staff(Role.COORDINATOR, {ADULT}, OTHER), ReferralFacts(CLINIC, ADULT), False, False),
    (staff(Role.COORDINATOR, {THEIRS}, OTHER), ReferralFacts(OTHER, THEIRS), True, False),
    (
        Principal(user_id=9, role=Role.PATIENT, clinic_id=CLINIC, patient_id=3),
        ReferralFacts(CLINIC, ADULT),
        False,
        False,
    ),
    (Principal(user_id=9, role=Role.GUARDIAN), ReferralFacts(CLINIC, ADULT), False, False),
    (Principal(user_id=None, role=None), ReferralFacts(CLINIC, ADULT), False, False),
]


@pytest.mark.parametrize(("principal", "facts", "view", "decide"), RULES)
def test_rules(principal: Principal, facts: ReferralFacts, view: bool, decide: bool) -> None:
    assert access.can_view_referral(principal, facts) is view
    assert access.can_edit_referral(principal, facts) is view
    assert access.can_manage_waiting_list(principal, facts) is view
    assert access.can_decide_referral(principal, facts) is decide
    assert access.can_receive_referral(principal, facts.clinic_id, facts.service_id) is view


def test_referrals_pages_exist_only_for_staff_with_a_service() -> None:
    assert access.can_see_referrals_at_all(staff(Role.COORDINATOR, {ADULT}))
    assert access.can_see_referrals_at_all(staff(Role.CLINIC_LEAD, set()))
    assert not access.can_see_referrals_at_all(staff(Role.ADMIN, set()))
    assert not access.can_see_referrals_at_all(Principal(user_id=9, role=Role.PATIENT))


# --- the matrix against the real pages ----------------------------------------------

STAFF = {"clinician", "nurse", "coordinator", "lead", "admin", "outsider", "far.coordinator"}
PORTAL = {"patient", "guardian"}
USERS = sorted(STAFF | PORTAL) + ["anonymous"]
VISIBLE = {
    "adult": {"clinician", "nurse", "coordinator", "lead"},
    "paeds": {"coordinator", "lead", "outsider"},
    "foreign": {"far.coordinator"},
}
DECIDERS = {"adult": {"clinician", "lead"}, "paeds": {"lead", "outsider"}, "foreign": set()}


@dataclass(frozen=True)
class Endpoint:
    name: str
    kind: str  # ui | decide-ui | api-read | api-write | list-ui
    method: str
    path: str  # {rid} referral, {lid} its first letter, {wid} its waiting-list entry


ENDPOINTS = [
    Endpoint("referral page", "ui", "get", "/referrals/{rid}/"),
    Endpoint("edit form", "ui", "get", "/referrals/{rid}/edit/"),
    Endpoint("letter page", "ui", "get", "/letters/{lid}/"),
    Endpoint("waiting entry", "ui", "get", "/waiting-list/{wid}/"),
    Endpoint("decision form", "decide-ui", "get", "/referrals/{rid}/decide/"),
    Endpoint("api referral", "api-read", "get", "/api/v1/referrals/{rid}"),
    Endpoint("api screening", "api-read", "get", "/api/v1/referrals/{rid}/screening"),
    Endpoint("api decisions", "api-read", "get", "/api/v1/referrals/{rid}/decisions"),
    Endpoint("api decide", "api-write", "post", "/api/v1/referrals/{rid}/decisions"),
]
LISTS = ["/referrals/", "/referrals/new/", "/waiting-list/"]


def expected(user: str, endpoint: Endpoint, target: str) -> int:
    visible = user in VISIBLE[target]
    decider = user in DECIDERS[target]
    if user == "anonymous":
        return 401 if endpoint.kind.startswith("api") else 302
    if endpoint.kind in ("ui", "api-read"):
        return 200 if visible else 404
    if endpoint.kind == "decide-ui":
        return 200 if decider else 403 if visible else 404
    return 201 if decider else 403 if visible else 404


@pytest.fixture
def referrals(world: World) -> dict[str, Referral]:
    far = world.foreign.clinic
    theirs = world.foreign.episodes.first().service
    StaffFactory(
        user=UserFactory(username="far.coordinator"),
        clinic=far,
        role="coordinator",
        services=[theirs],
    )
    StaffFactory(user=UserFactory(username="far.lead"), clinic=far, role="clinic-lead")
    made = {
        "adult": services.create_referral(
            actor=actor("coordinator"), service=world.adult, fields=referral_fields()
        ),
        "paeds": services.create_referral(
            actor=actor("coordinator"),
            service=world.paeds,
            fields=referral_fields(
                given_name="Pip", family_name="Young", birth_date=world.child.birth_date
            ),
        ),
        "foreign": services.create_referral(
            actor=actor("far.coordinator"), service=theirs, fields=referral_fields()
        ),
    }
    for target, referral in made.items():
        services.decide(
            actor=actor("far.lead" if target == "foreign" else "lead"),
            referral=referral,
            expected_version=referral.version,
            outcome="accept",
            priority="routine",
        )
    return made


@pytest.mark.parametrize("user", USERS)
def test_access_matrix(
    user: str, world: World, referrals: dict[str, Referral], login: Callable[[str], Client]
) -> None:
    client = Client() if user == "anonymous" else login(user)
    got: dict[tuple[str, str], int] = {}
    want: dict[tuple[str, str], int] = {}
    for endpoint in sorted(ENDPOINTS, key=lambda e: e.kind == "api-write"):
        for target, referral in referrals.items():
            referral.refresh_from_db()
            path = endpoint.path.format(
                rid=referral.external_id,
                lid=referral.letters.last().external_id,
                wid=referral.waiting_list_entries.get().external_id,
            )
            if endpoint.method == "post":
                body = {
                    "version": referral.version,
                    "outcome": "request-information",
                    "missing_items": ["x"],
                }
                response = client.post(path, body, content_type="application/json")
            else:
                response = client.get(path)
            got[(endpoint.name, target)] = response.status_code
            want[(endpoint.name, target)] = expected(user, endpoint, target)
    for path in LISTS:
        got[(path, "-")] = client.get(path).status_code
        want[(path, "-")] = 302 if user == "anonymous" else 200 if user in STAFF else 404
    wrong = {cell: (got[cell], want[cell]) for cell in want if got[cell] != want[cell]}
    assert wrong == {}, f"{user}: (endpoint, referral): (got, expected) = {wrong}"


def test_lists_show_only_visible_referrals(
    world: World, referrals: dict[str, Referral], login: Callable[[str], Client]
) -> None:
    for user in sorted(STAFF | PORTAL):
        client = login(user)
        listed = {
            i["id"] for i in client.get("/api/v1/referrals?status=all&limit=200").json()["items"]
        }
        want = {str(r.external_id) for t, r in referrals.items() if user in VISIBLE[t]}
        assert listed == want, user
        waiting = {
            i["referral"] for i in client.get("/api/v1/waiting-list?limit=200").json()["items"]
        }
        assert waiting == want, user


def test_sql_filter_agrees_with_rules(world: World, referrals: dict[str, Referral]) -> None:
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.all():
        principal = principal_for(user)
        by_sql = set(queries.visible_referrals(principal).values_list("pk", flat=True))
        by_rules = {
            r.pk
            for r in Referral.objects.select_related("service")
            if access.can_view_referral(principal, queries.referral_facts(r))
        }
        assert by_sql == by_rules, user.username


def test_reads_and_refusals_are_audited_with_the_patient(
    world: World, referrals: dict[str, Referral], login: Callable[[str], Client]
) -> None:
    referral = referrals["adult"]
    assert referral.patient is not None
    login("nurse").get(f"/referrals/{referral.external_id}/")
    read = AuditEvent.objects.filter(
        username="nurse", action="read", object_ref=str(referral.external_id)
    )
    assert read.get().patient_ref == referral.patient.external_id
    login("patient").get(f"/api/v1/referrals/{referral.external_id}")
    assert AuditEvent.objects.filter(username="patient", action="denied").exists()
