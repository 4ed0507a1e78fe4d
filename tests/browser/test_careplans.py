"""A clinician writes a plan with one goal and records a review; the patient sees it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from waypoint.core.models import Service, StaffProfile
from waypoint.demo.clinic import DEMO_PASSWORD, build

from ..factories import CareTeamMemberFactory, EpisodeFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_plan_review_and_portal(
    page: Page, live_server: object, axe: Callable[[Page, str], None]
) -> None:
    build(seed=4, patients=10)
    # A new adult on Dr Patel's care team, with a portal login (demo Alex already has a plan).
    service = Service.objects.get(kind="adult-programme")
    robin = PatientFactory(
        clinic=service.clinic,
        given_name="Robin",
        family_name="Planner",
        user=UserFactory(username="robin", password=DEMO_PASSWORD),
    )
    episode = EpisodeFactory(
        patient=robin, service=service, start=timezone.localdate() - timedelta(days=7)
    )
    CareTeamMemberFactory(
        episode=episode, staff=StaffProfile.objects.get(user__username="clinician")
    )
    base = str(live_server)
    due = (timezone.localdate() + timedelta(days=42)).isoformat()

    sign_in(page, base, "clinician")
    page.goto(f"{base}/patients/{robin.external_id}/")
    page.get_by_role("link", name="Start a care plan").click()
    page.get_by_label("Patient summary").fill("We will work on walking a little further each week.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Care plan: PLANNER, Robin")
    axe(page, "new care plan")

    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Statement").fill("Walk to the shops without a flare")
    page.get_by_label("Measure:", exact=True).select_option("gas")
    page.get_by_label("Due on").fill(due)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Walk to the shops without a flare")).to_be_visible()

    page.get_by_role("link", name="Record a review").click()
    axe(page, "review form")
    page.get_by_label("GAS rating: Walk to the shops without a flare").select_option("0")
    page.get_by_label("Summary").fill("Walked to the shops twice this week.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Review recorded")
    expect(page.locator("#reviews-title")).to_be_visible()
    expect(page.get_by_text("Walked to the shops twice this week.")).to_be_visible()
    axe(page, "plan after a review")
    page.get_by_role("button", name="Sign out").click()

    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "robin")
    expect(page.get_by_role("heading", name="Your plan")).to_be_visible()
    expect(page.get_by_text("Walk to the shops without a flare")).to_be_visible()
    expect(page.get_by_text("Done — well done!")).to_be_visible()
    expect(page.get_by_text("We will work on walking a little further each week.")).to_be_visible()
    axe(page, "plan in the portal")
