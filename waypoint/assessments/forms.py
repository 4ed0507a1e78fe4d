"""Forms of the assessments app, and how an instrument's items become form choices.

A questionnaire page is built from the instrument's items (one fieldset per question),
not from a Django form class: each item's choices come from :func:`item_choices`, and the
service (``services.check_answers``) validates the answers, naming each item.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms

from .choices import Respondent
from .definitions import Instrument, Item

MAX_RADIO_STEPS = 21


@dataclass(frozen=True)
class Question:
    """One item as a page shows it: its choices, the saved answer and any error."""

    number: int
    code: str
    text: str
    required: bool
    choices: tuple[tuple[str, str], ...]  # empty: a number box from min to max
    min: Decimal | None
    max: Decimal | None
    step: Decimal
    answer: str
    answer_label: str
    error: str

    @property
    def field_id(self) -> str:
        return f"q-{self.number}"


def _plain(value: Decimal) -> str:
    normal = value.normalize()
    return str(normal.quantize(Decimal(1))) if normal == normal.to_integral() else str(normal)


def item_choices(item: Item) -> tuple[tuple[str, str], ...]:
    """(value, label) for each answer: the options, or a short numeric scale as buttons."""
    if item.options:
        return tuple((_plain(o.value), o.label) for o in item.options)
    assert item.min is not None and item.max is not None
    steps = int((item.max - item.min) / item.step) + 1
    if steps > MAX_RADIO_STEPS:
        return ()
    values = [item.min + item.step * n for n in range(steps)]
    return tuple((_plain(v), _plain(v)) for v in values)


def questions(
    instrument: Instrument, answers: dict[str, Any], errors: dict[str, list[str]] | None = None
) -> list[Question]:
    errors = errors or {}
    result = []
    for number, item in enumerate(instrument.items, start=1):
        choices = item_choices(item)
        answer = str(answers.get(item.code, "") or "")
        label = dict(choices).get(answer, answer)
        result.append(
            Question(
                number=number,
                code=item.code,
                text=item.text,
                required=item.required,
                choices=choices,
                min=item.min,
                max=item.max,
                step=item.step,
                answer=answer,
                answer_label=label,
                error=" ".join(errors.get(item.code, [])),
            )
        )
    return result


def posted_answers(instrument: Instrument, data: Any) -> dict[str, str]:
    """The instrument's items found in a POST (absent items are left as they were)."""
    return {code: str(data.get(code, "")) for code in instrument.item_codes if code in data}


class SchoolDaysForm(forms.Form):
    school_days_missed = forms.IntegerField(
        label="School days missed in the last 4 weeks",
        min_value=0,
        max_value=28,
        required=False,
        help_text="Count whole or part days missed because of pain. Leave empty if not at school.",
    )


class PaperDetailsForm(forms.Form):
    """What staff say about a paper questionnaire besides its answers."""

    respondent = forms.ChoiceField(label="Who filled it in", choices=Respondent.choices)
    measurement_point = forms.CharField(
        label="Measurement point",
        max_length=40,
        required=False,
        help_text="For example intake, review-1, discharge, follow-up-3m.",
    )
    school_days_missed = forms.IntegerField(
        label="School days missed in the last 4 weeks", min_value=0, max_value=28, required=False
    )


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="Action taken",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you did: for example, phoned the patient, safety plan agreed, GP informed.",
    )

    def clean_action_taken(self) -> str:
        text: str = self.cleaned_data["action_taken"].replace("\x00", "").strip()
        if not text:
            raise forms.ValidationError("Say what action was taken.")
        return text


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label="Reason", max_length=300)


class PerformanceTestForm(forms.Form):
    test = forms.ChoiceField(label="Test")
    value = forms.DecimalField(label="Result", max_digits=8, decimal_places=2)
    measured_on = forms.DateField(
        label="Date measured", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label="Note", max_length=300, required=False)

    def __init__(self, *args: Any, kinds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["test"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k.code, f"{k.name} ({k.unit}, {k.min}-{k.max})") for k in kinds.values()]
