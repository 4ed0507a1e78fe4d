"""Query counts of the referral lists and API reads: flat (no N+1) and pinned.

Every page is measured with few and with many referrals; the counts must be equal, and
equal to the baseline in ``query_counts.json`` (the staff home is only checked for
flatness: other apps' panels share it). A change fails with the queries listed.
Refresh the baseline deliberately: WAYPOINT_UPDATE_QUERY_BASELINE=1 pytest this file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from waypoint.referrals import services
from waypoint.referrals.models import Referral

from ..conftest import World
from .conftest import actor

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("WAYPOINT_UPDATE_QUERY_BASELINE") == "1"
PAGES: dict[str, Callable[[Referral], str]] = {
    "triage queue": lambda r: "/referrals/",
    "waiting list": lambda r: "/waiting-list/",
    "referral page": lambda r: f"/referrals/{r.external_id}/",
    "decision form": lambda r: f"/referrals/{r.external_id}/decide/",
    "api referral list": lambda r: "/api/v1/referrals?status=all",
    "api referral": lambda r: f"/api/v1/referrals/{r.external_id}",
    "api decisions": lambda r: f"/api/v1/referrals/{r.external_id}/decisions",
    "api waiting list": lambda r: "/api/v1/waiting-list",
    "staff home": lambda r: "/",
}


def add(world: World, make_referral: Callable[..., Referral], n: int, start: int) -> Referral:
    first = None
    for i in range(start, start + n):
        referral = make_referral(
            world.adult, family_name=f"Person{i}", red_flags={"acute-trauma": "present"}
        )
        services.decide(
            actor=actor("lead"),
            referral=referral,
            expected_version=referral.version,
            outcome="accept",
            priority="routine",
            reason="Reviewed",
        )
        first = first or referral
        make_referral(world.adult, family_name=f"Open{i}")
    assert first is not None
    # More history on the measured referral, too.
    services.write_letter(actor=actor("coordinator"), referral=first, kind="decline")
    return first


def measure(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries), [q["sql"][:160] for q in ctx.captured_queries]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_flat_and_pinned(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client], page: str
) -> None:
    client = login("clinician")
    measured = add(world, make_referral, 2, 0)
    few, _ = measure(client, PAGES[page](measured))
    add(world, make_referral, 5, 10)
    many, queries = measure(client, PAGES[page](measured))
    assert many == few, f"{page}: {few} queries with few referrals, {many} with many (N+1?)"
    if page == "staff home":
        return
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        baseline[page] = many
        BASELINE.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")
        return
    listed = "\n".join(f"{n}. {sql}" for n, sql in enumerate(queries, 1))
    assert baseline.get(page) == many, (
        f"{page}: {many} queries, baseline {baseline.get(page)}:\n{listed}"
    )
