"""Read paths: responses and scores for a chart, open alerts for a home page, what is due.

Access goes through ``patients.queries`` (``visible_patients`` / ``get_visible_patient``):
a response or alert of a patient the user cannot see answers 404, audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import Principal
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import NotFound
from waypoint.patients.choices import EpisodeStatus
from waypoint.patients.models import EpisodeOfCare, Patient
from waypoint.patients.queries import get_visible_patient, visible_patients

from . import catalogue, performance, schedule
from .access import licensed_for, portal_respondent
from .choices import AlertStatus, ResponseStatus
from .models import BodyMap, PerformanceTest, QuestionnaireResponse, SafetyAlert
from .scoring import Change, Score, change, score

SCHEDULED_EPISODES = (EpisodeStatus.PLANNED, EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD)
FOLLOWED_EPISODES = (*SCHEDULED_EPISODES, EpisodeStatus.FINISHED)


def as_uuid(value: UUID | str) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def completed_responses(patient: Patient) -> QuerySet[QuestionnaireResponse]:
    """The patient's completed responses, oldest first (for trends and baselines)."""
    return QuestionnaireResponse.objects.filter(
        patient=patient, status=ResponseStatus.COMPLETED
    ).order_by("completed_at", "pk")


def get_response(
    actor: Actor, external_id: UUID | str, *, audit_read: bool = True
) -> QuestionnaireResponse:
    """The response if ``actor`` may see its patient, else NotFound (audited either way)."""
    wanted = as_uuid(external_id)
    response = (
        QuestionnaireResponse.objects.select_related("patient", "episode")
        .filter(external_id=wanted)
        .first()
        if wanted
        else None
    )
    if response is None:
        audit.log(actor, AuditAction.DENIED, detail="questionnaire response not found")
        raise NotFound("No questionnaire with this id.")
    response.patient = get_visible_patient(actor, response.patient.external_id, audit_read=False)
    if audit_read:
        audit.log(
            actor, AuditAction.READ, patient_ref=response.patient.external_id, target=response
        )
    return response


def get_alert(actor: Actor, external_id: UUID | str) -> SafetyAlert:
    wanted = as_uuid(external_id)
    alert = (
        SafetyAlert.objects.select_related("patient", "response").filter(external_id=wanted).first()
        if wanted
        else None
    )
    if alert is None:
        audit.log(actor, AuditAction.DENIED, detail="safety alert not found")
        raise NotFound("No alert with this id.")
    alert.patient = get_visible_patient(actor, alert.patient.external_id, audit_read=False)
    audit.log(actor, AuditAction.READ, patient_ref=alert.patient.external_id, target=alert)
    return alert


def open_alerts(principal: Principal) -> QuerySet[SafetyAlert]:
    """Open safety alerts of every patient ``principal`` may see, oldest first."""
    return (
        SafetyAlert.objects.filter(
            status=AlertStatus.OPEN, patient__in=visible_patients(principal).values("pk")
        )
        .select_related("patient", "response")
        .order_by("raised_at", "pk")
    )


def patient_alerts(patient: Patient) -> QuerySet[SafetyAlert]:
    return (
        SafetyAlert.objects.filter(patient=patient)
        .select_related("acknowledged_by", "response")
        .order_by("-raised_at", "-pk")
    )


def latest_body_map(patient: Patient) -> BodyMap | None:
    return (
        BodyMap.objects.filter(patient=patient, status="final")
        .select_related("recorded_by")
        .order_by("-recorded_at", "-pk")
        .first()
    )


# --- what is due --------------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeSchedule:
    episode: EpisodeOfCare
    items: list[schedule.DueItem]
    record_school_days_missed: bool


def enabled_licences(patient: Patient) -> frozenset[str]:
    """Instruments whose licence the patient's services hold (Service.settings)."""
    enabled: set[str] = set()
    for settings_ in EpisodeOfCare.objects.filter(
        patient=patient, status__in=FOLLOWED_EPISODES
    ).values_list("service__settings", flat=True):
        names = (settings_ or {}).get("licensed_instruments", [])
        if isinstance(names, list):
            enabled.update(str(name) for name in names)
    return frozenset(enabled)


def patient_schedule(patient: Patient, today: date | None = None) -> list[EpisodeSchedule]:
    """Each followed episode with its scheduled instruments and their states."""
    today = today or timezone.localdate()
    plan = schedule.load()
    episodes = list(
        EpisodeOfCare.objects.filter(patient=patient, status__in=FOLLOWED_EPISODES)
        .select_related("service")
        .order_by("-start", "-created_at")
    )
    done: dict[int, set[tuple[str, str]]] = defaultdict(set)
    for episode_id, point, instrument in QuestionnaireResponse.objects.filter(
        patient=patient, status=ResponseStatus.COMPLETED, episode__in=episodes
    ).values_list("episode_id", "measurement_point", "instrument"):
        done[episode_id].add((point, instrument))
    result = []
    for episode in episodes:
        service_plan = plan.for_kind(episode.service.kind)
        if service_plan is None:
            continue
        dates = schedule.EpisodeDates(
            referral=timezone.localdate(episode.created_at),
            start=episode.start,
            end=episode.end,
            open=episode.status in SCHEDULED_EPISODES,
        )
        items = schedule.due_items(service_plan, dates, done[episode.pk], today)
        result.append(EpisodeSchedule(episode, items, service_plan.record_school_days_missed))
    return result


# --- what the portal offers ---------------------------------------------------------------


def portal_offers(principal: Principal, patient: Patient) -> dict[str, Any]:
    """What the portal offers this patient or guardian now (due, overdue, in progress)."""
    respondent = portal_respondent(principal)
    cat = catalogue.load()
    enabled = enabled_licences(patient)
    in_progress = list(
        QuestionnaireResponse.objects.filter(
            patient=patient, status=ResponseStatus.IN_PROGRESS, respondent=respondent
        ).order_by("started_at")
    )
    started = {(r.measurement_point, r.instrument) for r in in_progress}
    offered, withheld = [], []
    for plan in patient_schedule(patient):
        for item in plan.items:
            instrument = cat.get(item.instrument)
            if (
                not item.offered
                or instrument is None
                or instrument.status != "active"
                or instrument.respondent != respondent
                or (item.point, item.instrument) in started
            ):
                continue
            row = {"item": item, "instrument": instrument, "episode": plan.episode}
            if licensed_for(instrument, enabled):
                offered.append(row)
            else:
                withheld.append(row)
    return {
        "patient": patient,
        "offered": offered,
        "withheld": withheld,
        "in_progress": [(r, cat.get(r.instrument)) for r in in_progress],
        "proxy": respondent == "parent-proxy",
    }


# --- scores for the chart -----------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentSummary:
    code: str
    name: str
    short_name: str
    latest: QuestionnaireResponse
    baseline: QuestionnaireResponse
    measure: str  # "total" or "T-score"
    values: list[tuple[QuestionnaireResponse, Decimal]]
    change: Change | None
    count: int


def _rescore(response: QuestionnaireResponse) -> Score | None:
    instrument = catalogue.load().get(response.instrument)
    if instrument is None or instrument.version != response.instrument_version:
        return None
    return score(instrument, {k: v for k, v in response.answers.items() if v != ""})


def instrument_summaries(responses: list[QuestionnaireResponse]) -> list[InstrumentSummary]:
    """Per instrument: latest score, baseline (the first completed), change and MCID."""
    by_code: dict[str, list[QuestionnaireResponse]] = defaultdict(list)
    for response in responses:
        by_code[response.instrument].append(response)
    cat = catalogue.load()
    summaries = []
    for code, rows in by_code.items():
        instrument = cat.get(code)
        if instrument is None:
            continue
        promis = instrument.scoring.method == "promis-table"
        values = [
            (r, r.t_score if promis else r.total)
            for r in rows
            if (r.t_score if promis else r.total) is not None
        ]
        found: Change | None = None
        baseline, latest = rows[0], rows[-1]
        if len(rows) > 1:
            before, after = _rescore(baseline), _rescore(latest)
            if before is not None and after is not None:
                found = change(instrument, before, after)
        summaries.append(
            InstrumentSummary(
                code=code,
                name=instrument.name,
                short_name=instrument.short_name,
                latest=latest,
                baseline=baseline,
                measure="T-score" if promis else "total",
                values=[(r, v) for r, v in values if v is not None],
                change=found,
                count=len(rows),
            )
        )
    summaries.sort(key=lambda s: s.latest.completed_at or timezone.now(), reverse=True)
    return summaries


@dataclass(frozen=True)
class PerformanceRow:
    name: str
    unit: str
    first: PerformanceTest
    latest: PerformanceTest
    count: int

    @property
    def change(self) -> Decimal:
        return self.latest.value - self.first.value


def performance_summary(patient: Patient) -> list[PerformanceRow]:
    """Per test: the first (baseline) and latest measurement."""
    kinds = performance.load()
    rows: dict[str, list[PerformanceTest]] = defaultdict(list)
    for row in PerformanceTest.objects.filter(patient=patient, status="final").order_by(
        "measured_on", "pk"
    ):
        rows[row.test].append(row)
    return [
        PerformanceRow(
            name=kinds[code].name if code in kinds else code,
            unit=found[0].unit,
            first=found[0],
            latest=found[-1],
            count=len(found),
        )
        for code, found in rows.items()
    ]
