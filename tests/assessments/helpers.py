"""Answers for the service and API tests (scoring tests have their own tables)."""

from __future__ import annotations

from waypoint.assessments import catalogue

PHQ9 = catalogue.load()["phq9"]
ITEM9 = "44260-8"  # "Thoughts that you would be better off dead..." (LOINC)
DIFFICULTY = "69722-7"  # asked, not scored, optional


def phq9_answers(level: int = 1, item9: int = 0) -> dict[str, int]:
    """Every required PHQ-9 item at ``level``, item 9 at ``item9``: total 8 * level + item9."""
    answers = {item.code: level for item in PHQ9.items if item.required}
    answers[ITEM9] = item9
    return answers
