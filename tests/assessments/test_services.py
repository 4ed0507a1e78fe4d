"""Responses and alerts through the services: scoring stored, proxy marked, access, alerts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory

from waypoint.assessments import services
from waypoint.assessments.models import QuestionnaireResponse, SafetyAlert
from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.models import AuditEvent

from ..conftest import World
from .helpers import DIFFICULTY, ITEM9, phq9_answers


def actor_for(user: object) -> Actor:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    return actor_from_request(request)


def staff(world: World, name: str) -> Actor:
    return actor_for(world.staff[name].user)


def test_patient_answers_saves_as_they_go_and_completes(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    response = services.start_response(
        actor=actor, patient=world.adult_patient, instrument_code="phq9", measurement_point="intake"
    )
    assert (response.respondent, response.status) == ("self", "in-progress")
    services.save_answers(actor=actor, response=response, answers={"44250-9": "2"})
    # Resuming finds the same response with the answer kept.
    again = services.start_response(
        actor=actor, patient=world.adult_patient, instrument_code="phq9", measurement_point="intake"
    )
    assert again.pk == response.pk and again.answers == {"44250-9": "2"}
    with pytest.raises(InvalidInput) as missing:
        services.complete_response(actor=actor, response=again)
    assert ITEM9 in missing.value.fields and DIFFICULTY not in missing.value.fields
    services.save_answers(actor=actor, response=again, answers=phq9_answers(level=2))
    done = services.complete_response(actor=actor, response=again)
    done.refresh_from_db()
    assert done.status == "completed" and done.total == Decimal(16)
    assert (done.band, done.band_label) == ("moderately-severe", "Moderately severe")
    assert done.safety_items == [] and not SafetyAlert.objects.exists()


def test_out_of_range_and_unknown_answers_name_the_item(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    response = services.start_response(
        actor=actor, patient=world.adult_patient, instrument_code="phq9"
    )
    with pytest.raises(InvalidInput) as bad:
        services.save_answers(actor=actor, response=response, answers={"44250-9": "7", "zz": "1"})
    assert set(bad.value.fields) == {"44250-9", "zz"}
    response.refresh_from_db()
    assert response.answers == {}


def test_item_9_raises_an_alert_once_and_it_is_audited(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    response = services.submit_response(
        actor=actor,
        patient=world.adult_patient,
        instrument_code="phq9",
        answers=phq9_answers(level=1, item9=1),
    )
    assert response.safety_items == [ITEM9]
    alert = SafetyAlert.objects.get()
    assert (alert.patient, alert.response, alert.status) == (world.adult_patient, response, "open")
    assert alert.items == [ITEM9] and "PHQ-9" in alert.message
    assert AuditEvent.objects.filter(
        object_type="assessments.SafetyAlert", object_ref=str(alert.external_id), action="create"
    ).exists()


def test_item_9_at_zero_raises_no_alert(world: World) -> None:
    services.submit_response(
        actor=actor_for(world.adult_patient.user),
        patient=world.adult_patient,
        instrument_code="phq9",
        answers=phq9_answers(level=3, item9=0),
    )
    assert not SafetyAlert.objects.exists()


def test_clinician_acknowledges_with_an_action(world: World) -> None:
    response = services.submit_response(
        actor=actor_for(world.adult_patient.user),
        patient=world.adult_patient,
        instrument_code="phq9",
        answers=phq9_answers(item9=2),
    )
    alert = response.alerts.get()
    clinician = staff(world, "clinician")
    with pytest.raises(InvalidInput) as empty:
        services.acknowledge_alert(actor=clinician, alert=alert, action_taken="   ")
    assert "action_taken" in empty.value.fields
    # A coordinator sees the patient but cannot close a clinical alert.
    with pytest.raises(Forbidden):
        services.acknowledge_alert(actor=staff(world, "coordinator"), alert=alert, action_taken="x")
    # A clinician of another service does not even see it.
    with pytest.raises(NotFound):
        services.acknowledge_alert(actor=staff(world, "outsider"), alert=alert, action_taken="x")
    services.acknowledge_alert(actor=clinician, alert=alert, action_taken="Phoned; safety plan.")
    alert.refresh_from_db()
    assert (alert.status, alert.action_taken) == ("acknowledged", "Phoned; safety plan.")
    assert alert.acknowledged_by == world.staff["clinician"].user
    assert alert.history.count() == 2
    with pytest.raises(Conflict):
        services.acknowledge_alert(actor=staff(world, "nurse"), alert=alert, action_taken="again")
    assert AuditEvent.objects.filter(
        object_ref=str(alert.external_id), action="update", username="clinician"
    ).exists()


def test_patient_cannot_submit_for_another_patient(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    for call in (
        lambda: services.start_response(
            actor=actor, patient=world.other_adult, instrument_code="phq9"
        ),
        lambda: services.submit_response(
            actor=actor, patient=world.other_adult, instrument_code="phq9", answers=phq9_answers()
        ),
    ):
        with pytest.raises(NotFound):
            call()
    assert not QuestionnaireResponse.objects.filter(patient=world.other_adult).exists()


def test_guardian_answers_for_their_child_as_proxy(world: World) -> None:
    actor = actor_for(world.guardian.user)
    response = services.start_response(
        actor=actor, patient=world.child, instrument_code="fdi_parent"
    )
    assert response.respondent == "parent-proxy" and response.proxy
    # The child's own version is the child's to answer.
    with pytest.raises(InvalidInput):
        services.start_response(actor=actor, patient=world.child, instrument_code="fdi_child")
    # And another family's child is not there at all.
    with pytest.raises(NotFound):
        services.start_response(actor=actor, patient=world.grown_up, instrument_code="fdi_parent")
    api_like = services.submit_response(
        actor=actor,
        patient=world.child,
        instrument_code="fdi_parent",
        answers={f"fdi{n}": 1 for n in range(1, 16)},
        respondent="self",  # ignored: a guardian's answers are always proxy answers
    )
    assert api_like.respondent == "parent-proxy" and api_like.total == Decimal(15)


def test_licensed_instrument_needs_the_service_to_enable_it(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    with pytest.raises(InvalidInput) as refused:
        services.start_response(actor=actor, patient=world.adult_patient, instrument_code="pcs")
    assert "licence" in refused.value.detail
    allowed = services.start_response(
        actor=actor,
        patient=world.adult_patient,
        instrument_code="pcs",
        enabled_licences={"pcs"},
    )
    assert allowed.instrument == "pcs"


def test_staff_enter_paper_and_can_withdraw_it(world: World) -> None:
    nurse = staff(world, "nurse")
    response = services.submit_response(
        actor=nurse,
        patient=world.adult_patient,
        instrument_code="peg",
        answers={"75893-8": 6, "91145-3": 5, "91146-1": 4},
        on_paper=True,
        respondent="self",
    )
    assert response.on_paper and response.total == Decimal(5)
    assert response.started_by == world.staff["nurse"].user
    with pytest.raises(Forbidden):
        services.mark_entered_in_error(
            actor=actor_for(world.adult_patient.user), response=response, reason="mine"
        )
    services.mark_entered_in_error(actor=nurse, response=response, reason="wrong patient")
    response.refresh_from_db()
    assert response.status == "entered-in-error"
    assert QuestionnaireResponse.objects.filter(pk=response.pk).exists()  # never deleted


def test_submitted_response_cannot_be_changed(world: World) -> None:
    actor = actor_for(world.adult_patient.user)
    response = services.submit_response(
        actor=actor, patient=world.adult_patient, instrument_code="phq9", answers=phq9_answers()
    )
    with pytest.raises(Conflict):
        services.save_answers(actor=actor, response=response, answers={"44250-9": 0})


def test_alert_message_quotes_the_question_not_the_shared_stem() -> None:
    from waypoint.assessments.services import _question_words

    stem = "Over the last 2 weeks, how often have you been bothered by: "
    question = "Thoughts that you would be better off dead, or of hurting yourself in some way"
    assert _question_words(stem + question) == question
    assert _question_words("Pain right now") == "Pain right now"
    assert _question_words("x" * 200).endswith("…") and len(_question_words("x" * 200)) == 120
