"""Build the access rules' ``Principal`` for a Django user, once per request."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from .access import GuardianGrant, Principal, Role

ANONYMOUS = Principal(user_id=None, role=None)
_CACHE_ATTR = "_waypoint_principal"


def principal_for(user: Any) -> Principal:
    """The user's role and reach. Cached on the user object for the request.

    The patient and guardian records are reached through their reverse relations
    (``patient_record``, ``guardian``), so core needs no import of the patients app.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached: Principal | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    principal = _build(user)
    setattr(user, _CACHE_ATTR, principal)
    return principal


def _related(user: Any, name: str) -> Any:
    try:
        return getattr(user, name)
    except ObjectDoesNotExist:
        return None


def _build(user: Any) -> Principal:
    profile = _related(user, "staff_profile")
    if profile is not None:
        return Principal(
            user_id=user.pk,
            role=Role(profile.role),
            clinic_id=profile.clinic_id,
            service_ids=frozenset(profile.services.values_list("pk", flat=True)),
        )
    patient = _related(user, "patient_record")
    if patient is not None:
        return Principal(
            user_id=user.pk, role=Role.PATIENT, clinic_id=patient.clinic_id, patient_id=patient.pk
        )
    guardian = _related(user, "guardian")
    if guardian is not None:
        grants = tuple(
            GuardianGrant(patient_id=patient_id, renewed_until=renewed_until)
            for patient_id, renewed_until in guardian.links.filter(status="active").values_list(
                "patient_id", "renewed_until"
            )
        )
        return Principal(user_id=user.pk, role=Role.GUARDIAN, guardian_grants=grants)
    return Principal(user_id=user.pk, role=None)
