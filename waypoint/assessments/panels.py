"""The assessments' panels on shared screens: chart, staff home, portal (registered in apps)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from waypoint.core.access import can_view_patient
from waypoint.core.extensions import Panel
from waypoint.patients.queries import patient_facts

from . import access, bodymap, catalogue, queries
from .definitions import total_range
from .models import QuestionnaireResponse
from .trend import trend


def chart_scores(request: Any, actor: Any, patient: Any) -> Panel | None:
    """Scores, trends, change from baseline, alerts and what is due, on the staff chart."""
    if not actor.principal.is_staff_member:
        return None
    responses = list(
        QuestionnaireResponse.objects.filter(patient=patient)
        .select_related("completed_by")
        .order_by("-completed_at", "-started_at")
    )
    completed = sorted(
        (r for r in responses if r.status == "completed"), key=lambda r: (r.completed_at, r.pk)
    )
    cat = catalogue.load()
    summaries = []
    for summary in queries.instrument_summaries(completed):
        instrument = cat[summary.code]
        scale = None
        if summary.measure == "total":
            scale = total_range(instrument)
        points = [(timezone.localdate(r.completed_at), v) for r, v in summary.values]
        summaries.append({"s": summary, "trend": trend(points, scale), "instrument": instrument})
    today = timezone.localdate()
    due = [
        (plan.episode, item, cat.get(item.instrument))
        for plan in queries.patient_schedule(patient, today)
        for item in plan.items
        if item.offered
    ]
    facts = patient_facts(patient)
    body_map = queries.latest_body_map(patient)
    regions = bodymap.load()
    return Panel(
        title="Questionnaires and scores",
        template="assessments/_chart_panel.html",
        context={
            "patient": patient,
            "summaries": summaries,
            "responses": responses,
            "alerts": list(queries.patient_alerts(patient)),
            "due": due,
            "can_acknowledge": access.can_acknowledge_alert(actor.principal, facts, today),
            "can_enter": access.can_enter_on_paper(actor.principal, facts, today),
            "body_map": body_map,
            "body_summary": bodymap.summarise(regions, body_map.regions) if body_map else None,
            "regions": regions,
            "chosen": set(body_map.regions) if body_map else set(),
            "performance": queries.performance_summary(patient),
        },
        order=20,
    )


def home_alerts(request: Any, actor: Any) -> Panel | None:
    """Open safety alerts of the staff member's patients: they stay until acknowledged."""
    if not actor.principal.is_staff_member:
        return None
    alerts = list(queries.open_alerts(actor.principal)[:50])
    if not alerts:
        return None
    return Panel(
        title=f"Safety alerts ({len(alerts)} open)",
        template="assessments/_home_alerts.html",
        context={"alerts": alerts},
        order=5,
    )


def portal_questionnaires(request: Any, actor: Any, patient: Any) -> Panel | None:
    """Questionnaires to fill in now, on the patient's (or child's) portal page."""
    if not actor.principal.is_portal_user:
        return None
    if not can_view_patient(actor.principal, patient_facts(patient), timezone.localdate()):
        return None
    context = queries.portal_offers(actor.principal, patient)
    return Panel(
        title="Questionnaires to fill in",
        template="assessments/_portal_panel.html",
        context=context,
        order=10,
    )
