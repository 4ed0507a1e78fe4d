"""Forms for the referral pages. Messages name the field; services validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from waypoint.core.models import Service

from .choices import DuplicateChoice, FlagAnswer, LetterKind, Outcome, Priority
from .models import Referral
from .rules import BOOLEAN_FACTS
from .screening import FACT_FIELDS
from .triage import Rules


class DateInput(forms.DateInput):
    input_type = "date"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the view reads them from ``request.FILES``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


FACT_LABELS = {**BOOLEAN_FACTS, "referrer_is_physician": "referrer is a physician"}
YES_NO_UNKNOWN = [("unknown", "Not recorded"), ("true", "Yes"), ("false", "No")]
MAIN_FIELDS = [
    "received_on",
    "source",
    "referrer_name",
    "referrer_organisation",
    "referrer_contact",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "mrn",
    "phone",
    "address",
    "reason",
    "pain_sites",
    "pain_duration_months",
    "previous_treatments",
    "current_medicines",
    "funding",
    "requested_procedure",
]


class ReferralForm(forms.ModelForm):
    """The referral form. Red flags and disclosures come from the clinic's rules."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    service = forms.ModelChoiceField(queryset=Service.objects.none(), label="Service asked for")
    diagnosis = forms.ChoiceField(label="Diagnosis category")

    class Meta:
        model = Referral
        fields = MAIN_FIELDS
        widgets = {
            "received_on": DateInput(format="%Y-%m-%d"),
            "birth_date": DateInput(format="%Y-%m-%d"),
            "reason": forms.Textarea(attrs={"rows": 3}),
            "address": forms.Textarea(attrs={"rows": 2}),
            "referrer_contact": forms.Textarea(attrs={"rows": 2}),
            "previous_treatments": forms.Textarea(attrs={"rows": 2}),
            "current_medicines": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, services: QuerySet[Service], rules: Rules, creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        service_field = self.fields["service"]
        assert isinstance(service_field, forms.ModelChoiceField)
        service_field.queryset = services
        if not creating:
            del self.fields["service"]
            self.fields["version"].initial = self.instance.version
        diagnosis = self.fields["diagnosis"]
        assert isinstance(diagnosis, forms.ChoiceField)
        diagnosis.choices = [("", "---------")] + [
            (c.code, c.label) for c in rules.diagnosis_categories
        ]
        self.fields["diagnosis"].initial = self.instance.diagnosis or ""
        self.fields["pain_duration_months"].widget.attrs.update({"min": "0", "step": "0.5"})
        for name in FACT_FIELDS:
            label = FACT_LABELS[name]
            current = getattr(self.instance, name)
            self.fields[name] = forms.ChoiceField(
                label=str(label).capitalize(),
                choices=YES_NO_UNKNOWN,
                required=False,
                initial="unknown" if current is None else str(current).lower(),
            )
        for flag in rules.red_flags:
            self.fields[f"flag_{flag.code}"] = forms.ChoiceField(
                label=f"Red flag: {flag.label}",
                choices=FlagAnswer.choices,
                required=False,
                initial=self.instance.red_flags.get(flag.code, FlagAnswer.UNKNOWN),
            )
        for item in rules.disclosures:
            self.fields[f"disclosure_{item.code}"] = forms.BooleanField(
                label=f"Disclosed: {item.label}",
                required=False,
                initial=bool(self.instance.disclosures.get(item.code)),
            )
        # On editing too: a corrected name or date of birth is matched again.
        self.fields["duplicate_choice"] = forms.ChoiceField(
            label="If this may be an existing patient",
            choices=DuplicateChoice.choices,
            required=False,
            help_text="Shown when the name and date of birth match an existing record.",
        )
        if creating:
            self.fields["attachments"] = MultipleFileField(
                required=False,
                label="Attachments",
                help_text="Referral letter, imaging or clinic reports: PDF, PNG or JPEG, "
                "up to 10 MB each.",
            )

    def flag_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("flag_")]

    def disclosure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("disclosure_")]

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FACT_FIELDS]

    def main_fields(self) -> list[forms.BoundField]:
        names = ["service", *MAIN_FIELDS[:13], "diagnosis", *MAIN_FIELDS[13:]]
        return [self[name] for name in names if name in self.fields]

    def values(self) -> dict[str, Any]:
        """The referral fields for the service, from the cleaned data."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data[name] for name in MAIN_FIELDS}
        values["diagnosis"] = data["diagnosis"]
        for name in FACT_FIELDS:
            values[name] = {"true": True, "false": False}.get(data[name])
        values["red_flags"] = {
            f.code: data[f"flag_{f.code}"] or FlagAnswer.UNKNOWN for f in self.rules.red_flags
        }
        values["disclosures"] = {
            d.code: bool(data[f"disclosure_{d.code}"]) for d in self.rules.disclosures
        }
        return values

    def _post_clean(self) -> None:
        # The model is validated by the service, once, with every field set.
        pass


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        required=False,
        label="Service (accept into, or redirect to)",
        help_text="Leave empty to accept into the service asked for.",
    )
    priority = forms.ChoiceField(
        choices=[("", "---------"), *Priority.choices],
        required=False,
        label="Waiting-list priority (when accepting)",
    )
    redirect_to = forms.CharField(
        max_length=200, required=False, label="Redirect to an outside team (name it)"
    )
    missing_items = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Information missing (one item a line)",
        help_text="Left empty, the missing disclosures are asked for.",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Reason",
        help_text="Required to decline, redirect, or ask for urgent medical review.",
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services

    def items(self) -> list[str]:
        return [line for line in self.cleaned_data["missing_items"].splitlines() if line.strip()]


class LetterForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterKind.choices, label="Letter")


class WaitingFilterForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), required=False, empty_label="All my services"
    )
    priority = forms.ChoiceField(choices=[("", "Any priority"), *Priority.choices], required=False)
    breached = forms.BooleanField(required=False, label="Only those past the target wait")
    sort = forms.ChoiceField(
        choices=[
            ("priority", "Priority"),
            ("waiting", "Days waiting (longest first)"),
            ("expected", "Expected start"),
            ("name", "Name"),
        ],
        required=False,
        label="Sort by",
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services


class ExpectedStartForm(forms.Form):
    expected_start = forms.DateField(
        required=False, widget=DateInput(format="%Y-%m-%d"), label="Expected start"
    )


class RemoveForm(forms.Form):
    reason = forms.CharField(
        max_length=300, label="Reason for removal", widget=forms.Textarea(attrs={"rows": 2})
    )


class QueueFilterForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(), required=False, empty_label="All my services"
    )
    status = forms.ChoiceField(
        choices=[
            ("open", "Awaiting a decision"),
            ("", "All"),
            ("accepted", "Accepted"),
            ("declined", "Declined"),
            ("redirected", "Redirected"),
        ],
        required=False,
        label="Show",
    )

    def __init__(self, *args: Any, services: QuerySet[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services
