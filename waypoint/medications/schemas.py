"""API shapes: MedicationIn / MedicationOut (→ FHIR MedicationStatement later), the MME
summary with one line per dose, stewardship alerts, procedures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from waypoint.core.schemas import InputSchema

FormCode = Literal[
    "tablet", "capsule", "liquid", "patch", "injection", "spray", "gel", "film", "other"
]
RouteCode = Literal[
    "oral",
    "transdermal",
    "topical",
    "sublingual",
    "buccal",
    "nasal",
    "subcutaneous",
    "intramuscular",
    "intravenous",
    "rectal",
]
StrengthUnitCode = Literal["mg", "mcg", "mg/ml", "mcg/ml", "mcg/hr"]
DoseUnitCode = Literal["unit", "mg", "mcg", "ml"]
Amount = Field(None, gt=0, le=100000, max_digits=10, decimal_places=3)


class MedicationIn(InputSchema):
    ingredient: str = Field(min_length=1, max_length=120, description="Generic ingredient name(s).")
    product: str = Field("", max_length=120)
    form: FormCode
    route: RouteCode
    strength: Decimal | None = Amount
    strength_unit: StrengthUnitCode | Literal[""] = ""
    dose_per_administration: Decimal | None = Amount
    dose_unit: DoseUnitCode = "unit"
    frequency: str = Field(
        min_length=1, max_length=60, description="e.g. 'bd', 'q4h prn max 6/day'."
    )
    indication: str = Field("", max_length=200)
    prescriber: str = Field("", max_length=120)
    prescribed_here: bool = False
    start: date | None = None


class MedicationChangeIn(MedicationIn):
    reason: str = Field(min_length=1, max_length=300)


class StopIn(InputSchema):
    reason: str = Field(min_length=1, max_length=300)
    stop: date | None = None
    entered_in_error: bool = False


class MedicationOut(Schema):
    id: UUID = Field(alias="external_id")
    ingredient: str
    product: str
    drug_class: str
    form: str
    route: str
    strength: Decimal | None
    strength_unit: str
    dose_per_administration: Decimal | None
    dose_unit: str
    frequency: str
    administrations_per_day: Decimal | None
    as_needed: bool
    max_per_day: Decimal | None
    indication: str
    prescriber: str
    prescribed_here: bool
    start: date | None
    stop: date | None
    status: str
    supersedes: UUID | None = Field(None, alias="supersedes.external_id")
    change_reason: str


class MMELineOut(Schema):
    medication: UUID = Field(alias="label")
    ingredient: str
    status: str
    daily_amount: Decimal | None
    amount_unit: str
    factor: Decimal | None
    mme: Decimal | None
    as_needed_max_used: bool
    message: str
    source: str


class IncompleteOut(Schema):
    code: str
    ingredient: str
    message: str


class MMESummaryOut(Schema):
    total: Decimal
    unit: str
    incomplete: bool
    message: str
    as_needed_max_used: bool
    lines: list[MMELineOut]
    reasons: list[IncompleteOut]


class AlertOut(Schema):
    code: str
    severity: str
    message: str
    source: str
    reason: dict[str, object]
    fingerprint: str
    acknowledged: bool
    acknowledgement_note: str | None = None


class AcknowledgeIn(InputSchema):
    code: str = Field(max_length=40)
    fingerprint: str = Field(max_length=64)
    note: str = Field(min_length=1, max_length=500)


ProcedureKindCode = Literal[
    "nerve-block",
    "medial-branch-block",
    "trigger-point-injection",
    "epidural-steroid-injection",
    "radiofrequency-denervation",
    "botulinum-toxin-injection",
    "lidocaine-infusion",
    "spinal-cord-stimulator-trial",
    "joint-injection",
    "other",
]


class ProcedureIn(InputSchema):
    kind: ProcedureKindCode
    detail: str = Field("", max_length=200)
    side: Literal["left", "right", "bilateral", "midline", "n/a"]
    level: str = Field("", max_length=60)
    performed_on: date
    performed_by: str = Field(min_length=1, max_length=120)
    consent_recorded: bool
    pain_before: int = Field(ge=0, le=10)
    pain_after: int | None = Field(None, ge=0, le=10)


class ProcedureOut(Schema):
    id: UUID = Field(alias="external_id")
    kind: str
    detail: str
    side: str
    level: str
    performed_on: date
    performed_by: str
    consent_recorded: bool
    pain_before: int
    pain_after: int | None
    relief_percent: int | None
    relief_days: int | None
    followed_up_on: date | None
    status: str
    version: int
    effect: str
    effect_reason: str
