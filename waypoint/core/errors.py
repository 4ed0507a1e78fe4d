"""Errors that services raise and both the UI and the API turn into answers.

Every error has a machine-readable ``code`` and an HTTP ``status`` (Saleor's habit);
the API renders them as ``{"detail": ..., "code": ...}``. NotFound and Forbidden are
also Django's Http404 and PermissionDenied, so HTML views need no translation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


class WaypointError(Exception):
    status = 400
    code = "bad-request"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class NotFound(WaypointError, Http404):
    """Absent, or present but not for this user: the two must look the same."""

    status = 404
    code = "not-found"


class Forbidden(WaypointError, PermissionDenied):
    """The user may see the record but not do this to it."""

    status = 403
    code = "forbidden"


class Conflict(WaypointError):
    """An edit was based on a version that someone else has changed since."""

    status = 409
    code = "conflict"


class InvalidInput(WaypointError):
    """Validation failed; ``fields`` maps each field to its messages."""

    status = 422
    code = "invalid"

    def __init__(self, fields: dict[str, list[str]], *, detail: str | None = None) -> None:
        message = detail or "; ".join(
            f"{name}: {' '.join(msgs)}" if name != "__all__" else " ".join(msgs)
            for name, msgs in fields.items()
        )
        super().__init__(message)
        self.fields = fields
