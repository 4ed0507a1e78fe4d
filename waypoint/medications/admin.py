from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from waypoint.core.admin import NoDeleteAdmin

from .models import (
    AlertAcknowledgement,
    MedicationEntry,
    MonitoringCheck,
    OpioidAgreement,
    Procedure,
    RiskProfile,
    TaperPlan,
)


@admin.register(MedicationEntry)
class MedicationEntryAdmin(NoDeleteAdmin):
    list_display = ["patient", "ingredient", "drug_class", "frequency", "status", "start", "stop"]
    list_filter = ["drug_class", "status"]
    raw_id_fields = ["patient", "supersedes"]
    search_fields = ["ingredient", "patient__mrn"]


for model in (OpioidAgreement, MonitoringCheck, RiskProfile, Procedure, TaperPlan):
    admin.site.register(model, NoDeleteAdmin, raw_id_fields=["patient"])


@admin.register(AlertAcknowledgement)
class AlertAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["patient", "code", "acknowledged_by", "acknowledged_at"]
    raw_id_fields = ["patient"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
