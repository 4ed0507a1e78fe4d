from __future__ import annotations

from typing import Any, Generic, TypeVar

from ninja import Field, Schema
from pydantic import field_validator

T = TypeVar("T")


class InputSchema(Schema):
    """Base of every request body and query schema.

    Refuses NUL characters in any text field, naming the field: PostgreSQL cannot store
    them, and no clinical text needs them (SQLite would store them silently; both
    databases must answer the same 422).
    """

    @field_validator("*", mode="after")
    @classmethod
    def refuse_nul_characters(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("Text must not contain NUL (\\x00) characters.")
        return value


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] | None = None


class Page(Schema, Generic[T]):
    count: int
    limit: int
    offset: int
    items: list[T]


def limit_field(default: int = 50) -> int:
    return Field(default, ge=1, le=200, description="Page size, 1 to 200.")


def offset_field() -> int:
    return Field(0, ge=0, le=1_000_000, description="Rows to skip, at most 1,000,000.")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
