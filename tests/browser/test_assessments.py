"""A patient fills in PHQ-9 on a phone; a clinician then sees the score, band and alert."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.demo.clinic import DEMO_PASSWORD, build
from waypoint.patients.models import Patient

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def clinic() -> None:
    build(seed=3, patients=24)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_patient_completes_phq9_then_clinician_sees_score_and_alert(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    alex = Patient.objects.get(mrn="WP000001")
    page.set_viewport_size(PHONE)
    sign_in(page, base, "patient")
    panel = page.get_by_role("region", name="Questionnaires to fill in")
    expect(panel).to_be_visible()
    axe(page, "portal record with questionnaires due (phone)")
    panel.get_by_role("button", name="Start PHQ-9").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire-9")
    expect(page.get_by_text("No permission required", exact=False)).to_be_visible()
    axe(page, "PHQ-9 form (phone)")
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(10)
    for index in range(8):
        questions.nth(index).get_by_label("Not at all").check()
    # Item 9 above 0: the safety item.
    questions.nth(8).get_by_label("Several days").check()
    # Saved as it was chosen (HTMX), before any button is pressed.
    expect(questions.nth(8).get_by_role("status")).to_have_text("Saved.")
    response = QuestionnaireResponse.objects.get(patient=alex, status="in-progress")
    assert response.answers.get("44260-8") == "1"
    page.get_by_role("button", name="Review my answers").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Several days")).to_be_visible()
    axe(page, "PHQ-9 review (phone)")
    page.get_by_role("button", name="Send my answers").click()

    crisis = page.get_by_role("alert")
    expect(crisis).to_contain_text("you do not have to wait")
    expect(crisis).to_contain_text("116 123")
    axe(page, "crisis information after submission (phone)")
    response.refresh_from_db()
    assert (response.status, response.total) == ("completed", 1)
    assert SafetyAlert.objects.filter(response=response, status="open").exists()

    page.get_by_role("button", name="Sign out").click()
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, base, "clinician")
    alerts = page.get_by_role("region", name=re.compile(r"Safety alerts \(\d+ open\)"))
    expect(alerts).to_contain_text("MORGAN, Alex")
    expect(alerts).to_contain_text("PHQ-9")
    axe(page, "staff home with safety alerts")
    alerts.get_by_role("link", name="MORGAN, Alex").click()

    scores = page.get_by_role("region", name="Questionnaires and scores")
    expect(scores.get_by_role("alert")).to_contain_text("Safety alert")
    row = scores.get_by_role("row", name=re.compile(r"^PHQ-9"))
    expect(row).to_contain_text("Minimal")  # 1: minimal (0-4)
    expect(row).to_contain_text("improved")  # from the demo history's baseline
    expect(scores.get_by_role("img", name="PHQ-9 total over time")).to_be_visible()
    axe(page, "chart with scores and an alert")
    scores.locator("summary", has_text="All questionnaire responses").click()
    scores.get_by_role("link", name=re.compile("Show answers")).first.click()
    expect(scores.get_by_role("table", name=re.compile("PHQ-9 answers"))).to_contain_text(
        "Several days"
    )
    axe(page, "chart with item-level answers")

    scores.get_by_role("link", name=re.compile("Acknowledge")).click()
    page.get_by_label("Action taken").fill("Phoned Alex; safety plan reviewed.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Alert acknowledged.")).to_be_visible()
    assert SafetyAlert.objects.get(response=response).status == "acknowledged"


def test_patient_marks_a_body_map_by_keyboard_and_by_tapping(
    page: Page, live_server: object, clinic: None, axe: Callable[[Page, str], None]
) -> None:
    base = str(live_server)
    page.set_viewport_size(PHONE)
    sign_in(page, base, "patient")
    page.get_by_role("link", name="Mark where you have pain on a body map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Where do you have pain?")
    axe(page, "body map (phone)")
    # Keyboard: the checkboxes are the control.
    box = page.get_by_label("Left lower back", exact=True)
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    # Tapping the picture ticks the same checkbox (bodymap.js) and paints the area.
    shape = page.locator('rect[data-region="back-lower-back-right"]')
    shape.click()
    expect(page.get_by_label("Right lower back", exact=True)).to_be_checked()
    expect(shape).to_have_class(re.compile(r"\bon\b"))
    page.get_by_role("button", name="Save body map").click()
    expect(page.get_by_text("2 painful areas marked")).to_be_visible()
    alex = Patient.objects.get(mrn="WP000001")
    assert alex.body_maps.get().regions == ["back-lower-back-left", "back-lower-back-right"]
