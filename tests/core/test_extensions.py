"""Apps add chart and home panels through core.extensions; empty ones are not shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from waypoint.core import extensions
from waypoint.core.extensions import Panel

from ..conftest import World

TEMPLATES = Path(__file__).with_name("templates")


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    monkeypatch.setattr(extensions, "_chart_panels", [])
    monkeypatch.setattr(extensions, "_home_panels", [])
    monkeypatch.setattr(extensions, "_nav_items", [])


def test_chart_shows_only_panels_with_something_to_show(
    world: World, login: Callable[[str], Client], clean_registry: None
) -> None:
    @extensions.chart_panel(order=2)
    def scores(request: Any, actor: Any, patient: Any) -> Panel | None:
        return Panel("Scores", "tests/panel.html", {"text": f"scores of {patient.mrn}"})

    @extensions.chart_panel(order=1)
    def nothing(request: Any, actor: Any, patient: Any) -> Panel | None:
        return None

    @extensions.home_panel()
    def alerts(request: Any, actor: Any) -> Panel | None:
        return Panel("Safety alerts", "tests/panel.html", {"text": "none open"})

    extensions.nav_item("Waiting list", "audit-log", lambda p: p.role == "clinic-lead")
    client = login("clinician")
    chart = client.get(f"/patients/{world.adult_patient.external_id}/").content.decode()
    assert ">Scores</h2>" in chart and "scores of A00001" in chart
    assert chart.count('class="panel"') == 1
    home = client.get("/").content.decode()
    assert "Safety alerts" in home and "none open" in home
    assert "Waiting list" not in home
    assert "Waiting list" in login("lead").get("/").content.decode()


def test_no_clinical_record_can_be_deleted_in_the_admin(rf: Any) -> None:
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    request = rf.get("/admin/")
    # A superuser may do anything Django's permissions allow: only our admins say no.
    request.user = get_user_model()(is_superuser=True, is_active=True)
    clinical_apps = {"patients", "medications", "careplans", "assessments", "referrals"}
    checked = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in clinical_apps
    ]
    deletable = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in clinical_apps and model_admin.has_delete_permission(request)
    ]
    assert len(checked) >= 10
    assert deletable == []
    assert admin.site._registry[get_user_model()].has_delete_permission(request)  # the probe works
