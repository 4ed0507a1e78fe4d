"""A physician adds two opioids and a benzodiazepine and sees the total MME and both alerts."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from waypoint.core.models import Service
from waypoint.demo.clinic import DEMO_PASSWORD, build

from ..factories import EpisodeFactory, PatientFactory

pytestmark = pytest.mark.django_db(transaction=True)
STRENGTH = re.compile(r"^Strength:?$")  # not "Strength unit"


def add(page: Page, ingredient: str, form: str, strength: str, frequency: str) -> None:
    page.get_by_role("link", name="Add a medication").click()
    page.get_by_label("Ingredient").fill(ingredient)
    page.get_by_label("Form").select_option(form)
    page.get_by_label("Route").select_option("oral")
    page.get_by_label(STRENGTH).fill(strength)
    page.get_by_label("Strength unit").select_option("mg")
    page.get_by_label("Frequency").fill(frequency)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Medication added")


def test_physician_sees_total_mme_and_both_alerts(
    page: Page, live_server: object, axe: Callable[[Page, str], None]
) -> None:
    build(seed=5, patients=12)
    adult_service = Service.objects.get(kind="adult-programme")
    patient = PatientFactory(
        clinic=adult_service.clinic,
        given_name="Dana",
        family_name="Dosewell",
        birth_date=date(1970, 3, 4),
    )
    EpisodeFactory(patient=patient, service=adult_service)
    base = str(live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill("clinician")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/patients/{patient.external_id}/medicines/")
    expect(page.get_by_text("No active medicines recorded.")).to_be_visible()
    axe(page, "empty medicines screen")

    add(page, "oxycodone", "tablet", "10", "bd")
    add(page, "morphine", "tablet", "10", "prn max 3/day")
    axe(page, "medicines screen with opioids")
    page.get_by_role("link", name="Add a medication").click()
    page.get_by_label("Ingredient").fill("diazapam")  # a typo must not pass as "other"
    page.get_by_label("Form").select_option("tablet")
    page.get_by_label("Route").select_option("oral")
    page.get_by_label(STRENGTH).fill("5")
    page.get_by_label("Strength unit").select_option("mg")
    page.get_by_label("Frequency").fill("nocte")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Unknown drug: diazapam")
    axe(page, "medication form with an error")
    page.get_by_label("Ingredient").fill("diazepam")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("#mme-total")).to_have_text("60 MME/day")
    prn = "As-needed opioids are counted at their maximum daily dose."
    expect(page.get_by_text(prn)).to_be_visible()
    alerts = page.locator(".alert-list")
    expect(alerts.locator('[data-alert="mme-review-threshold"]')).to_be_visible()
    expect(alerts.locator('[data-alert="opioid-benzodiazepine"]')).to_be_visible()
    axe(page, "medicines screen with alerts")

    page.goto(f"{base}/patients/{patient.external_id}/")
    expect(page.get_by_text("60 MME/day", exact=True)).to_be_visible()
