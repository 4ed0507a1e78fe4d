"""Every TextChoices of the patients app, in one place (FHIR value sets where one exists)."""

from django.db import models


class Sex(models.TextChoices):
    """FHIR AdministrativeGender."""

    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class RecordStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class EpisodeStatus(models.TextChoices):
    """FHIR EpisodeOfCare.status (less waitlist, which the referrals app keeps)."""

    PLANNED = "planned", "Planned"
    ACTIVE = "active", "Active"
    ON_HOLD = "onhold", "On hold"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class GuardianRelationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT = "parent", "Parent"
    LEGAL_GUARDIAN = "guardian", "Legal guardian"
    CARER = "carer", "Carer"
    OTHER = "other", "Other"


class LinkStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class CareTeamRole(models.TextChoices):
    LEAD_CLINICIAN = "lead-clinician", "Lead clinician"
    KEY_WORKER = "key-worker", "Key worker"
    MEMBER = "member", "Team member"
