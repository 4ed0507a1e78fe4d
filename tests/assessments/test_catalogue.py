"""Catalogue: the shipped instrument files load, once, and carry their sources and
licences. Malformed files are in test_validation.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from waypoint.assessments import catalogue
from waypoint.assessments.catalogue import Source

DATA = Path(__file__).parent / "data"

REQUIRED = {
    "pain_nrs", "peg", "phq9", "gad7", "phq4", "dass21", "pcs", "pcs_c", "pcs_p", "pseq",
    "tsk17", "start_back", "promis_pi_4a_v1_0", "promis_pi_6a_v1_0", "promis_pi_6b_v1_0",
    "promis_pi_8a_v1_0", "promis_pf_4a_v1_0", "promis_pf_6b_v1_2", "promis_pf_8b_v1_2",
    "promis_pf_4a_v2_0", "promis_pf_6b_v2_0", "promis_pf_8b_v2_0", "promis_pf_10a_v2_0",
    "promis_sd_4a_v1_0", "promis_sd_8b_v1_0", "fdi_child", "fdi_parent", "ort", "stop_bang",
    "pgic", "psocq",
}  # fmt: skip


@pytest.fixture(scope="module")
def shipped() -> catalogue.Catalogue:
    return catalogue.load()


def test_every_required_instrument_ships(shipped: catalogue.Catalogue) -> None:
    assert set(shipped) == REQUIRED
    # The Insomnia Severity Index is licensed: it must not ship.
    assert not any("isi" in code or "insomnia" in shipped[code].name.lower() for code in shipped)


def test_default_catalogue_is_cached_and_explicit_directory_is_not() -> None:
    assert catalogue.load() is catalogue.load()
    assert catalogue.load(catalogue.DATA_DIR) is not catalogue.load(catalogue.DATA_DIR)


# The default catalogue is shared by every caller: nothing in it may be changed in place.
@pytest.mark.parametrize(
    ("code", "mutate"),
    [
        ("stop_bang", lambda i: i.bands.params.__setitem__("stop_min", 0)),
        ("stop_bang", lambda i: i.bands.params.pop("stop_min")),
        ("stop_bang", lambda i: i.bands.params["stop_items"].append("gender")),
        ("start_back", lambda i: i.bands.params.clear()),
        ("ort", lambda i: i.scoring.weights.by_value.__setitem__(Decimal(0), {})),
        ("ort", lambda i: i.scoring.weights.by_value[Decimal(1)].__setitem__("depression", 0)),
        ("promis_pi_4a_v1_0", lambda i: i.scoring.table.__setitem__(4, None)),
        ("promis_pi_4a_v1_0", lambda i: i.scoring.table.pop(4)),
    ],
)
def test_shared_catalogue_cannot_be_changed(
    code: str, mutate: Callable[[catalogue.Instrument], None]
) -> None:
    # A fresh copy, built as the cached one is: a regression must not spoil other tests.
    instrument = catalogue.load(catalogue.DATA_DIR)[code]
    with pytest.raises((TypeError, AttributeError)):
        mutate(instrument)
    assert instrument == catalogue.load()[code]


def test_cached_catalogue_mappings_are_read_only(shipped: catalogue.Catalogue) -> None:
    for instrument in shipped.values():
        scoring, bands = instrument.scoring, [instrument.bands]
        bands += [subscale.bands for subscale in instrument.subscales]
        mappings = [b.params for b in bands if b is not None]
        mappings += [scoring.table] if scoring.table is not None else []
        if scoring.weights is not None:
            mappings += [scoring.weights.by_value, *scoring.weights.by_value.values()]
        assert all(isinstance(m, MappingProxyType) for m in mappings), instrument.code


# LOINC codes as given in instruments.md ([V]); None where it gives none.
@pytest.mark.parametrize(
    ("code", "panel", "total"),
    [
        ("pain_nrs", None, "72514-3"),
        ("peg", "91148-7", "91147-9"),
        ("phq9", "44249-1", "44261-6"),
        ("gad7", "69737-5", "70274-6"),
        ("phq4", "69724-3", "70272-0"),
        ("start_back", None, "91351-7"),
        ("promis_pi_6b_v1_0", "62193-8", None),
        ("promis_pi_8a_v1_0", "75870-6", None),
        ("promis_pf_4a_v1_0", "76700-4", None),
        ("promis_pf_6b_v1_2", "76804-4", None),
        ("promis_pf_8b_v1_2", "76805-1", None),
        ("promis_sd_4a_v1_0", "75258-4", None),
        ("promis_sd_8b_v1_0", "62197-9", None),
        ("promis_pi_4a_v1_0", None, None),
        ("dass21", None, None),
    ],
)
def test_loinc_codes(
    shipped: catalogue.Catalogue, code: str, panel: str | None, total: str | None
) -> None:
    assert (shipped[code].loinc_panel, shipped[code].loinc_total) == (panel, total)


def test_phq9_items_follow_the_us_core_questionnaire_response(
    shipped: catalogue.Catalogue,
) -> None:
    response = json.loads((DATA / "hl7" / "QuestionnaireResponse-phq-9-example.json").read_text())
    link_ids = [entry["linkId"].lstrip("/") for entry in response["item"]]
    scored = [code for code in link_ids if code not in ("44261-6", "69722-7")]
    assert list(shipped["phq9"].scoring.items) == scored
    assert shipped["phq9"].item("44260-8").loinc == "44260-8"


def test_phq9_item_9_is_the_safety_item(shipped: catalogue.Catalogue) -> None:
    (rule,) = shipped["phq9"].safety_items
    assert (rule.item, rule.op, rule.value) == ("44260-8", ">", Decimal(0))


@pytest.mark.parametrize(
    ("code", "requires_permission"),
    [
        ("pcs", True), ("pcs_c", True), ("pcs_p", True), ("start_back", True),
        ("psocq", True), ("promis_pi_8a_v1_0", True), ("promis_sd_4a_v1_0", True),
        ("promis_pf_10a_v2_0", True), ("phq9", False), ("gad7", False), ("phq4", False),
        ("peg", False), ("pain_nrs", False), ("dass21", False),
    ],
)  # fmt: skip
def test_licence_permission(
    shipped: catalogue.Catalogue, code: str, requires_permission: bool
) -> None:
    instrument = shipped[code]
    assert instrument.licence.requires_permission is requires_permission
    if requires_permission:
        assert instrument.item_text == "paraphrase"


@pytest.mark.parametrize("code", ["pcs", "pcs_c", "pcs_p", "start_back", "tsk17", "pseq"])
def test_licensed_wording_is_not_shipped(shipped: catalogue.Catalogue, code: str) -> None:
    # Spot checks for phrases of the published wording that must not appear.
    text = " ".join(item.text for item in shipped[code].items).lower()
    for phrase in ("i worry all the time", "it's terrible", "i can't stand it", "afraid that i"):
        assert phrase not in text


def _sources(instrument: catalogue.Instrument) -> list[Source]:
    found = [instrument.source, instrument.scoring.source, instrument.missing.source]
    found += [s.source for s in instrument.subscales]
    found += [s.bands.source for s in instrument.subscales if s.bands]
    found += [instrument.bands.source] if instrument.bands else []
    found += [m.source for m in instrument.mcid] + [s.source for s in instrument.safety_items]
    return found


def test_every_unverified_source_says_what_to_confirm(shipped: catalogue.Catalogue) -> None:
    for instrument in shipped.values():
        for source in _sources(instrument):
            assert source.citation
            assert source.verified or (source.to_confirm or "").strip()


# Facts instruments.md marks [U]: they must ship as unverified.
@pytest.mark.parametrize(
    ("code", "where"),
    [
        ("pain_nrs", lambda i: i.bands.source),
        ("pain_nrs", lambda i: i.mcid[1].source),
        ("peg", lambda i: i.mcid[0].source),
        ("phq9", lambda i: i.mcid[0].source),
        ("gad7", lambda i: i.mcid[0].source),
        ("dass21", lambda i: i.subscales[0].bands.source),
        ("pcs_p", lambda i: i.bands.source),
        ("fdi_child", lambda i: i.bands.source),
        ("pgic", lambda i: i.bands.source),
        ("psocq", lambda i: i.scoring.source),
        ("promis_pi_8a_v1_0", lambda i: i.bands.source),
        ("promis_pf_6b_v2_0", lambda i: i.scoring.source),  # derived table
        ("promis_sd_8b_v1_0", lambda i: i.mcid[0].source),
    ],
)
def test_unverified_facts_are_marked(
    shipped: catalogue.Catalogue, code: str, where: Callable[[Any], Source]
) -> None:
    assert where(shipped[code]).verified is False


def test_published_promis_tables_are_verified_and_derived_are_not(
    shipped: catalogue.Catalogue,
) -> None:
    for code, instrument in shipped.items():
        if code.startswith("promis_"):
            provenance = instrument.scoring.table_provenance or ""
            assert instrument.scoring.source.verified is (": published" in provenance)


def test_psocq_is_a_draft_and_pf_4a_v1_is_retired(shipped: catalogue.Catalogue) -> None:
    assert shipped["psocq"].status == "draft"
    assert shipped["promis_pf_4a_v1_0"].status == "retired"
    assert shipped["phq9"].status == "active"
