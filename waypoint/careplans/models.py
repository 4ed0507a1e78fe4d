"""One plan per episode: problems, measurable goals, interventions by discipline with
stop rules, reviews with decisions, and signed clinical notes with addenda.

The plan carries a ``version`` bumped by every change to it or its goals and
interventions, so two people editing the same plan cannot overwrite each other (409).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from waypoint.core.models import StaffProfile
from waypoint.patients.models import EpisodeOfCare, Patient

from .choices import (
    AgendaReason,
    AttendeeKind,
    Decision,
    GoalStatus,
    InterventionKind,
    InterventionStatus,
    LetterKind,
    MeasureKind,
    MeetingStatus,
    NoteKind,
    PlanStatus,
    ProblemCategory,
    StopRuleKind,
)


class CarePlan(models.Model):
    """FHIR CarePlan for one episode of care."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.OneToOneField(
        EpisodeOfCare, on_delete=models.PROTECT, related_name="care_plan"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    starts_on = models.DateField()
    review_interval_days = models.PositiveSmallIntegerField(
        default=21,
        validators=[MinValueValidator(7), MaxValueValidator(180)],
        help_text="Typically every 2 to 4 weeks until stable.",
    )
    summary = models.TextField(blank=True, help_text="The plan in a few sentences, for the team.")
    patient_summary = models.TextField(
        blank=True,
        help_text="The plan in plain words for the patient and family (shown in the portal).",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Care plan for {self.patient} ({self.episode.service})"


class Problem(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="problems")
    category = models.CharField(max_length=16, choices=ProblemCategory.choices)
    description = models.CharField(max_length=300)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "pk"]

    def __str__(self) -> str:
        return self.description


class Goal(models.Model):
    """FHIR Goal: a plain-language statement with a measure, baseline, target and date."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="goals")
    statement = models.CharField(
        max_length=300, help_text="e.g. 'Walk 20 minutes without a flare within 6 weeks'."
    )
    measure = models.CharField(max_length=16, choices=MeasureKind.choices)
    measure_code = models.CharField(
        max_length=60,
        blank=True,
        help_text="The questionnaire (e.g. 'peg') or performance test measured.",
    )
    measure_part = models.CharField(
        max_length=40, blank=True, help_text="A subscale, if not the total."
    )
    baseline = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.statement


class Intervention(models.Model):
    """What the team does, by discipline, with an owner and an optional stop rule."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(max_length=24, choices=InterventionKind.choices)
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(StaffProfile, on_delete=models.PROTECT, related_name="interventions")
    frequency = models.CharField(
        max_length=80, help_text="e.g. 'weekly group, 3 hours', 'daily home exercises'."
    )
    patient_instructions = models.CharField(
        max_length=300, blank=True, help_text="What the patient does this week, in plain words."
    )
    starts_on = models.DateField()
    review_on = models.DateField()
    stop_rule = models.CharField(max_length=20, choices=StopRuleKind.choices, blank=True)
    stop_goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a percent-change rule: the goal whose measure is judged.",
    )
    stop_percent = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    stop_after_days = models.PositiveSmallIntegerField(null=True, blank=True)
    stop_after_reviews = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.ACTIVE
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class Review(models.Model):
    """A plan review: progress per goal, stop rules that fired, a decision per intervention."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(blank=True)
    next_review_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Review {self.held_on}"


class GoalReview(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="goal_reviews")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(max_length=16)  # progress.Status, computed at the review
    detail = models.CharField(max_length=300)
    gas_rating = models.SmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(-2), MaxValueValidator(2)]
    )
    note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.goal}: {self.status}"


class InterventionDecision(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="decisions")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="decisions"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=300)
    stop_rule_result = models.CharField(max_length=16, blank=True)
    stop_rule_detail = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.intervention}: {self.decision}"


class ClinicalNote(models.Model):
    """A structured note (SOAP) by discipline; once signed, changed only by addendum."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="clinical_notes")
    episode = models.ForeignKey(
        EpisodeOfCare, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=24, choices=NoteKind.choices)
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    entered_in_error = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} note {self.written_at:%Y-%m-%d}"


class Addendum(models.Model):
    note = models.ForeignKey(ClinicalNote, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written_at"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.written_at:%Y-%m-%d}"


class TeamMeeting(models.Model):
    """A service's team meeting: agenda built from the record, attendance, minutes."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        "core.Service", on_delete=models.PROTECT, related_name="team_meetings"
    )
    meets_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    minutes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meets_on"]

    def __str__(self) -> str:
        return f"{self.service} team meeting {self.meets_on}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(TeamMeeting, on_delete=models.PROTECT, related_name="items")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=16, choices=AgendaReason.choices)
    detail = models.CharField(max_length=300, blank=True)
    discussion = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    note = models.OneToOneField(
        ClinicalNote, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "patient", "reason"], name="agenda_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient}: {self.get_reason_display()}"


class Attendee(models.Model):
    meeting = models.ForeignKey(TeamMeeting, on_delete=models.PROTECT, related_name="attendees")
    kind = models.CharField(max_length=8, choices=AttendeeKind.choices)
    staff = models.ForeignKey(
        StaffProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=120, blank=True, help_text="For a patient or family member.")
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return self.name or str(self.staff)


class PlanLetterTemplate(models.Model):
    """An editable care-plan letter: Django template syntax over ``letters.FIELDS``."""

    clinic = models.ForeignKey(
        "core.Clinic", on_delete=models.PROTECT, related_name="plan_letter_templates"
    )
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "kind"], name="plan_letter_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.clinic}: {self.get_kind_display()}"


class PlanLetter(models.Model):
    """A letter as sent: the filled text is kept, whatever the template becomes."""

    external_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    addressed_to = models.CharField(max_length=200)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
