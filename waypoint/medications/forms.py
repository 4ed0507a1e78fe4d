"""Forms for the medicines screen. Services validate again and name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from waypoint.careplans.models import Goal
from waypoint.core.forms import DateInput

from .choices import CheckKind
from .models import MedicationEntry, Procedure, RiskProfile


class MedicationForm(forms.ModelForm):
    class Meta:
        model = MedicationEntry
        fields = [
            "ingredient", "product", "form", "route", "strength", "strength_unit",
            "dose_per_administration", "dose_unit", "frequency", "indication", "prescriber",
            "prescribed_here", "start",
        ]  # fmt: skip
        widgets = {"start": DateInput()}
        labels = {"dose_per_administration": "Dose per administration"}
        help_texts = {
            "strength": "Per tablet, capsule or ml; for a patch, its rate in mcg/hr.",
            "dose_per_administration": "Tablets/patches (or mg, ml) each time; blank means 1.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ingredient"].widget.attrs.update({"list": "formulary", "autocomplete": "off"})

    def validate_unique(self) -> None:
        pass  # the service owns validation that needs the patient

    def _post_clean(self) -> None:
        # Model validation runs in the service, with the derived fields filled in.
        pass

    def entry_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ChangeMedicationForm(MedicationForm):
    change_reason = forms.CharField(max_length=300, label="Reason for the change")


class StopForm(forms.Form):
    change_reason = forms.CharField(max_length=300, label="Reason")
    stop = forms.DateField(required=False, widget=DateInput, help_text="Blank means today.")
    entered_in_error = forms.BooleanField(
        required=False, label="This entry was a mistake (entered in error)"
    )


class CheckForm(forms.Form):
    kind = forms.ChoiceField(choices=CheckKind.choices, label="What was done")
    done_on = forms.DateField(widget=DateInput)
    result = forms.CharField(max_length=300, required=False)
    score = forms.IntegerField(
        min_value=0, max_value=8, required=False, label="STOP-Bang score (0-8)"
    )


class AgreementForm(forms.Form):
    signed_on = forms.DateField(widget=DateInput)
    functional_goals = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the medicine should help the patient do.",
    )
    review_interval_days = forms.IntegerField(min_value=7, max_value=365, initial=90)
    last_reviewed_on = forms.DateField(required=False, widget=DateInput)
    plan_goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Care plan goals this treatment serves",
    )

    def __init__(self, *args: Any, goals: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["plan_goals"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if goals is not None:
            field.queryset = goals


class RiskForm(forms.ModelForm):
    class Meta:
        model = RiskProfile
        fields = [
            "history_of_overdose",
            "substance_use_disorder",
            "sleep_disordered_breathing",
            "active_cancer",
            "sickle_cell_disease",
            "palliative_care",
        ]


class AcknowledgeForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(max_length=500, label="What you did or decided")


class TaperForm(forms.Form):
    medication = forms.ModelChoiceField(queryset=MedicationEntry.objects.none())
    rate_percent = forms.DecimalField(
        min_value=0,
        max_value=50,
        initial=10,
        label="Reduction per step (%)",
        help_text="CDC 2022: about 10% a month after a year or more of use.",
    )
    interval_days = forms.IntegerField(
        min_value=1, max_value=90, initial=28, label="Days between steps"
    )
    starts_on = forms.DateField(widget=DateInput)
    floor_mg = forms.DecimalField(
        min_value=0, initial=0, label="Stop at (mg/day)", help_text="0 to stop completely."
    )

    def __init__(self, *args: Any, medications: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["medication"]
        assert isinstance(field, forms.ModelChoiceField)
        if medications is not None:
            field.queryset = medications


class TaperStepForm(forms.Form):
    dose_mg = forms.DecimalField(min_value=0, label="Dose (mg/day)")
    starts_on = forms.DateField(widget=DateInput, label="From")


class ProcedureForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "kind",
            "detail",
            "side",
            "level",
            "performed_on",
            "performed_by",
            "consent_recorded",
            "pain_before",
            "pain_after",
        ]
        widgets = {"performed_on": DateInput()}
        labels = {
            "pain_before": "Pain before (0-10)",
            "pain_after": "Pain straight after (0-10)",
            "consent_recorded": "Consent recorded",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_recorded"].required = False

    def _post_clean(self) -> None:
        pass


class FollowUpForm(forms.Form):
    followed_up_on = forms.DateField(widget=DateInput)
    relief_percent = forms.IntegerField(min_value=0, max_value=100, label="Relief (%)")
    relief_days = forms.IntegerField(min_value=0, max_value=3650, label="Relief lasted (days)")
    pain_after = forms.IntegerField(
        min_value=0, max_value=10, required=False, label="Pain now (0-10)"
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
