"""API shapes, to map onto FHIR CarePlan, Goal and CareTeam later."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from waypoint.core.schemas import InputSchema


class ProgressOut(Schema):
    status: str
    percent_of_way: Decimal | None
    overdue: bool
    message: str


class GoalOut(Schema):
    id: UUID
    statement: str
    measure: str
    measure_code: str
    measure_part: str
    baseline: Decimal | None
    target: Decimal | None
    due_on: date
    status: str
    progress: ProgressOut


class StopRuleOut(Schema):
    fired: str
    reason: str


class InterventionOut(Schema):
    id: UUID
    kind: str
    description: str
    owner: str
    frequency: str
    starts_on: date
    review_on: date
    stop_rule: str
    stop_rule_result: StopRuleOut | None


class CarePlanOut(Schema):
    id: UUID
    episode: UUID
    status: str
    starts_on: date
    review_interval_days: int
    next_review_on: date
    review_overdue: bool
    summary: str
    patient_summary: str
    version: int
    goals: list[GoalOut]
    interventions: list[InterventionOut]


class GoalIn(InputSchema):
    version: int = Field(
        ge=1, le=2_147_483_647, description="The plan version you read; stale → 409."
    )
    statement: str = Field(min_length=1, max_length=300)
    measure: Literal["instrument", "performance", "mme", "gas"]
    measure_code: str = Field("", max_length=60)
    measure_part: str = Field("", max_length=40)
    baseline: Decimal | None = Field(None, ge=-100000, le=100000, max_digits=9, decimal_places=2)
    target: Decimal | None = Field(None, ge=-100000, le=100000, max_digits=9, decimal_places=2)
    due_on: date


class NoteIn(InputSchema):
    kind: Literal[
        "pain-medicine",
        "nursing",
        "psychology",
        "physiotherapy",
        "occupational-therapy",
        "dietetics",
        "social-work",
        "education",
        "other",
    ]
    subjective: str = Field("", max_length=10000)
    objective: str = Field("", max_length=10000)
    assessment: str = Field("", max_length=10000)
    plan: str = Field("", max_length=10000)
    sign: bool = False


class AddendumOut(Schema):
    text: str
    author: str = Field(alias="author.username")
    written_at: datetime


class NoteOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: str
    subjective: str
    objective: str
    assessment: str
    plan: str
    author: str = Field(alias="author.username")
    written_at: datetime
    signed_at: datetime | None
    addenda: list[AddendumOut]

    @staticmethod
    def resolve_addenda(obj: object) -> list[object]:
        return list(obj.addenda.all())  # type: ignore[attr-defined]


class InterventionIn(InputSchema):
    version: int = Field(ge=1, le=2_147_483_647)
    kind: Literal[
        "medication",
        "procedure",
        "physiotherapy",
        "occupational-therapy",
        "psychology-cbt",
        "psychology-act",
        "psychology-cft",
        "psychology-relaxation",
        "psychology-biofeedback",
        "psychology-mindfulness",
        "nursing-education",
        "dietetics",
        "school-liaison",
        "complementary",
    ]
    description: str = Field(min_length=1, max_length=300)
    owner_username: str = Field(min_length=1, max_length=150)
    frequency: str = Field(min_length=1, max_length=80)
    patient_instructions: str = Field("", max_length=300)
    starts_on: date
    review_on: date
    stop_rule: Literal["", "percent-change", "no-goal-improved", "procedure"] = ""
    stop_goal: UUID | None = None
    stop_percent: Decimal | None = Field(None, gt=0, le=100, max_digits=5, decimal_places=1)
    stop_after_days: int | None = Field(None, ge=1, le=3650)
    stop_after_reviews: int | None = Field(None, ge=1, le=100)


class GoalReviewOut(Schema):
    goal: str = Field(alias="goal.statement")
    status: str
    detail: str
    gas_rating: int | None


class DecisionOut(Schema):
    intervention: str = Field(alias="intervention.description")
    decision: str
    reason: str
    stop_rule_result: str
    stop_rule_detail: str


class ReviewOut(Schema):
    id: UUID = Field(alias="external_id")
    held_on: date
    summary: str
    next_review_on: date
    goals: list[GoalReviewOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_goals(obj: object) -> list[object]:
        return list(obj.goal_reviews.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_decisions(obj: object) -> list[object]:
        return list(obj.decisions.all())  # type: ignore[attr-defined]


class AgendaItemOut(Schema):
    patient: UUID = Field(alias="patient.external_id")
    patient_name: str = Field(alias="patient.full_name")
    reason: str
    detail: str
    decision: str


class MeetingOut(Schema):
    id: UUID = Field(alias="external_id")
    service: str = Field(alias="service.name")
    meets_on: date
    status: str
    minutes: str
    items: list[AgendaItemOut]

    @staticmethod
    def resolve_items(obj: object) -> list[object]:
        return list(obj.items.select_related("patient"))  # type: ignore[attr-defined]
