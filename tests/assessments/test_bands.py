"""Bands on the total and the T-score, boundaries included, and the two band rules.

Expected values were worked out by hand from the rule cited in each table's comment (and,
for PROMIS, read by eye from shared/domain/promis-tables.json): none is produced by the
code under test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.assessments.answer_sets import CATALOGUE, scored, spread
from waypoint.assessments import catalogue
from waypoint.assessments.bands import RULES, Band, subscale_band, total_band
from waypoint.assessments.scoring import score

D = Decimal


# --- totals and bands, boundaries included -------------------------------------------------
# (instrument, answers in item order, total, band). Sources: PHQ-9 Kroenke 2001 (5/10/15/20);
# GAD-7 Spitzer 2006 (5/10/15); PHQ-4 Kroenke 2009 (3/6/9); PCS Sullivan manual (>= 30);
# PCS-C CHOIR (15/26); PCS-P CHOIR (23); PSEQ ePPOC (20/31/41); FDI Kashikar-Zuck 2011
# (13/30); PGIC IMMPACT (1-2 responder); NRS instruments.md (1/4/7).
BANDS = [
    ("phq9", [0] * 9, 0, "minimal"),
    ("phq9", [1, 0, 0, 1, 1, 1, 0, 0, 0], 4, "minimal"),
    ("phq9", [1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "mild"),
    ("phq9", [1] * 9, 9, "mild"),
    ("phq9", [2, 2, 2, 2, 2, 0, 0, 0, 0], 10, "moderate"),
    ("phq9", [2, 2, 2, 2, 2, 2, 2, 0, 0], 14, "moderate"),
    ("phq9", [3, 3, 3, 3, 3, 0, 0, 0, 0], 15, "moderately-severe"),
    ("phq9", [3, 3, 3, 3, 3, 2, 2, 0, 0], 19, "moderately-severe"),
    ("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0], 20, "severe"),
    ("phq9", [3] * 9, 27, "severe"),
    ("gad7", [1, 1, 1, 1, 0, 0, 0], 4, "minimal"),
    ("gad7", [1, 1, 1, 1, 1, 0, 0], 5, "mild"),
    ("gad7", [2, 2, 2, 2, 1, 0, 0], 9, "mild"),
    ("gad7", [2, 2, 2, 2, 2, 0, 0], 10, "moderate"),
    ("gad7", [2, 2, 2, 2, 2, 2, 2], 14, "moderate"),
    ("gad7", [3, 3, 3, 3, 3, 0, 0], 15, "severe"),
    ("gad7", [3] * 7, 21, "severe"),
    ("phq4", [1, 1, 0, 0], 2, "normal"),
    ("phq4", [2, 1, 0, 0], 3, "mild"),
    ("phq4", [2, 1, 1, 1], 5, "mild"),
    ("phq4", [0, 0, 3, 3], 6, "moderate"),
    ("phq4", [2, 2, 2, 2], 8, "moderate"),
    ("phq4", [3, 3, 3, 0], 9, "severe"),
    ("phq4", [3, 3, 3, 3], 12, "severe"),
    ("pcs", [2] * 13, 26, "below"),
    ("pcs", [3, 3, 3] + [2] * 10, 29, "below"),
    ("pcs", [3, 3, 3, 3] + [2] * 9, 30, "clinical"),
    ("pcs", [4] * 13, 52, "clinical"),
    ("pcs_c", [2] * 7 + [0] * 6, 14, "low"),
    ("pcs_c", [2] * 7 + [1] + [0] * 5, 15, "moderate"),
    ("pcs_c", [2] * 12 + [1], 25, "moderate"),
    ("pcs_c", [2] * 13, 26, "high"),
    ("pcs_p", [2] * 11 + [0, 0], 22, "not-high"),
    ("pcs_p", [2] * 11 + [1, 0], 23, "high"),
    ("pseq", [0] * 10, 0, "severe"),
    ("pseq", [2] * 9 + [1], 19, "severe"),
    ("pseq", [2] * 10, 20, "moderate"),
    ("pseq", [3] * 10, 30, "moderate"),
    ("pseq", [3] * 9 + [4], 31, "mild"),
    ("pseq", [4] * 10, 40, "mild"),
    ("pseq", [4] * 9 + [5], 41, "minimal"),
    ("pseq", [6] * 10, 60, "minimal"),
    ("fdi_child", [1] * 12 + [0] * 3, 12, "minimal"),
    ("fdi_child", [1] * 13 + [0] * 2, 13, "moderate"),
    ("fdi_child", [2] * 14 + [1], 29, "moderate"),
    ("fdi_child", [2] * 15, 30, "severe"),
    ("fdi_parent", [4] * 15, 60, "severe"),
    ("fdi_parent", [0] * 15, 0, "minimal"),
    ("pgic", [1], 1, "responder"),
    ("pgic", [2], 2, "responder"),
    ("pgic", [3], 3, "non-responder"),
    ("pgic", [7], 7, "non-responder"),
    ("pain_nrs", [5, 0, 9, 2], 0, "none"),
    ("pain_nrs", [5, 1, 9, 2], 1, "mild"),
    ("pain_nrs", [5, 3, 9, 2], 3, "mild"),
    ("pain_nrs", [5, 4, 9, 2], 4, "moderate"),
    ("pain_nrs", [5, 6, 9, 2], 6, "moderate"),
    ("pain_nrs", [5, 7, 9, 2], 7, "severe"),
    ("pain_nrs", [5, 10, 10, 2], 10, "severe"),
]


@pytest.mark.parametrize(("code", "values", "total", "band"), BANDS)
def test_total_and_band(code: str, values: list[int], total: int, band: str) -> None:
    result = scored(code, values)
    assert result.total == D(total)
    assert result.band is not None and result.band.code == band
    assert result.complete and not result.prorated and result.messages == ()


# --- STarT Back (Hill 2008) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "total", "psychosocial", "band"),
    [
        ([1, 1, 1, 0, 0, 0, 0, 0, 2], 3, 0, "low"),  # item 9 'moderately' counts 0
        ([1, 1, 1, 0, 0, 0, 0, 0, 3], 4, 1, "medium"),  # 'very much' counts 1
        ([1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 0, "medium"),
        ([1, 1, 1, 1, 1, 1, 1, 0, 2], 7, 3, "medium"),
        ([0, 0, 0, 0, 1, 1, 1, 0, 3], 4, 4, "high"),
        ([0, 0, 0, 0, 1, 1, 1, 1, 4], 5, 5, "high"),  # 'extremely' counts 1
        ([1, 1, 1, 1, 1, 1, 1, 1, 4], 9, 5, "high"),
        ([0, 0, 0, 0, 1, 1, 1, 0, 1], 3, 3, "low"),
    ],
)
def test_start_back(values: list[int], total: int, psychosocial: int, band: str) -> None:
    result = scored("start_back", values)
    assert result.total == total
    assert result.subscales["psychosocial"] == psychosocial
    assert result.band is not None and result.band.code == band


# --- STOP-Bang (Chung 2008 bands; Chung 2016 / stopbang.ca high-risk rule) --------------------


@pytest.mark.parametrize(
    ("yes", "total", "band", "escalated"),
    [
        ([], 0, "low", False),
        (["snoring", "tired"], 2, "low", False),
        (["age", "gender"], 2, "low", False),
        (["snoring", "tired", "observed"], 3, "intermediate", False),
        (["snoring", "tired", "age"], 3, "intermediate", False),
        (["snoring", "gender", "bmi", "age"], 4, "intermediate", False),  # one STOP item
        (["snoring", "tired", "gender"], 3, "high", True),
        (["tired", "observed", "neck"], 3, "high", True),
        (["pressure", "snoring", "bmi"], 3, "high", True),
        (["snoring", "tired", "observed", "pressure", "bmi"], 5, "high", False),
        (
            ["snoring", "tired", "observed", "pressure", "bmi", "age", "neck", "gender"],
            8,
            "high",
            False,
        ),
    ],
)
def test_stop_bang(yes: list[str], total: int, band: str, escalated: bool) -> None:
    codes = CATALOGUE["stop_bang"].item_codes
    result = score(CATALOGUE["stop_bang"], {code: int(code in yes) for code in codes})
    assert result.total == total
    assert result.band is not None and result.band.code == band
    assert any("High risk" in m for m in result.messages) is escalated


# moderate 60-69.9, severe >= 70; function severe < 30, moderate 30-39.9, mild 40-45, WNL > 45.
@pytest.mark.parametrize(
    ("code", "raw", "t", "band"),
    [
        ("promis_pi_4a_v1_0", 7, "53.9", "wnl"),
        ("promis_pi_4a_v1_0", 8, "55.6", "mild"),
        ("promis_pi_8a_v1_0", 14, "54.1", "wnl"),
        ("promis_pi_8a_v1_0", 15, "55.0", "mild"),  # boundary belongs to mild
        ("promis_pi_6b_v1_0", 15, "59.1", "mild"),
        ("promis_pi_6b_v1_0", 16, "60.0", "moderate"),  # boundary belongs to moderate
        ("promis_pi_8a_v1_0", 35, "69.2", "moderate"),
        ("promis_pi_8a_v1_0", 36, "70.1", "severe"),
        ("promis_sd_8b_v1_0", 29, "59.4", "mild"),
        ("promis_pf_4a_v2_0", 6, "28.9", "severe"),
        ("promis_pf_4a_v2_0", 7, "30.5", "moderate"),
        ("promis_pf_4a_v2_0", 14, "39.2", "moderate"),
        ("promis_pf_4a_v2_0", 15, "40.5", "mild"),
        ("promis_pf_4a_v2_0", 17, "43.5", "mild"),
        ("promis_pf_4a_v2_0", 18, "45.5", "wnl"),
    ],
)
def test_promis_bands(code: str, raw: int, t: str, band: str) -> None:
    result = scored(code, spread(raw, len(CATALOGUE[code].items)))
    assert result.t_score == D(t)
    assert result.band is not None and result.band.code == band


# --- rule declarations: the catalogue checks files against what the rules read ------------


def test_band_rules_are_declared_once() -> None:
    assert catalogue.BAND_RULES == set(RULES) == {"start-back", "stop-bang"}
    for code in ("start_back", "stop_bang"):
        bands = CATALOGUE[code].bands
        assert bands is not None and bands.rule is not None
        assert set(bands.params) == set(RULES[bands.rule].params)
        assert RULES[bands.rule].levels <= {level.code for level in bands.levels}


def test_no_band_without_the_value_it_is_on() -> None:
    phq9, promis = CATALOGUE["phq9"], CATALOGUE["promis_pi_4a_v1_0"]
    assert phq9.bands is not None and promis.bands is not None
    assert total_band(phq9.bands, None, None, {}, {}, []) is None
    assert total_band(promis.bands, D(12), None, {}, {}, []) is None  # on the T-score
    assert total_band(promis.bands, None, D("61.2"), {}, {}, []) == Band("moderate", "Moderate")
    dass21 = CATALOGUE["dass21"]
    depression = dass21.subscales[0].bands
    assert depression is not None
    found = subscale_band(depression, D(14))
    assert found is not None and found.code == "moderate"  # Lovibond 1995: 14-20
