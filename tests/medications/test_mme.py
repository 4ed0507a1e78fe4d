"""Tests for ``waypoint.medications.mme`` against the published CDC 2022 factors.

Every expected MME below is worked by hand from the factor in the CDC Clinical Practice
Guideline for Prescribing Opioids for Pain — United States, 2022 (MMWR RR-71(3)) MME
table, cross-checked with cqframework/opioid-mme-r4 @ 82ce804; none is computed by the
code under test.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from tests.medications.factories import oral
from waypoint.medications.amounts import show
from waypoint.medications.conversion import ConversionTable, default_table
from waypoint.medications.dose import Dose
from waypoint.medications.mme import daily_mme

D = Decimal


# --------------------------------------------------------------- published factors

# (dose, published factor, expected MME/day worked by hand, source of the factor)
EVERY_OPIOID = [
    (oral("codeine", "30", "qds"), "0.15", "18", "CDC 2022: 30 mg x 4 = 120 mg x 0.15"),
    (Dose("fentanyl", patch_mcg_per_hr=25), "2.4", "60", "CDC 2022: 25 mcg/hr x 2.4"),
    (Dose("fentanyl", patch_mcg_per_hr=12), "2.4", "28.8", "CDC 2022: 12 mcg/hr x 2.4"),
    (oral("hydrocodone", "10", "every 6 hours"), "1", "40", "CDC 2022: 10 mg x 4 x 1"),
    (oral("hydromorphone", "4", "qds"), "5", "80", "CDC 2022: 16 mg x 5 (2016: 4)"),
    (oral("methadone", "10", "tds"), "4.7", "141", "CDC 2022: 30 mg x 4.7 (single factor)"),
    (oral("morphine", "30", "bd"), "1", "60", "CDC 2022: 60 mg x 1"),
    (oral("oxycodone", "10", "bd"), "1.5", "30", "CDC 2022: 20 mg x 1.5"),
    (oral("oxymorphone", "10", "bd"), "3", "60", "CDC 2022: 20 mg x 3"),
    (oral("tapentadol", "100", "bd"), "0.4", "80", "CDC 2022: 200 mg x 0.4"),
    (oral("tramadol", "50", "qds"), "0.2", "40", "CDC 2022: 200 mg x 0.2 (2016-era: 0.1)"),
]


@pytest.mark.parametrize(("dose", "factor", "expected", "source"), EVERY_OPIOID)
def test_every_opioid_in_the_cdc_table(dose: Dose, factor: str, expected: str, source: str) -> None:
    summary = daily_mme([dose])
    assert summary.total == D(expected), source
    assert not summary.incomplete
    (line,) = summary.lines
    assert line.status == "counted"
    assert line.factor == D(factor)
    assert line.mme == D(expected)
    assert "CDC 2022" in line.source


def test_transdermal_fentanyl_is_exact_decimal() -> None:
    # 12 * 2.4 in binary floating point is 28.799999999999997.
    summary = daily_mme([Dose("fentanyl", route="transdermal", patch_mcg_per_hr="12")])
    assert summary.total == D("28.8")
    assert isinstance(summary.total, Decimal)
    assert show(summary.total) == "28.8"
    line = summary.lines[0]
    assert line.factor_unit == "mcg/hr"
    assert line.daily_amount == D(12)
    assert line.amount_unit == "mcg/hr"


def with_fentanyl_patch_factor(factor: str) -> ConversionTable:
    """The bundled table with another transdermal fentanyl factor (a local table)."""
    table = default_table()
    entries = tuple(
        dataclasses.replace(e, factor=D(factor)) if e.unit == "mcg/hr" else e for e in table.entries
    )
    return dataclasses.replace(table, entries=entries)


# (factor in the table's transdermal row, the message naming it, 25 mcg/hr worked by hand)
PATCH_FACTORS = [
    ("2.4", "mcg/hr × 2.4;", "60"),  # CDC 2022
    ("3", "mcg/hr × 3;", "75"),
    ("2.50", "mcg/hr × 2.5;", "62.5"),
]


@pytest.mark.parametrize(("factor", "message", "expected"), PATCH_FACTORS)
def test_transdermal_message_names_the_factor_of_the_row_used(
    factor: str, message: str, expected: str
) -> None:
    table = with_fentanyl_patch_factor(factor)
    (line,) = daily_mme([Dose("fentanyl", patch_mcg_per_hr=25)], table).lines
    assert line.mme == D(expected)
    assert any(message in m for m in line.messages), line.messages


@pytest.mark.parametrize(
    ("doses", "expected"),
    [
        # Two concurrent patches are summed: (25 + 12) mcg/hr x 2.4 = 88.8.
        ([Dose("fentanyl", patch_mcg_per_hr=25), Dose("fentanyl", patch_mcg_per_hr=12)], "88.8"),
        # Two 25 mcg/hr patches worn together: 50 x 2.4 = 120.
        ([Dose("fentanyl", patch_mcg_per_hr=25, dose_per_administration=2)], "120"),
        # RxNorm writes patch strength as MG/HR: 0.075 mg/hr = 75 mcg/hr x 2.4 = 180
        # (CDC opioid CDS example medicationrequest-example-opioidcds, RxNorm 197696);
        # the 72-hour change interval is ignored.
        (
            [
                Dose(
                    "fentanyl",
                    form="72 HR Transdermal System",
                    strength="0.075",
                    strength_unit="MG/HR",
                    frequency="1 patch every 72 hours",
                )
            ],
            "180",
        ),
        # HL7 R4 example medrx0327: fentanyl 25 mcg/h patch three times per week = 60.
        ([Dose("fentanyl", patch_mcg_per_hr=25, frequency="three times per week")], "60"),
    ],
)
def test_transdermal_units(doses: list[Dose], expected: str) -> None:
    assert daily_mme(doses).total == D(expected)


@pytest.mark.parametrize(
    ("doses", "expected"),
    [
        # oxycodone 10 mg bd (30) + morphine 30 mg bd (60) = 90
        ([oral("oxycodone", "10", "bd"), oral("morphine", "30", "bd")], "90"),
        # fentanyl 25 mcg/hr (60) + oxycodone 5 mg q4h PRN, max 6/day (5 x 6 x 1.5 = 45)
        ([Dose("fentanyl", patch_mcg_per_hr=25), oral("oxycodone", "5", "q4h prn")], "105"),
        # tramadol 100 mg bd (200 x 0.2 = 40) + codeine 30 mg qds (18) = 58
        ([oral("tramadol", "100", "bd"), oral("codeine", "30", "qds")], "58"),
        # methadone 5 mg bd (10 x 4.7 = 47) + hydromorphone 2 mg tds (6 x 5 = 30) = 77
        ([oral("methadone", "5", "bd"), oral("hydromorphone", "2", "tds")], "77"),
    ],
)
def test_combinations_are_summed(doses: list[Dose], expected: str) -> None:
    summary = daily_mme(doses)
    assert summary.total == D(expected)
    assert [line.index for line in summary.lines] == list(range(len(doses)))


# ------------------------------------------------------------------------- as needed

AS_NEEDED = [
    # (dose, expected MME, maximum counted per day)
    (oral("oxycodone", "5", "PRN max 4/day"), "30", "4"),  # 5 x 4 x 1.5
    (
        Dose(
            "hydrocodone",
            route="oral",
            strength=5,
            strength_unit="mg",
            as_needed=True,
            max_per_day=6,
        ),
        "30",  # 5 x 6 x 1
        "6",
    ),
    # HL7 R4 example medrx0308: Vicodin 5/500, 1 tablet every 4 hours as needed → max 6.
    (oral("hydrocodone", "5", "1 tablet every four hours as needed for pain"), "30", "6"),
    # "1-2 tablets q4-6h prn": the higher quantity and shortest interval: 2 x 5 x 6 x 1.5
    (oral("oxycodone", "5", "1-2 tablets q4-6h prn"), "90", "6"),
    # explicit maximum wins over the interval: q4h prn max 3/day: 10 x 3 x 1 = 30
    (oral("morphine", "10", "q4h prn max 3/day"), "30", "3"),
]


@pytest.mark.parametrize(("dose", "expected", "maximum"), AS_NEEDED)
def test_as_needed_counts_the_maximum_and_says_so(dose: Dose, expected: str, maximum: str) -> None:
    summary = daily_mme([dose])
    assert summary.total == D(expected)
    line = summary.lines[0]
    assert line.as_needed_max_used is True
    assert summary.as_needed_max_used is True
    assert any(f"maximum of {maximum}" in m for m in line.messages)


def test_scheduled_dose_is_not_flagged_as_needed() -> None:
    line = daily_mme([oral("oxycodone", "10", "bd")]).lines[0]
    assert line.as_needed_max_used is False
    assert line.messages == ()


def test_as_needed_without_maximum_is_missing_dosage() -> None:
    summary = daily_mme([oral("oxycodone", "5", "prn")])
    assert summary.incomplete
    assert [r.code for r in summary.reasons] == ["missing-dosage"]
    assert "maximum" in summary.reasons[0].message
    assert summary.total == 0


# -------------------------------------------------------------- excluded, no factor


def test_buprenorphine_is_shown_and_excluded() -> None:
    # CDC opioid CDS example medicationrequest-ambulatory-opioid: Suboxone 2 mg film daily.
    bup = Dose(
        "buprenorphine",
        route="sublingual",
        form="film",
        strength=2,
        strength_unit="mg",
        administrations_per_day=1,
    )
    summary = daily_mme([oral("oxycodone", "10", "bd"), bup])
    assert summary.total == D(30)
    assert summary.incomplete is True
    (reason,) = summary.reasons
    assert (reason.code, reason.ingredient, reason.index) == ("excluded", "buprenorphine", 1)
    line = summary.lines[1]
    assert line.status == "excluded"
    assert line.mme is None
    assert "excluded" in line.messages[0]


@pytest.mark.parametrize(
    ("dose", "code", "ingredient"),
    [
        (oral("levorphanol", "2", "tds"), "no-factor", "levorphanol"),
        (oral("meperidine", "50", "qds"), "no-factor", "meperidine"),
        (oral("Pethidine", "50", "qds"), "no-factor", "meperidine"),
        (
            Dose("fentanyl", route="buccal", strength=100, strength_unit="mcg"),
            "no-factor",
            "fentanyl",
        ),
        (
            Dose("fentanyl", route="nasal", strength=100, strength_unit="mcg"),
            "no-factor",
            "fentanyl",
        ),
        (Dose("fentanyl", route="IV", strength=50, strength_unit="mcg"), "no-factor", "fentanyl"),
        # Oral factors do not apply to parenteral morphine.
        (
            Dose("morphine", route="intravenous", strength=4, strength_unit="mg", frequency="q4h"),
            "no-factor",
            "morphine",
        ),
        (oral("tilidine", "50", "bd"), "unknown-ingredient", "tilidine"),
    ],
)
def test_opioid_without_factor_makes_the_total_a_lower_bound(
    dose: Dose, code: str, ingredient: str
) -> None:
    summary = daily_mme([oral("morphine", "30", "bd"), dose])
    assert summary.total == D(60)  # the known part, as a lower bound
    assert summary.incomplete is True
    assert [(r.code, r.ingredient) for r in summary.reasons] == [(code, ingredient)]
    assert ingredient in summary.message
    assert summary.message.startswith("at least 60 ")
    assert summary.lines[1].mme is None


@pytest.mark.parametrize(
    ("dose", "code"),
    [
        # Synthea: most opioid orders carry no dosage at all.
        (Dose("oxycodone", route="oral"), "missing-dosage"),
        (Dose("oxycodone", route="oral", strength=5, strength_unit="mg"), "missing-dosage"),
        (Dose("oxycodone", route="oral", frequency="bd"), "missing-dosage"),
        (Dose("fentanyl", route="transdermal", form="patch"), "missing-dosage"),
        (Dose("oxycodone", strength=5, strength_unit="mg", frequency="bd"), "missing-route"),
    ],
)
def test_missing_dosage_is_incomplete_never_zero(dose: Dose, code: str) -> None:
    summary = daily_mme([dose])
    assert summary.incomplete is True
    assert [r.code for r in summary.reasons] == [code]
    assert summary.lines[0].mme is None
    assert "lower bound" in summary.reasons[0].message


def test_empty_list_is_a_complete_zero() -> None:
    summary = daily_mme([])
    assert summary.total == 0
    assert summary.incomplete is False
    assert summary.lines == ()
