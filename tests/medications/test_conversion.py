"""Tests for ``waypoint.medications.conversion``: the CDC 2022 table as published, its
validation on load, and the normalisation of the names orders use.

Factors: CDC Clinical Practice Guideline for Prescribing Opioids for Pain — United
States, 2022 (MMWR RR-71(3)) MME table, cross-checked with cqframework/opioid-mme-r4 @
82ce804.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from waypoint.medications.conversion import (
    ConversionDataError,
    default_table,
    load_conversion_table,
    normalise_ingredient,
    normalise_route,
)

D = Decimal
DATA = Path(__file__).parents[2] / "waypoint/medications/data/opioid-conversion.json"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Oxycodone HCl", "oxycodone"),
        ("HYDROCODONE BITARTRATE", "hydrocodone"),
        ("codeine phosphate", "codeine"),
        ("pethidine", "meperidine"),
        ("  Tapentadol  ", "tapentadol"),
        # "sodium" is a salt word: docusate sodium is docusate, naproxen sodium naproxen.
        ("Docusate Sodium", "docusate"),
        ("naproxen sodium", "naproxen"),
        ("sodium picosulfate", "picosulfate"),
        ("sodium", "sodium"),  # nothing but a salt word: kept, never emptied
    ],
)
def test_normalise_ingredient(name: str, expected: str) -> None:
    assert normalise_ingredient(name) == expected


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        ("PO", "oral"),
        ("Oral route", "oral"),
        ("Transdermal route", "transdermal"),
        ("nasal", "nasal"),
        ("Nasal route", "nasal"),
        ("intranasal", "nasal"),
        ("Intranasal route", "nasal"),
        ("IN", "nasal"),
        ("intra-nasal", "nasal"),
        ("IM", "intramuscular"),
        ("SC", "subcutaneous"),
        ("  ", None),
        (None, None),
    ],
)
def test_normalise_route(route: str | None, expected: str | None) -> None:
    assert normalise_route(route) == expected


# ------------------------------------------------------------------------ the data

PUBLISHED = {
    # CDC 2022 MME table, as transcribed in shared/domain/opioids.md [V]
    "codeine": ("0.15", "mg"),
    "fentanyl": ("2.4", "mcg/hr"),
    "hydrocodone": ("1", "mg"),
    "hydromorphone": ("5", "mg"),
    "methadone": ("4.7", "mg"),
    "morphine": ("1", "mg"),
    "oxycodone": ("1.5", "mg"),
    "oxymorphone": ("3", "mg"),
    "tapentadol": ("0.4", "mg"),
    "tramadol": ("0.2", "mg"),
}


def test_data_file_holds_exactly_the_published_factors() -> None:
    table = default_table()
    factors = {e.ingredient: (e.factor, e.unit) for e in table.entries if e.status == "factor"}
    assert factors == {k: (D(f), unit) for k, (f, unit) in PUBLISHED.items()}
    for entry in table.entries:
        assert entry.source.strip()
        if entry.status != "factor":
            assert entry.reason.strip()


def test_data_file_lists_excluded_and_no_factor_opioids() -> None:
    table = default_table()
    status = {(e.ingredient, e.status) for e in table.entries}
    assert ("buprenorphine", "excluded") in status
    for name in ("levorphanol", "meperidine", "fentanyl"):
        assert (name, "no-factor") in status
    fentanyl_no_factor = next(
        e for e in table.entries if e.ingredient == "fentanyl" and e.status == "no-factor"
    )
    assert {"buccal", "nasal", "intravenous"} <= fentanyl_no_factor.routes


def test_data_file_cites_the_mmwr_and_the_cqf_commit() -> None:
    raw = json.loads(DATA.read_text())
    assert "MMWR Recomm Rep 2022;71(No. RR-3)" in raw["source"]["citation"]
    assert "82ce804" in raw["source"]["cross_check"]
    assert raw["plausible_maxima"]["verified"] is False


def test_loading_a_malformed_table_fails_loudly(tmp_path: Path) -> None:
    raw = json.loads(DATA.read_text())
    del raw["opioids"][0]["source"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(ConversionDataError, match="source"):
        load_conversion_table(bad)


def test_loading_a_table_with_duplicate_route_fails(tmp_path: Path) -> None:
    raw = json.loads(DATA.read_text())
    raw["opioids"].append(dict(raw["opioids"][0], factor=0.1))
    bad = tmp_path / "dup.json"
    bad.write_text(json.dumps(raw))
    with pytest.raises(ConversionDataError, match="already"):
        load_conversion_table(bad)
