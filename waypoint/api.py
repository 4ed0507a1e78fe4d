"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json).

Every error is ``{"detail": ..., "code": ...}`` with the right status; validation errors
also carry ``fields``, naming each field with its messages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from waypoint.assessments.api import router as assessments_router
from waypoint.careplans.api import router as careplans_router
from waypoint.core.api_auth import API_AUTH
from waypoint.core.errors import InvalidInput, WaypointError
from waypoint.medications.api import router as medications_router
from waypoint.patients.api import router as patients_router
from waypoint.referrals.api import router as referrals_router

api = NinjaAPI(
    title="Waypoint API",
    version="1",
    description="The shared record of an interdisciplinary chronic pain service. "
    "Authenticate with the browser session or `Authorization: Bearer <token>`.",
    auth=API_AUTH,
    urls_namespace="api-v1",
)
api.add_router("/", patients_router)
api.add_router("/", referrals_router)
api.add_router("/", assessments_router)
api.add_router("/", medications_router)
api.add_router("/", careplans_router)


def _error(request: HttpRequest, status: int, detail: str, code: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "code": code, **extra}, status=status)


@api.exception_handler(WaypointError)
def on_waypoint_error(request: HttpRequest, exc: WaypointError) -> HttpResponse:
    extra = {"fields": exc.fields} if isinstance(exc, InvalidInput) else {}
    return _error(request, exc.status, exc.detail, exc.code, **extra)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is like ("body", "payload", "birth_date") or ("query", "limit").
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "payload", "query", "path")
        ]
        fields.setdefault(".".join(location) or "__all__", []).append(
            str(error.get("msg", "invalid"))
        )
    detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
    return _error(request, 422, detail, "invalid", fields=fields)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "Sign in, or send a valid bearer token.", "unauthenticated")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.", "not-found")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), "error")
