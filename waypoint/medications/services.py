"""Operations that change the medication record: keyword-only, one transaction, access
checked (``patients.services.require_edit``), audit written. Nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, InvalidInput
from waypoint.patients.models import Patient
from waypoint.patients.services import require_edit

from . import formulary
from .amounts import DoseError, check_at_most
from .choices import AgreementStatus, EntryStatus, ProcedureStatus, TaperStatus
from .conversion import default_table, normalise_form, normalise_route
from .dose import check_dose
from .models import (
    AlertAcknowledgement,
    MedicationEntry,
    MonitoringCheck,
    OpioidAgreement,
    Procedure,
    Reconciliation,
    RiskProfile,
    TaperPlan,
    TaperStep,
)
from .queries import dose_of, stewardship
from .taper import taper_schedule

ENTRY_FIELDS = frozenset({
    "ingredient", "product", "form", "route", "strength", "strength_unit",
    "dose_per_administration",
    "dose_unit", "frequency", "indication", "prescriber", "prescribed_here", "start", "stop",
})  # fmt: skip
# The pure core names these; the form and API use the same names.
DOSE_FIELD_NAMES = {
    "ingredient",
    "route",
    "form",
    "strength",
    "strength_unit",
    "dose_per_administration",
    "dose_unit",
    "frequency",
    "patch_mcg_per_hr",
}


STALE_ENTRY = (
    "This medication was changed or stopped by someone else after you opened it. "
    "Nothing was saved: reload the list and make your change again."
)


def _validate(instance: models.Model) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc


def _log(actor: Actor, action: str, patient: Patient, target: Any, detail: str = "") -> None:
    audit.log(actor, action, patient_ref=patient.external_id, target=target, detail=detail)


def check_entry(entry: MedicationEntry) -> None:
    """Everything a medication line must satisfy, with errors naming the field."""
    errors: dict[str, list[str]] = {}
    unknown = formulary.unknown_ingredients(entry.ingredient)
    if unknown:
        errors["ingredient"] = [
            f"Unknown drug: {', '.join(unknown)}. Use the generic ingredient name from the list "
            "(e.g. 'oxycodone', 'codeine/acetaminophen')."
        ]
    if entry.start and entry.stop and entry.stop < entry.start:
        errors["stop"] = ["The stop date cannot be before the start date."]
    if entry.start and entry.start > timezone.localdate():
        errors["start"] = ["The start date cannot be in the future: record what is taken now."]
    if errors:
        raise InvalidInput(errors)
    try:
        table = default_table()
        checked = check_dose(dose_of(entry), table)
        # The core checks mg per administration only when it counts an opioid; a
        # 5000 mg tablet of anything is a slip, so check every entry here.
        mg, blame = checked.mg_per_administration()
        check_at_most(mg, table.max_mg_per_administration, blame, "mg")
    except DoseError as exc:
        field = (
            exc.field
            if exc.field in DOSE_FIELD_NAMES and exc.field != "patch_mcg_per_hr"
            else "strength"
        )
        raise InvalidInput({field: [str(exc).split(": ", 1)[-1].capitalize() + "."]}) from exc
    # Stored for display and filtering only (every 72 h = 0.333…/day); the MME is always
    # computed by the core from the frequency as written.
    entry.administrations_per_day = _stored(checked.per_day)
    entry.as_needed = checked.as_needed
    entry.max_per_day = _stored(checked.max_per_day)
    entry.drug_class = formulary.main_class(entry.ingredient, entry.route)
    _validate(entry)


def _stored(value: Decimal | None) -> Decimal | None:
    return value.quantize(Decimal("0.001")) if value is not None else None


def add_medication(*, actor: Actor, patient: Patient, fields: Mapping[str, Any]) -> MedicationEntry:
    require_edit(actor, patient)
    entry = MedicationEntry(patient=patient, recorded_by=actor.user)
    _assign(entry, fields)
    check_entry(entry)
    with transaction.atomic():
        entry.save()
        _log(actor, AuditAction.CREATE, patient, entry, f"added {entry}")
    return entry


def _assign(entry: MedicationEntry, fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - ENTRY_FIELDS)
    if unknown:
        raise InvalidInput({name: ["This field cannot be set here."] for name in unknown})
    for name, value in fields.items():
        setattr(entry, name, value.strip() if isinstance(value, str) else value)


def change_medication(
    *, actor: Actor, entry: MedicationEntry, fields: Mapping[str, Any], reason: str
) -> MedicationEntry:
    """Record a change as a new entry superseding ``entry``, which is stopped today.

    Refused (409) when ``entry`` is no longer active: someone changed it meanwhile.
    """
    require_edit(actor, entry.patient)
    if not MedicationEntry.objects.filter(pk=entry.pk, status=EntryStatus.ACTIVE).exists():
        raise Conflict(STALE_ENTRY)
    if not reason.strip():
        raise InvalidInput({"change_reason": ["Say why the medication changed."]})
    new = MedicationEntry(
        patient=entry.patient,
        recorded_by=actor.user,
        supersedes=entry,
        change_reason=reason.strip()[:300],
    )
    keep = {name: getattr(entry, name) for name in ENTRY_FIELDS}
    _assign(
        new, {**keep, **fields, "start": fields.get("start") or timezone.localdate(), "stop": None}
    )
    check_entry(new)
    with transaction.atomic():
        stopped = MedicationEntry.objects.filter(pk=entry.pk, status=EntryStatus.ACTIVE).update(
            status=EntryStatus.STOPPED, stop=new.start
        )
        if not stopped:
            raise Conflict(STALE_ENTRY)
        new.save()
        _log(actor, AuditAction.UPDATE, entry.patient, new, f"changed from {entry}: {reason[:200]}")
    return new


def stop_medication(
    *,
    actor: Actor,
    entry: MedicationEntry,
    reason: str,
    stop: date | None = None,
    entered_in_error: bool = False,
) -> MedicationEntry:
    require_edit(actor, entry.patient)
    if not reason.strip():
        raise InvalidInput({"change_reason": ["Say why the medication stopped."]})
    status = EntryStatus.ENTERED_IN_ERROR if entered_in_error else EntryStatus.STOPPED
    stop = stop or timezone.localdate()
    if entry.start and stop < entry.start:
        raise InvalidInput({"stop": ["The stop date cannot be before the start date."]})
    with transaction.atomic():
        done = MedicationEntry.objects.filter(pk=entry.pk, status=EntryStatus.ACTIVE).update(
            status=status, stop=stop, change_reason=reason.strip()[:300]
        )
        if not done:
            raise Conflict("This medication is no longer active: someone changed it meanwhile.")
        entry.refresh_from_db()
        _log(actor, AuditAction.DEACTIVATE, entry.patient, entry, f"{status}: {reason[:200]}")
    return entry


def reconcile(
    *, actor: Actor, patient: Patient, entry_ids: list[int], note: str = ""
) -> Reconciliation:
    """Confirm the list as reviewed. Refused if it changed since the reviewer loaded it."""
    require_edit(actor, patient)
    current = set(
        patient.medications.filter(status=EntryStatus.ACTIVE).values_list("pk", flat=True)
    )
    if current != set(entry_ids):
        raise Conflict(
            "The medication list changed while you were reviewing it. Reload and review again."
        )
    with transaction.atomic():
        record = Reconciliation.objects.create(
            patient=patient, reviewed_by=actor.user, note=note[:500]
        )
        record.entries.set(current)
        _log(actor, AuditAction.CREATE, patient, record, f"list of {len(current)} confirmed")
    return record


def record_check(
    *,
    actor: Actor,
    patient: Patient,
    kind: str,
    done_on: date,
    result: str = "",
    score: int | None = None,
) -> MonitoringCheck:
    require_edit(actor, patient)
    check = MonitoringCheck(
        patient=patient,
        kind=kind,
        done_on=done_on,
        result=result.strip(),
        score=score,
        recorded_by=actor.user,
    )
    errors: dict[str, list[str]] = {}
    if done_on > timezone.localdate():
        errors["done_on"] = ["A check cannot be recorded in the future."]
    if kind == "stop-bang" and score is None:
        errors["score"] = ["Give the STOP-Bang score (0-8)."]
    if errors:
        raise InvalidInput(errors)
    _validate(check)
    with transaction.atomic():
        check.save()
        _log(actor, AuditAction.CREATE, patient, check, check.get_kind_display())
    return check


def save_agreement(
    *,
    actor: Actor,
    patient: Patient,
    signed_on: date,
    functional_goals: str,
    review_interval_days: int = 90,
    last_reviewed_on: date | None = None,
    plan_goals: Sequence[Any] = (),
) -> OpioidAgreement:
    """A new agreement replaces the active one (which is ended, not deleted).

    ``plan_goals`` link it to goals of the patient's care plan, so the functional goals
    of opioid therapy are the plan's own, measured and reviewed there (CDC 2022 Rec. 2).
    """
    require_edit(actor, patient)
    if any(goal.plan.patient_id != patient.pk for goal in plan_goals):
        raise InvalidInput({"plan_goals": ["Choose goals from this patient's care plan."]})
    agreement = OpioidAgreement(
        patient=patient,
        signed_on=signed_on,
        functional_goals=functional_goals.strip(),
        review_interval_days=review_interval_days,
        last_reviewed_on=last_reviewed_on,
        recorded_by=actor.user,
    )
    if signed_on > timezone.localdate():
        raise InvalidInput({"signed_on": ["The signing date cannot be in the future."]})
    if last_reviewed_on and last_reviewed_on < signed_on:
        raise InvalidInput({"last_reviewed_on": ["A review cannot come before the signing."]})
    _validate(agreement)
    with transaction.atomic():
        patient.opioid_agreements.filter(status=AgreementStatus.ACTIVE).update(
            status=AgreementStatus.ENDED
        )
        agreement.save()
        agreement.plan_goals.set(plan_goals)
        _log(actor, AuditAction.CREATE, patient, agreement, "opioid agreement")
    return agreement


def save_risk_profile(*, actor: Actor, patient: Patient, fields: Mapping[str, bool]) -> RiskProfile:
    require_edit(actor, patient)
    with transaction.atomic():
        profile, _ = RiskProfile.objects.select_for_update().get_or_create(patient=patient)
        for name, value in fields.items():
            setattr(profile, name, bool(value))
        profile.version += 1
        profile.save()
        _log(actor, AuditAction.UPDATE, patient, profile, "opioid risk factors")
    return profile


def acknowledge_alert(
    *, actor: Actor, patient: Patient, code: str, fingerprint: str, note: str
) -> AlertAcknowledgement:
    """Acknowledge the alert as it stands now; a changed condition shows it again."""
    require_edit(actor, patient)
    if not note.strip():
        raise InvalidInput({"note": ["Say what you did or decided."]})
    current = {a.alert.code: a.fingerprint for a in stewardship(patient).alerts}
    if current.get(code) != fingerprint:
        raise Conflict(
            "This alert has changed or cleared since you opened the page. "
            "Reload to see it as it is now."
        )
    with transaction.atomic():
        ack = AlertAcknowledgement.objects.create(
            patient=patient,
            code=code,
            fingerprint=fingerprint,
            note=note.strip()[:500],
            acknowledged_by=actor.user,
        )
        _log(actor, AuditAction.CREATE, patient, ack, f"acknowledged {code}")
    return ack


def plan_taper(
    *,
    actor: Actor,
    entry: MedicationEntry,
    rate_percent: Decimal,
    interval_days: int,
    starts_on: date,
    floor_mg: Decimal = Decimal(0),
) -> TaperPlan:
    """Generate a step plan from the entry's current daily dose (editable afterwards)."""
    require_edit(actor, entry.patient)
    if entry.status != EntryStatus.ACTIVE:
        raise InvalidInput({"medication": ["Only an active medication can be tapered."]})
    checked = check_dose(dose_of(entry), default_table())
    per_day = checked.per_day or checked.max_per_day
    if checked.strength is None or per_day is None or checked.patch_rate is not None:
        raise InvalidInput(
            {"medication": ["A taper needs an oral dose in mg with a daily frequency."]}
        )
    per_admin = checked.per_admin or Decimal(1)
    daily_mg = (
        checked.strength * per_admin * per_day
        if checked.dose_unit == "unit"
        else per_admin * per_day
    )
    errors = {}
    if not Decimal(0) < rate_percent <= 50:
        errors["rate_percent"] = ["Choose a reduction of more than 0% and at most 50% a step."]
    if not 1 <= interval_days <= 90:
        errors["interval_days"] = ["Choose 1 to 90 days between steps."]
    if floor_mg < 0 or floor_mg >= daily_mg:
        errors["floor_mg"] = [f"The floor must be from 0 up to below today's {daily_mg} mg/day."]
    if errors:
        raise InvalidInput(errors)
    steps = taper_schedule(daily_mg, rate_percent, interval_days, starts_on, floor=floor_mg)
    factor = _factor(entry)
    with transaction.atomic():
        plan = TaperPlan.objects.create(
            patient=entry.patient,
            medication=entry,
            start_dose_mg=daily_mg,
            rate_percent=rate_percent,
            interval_days=interval_days,
            floor_mg=floor_mg,
            starts_on=starts_on,
            created_by=actor.user,
        )
        TaperStep.objects.bulk_create(
            [
                TaperStep(
                    plan=plan,
                    number=s.number,
                    starts_on=s.starts_on,
                    dose_mg=s.dose,
                    mme=(s.dose * factor) if factor is not None else None,
                    # CDC 2022 Rec. 5: follow up at least monthly while tapering.
                    review=s.number == 1 or (s.starts_on - starts_on).days % 28 < interval_days,
                )
                for s in steps
            ]
        )
        entry.patient.taper_plans.exclude(pk=plan.pk).filter(status=TaperStatus.ACTIVE).update(
            status=TaperStatus.STOPPED
        )
        _log(
            actor,
            AuditAction.CREATE,
            entry.patient,
            plan,
            f"{len(steps)} steps, {rate_percent}% every {interval_days} days",
        )
    return plan


def _factor(entry: MedicationEntry) -> Decimal | None:
    if entry.drug_class != "opioid":
        return None
    table = default_table()
    row = table.match(
        formulary.normalise(entry.ingredient),
        normalise_route(entry.route),
        normalise_form(entry.form),
    )
    return row.factor if not isinstance(row, str) else None


def edit_taper_step(
    *, actor: Actor, step: TaperStep, dose_mg: Decimal, starts_on: date
) -> TaperStep:
    plan = step.plan
    require_edit(actor, plan.patient)
    neighbours = {s.number: s for s in plan.steps.all()}
    errors: dict[str, list[str]] = {}
    if dose_mg < 0 or dose_mg > plan.start_dose_mg:
        errors["dose_mg"] = [
            f"A step's dose is from 0 to the starting {plan.start_dose_mg} mg/day."
        ]
    before, after = neighbours.get(step.number - 1), neighbours.get(step.number + 1)
    if (before and starts_on <= before.starts_on) or (after and starts_on >= after.starts_on):
        errors["starts_on"] = ["Steps must stay in date order."]
    if errors:
        raise InvalidInput(errors)
    factor = _factor(plan.medication)
    with transaction.atomic():
        step.dose_mg, step.starts_on = dose_mg, starts_on
        step.mme = dose_mg * factor if factor is not None else None
        step.save()
        _log(
            actor,
            AuditAction.UPDATE,
            plan.patient,
            plan,
            f"step {step.number}: {dose_mg} mg/day from {starts_on}",
        )
    return step


def record_procedure(*, actor: Actor, patient: Patient, fields: Mapping[str, Any]) -> Procedure:
    require_edit(actor, patient)
    procedure = Procedure(patient=patient, recorded_by=actor.user, **fields)
    errors: dict[str, list[str]] = {}
    if not procedure.consent_recorded:
        errors["consent_recorded"] = ["Record the patient's consent before the procedure."]
    if procedure.performed_on and procedure.performed_on > timezone.localdate():
        errors["performed_on"] = ["Record a procedure once it has been done."]
    if (
        procedure.followed_up_on
        and procedure.performed_on
        and procedure.followed_up_on < procedure.performed_on
    ):
        errors["followed_up_on"] = ["The follow-up cannot come before the procedure."]
    if errors:
        raise InvalidInput(errors)
    _validate(procedure)
    with transaction.atomic():
        procedure.save()
        _log(actor, AuditAction.CREATE, patient, procedure, procedure.get_kind_display())
    return procedure


def record_follow_up(
    *,
    actor: Actor,
    procedure: Procedure,
    expected_version: int,
    relief_percent: int,
    relief_days: int,
    pain_after: int | None,
    followed_up_on: date,
) -> Procedure:
    require_edit(actor, procedure.patient)
    if procedure.status == ProcedureStatus.ENTERED_IN_ERROR:
        raise InvalidInput({"procedure": ["This procedure was entered in error."]})
    if followed_up_on < procedure.performed_on:
        raise InvalidInput({"followed_up_on": ["The follow-up cannot come before the procedure."]})
    with transaction.atomic():
        claimed = Procedure.objects.filter(pk=procedure.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            raise Conflict(
                "Someone recorded a follow-up for this procedure after you opened it. "
                "Reload to see it."
            )
        procedure.version = expected_version + 1
        procedure.relief_percent, procedure.relief_days = relief_percent, relief_days
        procedure.pain_after, procedure.followed_up_on = pain_after, followed_up_on
        _validate(procedure)
        procedure.save()
        _log(actor, AuditAction.UPDATE, procedure.patient, procedure, "follow-up")
    return procedure
