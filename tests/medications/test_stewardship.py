"""Tests for ``waypoint.medications.stewardship``: every alert just below and at its
threshold, out-of-scope patients, and a stable order.

Thresholds: CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United
States, 2022 (MMWR RR-71(3)) Rec. 4 (50 MME/day), 7 (re-evaluation every 3 months),
8 (naloxone), 9 (PDMP every 3 months), 10 (toxicology, CDS prompt after 12 months), 11
(benzodiazepines, gabapentinoids); CDC 2016 Rec. 5 (90 MME/day, optional local flag);
AHRQ Pain Management Summary (bowel regimen); STOP-Bang 5–8 high.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.medications.factories import morphine
from waypoint.medications.conversion import ConversionTable, default_table
from waypoint.medications.dose import Dose
from waypoint.medications.facts import PatientFacts
from waypoint.medications.medication import Medication, drug_classes
from waypoint.medications.mme import MMESummary, daily_mme
from waypoint.medications.rules import StewardshipRules, load_rules
from waypoint.medications.stewardship import ALERT_ORDER, Alert, evaluate

D = Decimal
TODAY = date(2025, 6, 15)
RULES = load_rules()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# A patient for whom every rule is satisfied: each test changes one fact.
QUIET = PatientFacts(
    birth_date=date(1980, 3, 1),
    naloxone_offered_on=days_ago(10),
    opioid_started_on=days_ago(400),
    opioid_agreement_signed_on=days_ago(10),
    last_pdmp_check=days_ago(10),
    last_urine_drug_screen=days_ago(10),
    last_functional_review=days_ago(10),
    stop_bang_score=2,
)
QUIET_MEDS = (Medication("morphine", route="oral"), Medication("senna", route="oral"))


def codes(
    facts: PatientFacts = QUIET,
    meds: tuple[Medication, ...] = QUIET_MEDS,
    summary: MMESummary | None = None,
    rules: StewardshipRules = RULES,
) -> list[str]:
    alerts = evaluate(facts, list(meds), summary or morphine("30"), rules, TODAY)
    return [a.code for a in alerts]


def alert(code: str, alerts: list[Alert]) -> Alert:
    return next(a for a in alerts if a.code == code)


def test_quiet_patient_has_no_alerts() -> None:
    # Guards every "no alert" case below: the baseline itself raises nothing.
    assert codes() == []


# ----------------------------------------------------------------------------- dose


@pytest.mark.parametrize(
    ("mme", "enabled_2016", "expected"),
    [
        ("49.9", False, []),
        ("50", False, ["mme-review-threshold"]),
        ("89.9", True, ["mme-review-threshold"]),
        ("90", True, ["mme-review-threshold", "mme-high-2016"]),
        ("90", False, ["mme-review-threshold"]),  # the 2016 level is off by default
    ],
)
def test_mme_thresholds(mme: str, enabled_2016: bool, expected: list[str]) -> None:
    rules = dataclasses.replace(RULES, mme_high_2016_enabled=enabled_2016)
    found = codes(summary=morphine(mme), rules=rules)
    assert [c for c in found if c.startswith("mme-")] == expected


def test_mme_alert_carries_the_numbers_and_source() -> None:
    alerts = evaluate(QUIET, list(QUIET_MEDS), morphine("60"), RULES, TODAY)
    a = alert("mme-review-threshold", alerts)
    assert a.reason["total_mme"] == D(60)
    assert a.reason["threshold"] == D(50)
    assert a.reason["lower_bound"] is False
    assert a.source == "CDC 2022 Rec. 4"
    assert a.message.startswith("60 MME/day")


def test_2016_flag_is_labelled_as_2016() -> None:
    rules = dataclasses.replace(RULES, mme_high_2016_enabled=True)
    a = alert("mme-high-2016", evaluate(QUIET, list(QUIET_MEDS), morphine("95"), rules, TODAY))
    assert "2016" in a.source
    assert "not a 2022 threshold" in a.message


@pytest.mark.parametrize(
    "label",
    [
        RULES.mme_high_2016.label,  # the bundled file's label
        "Local 90 MME/day flag (CDC 2016)",
    ],
)
def test_2016_alert_carries_the_label_from_the_rules(label: str) -> None:
    rules = dataclasses.replace(
        RULES,
        mme_high_2016_enabled=True,
        mme_high_2016=dataclasses.replace(RULES.mme_high_2016, label=label),
    )
    alerts = evaluate(QUIET, list(QUIET_MEDS), morphine("95"), rules, TODAY)
    assert alert("mme-high-2016", alerts).label == label
    assert alert("mme-review-threshold", alerts).label == ""
    assert RULES.mme_high_2016.label.startswith("2016 CDC level")


def test_incomplete_total_is_flagged_and_counted_as_lower_bound() -> None:
    summary = daily_mme(
        [
            Dose("morphine", route="oral", strength=50, strength_unit="mg", frequency="od"),
            Dose("levorphanol", route="oral", strength=2, strength_unit="mg", frequency="tds"),
        ]
    )
    alerts = evaluate(QUIET, list(QUIET_MEDS), summary, RULES, TODAY)
    assert [a.code for a in alerts] == ["mme-review-threshold", "mme-incomplete"]
    assert alert("mme-review-threshold", alerts).reason["lower_bound"] is True
    incomplete = alert("mme-incomplete", alerts)
    assert incomplete.reason["not_counted"] == ("levorphanol",)
    assert "at least 50" in incomplete.message


# ---------------------------------------------------------------- CNS depressants


@pytest.mark.parametrize(
    ("extra", "expected", "severity"),
    [
        (Medication("diazepam"), "opioid-benzodiazepine", "high"),
        (Medication("Lorazepam"), "opioid-benzodiazepine", "high"),
        (Medication("gabapentin"), "opioid-gabapentinoid", "warning"),
        (Medication("pregabalin"), "opioid-gabapentinoid", "warning"),
    ],
)
def test_opioid_with_cns_depressant(extra: Medication, expected: str, severity: str) -> None:
    alerts = evaluate(QUIET, [*QUIET_MEDS, extra], morphine("30"), RULES, TODAY)
    a = alert(expected, alerts)
    assert a.severity == severity
    assert "Rec. 11" in a.source


def test_cns_depressant_without_opioid_raises_no_combination_alert() -> None:
    found = codes(meds=(Medication("diazepam"), Medication("gabapentin")), summary=daily_mme([]))
    assert "opioid-benzodiazepine" not in found
    assert "opioid-gabapentinoid" not in found
    assert found == []  # nothing opioid-related either, for a 45-year-old


# -------------------------------------------------------------------------- naloxone

NO_OFFER = dataclasses.replace(QUIET, naloxone_offered_on=None)


@pytest.mark.parametrize(
    ("facts", "meds", "mme", "fires"),
    [
        (NO_OFFER, QUIET_MEDS, "49.9", False),
        (NO_OFFER, QUIET_MEDS, "50", True),
        (NO_OFFER, (*QUIET_MEDS, Medication("alprazolam")), "10", True),
        (dataclasses.replace(NO_OFFER, history_of_overdose=True), QUIET_MEDS, "10", True),
        (dataclasses.replace(NO_OFFER, substance_use_disorder=True), QUIET_MEDS, "10", True),
        (dataclasses.replace(NO_OFFER, sleep_disordered_breathing=True), QUIET_MEDS, "10", True),
        (QUIET, QUIET_MEDS, "50", False),  # offered
        (NO_OFFER, (*QUIET_MEDS, Medication("naloxone", route="nasal")), "50", False),
        # Naloxone in sublingual buprenorphine/naloxone is no rescue supply.
        (
            NO_OFFER,
            (*QUIET_MEDS, Medication("buprenorphine/naloxone", route="sublingual")),
            "50",
            True,
        ),
    ],
)
def test_naloxone_offer(
    facts: PatientFacts, meds: tuple[Medication, ...], mme: str, fires: bool
) -> None:
    assert ("naloxone-not-offered" in codes(facts, meds, morphine(mme))) is fires


@pytest.mark.parametrize(
    ("route", "fires"),
    [
        # One route normalisation with the MME code: these are all nasal naloxone.
        ("nasal", False),
        ("intranasal", False),
        ("IN", False),
        ("Nasal route", False),
        ("Intranasal route", False),
        ("IM", False),
        ("Intramuscular route", False),
        ("SC", False),
        ("SL", True),
        ("PO", True),
        (None, True),
    ],
)
def test_naloxone_on_hand_by_any_spelling_of_a_rescue_route(route: str | None, fires: bool) -> None:
    meds = (*QUIET_MEDS, Medication("Naloxone HCl", route=route))
    assert ("naloxone-not-offered" in codes(NO_OFFER, meds, morphine("50"))) is fires


# (risk facts the rules list, the patient's facts, expected risks) — CDC 2022 Rec. 8.
RISK_FACT_CASES = [
    (RULES.naloxone_risk_facts, {"substance_use_disorder": True}, ("substance use disorder",)),
    (("history_of_overdose",), {"substance_use_disorder": True}, None),
    (
        ("sleep_disordered_breathing", "history_of_overdose"),
        {"history_of_overdose": True, "sleep_disordered_breathing": True},
        ("sleep-disordered breathing", "history of overdose"),
    ),
    ((), {"history_of_overdose": True}, None),
]


@pytest.mark.parametrize(("risk_facts", "changes", "risks"), RISK_FACT_CASES)
def test_naloxone_risk_facts_come_from_the_rules(
    risk_facts: tuple[str, ...], changes: dict[str, object], risks: tuple[str, ...] | None
) -> None:
    rules = dataclasses.replace(RULES, naloxone_risk_facts=risk_facts)
    facts = dataclasses.replace(NO_OFFER, **changes)  # type: ignore[arg-type]
    alerts = evaluate(facts, list(QUIET_MEDS), morphine("10"), rules, TODAY)
    found = [a for a in alerts if a.code == "naloxone-not-offered"]
    assert (found[0].reason["risks"] if found else None) == risks


def test_naloxone_alert_names_its_reasons() -> None:
    meds = [*QUIET_MEDS, Medication("clonazepam")]
    a = alert("naloxone-not-offered", evaluate(NO_OFFER, meds, morphine("60"), RULES, TODAY))
    assert a.reason["risks"] == ("60 MME/day (>= 50)", "concurrent benzodiazepine")
    assert "Rec. 8" in a.source


# ---------------------------------------------------------------- agreement, monitoring


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"opioid_agreement_signed_on": None}, ["opioid-agreement-missing"]),
        ({"opioid_agreement_signed_on": days_ago(89)}, []),
        ({"opioid_agreement_signed_on": days_ago(90)}, ["opioid-agreement-review-due"]),
        (
            {
                "opioid_agreement_signed_on": days_ago(300),
                "opioid_agreement_reviewed_on": days_ago(5),
            },
            [],
        ),
        (
            {
                "opioid_agreement_signed_on": days_ago(300),
                "opioid_agreement_review_due": TODAY + timedelta(days=1),
            },
            [],
        ),
        (
            {"opioid_agreement_signed_on": days_ago(30), "opioid_agreement_review_due": TODAY},
            ["opioid-agreement-review-due"],
        ),
    ],
)
def test_opioid_agreement(changes: dict[str, object], expected: list[str]) -> None:
    facts = dataclasses.replace(QUIET, **changes)  # type: ignore[arg-type]
    assert codes(facts) == expected


MONITORING = [
    # (fact, interval in days, alert code) — CDC 2022 Rec. 7, 9, 10
    ("last_functional_review", 90, "reevaluation-due"),
    ("last_pdmp_check", 90, "pdmp-check-due"),
    ("last_urine_drug_screen", 365, "urine-drug-screen-due"),
]


@pytest.mark.parametrize(("fact", "interval", "code"), MONITORING)
def test_monitoring_just_below_and_at_interval(fact: str, interval: int, code: str) -> None:
    below = dataclasses.replace(QUIET, **{fact: days_ago(interval - 1)})  # type: ignore[arg-type]
    at = dataclasses.replace(QUIET, **{fact: days_ago(interval)})  # type: ignore[arg-type]
    assert codes(below) == []
    assert codes(at) == [code]
    a = alert(code, evaluate(at, list(QUIET_MEDS), morphine("30"), RULES, TODAY))
    assert a.reason["days_since"] == interval
    assert a.reason["interval_days"] == interval


@pytest.mark.parametrize(("fact", "interval", "code"), MONITORING)
def test_monitoring_never_recorded_is_due(fact: str, interval: int, code: str) -> None:
    facts = dataclasses.replace(QUIET, opioid_started_on=None, **{fact: None})  # type: ignore[arg-type]
    assert code in codes(facts)


def test_new_patient_counts_reevaluation_and_toxicology_from_start_of_therapy() -> None:
    facts = dataclasses.replace(
        QUIET,
        opioid_started_on=days_ago(30),
        last_functional_review=None,
        last_urine_drug_screen=None,
        last_pdmp_check=None,
    )
    # PDMP is due before the first prescription; the others are not yet due.
    assert codes(facts) == ["pdmp-check-due"]


def test_documented_toxicology_decision_counts_like_a_test() -> None:
    facts = dataclasses.replace(
        QUIET, last_urine_drug_screen=days_ago(500), toxicology_declined_on=days_ago(100)
    )
    assert codes(facts) == []


# ----------------------------------------------------------------- STOP-Bang, bowel


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (None, ["stop-bang-missing"]),
        (0, []),
        (4, []),
        (5, ["stop-bang-high-risk"]),
        (8, ["stop-bang-high-risk"]),
    ],
)
def test_stop_bang(score: int | None, expected: list[str]) -> None:
    assert codes(dataclasses.replace(QUIET, stop_bang_score=score)) == expected


@pytest.mark.parametrize(
    ("meds", "expected"),
    [
        ((Medication("morphine"),), ["bowel-regimen-missing"]),
        ((Medication("morphine"), Medication("Senna")), []),
        ((Medication("morphine"), Medication("docusate sodium/senna")), []),
        ((Medication("morphine"), Medication("polyethylene glycol")), []),
        ((Medication("morphine"), Medication("naloxegol")), []),
    ],
)
def test_bowel_regimen(meds: tuple[Medication, ...], expected: list[str]) -> None:
    assert codes(meds=meds) == expected


@pytest.mark.parametrize(
    ("laxative", "regimen"),
    [
        ("docusate sodium", True),
        ("Docusate Sodium", True),
        ("docusate", True),
        ("senna", True),
        ("sennosides", True),
        ("macrogol", True),
        ("polyethylene glycol", True),
        ("Polyethylene Glycol 3350", True),  # the RxNorm ingredient name
        ("macrogol 4000", True),
        ("lactulose", True),
        ("bisacodyl", True),
        ("sodium picosulfate", True),  # "sodium" is a salt word on both sides
        ("sodium chloride", False),
    ],
)
def test_bowel_regimen_ingredients(laxative: str, regimen: bool) -> None:
    meds = (Medication("morphine", route="oral"), Medication(laxative, route="oral"))
    assert ("bowel-regimen-missing" not in codes(meds=meds)) is regimen


def table_knowing_movicol() -> ConversionTable:
    """The bundled table with a local brand name: "Movicol" is macrogol."""
    table = default_table()
    return dataclasses.replace(table, synonyms={**table.synonyms, "movicol": "macrogol"})


# (table the MME summary was computed with, bowel alert expected for "Movicol")
SUMMARY_TABLES = [
    (None, True),
    (default_table(), True),
    (table_knowing_movicol(), False),
]


@pytest.mark.parametrize(("table", "fires"), SUMMARY_TABLES)
def test_medication_names_are_read_with_the_table_of_the_mme_summary(
    table: ConversionTable | None, fires: bool
) -> None:
    summary = daily_mme(
        [Dose("morphine", route="oral", strength=30, strength_unit="mg", frequency="od")], table
    )
    meds = (Medication("morphine", route="oral"), Medication("Movicol", route="oral"))
    assert ("bowel-regimen-missing" in codes(meds=meds, summary=summary)) is fires


# -------------------------------------------------------------------------- falls


def born_years_ago(years: int, day_offset: int = 0) -> date:
    """Birth date ``years`` before TODAY, moved by ``day_offset`` days."""
    return TODAY.replace(year=TODAY.year - years) + timedelta(days=day_offset)


@pytest.mark.parametrize(
    ("birth_date", "meds", "last_review", "fires"),
    [
        (born_years_ago(65, 1), QUIET_MEDS, None, False),  # 64, birthday tomorrow
        (born_years_ago(65), QUIET_MEDS, None, True),  # 65 today
        (born_years_ago(80), QUIET_MEDS, days_ago(364), False),
        (born_years_ago(80), QUIET_MEDS, days_ago(365), True),
        (born_years_ago(70), (Medication("temazepam"),), None, True),  # benzodiazepine only
        (born_years_ago(70), (Medication("duloxetine"),), None, False),
    ],
)
def test_falls_and_bone_health(
    birth_date: date, meds: tuple[Medication, ...], last_review: date | None, fires: bool
) -> None:
    facts = dataclasses.replace(QUIET, birth_date=birth_date, last_falls_review=last_review)
    opioid = any("opioid" in drug_classes(m, RULES) for m in meds)
    summary = morphine("30") if opioid else daily_mme([])
    assert ("falls-bone-health-review" in codes(facts, meds, summary)) is fires


def test_falls_threshold_is_marked_unverified() -> None:
    facts = dataclasses.replace(QUIET, birth_date=born_years_ago(70))
    a = alert(
        "falls-bone-health-review", evaluate(facts, list(QUIET_MEDS), morphine("30"), RULES, TODAY)
    )
    assert a.reason["threshold_verified"] is False
    assert a.reason["age"] == 70
    assert "[U]" in a.source


# ---------------------------------------------------------------------------- scope

EVERYTHING_DUE = PatientFacts(birth_date=date(1950, 1, 1))
EVERYTHING_MEDS = (
    Medication("oxycodone"),
    Medication("diazepam"),
    Medication("gabapentin"),
)


@pytest.mark.parametrize(
    ("changes", "because"),
    [
        ({"birth_date": born_years_ago(18, 1)}, "age 17 is under 18"),
        ({"conditions": frozenset({"cancer"})}, "pain from cancer"),
        ({"conditions": frozenset({"sickle-cell-disease"})}, "pain from sickle cell disease"),
        ({"conditions": frozenset({"palliative-care"})}, "palliative care"),
        ({"conditions": frozenset({"end-of-life"})}, "end-of-life care"),
        ({"care_setting": "inpatient"}, "inpatient care (rules apply again at discharge)"),
    ],
)
def test_out_of_scope_gives_only_the_reason(changes: dict[str, object], because: str) -> None:
    facts = dataclasses.replace(EVERYTHING_DUE, **changes)  # type: ignore[arg-type]
    alerts = evaluate(facts, list(EVERYTHING_MEDS), morphine("120"), RULES, TODAY)
    assert [a.code for a in alerts] == ["out-of-scope"]
    assert alerts[0].reason["because"] == (because,)
    assert because in alerts[0].message
    assert alerts[0].severity == "info"


def test_eighteenth_birthday_is_in_scope() -> None:
    facts = dataclasses.replace(QUIET, birth_date=born_years_ago(18))
    assert codes(facts, summary=morphine("50")) == ["mme-review-threshold"]


def test_other_conditions_do_not_take_a_patient_out_of_scope() -> None:
    facts = dataclasses.replace(QUIET, conditions=frozenset({"fibromyalgia"}))
    assert codes(facts, summary=morphine("50")) == ["mme-review-threshold"]


# ---------------------------------------------------------------------------- order

EVERY_CODE_IN_ORDER = [
    "mme-review-threshold",
    "mme-high-2016",
    "opioid-benzodiazepine",
    "opioid-gabapentinoid",
    "naloxone-not-offered",
    "opioid-agreement-missing",
    "reevaluation-due",
    "pdmp-check-due",
    "urine-drug-screen-due",
    "stop-bang-missing",
    "bowel-regimen-missing",
    "falls-bone-health-review",
]


def test_order_is_fixed_and_independent_of_medication_order() -> None:
    rules = dataclasses.replace(RULES, mme_high_2016_enabled=True)
    summary = morphine("120")
    results = [
        evaluate(EVERYTHING_DUE, list(perm), summary, rules, TODAY)
        for perm in itertools.permutations(EVERYTHING_MEDS)
    ]
    assert len(results) == 6
    alerts = results[0]
    assert all(r == alerts for r in results)
    assert [a.code for a in alerts] == EVERY_CODE_IN_ORDER
    # The order is the documented one, and evaluating twice gives the same answer.
    assert [a.code for a in alerts] == [c for c in ALERT_ORDER if c in EVERY_CODE_IN_ORDER]
    assert evaluate(EVERYTHING_DUE, list(EVERYTHING_MEDS), summary, rules, TODAY) == list(alerts)


def test_every_alert_has_a_source() -> None:
    alerts = evaluate(EVERYTHING_DUE, list(EVERYTHING_MEDS), morphine("120"), RULES, TODAY)
    for a in alerts:
        assert a.source.strip(), a.code
        assert a.code in ALERT_ORDER
