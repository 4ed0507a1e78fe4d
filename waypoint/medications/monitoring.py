"""Monitoring alerts during opioid therapy, the pure core: what is due, and since when.

Intervals follow the CDC Clinical Practice Guideline for Prescribing Opioids for Pain —
United States, 2022 (MMWR Recomm Rep 2022;71(No. RR-3)): Rec. 7 (treatment plan /
opioid agreement, re-evaluation at least every 3 months), Rec. 9 (PDMP before the first
prescription and at least every 3 months), Rec. 10 (toxicology; the CDC opioid CDS
prompts after 12 months). The falls and bone-health review of older adults uses Waypoint
defaults marked ``verified: false`` in ``data/stewardship-rules.json``. Each interval and
source is in that file. Called by ``waypoint.medications.stewardship.evaluate``, which
decides whether the patient is in scope and on the relevant drugs. No Django imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from waypoint.medications.alerts import Alert, days_since, latest, rule_alert
from waypoint.medications.facts import PatientFacts
from waypoint.medications.rules import RuleText, StewardshipRules

__all__ = ["Alert", "agreement_alerts", "falls_alerts", "monitoring_alerts"]


def agreement_alerts(facts: PatientFacts, rules: StewardshipRules, today: date) -> list[Alert]:
    """``opioid-agreement-missing``, or ``opioid-agreement-review-due`` (CDC 2022 Rec. 7).

    The review is due on the agreement's own review date, else 90 days (the rules'
    interval) after signing or the last review; due on the day itself.
    """
    if facts.opioid_agreement_signed_on is None:
        return [
            rule_alert(
                "opioid-agreement-missing",
                rules.agreement,
                {"signed_on": None},
                message="No opioid agreement / treatment plan recorded.",
            )
        ]
    last = latest(facts.opioid_agreement_signed_on, facts.opioid_agreement_reviewed_on)
    assert last is not None
    due = facts.opioid_agreement_review_due or last + timedelta(days=rules.agreement_review_days)
    if today < due:
        return []
    return [
        rule_alert(
            "opioid-agreement-review-due",
            rules.agreement,
            {"last_reviewed": last, "review_due": due, "days_overdue": (today - due).days},
            message=f"Opioid agreement review was due on {due.isoformat()}.",
        )
    ]


def monitoring_alerts(facts: PatientFacts, rules: StewardshipRules, today: date) -> list[Alert]:
    """``reevaluation-due`` (Rec. 7), ``pdmp-check-due`` (Rec. 9), ``urine-drug-screen-due``
    (Rec. 10): due when the days since reach the interval, or when never recorded.

    Re-evaluation is counted from the start of therapy until the first review; the PDMP
    check is due before the first prescription, so it has no such grace; toxicology is
    counted from the later of start, last test or a documented decision not to test.
    """
    return [
        *_due_alert(
            "reevaluation-due",
            latest(facts.last_functional_review, facts.opioid_started_on),
            rules.reevaluation_days,
            rules.reevaluation,
            today,
            "re-evaluation or start date",
        ),
        *_due_alert(
            "pdmp-check-due",
            facts.last_pdmp_check,
            rules.pdmp_days,
            rules.pdmp,
            today,
            "PDMP check",
        ),
        *_due_alert(
            "urine-drug-screen-due",
            latest(
                facts.last_urine_drug_screen, facts.toxicology_declined_on, facts.opioid_started_on
            ),
            rules.toxicology_days,
            rules.toxicology,
            today,
            "test, documented decision or start date",
        ),
    ]


def falls_alerts(
    facts: PatientFacts,
    age: int,
    classes: Sequence[frozenset[str]],
    rules: StewardshipRules,
    today: date,
) -> list[Alert]:
    """``falls-bone-health-review``: an older adult on an opioid or benzodiazepine whose
    review is due (age and interval are Waypoint defaults, unverified: see the rules file).

    ``classes`` are the drug classes of each medication; the caller has established that
    the patient is on an opioid or a benzodiazepine.
    """
    if age < rules.falls_min_age_years:
        return []
    relevant = tuple(sorted(set().union(*classes) & rules.falls_classes)) if classes else ()
    if not relevant:
        relevant = ("opioid",)  # on opioids by the MME summary alone
    days = days_since(facts.last_falls_review, today)
    if days is not None and days < rules.falls_review_days:
        return []
    return [
        rule_alert(
            "falls-bone-health-review",
            rules.falls,
            {
                "age": age,
                "min_age_years": rules.falls_min_age_years,
                "threshold_verified": rules.falls.verified,
                "classes": relevant,
                "last_review": facts.last_falls_review,
                "days_since": days,
            },
            detail=f"age {age}",
        )
    ]


def _due_alert(
    code: str,
    anchor: date | None,
    interval_days: int,
    rule: RuleText,
    today: date,
    what: str,
) -> list[Alert]:
    days = days_since(anchor, today)
    if days is not None and days < interval_days:
        return []
    since = f"{days} days since {anchor.isoformat()}" if anchor and days is not None else None
    return [
        rule_alert(
            code,
            rule,
            {"last": anchor, "days_since": days, "interval_days": interval_days},
            detail=since or f"no {what} recorded",
        )
    ]
