from __future__ import annotations

from django.contrib import admin

from waypoint.core.admin import NoDeleteAdmin

from .models import CareTeamMember, EpisodeOfCare, Guardian, GuardianLink, Patient


@admin.register(Patient)
class PatientAdmin(NoDeleteAdmin):
    list_display = ["family_name", "given_name", "mrn", "birth_date", "status", "clinic"]
    list_filter = ["clinic", "status"]
    search_fields = ["mrn", "search_name"]
    readonly_fields = ["version"]


@admin.register(Guardian)
class GuardianAdmin(NoDeleteAdmin):
    list_display = ["family_name", "given_name", "phone", "email"]
    search_fields = ["family_name", "given_name"]


@admin.register(GuardianLink)
class GuardianLinkAdmin(NoDeleteAdmin):
    list_display = ["guardian", "patient", "relationship", "status", "renewed_until"]
    list_filter = ["status"]
    raw_id_fields = ["guardian", "patient"]


@admin.register(EpisodeOfCare)
class EpisodeAdmin(NoDeleteAdmin):
    list_display = ["patient", "service", "status", "start", "end"]
    list_filter = ["service", "status"]
    raw_id_fields = ["patient"]
    readonly_fields = ["version"]


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(NoDeleteAdmin):
    list_display = ["episode", "staff", "role", "start", "end"]
    raw_id_fields = ["episode"]
