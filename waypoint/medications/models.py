"""Medication list, opioid agreements and monitoring, alert acknowledgements, tapers
and interventional procedures.

Nothing here is overwritten or hard-deleted: a changed medication is a new entry that
supersedes the old one (with a reason), and mistakes are marked entered-in-error.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from waypoint.patients.models import Patient

from .choices import (
    AgreementStatus,
    CheckKind,
    DoseUnit,
    DrugClass,
    EntryStatus,
    Form,
    ProcedureKind,
    ProcedureStatus,
    Route,
    Side,
    StrengthUnit,
    TaperStatus,
)


class MedicationEntry(models.Model):
    """One medication as taken: FHIR MedicationStatement.

    A change of dose or frequency creates a new entry with ``supersedes`` pointing here
    and a ``change_reason``; this entry is then stopped. The list is the active entries.
    """

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="medications")
    ingredient = models.CharField(
        max_length=120,
        help_text="Generic ingredient(s), e.g. 'oxycodone' or 'codeine/acetaminophen'.",
    )
    product = models.CharField(max_length=120, blank=True, help_text="Brand or product, optional.")
    drug_class = models.CharField(max_length=20, choices=DrugClass.choices, editable=False)
    form = models.CharField(max_length=12, choices=Form.choices)
    route = models.CharField(max_length=16, choices=Route.choices)
    strength = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    strength_unit = models.CharField(max_length=8, choices=StrengthUnit.choices, blank=True)
    dose_per_administration = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, blank=True
    )
    dose_unit = models.CharField(max_length=8, choices=DoseUnit.choices, default=DoseUnit.UNIT)
    frequency = models.CharField(
        max_length=60,
        help_text="As written: 'bd', 'q4h', 'once daily', 'prn max 4/day', 'every 72 hours'.",
    )
    administrations_per_day = models.DecimalField(
        max_digits=10, decimal_places=3, null=True, editable=False
    )
    as_needed = models.BooleanField(default=False, editable=False)
    max_per_day = models.DecimalField(max_digits=10, decimal_places=3, null=True, editable=False)
    indication = models.CharField(max_length=200, blank=True)
    prescriber = models.CharField(max_length=120, blank=True)
    prescribed_here = models.BooleanField(default=False, help_text="Prescribed by this clinic.")
    start = models.DateField(null=True, blank=True)
    stop = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=EntryStatus.choices, default=EntryStatus.ACTIVE
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    change_reason = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["drug_class", "ingredient", "-recorded_at"]
        indexes = [models.Index(fields=["patient", "status"], name="medication_patient_status")]
        verbose_name_plural = "medication entries"

    def __str__(self) -> str:
        return (
            f"{self.ingredient} {self.strength or ''}{self.strength_unit} {self.frequency}".strip()
        )


class Reconciliation(models.Model):
    """A review confirmed the medication list as it stood (who, when, what it held)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="reconciliations")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)
    entries = models.ManyToManyField(MedicationEntry, related_name="reconciliations")
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"Reconciled {self.reviewed_at:%Y-%m-%d}"


class RiskProfile(models.Model):
    """Facts the stewardship rules need that no other record holds."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="opioid_risk")
    history_of_overdose = models.BooleanField(default=False)
    substance_use_disorder = models.BooleanField(default=False)
    sleep_disordered_breathing = models.BooleanField(default=False)
    active_cancer = models.BooleanField(
        default=False, help_text="Cancer-related pain: out of scope of the rules."
    )
    sickle_cell_disease = models.BooleanField(default=False)
    palliative_care = models.BooleanField(
        default=False, help_text="Palliative or end-of-life care."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Opioid risk factors of {self.patient}"


class OpioidAgreement(models.Model):
    """An opioid treatment agreement and its review: FHIR Consent / CarePlan, loosely."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="opioid_agreements")
    signed_on = models.DateField()
    review_interval_days = models.PositiveSmallIntegerField(
        default=90, validators=[MinValueValidator(7), MaxValueValidator(365)]
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    functional_goals = models.TextField(help_text="What the medicine should help the patient do.")
    plan_goals = models.ManyToManyField(
        "careplans.Goal",
        blank=True,
        related_name="opioid_agreements",
        help_text="The care plan's goals this treatment should serve (reviewed with the plan).",
    )
    status = models.CharField(
        max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on"]

    def __str__(self) -> str:
        return f"Opioid agreement {self.signed_on}"


class MonitoringCheck(models.Model):
    """One monitoring step done: a PDMP check, a urine drug screen, naloxone offered…"""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="monitoring_checks")
    kind = models.CharField(max_length=24, choices=CheckKind.choices)
    done_on = models.DateField()
    result = models.CharField(max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(8)], help_text="STOP-Bang score (0-8)."
    )
    entered_in_error = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-done_on"]
        indexes = [
            models.Index(fields=["patient", "kind", "done_on"], name="monitoring_patient_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.done_on}"


class AlertAcknowledgement(models.Model):
    """A clinician saw a stewardship alert and said what they did.

    ``fingerprint`` captures the alert's reasons (the numbers behind it): when they
    change, the acknowledgement no longer matches and the alert shows again.
    """

    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="stewardship_acknowledgements"
    )
    code = models.CharField(max_length=40)
    fingerprint = models.CharField(max_length=64)
    note = models.CharField(max_length=500)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-acknowledged_at"]
        indexes = [models.Index(fields=["patient", "code", "fingerprint"], name="ack_patient_code")]

    def __str__(self) -> str:
        return f"{self.code} acknowledged"


class TaperPlan(models.Model):
    """A planned reduction (or titration) of one opioid, step by step (CDC 2022 Rec. 5)."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="taper_plans")
    medication = models.ForeignKey(
        MedicationEntry, on_delete=models.PROTECT, related_name="taper_plans"
    )
    start_dose_mg = models.DecimalField(
        max_digits=10, decimal_places=3, help_text="Daily dose at the start, mg/day."
    )
    rate_percent = models.DecimalField(max_digits=5, decimal_places=2)
    interval_days = models.PositiveSmallIntegerField()
    floor_mg = models.DecimalField(max_digits=10, decimal_places=3, default=0)
    starts_on = models.DateField()
    review_note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=12, choices=TaperStatus.choices, default=TaperStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Taper of {self.medication.ingredient} from {self.starts_on}"


class TaperStep(models.Model):
    plan = models.ForeignKey(TaperPlan, on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    dose_mg = models.DecimalField(
        max_digits=10, decimal_places=3, help_text="Daily dose from this date, mg/day."
    )
    mme = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    review = models.BooleanField(
        default=False, help_text="A review point (follow up at least monthly)."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="taper_step_unique")]

    def __str__(self) -> str:
        return f"Step {self.number}: {self.dose_mg} mg/day from {self.starts_on}"


class Procedure(models.Model):
    """An interventional procedure and what it did: FHIR Procedure."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="procedures")
    kind = models.CharField(max_length=32, choices=ProcedureKind.choices)
    detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. 'L4/5 medial branches', 'greater occipital nerve'.",
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    level = models.CharField(max_length=60, blank=True)
    performed_on = models.DateField()
    performed_by = models.CharField(max_length=120)
    consent_recorded = models.BooleanField()
    pain_before = models.PositiveSmallIntegerField(validators=[MaxValueValidator(10)])
    pain_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    relief_percent = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text="Relief reported at follow-up, %.",
    )
    relief_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(3650)],
        help_text="How long the relief lasted, days.",
    )
    followed_up_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ProcedureStatus.choices, default=ProcedureStatus.COMPLETED
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-performed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.performed_on}"
