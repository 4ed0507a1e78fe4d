"""Admin: triage rules (every version kept) and letter templates.

A rule set is never changed: "Add" starts from the newest version's document, and
saving stores the next version after ``parse_rules`` has accepted it.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from waypoint.core.errors import InvalidInput

from . import services
from .letters import LETTER_FIELDS
from .models import LetterTemplate, RuleSet
from .rules import RulesError, parse_rules


class RuleSetForm(forms.ModelForm):
    class Meta:
        model = RuleSet
        fields = ["clinic", "document", "note"]

    def clean_document(self) -> Any:
        document = self.cleaned_data["document"]
        try:
            parse_rules(document)
        except RulesError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return document


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ["clinic", "number", "rules_version", "note", "created_at", "created_by"]
    list_filter = ["clinic"]

    @admin.display(description="Rules version")
    def rules_version(self, obj: RuleSet) -> str:
        return str(obj.document.get("version", ""))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        latest = RuleSet.objects.order_by("-created_at").first()
        if latest is None:
            return {}
        return {"clinic": latest.clinic_id, "document": json.dumps(latest.document, indent=2)}

    def save_model(self, request: HttpRequest, obj: RuleSet, form: Any, change: bool) -> None:
        try:
            saved = services.save_rule_set(
                clinic=obj.clinic, document=obj.document, note=obj.note, user=request.user
            )
        except InvalidInput as exc:  # validated by the form already; keep the contract
            raise forms.ValidationError(exc.detail) from exc
        obj.pk, obj.number = saved.pk, saved.number


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["clinic", "kind", "subject", "body"]
        help_texts = {
            "body": "Django template syntax. Fields: "
            + "; ".join(f"{{{{ {k} }}}} {v}" for k, v in LETTER_FIELDS.items())
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("subject", "body"):
            try:
                services.check_letter_template(data.get(name, ""), name)
            except InvalidInput as exc:
                self.add_error(name, exc.fields[name][0])
        return data


@admin.register(LetterTemplate)
class LetterTemplateAdmin(SimpleHistoryAdmin):
    form = LetterTemplateForm
    list_display = ["clinic", "kind", "subject"]
    list_filter = ["clinic", "kind"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
