"""The assessments API: instruments, FHIR Questionnaires, submitting responses, scores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from fhir.resources.R4B.questionnaire import Questionnaire

from waypoint.assessments import catalogue, fhir
from waypoint.assessments.models import SafetyAlert

from ..conftest import World
from .helpers import DIFFICULTY, ITEM9, phq9_answers


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def test_instruments_list_with_licences_and_bounded_pages(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("clinician")
    body = client.get("/api/v1/instruments?limit=200").json()
    assert body["count"] == len(catalogue.load()) >= 31
    phq9 = next(i for i in body["items"] if i["code"] == "phq9")
    assert phq9["licence_requires_permission"] is False and "Pfizer" in phq9["licence"]
    page = client.get("/api/v1/instruments?limit=5&offset=5").json()
    assert len(page["items"]) == 5 and page["items"][0]["code"] == body["items"][5]["code"]
    assert client.get("/api/v1/instruments?limit=201").status_code == 422
    assert client.get("/api/v1/instruments?offset=-1").status_code == 422


@pytest.mark.parametrize("code", sorted(catalogue.load()))
def test_every_instrument_is_a_valid_fhir_questionnaire(code: str) -> None:
    instrument = catalogue.load()[code]
    resource = Questionnaire.model_validate(fhir.questionnaire(instrument))
    assert [item.linkId for item in resource.item or []] == list(instrument.item_codes)
    assert resource.copyright == instrument.licence.text


def test_fhir_questionnaire_endpoint(world: World, login: Callable[[str], Client]) -> None:
    client = login("patient")
    body = client.get("/api/v1/instruments/phq9/questionnaire").json()
    resource = Questionnaire.model_validate(body)
    assert resource.code and resource.code[0].code == "44249-1"
    item9 = next(i for i in resource.item or [] if i.linkId == ITEM9)
    assert item9.answerOption and item9.answerOption[1].valueCoding.code == "LA6569-3"
    assert client.get("/api/v1/instruments/nope/questionnaire").status_code == 404


def submit(client: Client, world: World, answers: dict[str, Any], **extra: Any) -> Any:
    return post(
        client,
        f"/api/v1/patients/{world.adult_patient.external_id}/questionnaire-responses",
        {"instrument": "phq9", "answers": answers, **extra},
    )


@pytest.mark.parametrize(
    ("change", "item", "words"),
    [
        (lambda a: a.update({"not-an-item": 1}), "not-an-item", "not an item of PHQ-9"),
        (lambda a: a.update({"44250-9": 4}), "44250-9", "not one of the answer values"),
        (lambda a: a.update({"44250-9": "lots"}), "44250-9", "not a number"),
        (lambda a: a.update({"44250-9": True}), "44250-9", "not a number"),
        (lambda a: a.pop(ITEM9), ITEM9, "required item is not answered"),
    ],
)
def test_bad_answers_answer_422_naming_the_item(
    world: World, login: Callable[[str], Client], change: Any, item: str, words: str
) -> None:
    answers: dict[str, Any] = dict(phq9_answers())
    change(answers)
    response = submit(login("clinician"), world, answers)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid" and item in body["fields"]
    assert words in " ".join(body["fields"][item]) and item in body["detail"]


def test_unknown_instrument_is_422(world: World, login: Callable[[str], Client]) -> None:
    response = post(
        login("clinician"),
        f"/api/v1/patients/{world.adult_patient.external_id}/questionnaire-responses",
        {"instrument": "psocq", "answers": {}},
    )
    assert response.status_code == 422 and "instrument" in response.json()["fields"]


def test_submit_scores_alerts_and_reads_back(world: World, login: Callable[[str], Client]) -> None:
    client = login("clinician")
    response = submit(client, world, {**phq9_answers(2, 1), DIFFICULTY: 1}, on_paper=True)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["band"], body["respondent"]) == (17.0, "moderately-severe", "self")
    assert body["on_paper"] is True and body["safety_items"] == [ITEM9]
    assert body["alerts"][0]["status"] == "open" and SafetyAlert.objects.count() == 1
    scores = client.get(f"/api/v1/patients/{world.adult_patient.external_id}/scores").json()
    assert scores["count"] == 1 and scores["items"][0]["id"] == body["id"]
    assert "answers" not in scores["items"][0]
    one = client.get(f"/api/v1/questionnaire-responses/{body['id']}").json()
    assert one["answers"][ITEM9] == "1"
    # The patient reads their own scores; another patient's are not there.
    patient = login("patient")
    mine = patient.get(f"/api/v1/patients/{world.adult_patient.external_id}/scores")
    assert mine.status_code == 200 and mine.json()["count"] == 1
    other = patient.get(f"/api/v1/patients/{world.other_adult.external_id}/scores")
    assert other.status_code == 404


def test_patient_submits_only_for_themselves(world: World, login: Callable[[str], Client]) -> None:
    client = login("patient")
    mine = submit(client, world, phq9_answers(), respondent="clinician", on_paper=True)
    assert mine.status_code == 201
    assert (mine.json()["respondent"], mine.json()["on_paper"]) == ("self", False)
    theirs = post(
        client,
        f"/api/v1/patients/{world.other_adult.external_id}/questionnaire-responses",
        {"instrument": "phq9", "answers": phq9_answers()},
    )
    assert theirs.status_code == 404


def test_guardian_submits_for_their_child_as_proxy(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("guardian")
    body = {"instrument": "fdi_parent", "answers": {f"fdi{n}": 2 for n in range(1, 16)}}
    ok = post(client, f"/api/v1/patients/{world.child.external_id}/questionnaire-responses", body)
    assert ok.status_code == 201 and ok.json()["respondent"] == "parent-proxy"
    assert ok.json()["total"] == 30.0
    other = post(
        client, f"/api/v1/patients/{world.adult_patient.external_id}/questionnaire-responses", body
    )
    assert other.status_code == 404
