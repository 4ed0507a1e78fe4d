"""schemathesis generates requests from our OpenAPI document: no input may cause a 5xx.

It runs in-process against the WSGI app (no server, no network), as a real API user
with a bearer token, over a small clinic; examples per operation are bounded so the
suite stays fast and deterministic (derandomized).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from waypoint.core.models import ApiToken
from waypoint.wsgi import application

from ..conftest import World

# Fetching the OpenAPI document touches no database, so it can load at collection.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def keep_test_connection() -> Iterator[None]:
    """As Django's test Client does: a request must not close the test's connection.

    Called straight through WSGI, Django's request signals would close the database
    connection that holds the test transaction (PostgreSQL notices; SQLite does not).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world: World) -> str:
    _, raw = ApiToken.mint(user=world.staff["coordinator"].user, name="schemathesis")
    return raw


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_answers_with_a_server_error(case: Any, token: str) -> None:
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )
    # The token must work, or every case would be a trivially safe 401.
    assert response.status_code != 401
