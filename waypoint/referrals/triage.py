"""Referral triage: red flags, required disclosures and eligibility per service.

Plain Python in, plain Python out (no Django). ``screen(referral, rules)`` is the entry
point the API, reports and tests call; the rules are data (``data/triage-rules.json``,
validated by ``waypoint.referrals.rules``), each with its ``source``. The clinical
sources behind the shipped rules:

- red flags and required disclosures — an adult pain management service's referral
  criteria (seed material; Waypoint domain notes ``triage.md``): any red flag present
  means urgent medical review, and not eligible for a programme until resolved;
- adult programme — same seed: age >= 18, pain >= 3 months (a setting), a musculoskeletal
  disorder of non-malignant, non-inflammatory origin where pain is primary and biomedical
  intervention is inappropriate or has not helped;
- paediatric intensive programme — seed 001: ages 10-18 inclusive, chronic pain with
  significant functional disability despite outpatient multidisciplinary care;
- neuroirritability clinic — seed: children with medical complexity or neurological
  impairment with recurrent pain behaviours;
- interventional clinic — a referring physician's request for a named procedure.

Unknown is never read as "no": a fact not recorded makes a rule ``unknown`` and the
service's eligibility ``None`` (cannot tell), so the coordinator knows what to chase.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import assert_never

from waypoint.referrals.rules import (
    BOOLEAN_FACTS,
    SERVICE_KINDS,
    TEXT_FACTS,
    AgeRange,
    AnyFactTrue,
    DiagnosisIn,
    Disclosure,
    FactGiven,
    FactTrue,
    NoRedFlagsPresent,
    PainDurationAtLeast,
    RedFlag,
    Rule,
    Rules,
    RulesError,
    load_rules,
    parse_rules,
)

__all__ = [
    "REFERRAL_SOURCES",
    "SERVICE_KINDS",
    "Eligibility",
    "FactsError",
    "FlagStatus",
    "Outcome",
    "Reason",
    "ReferralFacts",
    "Rules",
    "RulesError",
    "Screening",
    "age_on",
    "load_rules",
    "parse_rules",
    "screen",
]

REFERRAL_SOURCES = ("gp", "hospital-specialist", "internal-team", "self")


class FlagStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"


class FactsError(ValueError):
    """The referral facts are contradictory or use codes the rules do not know."""


def age_on(date_of_birth: date, on: date) -> int:
    """Age in completed years on a date: a child born 2015-06-15 is 10 on 2025-06-15.

    Someone born on 29 February turns a year older on 1 March in non-leap years.
    """
    if on < date_of_birth:
        raise FactsError(f"date {on} is before the date of birth {date_of_birth}")
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


@dataclass(frozen=True)
class ReferralFacts:
    """What a referral tells us. ``None`` everywhere means "not recorded".

    Give either ``age_years`` or ``date_of_birth`` with ``referral_date`` (or both, if they
    agree). ``red_flags`` maps red-flag codes to present/absent/unknown; a flag left out is
    unknown. ``disclosures`` maps disclosure codes to True when provided.
    """

    age_years: int | None = None
    date_of_birth: date | None = None
    referral_date: date | None = None
    pain_duration_months: float | None = None
    diagnosis: str | None = None
    red_flags: Mapping[str, str] = field(default_factory=dict)
    disclosures: Mapping[str, bool | None] = field(default_factory=dict)
    pain_is_primary: bool | None = None
    biomedical_intervention_unhelpful: bool | None = None
    functional_disability: bool | None = None
    outpatient_mdt_tried: bool | None = None
    medical_complexity: bool | None = None
    neurological_impairment: bool | None = None
    recurrent_pain_behaviours: bool | None = None
    referrer_is_physician: bool | None = None
    requested_procedure: str | None = None
    self_management_activated: bool | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.age_years is not None and self.age_years < 0:
            raise FactsError(f"age_years must be >= 0, got {self.age_years}")
        if self.pain_duration_months is not None and self.pain_duration_months < 0:
            raise FactsError(f"pain_duration_months must be >= 0, got {self.pain_duration_months}")
        for name in BOOLEAN_FACTS:
            # 0 and 1 compare equal to False and True; only real booleans are accepted.
            if not isinstance(getattr(self, name), bool | None):
                raise FactsError(f"{name} must be True, False or None, got {getattr(self, name)!r}")
        if self.source is not None and self.source not in REFERRAL_SOURCES:
            raise FactsError(f"source {self.source!r} is not one of {', '.join(REFERRAL_SOURCES)}")
        for code, status in self.red_flags.items():
            if status not in {s.value for s in FlagStatus}:
                raise FactsError(f"red flag {code!r}: {status!r} is not present/absent/unknown")
        computed = self.age
        if self.age_years is not None and computed != self.age_years:
            raise FactsError(
                f"age_years {self.age_years} disagrees with date of birth (age {computed})"
            )

    @property
    def age(self) -> int | None:
        """Age in years, exact from the dates when both are known."""
        if self.date_of_birth is not None and self.referral_date is not None:
            return age_on(self.date_of_birth, self.referral_date)
        return self.age_years


@dataclass(frozen=True)
class Reason:
    """One rule's verdict on a referral: ``message`` names the threshold and the value."""

    code: str
    outcome: Outcome
    message: str
    source: str


@dataclass(frozen=True)
class Eligibility:
    """``eligible`` is True when every rule passed, False when any failed, else None."""

    kind: str
    label: str
    eligible: bool | None
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Screening:
    """The triage picture of one referral; ``rules_version`` records which rules made it."""

    urgent: bool
    red_flags_present: tuple[RedFlag, ...]
    red_flags_unknown: tuple[RedFlag, ...]
    missing_disclosures: tuple[Disclosure, ...]
    eligibility: Mapping[str, Eligibility]
    rules_version: str


def screen(referral: ReferralFacts, rules: Rules) -> Screening:
    """Screen a referral: urgency from red flags, missing disclosures, eligibility per service.

    Raises ``FactsError`` if the referral uses a red-flag, disclosure or diagnosis code the
    rules do not define: a misspelt code must not pass as "not recorded".
    """
    _check_codes(referral, rules)
    present = tuple(f for f in rules.red_flags if _flag(referral, f) is FlagStatus.PRESENT)
    unknown = tuple(f for f in rules.red_flags if _flag(referral, f) is FlagStatus.UNKNOWN)
    missing = tuple(d for d in rules.disclosures if not _disclosed(referral, d))
    eligibility = {
        kind: _eligibility(kind, service.label, [_judge(r, referral, rules) for r in service.rules])
        for kind, service in rules.services.items()
    }
    return Screening(bool(present), present, unknown, missing, eligibility, rules.version)


def _check_codes(referral: ReferralFacts, rules: Rules) -> None:
    known = {
        "red flag": {f.code for f in rules.red_flags},
        "disclosure": {d.code for d in rules.disclosures},
        "diagnosis": {c.code for c in rules.diagnosis_categories},
    }
    used: dict[str, set[str]] = {
        "red flag": set(referral.red_flags),
        "disclosure": set(referral.disclosures),
        "diagnosis": set() if referral.diagnosis is None else {referral.diagnosis},
    }
    for what, codes in used.items():
        if strange := sorted(codes - known[what]):
            raise FactsError(f"unknown {what} code(s): {', '.join(strange)}")


def _flag(referral: ReferralFacts, flag: RedFlag) -> FlagStatus:
    return FlagStatus(referral.red_flags.get(flag.code, FlagStatus.UNKNOWN))


def _disclosed(referral: ReferralFacts, disclosure: Disclosure) -> bool:
    # A recorded answer (yes or no) to the question behind a disclosure discloses it.
    if disclosure.answered_by and getattr(referral, disclosure.answered_by) is not None:
        return True
    return referral.disclosures.get(disclosure.code) is True


def _eligibility(kind: str, label: str, reasons: list[Reason]) -> Eligibility:
    outcomes = {r.outcome for r in reasons}
    eligible = (
        False if Outcome.FAILED in outcomes else None if Outcome.UNKNOWN in outcomes else True
    )
    return Eligibility(kind, label, eligible, tuple(reasons))


def _yes_no(value: bool | None) -> str:
    return "not recorded" if value is None else "yes" if value else "no"


def _outcome(ok: bool | None) -> Outcome:
    return Outcome.UNKNOWN if ok is None else Outcome.PASSED if ok else Outcome.FAILED


def _judge(rule: Rule, referral: ReferralFacts, rules: Rules) -> Reason:
    """Apply one rule; the message names the threshold and the referral's value."""
    match rule:
        case AgeRange():
            ok, message = _age(rule, referral.age)
        case PainDurationAtLeast():
            ok, message = _pain_duration(rule, referral.pain_duration_months)
        case DiagnosisIn():
            ok, message = _diagnosis(rule, referral.diagnosis, rules)
        case FactTrue(fact=name):
            value = getattr(referral, name)
            ok, message = value, f"{BOOLEAN_FACTS[name]}: {_yes_no(value)} (required: yes)"
        case AnyFactTrue(facts=names):
            values = [getattr(referral, name) for name in names]
            ok = True if True in values else None if None in values else False
            shown = ", ".join(
                f"{BOOLEAN_FACTS[n]}: {_yes_no(v)}" for n, v in zip(names, values, strict=True)
            )
            message = f"{shown} (required: at least one yes)"
        case FactGiven(fact=name):
            ok, message = _given(TEXT_FACTS[name], getattr(referral, name))
        case NoRedFlagsPresent():
            ok, message = _no_red_flags(referral, rules)
        case _:
            assert_never(rule)
    return Reason(rule.code, _outcome(ok), message, rule.source)


def _age(rule: AgeRange, age: int | None) -> tuple[bool | None, str]:
    low, high = rule.min_years, rule.max_years
    wanted = (
        f"{low}-{high}"
        if low is not None and high is not None
        else (f">= {low}" if low is not None else f"<= {high}")
    )
    if age is None:
        return None, f"age not recorded (required {wanted})"
    ok = (low is None or age >= low) and (high is None or age <= high)
    return ok, f"age {age} {'meets' if ok else 'is outside'} the required {wanted}"


def _pain_duration(rule: PainDurationAtLeast, months: float | None) -> tuple[bool | None, str]:
    if months is None:
        return None, f"pain duration not recorded (required >= {rule.months:g} months)"
    ok = months >= rule.months
    verb = "meets" if ok else "is less than"
    return ok, f"pain for {months:g} months {verb} the required {rule.months:g} months"


def _diagnosis(rule: DiagnosisIn, code: str | None, rules: Rules) -> tuple[bool | None, str]:
    accepted = f"(accepted: {', '.join(rules.diagnosis_label(c) for c in rule.accepted)})"
    if code is None:
        return None, f"diagnosis not recorded {accepted}"
    named = rules.diagnosis_label(code)
    if code in rule.accepted:
        return True, f"diagnosis {named} is accepted"
    if code in rule.uncertain:
        return None, f"diagnosis {named} needs clinician review {accepted}"
    return False, f"diagnosis {named} is not accepted {accepted}"


def _given(label: str, text: str | None) -> tuple[bool | None, str]:
    # None is "not recorded"; an explicitly blank answer means none was named.
    if text is None:
        return None, f"{label} not recorded (required)"
    if text.strip():
        return True, f"{label}: {text.strip()}"
    return False, f"{label}: none named (required)"


def _no_red_flags(referral: ReferralFacts, rules: Rules) -> tuple[bool | None, str]:
    present = [f.label for f in rules.red_flags if _flag(referral, f) is FlagStatus.PRESENT]
    unknown = [f.label for f in rules.red_flags if _flag(referral, f) is FlagStatus.UNKNOWN]
    if present:
        return False, f"red flags present (urgent medical review first): {'; '.join(present)}"
    if unknown:
        return None, f"red flags not recorded: {'; '.join(unknown)}"
    return True, "no red flags present"
