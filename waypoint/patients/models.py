"""Patients, guardians, episodes of care and care teams.

Nothing here is hard-deleted: records change status (inactive / entered-in-error).
Every model keeps its history (django-simple-history), and the ones edited in forms
carry a ``version`` so that saving over someone else's change is refused.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from waypoint.core.models import Clinic, Service, StaffProfile

from .choices import (
    CareTeamRole,
    EpisodeStatus,
    GuardianRelationship,
    LinkStatus,
    RecordStatus,
    Sex,
)
from .rules import age_on

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,19}$",
    "Enter a phone number of 6 to 20 digits; spaces, brackets, dashes and a leading + are allowed.",
)
mrn_validator = RegexValidator(
    r"^[A-Za-z0-9\-]{3,20}$", "An MRN is 3 to 20 letters, digits or dashes."
)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def search_key(text: str) -> str:
    """Lower-case, accent-free, single-spaced: what name search compares against."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", plain).strip().casefold()


def validate_birth_date(value: date) -> None:
    if value > timezone.localdate():
        raise ValidationError("The date of birth cannot be in the future.")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError("The date of birth must be after 1900.")


class Patient(models.Model):
    """A person receiving care: FHIR Patient."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=20, validators=[mrn_validator])
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField("Date of birth", validators=[validate_birth_date])
    sex = models.CharField(max_length=8, choices=Sex.choices)
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    preferred_language = models.CharField(max_length=40, default="English")
    interpreter_needed = models.BooleanField(default=False)
    school_or_work = models.CharField(
        "School or work", max_length=200, blank=True, help_text="School and year, or occupation."
    )
    medical_complexity = models.BooleanField(
        default=False, help_text="Child with medical complexity or neurological impairment."
    )
    status = models.CharField(
        max_length=16, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    status_reason = models.CharField(max_length=300, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patient_record",
    )
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "mrn"],
                name="patient_mrn_unique_in_clinic",
                violation_error_message="Another patient in this clinic already has this MRN.",
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "birth_date"], name="patient_clinic_dob"),
            models.Index(fields=["clinic", "search_name"], name="patient_clinic_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Family name first so that "smi" finds Smith and "smith jo" finds Jo Smith.
        self.search_name = search_key(f"{self.family_name} {self.given_name} {self.preferred_name}")
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.birth_date, on or timezone.localdate())

    def validate_constraints(self, exclude: Any = None) -> None:
        # The MRN constraint spans clinic and MRN; the person to tell is whoever typed the MRN.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = dict(exc.message_dict)
            errors["mrn"] = errors.get("mrn", []) + errors.pop("__all__", [])
            raise ValidationError(errors) from None


class Guardian(models.Model):
    """A parent or carer who may act for a child: FHIR RelatedPerson."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guardian",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"


class GuardianLink(models.Model):
    """A guardian's proxy access to one child. Ends at 18 unless renewed."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    guardian = models.ForeignKey(Guardian, on_delete=models.PROTECT, related_name="links")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="guardian_links")
    relationship = models.CharField(max_length=16, choices=GuardianRelationship.choices)
    renewed_until = models.DateField(
        null=True,
        blank=True,
        help_text="Proxy access after the 18th birthday lasts until this date (inclusive).",
    )
    status = models.CharField(max_length=16, choices=LinkStatus.choices, default=LinkStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["guardian", "patient"],
                condition=Q(status="active"),
                name="guardian_link_unique_active",
                violation_error_message="This guardian is already linked to this patient.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.guardian} → {self.patient} ({self.relationship})"


class EpisodeOfCare(models.Model):
    """A patient's time in one service: FHIR EpisodeOfCare."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="episodes")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="episodes")
    status = models.CharField(
        max_length=16, choices=EpisodeStatus.choices, default=EpisodeStatus.PLANNED
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True, help_text="Why the episode exists.")
    status_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-created_at"]
        indexes = [models.Index(fields=["service", "status"], name="episode_service_status")]
        verbose_name = "episode of care"
        verbose_name_plural = "episodes of care"

    def __str__(self) -> str:
        return f"{self.patient} in {self.service} ({self.get_status_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = "The end date cannot be before the start date."
        if self.status == EpisodeStatus.FINISHED and not self.end:
            errors["end"] = "A finished episode needs an end date."
        begun = (EpisodeStatus.ACTIVE, EpisodeStatus.ON_HOLD, EpisodeStatus.FINISHED)
        if self.status in begun and not self.start:
            errors["start"] = "An episode that has begun needs a start date."
        if errors:
            raise ValidationError(errors)


class CareTeamMember(models.Model):
    """A member of staff on an episode's care team: FHIR CareTeam.participant."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(EpisodeOfCare, on_delete=models.PROTECT, related_name="care_team")
    staff = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="care_teams")
    role = models.CharField(max_length=16, choices=CareTeamRole.choices, default="member")
    start = models.DateField(default=timezone.localdate)
    end = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "staff"],
                condition=Q(end__isnull=True),
                name="care_team_member_unique_current",
                violation_error_message="This person is already on the care team.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.get_role_display()})"

    @property
    def current(self) -> bool:
        return self.end is None
