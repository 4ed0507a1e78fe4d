"""Staff pages for patients: search, register, chart, edit, episodes, team, guardians.

Views stay thin: parse, check access (``queries.get_visible_patient``), call a
service, render. A service's ``InvalidInput`` lands on the form; a ``Conflict`` is shown
above the form with the user's input kept, and answers 409.
"""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from waypoint.core import audit
from waypoint.core.access import Role
from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, InvalidInput, NotFound
from waypoint.core.extensions import chart_panels
from waypoint.core.models import Service, StaffProfile
from waypoint.core.rendering import apply_errors, paginate, render_page

from . import queries, services
from .forms import (
    CareTeamAddForm,
    EpisodeChangeForm,
    EpisodeCreateForm,
    GuardianLinkForm,
    PatientCreateForm,
    PatientForm,
    PatientStatusForm,
)
from .models import CareTeamMember, EpisodeOfCare, GuardianLink
from .rules import allowed_episode_statuses


def staff_actor(request: HttpRequest) -> Actor:
    """The acting staff member. To anyone else staff pages do not exist (404, audited):
    a patient or guardian probing ids learns nothing."""
    actor = actor_from_request(request)
    if not actor.principal.is_staff_member:
        audit.log(actor, AuditAction.DENIED, detail="staff page asked for by a non-staff user")
        raise NotFound("No such page.")
    return actor


def registrable_services(actor: Actor) -> QuerySet[Service]:
    services_ = Service.objects.filter(clinic_id=actor.principal.staff_clinic_id, active=True)
    if actor.principal.role != Role.CLINIC_LEAD:
        services_ = services_.filter(pk__in=actor.principal.service_ids)
    return services_


@login_required
def patient_search(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    text = request.GET.get("q", "").strip()[:100]
    page = None
    if text:
        page = paginate(request, queries.search_patients(actor.principal, text))
        audit.log(actor, AuditAction.LIST, detail=f"patient search ({page.paginator.count} found)")
    return render_page(
        request,
        "patients/search.html",
        {"q": text, "page": page},
        fragment="patients/_search_results.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_create(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    choices = registrable_services(actor)
    form = PatientCreateForm(request.POST or None, services=choices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                patient = services.create_patient(
                    actor=actor,
                    service=form.cleaned_data["service"],
                    fields=form.changes(),
                    episode_reason=form.cleaned_data["episode_reason"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{patient.full_name} registered.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request, "patients/patient_form.html", {"form": form, "creating": True}, status=status
    )


@login_required
def patient_chart(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid)
    episodes = list(queries.chart_episodes(patient))
    open_episodes = [e for e in episodes if e.status in ("planned", "active", "onhold")]
    links = list(queries.guardian_links(patient))
    today = timezone.localdate()
    return render(
        request,
        "patients/chart.html",
        {
            "patient": patient,
            "age": patient.age(today),
            "episodes": episodes,
            "current_episode": open_episodes[0] if open_episodes else None,
            "guardian_links": links,
            "is_minor": patient.age(today) < 18,
            "panels": chart_panels(request, actor, patient),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_edit(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=request.method == "GET")
    # The form works on a copy, so that the service sees what actually changed.
    form = PatientForm(request.POST or None, instance=copy.copy(patient))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_patient(
                    actor=actor,
                    patient=patient,
                    expected_version=form.cleaned_data["version"] or 0,
                    changes=form.changes(),
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                return render(
                    request,
                    "patients/patient_form.html",
                    {"form": form, "patient": patient, "conflict": True},
                    status=409,
                )
            else:
                messages.success(request, "Details saved.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request, "patients/patient_form.html", {"form": form, "patient": patient}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def patient_status(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=request.method == "GET")
    form = PatientStatusForm(
        request.POST or None, initial={"status": patient.status, "version": patient.version}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.set_patient_status(
                    actor=actor,
                    patient=patient,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                return render(
                    request,
                    "patients/status_form.html",
                    {"form": form, "patient": patient},
                    status=409,
                )
            else:
                messages.success(request, "Record status saved.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request, "patients/status_form.html", {"form": form, "patient": patient}, status=status
    )


@login_required
def patient_history(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid)
    records = list(patient.history.select_related("history_user").order_by("-history_date")[:100])
    rows: list[dict[str, Any]] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=["version"])
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        rows.append({"record": newer, "changes": changes})
    return render(request, "patients/history.html", {"patient": patient, "rows": rows})


def _episode_for(actor: Actor, eid: UUID) -> EpisodeOfCare:
    episode = get_object_or_404(
        EpisodeOfCare.objects.select_related("patient", "service"), external_id=eid
    )
    # Checks access and audits the read through the patient.
    queries.get_visible_patient(actor, episode.patient.external_id, audit_read=False)
    return episode


@login_required
@require_http_methods(["GET", "POST"])
def episode_create(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    form = EpisodeCreateForm(request.POST or None, services=registrable_services(actor))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.open_episode(actor=actor, patient=patient, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Episode opened.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request, "patients/episode_form.html", {"form": form, "patient": patient}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def episode_edit(request: HttpRequest, eid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    episode = _episode_for(actor, eid)
    form = EpisodeChangeForm(
        request.POST or None, episode=episode, allowed=allowed_episode_statuses(episode.status)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_episode(
                    actor=actor,
                    episode=episode,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    status_reason=form.cleaned_data["status_reason"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                return render(
                    request,
                    "patients/episode_form.html",
                    {"form": form, "patient": episode.patient, "episode": episode},
                    status=409,
                )
            else:
                messages.success(request, "Episode saved.")
                return redirect("patient-chart", episode.patient.external_id)
        status = 422
    return render(
        request,
        "patients/episode_form.html",
        {"form": form, "patient": episode.patient, "episode": episode},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def care_team_add(request: HttpRequest, eid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    episode = _episode_for(actor, eid)
    staff = StaffProfile.objects.filter(services=episode.service).select_related("user")
    form = CareTeamAddForm(request.POST or None, staff=staff)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.add_care_team_member(actor=actor, episode=episode, **form.cleaned_data)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Care team updated.")
                return redirect("patient-chart", episode.patient.external_id)
        status = 422
    return render(
        request,
        "patients/care_team_form.html",
        {"form": form, "patient": episode.patient, "episode": episode},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def care_team_end(request: HttpRequest, mid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    member = get_object_or_404(
        CareTeamMember.objects.select_related("episode__patient"), external_id=mid
    )
    queries.get_visible_patient(actor, member.episode.patient.external_id, audit_read=False)
    try:
        services.end_care_team_member(actor=actor, member=member)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{member.staff} left the care team.")
    return redirect("patient-chart", member.episode.patient.external_id)


@login_required
@require_http_methods(["GET", "POST"])
def guardian_add(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    patient = queries.get_visible_patient(actor, pid, audit_read=False)
    form = GuardianLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.link_guardian(
                    actor=actor,
                    patient=patient,
                    relationship=form.cleaned_data["relationship"],
                    guardian_fields=form.guardian_fields(),
                    renewed_until=form.cleaned_data["renewed_until"],
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "Guardian linked.")
                return redirect("patient-chart", patient.external_id)
        status = 422
    return render(
        request, "patients/guardian_form.html", {"form": form, "patient": patient}, status=status
    )


@login_required
@require_http_methods(["POST"])
def guardian_end(request: HttpRequest, lid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    link = get_object_or_404(
        GuardianLink.objects.select_related("patient", "guardian"), external_id=lid
    )
    queries.get_visible_patient(actor, link.patient.external_id, audit_read=False)
    try:
        services.change_guardian_link(
            actor=actor, link=link, status="ended", renewed_until=link.renewed_until
        )
    except (InvalidInput, NotFound) as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"{link.guardian}'s proxy access ended.")
    return redirect("patient-chart", link.patient.external_id)
