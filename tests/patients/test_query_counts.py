"""Query counts of the chart, lists and API reads are pinned (baseline in JSON).

A change in a count fails with the queries listed. Counts must not grow with the number
of patients (no N+1): every page is measured with few and with many patients.
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

from ..conftest import World
from ..factories import CareTeamMemberFactory, EpisodeFactory, PatientFactory

BASELINE = Path(__file__).with_name("query_counts.json")
UPDATE = os.environ.get("WAYPOINT_UPDATE_QUERY_BASELINE") == "1"

PAGES: dict[str, Callable[[World], str]] = {
    "staff home": lambda w: "/",
    "patient search": lambda w: "/patients/?q=mor",
    "patient chart": lambda w: f"/patients/{w.adult_patient.external_id}/",
    "api patient list": lambda w: "/api/v1/patients?limit=50",
    "api patient search": lambda w: "/api/v1/patients?q=mor",
    "api patient read": lambda w: f"/api/v1/patients/{w.adult_patient.external_id}",
    "api episodes": lambda w: f"/api/v1/patients/{w.adult_patient.external_id}/episodes",
}


def add_patients(world: World, count: int) -> None:
    for n in range(count):
        patient = PatientFactory(clinic=world.clinic, family_name=f"Morrison{n}")
        episode = EpisodeFactory(patient=patient, service=world.adult)
        CareTeamMemberFactory(episode=episode, staff=world.staff["clinician"])
    # More episodes and team members on the charted patient too.
    for _ in range(count // 5):
        EpisodeFactory(
            patient=world.adult_patient,
            service=world.adult,
            status="finished",
            end=world.episode.start,
        )


def measure(client: Client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_query_count_is_pinned_and_flat(
    page: str, world: World, login: Callable[[str], Client]
) -> None:
    client = login("clinician")
    path = PAGES[page](world)
    few, _ = measure(client, path)
    add_patients(world, 30)
    many, queries = measure(client, path)
    assert many == few, f"{page}: {few} queries with few patients, {many} with many (N+1?)"
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    if UPDATE:
        baseline[page] = many
        BASELINE.write_text(json.dumps(dict(sorted(baseline.items())), indent=2) + "\n")
    listing = "\n".join(f"  {n + 1}. {sql[:160]}" for n, sql in enumerate(queries))
    assert baseline.get(page) == many, (
        f"{page}: {many} queries, baseline {baseline.get(page)}:\n{listing}"
    )
