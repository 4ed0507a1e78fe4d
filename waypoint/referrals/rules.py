"""Triage rules as data: the JSON document format, its validator and its loader.

The shipped rules live in ``data/triage-rules.json``; a clinic will later edit its own copy
in the admin, stored as versioned JSON documents. Everything a clinic may change is
therefore checked here, and every error names the field at fault (``RulesError.field``,
e.g. ``services.adult-programme.rules[1].months``) so the admin can point at it.

Document shape (format 1)::

    {"format": 1, "version": "...",
     "red_flags": [{"code", "label", "source", "urgency"?: {"category", "level",
                    "verified", "source"}}],
     "disclosures": [{"code", "label", "source", "answered_by"?}],
     "diagnosis_categories": [{"code", "label", "source"}],
     "services": {"<service kind>": {"label", "source", "rules": [
         {"code", "check", "source", ...parameters of the check}]}}}

Checks and their parameters: ``age-range`` (``min`` and/or ``max``, whole years,
inclusive), ``pain-duration-at-least`` (``months``), ``diagnosis-in`` (``accepted``,
optional ``uncertain``: category codes), ``fact-true`` (``fact``), ``any-fact-true``
(``facts``), ``fact-given`` (``fact``, a text fact), ``no-red-flags-present``.
Unknown fields are refused rather than ignored: a misspelt setting must not silently
fall back to a default.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final, TypeVar

FORMAT: Final = 1

#: The service kinds the rest of Waypoint knows; a rules document may cover fewer.
SERVICE_KINDS: Final = (
    "adult-programme",
    "paediatric-intensive",
    "neuroirritability",
    "interventional",
)

#: Yes/no facts of a referral that rules may name, with the wording used in reasons.
BOOLEAN_FACTS: Final[Mapping[str, str]] = {
    "pain_is_primary": "pain is the primary problem",
    "biomedical_intervention_unhelpful": "biomedical intervention inappropriate or not helped",
    "functional_disability": "significant pain-related functional disability",
    "outpatient_mdt_tried": "outpatient multidisciplinary care tried",
    "medical_complexity": "medical complexity",
    "neurological_impairment": "neurological impairment",
    "recurrent_pain_behaviours": "recurrent pain behaviours",
    "referrer_is_physician": "referrer is a physician",
    "self_management_activated": "activated for a self-management approach",
}

#: Free-text facts of a referral that rules may require to be given.
TEXT_FACTS: Final[Mapping[str, str]] = {"requested_procedure": "requested procedure"}

URGENCY_LEVELS: Final = ("same-day-emergency", "same-day-if-suspected", "about-2-weeks")

_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DEFAULT_FILE: Final = "triage-rules.json"


class RulesError(ValueError):
    """A rules document is malformed; ``field`` is the dotted path of the offending field."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field or '(document)'}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Urgency:
    """How soon a red flag must be seen, from a pathway table; ``verified`` false = [U]."""

    category: str
    level: str
    verified: bool
    source: str


@dataclass(frozen=True)
class RedFlag:
    code: str
    label: str
    source: str
    urgency: Urgency | None = None


@dataclass(frozen=True)
class Disclosure:
    """A required disclosure; ``answered_by`` names a fact whose recorded value discloses it."""

    code: str
    label: str
    source: str
    answered_by: str | None = None


@dataclass(frozen=True)
class DiagnosisCategory:
    code: str
    label: str
    source: str


@dataclass(frozen=True)
class AgeRange:
    code: str
    source: str
    min_years: int | None
    max_years: int | None


@dataclass(frozen=True)
class PainDurationAtLeast:
    code: str
    source: str
    months: float


@dataclass(frozen=True)
class DiagnosisIn:
    """``uncertain`` categories give "cannot tell" (clinician review), not a refusal."""

    code: str
    source: str
    accepted: tuple[str, ...]
    uncertain: tuple[str, ...]


@dataclass(frozen=True)
class FactTrue:
    code: str
    source: str
    fact: str


@dataclass(frozen=True)
class AnyFactTrue:
    code: str
    source: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class FactGiven:
    code: str
    source: str
    fact: str


@dataclass(frozen=True)
class NoRedFlagsPresent:
    code: str
    source: str


Rule = (
    AgeRange
    | PainDurationAtLeast
    | DiagnosisIn
    | FactTrue
    | AnyFactTrue
    | FactGiven
    | NoRedFlagsPresent
)


@dataclass(frozen=True)
class Service:
    kind: str
    label: str
    source: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Rules:
    """A validated rules document; build it with ``parse_rules`` or ``load_rules``."""

    version: str
    red_flags: tuple[RedFlag, ...]
    disclosures: tuple[Disclosure, ...]
    diagnosis_categories: tuple[DiagnosisCategory, ...]
    services: Mapping[str, Service]

    def diagnosis_label(self, code: str) -> str:
        return next((d.label for d in self.diagnosis_categories if d.code == code), code)


class _Object:
    """One JSON object being read: knows its path so errors name the field, and which keys
    were read so that unknown (e.g. misspelt) keys are refused by ``close``."""

    def __init__(self, value: object, path: str) -> None:
        if not isinstance(value, dict):
            raise RulesError(path, f"expected an object, got {type(value).__name__}")
        self.data: dict[str, object] = value
        self.path = path
        self.read: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, *, required: bool = True) -> object:
        self.read.add(key)
        if key not in self.data and required:
            raise RulesError(self.where(key), "is required")
        return self.data.get(key)

    def text(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RulesError(self.where(key), f"expected a non-empty string, got {value!r}")
        return value

    def code(self, key: str) -> str:
        value = self.text(key)
        if not _CODE.fullmatch(value):
            raise RulesError(self.where(key), f"{value!r} is not a lower-case-hyphenated code")
        return value

    def whole_years(self, key: str) -> int | None:
        value = self.get(key, required=False)
        # bool is an int in Python; `true` as an age is a typo, not 1.
        if value is not None and (type(value) is not int or value < 0):
            raise RulesError(self.where(key), f"expected a whole number >= 0, got {value!r}")
        return value

    def objects(self, key: str) -> list[_Object]:
        value = self.get(key)
        if not isinstance(value, list) or not value:
            raise RulesError(self.where(key), "expected a non-empty list")
        return [_Object(item, f"{self.where(key)}[{i}]") for i, item in enumerate(value)]

    def codes(
        self, key: str, allowed: Mapping[str, object], *, required: bool = True
    ) -> tuple[str, ...]:
        value = self.get(key, required=required)
        if value is None and not required:
            return ()
        if not isinstance(value, list) or not value:
            raise RulesError(self.where(key), "expected a non-empty list of codes")
        for item in value:
            if item not in allowed:
                raise RulesError(self.where(key), f"unknown code {item!r}")
        return tuple(str(item) for item in value)

    def close(self) -> None:
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise RulesError(self.where(unknown[0]), "is not a known field")


def _unique(items: list[_Object], codes: list[str]) -> None:
    seen: set[str] = set()
    for item, code in zip(items, codes, strict=True):
        if code in seen:
            raise RulesError(item.where("code"), f"duplicate code {code!r}")
        seen.add(code)


def _urgency(obj: _Object) -> Urgency:
    level = obj.text("level")
    if level not in URGENCY_LEVELS:
        raise RulesError(obj.where("level"), f"expected one of {', '.join(URGENCY_LEVELS)}")
    verified = obj.get("verified")
    if not isinstance(verified, bool):
        raise RulesError(obj.where("verified"), f"expected true or false, got {verified!r}")
    urgency = Urgency(obj.text("category"), level, verified, obj.text("source"))
    obj.close()
    return urgency


def _red_flag(obj: _Object) -> RedFlag:
    raw = obj.get("urgency", required=False)
    urgency = None if raw is None else _urgency(_Object(raw, obj.where("urgency")))
    flag = RedFlag(obj.code("code"), obj.text("label"), obj.text("source"), urgency)
    obj.close()
    return flag


def _disclosure(obj: _Object) -> Disclosure:
    answered_by = obj.get("answered_by", required=False)
    if answered_by is not None and (
        not isinstance(answered_by, str) or answered_by not in BOOLEAN_FACTS
    ):
        raise RulesError(obj.where("answered_by"), f"unknown fact {answered_by!r}")
    item = Disclosure(obj.code("code"), obj.text("label"), obj.text("source"), answered_by)
    obj.close()
    return item


def _fact(obj: _Object, key: str, facts: Mapping[str, str]) -> str:
    value = obj.text(key)
    if value not in facts:
        raise RulesError(obj.where(key), f"unknown fact {value!r} (known: {', '.join(facts)})")
    return value


def _rule(obj: _Object, categories: Mapping[str, object]) -> Rule:
    code, check, source = obj.code("code"), obj.text("check"), obj.text("source")
    rule: Rule
    if check == "age-range":
        low, high = obj.whole_years("min"), obj.whole_years("max")
        if low is None and high is None:
            raise RulesError(obj.where("min"), "age-range needs min, max or both")
        if low is not None and high is not None and low > high:
            raise RulesError(obj.where("max"), f"max {high} is below min {low}")
        rule = AgeRange(code, source, low, high)
    elif check == "pain-duration-at-least":
        months = obj.get("months")
        # bool is an int in Python (`true` is a typo, not 1), and Python's json accepts NaN.
        if (
            isinstance(months, bool)
            or not isinstance(months, int | float)
            or not (math.isfinite(months) and months > 0)
        ):
            raise RulesError(
                obj.where("months"), f"expected a number of months > 0, got {months!r}"
            )
        rule = PainDurationAtLeast(code, source, float(months))
    elif check == "diagnosis-in":
        accepted = obj.codes("accepted", categories)
        uncertain = obj.codes("uncertain", categories, required=False)
        if overlap := set(accepted) & set(uncertain):
            raise RulesError(obj.where("uncertain"), f"also accepted: {', '.join(sorted(overlap))}")
        rule = DiagnosisIn(code, source, accepted, uncertain)
    elif check == "fact-true":
        rule = FactTrue(code, source, _fact(obj, "fact", BOOLEAN_FACTS))
    elif check == "any-fact-true":
        rule = AnyFactTrue(code, source, obj.codes("facts", BOOLEAN_FACTS))
    elif check == "fact-given":
        rule = FactGiven(code, source, _fact(obj, "fact", TEXT_FACTS))
    elif check == "no-red-flags-present":
        rule = NoRedFlagsPresent(code, source)
    else:
        raise RulesError(obj.where("check"), f"unknown check {check!r}")
    obj.close()
    return rule


def _service(obj: _Object, kind: str, categories: Mapping[str, object]) -> Service:
    items = obj.objects("rules")
    rules = tuple(_rule(item, categories) for item in items)
    _unique(items, [r.code for r in rules])
    service = Service(kind, obj.text("label"), obj.text("source"), rules)
    obj.close()
    return service


_Listed = TypeVar("_Listed", RedFlag, Disclosure, DiagnosisCategory)


def _listed(top: _Object, key: str, read: Callable[[_Object], _Listed]) -> tuple[_Listed, ...]:
    items = top.objects(key)
    parsed = tuple(read(item) for item in items)
    _unique(items, [p.code for p in parsed])
    return parsed


def _diagnosis(obj: _Object) -> DiagnosisCategory:
    item = DiagnosisCategory(obj.code("code"), obj.text("label"), obj.text("source"))
    obj.close()
    return item


def parse_rules(data: Mapping[str, object]) -> Rules:
    """Validate a rules document (already decoded from JSON) and build ``Rules``.

    Raises ``RulesError`` naming the first offending field.
    """
    top = _Object(dict(data) if isinstance(data, Mapping) else data, "")
    if (fmt := top.get("format")) != FORMAT:
        raise RulesError("format", f"expected {FORMAT}, got {fmt!r}")
    version = top.text("version")
    red_flags = _listed(top, "red_flags", _red_flag)
    disclosures = _listed(top, "disclosures", _disclosure)
    categories = _listed(top, "diagnosis_categories", _diagnosis)
    by_code = {c.code: c for c in categories}
    raw_services = _Object(top.get("services"), "services")
    services: dict[str, Service] = {}
    for kind in raw_services.data:
        if kind not in SERVICE_KINDS:
            raise RulesError(
                f"services.{kind}", f"unknown service kind (known: {', '.join(SERVICE_KINDS)})"
            )
        raw_services.read.add(kind)
        services[kind] = _service(
            _Object(raw_services.data[kind], f"services.{kind}"), kind, by_code
        )
    if not services:
        raise RulesError("services", "expected at least one service")
    top.close()
    return Rules(version, red_flags, disclosures, categories, services)


def load_rules(path: str | Path | None = None) -> Rules:
    """Load and validate a rules file; by default the rules shipped with Waypoint."""
    if path is None:
        text = (resources.files("waypoint.referrals") / "data" / _DEFAULT_FILE).read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RulesError("", f"not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise RulesError("", f"expected an object, got {type(data).__name__}")
    return parse_rules(data)
