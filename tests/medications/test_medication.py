"""Tests for ``waypoint.medications.medication``: drug classes from the rules' data.

Classes are the ``drug_classes`` of ``data/stewardship-rules.json``; the opioid class must
cover every opioid of the CDC 2022 MME table (MMWR RR-71(3)), counted or not.
"""

from __future__ import annotations

import dataclasses

import pytest

from waypoint.medications.conversion import ConversionTable, default_table
from waypoint.medications.medication import Medication, drug_classes, is_rescue_naloxone
from waypoint.medications.rules import load_rules

RULES = load_rules()


@pytest.mark.parametrize(
    ("medication", "expected"),
    [
        (Medication("oxycodone"), {"opioid"}),
        (Medication("hydrocodone/acetaminophen"), {"opioid"}),
        (Medication("buprenorphine/naloxone", route="sublingual"), {"opioid"}),
        (Medication("alprazolam"), {"benzodiazepine"}),
        (Medication("pregabalin"), {"gabapentinoid"}),
        (Medication("duloxetine"), {"snri"}),
        (Medication("amitriptyline"), {"tricyclic"}),
        (Medication("naproxen"), {"nsaid"}),
        (Medication("diclofenac", route="topical"), {"topical"}),
        (Medication("lidocaine"), {"topical"}),
        (Medication("cyclobenzaprine"), {"muscle-relaxant"}),
        (Medication("acetaminophen"), {"other"}),
        (Medication("paracetamol"), {"other"}),
        (Medication("vitamin d"), {"other"}),
    ],
)
def test_drug_classes(medication: Medication, expected: set[str]) -> None:
    assert drug_classes(medication, RULES) == expected


def test_every_opioid_in_the_conversion_table_is_in_the_opioid_class() -> None:
    assert default_table().ingredients <= RULES.classes["opioid"]


@pytest.mark.parametrize(
    ("medication", "rescue"),
    [
        (Medication("naloxone", route="nasal"), True),
        (Medication("Naloxone Hydrochloride", route="Intramuscular"), True),
        (Medication("nalmefene", route="nasal"), True),
        # CDC 2022 Rec. 8: naloxone in sublingual buprenorphine/naloxone is no rescue supply.
        (Medication("buprenorphine/naloxone", route="sublingual"), False),
        (Medication("naloxone"), False),  # route not stated
        (Medication("naltrexone", route="oral"), False),
    ],
)
def test_rescue_naloxone_needs_a_rescue_route(medication: Medication, rescue: bool) -> None:
    assert is_rescue_naloxone(medication, RULES) is rescue


@pytest.mark.parametrize(
    ("medication", "rescue"),
    [
        # One route normalisation for MME and stewardship (conversion.normalise_route).
        (Medication("naloxone", route="intranasal"), True),
        (Medication("naloxone", route="IN"), True),
        (Medication("naloxone", route="Nasal route"), True),
        (Medication("naloxone", route="Intranasal route"), True),
        (Medication("naloxone", route="NASAL"), True),
        (Medication("naloxone", route="IM"), True),
        (Medication("naloxone", route="SC"), True),
        (Medication("naloxone", route="IV"), True),
        (Medication("naloxone", route="SL"), False),
        (Medication("naloxone", route="PO"), False),
    ],
)
def test_rescue_routes_are_normalised_like_mme_routes(medication: Medication, rescue: bool) -> None:
    assert is_rescue_naloxone(medication, RULES) is rescue


@pytest.mark.parametrize(
    ("medication", "expected"),
    [
        (Medication("diclofenac", route="Topical route"), {"topical"}),
        (Medication("diclofenac", route="cutaneous"), {"topical"}),
        (Medication("diclofenac", route="PO"), {"nsaid"}),
        (Medication("Diclofenac Sodium", route="oral"), {"nsaid"}),
        (Medication("Naproxen Sodium"), {"nsaid"}),
    ],
)
def test_classes_use_normalised_routes_and_names(
    medication: Medication, expected: set[str]
) -> None:
    assert drug_classes(medication, RULES) == expected


def local_table() -> ConversionTable:
    """The bundled table with a local brand-name synonym ("kapake" → codeine)."""
    table = default_table()
    return dataclasses.replace(table, synonyms={**table.synonyms, "kapake": "codeine"})


# (table given, classes of "Kapake"): the names are read with the table passed in.
TABLES = [
    (None, {"other"}),  # default table: no such synonym
    (default_table(), {"other"}),
    (local_table(), {"opioid"}),
]


@pytest.mark.parametrize(("table", "expected"), TABLES)
def test_ingredient_names_are_read_with_the_table_given(
    table: ConversionTable | None, expected: set[str]
) -> None:
    medication = Medication("Kapake")
    assert drug_classes(medication, RULES, table) == expected
    assert (medication.ingredients_in(table) == {"codeine"}) is ("opioid" in expected)
