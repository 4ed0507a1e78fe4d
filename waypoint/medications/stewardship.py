"""Opioid stewardship alerts, the pure core.

Rules follow the CDC Clinical Practice Guideline for Prescribing Opioids for Pain —
United States, 2022 (MMWR Recomm Rep 2022;71(No. RR-3)); each rule's thresholds,
intervals and source live in ``data/stewardship-rules.json`` (loaded by
``waypoint.medications.rules``). The AHRQ CDS Connect Pain Management Summary gives the
bowel-regimen flag.

``evaluate`` is a pure function of its arguments: no acknowledgement or history state,
and a fixed alert order (``ALERT_ORDER``), so the same facts always give the same list.
The dose, combination, naloxone, STOP-Bang and bowel alerts are built here; the
monitoring alerts (agreement, re-evaluation, PDMP, toxicology, falls) in
``waypoint.medications.monitoring``; ``Alert`` lives in ``waypoint.medications.alerts``
and is importable from here too. No Django imports.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from waypoint.medications.alerts import Alert, ReasonValue, rule_alert
from waypoint.medications.amounts import show
from waypoint.medications.conversion import ConversionTable, default_table
from waypoint.medications.facts import RISK_FACTS, PatientFacts, age_on, has_risk
from waypoint.medications.medication import (
    Medication,
    drug_classes,
    is_rescue_naloxone,
    normalised_names,
)
from waypoint.medications.mme import MMESummary
from waypoint.medications.monitoring import agreement_alerts, falls_alerts, monitoring_alerts
from waypoint.medications.rules import StewardshipRules

__all__ = ["ALERT_ORDER", "Alert", "ReasonValue", "evaluate"]

# The order alerts are listed in: dose first, then dangerous combinations, then the
# monitoring that is due. Stable so that screens, letters and tests never reshuffle.
ALERT_ORDER: tuple[str, ...] = (
    "out-of-scope",
    "mme-review-threshold",
    "mme-high-2016",
    "mme-incomplete",
    "opioid-benzodiazepine",
    "opioid-gabapentinoid",
    "naloxone-not-offered",
    "opioid-agreement-missing",
    "opioid-agreement-review-due",
    "reevaluation-due",
    "pdmp-check-due",
    "urine-drug-screen-due",
    "stop-bang-missing",
    "stop-bang-high-risk",
    "bowel-regimen-missing",
    "falls-bone-health-review",
)


def evaluate(
    patient_facts: PatientFacts,
    medications: Sequence[Medication],
    summary: MMESummary,
    rules: StewardshipRules,
    today: date,
) -> list[Alert]:
    """Stewardship alerts for one patient on ``today`` (CDC 2022; sources per alert).

    * ``mme-review-threshold``: total ≥ 50 MME/day (Rec. 4); ``mme-high-2016``: ≥ 90 when
      the local 2016 flag is on, labelled with the rules' 2016 ``label``;
      ``mme-incomplete``: the total is a lower bound.
    * ``opioid-benzodiazepine`` / ``opioid-gabapentinoid``: CNS depressants (Rec. 11).
    * ``naloxone-not-offered``: on opioids with a Rec. 8 risk (≥ 50 MME/day,
      benzodiazepine, and the rules' ``risk_facts``: overdose, substance use disorder,
      sleep-disordered breathing) and neither a recorded offer nor naloxone by a rescue
      route on the list (routes read as the MME code reads them: "IN" is nasal).
    * ``opioid-agreement-missing`` / ``opioid-agreement-review-due`` (Rec. 7 treatment
      plan; due on its review date, else 90 days after signing or last review).
    * ``reevaluation-due`` (Rec. 7), ``pdmp-check-due`` (Rec. 9),
      ``urine-drug-screen-due`` (Rec. 10; 12 months after the later of start, last test or
      a documented decision): due when the days since reach the interval, or when never
      recorded.
    * ``stop-bang-missing`` / ``stop-bang-high-risk`` (score ≥ 5).
    * ``bowel-regimen-missing`` (AHRQ Pain Management Summary).
    * ``falls-bone-health-review``: older adult on opioid or benzodiazepine (age
      threshold unverified, see the data file).

    The monitoring alerts come from ``waypoint.medications.monitoring``. Medication names
    are read with the conversion table the MME summary was computed with
    (``summary.table``; the bundled table for a summary built by hand), so the classes
    and the MME total never disagree about what a name means.

    Out of scope (age < 18, cancer, sickle cell disease, palliative or end-of-life care,
    inpatient/emergency/observation care) gives a single ``out-of-scope`` alert saying
    why, and nothing else. Thresholds are inclusive ("at or above", "due on the day").
    """
    age = age_on(patient_facts.birth_date, today) if patient_facts.birth_date else None
    out_of_scope = _out_of_scope(patient_facts, age, rules)
    if out_of_scope:
        return [
            rule_alert(
                "out-of-scope",
                rules.scope,
                {"because": tuple(out_of_scope), "age": age},
                message=f"{rules.scope.message}: {'; '.join(out_of_scope)}.",
                severity="info",
            )
        ]

    table = summary.table or default_table()
    classes = [drug_classes(m, rules, table) for m in medications]
    on_opioid = any("opioid" in c for c in classes) or bool(summary.lines)
    on_benzo = any("benzodiazepine" in c for c in classes)
    on_gaba = any("gabapentinoid" in c for c in classes)

    alerts: list[Alert] = []
    alerts += _dose_alerts(summary, rules)
    if on_opioid:
        alerts += _combination_alerts(on_benzo, on_gaba, rules)
        alerts += _naloxone_alerts(patient_facts, medications, summary, on_benzo, rules, table)
        alerts += agreement_alerts(patient_facts, rules, today)
        alerts += monitoring_alerts(patient_facts, rules, today)
        alerts += _stop_bang_alerts(patient_facts, rules)
        alerts += _bowel_alerts(medications, rules, table)
    if age is not None and (on_opioid or on_benzo):
        alerts += falls_alerts(patient_facts, age, classes, rules, today)
    return sorted(alerts, key=lambda a: ALERT_ORDER.index(a.code))


def _out_of_scope(facts: PatientFacts, age: int | None, rules: StewardshipRules) -> list[str]:
    why: list[str] = []
    if age is not None and age < rules.min_age_years:
        why.append(f"age {age} is under {rules.min_age_years}")
    for key in sorted(facts.conditions & rules.excluded_conditions.keys()):
        why.append(rules.excluded_conditions[key])
    setting = facts.care_setting
    if setting is not None and setting in rules.excluded_settings:
        why.append(rules.excluded_settings[setting])
    return why


def _dose_alerts(summary: MMESummary, rules: StewardshipRules) -> list[Alert]:
    total = summary.total
    bound = " (lower bound: some doses could not be counted)" if summary.incomplete else ""
    thresholds = [("mme-review-threshold", rules.mme_review_threshold, rules.mme_review)]
    if rules.mme_high_2016_enabled:
        thresholds.append(("mme-high-2016", rules.mme_high_2016_threshold, rules.mme_high_2016))
    alerts = [
        rule_alert(
            code,
            rule,
            {"total_mme": total, "threshold": threshold, "lower_bound": summary.incomplete},
            message=f"{show(total)} MME/day{bound}. {rule.message}",
        )
        for code, threshold, rule in thresholds
        if total >= threshold
    ]
    if summary.incomplete:
        names = tuple(sorted({r.ingredient for r in summary.reasons}))
        alerts.append(
            Alert(
                code="mme-incomplete",
                severity="info",
                message=(
                    f"MME/day total is a lower bound (at least {show(total)}): "
                    f"not counted: {', '.join(names)}."
                ),
                reason={
                    "total_mme": total,
                    "not_counted": names,
                    "codes": tuple(sorted({r.code for r in summary.reasons})),
                },
                source=summary.source or rules.mme_review.source,
            )
        )
    return alerts


def _combination_alerts(on_benzo: bool, on_gaba: bool, rules: StewardshipRules) -> list[Alert]:
    combinations = (
        ("benzodiazepine", on_benzo, rules.benzodiazepine, rules.benzodiazepine_severity),
        ("gabapentinoid", on_gaba, rules.gabapentinoid, rules.gabapentinoid_severity),
    )
    return [
        rule_alert(f"opioid-{name}", rule, {"classes": ("opioid", name)}, severity=severity)
        for name, present, rule, severity in combinations
        if present
    ]


def _naloxone_alerts(
    facts: PatientFacts,
    medications: Sequence[Medication],
    summary: MMESummary,
    on_benzo: bool,
    rules: StewardshipRules,
    table: ConversionTable,
) -> list[Alert]:
    risks: list[str] = []
    if summary.total >= rules.naloxone_mme:
        risks.append(f"{show(summary.total)} MME/day (>= {show(rules.naloxone_mme)})")
    if on_benzo and rules.naloxone_with_benzodiazepine:
        risks.append("concurrent benzodiazepine")
    risks += [RISK_FACTS[name] for name in rules.naloxone_risk_facts if has_risk(facts, name)]
    offered = facts.naloxone_offered_on is not None or any(
        is_rescue_naloxone(m, rules, table) for m in medications
    )
    if not risks or offered:
        return []
    return [
        rule_alert(
            "naloxone-not-offered",
            rules.naloxone,
            {"risks": tuple(risks), "total_mme": summary.total},
            message=f"Offer naloxone and overdose education: {'; '.join(risks)}.",
        )
    ]


def _stop_bang_alerts(facts: PatientFacts, rules: StewardshipRules) -> list[Alert]:
    score = facts.stop_bang_score
    if score is None:
        return [rule_alert("stop-bang-missing", rules.stop_bang_missing, {"score": None})]
    if score >= rules.stop_bang_high_min:
        return [
            rule_alert(
                "stop-bang-high-risk",
                rules.stop_bang_high,
                {"score": score, "high_risk_min_score": rules.stop_bang_high_min},
                detail=f"score {score}",
            )
        ]
    return []


def _bowel_alerts(
    medications: Sequence[Medication], rules: StewardshipRules, table: ConversionTable
) -> list[Alert]:
    # Both sides normalised alike: "Docusate Sodium" is docusate, whatever the file says.
    regimen = normalised_names(rules.bowel_ingredients, table)
    if any(m.ingredients_in(table) & regimen for m in medications):
        return []
    return [
        rule_alert("bowel-regimen-missing", rules.bowel, {"bowel_regimen": False}, severity="info")
    ]
