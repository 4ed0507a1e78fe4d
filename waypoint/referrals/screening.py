"""A referral screened against its clinic's current rules, and its facts checked first.

``triage.py`` is the pure core (facts and rules in, screening out); this module reads
the facts from a ``Referral`` and stores the result with it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from waypoint.core.errors import InvalidInput

from . import triage
from .choices import FlagAnswer
from .models import Referral, RuleSet
from .rule_sets import current_rule_set, rules_of

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


def screen(referral: Referral) -> None:
    """Screen with the clinic's current rules and keep the result on the (unsaved) referral."""
    rule_set = current_rule_set(referral.clinic)
    try:
        result = triage.screen(facts_of(referral), rules_of(rule_set))
    except triage.FactsError as exc:
        raise InvalidInput({"__all__": [f"The referral cannot be screened: {exc}"]}) from exc
    referral.rule_set = rule_set
    referral.urgent = result.urgent
    referral.screening = screening_as_data(result, rule_set)


def check_facts(referral: Referral, rules: triage.Rules) -> None:
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
