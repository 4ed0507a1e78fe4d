"""Every TextChoices of the careplans app, in one place."""

from django.db import models


class PlanStatus(models.TextChoices):
    """FHIR CarePlan.status (subset)."""

    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class ProblemCategory(models.TextChoices):
    PAIN = "pain", "Pain condition"
    FUNCTION = "function", "Functional limitation"
    PSYCHOSOCIAL = "psychosocial", "Psychosocial factor"
    SLEEP = "sleep", "Sleep"
    OTHER = "other", "Other"


class MeasureKind(models.TextChoices):
    INSTRUMENT = "instrument", "Questionnaire score"
    PERFORMANCE = "performance", "Performance test"
    MME = "mme", "Opioid dose (MME/day)"
    GAS = "gas", "Goal Attainment Scaling (−2 to +2)"


class GoalStatus(models.TextChoices):
    """FHIR Goal.lifecycleStatus (subset)."""

    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    CANCELLED = "cancelled", "Cancelled"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class InterventionKind(models.TextChoices):
    MEDICATION = "medication", "Medication"
    PROCEDURE = "procedure", "Interventional procedure"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    OCCUPATIONAL_THERAPY = "occupational-therapy", "Occupational therapy"
    CBT = "psychology-cbt", "Psychology: CBT"
    ACT = "psychology-act", "Psychology: ACT"
    CFT = "psychology-cft", "Psychology: compassion-focused therapy"
    RELAXATION = "psychology-relaxation", "Psychology: relaxation"
    BIOFEEDBACK = "psychology-biofeedback", "Psychology: biofeedback"
    MINDFULNESS = "psychology-mindfulness", "Psychology: mindfulness"
    NURSING_EDUCATION = "nursing-education", "Nursing education"
    DIETETICS = "dietetics", "Dietetics"
    SCHOOL_LIAISON = "school-liaison", "School liaison"
    COMPLEMENTARY = "complementary", "Complementary therapy"


class InterventionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    STOPPED = "stopped", "Stopped"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class StopRuleKind(models.TextChoices):
    NONE = "", "No stop rule"
    PERCENT_CHANGE = "percent-change", "Stop if a measure has not improved enough"
    NO_GOAL_IMPROVED = "no-goal-improved", "Stop if no goal improved after N reviews"
    PROCEDURE = "procedure", "Stop if the last procedure did not help"


class Decision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    CHANGE = "change", "Change"
    STOP = "stop", "Stop"


class NoteKind(models.TextChoices):
    PAIN_MEDICINE = "pain-medicine", "Pain medicine"
    NURSING = "nursing", "Nursing"
    PSYCHOLOGY = "psychology", "Psychology"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    OCCUPATIONAL_THERAPY = "occupational-therapy", "Occupational therapy"
    DIETETICS = "dietetics", "Dietetics"
    SOCIAL_WORK = "social-work", "Social work"
    EDUCATION = "education", "Education / school"
    OTHER = "other", "Other"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AgendaReason(models.TextChoices):
    REVIEW_DUE = "review-due", "Plan review due"
    SAFETY_ALERT = "safety-alert", "New safety alert"
    ADMISSION = "admission", "Planned admission / start"
    DISCHARGE = "discharge", "Planned discharge"
    ADDED = "added", "Added by the team"


class AttendeeKind(models.TextChoices):
    STAFF = "staff", "Staff"
    PATIENT = "patient", "Patient"
    FAMILY = "family", "Family / carer"


class LetterKind(models.TextChoices):
    PLAN_SUMMARY = "plan-summary", "Plan summary for the patient and family"
    REFERRER_UPDATE = "referrer-update", "Update to the referrer"
    SCHOOL = "school", "School letter"
