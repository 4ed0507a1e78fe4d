"""Age and episode rules. Plain Python, no Django imports."""

from __future__ import annotations

from datetime import date

# FHIR EpisodeOfCare status values; entered-in-error is reachable from everywhere
# because any record can turn out to have been a mistake.
EPISODE_TRANSITIONS: dict[str, frozenset[str]] = {
    "planned": frozenset({"active", "cancelled"}),
    "active": frozenset({"onhold", "finished"}),
    "onhold": frozenset({"active", "finished", "cancelled"}),
    "finished": frozenset(),
    "cancelled": frozenset(),
    "entered-in-error": frozenset(),
}
OPEN_EPISODE_STATUSES = frozenset({"planned", "active", "onhold"})


def age_on(birth_date: date, day: date) -> int:
    """Age in whole years on ``day``; a birthday counts on the day itself."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def allowed_episode_statuses(current: str) -> frozenset[str]:
    """The statuses an episode in ``current`` may move to, itself included."""
    if current == "entered-in-error":
        return frozenset({current})
    return EPISODE_TRANSITIONS[current] | {current, "entered-in-error"}
