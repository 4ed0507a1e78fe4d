"""Referrals, their triage decisions, the waiting list, letters and versioned rules.

Nothing here is hard-deleted. A referral keeps its history (simple-history) and a
``version`` so that saving over someone else's change is refused; decisions and
rule sets are append-only rows (a new decision or rule version, never an edit).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from waypoint.core.models import Clinic, Service
from waypoint.patients.choices import Sex
from waypoint.patients.models import (
    EpisodeOfCare,
    Patient,
    mrn_validator,
    phone_validator,
    validate_birth_date,
)

from .choices import (
    DuplicateChoice,
    EntryStatus,
    LetterKind,
    Outcome,
    Priority,
    ReferralStatus,
    Source,
)

MAX_PAIN_MONTHS = 1200  # a century: beyond it the number is a typo


class RuleSet(models.Model):
    """One version of a clinic's triage rules: a JSON document validated by
    ``rules.parse_rules``. Rows are never changed; editing makes a new version."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="rule_sets")
    number = models.PositiveIntegerField(editable=False)
    document = models.JSONField(help_text="Triage rules, format 1 (docs/referrals.md).")
    note = models.CharField(max_length=300, blank=True, help_text="What changed and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["clinic", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="ruleset_number_unique")
        ]
        verbose_name = "triage rule set"

    def __str__(self) -> str:
        return f"{self.clinic} rules v{self.number} ({self.document.get('version', '?')})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A rule set is never changed: save a new version instead.")
        super().save(*args, **kwargs)


class Referral(models.Model):
    """A request for care from a referrer: FHIR ServiceRequest."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="Service asked for",
    )
    status = models.CharField(
        max_length=24, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED
    )
    received_on = models.DateField(default=timezone.localdate)
    source = models.CharField(max_length=24, choices=Source.choices)
    referrer_name = models.CharField(max_length=200)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(
        max_length=300, blank=True, help_text="Address, phone or secure email for letters."
    )
    referrer_is_physician = models.BooleanField(null=True, blank=True)
    # The patient: linked to an existing record, or the details to register on acceptance.
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )
    duplicate_choice = models.CharField(
        max_length=12, choices=DuplicateChoice.choices, blank=True, default=""
    )
    identity_checked_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the patient match was last made: a coordinator's 'different' covers the "
        "records that existed then.",
    )
    mrn = models.CharField("MRN", max_length=20, blank=True, validators=[mrn_validator])
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    birth_date = models.DateField("Date of birth", validators=[validate_birth_date])
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    address = models.TextField(blank=True)
    # The clinical picture.
    reason = models.TextField("Reason for referral")
    pain_sites = models.CharField(max_length=300)
    pain_duration_months = models.DecimalField(
        "Pain duration (months)",
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PAIN_MONTHS)],
    )
    diagnosis = models.CharField("Diagnosis category", max_length=48)
    previous_treatments = models.TextField("Previous treatments and interventions", blank=True)
    current_medicines = models.TextField(blank=True)
    funding = models.CharField("Funding / insurance", max_length=300, blank=True)
    requested_procedure = models.CharField(max_length=200, blank=True)
    pain_is_primary = models.BooleanField(null=True, blank=True)
    biomedical_intervention_unhelpful = models.BooleanField(null=True, blank=True)
    functional_disability = models.BooleanField(null=True, blank=True)
    outpatient_mdt_tried = models.BooleanField(null=True, blank=True)
    medical_complexity = models.BooleanField(null=True, blank=True)
    neurological_impairment = models.BooleanField(null=True, blank=True)
    recurrent_pain_behaviours = models.BooleanField(null=True, blank=True)
    self_management_activated = models.BooleanField(null=True, blank=True)
    red_flags = models.JSONField(
        default=dict, blank=True, help_text="code → present/absent/unknown"
    )
    disclosures = models.JSONField(default=dict, blank=True, help_text="code → true when given")
    # The screening as last computed, and the rules that made it.
    urgent = models.BooleanField(default=False, editable=False)
    screening = models.JSONField(default=dict, editable=False)
    rule_set = models.ForeignKey(
        RuleSet, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-urgent", "received_on", "id"]
        indexes = [
            models.Index(fields=["clinic", "status"], name="referral_clinic_status"),
            models.Index(fields=["service", "status"], name="referral_service_status"),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.patient_name} to {self.service} ({self.received_on})"

    @property
    def patient_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_open(self) -> bool:
        return self.status in (
            ReferralStatus.RECEIVED,
            ReferralStatus.INFORMATION_REQUESTED,
            ReferralStatus.URGENT_REVIEW,
        )

    def clean(self) -> None:
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": "The referral date cannot be in the future."})
        if self.birth_date and self.received_on and self.birth_date > self.received_on:
            raise ValidationError({"birth_date": "The date of birth is after the referral date."})


class Attachment(models.Model):
    """A referral letter, imaging or clinic report. Stored in the database so that it is
    saved (or not) in the same transaction as the referral, and backed up with it."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A triage decision on a referral. Append-only: revisiting adds a new row."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=24, choices=Outcome.choices)
    service = models.ForeignKey(
        Service,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Accepted into, or redirected to.",
    )
    redirect_to = models.CharField(
        max_length=200, blank=True, help_text="An outside team or organisation."
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    reason = models.TextField(blank=True)
    missing_items = models.JSONField(default=list, blank=True)
    decided_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.get_outcome_display()} by {self.decided_by_name} ({self.decided_at:%Y-%m-%d})"
        )


class WaitingListEntry(models.Model):
    """A patient accepted into a service and waiting to start."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="waiting_list_entries"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="waiting_list")
    episode = models.ForeignKey(EpisodeOfCare, on_delete=models.PROTECT, related_name="+")
    priority = models.CharField(max_length=8, choices=Priority.choices, default=Priority.ROUTINE)
    waiting_since = models.DateField(help_text="The day the referral was received.")
    target_wait_days = models.PositiveSmallIntegerField(help_text="The service's target, then.")
    target_date = models.DateField(help_text="Waiting beyond this day breaches the target.")
    expected_start = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=8, choices=EntryStatus.choices, default=EntryStatus.WAITING
    )
    removed_reason = models.CharField(max_length=300, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["waiting_since", "id"]
        indexes = [models.Index(fields=["service", "status"], name="waiting_service_status")]
        verbose_name_plural = "waiting list entries"

    def __str__(self) -> str:
        return f"{self.patient} waiting for {self.service}"

    def days_waiting(self, today: date | None = None) -> int:
        return ((today or timezone.localdate()) - self.waiting_since).days

    def breached(self, today: date | None = None) -> bool:
        return (today or timezone.localdate()) > self.target_date


class LetterTemplate(models.Model):
    """An editable letter: Django template syntax over the fields in docs/referrals.md."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="letter_templates")
    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "kind"], name="letter_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clinic}: {self.get_kind_display()}"


class Letter(models.Model):
    """A letter as it was written: the filled text is kept, whatever the template becomes."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=24, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject
