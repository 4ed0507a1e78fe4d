"""Forms for the staff UI. Validation messages name the field; services validate again."""

from __future__ import annotations

from typing import Any

from django import forms

from waypoint.core.forms import DateInput
from waypoint.core.models import Service, StaffProfile

from .choices import CareTeamRole, EpisodeStatus, GuardianRelationship, RecordStatus
from .models import EpisodeOfCare, Patient
from .services import GUARDIAN_FIELDS, PATIENT_FIELDS


def _model_choices(field: forms.Field) -> forms.ModelChoiceField:
    assert isinstance(field, forms.ModelChoiceField)
    return field


PATIENT_FIELD_ORDER = [
    "given_name",
    "family_name",
    "preferred_name",
    "birth_date",
    "sex",
    "mrn",
    "phone",
    "email",
    "address",
    "preferred_language",
    "interpreter_needed",
    "school_or_work",
    "medical_complexity",
]
assert set(PATIENT_FIELD_ORDER) == PATIENT_FIELDS


class PatientForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Patient
        fields = PATIENT_FIELD_ORDER
        widgets = {
            "birth_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def validate_unique(self) -> None:
        # The clinic comes from the service, not a form field: ``clean`` checks the MRN
        # so that a clash is reported with every other error in one go.
        pass

    def clinic_id(self) -> int | None:
        return self.instance.clinic_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clinic_id, mrn = self.clinic_id(), data.get("mrn")
        if clinic_id and mrn:
            clash = Patient.objects.filter(clinic_id=clinic_id, mrn=mrn).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("mrn", "Another patient in this clinic already has this MRN.")
        return data

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PATIENT_FIELD_ORDER}


class PatientCreateForm(PatientForm):
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        help_text="The patient starts with a planned episode in this service.",
    )
    episode_reason = forms.CharField(label="Reason for the episode", required=False, max_length=300)

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if services is not None:
            _model_choices(self.fields["service"]).queryset = services

    def clinic_id(self) -> int | None:
        service = self.cleaned_data.get("service")
        return service.clinic_id if service else None


class PatientStatusForm(forms.Form):
    status = forms.ChoiceField(choices=RecordStatus.choices)
    reason = forms.CharField(max_length=300, required=False, help_text="Required unless active.")
    version = forms.IntegerField(widget=forms.HiddenInput)


class EpisodeCreateForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    reason = forms.CharField(max_length=300, required=False)
    start = forms.DateField(required=False, widget=DateInput)

    def __init__(self, *args: Any, services: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if services is not None:
            _model_choices(self.fields["service"]).queryset = services


class EpisodeChangeForm(forms.Form):
    status = forms.ChoiceField(choices=EpisodeStatus.choices)
    start = forms.DateField(required=False, widget=DateInput())
    end = forms.DateField(required=False, widget=DateInput())
    status_reason = forms.CharField(
        label="Reason",
        max_length=300,
        required=False,
        help_text="Required when cancelling or marking entered in error.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, episode: EpisodeOfCare, allowed: frozenset[str], **kwargs: Any
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": episode.status,
                "start": episode.start,
                "end": episode.end,
                "version": episode.version,
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in EpisodeStatus.choices if v in allowed]


class CareTeamAddForm(forms.Form):
    staff = forms.ModelChoiceField(queryset=StaffProfile.objects.none(), label="Staff member")
    role = forms.ChoiceField(choices=CareTeamRole.choices, initial=CareTeamRole.MEMBER)

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            _model_choices(self.fields["staff"]).queryset = staff


class GuardianLinkForm(forms.Form):
    given_name = forms.CharField(max_length=100)
    family_name = forms.CharField(max_length=100)
    relationship = forms.ChoiceField(choices=GuardianRelationship.choices)
    phone = forms.CharField(
        max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(required=False)
    renewed_until = forms.DateField(
        required=False,
        widget=DateInput,
        label="Proxy access renewed until",
        help_text="Only for a patient of 18 or over whose guardian still acts for them.",
    )

    def guardian_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in GUARDIAN_FIELDS}
