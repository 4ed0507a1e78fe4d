"""Tests for ``waypoint.medications.dose``: units, spellings, and doses refused by field.

Doses are given to ``daily_mme``, the way callers meet them: a dose is checked when it is
read, and its milligrams per administration when its line is counted. Expected MME are
worked by hand from the CDC 2022 MME table (MMWR RR-71(3)).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.medications.factories import oral
from waypoint.medications.amounts import DoseError
from waypoint.medications.conversion import default_table
from waypoint.medications.dose import Dose, check_dose
from waypoint.medications.mme import daily_mme

D = Decimal


# ------------------------------------------------------------- units and spellings


@pytest.mark.parametrize(
    ("dose", "expected"),
    [
        # Salt names as printed on labels: factor applies to the labelled strength.
        (oral("Oxycodone Hydrochloride", "10", "bd"), "30"),
        (oral("morphine sulfate", "15", "bd"), "30"),
        # Route inferred from a tablet form; release modifiers do not change the factor.
        (
            Dose("oxycodone", form="ER tablet", strength=20, strength_unit="mg", frequency="bd"),
            "60",
        ),
        (Dose("morphine", form="Capsules", strength=10, strength_unit="mg", frequency="tds"), "30"),
        # Liquid: 2 mg/ml, 5 ml qds = 10 mg x 4 = 40.
        (
            Dose(
                "morphine",
                route="PO",
                form="oral solution",
                strength=2,
                strength_unit="mg/mL",
                dose_per_administration=5,
                dose_unit="ml",
                frequency="qds",
            ),
            "40",
        ),
        # Dose given directly in mg: 15 mg tds x 1.5 = 67.5.
        (
            Dose(
                "oxycodone",
                route="oral",
                dose_per_administration=15,
                dose_unit="mg",
                administrations_per_day=3,
            ),
            "67.5",
        ),
        # Two tablets per administration from the sig: 2 x 5 mg x 4 x 1.5 = 60.
        (oral("oxycodone", "5", "2 tablets qds"), "60"),
        # Strength in mcg: hydromorphone 500 mcg qds = 2 mg x 5 = 10.
        (
            Dose("hydromorphone", route="oral", strength=500, strength_unit="mcg", frequency="qds"),
            "10",
        ),
        # float inputs go through str(), so 2.4-style binary error never enters.
        (Dose("oxycodone", route="oral", strength=7.5, strength_unit="mg", frequency="bd"), "22.5"),
    ],
)
def test_units_and_spellings(dose: Dose, expected: str) -> None:
    summary = daily_mme([dose])
    assert not summary.incomplete, summary.reasons
    assert summary.total == D(expected)


# ------------------------------------------------------------------------ DoseError

DOSE_ERRORS = [
    (oral("oxycodone", "0", "bd"), "strength"),
    (oral("oxycodone", "-5", "bd"), "strength"),
    (
        Dose("oxycodone", route="oral", strength="abc", strength_unit="mg", frequency="bd"),
        "strength",
    ),
    (
        Dose("oxycodone", route="oral", strength="NaN", strength_unit="mg", frequency="bd"),
        "strength",
    ),
    (Dose("oxycodone", route="oral", strength=5, frequency="bd"), "strength_unit"),
    (
        Dose("oxycodone", route="oral", strength=5, strength_unit="grains", frequency="bd"),
        "strength_unit",
    ),
    # 5000 mg in one administration: a mcg/mg slip, beyond the plausible maximum.
    (oral("oxycodone", "5000", "bd"), "strength"),
    (
        Dose(
            "oxycodone", route="oral", dose_per_administration=2000, dose_unit="mg", frequency="bd"
        ),
        "dose_per_administration",
    ),
    (oral("oxycodone", "5", "bd", dose_per_administration=0), "dose_per_administration"),
    (oral("oxycodone", "5", "bd", dose_per_administration=50), "dose_per_administration"),
    (
        Dose("oxycodone", route="oral", strength=5, strength_unit="mg", administrations_per_day=0),
        "administrations_per_day",
    ),
    (
        Dose("oxycodone", route="oral", strength=5, strength_unit="mg", administrations_per_day=48),
        "administrations_per_day",
    ),
    (
        Dose("oxycodone", route="oral", strength=5, strength_unit="mg", max_per_day=4),
        "max_per_day",
    ),
    # A transdermal product given by mouth.
    (Dose("fentanyl", route="oral", patch_mcg_per_hr=25), "route"),
    (Dose("fentanyl", route="oral", form="patch", strength=25, strength_unit="mcg/hr"), "route"),
    (Dose("buprenorphine", route="PO", strength=10, strength_unit="mcg/h"), "route"),
    (Dose("oxycodone", route="rectal", form="tablet", strength=5, strength_unit="mg"), "route"),
    (Dose("fentanyl", patch_mcg_per_hr=0), "patch_mcg_per_hr"),
    (Dose("fentanyl", patch_mcg_per_hr=2500), "patch_mcg_per_hr"),
    (oral("oxycodone", "5", "whenever"), "frequency"),
    (oral("oxycodone", "5", "bd for 3 days"), "frequency"),
    (oral("oxycodone", "5", "q4-6h"), "frequency"),
    # Sig text and structured frequency disagree.
    (oral("oxycodone", "5", "bd", administrations_per_day=3), "frequency"),
    (oral("oxycodone", "5", "2 tablets bd", dose_per_administration=1), "dose_per_administration"),
    (
        Dose("morphine", route="oral", strength=2, strength_unit="mg/ml", frequency="qds"),
        "dose_unit",
    ),
    (Dose("  ", route="oral"), "ingredient"),
]


@pytest.mark.parametrize(("dose", "field"), DOSE_ERRORS)
def test_dose_errors_name_the_field(dose: Dose, field: str) -> None:
    with pytest.raises(DoseError) as caught:
        daily_mme([dose])
    assert caught.value.field == field
    assert caught.value.code == "invalid-dose"
    assert str(caught.value).startswith(f"{field}: ")


# ------------------------------------------------------------------- check_dose


def test_check_dose_reads_names_and_amounts() -> None:
    checked = check_dose(
        Dose(
            "Oxycodone Hydrochloride",
            form="ER tablet",
            strength="7.5",
            strength_unit="MG",
            frequency="1-2 tablets q4-6h prn",
        ),
        default_table(),
    )
    assert (checked.ingredient, checked.form) == ("oxycodone", "tablet")
    assert checked.route == "oral"  # implied by the tablet form
    assert (checked.strength, checked.strength_unit) == (D("7.5"), "mg")
    # The higher quantity and the shortest interval: 2 tablets, at most 6 a day.
    assert (checked.per_admin, checked.dose_unit) == (D(2), "unit")
    assert checked.as_needed is True
    assert (checked.per_day, checked.max_per_day) == (None, D(6))
    assert checked.mg_per_administration() == (D(15), "strength")


def test_check_dose_reads_a_patch_rate_written_in_mg_per_hour() -> None:
    # RxNorm 197696: fentanyl 0.075 MG/HR transdermal system = 75 mcg/hr.
    checked = check_dose(Dose("fentanyl", strength="0.075", strength_unit="MG/HR"), default_table())
    assert checked.route == "transdermal"
    assert checked.patch_rate == D(75)


def test_check_dose_does_not_refuse_a_dose_without_dosage() -> None:
    # Lacking dosage makes the total incomplete (see test_mme); it is not an error.
    checked = check_dose(Dose("oxycodone", route="PO"), default_table())
    assert (checked.route, checked.strength, checked.per_day) == ("oral", None, None)
    assert checked.mg_per_administration() == (None, "strength")
