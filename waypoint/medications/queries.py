"""Read paths: the medication list, its MME, the stewardship alerts, the MME trend.

Records are turned into the pure core's plain values here, in one place, so that the
chart, the API and reports compute every number the same way.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from waypoint.assessments.models import QuestionnaireResponse
from waypoint.patients.models import Patient

from .alerts import Alert
from .choices import AgreementStatus, CheckKind, EntryStatus, ProcedureStatus
from .dose import Dose
from .facts import PatientFacts
from .medication import Medication
from .mme import MMESummary, daily_mme
from .models import (
    AlertAcknowledgement,
    MedicationEntry,
    MonitoringCheck,
    OpioidAgreement,
    Procedure,
    RiskProfile,
    TaperPlan,
)
from .procedures import Effect, classify
from .rules import default_rules
from .stewardship import evaluate


def active_entries(patient: Patient) -> QuerySet[MedicationEntry]:
    return patient.medications.filter(status=EntryStatus.ACTIVE).order_by(
        "drug_class", "ingredient"
    )


def dose_of(entry: MedicationEntry) -> Dose:
    return Dose(
        ingredient=entry.ingredient,
        route=entry.route,
        form=entry.form,
        strength=entry.strength,
        strength_unit=entry.strength_unit or None,
        dose_per_administration=entry.dose_per_administration,
        dose_unit=entry.dose_unit or None,
        frequency=entry.frequency,
        label=str(entry.external_id),
    )


def medication_of(entry: MedicationEntry) -> Medication:
    return Medication(ingredient=entry.ingredient, route=entry.route, label=str(entry.external_id))


def mme_of(entries: list[MedicationEntry]) -> MMESummary:
    """MME/day over the opioid entries (as-needed at their maximum, CDC 2022)."""
    return daily_mme(dose_of(e) for e in entries if e.drug_class == "opioid")


def _latest(checks: list[MonitoringCheck], kind: str) -> MonitoringCheck | None:
    return next((c for c in checks if c.kind == kind), None)


def patient_facts(patient: Patient, entries: list[MedicationEntry]) -> PatientFacts:
    """What the stewardship rules need to know, from the records that hold it."""
    risk = RiskProfile.objects.filter(patient=patient).first()
    checks = list(patient.monitoring_checks.filter(entered_in_error=False).order_by("-done_on"))
    agreement = patient.opioid_agreements.filter(status=AgreementStatus.ACTIVE).first()
    opioid_starts = [e.start for e in entries if e.drug_class == "opioid" and e.start]
    first_start = (
        patient.medications.filter(drug_class="opioid", start__isnull=False)
        .exclude(status=EntryStatus.ENTERED_IN_ERROR)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    # Keys of the rules' scope.excluded_conditions (stewardship-rules.json).
    conditions = set()
    if risk is not None:
        flags = {
            "cancer": risk.active_cancer,
            "sickle-cell-disease": risk.sickle_cell_disease,
            "palliative-care": risk.palliative_care,
        }
        conditions = {key for key, held in flags.items() if held}
        unknown = conditions - default_rules().excluded_conditions.keys()
        if unknown:  # a renamed key in the rules file must not silently disable the scope
            raise RuntimeError(f"risk profile keys missing from the stewardship rules: {unknown}")
    stop_bang_score, _ = _latest_stop_bang(patient, checks)

    def last(kind: str) -> date | None:
        found = _latest(checks, kind)
        return found.done_on if found else None

    return PatientFacts(
        birth_date=patient.birth_date,
        conditions=frozenset(conditions),
        history_of_overdose=bool(risk and risk.history_of_overdose),
        substance_use_disorder=bool(risk and risk.substance_use_disorder),
        sleep_disordered_breathing=bool(risk and risk.sleep_disordered_breathing),
        naloxone_offered_on=last(CheckKind.NALOXONE_OFFERED),
        opioid_started_on=first_start or (min(opioid_starts) if opioid_starts else None),
        opioid_agreement_signed_on=agreement.signed_on if agreement else None,
        opioid_agreement_reviewed_on=agreement.last_reviewed_on if agreement else None,
        opioid_agreement_review_due=_review_due(agreement),
        last_pdmp_check=last(CheckKind.PDMP),
        last_urine_drug_screen=last(CheckKind.URINE_DRUG_SCREEN),
        toxicology_declined_on=last(CheckKind.TOXICOLOGY_DECLINED),
        last_functional_review=last(CheckKind.FUNCTIONAL_REVIEW),
        stop_bang_score=stop_bang_score,
        last_falls_review=last(CheckKind.FALLS_REVIEW),
    )


def _latest_stop_bang(
    patient: Patient, checks: list[MonitoringCheck]
) -> tuple[int | None, date | None]:
    """The newest STOP-Bang score: a screen recorded here, or the questionnaire answered
    in the assessment engine, whichever is more recent."""
    found: list[tuple[date, int]] = []
    check = _latest(checks, CheckKind.STOP_BANG)
    if check is not None and check.score is not None:
        found.append((check.done_on, check.score))
    response = (
        QuestionnaireResponse.objects.filter(
            patient=patient,
            instrument="stop_bang",
            status="completed",
            total__isnull=False,
            completed_at__isnull=False,
        )
        .order_by("-completed_at")
        .first()
    )
    if response is not None and response.completed_at is not None and response.total is not None:
        found.append((timezone.localdate(response.completed_at), int(response.total)))
    if not found:
        return None, None
    day, score = max(found)
    return score, day


def _review_due(agreement: OpioidAgreement | None) -> date | None:
    if agreement is None:
        return None
    base = agreement.last_reviewed_on or agreement.signed_on
    return date.fromordinal(base.toordinal() + agreement.review_interval_days)


def fingerprint(alert: Alert) -> str:
    """The alert's code and reasons: when the numbers behind it change, so does this."""
    payload = json.dumps({"code": alert.code, "reason": alert.reason}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class ShownAlert:
    alert: Alert
    fingerprint: str
    acknowledgement: AlertAcknowledgement | None


@dataclass(frozen=True)
class Stewardship:
    """Everything the medicines screen shows, computed once."""

    entries: list[MedicationEntry]
    summary: MMESummary
    alerts: list[ShownAlert]
    facts: PatientFacts

    @property
    def open_alerts(self) -> list[ShownAlert]:
        return [a for a in self.alerts if a.acknowledgement is None]

    @property
    def acknowledged_alerts(self) -> list[ShownAlert]:
        return [a for a in self.alerts if a.acknowledgement is not None]

    def line_for(self, entry: MedicationEntry) -> object | None:
        return next(
            (line for line in self.summary.lines if line.label == str(entry.external_id)), None
        )


def stewardship(patient: Patient, today: date | None = None) -> Stewardship:
    today = today or timezone.localdate()
    entries = list(active_entries(patient))
    summary = mme_of(entries)
    facts = patient_facts(patient, entries)
    alerts = evaluate(facts, [medication_of(e) for e in entries], summary, default_rules(), today)
    acks = {
        (a.code, a.fingerprint): a
        for a in patient.stewardship_acknowledgements.select_related("acknowledged_by")
    }
    shown = []
    for alert in alerts:
        mark = fingerprint(alert)
        shown.append(ShownAlert(alert, mark, acks.get((alert.code, mark))))
    return Stewardship(entries, summary, shown, facts)


@dataclass(frozen=True)
class TrendPoint:
    day: date
    total: Decimal
    incomplete: bool


def mme_trend(patient: Patient, today: date | None = None) -> list[TrendPoint]:
    """Total MME/day at each date the opioid list changed, up to today."""
    today = today or timezone.localdate()
    opioids = patient.medications.filter(drug_class="opioid").exclude(
        status=EntryStatus.ENTERED_IN_ERROR
    )
    days = sorted(
        {d for e in opioids for d in (e.start, e.stop) if d is not None and d <= today} | {today}
    )
    points = []
    for day in days:
        summary = mme_of(
            [
                e
                for e in opioids
                if (e.start is None or e.start <= day) and (e.stop is None or e.stop > day)
            ]
        )
        points.append(TrendPoint(day, summary.total, summary.incomplete))
    return points


def procedures_with_effect(patient: Patient) -> list[tuple[Procedure, Effect]]:
    rows = patient.procedures.exclude(status=ProcedureStatus.ENTERED_IN_ERROR).order_by(
        "-performed_on"
    )
    return [(p, classify(p.kind, p.relief_percent, p.relief_days)) for p in rows]


def active_taper(patient: Patient) -> TaperPlan | None:
    return (
        patient.taper_plans.filter(status="active")
        .select_related("medication")
        .prefetch_related("steps")
        .first()
    )
