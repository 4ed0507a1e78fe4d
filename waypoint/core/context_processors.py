from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .access import can_manage_api_tokens, can_view_audit_log
from .extensions import nav_items
from .principals import principal_for


def principal(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's role, for menus that show only what they may use."""
    p = principal_for(getattr(request, "user", None))
    return {
        "principal": p,
        "nav_audit": can_view_audit_log(p),
        "nav_tokens": can_manage_api_tokens(p),
        "nav_extra": nav_items(p),
    }
