"""What the careplans app adds to the chart, the staff home and the portal."""

from __future__ import annotations

from typing import Any

from waypoint.core.access import Role
from waypoint.core.extensions import Panel, chart_panel, home_panel, nav_item, portal_panel

from . import queries
from .models import CarePlan


def _plan(patient: Any) -> CarePlan | None:
    return (
        CarePlan.objects.filter(patient=patient, status="active")
        .select_related("episode__service")
        .order_by("-starts_on")
        .first()
    )


@chart_panel(order=20)
def plan_panel(request: Any, actor: Any, patient: Any) -> Panel | None:
    plan = _plan(patient)
    view = queries.plan_view(plan) if plan else None
    return Panel("Care plan", "careplans/_chart_panel.html", {"view": view, "patient": patient})


@home_panel(order=20)
def reviews_due_panel(request: Any, actor: Any) -> Panel | None:
    rows = queries.due_reviews(actor.principal)
    if not rows:
        return None
    return Panel("Care plan reviews due", "careplans/_home_panel.html", {"rows": rows[:20]})


@portal_panel(order=30)
def portal_plan(request: Any, actor: Any, patient: Any) -> Panel | None:
    plan = _plan(patient)
    if plan is None:
        return None
    title = "Your plan" if actor.principal.role == Role.PATIENT else f"{patient.given_name}'s plan"
    return Panel(
        title,
        "careplans/_portal_panel.html",
        {
            "plan": plan,
            "view": queries.plan_view(plan),
            "patient": patient,
            "proxy": actor.principal.role == Role.GUARDIAN,
        },
    )


nav_item("Team meetings", "meetings", lambda principal: principal.is_staff_member, order=40)
