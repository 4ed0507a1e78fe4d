from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from waypoint.core.admin import NoDeleteAdmin

from .models import CarePlan, ClinicalNote, Goal, Intervention, Review

for model in (CarePlan, Goal, Intervention, ClinicalNote):
    admin.site.register(model, NoDeleteAdmin)


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["plan", "held_on", "next_review_on", "recorded_by"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
