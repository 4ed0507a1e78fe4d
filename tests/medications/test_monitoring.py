"""Tests for ``waypoint.medications.monitoring``: the monitoring alerts on their own, and
the split from ``waypoint.medications.stewardship`` (which still evaluates them all).

Intervals: CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United
States, 2022 (MMWR RR-71(3)) Rec. 7 (agreement / treatment plan and re-evaluation every
3 months), 9 (PDMP every 3 months), 10 (toxicology, CDS prompt after 12 months); falls
and bone health at 65 is a Waypoint default marked unverified in the rules file.
"""

from __future__ import annotations

import dataclasses
import importlib
from datetime import date, timedelta

import pytest

from waypoint.medications import alerts, monitoring, stewardship
from waypoint.medications.facts import PatientFacts
from waypoint.medications.rules import load_rules

TODAY = date(2025, 6, 15)
RULES = load_rules()


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# Every monitoring fact recorded 10 days ago: nothing is due.
RECENT = PatientFacts(
    birth_date=date(1950, 1, 1),
    opioid_started_on=days_ago(400),
    opioid_agreement_signed_on=days_ago(10),
    last_pdmp_check=days_ago(10),
    last_urine_drug_screen=days_ago(10),
    last_functional_review=days_ago(10),
    last_falls_review=days_ago(10),
)


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("waypoint.medications.alerts", "Alert"),
        ("waypoint.medications.alerts", "ReasonValue"),
        ("waypoint.medications.monitoring", "agreement_alerts"),
        ("waypoint.medications.monitoring", "monitoring_alerts"),
        ("waypoint.medications.monitoring", "falls_alerts"),
        ("waypoint.medications.stewardship", "evaluate"),
        ("waypoint.medications.stewardship", "Alert"),
        ("waypoint.medications.stewardship", "ALERT_ORDER"),
    ],
)
def test_public_names(module: str, name: str) -> None:
    assert name in importlib.import_module(module).__all__


def test_one_alert_type_for_every_module() -> None:
    assert stewardship.Alert is alerts.Alert is monitoring.Alert


# (fact changed from RECENT, alert expected from the monitoring functions)
DUE = [
    ({}, []),
    ({"opioid_agreement_signed_on": None}, ["opioid-agreement-missing"]),
    ({"opioid_agreement_signed_on": days_ago(90)}, ["opioid-agreement-review-due"]),
    ({"last_functional_review": days_ago(89), "opioid_started_on": days_ago(89)}, []),
    ({"last_functional_review": days_ago(90)}, ["reevaluation-due"]),
    ({"last_pdmp_check": None}, ["pdmp-check-due"]),
    ({"last_urine_drug_screen": days_ago(365)}, ["urine-drug-screen-due"]),
    ({"last_falls_review": days_ago(365)}, ["falls-bone-health-review"]),
    ({"last_falls_review": days_ago(364)}, []),
]


@pytest.mark.parametrize(("changes", "expected"), DUE)
def test_monitoring_functions(changes: dict[str, object], expected: list[str]) -> None:
    facts = dataclasses.replace(RECENT, **changes)  # type: ignore[arg-type]
    found = [
        *monitoring.agreement_alerts(facts, RULES, TODAY),
        *monitoring.monitoring_alerts(facts, RULES, TODAY),
        *monitoring.falls_alerts(facts, 75, [frozenset({"opioid"})], RULES, TODAY),
    ]
    assert [a.code for a in found] == expected
    assert all(a.source.strip() for a in found)
