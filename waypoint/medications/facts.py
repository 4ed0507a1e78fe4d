"""What the stewardship rules need to know about the patient, as plain values and dates.

Mapping coded records (conditions, encounters, questionnaires, monitoring events) onto
these facts is the caller's job; the rules only read them. No Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

__all__ = ["RISK_FACTS", "PatientFacts", "age_on", "has_risk"]


@dataclass(frozen=True)
class PatientFacts:
    """What the rules need to know about the patient, as plain values and dates.

    ``conditions`` and ``care_setting`` use the keys of the rules' ``scope`` (e.g.
    ``"cancer"``, ``"sickle-cell-disease"``, ``"palliative-care"``, ``"end-of-life"``;
    ``"inpatient"``); mapping coded records onto these keys is the caller's job.
    ``toxicology_declined_on`` records a documented decision that testing's risks
    outweigh its benefits (CDC 2022 Rec. 10 decision support).
    """

    birth_date: date | None = None
    conditions: frozenset[str] = frozenset()
    care_setting: str | None = None
    history_of_overdose: bool = False
    substance_use_disorder: bool = False
    sleep_disordered_breathing: bool = False
    naloxone_offered_on: date | None = None
    opioid_started_on: date | None = None
    opioid_agreement_signed_on: date | None = None
    opioid_agreement_reviewed_on: date | None = None
    opioid_agreement_review_due: date | None = None
    last_pdmp_check: date | None = None
    last_urine_drug_screen: date | None = None
    toxicology_declined_on: date | None = None
    last_functional_review: date | None = None
    stop_bang_score: int | None = None
    last_falls_review: date | None = None


# The yes/no facts a rule may name as a risk (``naloxone.risk_facts`` in the rules file,
# CDC 2022 Rec. 8), each with the words an alert uses for it.
RISK_FACTS: Mapping[str, str] = {
    "history_of_overdose": "history of overdose",
    "substance_use_disorder": "substance use disorder",
    "sleep_disordered_breathing": "sleep-disordered breathing",
}


def has_risk(facts: PatientFacts, name: str) -> bool:
    """Whether the patient has the risk fact ``name`` (a key of ``RISK_FACTS``)."""
    if name not in RISK_FACTS:
        raise KeyError(name)
    return bool(getattr(facts, name))


def age_on(birth_date: date, today: date) -> int:
    """Age in completed years on ``today`` (a birthday counts on the day itself)."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - int(before_birthday)
