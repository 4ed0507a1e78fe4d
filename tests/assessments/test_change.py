"""Change from a baseline score to a later one, read in the instrument's direction, and
its MCIDs: worked by hand from the rule cited in each test (none is produced by the code
under test)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.assessments.answer_sets import CATALOGUE, dass, scored, spread
from waypoint.assessments import change as change_module
from waypoint.assessments import scoring
from waypoint.assessments.change import Change, change
from waypoint.assessments.scoring import score

D = Decimal


def test_change_is_still_importable_from_scoring() -> None:
    assert scoring.change is change and scoring.Change is Change
    assert change_module.change is change


def test_phq9_change_passes_mcid_of_5_points() -> None:
    baseline = scored("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0])  # 20
    latest = scored("phq9", [2, 2, 2, 2, 2, 2, 2, 0, 0])  # 14
    result = change(CATALOGUE["phq9"], baseline, latest)
    assert (result.absolute, result.improvement, result.percent) == (-6, 6, -30)
    assert result.direction == "improved" and result.passes_mcid is True
    worse = change(CATALOGUE["phq9"], latest, baseline)
    assert worse.direction == "worsened" and worse.passes_mcid is False and worse.improvement == -6


def test_phq9_change_of_4_does_not_pass() -> None:
    baseline = scored("phq9", [3, 3, 3, 3, 3, 3, 2, 0, 0])  # 20
    latest = scored("phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0])  # 16
    assert change(CATALOGUE["phq9"], baseline, latest).passes_mcid is False


@pytest.mark.parametrize(
    ("before", "after", "improvement", "passes", "direction"),
    [
        (20, 26, 6, True, "improved"),  # higher is better: +6 >= 5.5 (Chiarotto 2016)
        (20, 25, 5, False, "improved"),
        (30, 24, -6, False, "worsened"),
        (30, 30, 0, False, "unchanged"),
    ],
)
def test_pseq_change_direction(
    before: int, after: int, improvement: int, passes: bool, direction: str
) -> None:
    def pseq(total: int) -> Any:
        return scored("pseq", [total // 10 + (1 if i < total % 10 else 0) for i in range(10)])

    result = change(CATALOGUE["pseq"], pseq(before), pseq(after))
    assert result.improvement == improvement and result.absolute == after - before
    assert result.passes_mcid is passes and result.direction == direction


@pytest.mark.parametrize(
    ("before", "after", "percent", "met"),
    [
        (8, 6, D(25), (">= 2 points",)),
        (5, 4, D(20), ()),
        (10, 7, D(30), (">= 30%", ">= 2 points")),
        (3, 2, D(100) / 3, (">= 30%",)),
    ],
)
def test_nrs_change_meets_either_threshold(
    before: int, after: int, percent: Decimal, met: tuple[str, ...]
) -> None:
    nrs = CATALOGUE["pain_nrs"]
    result = change(nrs, score(nrs, {"average": before}), score(nrs, {"average": after}))
    assert result.improvement_percent == percent
    assert result.mcid_met == met and result.passes_mcid is bool(met)


def test_change_from_zero_has_no_percent() -> None:
    nrs = CATALOGUE["pain_nrs"]
    result = change(nrs, score(nrs, {"average": 0}), score(nrs, {"average": 2}))
    assert result.percent is None and result.improvement == -2 and result.passes_mcid is False


def test_pcs_change_by_percent() -> None:
    # Scott 2014: >= 38% reduction.
    base = scored("pcs", [4] * 10 + [0] * 3)  # 40
    assert change(CATALOGUE["pcs"], base, scored("pcs", [2] * 12 + [0])).passes_mcid is True  # 24
    assert change(CATALOGUE["pcs"], base, scored("pcs", [2] * 13)).passes_mcid is False  # 26


def test_promis_change_is_on_the_t_score() -> None:
    code = "promis_pi_8a_v1_0"
    result = change(CATALOGUE[code], scored(code, spread(30, 8)), scored(code, spread(24, 8)))
    assert result.measure == "t_score"
    assert (result.baseline, result.latest) == (D("65.5"), D("61.5"))
    assert result.improvement == D("4.0") and result.passes_mcid is True


def test_subscale_change_has_no_mcid() -> None:
    nrs = CATALOGUE["pain_nrs"]
    result = change(
        nrs, score(nrs, {"average": 6, "worst": 9}), score(nrs, {"average": 6, "worst": 6}), "worst"
    )
    assert result.measure == "subscale:worst" and result.improvement == 3
    assert result.passes_mcid is None


def test_dass_change_by_subscale() -> None:
    before = dass([2] * 7, [0] * 7, [0] * 7)
    after = dass([1] * 7, [0] * 7, [0] * 7)
    result = change(CATALOGUE["dass21"], before, after, "depression")
    assert (result.baseline, result.latest, result.improvement) == (28, 14, 14)
    assert change(CATALOGUE["dass21"], before, after).baseline is None


def test_no_mcid_and_missing_scores() -> None:
    fdi = CATALOGUE["fdi_child"]
    result = change(fdi, scored("fdi_child", [2] * 15), scored("fdi_child", [1] * 15))
    assert result.improvement == 15 and result.passes_mcid is None
    missing = change(fdi, scored("fdi_child", [2] * 14), scored("fdi_child", [1] * 15))
    assert missing.absolute is None and "baseline" in missing.messages[0]


def test_change_refuses_scores_of_another_instrument() -> None:
    with pytest.raises(ValueError, match="cannot compare"):
        change(CATALOGUE["phq9"], scored("gad7", [1] * 7), scored("phq9", [1] * 9))
    with pytest.raises(ValueError, match="no subscale"):
        change(CATALOGUE["phq9"], scored("phq9", [1] * 9), scored("phq9", [1] * 9), "anxiety")
