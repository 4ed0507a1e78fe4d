"""Answers: values checked against their item (errors name it) and turned into item
scores, reverse items included. Expected values worked out by hand from the cited rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.assessments.answer_sets import CATALOGUE
from waypoint.assessments.answers import answer_values, item_scores
from waypoint.assessments.scoring import AnswerError, score

D = Decimal

# --- reverse items (TSK-17: items 4, 8, 12, 16 scored 5 - answer; > 37 high) ------------------


def tsk(plain: int, reversed_: int, exceptions: dict[int, int] | None = None) -> Any:
    values = {n: (reversed_ if n in (4, 8, 12, 16) else plain) for n in range(1, 18)}
    values.update(exceptions or {})
    return score(CATALOGUE["tsk17"], {f"tsk{n}": v for n, v in values.items()})


@pytest.mark.parametrize(
    ("plain", "reversed_", "exceptions", "total", "band"),
    [
        (1, 4, None, 17, "not-high"),  # 13 x 1 + 4 x (5 - 4)
        (4, 1, None, 68, "high"),  # 13 x 4 + 4 x (5 - 1)
        (1, 1, None, 29, "not-high"),  # 13 x 1 + 4 x 4
        (2, 2, None, 38, "high"),  # 13 x 2 + 4 x 3
        (2, 2, {1: 1}, 37, "not-high"),  # 12 x 2 + 1 + 4 x 3
        (2, 2, {4: 3}, 37, "not-high"),  # 13 x 2 + 3 x 3 + (5 - 3)
    ],
)
def test_tsk17_reverse_items_and_cut_off(
    plain: int, reversed_: int, exceptions: dict[int, int] | None, total: int, band: str
) -> None:
    result = tsk(plain, reversed_, exceptions)
    assert result.total == total
    assert result.band is not None and result.band.code == band


# --- answer values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers", "item"),
    [
        ("phq9", {"44250-9": 4}, "44250-9"),
        ("phq9", {"44250-9": -1}, "44250-9"),
        ("phq9", {"item1": 1}, "item1"),
        ("phq9", {"44250-9": True}, "44250-9"),
        ("phq9", {"44250-9": "often"}, "44250-9"),
        ("phq9", {"44250-9": "NaN"}, "44250-9"),
        ("phq9", {"44250-9": [1]}, "44250-9"),
        ("pain_nrs", {"average": 11}, "average"),
        ("pain_nrs", {"worst": -1}, "worst"),
        ("pain_nrs", {"average": 2.5}, "average"),
        ("tsk17", {"tsk1": 0}, "tsk1"),
        ("promis_pi_4a_v1_0", {"PAININ9": 6}, "PAININ9"),
        ("ort", {"sex": 3}, "sex"),
    ],
)
def test_answer_errors_name_the_item(code: str, answers: dict[str, Any], item: str) -> None:
    with pytest.raises(AnswerError) as caught:
        score(CATALOGUE[code], answers)
    assert caught.value.item == item
    assert str(caught.value).startswith(f"{item}: ")


def test_answer_values_may_be_strings_and_blanks_are_unanswered() -> None:
    result = score(CATALOGUE["gad7"], dict.fromkeys(CATALOGUE["gad7"].item_codes, "2"))
    assert result.total == 14
    blank = score(CATALOGUE["gad7"], {"69725-0": "", "68509-9": None})
    assert blank.answered == 0 and blank.missing == 7 and blank.total is None


def test_answer_values_and_item_scores() -> None:
    # STarT Back item 9: 'moderately' (2) counts 0, 'very much' (3) counts 1 (Hill 2008);
    # TSK-17 item 4 is reversed: 5 - 1 = 4 (Miller 1991).
    start_back, tsk17 = CATALOGUE["start_back"], CATALOGUE["tsk17"]
    values = answer_values(start_back, {"sbt8": "1", "sbt9": 3, "sbt1": None})
    assert values == {"sbt8": 1, "sbt9": 3}
    assert item_scores(start_back, values) == {"sbt8": 1, "sbt9": 1}
    assert item_scores(start_back, {"sbt9": D(2)}) == {"sbt9": 0}
    assert item_scores(tsk17, answer_values(tsk17, {"tsk4": 1, "tsk5": 1})) == {
        "tsk4": 4,
        "tsk5": 1,
    }
