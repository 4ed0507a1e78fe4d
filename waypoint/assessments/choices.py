"""Every TextChoices of the assessments app, in one place (FHIR value sets where one exists)."""

from django.db import models


class ResponseStatus(models.TextChoices):
    """FHIR QuestionnaireResponse.status (the subset we use)."""

    IN_PROGRESS = "in-progress", "In progress"
    COMPLETED = "completed", "Completed"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class Respondent(models.TextChoices):
    """Who answered: the instrument files use the same codes."""

    SELF = "self", "Patient (self-report)"
    PARENT_PROXY = "parent-proxy", "Parent or guardian (proxy)"
    CLINICIAN = "clinician", "Clinician-rated"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class PerformanceTestStatus(models.TextChoices):
    FINAL = "final", "Final"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"
