"""Morphine milligram equivalents per day (MME/day), the pure core.

Source of record: CDC Clinical Practice Guideline for Prescribing Opioids for Pain —
United States, 2022 (MMWR Recomm Rep 2022;71(No. RR-3)), its MME conversion table; the
factors live in ``data/opioid-conversion.json`` with their source (cross-checked against
cqframework/opioid-mme-r4 @ 82ce804, CodeSystem ``CDCMMEClinicalConversionFactors``).

Contract, from the guideline and ``shared/domain/opioids.md``:

* MME/day = Σ (mg per administration × administrations per day × factor); transdermal
  fentanyl = mcg/hr × the table's factor (2.4 in CDC 2022), concurrent patches summed,
  the change interval ignored; the line's message names the factor of the row used.
* As-needed orders count at their **maximum** daily dose, and the line says so.
* Buprenorphine is shown, excluded from the total, and said to be excluded.
* An opioid without a factor, or a dose without enough dosage to compute, makes the total
  **incomplete**: the known part is a lower bound and the reason names the drug. Never a
  silent zero.
* Decimal arithmetic throughout (12 mcg/hr × 2.4 is 28.8, not 28.799999999999997).

Doses are read and checked by ``waypoint.medications.dose``; factors are matched in
``waypoint.medications.conversion``. No Django imports: plain values in, dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from waypoint.medications.amounts import check_at_most, show
from waypoint.medications.conversion import (
    ConversionEntry,
    ConversionTable,
    NoMatch,
    default_table,
)
from waypoint.medications.dose import CheckedDose, Dose, check_dose

__all__ = ["IncompleteReason", "LineStatus", "MMELine", "MMESummary", "ReasonCode", "daily_mme"]

LineStatus = Literal["counted", "excluded", "no-factor", "unknown", "missing-dosage"]
ReasonCode = Literal[
    "excluded", "no-factor", "unknown-ingredient", "missing-dosage", "missing-route"
]

_NOT_COUNTED = "not counted, the total is a lower bound"


@dataclass(frozen=True)
class MMELine:
    """One dose's contribution: its daily amount, factor and source, or why it has none."""

    index: int
    ingredient: str
    label: str
    route: str | None
    status: LineStatus
    daily_amount: Decimal | None
    amount_unit: str
    factor: Decimal | None
    factor_unit: str | None
    source: str
    mme: Decimal | None
    as_needed_max_used: bool = False
    messages: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """The line's messages as one sentence, for screens."""
        return " ".join(self.messages)


@dataclass(frozen=True)
class IncompleteReason:
    """Why the total is a lower bound, naming the drug (``index`` points into the doses)."""

    code: ReasonCode
    index: int
    ingredient: str
    message: str


@dataclass(frozen=True)
class MMESummary:
    """Total MME/day with one line per dose; ``incomplete`` means the total is a lower bound.

    ``table`` is the conversion table the total was computed with (set by ``daily_mme``);
    the stewardship rules read medication names with the same table, so the two cannot
    disagree. ``None`` (a summary built by hand) means the bundled table.
    """

    total: Decimal
    lines: tuple[MMELine, ...]
    incomplete: bool
    reasons: tuple[IncompleteReason, ...] = ()
    unit: str = "MME/day"
    source: str = ""
    table: ConversionTable | None = field(default=None, compare=False, repr=False)

    @property
    def as_needed_max_used(self) -> bool:
        """Whether any line counted an as-needed order at its maximum per day."""
        return any(line.as_needed_max_used for line in self.lines)

    @property
    def message(self) -> str:
        """The total for people: "90 MME/day", or "at least 60 MME/day (lower bound: …)"."""
        if not self.incomplete:
            return f"{show(self.total)} {self.unit}"
        names = ", ".join(sorted({r.ingredient for r in self.reasons}))
        return f"at least {show(self.total)} {self.unit} (lower bound: not counted: {names})"


def daily_mme(doses: Iterable[Dose], table: ConversionTable | None = None) -> MMESummary:
    """Total MME/day over active opioid doses, with one line per dose (CDC 2022 method).

    Each line carries the factor and its source (CDC 2022 MME table, MMWR RR-71(3)), or
    the reason it is not counted. Buprenorphine is excluded (not in the 2022 table),
    opioids without a factor and doses lacking dosage are not counted; any of these makes
    ``incomplete`` true and the total a lower bound — never a silent zero. As-needed doses
    count at their maximum per day (``as_needed_max_used`` with a message).

    Raises ``DoseError`` naming the field for a dose that cannot be right.
    """
    table = table or default_table()
    lines: list[MMELine] = []
    reasons: list[IncompleteReason] = []
    total = Decimal(0)
    for index, dose in enumerate(doses):
        line, reason = _line(index, dose, table)
        lines.append(line)
        if reason is not None:
            reasons.append(reason)
        if line.mme is not None:
            total += line.mme
    return MMESummary(
        total=total,
        lines=tuple(lines),
        incomplete=bool(reasons),
        reasons=tuple(reasons),
        source=table.citation,
        table=table,
    )


@dataclass(frozen=True)
class _Uncounted:
    """Why a dose adds nothing to the total."""

    status: LineStatus
    code: ReasonCode
    message: str
    source: str = ""


def _line(
    index: int, dose: Dose, table: ConversionTable
) -> tuple[MMELine, IncompleteReason | None]:
    checked = check_dose(dose, table)
    label = dose.label or dose.ingredient
    matched = table.match(checked.ingredient, checked.route, checked.form)
    result: MMELine | _Uncounted
    if isinstance(matched, str):
        result = _no_match(matched, checked, table)
    else:
        result = _count(index, label, matched, checked, table)
    if isinstance(result, MMELine):
        return result, None
    line = MMELine(
        index=index,
        ingredient=checked.ingredient,
        label=label,
        route=checked.route,
        status=result.status,
        daily_amount=None,
        amount_unit="",
        factor=None,
        factor_unit=None,
        source=result.source,
        mme=None,
        messages=(result.message,),
    )
    return line, IncompleteReason(
        code=result.code, index=index, ingredient=checked.ingredient, message=result.message
    )


def _no_match(why: NoMatch, checked: CheckedDose, table: ConversionTable) -> _Uncounted:
    ingredient = checked.ingredient
    if why == "unknown-ingredient":
        return _Uncounted(
            "unknown",
            "unknown-ingredient",
            f"{ingredient}: no conversion factor known; {_NOT_COUNTED}",
        )
    if why == "missing-route":
        return _Uncounted(
            "missing-dosage", "missing-route", f"{ingredient}: route not stated; {_NOT_COUNTED}"
        )
    how = f"{checked.form} form" if why == "no-factor-form" else f"the {checked.route} route"
    return _Uncounted(
        "no-factor",
        "no-factor",
        f"{ingredient}: no CDC 2022 factor for {how}; {_NOT_COUNTED}",
        table.citation,
    )


def _count(
    index: int, label: str, entry: ConversionEntry, checked: CheckedDose, table: ConversionTable
) -> MMELine | _Uncounted:
    ingredient, source = checked.ingredient, entry.source
    if entry.status == "excluded":
        return _Uncounted(
            "excluded", "excluded", f"{ingredient}: excluded from the total. {entry.reason}", source
        )
    if entry.status == "no-factor":
        return _Uncounted(
            "no-factor",
            "no-factor",
            f"{ingredient}: {entry.reason} Not counted; the total is a lower bound.",
            source,
        )
    assert entry.factor is not None and entry.unit is not None

    messages: list[str] = []
    as_needed_max_used = False
    if entry.unit == "mcg/hr":
        if checked.patch_rate is None:
            return _Uncounted(
                "missing-dosage",
                "missing-dosage",
                f"{ingredient}: patch strength (mcg/hr) missing; {_NOT_COUNTED}",
                source,
            )
        daily_amount = checked.patch_rate * (checked.per_admin or Decimal(1))
        amount_unit = "mcg/hr"
        messages.append(
            f"Transdermal: mcg/hr × {show(entry.factor)}; concurrent patches summed, "
            "change interval ignored."
        )
    else:
        mg, blame = checked.mg_per_administration()
        if mg is not None:
            check_at_most(mg, table.max_mg_per_administration, blame, "mg per administration")
        per_day = checked.max_per_day if checked.as_needed else checked.per_day
        if mg is None or per_day is None:
            missing = "strength" if mg is None else "frequency"
            if checked.as_needed and per_day is None:
                missing = "maximum daily dose of the as-needed order"
            return _Uncounted(
                "missing-dosage",
                "missing-dosage",
                f"{ingredient}: {missing} missing; {_NOT_COUNTED}",
                source,
            )
        daily_amount = mg * per_day
        amount_unit = "mg/day"
        if checked.as_needed:
            as_needed_max_used = True
            messages.append(
                f"As needed: counted at the maximum of {show(per_day)} administrations/day."
            )
    return MMELine(
        index=index,
        ingredient=ingredient,
        label=label,
        route=checked.route,
        status="counted",
        daily_amount=daily_amount,
        amount_unit=amount_unit,
        factor=entry.factor,
        factor_unit=entry.unit,
        source=source,
        mme=daily_amount * entry.factor,
        as_needed_max_used=as_needed_max_used,
        messages=tuple(messages),
    )
