"""The shipped catalogue and answer sets built for it, shared by the scoring tests.

The builders lay answers out by hand (item order, DASS-21 scale membership, PROMIS raw
sums, independent of the scorer); ``scored`` and ``dass`` then score them.
"""

from __future__ import annotations

from typing import Any

from waypoint.assessments import catalogue
from waypoint.assessments.scoring import AnswerValue, score

CATALOGUE = catalogue.load()


def ordered(code: str, values: list[int]) -> dict[str, AnswerValue]:
    """Answers in the instrument's item order (items beyond the list stay unanswered)."""
    return dict(zip(CATALOGUE[code].item_codes, values, strict=False))


def scored(code: str, values: list[int]) -> Any:
    return score(CATALOGUE[code], ordered(code, values))


DASS_DEPRESSION = [3, 5, 10, 13, 16, 17, 21]
DASS_ANXIETY = [2, 4, 7, 9, 15, 19, 20]
DASS_STRESS = [1, 6, 8, 11, 12, 14, 18]


def dass(depression: list[int], anxiety: list[int], stress: list[int]) -> Any:
    answers: dict[str, AnswerValue] = {}
    for numbers, values in ((DASS_DEPRESSION, depression), (DASS_ANXIETY, anxiety),
                            (DASS_STRESS, stress)):  # fmt: skip
        answers.update({f"dass{n}": v for n, v in zip(numbers, values, strict=True)})
    return score(CATALOGUE["dass21"], answers)


def spread(raw: int, n: int) -> list[int]:
    """n answers of 1-5 summing to raw (test helper, independent of the scorer)."""
    values = [1] * n
    extra = raw - n
    for index in range(n):
        step = min(4, extra)
        values[index] += step
        extra -= step
    assert extra == 0 and sum(values) == raw
    return values
