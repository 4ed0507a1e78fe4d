"""Questionnaire responses, safety alerts, body pain maps and performance tests.

Nothing here is hard-deleted: a wrong record is marked ``entered-in-error``. Every model
keeps its history (django-simple-history). The scores are computed by the pure core
(``scoring.score``) when a response is completed and stored on the row, so that charts
and reports read them without re-scoring.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from waypoint.patients.models import EpisodeOfCare, Patient

from .choices import AlertStatus, PerformanceTestStatus, Respondent, ResponseStatus


class QuestionnaireResponse(models.Model):
    """One completion of one instrument: FHIR QuestionnaireResponse (plus its scores).

    ``answers`` maps the instrument's item codes to answer values (strings of the
    option value or number, as the pure core accepts them).
    """

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="questionnaire_responses"
    )
    episode = models.ForeignKey(
        EpisodeOfCare,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaire_responses",
    )
    instrument = models.CharField(max_length=40)
    instrument_version = models.CharField(max_length=20)
    measurement_point = models.CharField(max_length=40, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS
    )
    status_reason = models.CharField(max_length=300, blank=True)
    respondent = models.CharField(max_length=16, choices=Respondent.choices)
    on_paper = models.BooleanField(
        default=False, help_text="Entered by staff from a paper questionnaire."
    )
    school_days_missed = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="School days missed in the last 4 weeks (paediatric)."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Stored scores, for fast charts and reports (Decimal keeps 0.1-step T-scores exact).
    total = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=40, blank=True)
    band_label = models.CharField(max_length=100, blank=True)
    t_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    prorated = models.BooleanField(default=False)
    safety_items = models.JSONField(default=list, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-completed_at", "-started_at"]
        indexes = [
            models.Index(
                fields=["patient", "instrument", "status", "completed_at"],
                name="qr_patient_instrument",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.patient} ({self.get_status_display()})"

    @property
    def proxy(self) -> bool:
        return self.respondent == Respondent.PARENT_PROXY


class SafetyAlert(models.Model):
    """A safety signal in a response (e.g. PHQ-9 item 9 > 0): FHIR Flag.

    It stays open on the care team's home page until a clinician acknowledges it and
    says what was done.
    """

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_alerts")
    response = models.ForeignKey(
        QuestionnaireResponse, on_delete=models.PROTECT, related_name="alerts"
    )
    items = models.JSONField(default=list)
    message = models.CharField(max_length=500)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["status", "raised_at"], name="alert_status_raised")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(action_taken=""),
                name="alert_ack_needs_action",
                violation_error_message="Say what action was taken.",
            )
        ]

    def __str__(self) -> str:
        return f"Safety alert for {self.patient} ({self.get_status_display()})"


class BodyMap(models.Model):
    """Painful regions marked on front and back outlines: FHIR Observation (body sites)."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="body_maps")
    regions = models.JSONField(default=list)
    respondent = models.CharField(max_length=16, choices=Respondent.choices)
    status = models.CharField(
        max_length=20,
        choices=PerformanceTestStatus.choices,
        default=PerformanceTestStatus.FINAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Body map for {self.patient} ({len(self.regions)} regions)"


class PerformanceTest(models.Model):
    """One physical performance measurement (6-minute walk etc.): FHIR Observation."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="performance_tests")
    test = models.CharField(max_length=40)
    value = models.DecimalField(max_digits=8, decimal_places=2)
    unit = models.CharField(max_length=20)
    measured_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=20,
        choices=PerformanceTestStatus.choices,
        default=PerformanceTestStatus.FINAL,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-measured_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.test} {self.value} {self.unit}"
