"""Forms for care plans, reviews and notes. Services validate again and name the field."""

from __future__ import annotations

from typing import Any

from django import forms

from waypoint.core.forms import DateInput
from waypoint.core.models import StaffProfile

from .choices import Decision, NoteKind, ProblemCategory
from .measures import measure_choices
from .models import CarePlan, Goal, Intervention


class Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(forms.ModelForm):
    class Meta:
        model = CarePlan
        fields = ["starts_on", "review_interval_days", "summary", "patient_summary"]
        widgets = {
            "starts_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "patient_summary": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass


class PlanEditForm(PlanForm, Versioned):
    class Meta(PlanForm.Meta):
        fields = ["review_interval_days", "summary", "patient_summary"]


class ProblemForm(Versioned):
    category = forms.ChoiceField(choices=ProblemCategory.choices)
    description = forms.CharField(max_length=300)


class GoalForm(forms.ModelForm, Versioned):
    class Meta:
        model = Goal
        fields = [
            "statement",
            "measure",
            "measure_code",
            "measure_part",
            "baseline",
            "target",
            "due_on",
        ]
        widgets = {"due_on": DateInput()}
        labels = {"measure_code": "What is measured", "measure_part": "Subscale (optional)"}
        help_texts = {
            "baseline": "Not needed for GAS.",
            "target": "Not needed for GAS (the goal is the 0 level).",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = measure_choices()
        options = [("", "— not needed for MME or GAS —")]
        for kind, label in (("instrument", "Questionnaires"), ("performance", "Performance tests")):
            options.append((label, choices[kind]))  # type: ignore[arg-type]
        self.fields["measure_code"] = forms.ChoiceField(
            choices=options, required=False, label="What is measured"
        )

    def _post_clean(self) -> None:
        pass

    def goal_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class InterventionForm(forms.ModelForm, Versioned):
    class Meta:
        model = Intervention
        fields = [
            "kind",
            "description",
            "owner",
            "frequency",
            "patient_instructions",
            "starts_on",
            "review_on",
            "stop_rule",
            "stop_goal",
            "stop_percent",
            "stop_after_days",
            "stop_after_reviews",
        ]
        widgets = {
            "starts_on": DateInput(),
            "review_on": DateInput(),
        }
        labels = {
            "stop_percent": "Stop rule: change required (%)",
            "stop_after_days": "Stop rule: judged after (days)",
            "stop_after_reviews": "Stop rule: number of reviews",
            "stop_goal": "Stop rule: goal watched",
        }

    def __init__(self, *args: Any, plan: CarePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        goal = self.fields["stop_goal"]
        assert isinstance(owner, forms.ModelChoiceField) and isinstance(
            goal, forms.ModelChoiceField
        )
        owner.queryset = StaffProfile.objects.filter(services=plan.episode.service).select_related(
            "user"
        )
        owner.required = False  # the service says "every intervention needs an owner"
        goal.queryset = plan.goals.exclude(measure="gas")

    def _post_clean(self) -> None:
        pass

    def intervention_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(Versioned):
    held_on = forms.DateField(widget=DateInput)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    next_review_on = forms.DateField(widget=DateInput, label="Next review")

    def __init__(self, *args: Any, plan: CarePlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.interventions = list(plan.interventions.filter(status="active"))
        self.gas_goals = list(plan.goals.filter(status="active", measure="gas"))
        for item in self.interventions:
            self.fields[f"decision-{item.pk}"] = forms.ChoiceField(
                choices=Decision.choices,
                label=f"Decision: {item.get_kind_display()} — {item.description}",
            )
            self.fields[f"reason-{item.pk}"] = forms.CharField(
                max_length=300,
                required=False,
                label=f"Reason ({item.description})",
                help_text="Required to change or stop.",
            )
        for goal in self.gas_goals:
            self.fields[f"gas-{goal.pk}"] = forms.TypedChoiceField(
                coerce=int,
                required=False,
                empty_value=None,
                label=f"GAS rating: {goal.statement}",
                choices=[
                    ("", "—"),
                    ("-2", "−2 much less than expected"),
                    ("-1", "−1 less than expected"),
                    ("0", "0 the goal (expected outcome)"),
                    ("1", "+1 more than expected"),
                    ("2", "+2 much more than expected"),
                ],
            )


class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=NoteKind.choices, label="Discipline")
    subjective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What the patient (or family) reports.",
    )
    objective = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="What you observed and measured.",
    )
    assessment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    sign = forms.BooleanField(
        required=False, label="Sign now (a signed note is changed only by addendum)"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class AddendumForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Addendum")
