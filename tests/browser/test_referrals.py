"""A referral from the front door to the waiting list, through the pages people use:
a coordinator receives it, a triage clinician accepts it, the coordinator sees the
waiting list. Every page is checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from waypoint.demo.clinic import DEMO_PASSWORD, build
from waypoint.referrals.models import Referral, WaitingListEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic() -> None:
    build(seed=3, patients=12)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_referral_from_entry_to_the_waiting_list(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, base, "coordinator")
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_role("heading", name="Referrals", exact=True)).to_be_visible()
    # The demo clinic has a referral with red flags: the alert sits above the queue.
    expect(page.get_by_role("alert")).to_contain_text("urgent medical review")
    axe(page, "triage queue")

    page.get_by_role("link", name="Receive a referral").click()
    page.get_by_label("Service asked for").select_option(label="Adult Pain Management Programme")
    page.get_by_label("Source").select_option("gp")
    page.get_by_label("Referrer name").fill("Dr Ann Hughes")
    page.get_by_label("Given name").fill("Imogen")
    page.get_by_label("Family name").fill("Trent")
    page.get_by_label("Date of birth").fill("1979-03-14")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Reason for referral").fill("Low back pain for years despite physiotherapy.")
    page.get_by_label("Pain sites").fill("Lower back")
    page.get_by_label("Pain duration (months)").fill("-4")
    page.get_by_label("Diagnosis category").select_option("musculoskeletal-non-malignant")
    page.get_by_label("Pain is the primary problem").select_option("true")
    page.get_by_role("button", name="Receive referral").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert).to_contain_text("Pain duration (months)")
    axe(page, "referral form with errors")
    assert not Referral.objects.filter(family_name="Trent").exists()

    page.get_by_label("Pain duration (months)").fill("30")
    page.get_by_label("Red flag: signs of cauda equina syndrome", exact=False).select_option(
        "absent"
    )
    page.get_by_role("button", name="Receive referral").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("TRENT, Imogen")
    expect(page.get_by_role("heading", name="What is missing")).to_be_visible()
    expect(page.get_by_role("heading", name="Eligibility by service")).to_be_visible()
    axe(page, "referral page")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "clinician")
    page.goto(f"{base}/referrals/")
    page.get_by_role("link", name="TRENT, Imogen").click()
    page.get_by_role("link", name="Decide").click()
    axe(page, "decision form")
    page.get_by_label("Accept into a service").check()
    page.get_by_label("Waiting-list priority (when accepting)").select_option("soon")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision recorded: Accept into a service")
    expect(page.get_by_role("heading", name="Waiting list")).to_be_visible()
    axe(page, "accepted referral")
    page.get_by_role("link", name=re.compile("Acceptance: Referral accepted")).click()
    expect(page.get_by_role("article")).to_contain_text("Imogen Trent")
    axe(page, "acceptance letter")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "coordinator")
    page.get_by_role("link", name="Waiting list", exact=True).first.click()
    page.get_by_label("Sort by").select_option("name")
    page.get_by_role("button", name="Show").click()
    row = page.get_by_role("row", name=re.compile("TRENT, Imogen"))
    expect(row).to_contain_text("Soon")
    axe(page, "waiting list")
    entry = WaitingListEntry.objects.get(patient__family_name="Trent")
    assert entry.episode.status == "planned" and entry.priority == "soon"
    assert Referral.objects.get(family_name="Trent").status == "accepted"
