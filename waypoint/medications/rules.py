"""The opioid stewardship rules: loading and validating ``data/stewardship-rules.json``.

Rules follow the CDC Clinical Practice Guideline for Prescribing Opioids for Pain —
United States, 2022 (MMWR Recomm Rep 2022;71(No. RR-3)); each rule's thresholds,
intervals and source live in the data file and are validated on load. The AHRQ CDS
Connect Pain Management Summary gives the bowel-regimen flag. Rules the reference
material does not fix (the older-adult age for the falls review) are marked
``verified: false`` in the data file. The default taper schedules (CDC 2022 Rec. 5) are
read here too and used by ``waypoint.medications.taper.default_taper``. Routes in the
file are normalised with ``conversion.normalise_route``, the MME code's own, so a rule
and a dose never read one route two ways. No Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from waypoint.medications import datafile
from waypoint.medications.conversion import normalise_route
from waypoint.medications.datafile import DataFileError
from waypoint.medications.facts import RISK_FACTS

__all__ = [
    "RuleText",
    "RulesDataError",
    "Severity",
    "StewardshipRules",
    "TAPER_USES",
    "TaperBasis",
    "TaperDefault",
    "TaperRules",
    "TaperUse",
    "default_rules",
    "load_rules",
]

DATA_FILE = Path(__file__).parent / "data" / "stewardship-rules.json"

Severity = Literal["info", "warning", "high"]
_SEVERITIES: Mapping[str, Severity] = {"info": "info", "warning": "warning", "high": "high"}

TaperBasis = Literal["original", "current"]
_BASES: Mapping[str, TaperBasis] = {"original": "original", "current": "current"}
# The Rec. 5 situations the rules file gives a default schedule for.
TaperUse = Literal["long_term", "weeks_to_months"]
TAPER_USES: tuple[TaperUse, ...] = ("long_term", "weeks_to_months")


@dataclass(frozen=True)
class RuleText:
    """A rule's message and source, and whether its numbers were checked against it.

    ``label`` is a short name shown with the alert where the file gives one (the 2016
    90 MME/day flag is labelled as a 2016 level, not a 2022 threshold).
    """

    message: str
    source: str
    verified: bool = True
    label: str = ""


@dataclass(frozen=True)
class TaperDefault:
    """One default taper schedule (CDC 2022 Rec. 5); the arguments of ``taper_schedule``.

    ``switch_at_percent`` is the file's ``switch_at_percent_of_original``.
    """

    rate_percent: Decimal
    interval_days: int
    basis: TaperBasis
    switch_at_percent: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class TaperRules:
    """The ``taper`` section: a default schedule per ``TaperUse`` and the follow-up interval."""

    schedules: Mapping[str, TaperDefault]
    follow_up_interval_days: int
    source: str
    verified: bool = True


@dataclass(frozen=True)
class StewardshipRules:
    """The validated content of ``stewardship-rules.json``."""

    min_age_years: int
    excluded_conditions: Mapping[str, str]
    excluded_settings: Mapping[str, str]
    scope: RuleText
    mme_review_threshold: Decimal
    mme_review: RuleText
    mme_high_2016_threshold: Decimal
    mme_high_2016_enabled: bool
    mme_high_2016: RuleText
    naloxone_mme: Decimal
    naloxone_with_benzodiazepine: bool
    naloxone_risk_facts: tuple[str, ...]
    naloxone_rescue_ingredients: frozenset[str]
    naloxone_rescue_routes: frozenset[str]
    naloxone: RuleText
    reevaluation_days: int
    reevaluation: RuleText
    agreement_review_days: int
    agreement: RuleText
    pdmp_days: int
    pdmp: RuleText
    toxicology_days: int
    toxicology: RuleText
    benzodiazepine: RuleText
    benzodiazepine_severity: Severity
    gabapentinoid: RuleText
    gabapentinoid_severity: Severity
    bowel_ingredients: frozenset[str]
    bowel: RuleText
    stop_bang_high_min: int
    stop_bang_missing: RuleText
    stop_bang_high: RuleText
    falls_min_age_years: int
    falls_review_days: int
    falls_classes: frozenset[str]
    falls: RuleText
    classes: Mapping[str, frozenset[str]]
    taper: TaperRules
    topical_routes: frozenset[str] = field(default_factory=frozenset)


class RulesDataError(DataFileError):
    """The rules data file is malformed; raised on load."""


def load_rules(path: Path | None = None) -> StewardshipRules:
    """Load and validate the stewardship rules (default: the bundled CDC 2022 file).

    Every rule needs a ``source``; thresholds and intervals must be positive numbers;
    taper rates at most 100 %; naloxone ``risk_facts`` must name facts the rules know
    (``facts.RISK_FACTS``); the 2016 flag needs its ``label``. To
    switch on the optional 2016 90 MME/day flag, set ``mme_high_2016.enabled`` in a local
    copy of the file, or ``dataclasses.replace(rules, mme_high_2016_enabled=True)``.
    Raises ``RulesDataError``.
    """
    try:
        return _rules(datafile.read_object(path or DATA_FILE))
    except DataFileError as error:
        raise RulesDataError(str(error)) from error


@lru_cache(maxsize=1)
def default_rules() -> StewardshipRules:
    """The bundled rules, loaded and validated once per process."""
    return load_rules()


def _rules(raw: Mapping[str, object]) -> StewardshipRules:
    scope = datafile.object_at(raw, "scope")
    conditions = datafile.object_at(scope, "excluded_conditions")
    settings = datafile.object_at(scope, "excluded_settings")
    review = datafile.object_at(raw, "mme_review_threshold")
    high = datafile.object_at(raw, "mme_high_2016")
    enabled = datafile.flag(high, "enabled", "mme_high_2016")
    naloxone = datafile.object_at(raw, "naloxone")
    with_benzo = datafile.flag(naloxone, "with_benzodiazepine", "naloxone")
    reeval = datafile.object_at(raw, "reevaluation")
    agreement = datafile.object_at(raw, "opioid_agreement")
    pdmp = datafile.object_at(raw, "pdmp")
    tox = datafile.object_at(raw, "toxicology")
    cns = datafile.object_at(raw, "cns_depressants")
    benzo = datafile.object_at(cns, "benzodiazepine")
    gaba = datafile.object_at(cns, "gabapentinoid")
    bowel = datafile.object_at(raw, "bowel_regimen")
    stop_bang = datafile.object_at(raw, "stop_bang")
    falls = datafile.object_at(raw, "falls_bone_health")
    classes_raw = datafile.object_at(raw, "drug_classes")
    classes = {
        name: datafile.names(members, f"drug_classes.{name}")
        for name, members in classes_raw.items()
        if not name.startswith("_") and name != "topical_routes"
    }
    for needed in ("opioid", "benzodiazepine", "gabapentinoid"):
        if needed not in classes:
            raise DataFileError(f"drug_classes: '{needed}' is required")
    stop_bang_source = datafile.text(stop_bang, "source", "stop_bang")
    return StewardshipRules(
        min_age_years=datafile.positive_whole(scope, "min_age_years", "scope"),
        excluded_conditions={k: str(v) for k, v in conditions.items()},
        excluded_settings={k: str(v) for k, v in settings.items()},
        scope=RuleText(
            message="Opioid stewardship rules do not apply",
            source=datafile.text(scope, "source", "scope"),
        ),
        mme_review_threshold=datafile.positive_number(review, "value", "mme_review_threshold"),
        mme_review=_rule(review, "mme_review_threshold"),
        mme_high_2016_threshold=datafile.positive_number(high, "value", "mme_high_2016"),
        mme_high_2016_enabled=enabled,
        mme_high_2016=_rule(high, "mme_high_2016", label=True),
        naloxone_mme=datafile.positive_number(naloxone, "mme_at_or_above", "naloxone"),
        naloxone_with_benzodiazepine=with_benzo,
        naloxone_risk_facts=_risk_facts(naloxone.get("risk_facts"), "naloxone.risk_facts"),
        naloxone_rescue_ingredients=datafile.names(naloxone.get("rescue_ingredients"), "naloxone"),
        naloxone_rescue_routes=_routes(naloxone.get("rescue_routes"), "naloxone.rescue_routes"),
        naloxone=_rule(naloxone, "naloxone", message_key="note"),
        reevaluation_days=datafile.positive_whole(reeval, "interval_days", "reevaluation"),
        reevaluation=_rule(reeval, "reevaluation"),
        agreement_review_days=datafile.positive_whole(
            agreement, "review_interval_days", "opioid_agreement"
        ),
        agreement=_rule(agreement, "opioid_agreement"),
        pdmp_days=datafile.positive_whole(pdmp, "interval_days", "pdmp"),
        pdmp=_rule(pdmp, "pdmp"),
        toxicology_days=datafile.positive_whole(tox, "prompt_after_days", "toxicology"),
        toxicology=_rule(tox, "toxicology"),
        benzodiazepine=_rule(benzo, "cns_depressants.benzodiazepine"),
        benzodiazepine_severity=_severity(benzo, "benzodiazepine"),
        gabapentinoid=_rule(gaba, "cns_depressants.gabapentinoid"),
        gabapentinoid_severity=_severity(gaba, "gabapentinoid"),
        bowel_ingredients=datafile.names(bowel.get("ingredients"), "bowel_regimen"),
        bowel=_rule(bowel, "bowel_regimen"),
        stop_bang_high_min=datafile.positive_whole(stop_bang, "high_risk_min_score", "stop_bang"),
        stop_bang_missing=RuleText(
            datafile.text(stop_bang, "message_missing", "stop_bang"), stop_bang_source
        ),
        stop_bang_high=RuleText(
            datafile.text(stop_bang, "message_high", "stop_bang"), stop_bang_source
        ),
        falls_min_age_years=datafile.positive_whole(falls, "min_age_years", "falls_bone_health"),
        falls_review_days=datafile.positive_whole(
            falls, "review_interval_days", "falls_bone_health"
        ),
        falls_classes=datafile.names(falls.get("classes"), "falls_bone_health"),
        falls=_rule(falls, "falls_bone_health"),
        classes=classes,
        taper=_taper(datafile.object_at(raw, "taper")),
        topical_routes=_routes(classes_raw.get("topical_routes", []), "topical_routes"),
    )


def _rule(
    raw: Mapping[str, object], where: str, message_key: str = "message", *, label: bool = False
) -> RuleText:
    verified = datafile.flag(raw, "verified", where, default=True)
    return RuleText(
        message=datafile.text(raw, message_key, where),
        source=datafile.text(raw, "source", where),
        verified=verified,
        label=datafile.text(raw, "label", where) if label else "",
    )


def _routes(value: object, where: str) -> frozenset[str]:
    """A list of routes in the MME code's words ("Intranasal" → "nasal", "IM" → ...)."""
    routes: set[str] = set()
    for name in datafile.names(value, where):
        route = normalise_route(name)
        if route is None:
            raise DataFileError(f"{where}: empty route")
        routes.add(route)
    return frozenset(routes)


def _risk_facts(value: object, where: str) -> tuple[str, ...]:
    """Names of patient facts (``facts.RISK_FACTS``), in file order, each once."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: expected a list of names")
    for name in value:
        if name not in RISK_FACTS:
            known = ", ".join(RISK_FACTS)
            raise DataFileError(f"{where}: unknown risk fact {name!r} (known: {known})")
    return tuple(dict.fromkeys(value))


def _taper(raw: Mapping[str, object]) -> TaperRules:
    return TaperRules(
        schedules={
            use: _taper_default(datafile.object_at(raw, use, "taper"), f"taper.{use}")
            for use in TAPER_USES
        },
        follow_up_interval_days=datafile.positive_whole(raw, "follow_up_interval_days", "taper"),
        source=datafile.text(raw, "source", "taper"),
        verified=datafile.flag(raw, "verified", "taper", default=True),
    )


def _taper_default(raw: Mapping[str, object], where: str) -> TaperDefault:
    rate = datafile.positive_number(raw, "rate_percent", where)
    if rate > 100:
        raise DataFileError(f"{where}: 'rate_percent' must be at most 100, got {rate}")
    basis = _BASES.get(str(raw.get("basis", "original")))
    if basis is None:
        raise DataFileError(f"{where}: 'basis' must be 'original' or 'current'")
    switch_key = "switch_at_percent_of_original"
    switch: Decimal | None = None
    if switch_key in raw:
        switch = datafile.positive_number(raw, switch_key, where)
        if switch >= 100:
            raise DataFileError(f"{where}: '{switch_key}' must be below 100, got {switch}")
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise DataFileError(f"{where}: 'note' must be a string")
    return TaperDefault(
        rate_percent=rate,
        interval_days=datafile.positive_whole(raw, "interval_days", where),
        basis=basis,
        switch_at_percent=switch,
        note=note,
    )


def _severity(raw: Mapping[str, object], where: str) -> Severity:
    value = raw.get("severity")
    severity = _SEVERITIES.get(value) if isinstance(value, str) else None
    if severity is None:
        raise DataFileError(f"{where}: severity must be info, warning or high")
    return severity
