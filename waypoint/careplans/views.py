"""Care plan, review and note pages: thin views over ``services`` and ``queries``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from weasyprint import HTML

from waypoint.core import audit
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Forbidden, InvalidInput
from waypoint.core.rendering import apply_errors, form_page
from waypoint.patients import queries as patient_queries
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.patients.views import staff_actor

from . import letters, queries, services
from .access import can_edit_plan
from .choices import LetterKind
from .forms import (
    AddendumForm,
    GoalForm,
    InterventionForm,
    NoteForm,
    PlanEditForm,
    PlanForm,
    ProblemForm,
    ReviewForm,
)
from .models import CarePlan, ClinicalNote, PlanLetter

# Handlers get whichever form the page built and read its cleaned_data.
Handler = Callable[[Actor, Any], Any]


def _patient(request: HttpRequest, pid: UUID, *, audit_read: bool = True) -> tuple[Actor, Patient]:
    actor = staff_actor(request)
    return actor, patient_queries.get_visible_patient(actor, pid, audit_read=audit_read)


def _current_plan(patient: Patient) -> CarePlan | None:
    return (
        CarePlan.objects.filter(patient=patient)
        .exclude(status="entered-in-error")
        .select_related("episode__service")
        .order_by("-starts_on")
        .first()
    )


def _submit(
    request: HttpRequest,
    form: forms.BaseForm,
    handler: Handler,
    actor: Actor,
    done: str,
    back: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    return form_page(
        request,
        form,
        lambda f: handler(actor, f),
        template=template,
        context=context,
        done=done,
        success_url=back,
    )


@login_required
def plan_page(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid)
    plan = _current_plan(patient)
    if plan is None:
        return redirect("plan-create", patient.external_id)
    view = queries.plan_view(plan)
    editable = can_edit_plan(actor.principal, services.care_team_user_ids(plan.episode))
    template = "careplans/print.html" if request.GET.get("print") else "careplans/plan.html"
    return render(
        request,
        template,
        {
            "patient": patient,
            "view": view,
            "plan": plan,
            "editable": editable,
            "reviews": plan.reviews.prefetch_related(
                "goal_reviews__goal", "decisions__intervention"
            )[:10],
            "problems": plan.problems.filter(active=True),
        },
    )


@login_required
def plan_history(request: HttpRequest, pid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid)
    plan = _current_plan(patient)
    if plan is None:
        return redirect("plan-create", patient.external_id)
    return render(
        request,
        "careplans/history.html",
        {"patient": patient, "plan": plan, "changes": queries.plan_history(plan)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    episode = (
        EpisodeOfCare.objects.filter(patient=patient, status__in=("planned", "active", "onhold"))
        .filter(care_plan__isnull=True)
        .select_related("service")
        .first()
    )
    if episode is None:
        messages.error(request, "A care plan needs an open episode without a plan.")
        return redirect("patient-chart", patient.external_id)
    form = PlanForm(
        request.POST or None,
        initial={"starts_on": timezone.localdate(), "review_interval_days": 21},
    )
    return _submit(
        request,
        form,
        lambda a, f: services.create_plan(actor=a, episode=episode, **f.cleaned_data),
        actor,
        "Care plan started.",
        f"/patients/{patient.external_id}/plan/",
        "careplans/form.html",
        {"patient": patient, "title": f"Start a care plan ({episode.service})"},
    )


def _plan_form(
    request: HttpRequest,
    pid: UUID,
    make: Callable[[CarePlan], forms.BaseForm],
    run: Callable[[Actor, CarePlan, Any], Any],
    title: str,
    done: str,
) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    plan = _current_plan(patient)
    if plan is None:
        return redirect("plan-create", patient.external_id)
    form = make(plan)
    return _submit(
        request,
        form,
        lambda a, f: run(a, plan, f),
        actor,
        done,
        f"/patients/{patient.external_id}/plan/",
        "careplans/form.html",
        {"patient": patient, "title": title, "plan": plan},
    )


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pid: UUID) -> HttpResponse:
    def make(plan: CarePlan) -> forms.BaseForm:
        return PlanEditForm(
            _data(request),
            instance=plan if request.method == "GET" else None,
            initial={"version": plan.version},
        )

    def run(actor: Actor, plan: CarePlan, f: forms.BaseForm) -> Any:
        data = dict(f.cleaned_data)
        version = data.pop("version")
        return services.update_plan(actor=actor, plan=plan, expected_version=version, fields=data)

    return _plan_form(request, pid, make, run, "Edit the plan", "Plan saved.")


@login_required
@require_http_methods(["GET", "POST"])
def problem_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    return _plan_form(
        request,
        pid,
        lambda plan: ProblemForm(_data(request), initial={"version": plan.version}),
        lambda actor, plan, f: services.add_problem(
            actor=actor,
            plan=plan,
            expected_version=f.cleaned_data["version"],
            category=f.cleaned_data["category"],
            description=f.cleaned_data["description"],
        ),
        "Add a problem",
        "Problem added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    return _plan_form(
        request,
        pid,
        lambda plan: GoalForm(_data(request), initial={"version": plan.version}),
        lambda actor, plan, f: services.add_goal(
            actor=actor,
            plan=plan,
            expected_version=f.cleaned_data["version"],
            fields=f.goal_fields(),
        ),
        "Add a goal",
        "Goal added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def intervention_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    today = timezone.localdate()
    return _plan_form(
        request,
        pid,
        lambda plan: InterventionForm(
            _data(request), plan=plan, initial={"version": plan.version, "starts_on": today}
        ),
        lambda actor, plan, f: services.add_intervention(
            actor=actor,
            plan=plan,
            expected_version=f.cleaned_data["version"],
            fields=f.intervention_fields(),
        ),
        "Add an intervention",
        "Intervention added.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    today = timezone.localdate()

    def make(plan: CarePlan) -> forms.BaseForm:
        return ReviewForm(
            _data(request),
            plan=plan,
            initial={
                "version": plan.version,
                "held_on": today,
                "next_review_on": today + timedelta(days=plan.review_interval_days),
            },
        )

    def run(actor: Actor, plan: CarePlan, f: Any) -> Any:
        data = f.cleaned_data
        decisions = [
            services.DecisionInput(i, data[f"decision-{i.pk}"], data[f"reason-{i.pk}"])
            for i in f.interventions
        ]
        gas = {
            g.pk: data[f"gas-{g.pk}"] for g in f.gas_goals if data.get(f"gas-{g.pk}") is not None
        }
        return services.record_review(
            actor=actor,
            plan=plan,
            expected_version=data["version"],
            held_on=data["held_on"],
            summary=data["summary"],
            next_review_on=data["next_review_on"],
            decisions=decisions,
            gas_ratings=gas,
        )

    return _plan_form(request, pid, make, run, "Record a review", "Review recorded.")


@login_required
def notes(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid)
    rows = (
        patient.clinical_notes.filter(entered_in_error=False)
        .select_related("author")
        .prefetch_related("addenda__author")[:50]
    )
    return render(
        request, "careplans/notes.html", {"patient": patient, "notes": rows, "actor": actor}
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    form = NoteForm(request.POST or None)

    def run(a: Actor, f: Any) -> Any:
        data = f.cleaned_data
        return services.write_note(actor=a, patient=patient, fields=data, sign=data["sign"])

    return _submit(
        request,
        form,
        run,
        actor,
        "Note saved.",
        f"/patients/{patient.external_id}/notes/",
        "careplans/form.html",
        {"patient": patient, "title": "Write a note"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, pid: UUID, nid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    note = get_object_or_404(ClinicalNote, external_id=nid, patient=patient)
    initial = {name: getattr(note, name) for name in services.NOTE_FIELDS} | {
        "version": note.version
    }
    form = NoteForm(request.POST or None, initial=initial)

    def run(a: Actor, f: Any) -> Any:
        data = f.cleaned_data
        return services.edit_note(
            actor=a,
            note=note,
            expected_version=data["version"] or 0,
            fields=data,
            sign=data["sign"],
        )

    return _submit(
        request,
        form,
        run,
        actor,
        "Note saved.",
        f"/patients/{patient.external_id}/notes/",
        "careplans/form.html",
        {"patient": patient, "title": "Edit the draft note"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def addendum_add(request: HttpRequest, pid: UUID, nid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    note = get_object_or_404(ClinicalNote, external_id=nid, patient=patient)
    form = AddendumForm(request.POST or None)
    return _submit(
        request,
        form,
        lambda a, f: services.add_addendum(actor=a, note=note, text=f.cleaned_data["text"]),
        actor,
        "Addendum added.",
        f"/patients/{patient.external_id}/notes/",
        "careplans/form.html",
        {"patient": patient, "title": f"Addendum to the {note.get_kind_display().lower()} note"},
    )


class LetterForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices, label="Letter")
    addressed_to = forms.CharField(
        max_length=200, label="To", help_text="e.g. 'Alex and family', 'Dr Green'."
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    plan = _current_plan(patient)
    if plan is None:
        return redirect("plan-create", patient.external_id)
    form = LetterForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = letters.write(actor=actor, plan=plan, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Forbidden as exc:
                form.add_error(None, exc.detail)
                status = 403
            else:
                return redirect("plan-letter", patient.external_id, letter.external_id)
        status = status if status == 403 else 422
    return render(
        request,
        "careplans/form.html",
        {"patient": patient, "form": form, "title": "Write a letter from the plan"},
        status=status,
    )


def _letter(request: HttpRequest, pid: UUID, lid: UUID) -> tuple[Patient, PlanLetter]:
    actor, patient = _patient(request, pid, audit_read=False)
    letter = get_object_or_404(
        PlanLetter.objects.select_related("plan__episode__service"),
        external_id=lid,
        plan__patient=patient,
    )
    audit.log(actor, AuditAction.READ, patient_ref=patient.external_id, target=letter)
    return patient, letter


@login_required
def letter_page(request: HttpRequest, pid: UUID, lid: UUID) -> HttpResponse:
    patient, letter = _letter(request, pid, lid)
    return render(request, "careplans/letter.html", {"patient": patient, "letter": letter})


@login_required
def letter_pdf(request: HttpRequest, pid: UUID, lid: UUID) -> HttpResponse:
    patient, letter = _letter(request, pid, lid)
    html = render_to_string("careplans/letter_print.html", {"patient": patient, "letter": letter})
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{letter.kind}-{letter.created_at:%Y-%m-%d}.pdf"'
    )
    return response
