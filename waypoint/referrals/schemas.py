"""API shapes in families: ReferralIn (create), ReferralOut (read), DecisionIn/Out, ..."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from waypoint.core.schemas import InputSchema

from .models import MAX_PAIN_MONTHS, Referral, WaitingListEntry

SourceCode = Literal["gp", "hospital-specialist", "internal-team", "self"]
SexCode = Literal["female", "male", "other", "unknown"]
FlagCode = Literal["present", "absent", "unknown"]
OutcomeCode = Literal["accept", "request-information", "redirect", "decline", "urgent-review"]
PriorityCode = Literal["urgent", "soon", "routine"]
DuplicateCode = Literal["", "same", "different"]


class ReferralIn(InputSchema):
    service: UUID = Field(description="The service asked for (GET /services).")
    received_on: date | None = Field(None, description="Defaults to today.")
    source: SourceCode
    referrer_name: str = Field(min_length=1, max_length=200)
    referrer_organisation: str = Field("", max_length=200)
    referrer_contact: str = Field("", max_length=300)
    referrer_is_physician: bool | None = None
    mrn: str = Field("", max_length=20, description="Matches an existing patient if known.")
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    sex: SexCode = "unknown"
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=1000)
    reason: str = Field(min_length=1, max_length=5000)
    pain_sites: str = Field(min_length=1, max_length=300)
    pain_duration_months: Decimal = Field(ge=0, le=MAX_PAIN_MONTHS, max_digits=6, decimal_places=1)
    diagnosis: str = Field(max_length=48, description="A diagnosis category code.")
    previous_treatments: str = Field("", max_length=5000)
    current_medicines: str = Field("", max_length=5000)
    funding: str = Field("", max_length=300)
    requested_procedure: str = Field("", max_length=200)
    pain_is_primary: bool | None = None
    biomedical_intervention_unhelpful: bool | None = None
    functional_disability: bool | None = None
    outpatient_mdt_tried: bool | None = None
    medical_complexity: bool | None = None
    neurological_impairment: bool | None = None
    recurrent_pain_behaviours: bool | None = None
    self_management_activated: bool | None = None
    red_flags: dict[str, FlagCode] = Field(default_factory=dict, max_length=50)
    disclosures: dict[str, bool] = Field(default_factory=dict, max_length=50)
    duplicate_choice: DuplicateCode = Field(
        "", description="Answer to a 'possible duplicate' 422: same or different."
    )
    duplicate_of: UUID | None = Field(None, description="The existing patient, when 'same'.")


class ServiceRef(Schema):
    id: UUID = Field(alias="external_id")
    name: str


class ReferralOut(Schema):
    id: UUID = Field(alias="external_id")
    status: str
    service: ServiceRef
    received_on: date
    source: str
    referrer_name: str
    referrer_organisation: str
    patient: UUID | None
    given_name: str
    family_name: str
    birth_date: date
    reason: str
    pain_sites: str
    pain_duration_months: float
    diagnosis: str
    urgent: bool
    duplicate_choice: str
    version: int

    @staticmethod
    def resolve_patient(obj: Referral) -> UUID | None:
        return obj.patient.external_id if obj.patient else None

    @staticmethod
    def resolve_pain_duration_months(obj: Referral) -> float:
        return float(obj.pain_duration_months)


class CodeLabel(Schema):
    code: str
    label: str


class ReasonOut(Schema):
    code: str
    outcome: str
    message: str


class EligibilityOut(Schema):
    kind: str
    label: str
    eligible: bool | None
    reasons: list[ReasonOut]


class ScreeningOut(Schema):
    urgent: bool
    red_flags_present: list[CodeLabel]
    red_flags_unknown: list[CodeLabel]
    missing_disclosures: list[CodeLabel]
    eligibility: list[EligibilityOut]
    rules_version: str
    rule_set: int


class DecisionIn(InputSchema):
    version: int = Field(ge=1, le=2_147_483_647, description="The referral version you read.")
    outcome: OutcomeCode
    reason: str = Field("", max_length=5000)
    service: UUID | None = Field(None, description="Accept into / redirect to.")
    priority: PriorityCode | Literal[""] = ""
    redirect_to: str = Field("", max_length=200)
    missing_items: list[str] = Field(default_factory=list, max_length=30)


class DecisionOut(Schema):
    id: UUID = Field(alias="external_id")
    outcome: str
    service: ServiceRef | None
    redirect_to: str
    priority: str
    reason: str
    missing_items: list[str]
    decided_at: datetime
    decided_by: str = Field(alias="decided_by_name")


class WaitingEntryOut(Schema):
    id: UUID = Field(alias="external_id")
    referral: UUID
    patient: UUID
    patient_name: str
    service: ServiceRef
    priority: str
    waiting_since: date
    days_waiting: int
    target_wait_days: int
    target_date: date
    breached: bool
    expected_start: date | None
    status: str

    @staticmethod
    def resolve_referral(obj: WaitingListEntry) -> UUID:
        return obj.referral.external_id

    @staticmethod
    def resolve_patient(obj: WaitingListEntry) -> UUID:
        return obj.patient.external_id

    @staticmethod
    def resolve_patient_name(obj: WaitingListEntry) -> str:
        return obj.patient.full_name

    @staticmethod
    def resolve_days_waiting(obj: WaitingListEntry) -> int:
        return obj.days_waiting()

    @staticmethod
    def resolve_breached(obj: WaitingListEntry) -> bool:
        return obj.breached()


class AttachmentOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    content_type: str
    size: int
    uploaded_at: datetime


class RemoveIn(InputSchema):
    reason: str = Field(min_length=1, max_length=300)


def as_fields(payload: ReferralIn) -> dict[str, Any]:
    data = payload.dict()
    for name in ("service", "duplicate_choice", "duplicate_of"):
        data.pop(name)
    if data["received_on"] is None:
        data.pop("received_on")
    return data
