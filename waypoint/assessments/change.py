"""Change: two scores of one instrument to a :class:`Change`, read in its direction.

Plain Python (no Django). The primary measure is the T-score for PROMIS forms and the
total otherwise; a subscale can be compared too. MCIDs (points, or percent of the
baseline) come from the instrument file and apply to the primary measure only. Also
importable from :mod:`waypoint.assessments.scoring`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from waypoint.assessments.definitions import Instrument

if TYPE_CHECKING:  # scoring imports this module to re-export change and Change
    from waypoint.assessments.scoring import Score

__all__ = ["Change", "change"]

_HUNDRED = Decimal(100)
# absolute, percent, improvement, improvement_percent, direction, passes_mcid, mcid_met
_NO_CHANGE = (None, None, None, None, None, None, ())


@dataclass(frozen=True)
class Change:
    """Change from a baseline score to a later one, read in the instrument's direction.

    ``absolute`` = latest - baseline; ``improvement`` is the same amount signed so that
    positive means better (for instruments where a lower score is better it is
    baseline - latest). Percentages are relative to the baseline.
    """

    measure: str  # "total", "t_score" or "subscale:<code>"
    baseline: Decimal | None
    latest: Decimal | None
    absolute: Decimal | None
    percent: Decimal | None
    improvement: Decimal | None
    improvement_percent: Decimal | None
    direction: str | None  # "improved" | "worsened" | "unchanged"
    passes_mcid: bool | None  # None: no MCID for this measure, or nothing to compare
    mcid_met: tuple[str, ...]
    messages: tuple[str, ...]


def change(
    instrument: Instrument, baseline: Score, latest: Score, subscale: str | None = None
) -> Change:
    """Change between two scores of ``instrument`` on its primary measure or a subscale.

    The primary measure is the T-score for PROMIS forms (their MCIDs are in T units)
    and the total otherwise. The MCID thresholds (points or percent of baseline) apply to
    the primary measure only; the change passes when it meets any of them in the better
    direction (e.g. NRS: IMMPACT 30% or 2 points, as cited in the instrument file).
    """
    for which in (baseline, latest):
        if (which.instrument, which.version) != (instrument.code, instrument.version):
            raise ValueError(
                f"cannot compare a {which.instrument} {which.version} score "
                f"as {instrument.code} {instrument.version}"
            )
    if subscale is not None:
        if subscale not in {s.code for s in instrument.subscales}:
            raise ValueError(f"{instrument.code} has no subscale {subscale!r}")
        measure = f"subscale:{subscale}"
        before, after = baseline.subscales.get(subscale), latest.subscales.get(subscale)
    elif instrument.scoring.method == "promis-table":
        measure, before, after = "t_score", baseline.t_score, latest.t_score
    else:
        measure, before, after = "total", baseline.total, latest.total
    messages: list[str] = []
    if before is None or after is None:
        messages.append(
            f"No change: the {'baseline' if before is None else 'latest'} score is missing."
        )
        return Change(measure, before, after, *_NO_CHANGE, messages=tuple(messages))
    absolute = after - before
    improvement = absolute if instrument.higher_is_better else -absolute
    percent = improvement_percent = None
    if before != 0:
        percent = absolute / abs(before) * _HUNDRED
        improvement_percent = improvement / abs(before) * _HUNDRED
    else:
        messages.append("No percent change: the baseline is 0.")
    direction = "improved" if improvement > 0 else "worsened" if improvement < 0 else "unchanged"
    passes, met = _mcid(instrument, measure, improvement, improvement_percent, messages)
    return Change(
        measure=measure,
        baseline=before,
        latest=after,
        absolute=absolute,
        percent=percent,
        improvement=improvement,
        improvement_percent=improvement_percent,
        direction=direction,
        passes_mcid=passes,
        mcid_met=met,
        messages=tuple(messages),
    )


def _mcid(
    instrument: Instrument,
    measure: str,
    improvement: Decimal,
    improvement_percent: Decimal | None,
    messages: list[str],
) -> tuple[bool | None, tuple[str, ...]]:
    if measure.startswith("subscale:") or not instrument.mcid:
        messages.append(f"No MCID is set for the {measure} of {instrument.short_name}.")
        return None, ()
    met: list[str] = []
    judged = False
    for threshold in instrument.mcid:
        if threshold.kind == "points":
            judged = True
            if improvement >= threshold.value:
                met.append(f">= {threshold.value} points")
        elif improvement_percent is not None:
            judged = True
            if improvement_percent >= threshold.value:
                met.append(f">= {threshold.value}%")
    return (bool(met) if judged else None), tuple(met)
