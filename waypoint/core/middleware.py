"""Request-wide security: a Content-Security-Policy and the staff second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from .models import Clinic
from .principals import principal_for

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """No inline script or style anywhere: templates load everything from /static/."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.setdefault("Content-Security-Policy", CSP)
        return response


def second_factor_state(user: object) -> str:
    """'ok', 'verify' (has a device, not yet used this session) or 'setup' (required)."""
    principal = principal_for(user)
    if not principal.is_staff_member:
        return "ok"
    if user_has_device(user, confirmed=True):
        return "ok" if getattr(user, "is_verified", lambda: False)() else "verify"
    required = Clinic.objects.filter(
        pk=principal.staff_clinic_id, require_staff_second_factor=True
    ).exists()
    return "setup" if required else "ok"


class StaffSecondFactorMiddleware:
    """Staff who have a TOTP device, or whose clinic requires one, must use it.

    Runs after django-otp's middleware, which marks the user verified for the session.
    Token-authenticated API calls never carry a session user, so they pass untouched.
    """

    EXEMPT_PREFIXES = ("/account/", "/logout/", "/login/", "/static/", "/healthz/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(self.EXEMPT_PREFIXES):
            state = second_factor_state(user)
            if state != "ok":
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {
                            "detail": "Confirm your second factor in the web app first.",
                            "code": "second-factor-required",
                        },
                        status=403,
                    )
                target = "second-factor-verify" if state == "verify" else "second-factor-setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
