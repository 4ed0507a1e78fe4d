"""The portal questionnaire, paper entry, the chart panel, home alerts: through HTTP."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.core.models import AuditEvent

from ..conftest import World
from .helpers import ITEM9, phq9_answers

HTMX = {"HTTP_HX_REQUEST": "true"}


def start(client: Client, world: World, code: str = "phq9") -> QuestionnaireResponse:
    pid = world.adult_patient.external_id
    page = client.get(f"/portal/patients/{pid}/")
    assert page.status_code == 200
    assert b"Questionnaires to fill in" in page.content
    assert b"Start PHQ-9" in page.content
    # PCS needs a licence the test clinic has not enabled: named as withheld, not offered.
    assert b"Start PCS" not in page.content and b"licence needs a permission" in page.content
    started = client.post(
        f"/portal/patients/{pid}/questionnaires/start/",
        {"instrument": code, "point": "intake", "episode": str(world.episode.external_id)},
    )
    assert started.status_code == 302
    return QuestionnaireResponse.objects.get(patient=world.adult_patient, instrument=code)


def test_patient_completes_phq9_in_the_portal(world: World, login: Callable[[str], Client]) -> None:
    client = login("patient")
    response = start(client, world)
    base = f"/portal/questionnaires/{response.external_id}"
    page = client.get(f"{base}/")
    assert page.status_code == 200
    assert b"No permission required" in page.content  # the licence is shown
    assert page.content.count(b'type="radio"') == 40  # 10 items x 4 options
    # One answer saved as it is chosen (HTMX): only the note comes back.
    saved = client.post(f"{base}/answer/", {"44250-9": "1"}, **HTMX)
    assert saved.status_code == 200 and b"Saved." in saved.content
    bad = client.post(f"{base}/answer/", {"44250-9": "9"}, **HTMX)
    assert b"not one of the answer values" in bad.content
    response.refresh_from_db()
    assert response.answers == {"44250-9": "1"}
    # Review with items missing: nothing is sent, each missing question is named.
    review = client.post(f"{base}/review/")
    assert review.status_code == 422
    assert b"Question 9: Please answer this question." in review.content
    # The whole form (no JavaScript) saves and goes to the review.
    answers = {k: str(v) for k, v in phq9_answers(level=1, item9=1).items()}
    assert client.post(f"{base}/", answers).status_code == 302
    review = client.get(f"{base}/review/")
    assert b"Several days" in review.content and b"Send my answers" in review.content
    sent = client.post(f"{base}/review/")
    assert sent.status_code == 302 and sent["Location"].endswith("/done/")
    done = client.get(f"{base}/done/")
    assert b"116 123" in done.content  # crisis information, straight away
    response.refresh_from_db()
    assert (response.status, response.total, response.safety_items) == ("completed", 9, [ITEM9])
    assert SafetyAlert.objects.filter(response=response, status="open").count() == 1


def test_no_crisis_information_without_a_safety_answer(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("patient")
    response = start(client, world)
    base = f"/portal/questionnaires/{response.external_id}"
    client.post(f"{base}/", {k: str(v) for k, v in phq9_answers(level=0).items()})
    client.post(f"{base}/review/")
    done = client.get(f"{base}/done/")
    assert b"Thank you" in done.content and b"116 123" not in done.content


def test_clinician_sees_alert_on_home_and_chart_then_acknowledges(
    world: World, login: Callable[[str], Client]
) -> None:
    patient_client = login("patient")
    response = start(patient_client, world)
    base = f"/portal/questionnaires/{response.external_id}"
    patient_client.post(f"{base}/", {k: str(v) for k, v in phq9_answers(2, 3).items()})
    patient_client.post(f"{base}/review/")
    alert = SafetyAlert.objects.get()

    clinician = login("clinician")
    home = clinician.get("/")
    assert b"Safety alerts (1 open)" in home.content and b"MORGAN" in home.content
    # Staff of another service do not see it on their home page.
    assert b"Safety alerts" not in login("outsider").get("/").content
    chart = clinician.get(f"/patients/{world.adult_patient.external_id}/")
    assert b"Questionnaires and scores" in chart.content
    # 8 items at 2 and item 9 at 3: 19, the top of "moderately severe" (15-19).
    assert b"<td>19</td>" in chart.content and b"Moderately severe" in chart.content
    assert b"Safety alert" in chart.content
    assert b"<svg" in chart.content and b"<title" in chart.content
    # Item-level answers on demand, as a fragment for HTMX.
    detail = clinician.get(f"/questionnaires/{response.external_id}/", **HTMX)
    assert b"<html" not in detail.content and b"Nearly every day" in detail.content
    url = f"/safety-alerts/{alert.external_id}/acknowledge/"
    assert clinician.post(url, {"action_taken": ""}).status_code == 422
    assert clinician.post(url, {"action_taken": "Phoned, safety plan"}).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert b"Safety alerts" not in clinician.get("/").content
    assert AuditEvent.objects.filter(object_ref=str(alert.external_id), action="update").exists()


def test_staff_enter_a_paper_questionnaire(world: World, login: Callable[[str], Client]) -> None:
    client = login("nurse")
    url = f"/patients/{world.adult_patient.external_id}/questionnaires/paper/"
    assert b"Questionnaire" in client.get(url).content
    form = client.get(url, {"instrument": "phq9"})
    assert form.status_code == 200 and b"paper" in form.content
    incomplete = client.post(url, {"instrument": "phq9", "respondent": "self", "44250-9": "1"})
    assert incomplete.status_code == 422
    assert b"Question 9: This required item is not answered." in incomplete.content
    data = {"instrument": "phq9", "respondent": "self", "measurement_point": "intake"}
    data.update({k: str(v) for k, v in phq9_answers(level=1).items()})
    assert client.post(url, data).status_code == 302
    saved = QuestionnaireResponse.objects.get(patient=world.adult_patient)
    assert saved.on_paper and saved.total == 8 and saved.started_by.username == "nurse"
    chart = client.get(f"/patients/{world.adult_patient.external_id}/")
    assert b"paper" in chart.content and b"Mild" in chart.content


def test_chart_shows_change_from_baseline_and_mcid(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("clinician")
    url = f"/patients/{world.adult_patient.external_id}/questionnaires/paper/"
    for level in (2, 1):  # 16 then 8: 8 points better, past PHQ-9's 5-point MCID
        data = {"instrument": "phq9", "respondent": "self"}
        data.update({k: str(v) for k, v in phq9_answers(level=level).items()})
        assert client.post(url, data).status_code == 302
    chart = client.get(f"/patients/{world.adult_patient.external_id}/").content.decode()
    assert "−8 (improved)" in chart
    assert "Yes: &gt;= 5 points" in chart
    assert "2 scores: 16 on" in chart  # the trend's description reads the values out


def test_guardian_answers_the_parent_version_with_school_days(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("guardian")
    pid = world.child.external_id
    page = client.get(f"/portal/patients/{pid}/").content.decode()
    # The parent version is offered; the child's own version is the child's to answer.
    assert "Start FDI (parent)" in page and "Start FDI (child)" not in page
    episode = world.child.episodes.get()
    started = client.post(
        f"/portal/patients/{pid}/questionnaires/start/",
        {"instrument": "fdi_parent", "point": "intake", "episode": str(episode.external_id)},
    )
    response = QuestionnaireResponse.objects.get(patient=world.child)
    assert started["Location"].endswith(f"/portal/questionnaires/{response.external_id}/")
    assert response.respondent == "parent-proxy"
    base = f"/portal/questionnaires/{response.external_id}"
    assert b"parent or guardian" in client.get(f"{base}/").content
    client.post(f"{base}/", {f"fdi{n}": "1" for n in range(1, 16)})
    review = client.get(f"{base}/review/")
    assert b"School days missed in the last 4 weeks" in review.content
    assert client.post(f"{base}/review/", {"school_days_missed": "29"}).status_code == 422
    assert client.post(f"{base}/review/", {"school_days_missed": "3"}).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.school_days_missed, response.total) == ("completed", 3, 15)
    # The intake FDI (parent) is now done: no longer offered.
    assert 'value="fdi_parent"' not in client.get(f"/portal/patients/{pid}/").content.decode()
    # The patient's own login cannot open a parent's answers, nor the reverse.
    assert login("patient").get(f"{base}/").status_code == 404
