"""The patient / parent side: a patient sees their own record, a guardian their children's."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from waypoint.core import audit
from waypoint.core.access import Role
from waypoint.core.audit import actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.extensions import portal_panels
from waypoint.patients import queries


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    role = actor.principal.role
    if role == Role.PATIENT:
        return redirect(
            "portal-patient", queries.visible_patients(actor.principal).get().external_id
        )
    if role != Role.GUARDIAN:
        if actor.principal.is_staff_member:
            return redirect("home")
        raise PermissionDenied("This account has no portal access.")
    children = list(queries.children_of(actor.principal))
    audit.log(actor, AuditAction.LIST, detail=f"guardian's children ({len(children)})")
    return render(request, "portal/home.html", {"children": children})


@login_required
def portal_patient(request: HttpRequest, pid: UUID) -> HttpResponse:
    actor = actor_from_request(request)
    if not actor.principal.is_portal_user:
        return redirect("patient-chart", pid)
    patient = queries.get_visible_patient(actor, pid)
    episodes = list(queries.chart_episodes(patient).exclude(status="entered-in-error"))
    return render(
        request,
        "portal/patient.html",
        {
            "patient": patient,
            "episodes": episodes,
            "proxy": actor.principal.role == Role.GUARDIAN,
            "panels": portal_panels(request, actor, patient),
        },
    )
