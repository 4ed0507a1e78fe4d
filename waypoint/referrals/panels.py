"""The staff-home panel: urgent referrals first, then how many await a decision."""

from __future__ import annotations

from typing import Any

from waypoint.core.audit import Actor
from waypoint.core.extensions import Panel

from . import queries
from .access import can_see_referrals_at_all

URGENT_SHOWN = 10


def referrals_home_panel(request: Any, actor: Actor) -> Panel | None:
    if not can_see_referrals_at_all(actor.principal):
        return None
    queue = queries.triage_queue(actor.principal)
    open_count = queue.count()
    if not open_count:
        return None  # one query when there is nothing to show
    urgent = list(queue.filter(urgent=True)[:URGENT_SHOWN])
    return Panel(
        title="Referrals",
        template="referrals/_home_panel.html",
        context={"urgent": urgent, "open_count": open_count},
        order=10,
    )


def referrals_chart_panel(request: Any, actor: Actor, patient: Any) -> Panel | None:
    """The patient's referrals that this member of staff may see, newest first."""
    referrals = list(
        queries.visible_referrals(actor.principal)
        .filter(patient=patient)
        .select_related("service")
        .order_by("-received_on", "-id")[:20]
    )
    if not referrals:
        return None
    return Panel(
        title="Referrals",
        template="referrals/_chart_panel.html",
        context={"referrals": referrals},
        order=20,
    )
