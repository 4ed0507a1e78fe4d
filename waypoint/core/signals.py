"""Sign-in events go to the audit log (a security record, not a business side effect)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from . import audit
from .audit import Actor, actor_from_request
from .choices import AuditAction
from .principals import ANONYMOUS


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.log(actor_from_request(request, user), AuditAction.LOGIN)


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.log(actor_from_request(request, user), AuditAction.LOGOUT)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    actor = Actor(
        user=None,
        principal=ANONYMOUS,
        client_address=request.META.get("REMOTE_ADDR") if request else None,
        path=request.path[:300] if request else "",
    )
    # The username tried is recorded; the password never is.
    audit.log(
        actor,
        AuditAction.LOGIN_FAILED,
        detail=f"username {str(credentials.get('username', ''))[:150]!r}",
    )
