"""Write the audit log: who did what to which patient's record, when, from where.

Services call ``log`` for writes; views and API handlers call it for reads through
``patients.queries.get_visible_patient``. The log is append-only (see ``AuditEvent``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.http import HttpRequest

from .access import Principal
from .choices import AuditAction
from .models import AuditEvent
from .principals import principal_for


@dataclass(frozen=True)
class Actor:
    """Who is acting, as services and the audit log need it."""

    user: Any
    principal: Principal
    client_address: str | None = None
    path: str = ""

    @property
    def authenticated_user(self) -> Any:
        """The signed-in user behind this actor, or None (system and anonymous actors)."""
        return self.user if getattr(self.user, "is_authenticated", False) else None

    @property
    def role(self) -> str:
        return self.principal.role.value if self.principal.role else ""


def mark_history_user(instance: Any, actor: Actor) -> None:
    """Record ``actor``'s user as the author of ``instance``'s next history row.

    simple-history finds the user of a browser request itself; token-authenticated API
    calls and commands carry no session user, so services say who acted.
    """
    instance._history_user = actor.authenticated_user


def client_address(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (README)."""
    return request.META.get("REMOTE_ADDR") or None


def actor_from_request(request: HttpRequest, user: Any = None) -> Actor:
    user = user if user is not None else request.user
    return Actor(
        user=user,
        principal=principal_for(user),
        client_address=client_address(request),
        path=request.path[:300],
    )


def system_actor(user: Any = None, *, path: str = "command-line") -> Actor:
    """For management commands and background jobs."""
    return Actor(user=user, principal=principal_for(user), path=path)


def log(
    actor: Actor,
    action: AuditAction | str,
    *,
    patient_ref: UUID | None = None,
    target: Any = None,
    detail: str = "",
) -> AuditEvent:
    user = actor.user if getattr(actor.user, "is_authenticated", False) else None
    object_type = ""
    object_ref = ""
    if target is not None:
        object_type = target._meta.label
        object_ref = str(getattr(target, "external_id", None) or target.pk)
    return AuditEvent.objects.create(
        clinic_id=actor.principal.clinic_id,
        user=user,
        username=user.get_username() if user is not None else "",
        role=actor.role,
        action=action,
        patient_ref=patient_ref,
        object_type=object_type,
        object_ref=object_ref,
        client_address=actor.client_address,
        path=actor.path,
        detail=detail[:500],
    )
