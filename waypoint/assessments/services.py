"""Operations that change questionnaire responses and safety alerts.

Each takes keyword-only arguments, runs in one transaction, checks access
(``assessments.access``) and writes the audit log. Answer problems are
``InvalidInput`` naming the item code; a patient or guardian asking about a record they
cannot see gets ``NotFound``, exactly as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import can_view_patient
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.patients.queries import patient_facts

from . import access, bodymap, catalogue, performance
from .answers import AnswerError, answer_values
from .choices import AlertStatus, Respondent, ResponseStatus
from .definitions import Instrument
from .models import BodyMap, PerformanceTest, QuestionnaireResponse, SafetyAlert
from .scoring import score

MAX_TEXT = 300


def instrument_or_invalid(code: str, field: str = "instrument") -> Instrument:
    instrument = catalogue.load().get(code)
    if instrument is None:
        raise InvalidInput({field: [f"No instrument {code!r} in the catalogue."]})
    if instrument.status != "active":
        raise InvalidInput({field: [f"{instrument.short_name} is not in clinical use."]})
    return instrument


def _today() -> date:
    return timezone.localdate()


def _require(actor: Actor, patient: Patient, allowed: bool, what: str) -> None:
    """NotFound to whoever cannot see the patient; Forbidden to whoever only can."""
    if allowed:
        return
    facts = patient_facts(patient)
    if can_view_patient(actor.principal, facts, _today()):
        audit.log(actor, AuditAction.DENIED, patient_ref=patient.external_id, detail=what)
        raise Forbidden(f"You may see this record but not {what}.")
    audit.log(actor, AuditAction.DENIED, patient_ref=patient.external_id, detail=what)
    raise NotFound("No patient with this id.")


def check_answers(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, str]:
    """The answers as stored (strings), each checked against its item; errors name the item."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}
    for code, raw in answers.items():
        try:
            values = answer_values(instrument, {code: raw})
        except AnswerError as error:
            errors[error.item] = [str(error).split(": ", 1)[-1]]
            continue
        if code in values:
            cleaned[code] = _stored(values[code])
        else:
            cleaned[code] = ""
    if errors:
        raise InvalidInput(errors)
    return cleaned


def _stored(value: Decimal) -> str:
    normal = value.normalize()
    return str(normal.quantize(Decimal(1))) if normal == normal.to_integral() else str(normal)


def missing_required(instrument: Instrument, answers: Mapping[str, Any]) -> list[str]:
    return [
        item.code
        for item in instrument.items
        if item.required and str(answers.get(item.code, "") or "").strip() == ""
    ]


def start_response(
    *,
    actor: Actor,
    patient: Patient,
    instrument_code: str,
    measurement_point: str = "",
    episode: EpisodeOfCare | None = None,
    enabled_licences: Collection[str] = (),
) -> QuestionnaireResponse:
    """Open (or resume) a portal questionnaire for a patient or a guardian's child.

    A guardian's answers are always proxy answers; only instruments meant for this
    respondent and free to use (or licensed by the service) are offered.
    """
    facts = patient_facts(patient)
    allowed = access.can_answer_in_portal(actor.principal, facts, _today())
    _require(actor, patient, allowed, "answer questionnaires for this patient")
    instrument = instrument_or_invalid(instrument_code)
    respondent = access.portal_respondent(actor.principal)
    if instrument.respondent != respondent:
        raise InvalidInput(
            {"instrument": [f"{instrument.short_name} is not answered by this respondent."]}
        )
    if not access.licensed_for(instrument, enabled_licences):
        raise InvalidInput(
            {"instrument": [f"{instrument.short_name} needs a licence the clinic has not enabled."]}
        )
    with transaction.atomic():
        existing = (
            QuestionnaireResponse.objects.select_for_update()
            .filter(
                patient=patient,
                instrument=instrument.code,
                measurement_point=measurement_point[:40],
                respondent=respondent,
                status=ResponseStatus.IN_PROGRESS,
            )
            .first()
        )
        if existing is not None:
            return existing
        response = QuestionnaireResponse(
            patient=patient,
            episode=episode,
            instrument=instrument.code,
            instrument_version=instrument.version,
            measurement_point=measurement_point[:40],
            respondent=respondent,
            started_by=actor.user,
        )
        audit.mark_history_user(response, actor)
        response.save()
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=response)
    return response


def _editable(actor: Actor, response: QuestionnaireResponse) -> Instrument:
    facts = patient_facts(response.patient)
    allowed = access.can_submit_response(actor.principal, facts, _today())
    _require(actor, response.patient, allowed, "answer this questionnaire")
    if actor.principal.is_portal_user and response.respondent != access.portal_respondent(
        actor.principal
    ):
        raise NotFound("No questionnaire with this id.")
    if response.status != ResponseStatus.IN_PROGRESS:
        raise Conflict("This questionnaire has already been submitted.")
    return instrument_or_invalid(response.instrument)


def save_answers(
    *, actor: Actor, response: QuestionnaireResponse, answers: Mapping[str, Any]
) -> QuestionnaireResponse:
    """Keep these answers (merged into those saved before); each is checked against its item."""
    instrument = _editable(actor, response)
    cleaned = check_answers(instrument, answers)
    with transaction.atomic():
        response.answers = {**response.answers, **cleaned}
        audit.mark_history_user(response, actor)
        response.save(update_fields=["answers", "updated_at"])
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=response.patient.external_id,
            target=response,
            detail=f"answers saved: {', '.join(sorted(cleaned)) or 'none'}",
        )
    return response


def complete_response(
    *,
    actor: Actor,
    response: QuestionnaireResponse,
    school_days_missed: int | None = None,
) -> QuestionnaireResponse:
    """Submit: every required item answered, then score, store and raise any safety alert."""
    instrument = _editable(actor, response)
    missing = missing_required(instrument, response.answers)
    if missing:
        raise InvalidInput({code: ["Please answer this question."] for code in missing})
    with transaction.atomic():
        _finish(actor, response, instrument, school_days_missed)
    return response


def _finish(
    actor: Actor,
    response: QuestionnaireResponse,
    instrument: Instrument,
    school_days_missed: int | None,
) -> None:
    result = score(instrument, {k: v for k, v in response.answers.items() if v != ""})
    response.status = ResponseStatus.COMPLETED
    response.completed_at = timezone.now()
    response.completed_by = actor.user if getattr(actor.user, "is_authenticated", False) else None
    response.total = result.total
    response.subscales = {code: str(value) for code, value in result.subscales.items()}
    response.band = result.band.code if result.band else ""
    response.band_label = result.band.label if result.band else ""
    response.t_score = result.t_score
    response.prorated = result.prorated
    response.safety_items = list(result.safety_items)
    if school_days_missed is not None:
        if not 0 <= school_days_missed <= 28:
            raise InvalidInput({"school_days_missed": ["Enter 0 to 28 days."]})
        response.school_days_missed = school_days_missed
    audit.mark_history_user(response, actor)
    response.save()
    audit.log(
        actor,
        AuditAction.UPDATE,
        patient_ref=response.patient.external_id,
        target=response,
        detail=f"{instrument.short_name} completed"
        + (" on paper" if response.on_paper else "")
        + (" (proxy)" if response.proxy else ""),
    )
    if result.safety_items:
        raise_alert(actor=actor, response=response, instrument=instrument)


def _question_words(text: str, limit: int = 120) -> str:
    """The item's own question, without a stem shared by all items ("… bothered by: ")."""
    words = text.rsplit(": ", 1)[-1].strip()
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def raise_alert(
    *, actor: Actor, response: QuestionnaireResponse, instrument: Instrument
) -> SafetyAlert:
    """Open a safety alert for the response's triggered safety items (already scored)."""
    rules = [rule for rule in instrument.safety_items if rule.item in response.safety_items]
    texts = []
    for rule in rules:
        item = instrument.item(rule.item)
        answer = response.answers.get(rule.item, "")
        label = next((o.label for o in item.options if str(o.value) == answer), answer)
        texts.append(
            f"{instrument.short_name} “{_question_words(item.text)}”: {label}. {rule.action}"
        )
    alert = SafetyAlert(
        patient=response.patient,
        response=response,
        items=[rule.item for rule in rules],
        message=" ".join(texts)[:500],
    )
    audit.mark_history_user(alert, actor)
    alert.save()
    audit.log(
        actor,
        AuditAction.CREATE,
        patient_ref=response.patient.external_id,
        target=alert,
        detail=f"safety alert raised: {instrument.short_name} {', '.join(alert.items)}",
    )
    return alert


def submit_response(
    *,
    actor: Actor,
    patient: Patient,
    instrument_code: str,
    answers: Mapping[str, Any],
    measurement_point: str = "",
    respondent: str | None = None,
    on_paper: bool = False,
    episode: EpisodeOfCare | None = None,
    school_days_missed: int | None = None,
) -> QuestionnaireResponse:
    """Record a whole response at once: a paper form typed in by staff, or an API client.

    Portal users answer as themselves (a guardian as proxy); staff say who answered.
    Unknown items, out-of-range answers and missing required items are refused by name.
    """
    facts = patient_facts(patient)
    allowed = access.can_submit_response(actor.principal, facts, _today())
    _require(actor, patient, allowed, "record questionnaires for this patient")
    instrument = instrument_or_invalid(instrument_code)
    if actor.principal.is_portal_user:
        respondent = access.portal_respondent(actor.principal)
        on_paper = False
        if instrument.respondent != respondent:
            raise InvalidInput(
                {"instrument": [f"{instrument.short_name} is not answered by this respondent."]}
            )
    respondent = respondent or instrument.respondent
    if respondent not in Respondent.values:
        raise InvalidInput({"respondent": [f"Choose one of: {', '.join(Respondent.values)}."]})
    cleaned = check_answers(instrument, answers)
    missing = missing_required(instrument, cleaned)
    if missing:
        raise InvalidInput({code: ["This required item is not answered."] for code in missing})
    with transaction.atomic():
        response = QuestionnaireResponse(
            patient=patient,
            episode=episode,
            instrument=instrument.code,
            instrument_version=instrument.version,
            measurement_point=measurement_point[:40],
            respondent=respondent,
            on_paper=on_paper,
            answers=cleaned,
            started_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        )
        audit.mark_history_user(response, actor)
        response.save()
        audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=response)
        _finish(actor, response, instrument, school_days_missed)
    return response


def mark_entered_in_error(
    *, actor: Actor, response: QuestionnaireResponse, reason: str
) -> QuestionnaireResponse:
    """Withdraw a wrong response (kept, with its history, never deleted)."""
    facts = patient_facts(response.patient)
    allowed = access.can_enter_on_paper(actor.principal, facts, _today())
    _require(actor, response.patient, allowed, "withdraw questionnaires")
    if not reason.strip():
        raise InvalidInput({"reason": ["Give a reason."]})
    with transaction.atomic():
        response.status = ResponseStatus.ENTERED_IN_ERROR
        response.status_reason = reason.strip()[:MAX_TEXT]
        audit.mark_history_user(response, actor)
        response.save()
        audit.log(
            actor,
            AuditAction.DEACTIVATE,
            patient_ref=response.patient.external_id,
            target=response,
            detail="entered in error",
        )
    return response


def acknowledge_alert(*, actor: Actor, alert: SafetyAlert, action_taken: str) -> SafetyAlert:
    """Close a safety alert: a clinician says what was done; refused when already closed."""
    facts = patient_facts(alert.patient)
    allowed = access.can_acknowledge_alert(actor.principal, facts, _today())
    _require(actor, alert.patient, allowed, "acknowledge safety alerts")
    text = action_taken.strip()
    if not text:
        raise InvalidInput({"action_taken": ["Say what action was taken."]})
    with transaction.atomic():
        claimed = SafetyAlert.objects.filter(pk=alert.pk, status=AlertStatus.OPEN).update(
            status=AlertStatus.ACKNOWLEDGED,
            acknowledged_by=actor.user,
            acknowledged_at=timezone.now(),
            action_taken=text[:2000],
        )
        if not claimed:
            raise Conflict("Someone has already acknowledged this alert.")
        alert.refresh_from_db()
        # update() bypasses simple-history: record the change explicitly.
        audit.mark_history_user(alert, actor)
        alert.save()
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=alert.patient.external_id,
            target=alert,
            detail="safety alert acknowledged",
        )
    return alert


def record_completed(
    *,
    actor: Actor,
    patient: Patient,
    instrument_code: str,
    answers: Mapping[str, Any],
    completed_at: Any,
    respondent: str = "self",
    measurement_point: str = "",
    episode: EpisodeOfCare | None = None,
) -> QuestionnaireResponse:
    """Store a response completed elsewhere, for trusted callers only (demo data, imports
    run from the command line): no access check, but scored, alerted and audited alike."""
    instrument = instrument_or_invalid(instrument_code)
    cleaned = check_answers(instrument, answers)
    with transaction.atomic():
        response = QuestionnaireResponse(
            patient=patient,
            episode=episode,
            instrument=instrument.code,
            instrument_version=instrument.version,
            measurement_point=measurement_point[:40],
            respondent=respondent,
            answers=cleaned,
        )
        audit.mark_history_user(response, actor)
        response.save()
        _finish(actor, response, instrument, None)
        QuestionnaireResponse.objects.filter(pk=response.pk).update(completed_at=completed_at)
        response.completed_at = completed_at
    return response


def record_body_map(*, actor: Actor, patient: Patient, regions: Collection[str]) -> BodyMap:
    """Store the painful regions marked by the patient, a guardian (proxy) or staff."""
    facts = patient_facts(patient)
    allowed = access.can_submit_response(actor.principal, facts, _today())
    _require(actor, patient, allowed, "record a body map for this patient")
    try:
        codes = bodymap.check_codes(bodymap.load(), regions)
    except bodymap.BodyMapError as error:
        raise InvalidInput({"regions": [str(error)]}) from None
    respondent = (
        access.portal_respondent(actor.principal)
        if actor.principal.is_portal_user
        else Respondent.CLINICIAN
    )
    with transaction.atomic():
        body_map = BodyMap(
            patient=patient,
            regions=codes,
            respondent=respondent,
            recorded_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        )
        audit.mark_history_user(body_map, actor)
        body_map.save()
        audit.log(
            actor,
            AuditAction.CREATE,
            patient_ref=patient.external_id,
            target=body_map,
            detail=f"body map: {len(codes)} regions",
        )
    return body_map


def record_performance_test(
    *, actor: Actor, patient: Patient, test: str, value: Any, measured_on: date, note: str = ""
) -> PerformanceTest:
    """Record a measured test (staff only); an implausible value is refused, named."""
    facts = patient_facts(patient)
    allowed = access.can_enter_on_paper(actor.principal, facts, _today())
    _require(actor, patient, allowed, "record performance tests")
    kind = performance.load().get(test)
    if kind is None:
        raise InvalidInput({"test": [f"No performance test {test!r}."]})
    try:
        checked = performance.check_value(kind, value)
    except performance.PerformanceError as error:
        raise InvalidInput({"value": [str(error)]}) from None
    if measured_on > _today():
        raise InvalidInput({"measured_on": ["The date cannot be in the future."]})
    with transaction.atomic():
        row = PerformanceTest(
            patient=patient,
            test=kind.code,
            value=checked,
            unit=kind.unit,
            measured_on=measured_on,
            note=note.strip()[:MAX_TEXT],
            recorded_by=actor.user if getattr(actor.user, "is_authenticated", False) else None,
        )
        audit.mark_history_user(row, actor)
        row.save()
        audit.log(
            actor,
            AuditAction.CREATE,
            patient_ref=patient.external_id,
            target=row,
            detail=f"{kind.name}: {checked} {kind.unit}",
        )
    return row
