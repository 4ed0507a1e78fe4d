"""Every TextChoices of the core app, in one place."""

from django.db import models


class ServiceKind(models.TextChoices):
    ADULT_PROGRAMME = "adult-programme", "Adult outpatient pain management programme"
    PAEDIATRIC_INTENSIVE = (
        "paediatric-intensive",
        "Paediatric intensive interdisciplinary pain programme",
    )
    NEUROIRRITABILITY = "neuroirritability", "Neuroirritability clinic"
    INTERVENTIONAL = "interventional", "Interventional pain clinic"


class ServiceSetting(models.TextChoices):
    """How a paediatric intensive programme is delivered (others are outpatient)."""

    OUTPATIENT = "outpatient", "Outpatient"
    DAY = "day", "Day treatment"
    INPATIENT = "inpatient", "Inpatient"
    VIRTUAL = "virtual", "Virtual or in person"


class StaffRole(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    NURSE = "nurse", "Nurse"
    COORDINATOR = "coordinator", "Coordinator"
    CLINIC_LEAD = "clinic-lead", "Clinic lead"
    ADMIN = "admin", "Administrator"


class Discipline(models.TextChoices):
    PAIN_PHYSICIAN = "pain-physician", "Pain physician"
    NURSE_PRACTITIONER = "nurse-practitioner", "Nurse practitioner"
    NURSE = "nurse", "Nurse"
    PSYCHOLOGIST = "psychologist", "Psychologist"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    OCCUPATIONAL_THERAPIST = "occupational-therapist", "Occupational therapist"
    DIETICIAN = "dietician", "Dietician"
    SOCIAL_WORKER = "social-worker", "Social worker"
    RECREATIONAL_THERAPIST = "recreational-therapist", "Recreational / child-life therapist"
    TEACHER = "teacher", "Teacher"
    COORDINATOR = "coordinator", "Coordinator"


class AuditAction(models.TextChoices):
    READ = "read", "Read"
    LIST = "list", "List / search"
    CREATE = "create", "Create"
    UPDATE = "update", "Update"
    DEACTIVATE = "deactivate", "Deactivate"
    DENIED = "denied", "Access denied"
    CONFLICT = "conflict", "Edit refused (stale version)"
    LOGIN = "login", "Sign in"
    LOGIN_FAILED = "login-failed", "Failed sign in"
    LOGOUT = "logout", "Sign out"
    TOKEN = "token", "API token"
