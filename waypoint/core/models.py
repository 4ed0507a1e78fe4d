"""The clinic, its services and staff, the audit log and integration tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from .choices import AuditAction, Discipline, ServiceKind, ServiceSetting, StaffRole


class Clinic(models.Model):
    """A pain service's organisation: FHIR Organization."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    require_staff_second_factor = models.BooleanField(
        default=False,
        help_text="Staff must set up and use a TOTP authenticator to sign in.",
    )

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """One service of the clinic (FHIR HealthcareService), e.g. the adult programme."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=ServiceKind.choices)
    setting = models.CharField(
        max_length=16, choices=ServiceSetting.choices, default=ServiceSetting.OUTPATIENT
    )
    age_min = models.PositiveSmallIntegerField(null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Inclusive: 18 means up to the day before 19."
    )
    target_wait_days = models.PositiveSmallIntegerField(default=126)
    settings = models.JSONField(
        default=dict, blank=True, help_text="Service-specific settings, e.g. minimum pain months."
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="service_name_unique_in_clinic")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValidationError({"age_max": "The upper age must not be below the lower age."})


class StaffProfile(models.Model):
    """A member of staff (FHIR PractitionerRole): role, discipline and services."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(max_length=16, choices=StaffRole.choices)
    discipline = models.CharField(max_length=32, choices=Discipline.choices, blank=True)
    services = models.ManyToManyField(Service, related_name="staff", blank=True)
    title = models.CharField(max_length=40, blank=True, help_text="e.g. Dr, Prof")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = self.user.get_full_name() or self.user.get_username()
        return f"{self.title} {name}".strip()

    def clean(self) -> None:
        if self.role == StaffRole.CLINICIAN and not self.discipline:
            raise ValidationError({"discipline": "A clinician needs a discipline."})


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit entry."""


class AuditEvent(models.Model):
    """One read or write of patient data, or a security event. Append-only.

    The patient is referenced by its public UUID, not a foreign key, so that the core
    app does not depend on the patients app and no deletion can cascade into the log.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.PROTECT)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    patient_ref = models.UUIDField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_ref = models.CharField(max_length=64, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["user", "at"], name="audit_user_at"),
            models.Index(fields=["patient_ref", "at"], name="audit_patient_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for an integration. Only its hash is stored."""

    PREFIX = "wp_"

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def mint(cls, *, user: Any, name: str, created_by: Any = None) -> tuple[ApiToken, str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=_hash_token(raw),
            hint=raw[: len(cls.PREFIX) + 6],
            created_by=created_by,
        )
        return token, raw

    @classmethod
    def find_active(cls, raw: str) -> ApiToken | None:
        return (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
