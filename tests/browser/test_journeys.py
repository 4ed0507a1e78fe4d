"""Real people's first minutes: a clinician finds a patient; a parent sees their child."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Dialog, Page, expect

from waypoint.demo.clinic import DEMO_PASSWORD, build
from waypoint.patients.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic() -> None:
    build(seed=3, patients=24)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_clinician_searches_and_opens_the_chart(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet held sideways
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/login/"))
    axe(page, "sign-in page")
    sign_in(page, base, "clinician")
    expect(page.get_by_role("heading", name="My patients")).to_be_visible()
    axe(page, "staff home")

    page.get_by_role("link", name="Patients", exact=True).click()
    page.get_by_label("Find a patient").fill("morg")
    # HTMX swaps the results in as the clinician types.
    result = page.get_by_role("link", name="MORGAN, Alex")
    expect(result).to_be_visible()
    axe(page, "search results")
    result.click()

    header = page.get_by_role("region", name="Patient summary")
    expect(header.get_by_role("heading", level=1)).to_contain_text("MORGAN, Alex")
    expect(header).to_contain_text("WP000001")
    expect(header).to_contain_text("Adult Pain Management Programme")
    expect(header).to_contain_text("Dr Sam Patel")
    axe(page, "patient chart")


def test_register_with_bad_input_shows_errors_and_keeps_input(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    sign_in(page, base, "coordinator")
    page.goto(f"{base}/patients/new/")
    page.get_by_label("Given name").fill("Tess")
    page.get_by_label("Family name").fill("Typo")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("MRN").fill("WP000001")
    page.get_by_label("Service").select_option(label="Adult Pain Management Programme")
    page.get_by_role("button", name="Register").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("cannot be in the future")
    expect(alert).to_contain_text("already has this MRN")
    expect(page.get_by_label("Given name")).to_have_value("Tess")
    axe(page, "registration form with errors")
    assert not Patient.objects.filter(family_name="Typo").exists()


def test_guardian_sees_their_child_and_nothing_else(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    sign_in(page, base, "guardian")
    expect(page.get_by_role("heading", name="Your children's records")).to_be_visible()
    links = page.get_by_role("main").get_by_role("link")
    expect(links).to_have_count(1)
    axe(page, "guardian's portal home")
    links.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riley's record")
    expect(page.get_by_role("main")).to_contain_text("WP000002")
    axe(page, "child's record in the portal")

    other = Patient.objects.get(mrn="WP000001").external_id
    for path in (f"/portal/patients/{other}/", f"/patients/{other}/"):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 404
        expect(page.get_by_role("main")).not_to_contain_text("Morgan")
    axe(page, "not-found page")


def test_removing_a_care_team_member_asks_first(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    sign_in(page, base, "clinician")
    patient = Patient.objects.get(mrn="WP000001")
    page.goto(f"{base}/patients/{patient.external_id}/")
    remove = page.get_by_role("button", name="Remove Tom Evans")
    asked: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    remove.click()
    expect(remove).to_be_visible()
    assert asked == ["Remove Tom Evans from the care team?"]
    assert patient.episodes.get().care_team.filter(end__isnull=True).count() == 3

    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    expect(page.get_by_role("status")).to_contain_text("Tom Evans left the care team")
    expect(page.get_by_role("button", name="Remove Tom Evans")).to_have_count(0)
    assert patient.episodes.get().care_team.filter(end__isnull=True).count() == 2
    axe(page, "chart after a care-team change")
