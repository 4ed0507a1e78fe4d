"""Scoring against the published rules, worked by hand: subscales, weighted and PROMIS
totals, missing items, safety items, and third-party cases.

Expected values in these tables were worked out by hand from the rule cited in each
table's comment (and, for PROMIS, read by eye from shared/domain/promis-tables.json):
none is produced by the code under test. Bands are in test_bands.py, answer checks and
item scores in test_answers.py, change and MCID in test_change.py.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.assessments.answer_sets import CATALOGUE, dass, scored, spread
from waypoint.assessments import catalogue
from waypoint.assessments.catalogue import Instrument
from waypoint.assessments.scoring import AnswerError, AnswerValue, for_display, score

DATA = Path(__file__).parent / "data"
D = Decimal


# --- subscales ---------------------------------------------------------------------------------


def test_pain_nrs_total_is_average_and_other_ratings_are_subscales() -> None:
    result = score(CATALOGUE["pain_nrs"], {"current": 5, "average": 6, "worst": 9, "least": 2})
    assert result.total == 6
    assert result.subscales == {"current": 5, "worst": 9, "least": 2}


def test_pain_nrs_scores_average_alone_but_is_incomplete() -> None:
    result = score(CATALOGUE["pain_nrs"], {"average": 4})
    assert result.total == 4 and not result.complete and result.missing == 3
    assert set(result.subscales) == set()


def test_peg_is_the_mean_of_three_items() -> None:
    # Krebs 2009: PEG score = mean of the three 0-10 items.
    assert scored("peg", [7, 6, 8]).total == 7
    result = scored("peg", [5, 6, 6])
    assert result.total == Decimal(17) / Decimal(3)
    assert for_display(result.total) == "5.7"
    assert scored("peg", [5, 6]).total is None


def test_phq4_subscales_and_positive_screens() -> None:
    # Kroenke 2009: items 1-2 anxiety, 3-4 depression; >= 3 on either is a positive screen.
    result = scored("phq4", [2, 1, 1, 1])
    assert result.subscales == {"anxiety": 3, "depression": 2}
    assert result.subscale_bands["anxiety"].code == "positive"
    assert result.subscale_bands["depression"].code == "negative"
    assert "GAD-7" in result.subscale_bands["anxiety"].label


# Lovibond 1995: scale = item sum x 2. Bands D 10/14/21/28, A 8/10/15/20, S 15/19/26/34.
@pytest.mark.parametrize(
    ("depression", "anxiety", "stress", "expected", "bands"),
    [
        ([1] * 7, [1, 1, 1, 1, 0, 0, 0], [0] * 7, (14, 8, 0), ("moderate", "mild", "normal")),
        ([1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 0, 0, 0], [1] * 7, (10, 6, 14),
         ("mild", "normal", "normal")),
        ([1, 1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0], [2, 1, 1, 1, 1, 1, 1], (8, 10, 16),
         ("normal", "moderate", "mild")),
        ([3, 3, 3, 3, 2, 0, 0], [3, 3, 3, 1, 0, 0, 0], [2, 2, 2, 2, 2, 2, 1], (28, 20, 26),
         ("extremely-severe", "extremely-severe", "severe")),
        ([3, 3, 3, 1, 0, 0, 0], [2, 2, 2, 1, 0, 0, 0], [3, 3, 3, 3, 3, 2, 0], (20, 14, 34),
         ("moderate", "moderate", "extremely-severe")),
        ([3] * 7, [3] * 7, [3] * 7, (42, 42, 42),
         ("extremely-severe", "extremely-severe", "extremely-severe")),
    ],
)  # fmt: skip
def test_dass21_subscales(
    depression: list[int],
    anxiety: list[int],
    stress: list[int],
    expected: tuple[int, int, int],
    bands: tuple[str, str, str],
) -> None:
    result = dass(depression, anxiety, stress)
    assert (result.subscales["depression"], result.subscales["anxiety"],
            result.subscales["stress"]) == expected  # fmt: skip
    assert (
        tuple(result.subscale_bands[s].code for s in ("depression", "anxiety", "stress")) == bands
    )
    assert result.total is None and "no total" in result.messages[0]


def test_dass21_missing_item_drops_only_its_scale() -> None:
    answers = {f"dass{n}": 1 for n in range(1, 22) if n != 3}
    result = score(CATALOGUE["dass21"], answers)
    assert "depression" not in result.subscales
    assert result.subscales["anxiety"] == 14 and result.subscales["stress"] == 14
    assert any("dass3" in message for message in result.messages)


def test_pcs_subscales() -> None:
    # Sullivan 1995: helplessness 1-5, 12; magnification 6, 7, 13; rumination 8-11.
    values = [4, 4, 4, 4, 4, 0, 0, 1, 1, 1, 1, 4, 0]
    result = scored("pcs", values)
    assert result.subscales == {"rumination": 4, "magnification": 0, "helplessness": 24}
    assert result.total == 28


@pytest.mark.parametrize("code", ["pcs_c", "pcs_p"])
def test_child_and_parent_pcs_subscales(code: str) -> None:
    values = [0, 0, 0, 0, 0, 3, 2, 1, 1, 1, 1, 0, 1]
    assert scored(code, values).subscales == {
        "rumination": 4,
        "magnification": 6,
        "helplessness": 0,
    }


# --- Opioid Risk Tool (Webster 2005, sex-weighted) ------------------------------------------

ORT_ALL = ["fh_alcohol", "fh_illegal", "fh_prescription", "ph_alcohol", "ph_illegal",
           "ph_prescription", "age_16_45", "preadolescent_sexual_abuse",
           "psych_add_ocd_bipolar_schizo", "depression"]  # fmt: skip


def ort(sex: int | None, yes: list[str]) -> Any:
    answers: dict[str, AnswerValue] = {code: int(code in yes) for code in ORT_ALL}
    answers["sex"] = sex
    return score(CATALOGUE["ort"], answers)


@pytest.mark.parametrize(
    ("sex", "yes", "total", "band"),
    [
        (1, ORT_ALL, 26, "high"),  # 1+2+4+3+4+5+1+3+2+1
        (2, ORT_ALL, 26, "high"),  # 3+3+4+3+4+5+1+0+2+1
        (1, ["preadolescent_sexual_abuse"], 3, "low"),
        (2, ["preadolescent_sexual_abuse"], 0, "low"),
        (1, ["fh_alcohol", "depression"], 2, "low"),
        (2, ["fh_alcohol", "depression"], 4, "moderate"),
        (1, ["age_16_45", "ph_alcohol"], 4, "moderate"),
        (1, ["ph_prescription", "fh_illegal"], 7, "moderate"),
        (1, ["ph_prescription", "fh_illegal", "depression"], 8, "high"),
        (1, ["ph_prescription", "fh_alcohol"], 6, "moderate"),
        (2, ["ph_prescription", "fh_alcohol"], 8, "high"),
    ],
)
def test_opioid_risk_tool(sex: int, yes: list[str], total: int, band: str) -> None:
    result = ort(sex, yes)
    assert result.total == total
    assert result.band is not None and result.band.code == band


def test_opioid_risk_tool_needs_sex_to_choose_weights() -> None:
    result = ort(None, ["depression"])
    assert result.total is None and "sex" in result.messages[0]


# --- PROMIS: raw summed score -> T-score, read by eye from promis-tables.json ------------------

PROMIS_ROWS = [
    ("promis_pi_4a_v1_0", 4, "41.6", "6.1"),
    ("promis_pi_4a_v1_0", 12, "61.2", "1.8"),
    ("promis_pi_4a_v1_0", 20, "75.6", "3.6"),  # not 75.8, the Fatigue 4a value
    ("promis_pi_6a_v1_0", 6, "41.1", "6.0"),
    ("promis_pi_6a_v1_0", 17, "60.4", "1.4"),
    ("promis_pi_6a_v1_0", 30, "76.2", "3.5"),
    ("promis_pi_6b_v1_0", 6, "41.0", "6.0"),
    ("promis_pi_6b_v1_0", 18, "61.8", "1.6"),
    ("promis_pi_6b_v1_0", 30, "78.2", "3.5"),
    ("promis_pi_8a_v1_0", 8, "40.7", "5.9"),
    ("promis_pi_8a_v1_0", 24, "61.5", "1.3"),
    ("promis_pi_8a_v1_0", 40, "77.0", "3.4"),
    ("promis_pf_4a_v1_0", 4, "22.9", "3.8"),
    ("promis_pf_4a_v1_0", 15, "40.4", "2.2"),
    ("promis_pf_4a_v1_0", 20, "56.9", "6.6"),
    ("promis_pf_6b_v1_2", 6, "21.6", "3.6"),
    ("promis_pf_6b_v1_2", 21, "40.2", "1.8"),
    ("promis_pf_6b_v1_2", 30, "58.7", "6.2"),
    ("promis_pf_8b_v1_2", 8, "20.9", "3.4"),
    ("promis_pf_8b_v1_2", 27, "40.1", "1.5"),
    ("promis_pf_8b_v1_2", 40, "59.7", "5.9"),
    ("promis_pf_4a_v2_0", 4, "22.6", "3.9"),
    ("promis_pf_4a_v2_0", 16, "41.9", "2.5"),
    ("promis_pf_4a_v2_0", 20, "57.0", "6.6"),
    ("promis_pf_6b_v2_0", 6, "21.1", "3.6"),
    ("promis_pf_6b_v2_0", 22, "41.2", "1.9"),
    ("promis_pf_6b_v2_0", 30, "59.0", "6.1"),
    ("promis_pf_8b_v2_0", 8, "20.4", "3.4"),
    ("promis_pf_8b_v2_0", 33, "44.7", "1.8"),
    ("promis_pf_8b_v2_0", 40, "60.1", "5.9"),
    ("promis_pf_10a_v2_0", 10, "14.6", "2.6"),
    ("promis_pf_10a_v2_0", 37, "40.1", "1.8"),
    ("promis_pf_10a_v2_0", 50, "61.9", "5.9"),
    ("promis_sd_4a_v1_0", 4, "32.0", "5.1"),
    ("promis_sd_4a_v1_0", 13, "56.1", "3.4"),
    ("promis_sd_4a_v1_0", 20, "73.3", "4.5"),
    ("promis_sd_8b_v1_0", 8, "28.9", "4.8"),
    ("promis_sd_8b_v1_0", 25, "55.3", "2.5"),
    ("promis_sd_8b_v1_0", 40, "76.5", "4.3"),
]


@pytest.mark.parametrize(("code", "raw", "t", "se"), PROMIS_ROWS)
def test_promis_raw_to_t(code: str, raw: int, t: str, se: str) -> None:
    result = scored(code, spread(raw, len(CATALOGUE[code].items)))
    assert result.total == raw
    assert result.t_score == D(t) and result.t_score_se == D(se)
    assert not result.prorated


def test_every_promis_form_has_a_table_row_checked() -> None:
    assert {row[0] for row in PROMIS_ROWS} == {c for c in CATALOGUE if c.startswith("promis_")}


# Bands on T (chosen reading of HealthMeasures cut points): symptoms WNL < 55, mild 55-59.9,
# Prorating: raw = round(sum x n / answered), halves up, with >= max(4, n/2) answered.
@pytest.mark.parametrize(
    ("code", "answered", "prorated_raw", "t"),
    [
        ("promis_pi_6a_v1_0", [2, 3, 3, 3], 17, "60.4"),  # 11 x 6/4 = 16.5 -> 17 (not 16)
        ("promis_pi_8a_v1_0", [2, 2, 2, 3], 18, "57.4"),  # 9 x 8/4 = 18
        ("promis_pi_8a_v1_0", [3, 3, 3, 3, 3, 3], 24, "61.5"),  # 18 x 8/6 = 24
        ("promis_sd_8b_v1_0", [3, 3, 3, 3, 3, 3, 2], 23, "53.3"),  # 20 x 8/7 = 22.86 -> 23
        ("promis_pf_10a_v2_0", [4, 4, 4, 4, 3], 38, "40.9"),  # 19 x 10/5 = 38
        ("promis_pf_6b_v1_2", [5, 5, 5, 4], 29, "50.9"),  # 19 x 6/4 = 28.5 -> 29
    ],
)
def test_promis_prorating(code: str, answered: list[int], prorated_raw: int, t: str) -> None:
    result = scored(code, answered)
    assert result.total == prorated_raw and result.t_score == D(t)
    assert result.prorated and not result.complete
    assert result.missing == len(CATALOGUE[code].items) - len(answered)


@pytest.mark.parametrize(
    ("code", "answered"),
    [
        ("promis_pi_4a_v1_0", [3, 3, 3]),  # 4-item form: all four needed
        ("promis_pi_8a_v1_0", [3, 3, 3]),  # fewer than 4 answered
        ("promis_pf_10a_v2_0", [3, 3, 3, 3]),  # fewer than half of 10
        ("promis_pi_6b_v1_0", [3, 3, 3]),
    ],
)
def test_promis_prorating_limit(code: str, answered: list[int]) -> None:
    result = scored(code, answered)
    assert result.total is None and result.t_score is None and result.band is None
    assert not result.prorated
    assert "No total" in result.messages[0]


# --- missing items, safety items, answers -----------------------------------------------------


@pytest.mark.parametrize(
    "code", ["phq9", "gad7", "phq4", "pcs", "pseq", "tsk17", "start_back", "ort"]
)
def test_no_prorating_where_no_source_allows_it(code: str) -> None:
    instrument = CATALOGUE[code]
    answers = {item.code: item.options[0].value for item in instrument.items[1:]}
    result = score(instrument, answers)
    assert result.total is None and result.band is None and not result.complete
    assert result.messages


# A total from fewer items than the instrument has always says so, whatever its method.
# PEG mean (Krebs 2009) with one gap allowed for this test: (5 + 6) / 2.
@pytest.mark.parametrize(
    ("code", "answered", "total", "message"),
    [
        ("peg", [5, 6], D("5.5"), "Total is the mean of 2 of 3 items."),
        ("peg", [5, None, 7], D(6), "Total is the mean of 2 of 3 items."),
        ("promis_pi_6a_v1_0", [2, 3, 3, 3], D(17), "Total prorated from 4 of 6 items."),
    ],
)
def test_a_total_from_fewer_items_says_so(
    code: str, answered: list[int | None], total: Decimal, message: str
) -> None:
    instrument = CATALOGUE[code]
    if instrument.missing.max_missing == 0:
        instrument = dataclasses.replace(
            instrument, missing=dataclasses.replace(instrument.missing, max_missing=1)
        )
    result = score(instrument, dict(zip(instrument.item_codes, answered, strict=False)))
    assert result.total == total and result.prorated
    assert result.messages == (message,)


def test_phq9_item_9_triggers_the_safety_workflow_even_without_a_total() -> None:
    assert scored("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1]).safety_items == ("44260-8",)
    assert scored("phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0]).safety_items == ()
    partial = score(CATALOGUE["phq9"], {"44260-8": 2})
    assert partial.total is None and partial.safety_items == ("44260-8",)


def test_phq9_difficulty_item_is_optional_and_unscored() -> None:
    result = scored("phq9", [1] * 9 + [3])
    assert result.total == 9 and result.complete and result.answered == 10


def test_psocq_records_answers_but_is_not_scored() -> None:
    result = score(CATALOGUE["psocq"], dict.fromkeys(CATALOGUE["psocq"].item_codes, 3))
    assert result.total is None and result.subscales == {} and result.complete
    assert result.answered == 30 and "not verified" in result.messages[0]
    with pytest.raises(AnswerError):
        score(CATALOGUE["psocq"], {"psocq1": 6})


def test_for_display_rounds_half_up() -> None:
    assert for_display(D("2.25")) == "2.3" and for_display(D("2.35")) == "2.4"
    assert for_display(None) == "–" and for_display(D(7), 0) == "7"


# --- properties: any valid answer set scores within the instrument's range ------------------


def _answer(item: catalogue.Item) -> st.SearchStrategy[Decimal]:
    if item.options:
        return st.sampled_from([option.value for option in item.options])
    assert item.min is not None and item.max is not None
    return st.integers(int(item.min), int(item.max)).map(Decimal)


def _check_ranges(instrument: Instrument, result: Any) -> None:
    if result.total is not None:
        assert instrument.scoring.range is not None
        low, high = instrument.scoring.range
        assert low <= result.total <= high
    if result.t_score is not None:
        # PROMIS: the table is indexed by the whole raw summed score (prorated: half up).
        assert result.total is not None and result.total == result.total.to_integral_value()
        assert instrument.scoring.table is not None
        assert instrument.scoring.table[int(result.total)].t == result.t_score
        t_scores = [row.t for row in (instrument.scoring.table or {}).values()]
        assert min(t_scores) <= result.t_score <= max(t_scores)
    for subscale in instrument.subscales:
        if subscale.code in result.subscales:
            lows = [instrument.item(c).score_range()[0] for c in subscale.items]
            highs = [instrument.item(c).score_range()[1] for c in subscale.items]
            value = result.subscales[subscale.code]
            assert sum(lows) * subscale.multiplier <= value <= sum(highs) * subscale.multiplier


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_complete_answer_set_scores_within_range(code: str, data: st.DataObject) -> None:
    instrument = CATALOGUE[code]
    answers = {item.code: data.draw(_answer(item), label=item.code) for item in instrument.items}
    result = score(instrument, answers)
    assert result.complete and not result.prorated and result.missing == 0
    _check_ranges(instrument, result)
    if instrument.status != "draft" and instrument.scoring.method != "none":
        assert result.total is not None
        assert (result.band is not None) is (instrument.bands is not None)


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_any_partial_answer_set_scores_within_range_or_says_why(
    code: str, data: st.DataObject
) -> None:
    instrument = CATALOGUE[code]
    answers = {
        item.code: data.draw(_answer(item), label=item.code)
        for item in instrument.items
        if data.draw(st.booleans(), label=f"answer {item.code}")
    }
    result = score(instrument, answers)
    assert result.answered == len(answers)
    _check_ranges(instrument, result)
    if result.total is None:
        assert result.messages


# --- third-party cases (tests/assessments/data/NOTICE.md) -------------------------------------


def _uwcirg_case(folder: str, case: str) -> dict[str, Any]:
    """A UW CIRG cql-testing case; its anchors live in the folder's reusable-resources file."""
    directory = DATA / "uwcirg-asbi" / folder
    reusable = (directory / f"{folder}_reusable_resources.yml").read_text()
    body = "\n".join(line for line in (directory / case).read_text().splitlines() if line != "---")
    loaded: dict[str, Any] = yaml.safe_load(reusable + "\n" + body)
    return loaded


def _ordinals(case: dict[str, Any]) -> dict[str, Decimal]:
    """Answer code -> ordinalValue, as the fixture's own answer options define them."""
    resources = case[next(key for key in case if key.endswith("_reusable_resources"))]
    ordinals = {}
    for entry in resources:
        if isinstance(entry, dict) and "valueCoding" in entry and "extension" in entry:
            ordinals[entry["valueCoding"]["code"]] = D(str(entry["extension"][0]["valueDecimal"]))
    return ordinals


def _response_answers(case: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, AnswerValue]:
    ordinals = _ordinals(case)
    response = next(r for r in case["data"] if r.get("resourceType") == "QuestionnaireResponse")
    return {
        entry["linkId"].lstrip("/"): ordinals[entry["answer"][0]["valueCoding"]["code"]]
        for entry in response["item"]
        if entry["linkId"].lstrip("/") not in skip
    }


@pytest.mark.parametrize("case", [f"gad7_total_score_case{n}.yml" for n in range(1, 5)])
def test_uwcirg_gad7_cases(case: str) -> None:
    loaded = _uwcirg_case("gad7", case)
    result = score(CATALOGUE["gad7"], _response_answers(loaded))
    assert result.complete
    assert result.total == loaded["results"]["ScoreFullGad7"]


def test_uwcirg_gad7_item_2_answer_code_differs_from_loinc() -> None:
    # The fixtures code item 2 "more than half the days" as LA6570-1; LOINC binds LA18938-3.
    # Waypoint matches answers by value, so both score 2 - matching by code would not.
    loaded = _uwcirg_case("gad7", "gad7_total_score_case3.yml")
    response = next(r for r in loaded["data"] if r.get("resourceType") == "QuestionnaireResponse")
    item2 = next(e for e in response["item"] if e["linkId"] == "/68509-9")
    fixture_code = item2["answer"][0]["valueCoding"]["code"]
    gad7 = CATALOGUE["gad7"]
    assert fixture_code == "LA6570-1"
    assert fixture_code not in {o.code for o in gad7.item("68509-9").options}
    assert fixture_code in {o.code for o in gad7.item("69725-0").options}


def test_uwcirg_phq9_total_case_lacks_item_6() -> None:
    loaded = _uwcirg_case("phq9", "phq9_total_score_case.yml")
    answers = _response_answers(loaded, skip=("69722-7",))  # difficulty item, answered twice
    assert "44258-2" not in answers  # item 6 omitted by the fixture
    strict = score(CATALOGUE["phq9"], answers)
    assert strict.total is None and strict.missing == 1  # Waypoint does not total 8 of 9
    completed = score(CATALOGUE["phq9"], {**answers, "44258-2": 0})
    assert completed.total == loaded["results"]["ScoreFullPhq9"] == 12


def test_uwcirg_phq9_question9_case_triggers_safety() -> None:
    loaded = _uwcirg_case("phq9", "phq9_question9_case.yml")
    answers = _response_answers(loaded)
    assert answers == {"44260-8": loaded["results"]["Phq9ScoreQuestion9"]}
    assert score(CATALOGUE["phq9"], answers).safety_items == ("44260-8",)


def test_us_core_phq9_response_scores_its_stated_total() -> None:
    response = json.loads((DATA / "hl7" / "QuestionnaireResponse-phq-9-example.json").read_text())
    phq9 = CATALOGUE["phq9"]
    answers: dict[str, AnswerValue] = {}
    stated = None
    for entry in response["item"]:
        code = entry["linkId"].lstrip("/")
        if code == phq9.loinc_total:
            stated = entry["answer"][0]["valueDecimal"]
            continue
        by_code = {o.code: o.value for o in phq9.item(code).options}
        answers[code] = by_code[entry["answer"][0]["valueCoding"]["code"]]
    result = score(phq9, answers)
    assert stated == 12 and result.total == 12  # 2+2+2+2+1+1+2+0+0
    assert result.band is not None and result.band.code == "moderate"
    assert result.safety_items == () and result.complete


def test_sdc_phq9_response_states_a_wrong_total() -> None:
    response = json.loads(
        (DATA / "hl7" / "questionnaireresponse-sdc-profile-example-PHQ9.json").read_text()
    )
    group = response["item"][0]  # H1/T1 holds Q1-Q9 and the stated total H1/TS
    questions = [e for e in group["item"] if e["linkId"].startswith("H1/T1/Q")]
    phq9 = CATALOGUE["phq9"]
    answers: dict[str, AnswerValue] = {}
    for code, entry in zip(phq9.scoring.items, questions, strict=True):
        by_label = {o.label: o.value for o in phq9.item(code).options}
        answers[code] = by_label[entry["answer"][0]["valueCoding"]["display"]]
    stated = _find(response["item"], "H1/TS")["answer"][0]["valueQuantity"]["value"]
    result = score(phq9, answers)
    assert result.total == 10 != stated == 13  # 0+0+0+1+2+1+3+2+1
    assert result.safety_items == ("44260-8",)


def _find(items: list[dict[str, Any]], link_id: str) -> dict[str, Any]:
    for entry in items:
        if entry["linkId"] == link_id:
            return entry
        found = _find(entry.get("item", []), link_id) if entry.get("item") else None
        if found:
            return found
    return {}
