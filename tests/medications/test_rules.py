"""Tests for ``waypoint.medications.rules``: the published numbers and sources in
``data/stewardship-rules.json``, and a malformed file refused on load.

Numbers: CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United
States, 2022 (MMWR RR-71(3)) Rec. 4 (50 MME/day), 7 and 9 (every 3 months), 10 (CDS
prompt after 12 months); CDC 2016 Rec. 5 (90 MME/day, optional local flag).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from waypoint.medications.rules import RulesDataError, load_rules

DATA = Path(__file__).parents[2] / "waypoint/medications/data/stewardship-rules.json"


def test_rules_data_carries_sources_and_the_published_numbers() -> None:
    raw = json.loads(DATA.read_text())
    assert raw["mme_review_threshold"]["value"] == 50
    assert raw["mme_high_2016"]["value"] == 90
    assert raw["mme_high_2016"]["enabled"] is False
    assert "2016" in raw["mme_high_2016"]["label"]
    assert raw["reevaluation"]["interval_days"] == 90
    assert raw["pdmp"]["interval_days"] == 90
    assert raw["toxicology"]["prompt_after_days"] == 365
    assert raw["scope"]["min_age_years"] == 18
    assert raw["falls_bone_health"]["verified"] is False
    for key, value in raw.items():
        if isinstance(value, dict) and key not in ("sources", "drug_classes"):
            assert value.get("source") or all(
                isinstance(v, dict) and v.get("source") for k, v in value.items() if k != "verified"
            ), key


def test_bundled_rules_load_with_the_published_numbers() -> None:
    rules = load_rules()
    assert rules.mme_review_threshold == 50
    assert rules.mme_high_2016_enabled is False
    assert (rules.reevaluation_days, rules.pdmp_days, rules.toxicology_days) == (90, 90, 365)
    assert rules.falls.verified is False
    assert rules.mme_review.source == "CDC 2022 Rec. 4"


def test_bundled_rules_load_the_2016_label_risk_facts_and_taper_defaults() -> None:
    rules = load_rules()
    assert rules.mme_high_2016.label.startswith("2016 CDC level")
    assert rules.naloxone_risk_facts == (
        "history_of_overdose",
        "substance_use_disorder",
        "sleep_disordered_breathing",
    )
    # CDC 2022 Rec. 5: ~10%/month after >= 1 year; 10% of the original/week to ~30%.
    long_term = rules.taper.schedules["long_term"]
    weeks = rules.taper.schedules["weeks_to_months"]
    assert (long_term.rate_percent, long_term.interval_days, long_term.basis) == (
        10,
        30,
        "original",
    )
    assert long_term.switch_at_percent is None
    assert (weeks.rate_percent, weeks.interval_days, weeks.switch_at_percent) == (10, 7, 30)
    assert rules.taper.follow_up_interval_days == 30
    assert "Rec. 5" in rules.taper.source


def test_rule_routes_are_normalised_like_the_mme_routes(tmp_path: Path) -> None:
    raw = json.loads(DATA.read_text())
    raw["naloxone"]["rescue_routes"] = ["Intranasal", "IM", "subcut"]
    raw["drug_classes"]["topical_routes"] = ["Topical route"]
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(raw))
    rules = load_rules(path)
    assert rules.naloxone_rescue_routes == {"nasal", "intramuscular", "subcutaneous"}
    assert rules.topical_routes == {"topical"}


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (("pdmp", "source"), None, "pdmp: 'source'"),
        (("pdmp", "interval_days"), 0, "pdmp: 'interval_days'"),
        (("pdmp", "interval_days"), True, "pdmp: 'interval_days'"),
        (("mme_review_threshold", "value"), "50", "mme_review_threshold: 'value'"),
        (("mme_high_2016", "enabled"), "no", "mme_high_2016: 'enabled'"),
        (("falls_bone_health", "verified"), "no", "falls_bone_health: 'verified'"),
        (("cns_depressants", "benzodiazepine", "severity"), "urgent", "severity"),
        (("drug_classes", "opioid"), None, "drug_classes: 'opioid' is required"),
        (("bowel_regimen", "ingredients"), "senna", "bowel_regimen: expected a list"),
        # The 2016 label, the naloxone risk facts and the taper defaults are read too.
        (("mme_high_2016", "label"), None, "mme_high_2016: 'label'"),
        (("mme_high_2016", "label"), " ", "mme_high_2016: 'label'"),
        (("naloxone", "risk_facts"), None, "naloxone.risk_facts: expected a list"),
        (("naloxone", "risk_facts"), ["pain"], "naloxone.risk_facts: unknown risk fact 'pain'"),
        (("naloxone", "rescue_routes"), [""], "naloxone.rescue_routes: empty route"),
        (("taper",), None, "'taper' must be an object"),
        (("taper", "long_term"), None, "taper: 'long_term' must be an object"),
        (("taper", "long_term", "rate_percent"), 0, "taper.long_term: 'rate_percent'"),
        (("taper", "long_term", "rate_percent"), 150, "taper.long_term: 'rate_percent'"),
        (("taper", "weeks_to_months", "interval_days"), 0, "taper.weeks_to_months: 'interval"),
        (("taper", "weeks_to_months", "basis"), "sideways", "taper.weeks_to_months: 'basis'"),
        (
            ("taper", "weeks_to_months", "switch_at_percent_of_original"),
            100,
            "taper.weeks_to_months: 'switch_at_percent_of_original'",
        ),
        (("taper", "follow_up_interval_days"), None, "taper: 'follow_up_interval_days'"),
        (("taper", "source"), None, "taper: 'source'"),
        (("taper", "verified"), "yes", "taper: 'verified'"),
    ],
)
def test_loading_malformed_rules_fails_loudly(
    tmp_path: Path, path: tuple[str, ...], value: object, match: str
) -> None:
    raw = json.loads(DATA.read_text())
    *parents, key = path
    holder = raw
    for name in parents:
        holder = holder[name]
    if value is None:
        del holder[key]
    else:
        holder[key] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(RulesDataError, match=match):
        load_rules(bad)
