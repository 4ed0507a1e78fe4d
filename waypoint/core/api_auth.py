"""API authentication: the browser's session (with CSRF) or an integration's bearer token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from .models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=5)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = ApiToken.find_active(token[:200])
        if found is None:
            return None
        now = timezone.now()
        # Record use, but not on every call: one write per token per few minutes.
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        # From here on the request acts as the token's user, so access and audit are
        # decided exactly as for that user in the browser.
        request.user = found.user
        return found.user


API_AUTH = [BearerToken(), django_auth]
