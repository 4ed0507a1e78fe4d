from __future__ import annotations

from typing import Generic, TypeVar

from ninja import Field, Schema

T = TypeVar("T")


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
