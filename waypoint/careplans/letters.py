"""Care plan letters: a plan summary for the patient and family, an update to the
referrer, and a school letter for children — from editable templates, kept as written.

Templates are filled by the same sandboxed engine as referral letters
(``waypoint.referrals.letters.fill``): plain-string fields only, no model access.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from waypoint.core import audit
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import InvalidInput
from waypoint.referrals.letters import default_date, fill

from .choices import LetterKind
from .models import CarePlan, PlanLetter, PlanLetterTemplate
from .queries import plan_view
from .services import require_plan_edit

FIELDS = {
    "today": "the date of the letter",
    "clinic": "the clinic's name",
    "service": "the service",
    "patient_name": "the patient's full name",
    "given_name": "the patient's given name",
    "birth_date": "the patient's date of birth",
    "mrn": "the patient's MRN",
    "school": "the school (or work) on record",
    "addressed_to": "who the letter is to",
    "plan_summary": "the plan in plain words",
    "goals": "a list of the goals, each with its due date and progress",
    "this_week": "a list of what the patient does this week",
    "next_review": "the date of the next review",
}
_SIGN = "\n\nWith best wishes,\n\nThe {{ service }} team, {{ clinic }}"
DEFAULTS: Mapping[str, tuple[str, str]] = {
    LetterKind.PLAN_SUMMARY: (
        "Your care plan, {{ today }}",
        "Dear {{ addressed_to }},\n\nThis is the plan we agreed together.\n\n{{ plan_summary }}\n\n"
        "Our goals:{% for goal in goals %}\n- {{ goal }}{% endfor %}\n\n"
        "What to do this week:{% for item in this_week %}\n- {{ item }}{% endfor %}\n\n"
        "We will look at the plan together again on {{ next_review }}." + _SIGN,
    ),
    LetterKind.REFERRER_UPDATE: (
        "Update: {{ patient_name }}, born {{ birth_date }}, MRN {{ mrn }}",
        "Dear {{ addressed_to }},\n\n{{ patient_name }} is under the care of the {{ service }}. "
        "Our plan, aiming at function first:\n\nGoals and progress:{% for goal in goals %}\n- {{ goal }}"
        "{% endfor %}\n\nCurrent interventions:{% for item in this_week %}\n- {{ item }}{% endfor %}\n\n"
        "The next review is on {{ next_review }}." + _SIGN,
    ),
    LetterKind.SCHOOL: (
        "Supporting {{ given_name }} at school",
        "Dear {{ addressed_to }},\n\n{{ given_name }} is taking part in the {{ service }}. With "
        "{{ given_name }} and the family we have agreed these goals:{% for goal in goals %}\n- {{ goal }}"
        "{% endfor %}\n\nThe most helpful thing school can do is to keep {{ given_name }} attending "
        "and taking part, with the adjustments we discuss with you, rather than going home when pain "
        "rises.\n\nPlease contact us with any questions." + _SIGN,
    ),
}


def template_for(plan: CarePlan, kind: str) -> PlanLetterTemplate:
    clinic = plan.patient.clinic
    subject, body = DEFAULTS[kind]
    template, _ = PlanLetterTemplate.objects.get_or_create(
        clinic=clinic, kind=kind, defaults={"subject": subject, "body": body}
    )
    return template


def context(plan: CarePlan, addressed_to: str) -> dict[str, Any]:
    view = plan_view(plan)
    patient = plan.patient
    return {
        "today": default_date(),
        "clinic": patient.clinic.name,
        "service": plan.episode.service.name,
        "patient_name": patient.full_name,
        "given_name": patient.given_name,
        "birth_date": f"{patient.birth_date:%d %B %Y}",
        "mrn": patient.mrn,
        "school": patient.school_or_work,
        "addressed_to": addressed_to,
        "plan_summary": plan.patient_summary or plan.summary,
        "goals": [f"{g.statement} (by {g.due_on:%d %B %Y}; {p.status})" for g, p in view.goals],
        "this_week": [
            f"{i.patient_instructions or i.description} ({i.frequency})"
            for i, _ in view.interventions
        ],
        "next_review": f"{view.review_due.due_on:%d %B %Y}",
    }


def write(*, actor: Actor, plan: CarePlan, kind: str, addressed_to: str) -> PlanLetter:
    require_plan_edit(actor, plan)
    if kind not in LetterKind.values:
        raise InvalidInput({"kind": ["Choose a kind of letter."]})
    if not addressed_to.strip():
        raise InvalidInput({"addressed_to": ["Say who the letter is to."]})
    if kind == LetterKind.SCHOOL and plan.patient.age() >= 18:
        raise InvalidInput({"kind": ["School letters are for children and young people under 18."]})
    template = template_for(plan, kind)
    data = context(plan, addressed_to.strip())
    with transaction.atomic():
        letter = PlanLetter.objects.create(
            plan=plan,
            kind=kind,
            addressed_to=addressed_to.strip(),
            subject=fill(template.subject, data),
            body=fill(template.body, data),
            created_by=actor.user,
        )
        audit.log(
            actor,
            AuditAction.CREATE,
            patient_ref=plan.patient.external_id,
            target=letter,
            detail=letter.get_kind_display(),
        )
    return letter
