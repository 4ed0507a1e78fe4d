"""Operations that change referrals, decisions, the waiting list, letters and rules.

Each takes keyword-only arguments, runs in one transaction, checks access and writes
the audit log. Validation errors name the field (``InvalidInput``): nothing is
half-saved. A change based on a stale ``version`` is refused (``Conflict``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.template import TemplateSyntaxError
from django.utils import timezone

from waypoint.core import audit
from waypoint.core.access import can_edit_patient
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.models import Clinic, Service
from waypoint.patients import services as patient_services
from waypoint.patients.choices import EpisodeStatus
from waypoint.patients.models import EpisodeOfCare, Patient, search_key
from waypoint.patients.queries import patient_facts
from waypoint.patients.rules import OPEN_EPISODE_STATUSES

from . import letters, triage
from .access import (
    can_decide_referral,
    can_edit_referral,
    can_manage_waiting_list,
    can_receive_referral,
    can_view_referral,
)
from .choices import (
    LETTER_FOR,
    STATUS_AFTER,
    DuplicateChoice,
    EntryStatus,
    FlagAnswer,
    LetterKind,
    Outcome,
    Priority,
    ReferralStatus,
    Source,
)
from .models import (
    Attachment,
    Decision,
    Letter,
    LetterTemplate,
    Referral,
    RuleSet,
    WaitingListEntry,
)
from .queries import audit_referral, referral_facts
from .rules import RulesError, parse_rules

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
FACT_FIELDS = (
    "pain_is_primary",
    "biomedical_intervention_unhelpful",
    "functional_disability",
    "outpatient_mdt_tried",
    "medical_complexity",
    "neurological_impairment",
    "recurrent_pain_behaviours",
    "self_management_activated",
    "referrer_is_physician",
)
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
ATTACHMENT_TYPES = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
NEEDS_REASON = frozenset({Outcome.DECLINE, Outcome.REDIRECT, Outcome.URGENT_REVIEW})


@dataclass(frozen=True)
class Upload:
    """An attachment as received, before it is checked."""

    name: str
    content_type: str
    content: bytes


class PossibleDuplicate(InvalidInput):
    """Name and date of birth match existing patients: the coordinator must choose."""

    def __init__(self, candidates: Sequence[Patient]) -> None:
        shown = "; ".join(
            f"{p.given_name} {p.family_name}, born {p.birth_date:%d %b %Y}, MRN {p.mrn}"
            for p in candidates
        )
        super().__init__(
            {
                "duplicate_choice": [
                    f"Possible duplicate of an existing patient: {shown}. Say whether this "
                    "is the same person or a different one."
                ]
            }
        )
        self.candidates = list(candidates)


# --- rules -------------------------------------------------------------------------


def current_rule_set(clinic: Clinic) -> RuleSet:
    """The clinic's newest rules; the first use stores the shipped rules as version 1."""
    latest = RuleSet.objects.filter(clinic=clinic).order_by("-number").first()
    if latest is not None:
        return latest
    shipped = json.loads(
        (resources.files("waypoint.referrals") / "data" / "triage-rules.json").read_text("utf-8")
    )
    return save_rule_set(
        clinic=clinic, document=shipped, note="Shipped rules", user=None, only_if_first=True
    )


def save_rule_set(
    *,
    clinic: Clinic,
    document: Mapping[str, Any],
    note: str,
    user: Any,
    only_if_first: bool = False,
) -> RuleSet:
    """Validate and store a new version; earlier versions stay as they were.

    ``only_if_first`` stores nothing if the clinic has rules by the time the lock is held
    (two first uses at once must not make two copies of the shipped rules).
    """
    try:
        parse_rules(document)
    except RulesError as exc:
        raise InvalidInput({"document": [str(exc)]}) from exc
    with transaction.atomic():
        # Lock the clinic row so that two editors cannot take the same number.
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
        latest = RuleSet.objects.filter(clinic=clinic).order_by("-number").first()
        if only_if_first and latest is not None:
            return latest
        return RuleSet.objects.create(
            clinic=clinic,
            number=(latest.number if latest else 0) + 1,
            document=dict(document),
            note=note[:300],
            created_by=user,
        )


def rules_of(rule_set: RuleSet) -> triage.Rules:
    return parse_rules(rule_set.document)


# --- screening ---------------------------------------------------------------------


def facts_of(referral: Referral) -> triage.ReferralFacts:
    return triage.ReferralFacts(
        date_of_birth=referral.birth_date,
        referral_date=referral.received_on,
        pain_duration_months=float(referral.pain_duration_months),
        diagnosis=referral.diagnosis or None,
        red_flags=dict(referral.red_flags),
        disclosures={k: bool(v) for k, v in referral.disclosures.items()},
        requested_procedure=referral.requested_procedure.strip() or None,
        source=referral.source,
        **{name: getattr(referral, name) for name in FACT_FIELDS},
    )


def screening_as_data(result: triage.Screening, rule_set: RuleSet) -> dict[str, Any]:
    """The screening as stored with the referral and returned by the API."""
    return {
        "urgent": result.urgent,
        "red_flags_present": [{"code": f.code, "label": f.label} for f in result.red_flags_present],
        "red_flags_unknown": [{"code": f.code, "label": f.label} for f in result.red_flags_unknown],
        "missing_disclosures": [
            {"code": d.code, "label": d.label} for d in result.missing_disclosures
        ],
        "eligibility": [
            {
                "kind": e.kind,
                "label": e.label,
                "eligible": e.eligible,
                "reasons": [
                    {"code": r.code, "outcome": str(r.outcome), "message": r.message}
                    for r in e.reasons
                ],
            }
            for e in result.eligibility.values()
        ],
        "rules_version": result.rules_version,
        "rule_set": rule_set.number,
        "screened_at": timezone.now().isoformat(),
    }


def _screen(referral: Referral) -> None:
    rule_set = current_rule_set(referral.clinic)
    try:
        result = triage.screen(facts_of(referral), rules_of(rule_set))
    except triage.FactsError as exc:
        raise InvalidInput({"__all__": [f"The referral cannot be screened: {exc}"]}) from exc
    referral.rule_set = rule_set
    referral.urgent = result.urgent
    referral.screening = screening_as_data(result, rule_set)


# --- validation --------------------------------------------------------------------


def _validate(instance: models.Model, exclude: Sequence[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc


def _check_facts(referral: Referral, rules: triage.Rules) -> None:
    """Codes the rules do not know, and numbers no patient could have, name their field."""
    errors: dict[str, list[str]] = {}
    categories = {c.code for c in rules.diagnosis_categories}
    if referral.diagnosis not in categories:
        errors["diagnosis"] = [f"Choose one of: {', '.join(sorted(categories))}."]
    flags = {f.code for f in rules.red_flags}
    answers = {a.value for a in FlagAnswer}
    if not isinstance(referral.red_flags, dict):
        errors["red_flags"] = ["Give each red flag as present, absent or unknown."]
    else:
        bad = sorted(k for k, v in referral.red_flags.items() if k not in flags or v not in answers)
        if bad:
            errors["red_flags"] = [f"Unknown red flag or answer: {', '.join(bad)[:200]}."]
    codes = {d.code for d in rules.disclosures}
    if not isinstance(referral.disclosures, dict):
        errors["disclosures"] = ["Give each disclosure as true or false."]
    else:
        bad = sorted(
            k for k, v in referral.disclosures.items() if k not in codes or not isinstance(v, bool)
        )
        if bad:
            errors["disclosures"] = [f"Unknown disclosure or answer: {', '.join(bad)[:200]}."]
    months = referral.pain_duration_months
    if (
        months is not None
        and referral.birth_date
        and referral.received_on
        and referral.birth_date <= referral.received_on
    ):
        lived = (referral.received_on - referral.birth_date).days / 30.4
        if Decimal(str(months)) > Decimal(str(round(lived + 1, 1))):
            errors["pain_duration_months"] = [
                f"{months} months is longer than the patient has lived."
            ]
    if errors:
        raise InvalidInput(errors)


def self_referral_allowed(service: Service) -> bool:
    """A service takes self-referrals only when its settings say ``"self_referral": true``."""
    return service.settings.get("self_referral") is True


def _check_source(referral: Referral) -> None:
    if referral.source == Source.SELF and not self_referral_allowed(referral.service):
        raise InvalidInput({"source": [f"{referral.service} does not accept self-referrals."]})


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


def _assign(referral: Referral, fields: Mapping[str, Any]) -> None:
    unknown = sorted(set(fields) - REFERRAL_FIELDS)
    if unknown:
        raise InvalidInput({name: ["This field cannot be set here."] for name in unknown})
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(referral, name, value)


# --- duplicates --------------------------------------------------------------------


def possible_duplicates(
    clinic_id: int, given_name: str, family_name: str, birth_date: date | None
) -> list[Patient]:
    """Patients of the clinic with this date of birth and a name that looks the same.

    Same family name (accents and case aside) and a given name where one starts with
    the other ("Jo" / "Joanne"), or the two names swapped.
    """
    if not birth_date or not family_name or not given_name:
        return []
    family, given = search_key(family_name), search_key(given_name)
    found = []
    for patient in Patient.objects.filter(clinic_id=clinic_id, birth_date=birth_date):
        p_family, p_given = search_key(patient.family_name), search_key(patient.given_name)
        same = p_family == family and (p_given.startswith(given) or given.startswith(p_given))
        swapped = p_family == given and p_given == family
        if same or swapped:
            found.append(patient)
    return found


def match_patient(
    referral: Referral, *, duplicate_choice: str, duplicate_of: Any = None
) -> Patient | None:
    """The existing patient this referral is about, None for a new one, or refuse.

    An MRN that exists is a match, if the name and date of birth agree with it; a name
    and date of birth that match someone else's record need the coordinator's word.
    """
    clinic_id = referral.clinic_id
    if referral.mrn:
        by_mrn = Patient.objects.filter(clinic_id=clinic_id, mrn__iexact=referral.mrn).first()
        if by_mrn is not None:
            if by_mrn.birth_date != referral.birth_date or search_key(
                by_mrn.family_name
            ) != search_key(referral.family_name):
                raise InvalidInput(
                    {
                        "mrn": [
                            f"MRN {by_mrn.mrn} belongs to a patient with a different name or "
                            "date of birth. Check the MRN, or leave it blank."
                        ]
                    }
                )
            return by_mrn
    candidates = possible_duplicates(
        clinic_id, referral.given_name, referral.family_name, referral.birth_date
    )
    if not candidates:
        return None
    referral.duplicate_choice = duplicate_choice
    if duplicate_choice == DuplicateChoice.DIFFERENT:
        return None
    if duplicate_choice == DuplicateChoice.SAME:
        wanted = str(duplicate_of or "")
        chosen = [p for p in candidates if str(p.external_id) == wanted]
        if len(candidates) == 1 and not wanted:
            chosen = candidates
        if not chosen:
            raise InvalidInput(
                {"duplicate_of": ["Choose which existing patient this referral is about."]}
            )
        return chosen[0]
    raise PossibleDuplicate(candidates)


# --- referrals ---------------------------------------------------------------------


def _save(instance: models.Model, actor: Actor, **kwargs: Any) -> None:
    user = actor.user if actor.user and getattr(actor.user, "is_authenticated", False) else None
    instance._history_user = user  # type: ignore[attr-defined]
    instance.save(**kwargs)


def _user(actor: Actor) -> Any:
    return actor.user if getattr(actor.user, "is_authenticated", False) else None


def _service_for(actor: Actor, service: Service | None, field: str = "service") -> Service:
    if service is None or service.clinic_id != actor.principal.clinic_id:
        raise InvalidInput({field: ["No such service in your clinic."]})
    if not can_receive_referral(actor.principal, service.clinic_id, service.pk):
        raise InvalidInput({field: ["You do not work in this service."]})
    if not service.active:
        raise InvalidInput({field: ["This service is closed to new referrals."]})
    return service


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
    service = _service_for(actor, service)
    if len(uploads) > MAX_ATTACHMENTS:
        raise InvalidInput({"attachments": [f"At most {MAX_ATTACHMENTS} files per referral."]})
    for upload in uploads:
        check_upload(upload)
    referral = Referral(clinic_id=service.clinic_id, service=service, created_by=_user(actor))
    referral.clinic = service.clinic
    _assign(referral, fields)
    _validate(referral, exclude=["clinic", "service"])
    _check_source(referral)
    _check_facts(referral, rules_of(current_rule_set(service.clinic)))
    if duplicate_choice not in DuplicateChoice.values:
        raise InvalidInput({"duplicate_choice": ["Choose same or different."]})
    with transaction.atomic():
        referral.patient = match_patient(
            referral, duplicate_choice=duplicate_choice, duplicate_of=duplicate_of
        )
        _screen(referral)
        _save(referral, actor)
        for upload in uploads:
            _attach(actor, referral, upload)
        audit_referral(actor, AuditAction.CREATE, referral, detail="referral received")
        write_letter(actor=actor, referral=referral, kind=LetterKind.ACKNOWLEDGEMENT)
    return referral


def _attach(actor: Actor, referral: Referral, upload: Upload) -> Attachment:
    attachment = Attachment.objects.create(
        referral=referral,
        name=upload.name[:200] or "attachment",
        content_type=upload.content_type,
        size=len(upload.content),
        content=upload.content,
        uploaded_by=_user(actor),
    )
    audit_referral(actor, AuditAction.CREATE, referral, target=attachment, detail=attachment.name)
    return attachment


def add_attachment(*, actor: Actor, referral: Referral, upload: Upload) -> Attachment:
    _require(actor, referral, can_edit_referral)
    check_upload(upload)
    if referral.attachments.count() >= MAX_ATTACHMENTS:
        raise InvalidInput({"attachments": [f"At most {MAX_ATTACHMENTS} files per referral."]})
    with transaction.atomic():
        return _attach(actor, referral, upload)


def _require(actor: Actor, referral: Referral, rule: Any) -> None:
    facts = referral_facts(referral)
    if rule(actor.principal, facts):
        return
    if can_view_referral(actor.principal, facts):
        raise Forbidden("You may view this referral but not do this.")
    raise NotFound("No referral with this id.")


@contextmanager
def _versioned(actor: Actor, referral: Referral, expected: int) -> Iterator[None]:
    """Claim ``expected`` → ``expected + 1`` with a conditional UPDATE, or refuse (409)."""
    try:
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk, version=expected).update(
                version=expected + 1
            )
            if not claimed:
                raise Conflict(
                    "This referral was changed by someone else after you opened it. Nothing "
                    "was saved: reload to see the current version, then try again."
                )
            referral.version = expected + 1
            yield
    except Conflict:
        audit_referral(actor, AuditAction.CONFLICT, referral, detail=f"stale version {expected}")
        raise


def update_referral(
    *, actor: Actor, referral: Referral, expected_version: int, fields: Mapping[str, Any]
) -> Referral:
    """Correct or complete a referral (e.g. when requested information arrives); re-screen."""
    _require(actor, referral, can_edit_referral)
    before = {name: getattr(referral, name) for name in fields}
    _assign(referral, fields)
    _validate(referral)
    _check_source(referral)
    _check_facts(referral, rules_of(current_rule_set(referral.clinic)))
    changed = sorted(name for name in fields if before[name] != getattr(referral, name))
    with _versioned(actor, referral, expected_version):
        _screen(referral)
        _save(referral, actor)
        audit_referral(
            actor, AuditAction.UPDATE, referral, detail="changed: " + (", ".join(changed) or "-")
        )
    return referral


def rescreen(*, actor: Actor, referral: Referral) -> Referral:
    """Screen again with the clinic's current rules (e.g. after a rules change)."""
    _require(actor, referral, can_edit_referral)
    with transaction.atomic():
        _screen(referral)
        _save(referral, actor, update_fields=["urgent", "screening", "rule_set"])
        audit_referral(actor, AuditAction.UPDATE, referral, detail="screened again")
    return referral


# --- decisions ---------------------------------------------------------------------


def _new_mrn(referral: Referral) -> str:
    base = f"REF{referral.pk:06d}"
    candidate, n = base, 1
    while Patient.objects.filter(clinic_id=referral.clinic_id, mrn=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _episode_for(actor: Actor, referral: Referral, service: Service) -> EpisodeOfCare:
    """Create the patient if new (planned episode), else open a planned episode."""
    reason = f"Referral received {referral.received_on:%d %b %Y}"
    if referral.patient is None:
        patient = patient_services.create_patient(
            actor=actor,
            service=service,
            fields={
                "mrn": referral.mrn or _new_mrn(referral),
                "given_name": referral.given_name,
                "family_name": referral.family_name,
                "birth_date": referral.birth_date,
                "sex": referral.sex,
                "phone": referral.phone,
                "address": referral.address,
                "medical_complexity": bool(referral.medical_complexity),
            },
            episode_reason=reason,
        )
        referral.patient = patient
        return patient.episodes.get(service=service)
    patient = referral.patient
    if patient.episodes.filter(service=service, status__in=OPEN_EPISODE_STATUSES).exists():
        raise InvalidInput(
            {"service": [f"{patient.full_name} already has an open episode in {service}."]}
        )
    if can_edit_patient(actor.principal, patient_facts(patient), timezone.localdate()):
        return patient_services.open_episode(
            actor=actor, patient=patient, service=service, reason=reason
        )
    # The triage clinician of this service may not yet see a patient known only to
    # another service: accepting the referral is what brings the patient into theirs.
    episode = EpisodeOfCare(patient=patient, service=service, reason=reason)
    _validate(episode)
    _save(episode, actor)
    audit.log(actor, AuditAction.CREATE, patient_ref=patient.external_id, target=episode)
    return episode


def _undo_acceptance(actor: Actor, referral: Referral, why: str) -> None:
    """A revisited acceptance: off the waiting list, and the planned episode cancelled."""
    now = timezone.now()
    for entry in referral.waiting_list_entries.filter(status=EntryStatus.WAITING).select_related(
        "episode__patient"
    ):
        entry.status = EntryStatus.REMOVED
        entry.removed_reason = why[:300]
        entry.removed_at = now
        entry.removed_by = _user(actor)
        _save(entry, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=entry.patient.external_id,
            target=entry,
            detail="removed from the waiting list: decision revisited",
        )
        episode = entry.episode
        if episode.status == EpisodeStatus.PLANNED:
            episode.status = EpisodeStatus.CANCELLED
            episode.status_reason = why[:300]
            _save(episode, actor)
            audit.log(
                actor,
                AuditAction.UPDATE,
                patient_ref=episode.patient.external_id,
                target=episode,
                detail="status → cancelled (triage decision revisited)",
            )


def decide(
    *,
    actor: Actor,
    referral: Referral,
    expected_version: int,
    outcome: str,
    reason: str = "",
    service: Service | None = None,
    priority: str = "",
    redirect_to: str = "",
    missing_items: Sequence[str] | None = None,
) -> Decision:
    """Record a triage decision and carry it out, in one transaction.

    Accepting creates the patient if new, a planned episode and a waiting-list entry;
    redirecting to a service of the clinic moves the referral to that service's queue;
    a decision can be revisited (a new decision), and an acceptance undone that way
    takes the patient off the waiting list. Decline, redirect and urgent review need a
    reason; so does accepting a referral with red flags present.
    """
    _require(actor, referral, can_decide_referral)
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if outcome not in Outcome.values:
        raise InvalidInput({"outcome": [f"Choose one of: {', '.join(Outcome.values)}."]})
    if outcome in NEEDS_REASON and not reason:
        errors["reason"] = [f"Give a reason to {Outcome(outcome).label.lower()}."]
    items = [i.strip()[:300] for i in (missing_items or []) if i and i.strip()]
    target: Service | None = None
    if outcome == Outcome.ACCEPT:
        target = service or referral.service
        if priority not in Priority.values:
            errors["priority"] = ["Choose a priority: urgent, soon or routine."]
        if referral.urgent and not reason:
            errors["reason"] = ["Red flags are present: give a reason for accepting."]
        if referral.status == ReferralStatus.ACCEPTED:
            errors["outcome"] = ["This referral is already accepted."]
    elif outcome == Outcome.REDIRECT:
        if service is None and not redirect_to.strip():
            errors["service"] = ["Choose a service, or name where the referral goes."]
        if service is not None and service.pk == referral.service_id:
            errors["service"] = ["This is the service the referral is already for."]
        target = service
    elif outcome == Outcome.REQUEST_INFORMATION:
        if not items:
            items = [d["label"] for d in referral.screening.get("missing_disclosures", [])]
        if not items:
            errors["missing_items"] = ["Say what information is missing."]
    if errors:
        raise InvalidInput(errors)
    if target is not None:
        _service_for(actor, target)
    with _versioned(actor, referral, expected_version):
        if referral.status == ReferralStatus.ACCEPTED:
            _undo_acceptance(actor, referral, f"Triage decision revisited: {reason or outcome}")
        decision = Decision.objects.create(
            referral=referral,
            outcome=outcome,
            service=target,
            redirect_to=redirect_to.strip()[:200],
            priority=priority if outcome == Outcome.ACCEPT else "",
            reason=reason,
            missing_items=items if outcome == Outcome.REQUEST_INFORMATION else [],
            decided_by=_user(actor),
            decided_by_name=_name(actor),
        )
        referral.status = STATUS_AFTER[Outcome(outcome)]
        if outcome == Outcome.ACCEPT and target is not None:
            episode = _episode_for(actor, referral, target)
            WaitingListEntry.objects.create(
                referral=referral,
                patient=episode.patient,
                service=target,
                episode=episode,
                priority=priority,
                waiting_since=referral.received_on,
                target_wait_days=target.target_wait_days,
                target_date=referral.received_on + timedelta(days=target.target_wait_days),
            )
        if outcome == Outcome.REDIRECT and target is not None:
            referral.service = target
            referral.status = ReferralStatus.RECEIVED
        _save(referral, actor)
        audit_referral(
            actor, AuditAction.CREATE, referral, target=decision, detail=f"decision: {outcome}"
        )
        kind = LETTER_FOR.get(Outcome(outcome))
        if kind is not None:
            write_letter(actor=actor, referral=referral, kind=kind, decision=decision)
    return decision


def _name(actor: Actor) -> str:
    user = _user(actor)
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return str(profile) if profile is not None else user.get_username()


# --- waiting list ------------------------------------------------------------------


def _require_entry(actor: Actor, entry: WaitingListEntry) -> None:
    facts = referral_facts(entry)
    if not can_manage_waiting_list(actor.principal, facts):
        raise NotFound("No waiting-list entry with this id.")


def remove_from_waiting_list(
    *, actor: Actor, entry: WaitingListEntry, reason: str
) -> WaitingListEntry:
    """Take someone off the waiting list; the reason is required and kept."""
    _require_entry(actor, entry)
    if entry.status != EntryStatus.WAITING:
        raise InvalidInput({"reason": ["This person is no longer on the waiting list."]})
    if not reason.strip():
        raise InvalidInput({"reason": ["Give a reason for removing this person."]})
    with transaction.atomic():
        entry.status = EntryStatus.REMOVED
        entry.removed_reason = reason.strip()[:300]
        entry.removed_at = timezone.now()
        entry.removed_by = _user(actor)
        _save(entry, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=entry.patient.external_id,
            target=entry,
            detail="removed from the waiting list",
        )
    return entry


def set_expected_start(
    *, actor: Actor, entry: WaitingListEntry, expected_start: date | None
) -> WaitingListEntry:
    _require_entry(actor, entry)
    if expected_start is not None and expected_start < entry.waiting_since:
        raise InvalidInput(
            {"expected_start": ["The expected start cannot be before the referral was received."]}
        )
    with transaction.atomic():
        entry.expected_start = expected_start
        _save(entry, actor)
        audit.log(
            actor,
            AuditAction.UPDATE,
            patient_ref=entry.patient.external_id,
            target=entry,
            detail=f"expected start → {expected_start or '-'}",
        )
    return entry


# --- letters -----------------------------------------------------------------------


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
    _require(actor, referral, can_edit_referral)
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
            created_by=_user(actor),
        )
        audit_referral(actor, AuditAction.CREATE, referral, target=letter, detail=f"letter: {kind}")
    return letter


def check_letter_template(text: str, field: str) -> None:
    try:
        letters.check_template(text)
    except TemplateSyntaxError as exc:
        raise InvalidInput({field: [str(exc)]}) from exc
