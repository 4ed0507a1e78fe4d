"""Query counts of the assessments' panels and API reads are pinned, and flat in the data.

Baseline in ``query_counts.json`` beside this file (NetBox's habit). Refresh it
deliberately: WAYPOINT_UPDATE_QUERY_BASELINE=1 pytest this file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from waypoint.assessments import panels, services
from waypoint.core.audit import Actor, actor_from_request

from ..conftest import World
from .helpers import phq9_answers

BASELINE = Path(__file__).parent / "query_counts.json"
UPDATE = os.environ.get("WAYPOINT_UPDATE_QUERY_BASELINE") == "1"


def actor_for(user: object) -> Actor:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    return actor_from_request(request)


PEG = {"75893-8": 5, "91145-3": 5, "91146-1": 5}


def add_responses(world: World, count: int) -> None:
    """Paper PHQ-9s (half with item 9 > 0, so alerts too) and PEGs for the charted patient."""
    actor = actor_for(world.staff["clinician"].user)
    for n in range(count):
        code, answers = ("peg", PEG) if n % 3 == 2 else ("phq9", phq9_answers(n % 4, n % 2))
        services.submit_response(
            actor=actor,
            patient=world.adult_patient,
            instrument_code=code,
            answers=answers,
            on_paper=True,
        )


def count(call: Callable[[], object]) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def cases(world: World, login: Callable[[str], Client]) -> dict[str, Callable[[], object]]:
    staff = actor_for(world.staff["clinician"].user)
    patient = actor_for(world.adult_patient.user)
    client = login("clinician")
    pid = world.adult_patient.external_id
    return {
        "chart panel": lambda: panels.chart_scores(None, staff, world.adult_patient),
        "home panel": lambda: panels.home_alerts(None, staff),
        "portal panel": lambda: panels.portal_questionnaires(None, patient, world.adult_patient),
        "api scores": lambda: client.get(f"/api/v1/patients/{pid}/scores"),
    }


@pytest.mark.parametrize("case", ["chart panel", "home panel", "portal panel", "api scores"])
def test_query_count_is_pinned_and_flat(
    case: str, world: World, login: Callable[[str], Client]
) -> None:
    add_responses(world, 3)
    call = cases(world, login)[case]
    call()  # warm caches (catalogue, principal)
    few, _ = count(call)
    add_responses(world, 12)
    many, queries = count(call)
    assert many == few, f"{case}: {few} queries with few responses, {many} with many (N+1?)"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        baseline[case] = many
        BASELINE.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")
    listing = "\n".join(f"  {n + 1}. {sql[:160]}" for n, sql in enumerate(queries))
    assert baseline.get(case) == many, (
        f"{case}: {many} queries, baseline {baseline.get(case)}:\n{listing}"
    )
