"""Pages: portal questionnaires (patient / guardian), paper entry, responses, alerts.

Views stay thin: parse, check access (``queries`` / ``patients.queries``), call a
service, render. One view serves a full page or, for HTMX, the fragment it swaps.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.errors import Conflict, InvalidInput, NotFound
from waypoint.core.rendering import apply_errors, htmx_partial, render_page
from waypoint.patients.queries import get_visible_patient
from waypoint.patients.views import staff_actor

from . import bodymap, catalogue, performance, queries, schedule, services
from .access import portal_respondent
from .choices import ResponseStatus
from .definitions import Instrument
from .forms import (
    AcknowledgeForm,
    EnteredInErrorForm,
    PaperDetailsForm,
    PerformanceTestForm,
    SchoolDaysForm,
    posted_answers,
    questions,
)
from .models import QuestionnaireResponse

CRISIS_FILE = Path(__file__).parent / "data" / "crisis.json"


@lru_cache(maxsize=1)
def crisis_information() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CRISIS_FILE.read_text(encoding="utf-8"))
    return data


def portal_actor(request: HttpRequest) -> Actor:
    actor = actor_from_request(request)
    if not actor.principal.is_portal_user:
        raise NotFound("No such page.")
    return actor


def _portal_response(request: HttpRequest, rid: UUID) -> tuple[Actor, QuestionnaireResponse]:
    actor = portal_actor(request)
    response = queries.get_response(actor, rid, audit_read=request.method == "GET")
    if response.respondent != portal_respondent(actor.principal):
        # A guardian does not open the child's own answers, nor a patient a parent's.
        raise NotFound("No questionnaire with this id.")
    return actor, response


def _instrument(response: QuestionnaireResponse) -> Instrument:
    """The response's instrument; one withdrawn from the catalogue can no longer be answered."""
    instrument = catalogue.load().get(response.instrument)
    if instrument is None:
        raise NotFound("This questionnaire is no longer in use.")
    return instrument


def _school_days_asked(response: QuestionnaireResponse) -> bool:
    if response.episode is None:
        return False
    plan = schedule.load().for_kind(response.episode.service.kind)
    return bool(plan and plan.record_school_days_missed)


# --- portal --------------------------------------------------------------------------------


@login_required
def portal_questionnaires(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = portal_actor(request)
    patient = get_visible_patient(actor, pid)
    return render(
        request,
        "assessments/portal_list.html",
        {"patient": patient, "ctx": queries.portal_offers(actor.principal, patient)},
    )


@login_required
@require_POST
def portal_start(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = portal_actor(request)
    patient = get_visible_patient(actor, pid, audit_read=False)
    code = request.POST.get("instrument", "")[:40]
    point = request.POST.get("point", "")[:40]
    episode = None
    episode_id = queries.as_uuid(request.POST.get("episode", ""))
    if episode_id is not None:
        episode = patient.episodes.filter(external_id=episode_id).first()
    try:
        response = services.start_response(
            actor=actor,
            patient=patient,
            instrument_code=code,
            measurement_point=point,
            episode=episode,
            enabled_licences=queries.enabled_licences(patient),
        )
    except InvalidInput as exc:
        messages.error(request, exc.detail)
        return redirect("portal-questionnaires", patient.external_id)
    return redirect("portal-questionnaire", response.external_id)


@login_required
@require_http_methods(["GET", "POST"])
def portal_questionnaire(request: HttpRequest, rid: UUID) -> HttpResponse:
    """One instrument on one page; answers save as they are chosen (HTMX) or on 'Review'."""
    actor, response = _portal_response(request, rid)
    if response.status != ResponseStatus.IN_PROGRESS:
        return redirect("portal-questionnaire-done", response.external_id)
    instrument = _instrument(response)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.save_answers(
                actor=actor, response=response, answers=posted_answers(instrument, request.POST)
            )
        except InvalidInput as exc:
            errors, status = exc.fields, 422
        else:
            return redirect("portal-questionnaire-review", response.external_id)
    return render(
        request,
        "assessments/portal_questionnaire.html",
        {
            "response": response,
            "instrument": instrument,
            "questions": questions(instrument, {**response.answers}, errors),
            "errors": errors,
        },
        status=status,
    )


@login_required
@require_POST
def portal_answer(request: HttpRequest, rid: UUID) -> HttpResponse:
    """Save one answer as it is chosen; answers the small 'saved' note (HTMX) or redirects."""
    actor, response = _portal_response(request, rid)
    instrument = _instrument(response)
    answers = posted_answers(instrument, request.POST)
    message, status = "Saved.", 200
    try:
        services.save_answers(actor=actor, response=response, answers=answers)
    except InvalidInput as exc:
        message, status = " ".join(" ".join(m) for m in exc.fields.values()), 422
    except Conflict as exc:
        message, status = exc.detail, 409
    if not htmx_partial(request):
        return redirect("portal-questionnaire", response.external_id)
    # HTMX swaps only 2xx answers by default: the note says what went wrong instead.
    return render(
        request,
        "assessments/_saved.html",
        {"message": message, "ok": status == 200},
        status=200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_review(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor, response = _portal_response(request, rid)
    if response.status != ResponseStatus.IN_PROGRESS:
        return redirect("portal-questionnaire-done", response.external_id)
    instrument = _instrument(response)
    asks_school = _school_days_asked(response)
    form = SchoolDaysForm(request.POST or None) if asks_school else None
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        days = None
        if form is not None and form.is_valid():
            days = form.cleaned_data["school_days_missed"]
        if form is None or form.is_valid():
            try:
                services.complete_response(actor=actor, response=response, school_days_missed=days)
            except InvalidInput as exc:
                errors = exc.fields
                if form is not None:
                    apply_errors(form, exc)
            else:
                return redirect("portal-questionnaire-done", response.external_id)
        status = 422
    return render(
        request,
        "assessments/portal_review.html",
        {
            "response": response,
            "instrument": instrument,
            "questions": questions(instrument, response.answers, errors),
            "errors": errors,
            "form": form,
        },
        status=status,
    )


@login_required
def portal_done(request: HttpRequest, rid: UUID) -> HttpResponse:
    _actor, response = _portal_response(request, rid)
    instrument = _instrument(response)
    return render(
        request,
        "assessments/portal_done.html",
        {
            "response": response,
            "instrument": instrument,
            "crisis": crisis_information() if response.safety_items else None,
        },
    )


# --- staff ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pid: UUID) -> HttpResponse:
    """Type in a paper questionnaire for a patient (marked as on paper)."""
    actor = staff_actor(request)
    patient = get_visible_patient(actor, pid, audit_read=request.method == "GET")
    cat = catalogue.load()
    code = (request.POST.get("instrument") or request.GET.get("instrument") or "")[:40]
    instrument = cat.get(code)
    if instrument is None or instrument.status != "active":
        active = [i for i in cat.values() if i.status == "active"]
        return render(
            request,
            "assessments/paper_choose.html",
            {"patient": patient, "instruments": active},
        )
    form = PaperDetailsForm(request.POST or None, initial={"respondent": instrument.respondent})
    answers: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        answers = posted_answers(instrument, request.POST)
        if form.is_valid():
            try:
                services.submit_response(
                    actor=actor,
                    patient=patient,
                    instrument_code=instrument.code,
                    answers=answers,
                    measurement_point=form.cleaned_data["measurement_point"],
                    respondent=form.cleaned_data["respondent"],
                    on_paper=True,
                    episode=patient.episodes.exclude(status="entered-in-error").first(),
                    school_days_missed=form.cleaned_data["school_days_missed"],
                )
            except InvalidInput as exc:
                errors = exc.fields
                apply_errors(form, exc)
            else:
                messages.success(request, f"{instrument.short_name} saved.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request,
        "assessments/paper_form.html",
        {
            "patient": patient,
            "instrument": instrument,
            "form": form,
            "questions": questions(instrument, answers, errors),
            "errors": errors,
        },
        status=status,
    )


@login_required
def response_detail(request: HttpRequest, rid: UUID) -> HttpResponse:
    """Item-level answers of one response; the chart swaps the fragment in (HTMX)."""
    actor = staff_actor(request)
    response = queries.get_response(actor, rid)
    instrument = catalogue.load().get(response.instrument)
    rows = questions(instrument, response.answers) if instrument else []
    return render_page(
        request,
        "assessments/response_detail.html",
        {"response": response, "instrument": instrument, "questions": rows},
        fragment="assessments/_response_answers.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def response_withdraw(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    response = queries.get_response(actor, rid, audit_read=request.method == "GET")
    form = EnteredInErrorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.mark_entered_in_error(
                    actor=actor, response=response, reason=form.cleaned_data["reason"]
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Questionnaire marked as entered in error.")
                return redirect("patient-chart", response.patient.external_id)
        status = 422
    return render(
        request,
        "assessments/withdraw_form.html",
        {"response": response, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alert_acknowledge(request: HttpRequest, aid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    alert = queries.get_alert(actor, aid)
    form = AcknowledgeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.acknowledge_alert(
                    actor=actor, alert=alert, action_taken=form.cleaned_data["action_taken"]
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                status = 409
            else:
                messages.success(request, "Alert acknowledged.")
                return redirect("patient-chart", alert.patient.external_id)
        status = status if status == 409 else 422
    return render(
        request,
        "assessments/alert_form.html",
        {"alert": alert, "form": form},
        status=status,
    )


# --- body map ------------------------------------------------------------------------------


def _body_map_page(request: HttpRequest, actor: Actor, patient: Any, back_url: str) -> HttpResponse:
    regions = bodymap.load()
    latest = queries.latest_body_map(patient)
    chosen = set(latest.regions) if latest else set()
    error = ""
    status = 200
    if request.method == "POST":
        chosen = set(request.POST.getlist("regions"))
        try:
            services.record_body_map(actor=actor, patient=patient, regions=chosen)
        except InvalidInput as exc:
            error, status = " ".join(exc.fields.get("regions", [exc.detail])), 422
        else:
            messages.success(request, f"Body map saved: {len(chosen)} painful areas marked.")
            return redirect(back_url)
    return render(
        request,
        "assessments/body_map_form.html",
        {
            "patient": patient,
            "views": [("front", "Front"), ("back", "Back")],
            "regions": regions,
            "chosen": chosen,
            "error": error,
            "back_url": back_url,
            "proxy": actor.principal.is_portal_user
            and portal_respondent(actor.principal) == "parent-proxy",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def body_map_staff(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = get_visible_patient(actor, pid, audit_read=request.method == "GET")
    return _body_map_page(request, actor, patient, reverse("patient-chart", args=[pid]))


@login_required
@require_http_methods(["GET", "POST"])
def body_map_portal(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = portal_actor(request)
    patient = get_visible_patient(actor, pid, audit_read=request.method == "GET")
    return _body_map_page(request, actor, patient, reverse("portal-patient", args=[pid]))


@login_required
@require_http_methods(["GET", "POST"])
def performance_test(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = get_visible_patient(actor, pid, audit_read=request.method == "GET")
    kinds = performance.load()
    form = PerformanceTestForm(
        request.POST or None, kinds=kinds, initial={"measured_on": timezone.localdate()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.record_performance_test(
                    actor=actor,
                    patient=patient,
                    test=form.cleaned_data["test"],
                    value=form.cleaned_data["value"],
                    measured_on=form.cleaned_data["measured_on"],
                    note=form.cleaned_data["note"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Performance test saved.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request,
        "assessments/performance_form.html",
        {"patient": patient, "form": form, "kinds": kinds.values()},
        status=status,
    )
