"""Instrument definitions: the validated, immutable form of an instrument file.

Plain Python (no Django). :mod:`waypoint.assessments.catalogue` builds these from the JSON
files in ``data/instruments/``; :mod:`waypoint.assessments.scoring` interprets them. The
vocabularies below are the values a file may use; the ranges at the end are computed
from the items and the scoring rule, so a file's declared range can be checked against
them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

RESPONDENTS = ("self", "parent-proxy", "clinician")
STATUSES = ("active", "retired", "draft")
# "none": the instrument reports subscales only (DASS-21) or cannot be scored yet (draft).
METHODS = ("sum", "mean", "weighted-sum", "promis-table", "none")
ITEM_TEXT = ("verbatim", "paraphrase")
# How a safety rule compares the raw answer with its value.
SAFETY_TESTS: Mapping[str, Callable[[Decimal, Decimal], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
}
SAFETY_OPS = tuple(SAFETY_TESTS)


@dataclass(frozen=True)
class Source:
    """Where a rule comes from; unverified facts say what still needs confirming."""

    citation: str
    verified: bool
    to_confirm: str | None = None


@dataclass(frozen=True)
class Option:
    """One answer choice: the stored ``value`` and the ``score`` it contributes."""

    value: Decimal
    label: str
    score: Decimal
    code: str | None = None  # LOINC answer code (LA…), for FHIR mapping


@dataclass(frozen=True)
class Item:
    """A question: either a choice of ``options`` or a numeric answer in ``min..max``."""

    code: str
    text: str
    options: tuple[Option, ...]
    required: bool
    min: Decimal | None
    max: Decimal | None
    step: Decimal
    loinc: str | None

    def score_range(self) -> tuple[Decimal, Decimal]:
        """Lowest and highest score this item can contribute."""
        if self.options:
            scores = [option.score for option in self.options]
            return min(scores), max(scores)
        assert self.min is not None and self.max is not None
        return self.min, self.max


@dataclass(frozen=True)
class BandLevel:
    """A band with inclusive bounds (``None`` = open end, or decided by a band rule)."""

    code: str
    label: str
    min: Decimal | None
    max: Decimal | None


@dataclass(frozen=True)
class Bands:
    """Interpretation bands over the total, the T-score, or a subscale value."""

    on: str  # "total" | "t_score" (subscale bands are always on the subscale value)
    resolution: Decimal  # smallest step between adjacent bands (1 for sums, 0.1 for T)
    levels: tuple[BandLevel, ...]
    rule: str | None  # totals only: subscale bands are a range lookup
    params: Mapping[str, Any]  # read-only; exactly the rule's declared parameters
    source: Source


@dataclass(frozen=True)
class Subscale:
    code: str
    name: str
    items: tuple[str, ...]
    method: str  # "sum" | "mean"
    multiplier: Decimal  # applies to a sum; a mean subscale must leave it at 1
    bands: Bands | None
    source: Source

    def from_sum(self, summed: Decimal) -> Decimal:
        """The subscale value for this sum of its item scores: their mean, or sum x multiplier."""
        if self.method == "mean":
            return summed / len(self.items)
        return summed * self.multiplier


@dataclass(frozen=True)
class Weights:
    """Item weights chosen by the answer to a selector item (ORT: weights by sex)."""

    selector: str
    by_value: Mapping[Decimal, Mapping[str, Decimal]]  # read-only, rows too


@dataclass(frozen=True)
class TableRow:
    t: Decimal
    se: Decimal


@dataclass(frozen=True)
class Scoring:
    method: str
    items: tuple[str, ...]  # items that make up the total (all items unless listed)
    multiplier: Decimal  # applies to a sum; every other method must leave it at 1
    range: tuple[Decimal, Decimal] | None
    weights: Weights | None
    table: Mapping[int, TableRow] | None  # read-only; PROMIS whole raw summed score -> T
    table_provenance: str | None
    source: Source


@dataclass(frozen=True)
class MissingRule:
    max_missing: int
    prorate: bool
    source: Source


@dataclass(frozen=True)
class Mcid:
    kind: str  # "points" | "percent"
    value: Decimal
    source: Source


@dataclass(frozen=True)
class SafetyItem:
    item: str
    op: str
    value: Decimal
    action: str
    source: Source

    def triggered_by(self, answer: Decimal) -> bool:
        """Whether this raw answer to :attr:`item` calls for the safety action."""
        return bool(SAFETY_TESTS[self.op](answer, self.value))


@dataclass(frozen=True)
class Licence:
    text: str
    url: str | None
    requires_permission: bool


@dataclass(frozen=True)
class Instrument:
    code: str
    name: str
    short_name: str
    version: str
    status: str
    status_note: str | None
    respondent: str
    age_min: int | None
    age_max: int | None
    loinc_panel: str | None
    loinc_total: str | None
    higher_is_better: bool
    item_text: str
    item_text_note: str | None
    items: tuple[Item, ...]
    subscales: tuple[Subscale, ...]
    reverse_items: tuple[str, ...]
    scoring: Scoring
    missing: MissingRule
    bands: Bands | None
    mcid: tuple[Mcid, ...]
    safety_items: tuple[SafetyItem, ...]
    licence: Licence
    source: Source

    def item(self, code: str) -> Item:
        """The item with this code (KeyError if the instrument has none)."""
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)

    @property
    def item_codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)


# --- ranges computed from the items and the scoring rule --------------------------------


def total_items(instrument: Instrument) -> tuple[str, ...]:
    """Codes of the items that make up the total (all items unless the file lists them)."""
    return instrument.scoring.items or instrument.item_codes


def total_range(instrument: Instrument) -> tuple[Decimal, Decimal] | None:
    """Lowest and highest possible total, computed from the items and the scoring rule."""
    scoring, items = instrument.scoring, total_items(instrument)
    if scoring.method == "none":
        return None
    if scoring.method == "mean":
        ranges = [instrument.item(code).score_range() for code in items]
        return min(r[0] for r in ranges), max(r[1] for r in ranges)
    if scoring.method == "weighted-sum":
        assert scoring.weights is not None
        sums = [
            _weighted_range(instrument, row.items()) for row in scoring.weights.by_value.values()
        ]
        return min(s[0] for s in sums), max(s[1] for s in sums)
    low, high = raw_range(instrument, items)
    return low * scoring.multiplier, high * scoring.multiplier


def raw_range(instrument: Instrument, items: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    """Lowest and highest sum of these items' scores."""
    return _weighted_range(instrument, ((code, Decimal(1)) for code in items))


def _weighted_range(
    instrument: Instrument, weights: Iterable[tuple[str, Decimal]]
) -> tuple[Decimal, Decimal]:
    low = high = Decimal(0)
    for code, weight in weights:
        item_low, item_high = instrument.item(code).score_range()
        low, high = low + weight * item_low, high + weight * item_high
    return low, high
