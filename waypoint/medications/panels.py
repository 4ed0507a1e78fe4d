"""What the medications app adds to the chart and the portal (core.extensions)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from waypoint.core.extensions import Panel, chart_panel, portal_panel

from . import queries


@chart_panel(order=30)
def medicines_panel(request: Any, actor: Any, patient: Any) -> Panel | None:
    state = queries.stewardship(patient)
    procedures = queries.procedures_with_effect(patient)
    if not state.entries and not state.alerts and not procedures:
        # Nothing recorded: a link, not an empty box.
        return Panel("Medicines", "medications/_chart_empty.html", {"patient": patient})
    context = {"state": state, "patient": patient, "procedures": procedures}
    return Panel("Medicines and procedures", "medications/_chart_panel.html", context)


@portal_panel(order=40)
def taper_panel(request: Any, actor: Any, patient: Any) -> Panel | None:
    taper = queries.active_taper(patient)
    if taper is None:
        return None
    today = timezone.localdate()
    steps = list(taper.steps.all())
    current = next((s for s in reversed(steps) if s.starts_on <= today), None)
    return Panel(
        "Your medicine schedule",
        "medications/_portal_taper.html",
        {"taper": taper, "current": current},
    )
