"""Letters written from a referral: the clinic's template for each kind, filled and kept.

``letters.py`` holds the default templates and the engine that fills them; this module
finds the clinic's template, builds the context from the referral and stores the letter.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template import TemplateSyntaxError

from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import InvalidInput
from waypoint.core.models import Clinic

from . import letters
from ._changes import require, user_of
from .access import can_edit_referral
from .choices import LetterKind, Outcome
from .models import Decision, Letter, LetterTemplate, Referral
from .queries import audit_referral


def letter_template(clinic: Clinic, kind: str) -> LetterTemplate:
    """The clinic's template for ``kind``; the first use stores the default."""
    subject, body = letters.DEFAULT_TEMPLATES[kind]
    template, _ = LetterTemplate.objects.get_or_create(
        clinic=clinic, kind=kind, defaults={"subject": subject, "body": body}
    )
    return template


def letter_context(referral: Referral, decision: Decision | None) -> dict[str, Any]:
    service = referral.service
    if decision is not None and decision.service is not None:
        service = decision.service
    redirected = ""
    if decision is not None and decision.outcome == Outcome.REDIRECT:
        redirected = str(decision.service) if decision.service else decision.redirect_to
    return {
        "today": letters.default_date(),
        "clinic": str(referral.clinic),
        "service": str(service),
        "patient_name": referral.patient_name,
        "birth_date": f"{referral.birth_date:%d %B %Y}",
        "mrn": referral.patient.mrn if referral.patient else referral.mrn,
        "referrer_name": referral.referrer_name,
        "referrer_organisation": referral.referrer_organisation,
        "referrer_contact": referral.referrer_contact,
        "received_on": f"{referral.received_on:%d %B %Y}",
        "reason": decision.reason if decision else "",
        "missing_items": list(decision.missing_items) if decision else [],
        "redirected_to": redirected,
        "priority": decision.get_priority_display().lower() if decision else "",
        "target_wait_days": service.target_wait_days,
    }


def write_letter(
    *, actor: Actor, referral: Referral, kind: str, decision: Decision | None = None
) -> Letter:
    """Fill the clinic's template for ``kind`` from the referral and keep the result."""
    require(actor, referral, can_edit_referral)
    if kind not in LetterKind.values:
        raise InvalidInput({"kind": [f"Choose one of: {', '.join(LetterKind.values)}."]})
    if decision is None and kind != LetterKind.ACKNOWLEDGEMENT:
        decision = referral.decisions.first()
    template = letter_template(referral.clinic, kind)
    context = letter_context(referral, decision)
    with transaction.atomic():
        letter = Letter.objects.create(
            referral=referral,
            kind=kind,
            subject=letters.fill(template.subject, context)[:200],
            body=letters.fill(template.body, context),
            created_by=user_of(actor),
        )
        audit_referral(actor, AuditAction.CREATE, referral, target=letter, detail=f"letter: {kind}")
    return letter


def check_letter_template(text: str, field: str) -> None:
    """A template as an editor typed it, refused (naming ``field``) if it cannot be filled."""
    try:
        letters.check_template(text)
    except TemplateSyntaxError as exc:
        raise InvalidInput({field: [str(exc)]}) from exc
