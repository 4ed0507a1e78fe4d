"""Tests for the referral triage core: red flags, disclosures, eligibility, rules validation.

Every table row carries the source of its expectation; it is shown when the row fails.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from waypoint.referrals.rules import BOOLEAN_FACTS, TEXT_FACTS
from waypoint.referrals.triage import (
    SERVICE_KINDS,
    Eligibility,
    FactsError,
    Outcome,
    Reason,
    ReferralFacts,
    Rules,
    RulesError,
    age_on,
    load_rules,
    parse_rules,
    screen,
)

RULES = load_rules()
RAW: dict[str, Any] = json.loads(
    (resources.files("waypoint.referrals") / "data" / "triage-rules.json").read_text("utf-8")
)

SEED_ADULT = "seed: adult pain management service referral criteria (triage.md)"
SEED_PAED = "seed 001: paediatric intensive programme (triage.md)"
SEED_NEURO = "seed: neuroirritability clinic (triage.md)"
ISSUE = "Waypoint referral-pathway issue"
DECISION = "Waypoint decision where the source is silent (see rule source in the JSON)"

# Written out here, not read from the JSON, so a change to the data file has to be deliberate.
RED_FLAGS = [
    ("severe-mental-illness", "severe mental illness"),
    ("unmanaged-suicide-risk", "unmanaged suicide risk"),
    ("unexplained-weight-loss", "substantial unexplained weight loss"),
    (
        "inflammatory-joint-or-connective-tissue-disease",
        "symptoms or signs of inflammatory joint or connective tissue disease",
    ),
    ("cardio-respiratory-disease", "symptoms or signs of cardio-respiratory disease"),
    ("lymphadenopathy", "clinically significant lymphadenopathy"),
    ("progressive-neurological-symptoms", "widespread or progressive neurological symptoms"),
    ("acute-trauma", "acute trauma"),
    ("cauda-equina", "signs of cauda equina syndrome"),
    ("unremitting-night-pain", "unremitting night pain"),
]
ALL_ABSENT = {code: "absent" for code, _ in RED_FLAGS}
DISCLOSURES = [
    "mental-health",
    "addictions",
    "care-support",
    "psychosocial-history",
    "medication-history",
    "previous-interventions",
    "proposed-referrals",
    "self-management-activation",
]
PROGRAMMES = ("adult-programme", "paediatric-intensive")
CLINICS = ("neuroirritability", "interventional")

# A referral that meets every rule of its service; each test changes one thing.
QUALIFYING: dict[str, dict[str, Any]] = {
    "adult-programme": {
        "age_years": 40,
        "pain_duration_months": 12,
        "diagnosis": "musculoskeletal-non-malignant",
        "pain_is_primary": True,
        "biomedical_intervention_unhelpful": True,
        "red_flags": ALL_ABSENT,
    },
    "paediatric-intensive": {
        "age_years": 14,
        "pain_duration_months": 6,
        "functional_disability": True,
        "outpatient_mdt_tried": True,
        "red_flags": ALL_ABSENT,
    },
    "neuroirritability": {
        "age_years": 8,
        "medical_complexity": True,
        "recurrent_pain_behaviours": True,
    },
    "interventional": {"referrer_is_physician": True, "requested_procedure": "lidocaine infusion"},
}


def facts(kind: str, **changes: Any) -> ReferralFacts:
    return ReferralFacts(**{**QUALIFYING[kind], **changes})


def eligibility(kind: str, *, rules: Rules = RULES, **changes: Any) -> Eligibility:
    return screen(facts(kind, **changes), rules).eligibility[kind]


def reason(result: Eligibility, code: str) -> Reason:
    matches = [r for r in result.reasons if r.code == code]
    assert len(matches) == 1, f"expected one reason {code!r} in {result.reasons}"
    return matches[0]


def with_months(kind: str, months: float) -> Rules:
    data = copy.deepcopy(RAW)
    for rule in data["services"][kind]["rules"]:
        if rule["check"] == "pain-duration-at-least":
            rule["months"] = months
    return parse_rules(data)


# --- the shipped rules file -------------------------------------------------------------


def test_shipped_rules_cover_the_four_service_kinds_and_the_seed_lists() -> None:
    assert tuple(RULES.services) == SERVICE_KINDS
    assert [(f.code, f.label) for f in RULES.red_flags] == RED_FLAGS
    assert [d.code for d in RULES.disclosures] == DISCLOSURES


def test_every_shipped_rule_has_a_source_and_urgency_is_marked_unverified() -> None:
    sources = [f.source for f in RULES.red_flags] + [d.source for d in RULES.disclosures]
    sources += [c.source for c in RULES.diagnosis_categories]
    sources += [r.source for s in RULES.services.values() for r in s.rules]
    assert all(s.strip() for s in sources)
    urgencies = [f.urgency for f in RULES.red_flags if f.urgency is not None]
    assert urgencies, "the [U] urgency grading is expected on some flags"
    assert not any(u.verified for u in urgencies), "triage.md marks the urgency table [U]"


def test_facts_named_by_rules_exist_on_referral_facts() -> None:
    names = {f.name for f in dataclasses.fields(ReferralFacts)}
    assert set(BOOLEAN_FACTS) | set(TEXT_FACTS) <= names


@pytest.mark.parametrize("kind", SERVICE_KINDS)
def test_qualifying_referral_is_eligible(kind: str) -> None:
    # The baseline for every one-change test below: without it a "not eligible" proves nothing.
    result = eligibility(kind)
    assert result.eligible is True, result.reasons
    assert all(r.outcome is Outcome.PASSED for r in result.reasons)


# --- red flags --------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "label"), RED_FLAGS)
def test_red_flag_present_is_urgent_named_and_excludes_programmes(code: str, label: str) -> None:
    referral = facts("adult-programme", red_flags={**ALL_ABSENT, code: "present"})
    result = screen(referral, RULES)
    assert result.urgent is True, SEED_ADULT
    assert [(f.code, f.label) for f in result.red_flags_present] == [(code, label)], SEED_ADULT
    assert result.red_flags_unknown == ()
    for kind in PROGRAMMES:
        no_flags = reason(result.eligibility[kind], "no-red-flags")
        assert result.eligibility[kind].eligible is False, SEED_ADULT
        assert no_flags.outcome is Outcome.FAILED
        assert label in no_flags.message


@pytest.mark.parametrize(("code", "label"), RED_FLAGS)
def test_red_flag_unknown_is_listed_not_urgent(code: str, label: str) -> None:
    result = screen(facts("adult-programme", red_flags={**ALL_ABSENT, code: "unknown"}), RULES)
    assert result.urgent is False, ISSUE
    assert result.red_flags_present == ()
    assert [f.code for f in result.red_flags_unknown] == [code], ISSUE
    no_flags = reason(result.eligibility["adult-programme"], "no-red-flags")
    assert result.eligibility["adult-programme"].eligible is None
    assert (no_flags.outcome, label in no_flags.message) == (Outcome.UNKNOWN, True)


@pytest.mark.parametrize(("code", "label"), RED_FLAGS)
def test_red_flag_left_out_counts_as_unknown(code: str, label: str) -> None:
    flags = {c: s for c, s in ALL_ABSENT.items() if c != code}
    result = screen(facts("adult-programme", red_flags=flags), RULES)
    assert [f.label for f in result.red_flags_unknown] == [label], ISSUE


def test_all_red_flags_absent_gives_nothing_to_report() -> None:
    result = screen(facts("adult-programme"), RULES)
    assert (result.urgent, result.red_flags_present, result.red_flags_unknown) == (False, (), ())
    assert reason(result.eligibility["adult-programme"], "no-red-flags").outcome is Outcome.PASSED


def test_several_red_flags_present_are_all_named_in_rules_order() -> None:
    flags = {**ALL_ABSENT, "unremitting-night-pain": "present", "cauda-equina": "present"}
    result = screen(facts("adult-programme", red_flags=flags), RULES)
    assert [f.code for f in result.red_flags_present] == ["cauda-equina", "unremitting-night-pain"]


@pytest.mark.parametrize("kind", CLINICS)
def test_red_flag_does_not_change_clinic_eligibility_but_screening_is_urgent(kind: str) -> None:
    # DECISION: the seed excludes red-flag referrals from "the programme"; clinics keep their
    # eligibility and the top-level `urgent` carries the alert. A clinic can add the rule.
    referral = facts(kind, red_flags={"cauda-equina": "present"})
    result = screen(referral, RULES)
    assert result.urgent is True
    assert result.eligibility[kind].eligible is True, DECISION


@pytest.mark.parametrize(
    ("red_flags", "message"),
    [
        ({"cauda-equina": "yes"}, "'yes' is not present/absent/unknown"),
        ({"cauda-equina": None}, "None is not present/absent/unknown"),
    ],
)
def test_red_flag_status_must_be_present_absent_or_unknown(
    red_flags: dict[str, Any], message: str
) -> None:
    with pytest.raises(FactsError, match=message):
        ReferralFacts(red_flags=red_flags)


def test_misspelt_red_flag_code_is_refused_not_read_as_unknown() -> None:
    with pytest.raises(FactsError, match="unknown red flag code.*cauda-equine"):
        screen(ReferralFacts(red_flags={"cauda-equine": "present"}), RULES)


# --- age --------------------------------------------------------------------------------

AGE_TABLE = [
    # kind, age, eligible, source
    ("adult-programme", 9, False, SEED_ADULT + ": over 18 read as >= 18"),
    ("adult-programme", 10, False, SEED_ADULT),
    ("adult-programme", 17, False, SEED_ADULT),
    ("adult-programme", 18, True, SEED_ADULT),
    ("adult-programme", 19, True, SEED_ADULT),
    ("paediatric-intensive", 9, False, SEED_PAED + ": ages 10-18 inclusive"),
    ("paediatric-intensive", 10, True, SEED_PAED),
    ("paediatric-intensive", 17, True, SEED_PAED),
    ("paediatric-intensive", 18, True, SEED_PAED),
    ("paediatric-intensive", 19, False, SEED_PAED),
    ("neuroirritability", 9, True, SEED_NEURO + ": children, read as under 18"),
    ("neuroirritability", 10, True, SEED_NEURO),
    ("neuroirritability", 17, True, SEED_NEURO),
    ("neuroirritability", 18, False, SEED_NEURO),
    ("neuroirritability", 19, False, SEED_NEURO),
]


@pytest.mark.parametrize(("kind", "age", "eligible", "source"), AGE_TABLE)
def test_age_boundaries(kind: str, age: int, eligible: bool, source: str) -> None:
    result = eligibility(kind, age_years=age)
    age_reason = reason(result, "age")
    assert result.eligible is eligible, source
    assert age_reason.outcome is (Outcome.PASSED if eligible else Outcome.FAILED), source
    assert f"age {age} " in age_reason.message


@pytest.mark.parametrize("age", [9, 10, 17, 18, 19])
def test_interventional_clinic_has_no_age_limit(age: int) -> None:
    result = eligibility("interventional", age_years=age)
    assert result.eligible is True, "seeds 000 (children) and 003/004 (adults) both name it"
    assert "age" not in [r.code for r in result.reasons]


@pytest.mark.parametrize(
    ("kind", "born", "referred", "age", "eligible", "source"),
    [
        ("paediatric-intensive", date(2015, 6, 15), date(2025, 6, 15), 10, True, SEED_PAED),
        ("paediatric-intensive", date(2015, 6, 15), date(2025, 6, 14), 9, False, SEED_PAED),
        ("paediatric-intensive", date(2006, 6, 15), date(2025, 6, 14), 18, True, SEED_PAED),
        ("paediatric-intensive", date(2006, 6, 15), date(2025, 6, 15), 19, False, SEED_PAED),
        ("adult-programme", date(2007, 6, 15), date(2025, 6, 15), 18, True, SEED_ADULT),
        ("adult-programme", date(2007, 6, 15), date(2025, 6, 14), 17, False, SEED_ADULT),
        ("neuroirritability", date(2007, 6, 15), date(2025, 6, 14), 17, True, SEED_NEURO),
        ("neuroirritability", date(2007, 6, 15), date(2025, 6, 15), 18, False, SEED_NEURO),
        # Born on 29 February: a year older on 1 March in a non-leap year.
        ("paediatric-intensive", date(2012, 2, 29), date(2022, 2, 28), 9, False, SEED_PAED),
        ("paediatric-intensive", date(2012, 2, 29), date(2022, 3, 1), 10, True, SEED_PAED),
        ("paediatric-intensive", date(2012, 2, 29), date(2024, 2, 29), 12, True, SEED_PAED),
    ],
)
def test_age_from_date_of_birth_is_exact_at_birthdays(
    kind: str, born: date, referred: date, age: int, eligible: bool, source: str
) -> None:
    referral = facts(kind, age_years=None, date_of_birth=born, referral_date=referred)
    assert referral.age == age
    assert screen(referral, RULES).eligibility[kind].eligible is eligible, source


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2015, 12, 31), date(2025, 12, 30), 9),
        (date(2015, 12, 31), date(2025, 12, 31), 10),
        (date(2015, 12, 31), date(2026, 1, 1), 10),
        (date(2015, 1, 1), date(2015, 1, 1), 0),
    ],
)
def test_age_on_counts_completed_years(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_age_from_dates_must_agree_with_age_given() -> None:
    with pytest.raises(FactsError, match="disagrees"):
        ReferralFacts(
            age_years=10, date_of_birth=date(2015, 6, 15), referral_date=date(2025, 6, 14)
        )
    agreed = ReferralFacts(
        age_years=9, date_of_birth=date(2015, 6, 15), referral_date=date(2025, 6, 14)
    )
    assert agreed.age == 9


def test_referral_before_birth_is_refused() -> None:
    with pytest.raises(FactsError, match="before the date of birth"):
        ReferralFacts(date_of_birth=date(2020, 1, 2), referral_date=date(2020, 1, 1))


def test_date_of_birth_without_referral_date_leaves_age_unknown() -> None:
    result = eligibility("adult-programme", age_years=None, date_of_birth=date(1980, 1, 1))
    assert (result.eligible, reason(result, "age").outcome) == (None, Outcome.UNKNOWN)


# --- pain duration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "setting", "months", "eligible", "source"),
    [
        ("adult-programme", None, 2, False, SEED_ADULT + ": 'more than 3-6 months' read as >= 3"),
        ("adult-programme", None, 2.9, False, SEED_ADULT),
        ("adult-programme", None, 3, True, SEED_ADULT),
        ("paediatric-intensive", None, 2, False, SEED_PAED + ": chronic pain (> 3 months)"),
        ("paediatric-intensive", None, 3, True, SEED_PAED + ": read as >= 3 like the adult rule"),
        ("adult-programme", 6, 3, False, SEED_ADULT + ": some services use 6 months"),
        ("adult-programme", 6, 5.5, False, SEED_ADULT),
        ("adult-programme", 6, 6, True, SEED_ADULT),
    ],
)
def test_pain_duration(
    kind: str, setting: float | None, months: float, eligible: bool, source: str
) -> None:
    rules = RULES if setting is None else with_months(kind, setting)
    result = eligibility(kind, rules=rules, pain_duration_months=months)
    message = reason(result, "pain-duration").message
    assert result.eligible is eligible, source
    threshold = 3 if setting is None else setting
    assert f"pain for {months:g} months" in message and f"{threshold:g} months" in message


# --- diagnosis --------------------------------------------------------------------------

MSK_READING = SEED_ADULT + ": musculoskeletal, non-malignant, non-inflammatory; " + DECISION
DIAGNOSIS_TABLE = [
    ("musculoskeletal-non-malignant", Outcome.PASSED, SEED_ADULT),
    ("fibromyalgia", Outcome.PASSED, MSK_READING + " (ICD-10 chapter M)"),
    ("hypermobility-eds", Outcome.PASSED, MSK_READING + " (ICD-10 M35.7 / Q79.6)"),
    ("crps", Outcome.UNKNOWN, MSK_READING + " (classed under nerves and musculoskeletal)"),
    ("other", Outcome.UNKNOWN, MSK_READING + " ('other' says nothing: clinician review)"),
    ("neuropathic", Outcome.FAILED, MSK_READING),
    ("headache", Outcome.FAILED, MSK_READING),
    ("abdominal", Outcome.FAILED, MSK_READING),
    ("cancer-related", Outcome.FAILED, SEED_ADULT + ": non-malignant"),
    ("inflammatory", Outcome.FAILED, SEED_ADULT + ": non-inflammatory"),
]


def test_diagnosis_table_covers_every_category() -> None:
    assert sorted(c for c, _, _ in DIAGNOSIS_TABLE) == sorted(
        c.code for c in RULES.diagnosis_categories
    )


@pytest.mark.parametrize(("diagnosis", "outcome", "source"), DIAGNOSIS_TABLE)
def test_diagnosis_against_adult_programme(diagnosis: str, outcome: Outcome, source: str) -> None:
    result = eligibility("adult-programme", diagnosis=diagnosis)
    expected = {Outcome.PASSED: True, Outcome.FAILED: False, Outcome.UNKNOWN: None}[outcome]
    assert reason(result, "diagnosis").outcome is outcome, source
    assert result.eligible is expected, source
    assert RULES.diagnosis_label(diagnosis) in reason(result, "diagnosis").message


def test_unknown_diagnosis_code_is_refused() -> None:
    with pytest.raises(FactsError, match="unknown diagnosis code"):
        screen(facts("adult-programme", diagnosis="back-pain"), RULES)


@pytest.mark.parametrize(
    ("fact", "value", "eligible"),
    [
        ("pain_is_primary", False, False),
        ("pain_is_primary", None, None),
        ("biomedical_intervention_unhelpful", False, False),
        ("biomedical_intervention_unhelpful", None, None),
    ],
)
def test_adult_programme_pain_primary_and_biomedical_criteria(
    fact: str, value: bool | None, eligible: bool | None
) -> None:
    result = screen(facts("adult-programme", **{fact: value}), RULES).eligibility["adult-programme"]
    assert result.eligible is eligible, SEED_ADULT


# --- paediatric, neuroirritability, interventional ---------------------------------------


@pytest.mark.parametrize(
    ("disability", "outpatient_mdt", "eligible", "source"),
    [
        (True, True, True, SEED_PAED),
        (False, True, False, SEED_PAED + ": significant functional disability"),
        (True, False, False, SEED_PAED + ": despite outpatient multidisciplinary care"),
        (None, True, None, ISSUE + ": unknown data -> cannot tell"),
        (True, None, None, ISSUE + ": unknown data -> cannot tell"),
        (False, None, False, "a failed rule decides even when another is unknown"),
    ],
)
def test_paediatric_disability_and_outpatient_care(
    disability: bool | None, outpatient_mdt: bool | None, eligible: bool | None, source: str
) -> None:
    result = eligibility(
        "paediatric-intensive",
        functional_disability=disability,
        outpatient_mdt_tried=outpatient_mdt,
    )
    assert result.eligible is eligible, source


@pytest.mark.parametrize(
    ("complexity", "impairment", "behaviours", "eligible", "source"),
    [
        (True, None, True, True, SEED_NEURO + ": medical complexity or neurological impairment"),
        (None, True, True, True, SEED_NEURO),
        (False, False, True, False, SEED_NEURO),
        (False, None, True, None, ISSUE + ": unknown data -> cannot tell"),
        (True, False, False, False, SEED_NEURO + ": with recurrent pain behaviours"),
        (True, False, None, None, ISSUE + ": unknown data -> cannot tell"),
    ],
)
def test_neuroirritability_criteria(
    complexity: bool | None,
    impairment: bool | None,
    behaviours: bool | None,
    eligible: bool | None,
    source: str,
) -> None:
    result = eligibility(
        "neuroirritability",
        medical_complexity=complexity,
        neurological_impairment=impairment,
        recurrent_pain_behaviours=behaviours,
    )
    assert result.eligible is eligible, source


@pytest.mark.parametrize(
    ("physician", "procedure", "eligible", "source"),
    [
        (True, "nerve block", True, ISSUE + ": physician's request for a named procedure"),
        (False, "nerve block", False, ISSUE),
        (True, "", False, ISSUE + ": a blank request names no procedure"),
        (True, "   ", False, ISSUE),
        (None, "nerve block", None, ISSUE + ": unknown data -> cannot tell"),
        (True, None, None, ISSUE + ": unknown data -> cannot tell"),
    ],
)
def test_interventional_needs_physician_and_named_procedure(
    physician: bool | None, procedure: str | None, eligible: bool | None, source: str
) -> None:
    result = eligibility(
        "interventional", referrer_is_physician=physician, requested_procedure=procedure
    )
    assert result.eligible is eligible, source
    if eligible:
        assert "nerve block" in reason(result, "named-procedure").message


# --- disclosures ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("disclosures", "activated", "missing"),
    [
        ({}, None, DISCLOSURES),
        (dict.fromkeys(DISCLOSURES, True), None, []),
        ({**dict.fromkeys(DISCLOSURES, True), "addictions": False}, None, ["addictions"]),
        ({**dict.fromkeys(DISCLOSURES, True), "care-support": None}, None, ["care-support"]),
        (dict.fromkeys(DISCLOSURES[:-1], True), None, ["self-management-activation"]),
        # A recorded answer, yes or no, to "activated for self-management?" discloses it.
        (dict.fromkeys(DISCLOSURES[:-1], True), False, []),
        (dict.fromkeys(DISCLOSURES[:-1], True), True, []),
    ],
)
def test_missing_disclosures_are_listed(
    disclosures: dict[str, bool | None], activated: bool | None, missing: list[str]
) -> None:
    referral = ReferralFacts(disclosures=disclosures, self_management_activated=activated)
    result = screen(referral, RULES)
    assert [d.code for d in result.missing_disclosures] == missing, SEED_ADULT


def test_misspelt_disclosure_code_is_refused() -> None:
    with pytest.raises(FactsError, match="unknown disclosure code"):
        screen(ReferralFacts(disclosures={"addiction": True}), RULES)


# --- unknown data -----------------------------------------------------------------------


def test_empty_referral_cannot_be_judged_for_any_service() -> None:
    result = screen(ReferralFacts(), RULES)
    for kind, verdict in result.eligibility.items():
        outcomes = {r.outcome for r in verdict.reasons}
        assert verdict.eligible is None, kind
        assert Outcome.FAILED not in outcomes and Outcome.UNKNOWN in outcomes, kind
        assert all(
            "not recorded" in r.message for r in verdict.reasons if r.outcome is Outcome.UNKNOWN
        )
    assert len(result.red_flags_unknown) == len(RED_FLAGS)
    assert result.rules_version == RAW["version"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age_years": -1}, "age_years must be >= 0"),
        ({"pain_duration_months": -2}, "pain_duration_months must be >= 0"),
        ({"source": "pharmacist"}, "source 'pharmacist'"),
        ({"functional_disability": "no"}, "functional_disability must be True, False or None"),
        ({"medical_complexity": 1}, "medical_complexity must be True, False or None"),
    ],
)
def test_bad_referral_facts_are_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(FactsError, match=message):
        ReferralFacts(**changes)


# --- rules validation -------------------------------------------------------------------

DELETE = object()
RULE = ("services", "adult-programme", "rules")
RULES_ERRORS = [
    # path into the document, new value (or DELETE), field named by the error, problem
    (("format",), DELETE, "format", "required"),
    (("format",), 2, "format", "expected 1"),
    (("version",), "", "version", "non-empty string"),
    (("servcies",), {}, "servcies", "not a known field"),
    (("red_flags",), {}, "red_flags", "non-empty list"),
    (("red_flags", 0, "label"), DELETE, "red_flags[0].label", "required"),
    (("red_flags", 0, "code"), "Severe Mental Illness", "red_flags[0].code", "code"),
    (("red_flags", 1, "code"), "severe-mental-illness", "red_flags[1].code", "duplicate"),
    (("red_flags", 2, "urgency", "verified"), "no", "red_flags[2].urgency.verified", "true or"),
    (("red_flags", 2, "urgency", "level"), "soon", "red_flags[2].urgency.level", "one of"),
    (("disclosures", 7, "answered_by"), "activated", "disclosures[7].answered_by", "unknown"),
    (("diagnosis_categories", 0, "source"), DELETE, "diagnosis_categories[0].source", "required"),
    (("services",), [], "services", "expected an object"),
    (("services", "adult"), {}, "services.adult", "unknown service kind"),
    ((*RULE, 0, "min"), 17.5, "services.adult-programme.rules[0].min", "whole number"),
    ((*RULE, 0, "min"), True, "services.adult-programme.rules[0].min", "whole number"),
    ((*RULE, 0, "min"), -1, "services.adult-programme.rules[0].min", "whole number"),
    ((*RULE, 0, "min"), DELETE, "services.adult-programme.rules[0].min", "min, max or both"),
    ((*RULE, 0, "max"), 16, "services.adult-programme.rules[0].max", "below min"),
    ((*RULE, 1, "months"), "three", "services.adult-programme.rules[1].months", "number"),
    ((*RULE, 1, "months"), 0, "services.adult-programme.rules[1].months", "> 0"),
    ((*RULE, 1, "months"), float("nan"), "services.adult-programme.rules[1].months", "> 0"),
    ((*RULE, 1, "months"), DELETE, "services.adult-programme.rules[1].months", "required"),
    ((*RULE, 1, "month"), 6, "services.adult-programme.rules[1].month", "not a known field"),
    ((*RULE, 1, "source"), DELETE, "services.adult-programme.rules[1].source", "required"),
    ((*RULE, 1, "code"), "age", "services.adult-programme.rules[1].code", "duplicate"),
    ((*RULE, 2, "accepted"), ["back-pain"], "services.adult-programme.rules[2].accepted", "back"),
    (
        (*RULE, 2, "uncertain"),
        ["fibromyalgia"],
        "services.adult-programme.rules[2].uncertain",
        "also",
    ),
    ((*RULE, 3, "fact"), "pain_primary", "services.adult-programme.rules[3].fact", "unknown fact"),
    ((*RULE, 3, "check"), "fact-false", "services.adult-programme.rules[3].check", "unknown check"),
    ((*RULE, 3), "pain-primary", "services.adult-programme.rules[3]", "expected an object"),
]


@pytest.mark.parametrize(("path", "value", "field", "problem"), RULES_ERRORS)
def test_bad_rules_document_names_the_field(
    path: tuple[str | int, ...], value: object, field: str, problem: str
) -> None:
    data = copy.deepcopy(RAW)
    parent: Any = data
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    with pytest.raises(RulesError) as error:
        parse_rules(data)
    assert error.value.field == field
    assert problem in error.value.problem


def test_load_rules_reads_a_file_and_reports_bad_json(tmp_path: Path) -> None:
    good = tmp_path / "rules.json"
    good.write_text(json.dumps(RAW), encoding="utf-8")
    assert load_rules(good) == RULES
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": 1,', encoding="utf-8")
    with pytest.raises(RulesError, match="not valid JSON"):
        load_rules(bad)
    bad.write_text("[]", encoding="utf-8")
    with pytest.raises(RulesError, match="expected an object"):
        load_rules(bad)
