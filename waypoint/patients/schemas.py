"""API shapes in families: ...In (create), ...Patch (partial update), ...Out (read)."""

from __future__ import annotations

from datetime import date
from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from waypoint.core.schemas import InputSchema

from .models import Patient

SexCode = Literal["female", "male", "other", "unknown"]
EpisodeStatusCode = Literal[
    "planned", "active", "onhold", "finished", "cancelled", "entered-in-error"
]
RelationshipCode = Literal["mother", "father", "parent", "guardian", "carer", "other"]
CareTeamRoleCode = Literal["lead-clinician", "key-worker", "member"]
Text100 = Field(max_length=100)


class PatientOut(Schema):
    id: UUID = Field(alias="external_id")
    mrn: str
    given_name: str
    family_name: str
    preferred_name: str
    birth_date: date
    age: int
    sex: str
    phone: str
    email: str
    address: str
    preferred_language: str
    interpreter_needed: bool
    school_or_work: str
    medical_complexity: bool
    status: str
    status_reason: str
    version: int

    @staticmethod
    def resolve_age(obj: Patient) -> int:
        return obj.age()


class PatientFields(InputSchema):
    preferred_name: str = Field("", max_length=100)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=1000)
    preferred_language: str = Field("English", max_length=40)
    interpreter_needed: bool = False
    school_or_work: str = Field("", max_length=200)
    medical_complexity: bool = False


class PatientIn(PatientFields):
    service: UUID = Field(description="The service of the first (planned) episode.")
    episode_reason: str = Field("", max_length=300)
    mrn: str = Field(max_length=20)
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    birth_date: date
    sex: SexCode


class PatientPatch(InputSchema):
    version: int = Field(
        ge=1, le=2_147_483_647, description="The version you read; a stale one → 409."
    )
    mrn: str | None = Field(None, max_length=20)
    given_name: str | None = Field(None, min_length=1, max_length=100)
    family_name: str | None = Field(None, min_length=1, max_length=100)
    preferred_name: str | None = Field(None, max_length=100)
    birth_date: date | None = None
    sex: SexCode | None = None
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=1000)
    preferred_language: str | None = Field(None, max_length=40)
    interpreter_needed: bool | None = None
    school_or_work: str | None = Field(None, max_length=200)
    medical_complexity: bool | None = None


class StatusIn(InputSchema):
    version: int = Field(ge=1, le=2_147_483_647)
    status: Literal["active", "inactive", "entered-in-error"]
    reason: str = Field("", max_length=300)


class ServiceOut(Schema):
    id: UUID = Field(alias="external_id")
    name: str
    kind: str
    setting: str
    age_min: int | None
    age_max: int | None


class CareTeamMemberOut(Schema):
    id: UUID = Field(alias="external_id")
    staff_name: str = Field(alias="staff.display_name")
    discipline: str = Field(alias="staff.discipline")
    role: str
    start: date
    end: date | None


class EpisodeOut(Schema):
    id: UUID = Field(alias="external_id")
    patient: UUID = Field(alias="patient.external_id")
    service: ServiceOut
    status: str
    start: date | None
    end: date | None
    reason: str
    status_reason: str
    version: int


class EpisodeIn(InputSchema):
    service: UUID
    reason: str = Field("", max_length=300)
    start: date | None = None


class EpisodePatch(InputSchema):
    version: int = Field(ge=1, le=2_147_483_647)
    status: EpisodeStatusCode
    start: date | None = None
    end: date | None = None
    status_reason: str = Field("", max_length=300)


class CareTeamMemberIn(InputSchema):
    staff_username: str = Field(max_length=150)
    role: CareTeamRoleCode = "member"


class GuardianOut(Schema):
    id: UUID = Field(alias="guardian.external_id")
    link_id: UUID = Field(alias="external_id")
    given_name: str = Field(alias="guardian.given_name")
    family_name: str = Field(alias="guardian.family_name")
    phone: str = Field(alias="guardian.phone")
    email: str = Field(alias="guardian.email")
    relationship: str
    renewed_until: date | None
    status: str


class GuardianIn(InputSchema):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    relationship: RelationshipCode
    renewed_until: date | None = None


class GuardianLinkPatch(InputSchema):
    status: Literal["active", "ended", "entered-in-error"]
    renewed_until: date | None = None
