from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, AuditEvent, Clinic, Service, StaffProfile


class NoDeleteAdmin(SimpleHistoryAdmin):
    """For clinical records, which are never hard-deleted: mark them inactive, stopped or
    entered-in-error instead. Every app's admin of clinical models uses this."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "require_staff_second_factor"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "clinic", "kind", "setting", "age_min", "age_max", "active"]
    list_filter = ["clinic", "kind", "active"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "discipline", "clinic"]
    list_filter = ["clinic", "role", "discipline"]
    filter_horizontal = ["services"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "at",
        "username",
        "role",
        "action",
        "object_type",
        "patient_ref",
        "client_address",
    ]
    list_filter = ["action", "role"]
    search_fields = ["username", "patient_ref", "object_ref"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_hash", "hint", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Tokens are minted on the Tokens page, which shows the secret once.
        return False
