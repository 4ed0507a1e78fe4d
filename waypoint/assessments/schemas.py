"""API shapes in families: ...In (create), ...Out (read)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Schema

from waypoint.core.schemas import InputSchema, limit_field, offset_field

from .models import QuestionnaireResponse

RespondentCode = Literal["self", "parent-proxy", "clinician"]
MAX_ANSWERS = 200


class InstrumentOut(Schema):
    code: str
    name: str
    short_name: str
    version: str
    status: str
    respondent: str
    items: int
    age_min: int | None
    age_max: int | None
    loinc_panel: str | None
    licence: str
    licence_url: str | None
    licence_requires_permission: bool


class InstrumentQuery(InputSchema):
    limit: int = limit_field()
    offset: int = offset_field()


class ScoreQuery(InputSchema):
    instrument: str = Field("", max_length=40, description="Only this instrument's scores.")
    limit: int = limit_field()
    offset: int = offset_field()


class ResponseIn(InputSchema):
    instrument: str = Field(max_length=40, description="Instrument code, e.g. phq9.")
    answers: dict[str, Any] = Field(
        description="Item code -> answer value (the option's value, or a number in range).",
        max_length=MAX_ANSWERS,
    )
    measurement_point: str = Field("", max_length=40)
    respondent: RespondentCode | None = Field(
        None, description="Staff only: who answered (portal users answer as themselves)."
    )
    on_paper: bool = False
    school_days_missed: int | None = Field(None, ge=0, le=28)


class AlertOut(Schema):
    id: UUID
    status: str
    items: list[str]
    message: str


class ScoreOut(Schema):
    id: UUID
    patient: UUID
    instrument: str
    instrument_version: str
    measurement_point: str
    status: str
    respondent: str
    on_paper: bool
    completed_at: datetime | None
    total: float | None
    subscales: dict[str, float]
    band: str
    band_label: str
    t_score: float | None
    prorated: bool
    safety_items: list[str]


class ResponseOut(ScoreOut):
    answers: dict[str, str]
    school_days_missed: int | None
    alerts: list[AlertOut]


def score_out(response: QuestionnaireResponse) -> dict[str, Any]:
    return {
        "id": response.external_id,
        "patient": response.patient.external_id,
        "instrument": response.instrument,
        "instrument_version": response.instrument_version,
        "measurement_point": response.measurement_point,
        "status": response.status,
        "respondent": response.respondent,
        "on_paper": response.on_paper,
        "completed_at": response.completed_at,
        "total": float(response.total) if response.total is not None else None,
        "subscales": {k: float(v) for k, v in (response.subscales or {}).items()},
        "band": response.band,
        "band_label": response.band_label,
        "t_score": float(response.t_score) if response.t_score is not None else None,
        "prorated": response.prorated,
        "safety_items": list(response.safety_items or []),
    }


def response_out(response: QuestionnaireResponse) -> dict[str, Any]:
    return {
        **score_out(response),
        "answers": {k: str(v) for k, v in (response.answers or {}).items()},
        "school_days_missed": response.school_days_missed,
        "alerts": [
            {"id": a.external_id, "status": a.status, "items": a.items, "message": a.message}
            for a in response.alerts.all()
        ],
    }
