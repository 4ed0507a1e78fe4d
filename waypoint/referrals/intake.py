"""Receiving a referral and keeping it right: create, correct, re-screen, attach files.

Each operation takes keyword-only arguments, runs in one transaction, checks access and
writes the audit log; which patient the referral is about is settled in ``matching``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Forbidden, InvalidInput
from waypoint.core.models import Service

from ._changes import require, save, service_for, user_of, validate, versioned
from .access import can_edit_referral
from .choices import DuplicateChoice, LetterKind, ReferralStatus, Source
from .letter_writing import write_letter
from .matching import match_patient
from .models import Attachment, Referral
from .queries import audit_referral
from .rule_sets import current_rule_set, rules_of
from .screening import check_facts, screen

REFERRAL_FIELDS = frozenset(
    {
        "received_on",
        "source",
        "referrer_name",
        "referrer_organisation",
        "referrer_contact",
        "referrer_is_physician",
        "mrn",
        "given_name",
        "family_name",
        "birth_date",
        "sex",
        "phone",
        "address",
        "reason",
        "pain_sites",
        "pain_duration_months",
        "diagnosis",
        "previous_treatments",
        "current_medicines",
        "funding",
        "requested_procedure",
        "pain_is_primary",
        "biomedical_intervention_unhelpful",
        "functional_disability",
        "outpatient_mdt_tried",
        "medical_complexity",
        "neurological_impairment",
        "recurrent_pain_behaviours",
        "self_management_activated",
        "red_flags",
        "disclosures",
    }
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}


@dataclass(frozen=True)
class Upload:
    """An attachment as received, before it is checked."""

    name: str
    content_type: str
    content: bytes


def self_referral_allowed(service: Service) -> bool:
    """A service takes self-referrals only when its settings say ``"self_referral": true``."""
    return service.settings.get("self_referral") is True


def check_upload(upload: Upload) -> None:
    """PDF, PNG or JPEG up to 10 MB, and the bytes must be what the type says."""
    size = len(upload.content)
    if size == 0:
        raise InvalidInput({"attachments": [f"{upload.name}: the file is empty."]})
    if size > MAX_ATTACHMENT_BYTES:
        raise InvalidInput(
            {
                "attachments": [
                    f"{upload.name}: {size / 1048576:.1f} MB is over the limit of "
                    f"{MAX_ATTACHMENT_BYTES // 1048576} MB."
                ]
            }
        )
    signatures = ATTACHMENT_TYPES.get(upload.content_type)
    if signatures is None or not upload.content.startswith(signatures):
        raise InvalidInput(
            {
                "attachments": [
                    f"{upload.name}: only PDF, PNG or JPEG files can be attached "
                    f"(this one is {upload.content_type or 'of unknown type'})."
                ]
            }
        )


def _check_count(count: int) -> None:
    if count > MAX_ATTACHMENTS:
        raise InvalidInput({"attachments": [f"At most {MAX_ATTACHMENTS} files per referral."]})


def _assign(referral: Referral, fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - REFERRAL_FIELDS)
    if unknown:
        raise InvalidInput({name: ["This field cannot be set here."] for name in unknown})
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(referral, name, value)


def _check(referral: Referral, exclude: Sequence[str] = ()) -> None:
    """The referral as filled in: the model's checks, the source, the facts against the rules."""
    validate(referral, exclude=exclude)
    if referral.source == Source.SELF and not self_referral_allowed(referral.service):
        raise InvalidInput({"source": [f"{referral.service} does not accept self-referrals."]})
    check_facts(referral, rules_of(current_rule_set(referral.clinic)))


def create_referral(
    *,
    actor: Actor,
    service: Service | None,
    fields: Mapping[str, Any],
    duplicate_choice: str = "",
    duplicate_of: Any = None,
    uploads: Sequence[Upload] = (),
) -> Referral:
    """Receive a referral: validate, match the patient, screen, store, acknowledge."""
    if not actor.principal.is_staff_member:
        raise Forbidden("Only staff can receive referrals.")
    service = service_for(actor, service)
    _check_count(len(uploads))
    for upload in uploads:
        check_upload(upload)
    referral = Referral(clinic_id=service.clinic_id, service=service, created_by=user_of(actor))
    referral.clinic = service.clinic
    _assign(referral, fields)
    _check(referral, exclude=["clinic", "service"])
    if duplicate_choice not in DuplicateChoice.values:
        raise InvalidInput({"duplicate_choice": ["Choose same or different."]})
    with transaction.atomic():
        referral.patient = match_patient(
            referral, duplicate_choice=duplicate_choice, duplicate_of=duplicate_of
        )
        screen(referral)
        save(referral, actor)
        for upload in uploads:
            _attach(actor, referral, upload)
        audit_referral(actor, AuditAction.CREATE, referral, detail="referral received")
        write_letter(actor=actor, referral=referral, kind=LetterKind.ACKNOWLEDGEMENT)
    return referral


IDENTITY_FIELDS = frozenset({"given_name", "family_name", "birth_date", "mrn"})


def update_referral(
    *,
    actor: Actor,
    referral: Referral,
    expected_version: int,
    fields: Mapping[str, Any],
    duplicate_choice: str = "",
    duplicate_of: Any = None,
) -> Referral:
    """Correct or complete a referral (e.g. when requested information arrives); re-screen.

    A change to who the patient is (name, date of birth, MRN) runs the patient match
    again, so a corrected referral can never slip past a possible duplicate.
    """
    require(actor, referral, can_edit_referral)
    before = {name: getattr(referral, name) for name in fields}
    _assign(referral, fields)
    _check(referral)
    changed = sorted(name for name in fields if before[name] != getattr(referral, name))
    if IDENTITY_FIELDS & set(changed) and referral.status != ReferralStatus.ACCEPTED:
        if duplicate_choice not in DuplicateChoice.values:
            raise InvalidInput({"duplicate_choice": ["Choose same or different."]})
        referral.duplicate_choice = ""
        referral.patient = match_patient(
            referral, duplicate_choice=duplicate_choice, duplicate_of=duplicate_of
        )
        referral.identity_checked_at = timezone.now()
    with versioned(actor, referral, expected_version):
        screen(referral)
        save(referral, actor)
        audit_referral(
            actor, AuditAction.UPDATE, referral, detail="changed: " + (", ".join(changed) or "-")
        )
    return referral


def rescreen(*, actor: Actor, referral: Referral) -> Referral:
    """Screen again with the clinic's current rules (e.g. after a rules change)."""
    require(actor, referral, can_edit_referral)
    with transaction.atomic():
        screen(referral)
        save(referral, actor, update_fields=["urgent", "screening", "rule_set"])
        audit_referral(actor, AuditAction.UPDATE, referral, detail="screened again")
    return referral


def _attach(actor: Actor, referral: Referral, upload: Upload) -> Attachment:
    attachment = Attachment.objects.create(
        referral=referral,
        name=upload.name[:200] or "attachment",
        content_type=upload.content_type,
        size=len(upload.content),
        content=upload.content,
        uploaded_by=user_of(actor),
    )
    audit_referral(actor, AuditAction.CREATE, referral, target=attachment, detail=attachment.name)
    return attachment


def add_attachment(*, actor: Actor, referral: Referral, upload: Upload) -> Attachment:
    """Attach one more file to a referral (at most ``MAX_ATTACHMENTS`` in all)."""
    require(actor, referral, can_edit_referral)
    check_upload(upload)
    _check_count(referral.attachments.count() + 1)
    with transaction.atomic():
        return _attach(actor, referral, upload)
