"""A dose as ordered, and reading it into checked, exact amounts.

A ``Dose`` holds plain values as an order or a form gives them (strength and unit, how
much and how often, or the sig text). ``check_dose`` puts the names into the conversion
table's words and the numbers into Decimals, and refuses with a ``DoseError`` naming the
field what cannot be right: a number ≤ 0, a unit it does not know, a sig that disagrees
with the structured fields, a patch given by mouth, or an amount beyond the plausible
maxima of ``data/opioid-conversion.json`` (data-entry guards against mcg/mg and decimal
slips, not dosing limits). No Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from waypoint.medications.amounts import DoseError, Numeric, check_at_most, optional_decimal
from waypoint.medications.conversion import (
    ConversionTable,
    normalise_form,
    normalise_ingredient,
    normalise_route,
)
from waypoint.medications.frequency import parse_frequency

__all__ = ["CheckedDose", "Dose", "check_dose"]

_MCG_PER_MG = Decimal(1000)

# Strength units as written in orders → the units computed with (RxNorm writes "MG/HR").
_STRENGTH_UNITS: Mapping[str, str] = {
    "mg": "mg",
    "mcg": "mcg",
    "mg/ml": "mg/ml",
    "mcg/ml": "mcg/ml",
    "mcg/hr": "mcg/hr",
    "mcg/h": "mcg/hr",
    "mg/hr": "mg/hr",
    "mg/h": "mg/hr",
}
_RATE_UNITS = ("mcg/hr", "mg/hr")


@dataclass(frozen=True)
class Dose:
    """One active opioid order, as plain values.

    * ``strength`` / ``strength_unit``: ingredient per dose unit — ``mg`` or ``mcg`` per
      tablet/capsule/film, ``mg/ml`` / ``mcg/ml`` for liquids, ``mcg/hr`` (or ``mg/hr``,
      as RxNorm writes "0.075 MG/HR") for patches.
    * ``dose_per_administration`` / ``dose_unit``: how much per administration — a count
      of units (tablets, patches; the default unit, and 1 when not stated but a strength
      is), or ``mg`` / ``mcg`` / ``ml`` directly.
    * ``administrations_per_day`` for scheduled doses; ``as_needed`` with
      ``max_per_day`` for PRN; or ``frequency`` as sig text (see ``parse_frequency``).
    * ``patch_mcg_per_hr``: transdermal rate per patch; ``dose_per_administration``
      then counts concurrent patches.

    A combination product is one ``Dose`` per opioid ingredient (hydrocodone 5 mg of
    "Vicodin 5/500"); non-opioid ingredients are left out by the caller.
    """

    ingredient: str
    route: str | None = None
    form: str | None = None
    strength: Numeric | None = None
    strength_unit: str | None = None
    dose_per_administration: Numeric | None = None
    dose_unit: str | None = None
    administrations_per_day: Numeric | None = None
    as_needed: bool = False
    max_per_day: Numeric | None = None
    frequency: str | None = None
    patch_mcg_per_hr: Numeric | None = None
    label: str = ""


@dataclass(frozen=True)
class CheckedDose:
    """A dose read and checked: names in the conversion table's words, amounts Decimal.

    ``route`` is the route stated, else the one implied by a patch rate or the form.
    An as-needed dose has no ``per_day``; ``max_per_day`` is its ceiling.
    """

    ingredient: str
    route: str | None
    form: str | None
    strength: Decimal | None
    strength_unit: str | None
    per_admin: Decimal | None
    dose_unit: str
    per_day: Decimal | None
    max_per_day: Decimal | None
    as_needed: bool
    patch_rate: Decimal | None

    def mg_per_administration(self) -> tuple[Decimal | None, str]:
        """Milligrams of ingredient per administration, and the field to blame if implausible.

        None when neither a dose in mg/mcg nor a strength is given. Raises ``DoseError``
        (``dose_unit``) for a strength per ml with a dose that is not in ml, or the reverse.
        """
        if self.dose_unit in ("mg", "mcg"):
            assert self.per_admin is not None  # dose_unit only comes with a quantity
            mg = self.per_admin / _MCG_PER_MG if self.dose_unit == "mcg" else self.per_admin
            return mg, "dose_per_administration"
        if self.strength is None or self.strength_unit is None:
            return None, "strength"
        per_ml = self.strength_unit in ("mg/ml", "mcg/ml")
        if per_ml != (self.dose_unit == "ml"):
            raise DoseError("dose_unit", f"strength in {self.strength_unit} needs a dose in ml")
        count = self.per_admin or Decimal(1)
        mcg = self.strength_unit.startswith("mcg")
        return (self.strength / _MCG_PER_MG if mcg else self.strength) * count, "strength"


@dataclass(frozen=True)
class _Schedule:
    """How much per administration and how often, once the sig text is reconciled."""

    per_admin: Decimal | None
    dose_unit: str
    per_day: Decimal | None
    max_per_day: Decimal | None
    as_needed: bool


def check_dose(dose: Dose, table: ConversionTable) -> CheckedDose:
    """Read ``dose`` into names in the table's words and exact amounts, or refuse it.

    Raises ``DoseError`` naming the ``Dose`` field for a dose that cannot be right (see
    the module docstring); a dose that merely lacks dosage is not refused here.
    """
    if not isinstance(dose.ingredient, str) or not dose.ingredient.strip():
        raise DoseError("ingredient", "no ingredient given")
    ingredient = normalise_ingredient(dose.ingredient, table)
    form = normalise_form(dose.form)
    route = normalise_route(dose.route)

    strength = optional_decimal(dose.strength, "strength")
    strength_unit = _strength_unit(dose.strength_unit)
    if strength is not None and strength_unit is None:
        raise DoseError("strength_unit", "a strength needs its unit")
    transdermal = (
        form == "patch" or strength_unit in _RATE_UNITS or dose.patch_mcg_per_hr is not None
    )
    _check_route(route, form, transdermal, table)

    schedule = _schedule(dose)
    patch_rate = optional_decimal(dose.patch_mcg_per_hr, "patch_mcg_per_hr")
    if patch_rate is None and strength is not None and strength_unit in _RATE_UNITS:
        patch_rate = strength * _MCG_PER_MG if strength_unit == "mg/hr" else strength

    _check_plausible(schedule, patch_rate, dose, table)

    if route is None:
        route = "transdermal" if patch_rate is not None else table.form_routes.get(form or "")
    return CheckedDose(
        ingredient=ingredient,
        route=route,
        form=form,
        strength=strength,
        strength_unit=strength_unit,
        per_admin=schedule.per_admin,
        dose_unit=schedule.dose_unit,
        per_day=schedule.per_day,
        max_per_day=schedule.max_per_day,
        as_needed=schedule.as_needed,
        patch_rate=patch_rate,
    )


def _strength_unit(written: str | None) -> str | None:
    text = (written or "").strip().lower().replace(" ", "")
    if not text:
        return None
    unit = _STRENGTH_UNITS.get(text)
    if unit is None:
        raise DoseError("strength_unit", f"unknown unit {written!r}")
    return unit


def _check_route(
    route: str | None, form: str | None, transdermal: bool, table: ConversionTable
) -> None:
    if transdermal and route not in (None, "transdermal"):
        raise DoseError("route", f"a transdermal product cannot be given by the {route} route")
    if not transdermal and form is not None and route is not None:
        implied = table.form_routes.get(form)
        if implied is not None and implied != route:
            raise DoseError("route", f"a {form} is not given by the {route} route")


def _schedule(dose: Dose) -> _Schedule:
    per_admin = optional_decimal(dose.dose_per_administration, "dose_per_administration")
    dose_unit = (dose.dose_unit or "unit").strip().lower()
    per_day = optional_decimal(dose.administrations_per_day, "administrations_per_day")
    max_per_day = optional_decimal(dose.max_per_day, "max_per_day")
    as_needed = dose.as_needed

    if dose.frequency is not None:
        parsed = parse_frequency(dose.frequency)
        as_needed = as_needed or parsed.as_needed
        text_value = parsed.max_per_day if parsed.as_needed else parsed.administrations_per_day
        given = max_per_day or per_day
        if given is not None and text_value is not None and given != text_value:
            raise DoseError(
                "frequency",
                f"sig text {dose.frequency!r} gives {text_value}/day but {given}/day was entered",
            )
        if parsed.as_needed:
            max_per_day = max_per_day or parsed.max_per_day
        else:
            per_day = per_day or parsed.administrations_per_day
        if parsed.quantity is not None:
            q_unit = parsed.quantity_unit or "unit"
            if per_admin is not None and (per_admin != parsed.quantity or dose_unit != q_unit):
                raise DoseError(
                    "dose_per_administration",
                    f"sig text says {parsed.quantity} {q_unit}, entered {per_admin} {dose_unit}",
                )
            per_admin, dose_unit = parsed.quantity, q_unit

    if max_per_day is not None and not as_needed and per_day is None:
        raise DoseError("max_per_day", "a maximum per day is for as-needed doses")
    if as_needed and max_per_day is None:
        # A structured PRN order often carries its ceiling as the frequency itself.
        max_per_day = per_day
    return _Schedule(
        per_admin=per_admin,
        dose_unit=dose_unit,
        per_day=None if as_needed else per_day,
        max_per_day=max_per_day,
        as_needed=as_needed,
    )


def _check_plausible(
    schedule: _Schedule, patch_rate: Decimal | None, dose: Dose, table: ConversionTable
) -> None:
    # Data-entry guards from the conversion table; milligrams per administration are
    # checked when a line is counted, as only a factor row needs them.
    limit_per_day = table.max_administrations_per_day
    check_at_most(schedule.per_day, limit_per_day, "administrations_per_day", "administrations/day")
    check_at_most(schedule.max_per_day, limit_per_day, "max_per_day", "administrations/day")
    if schedule.dose_unit not in ("mg", "mcg", "ml"):
        check_at_most(
            schedule.per_admin,
            table.max_units_per_administration,
            "dose_per_administration",
            "units",
        )
    if patch_rate is not None:
        count = schedule.per_admin or Decimal(1)
        field_name = "patch_mcg_per_hr" if dose.patch_mcg_per_hr is not None else "strength"
        check_at_most(patch_rate * count, table.max_transdermal_mcg_per_hr, field_name, "mcg/hr")
