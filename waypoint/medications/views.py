"""The medicines screen and its forms: thin views over ``services`` and ``queries``.

Every page starts from ``get_visible_patient`` (access + audit + 404); every form page
re-renders with the user's input and the errors naming the fields (422), or 409 when
the record changed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.careplans.models import Goal
from waypoint.core.audit import Actor
from waypoint.core.errors import Conflict
from waypoint.core.rendering import form_page
from waypoint.patients import queries as patient_queries
from waypoint.patients.models import Patient
from waypoint.patients.views import staff_actor

from . import formulary, queries, services
from .charts import mme_trend_svg, taper_svg
from .choices import EntryStatus
from .forms import (
    AcknowledgeForm,
    AgreementForm,
    ChangeMedicationForm,
    CheckForm,
    FollowUpForm,
    MedicationForm,
    ProcedureForm,
    RiskForm,
    StopForm,
    TaperForm,
    TaperStepForm,
)
from .models import MedicationEntry, Procedure, RiskProfile, TaperStep

# The form is whichever the page built; handlers read its cleaned_data.
Handler = Callable[[Actor, Patient, Any], Any]


def _patient(request: HttpRequest, pid: UUID, *, audit_read: bool = True) -> tuple[Actor, Patient]:
    actor = staff_actor(request)
    return actor, patient_queries.get_visible_patient(actor, pid, audit_read=audit_read)


@login_required
def medicines(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid)
    state = queries.stewardship(patient)
    rows = [(entry, state.line_for(entry)) for entry in state.entries]
    taper = queries.active_taper(patient)
    return render(
        request,
        "medications/medicines.html",
        {
            "patient": patient,
            "state": state,
            "rows": rows,
            "trend_svg": mme_trend_svg(queries.mme_trend(patient)),
            "checks": patient.monitoring_checks.filter(entered_in_error=False)[:10],
            "agreement": patient.opioid_agreements.filter(status="active").first(),
            "risk": RiskProfile.objects.filter(patient=patient).first(),
            "procedures": queries.procedures_with_effect(patient),
            "taper": taper,
            "taper_svg": taper_svg(taper) if taper else "",
            "reconciled": patient.reconciliations.select_related("reviewed_by").first(),
            "ack_form": AcknowledgeForm(),
            "today": timezone.localdate(),
        },
    )


def _form_page(
    request: HttpRequest,
    pid: UUID,
    form: forms.BaseForm,
    title: str,
    handler: Handler,
    done: str,
    *,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; POST runs ``handler`` and returns to the medicines screen."""
    actor, patient = _patient(request, pid, audit_read=request.method == "GET")
    context = {
        "patient": patient,
        "title": title,
        "formulary": formulary.suggestions(),
        **(extra or {}),
    }
    return form_page(
        request,
        form,
        lambda f: handler(actor, patient, f),
        template="medications/form.html",
        context=context,
        done=done,
        success_url=reverse("medicines", args=[patient.external_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def medication_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    form = MedicationForm(request.POST or None, initial={"start": timezone.localdate()})
    return _form_page(
        request,
        pid,
        form,
        "Add a medication",
        lambda actor, patient, f: services.add_medication(
            actor=actor, patient=patient, fields=f.entry_fields()
        ),
        "Medication added.",
    )


def _entry(patient: Patient, eid: UUID) -> MedicationEntry:
    return get_object_or_404(MedicationEntry, external_id=eid, patient=patient)


@login_required
@require_http_methods(["GET", "POST"])
def medication_change(request: HttpRequest, pid: UUID, eid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    entry = _entry(patient, eid)
    form = ChangeMedicationForm(
        request.POST or None,
        instance=entry if request.method == "GET" else None,
        initial={"start": timezone.localdate()},
    )
    return _form_page(
        request,
        pid,
        form,
        f"Change {entry.ingredient}",
        lambda actor, p, f: services.change_medication(
            actor=actor,
            entry=entry,
            fields=f.entry_fields(),
            reason=f.cleaned_data["change_reason"],
        ),
        "Change recorded: the old entry is kept in the history.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def medication_stop(request: HttpRequest, pid: UUID, eid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    entry = _entry(patient, eid)
    form = StopForm(request.POST or None)
    return _form_page(
        request,
        pid,
        form,
        f"Stop {entry.ingredient}",
        lambda actor, p, f: services.stop_medication(
            actor=actor,
            entry=entry,
            reason=f.cleaned_data["change_reason"],
            stop=f.cleaned_data["stop"],
            entered_in_error=f.cleaned_data["entered_in_error"],
        ),
        "Medication stopped.",
    )


@login_required
@require_POST
def reconcile(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor, patient = _patient(request, pid, audit_read=False)
    ids = [int(i) for i in request.POST.getlist("entry") if i.isdigit()]
    try:
        services.reconcile(
            actor=actor, patient=patient, entry_ids=ids, note=request.POST.get("note", "")
        )
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Medication list confirmed.")
    return redirect("medicines", patient.external_id)


@login_required
@require_http_methods(["GET", "POST"])
def check_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    form = CheckForm(
        request.POST or None,
        initial={"done_on": timezone.localdate(), "kind": request.GET.get("kind")},
    )
    return _form_page(
        request,
        pid,
        form,
        "Record a monitoring step",
        lambda actor, patient, f: services.record_check(
            actor=actor, patient=patient, **f.cleaned_data
        ),
        "Monitoring recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    goals = Goal.objects.filter(plan__patient=patient, status="active").exclude(
        plan__status="entered-in-error"
    )
    form = AgreementForm(
        request.POST or None, goals=goals, initial={"signed_on": timezone.localdate()}
    )
    return _form_page(
        request,
        pid,
        form,
        "Record an opioid agreement",
        lambda actor, patient, f: services.save_agreement(
            actor=actor, patient=patient, **f.cleaned_data
        ),
        "Agreement recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request: HttpRequest, pid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    form = RiskForm(
        request.POST or None, instance=RiskProfile.objects.filter(patient=patient).first()
    )
    return _form_page(
        request,
        pid,
        form,
        "Opioid risk factors",
        lambda actor, p, f: services.save_risk_profile(
            actor=actor, patient=p, fields=f.cleaned_data
        ),
        "Risk factors saved.",
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pid: UUID) -> HttpResponse:
    form = AcknowledgeForm(request.POST)
    return _form_page(
        request,
        pid,
        form,
        "Acknowledge an alert",
        lambda actor, patient, f: services.acknowledge_alert(
            actor=actor, patient=patient, **f.cleaned_data
        ),
        "Alert acknowledged.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def taper_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    opioids = patient.medications.filter(status=EntryStatus.ACTIVE, drug_class="opioid")
    form = TaperForm(
        request.POST or None,
        medications=opioids,
        initial={"starts_on": timezone.localdate(), "medication": request.GET.get("medication")},
    )

    def handle(actor: Actor, p: Patient, f: forms.BaseForm) -> Any:
        data = dict(f.cleaned_data)
        return services.plan_taper(actor=actor, entry=data.pop("medication"), **data)

    return _form_page(
        request, pid, form, "Plan a taper", handle, "Taper planned: check each step below."
    )


@login_required
@require_http_methods(["GET", "POST"])
def taper_step_edit(request: HttpRequest, pid: UUID, step_id: int) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    step = get_object_or_404(
        TaperStep.objects.select_related("plan"), pk=step_id, plan__patient=patient
    )
    form = TaperStepForm(
        request.POST or None, initial={"dose_mg": step.dose_mg, "starts_on": step.starts_on}
    )
    return _form_page(
        request,
        pid,
        form,
        f"Taper step {step.number}",
        lambda actor, p, f: services.edit_taper_step(actor=actor, step=step, **f.cleaned_data),
        f"Step {step.number} changed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    form = ProcedureForm(request.POST or None, initial={"performed_on": timezone.localdate()})
    return _form_page(
        request,
        pid,
        form,
        "Record a procedure",
        lambda actor, patient, f: services.record_procedure(
            actor=actor, patient=patient, fields=f.cleaned_data
        ),
        "Procedure recorded.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def procedure_follow_up(request: HttpRequest, pid: UUID, prid: UUID) -> HttpResponse:
    _, patient = _patient(request, pid, audit_read=False)
    procedure = get_object_or_404(Procedure, external_id=prid, patient=patient)
    form = FollowUpForm(
        request.POST or None,
        initial={"followed_up_on": timezone.localdate(), "version": procedure.version},
    )

    def handle(actor: Actor, p: Patient, f: forms.BaseForm) -> Any:
        data = dict(f.cleaned_data)
        return services.record_follow_up(
            actor=actor, procedure=procedure, expected_version=data.pop("version"), **data
        )

    return _form_page(
        request,
        pid,
        form,
        f"Follow-up: {procedure.get_kind_display()}",
        handle,
        "Follow-up recorded.",
    )
