"""The measurement schedule: which instruments are due when, per service kind.

Plain Python (no Django). The schedule is data (``data/schedules.json``, validated at
load: a malformed file raises :class:`ScheduleError` naming the field); :func:`due_items`
computes, for one episode of care, every scheduled instrument with its window and state.

A point's date is its anchor (the referral, the start or the end of the episode) plus an
offset in days or calendar months (follow-up 3, 6, 12 months after discharge, ePPOC;
see the file's ``source``); a ``review`` point repeats every ``every_days`` from the start
while the episode is open. Around that date:

* ``upcoming`` before ``date - due_from_days``;
* ``due`` from then until ``date + due_by_days`` inclusive;
* ``overdue`` after that, until ``date + closes_after_days`` inclusive;
* ``missed`` afterwards (no longer offered: a late answer would describe another time),
  or as soon as a later occurrence of the same instrument opens (asked once, about now);
* ``done`` once a completed response for that point and instrument exists.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEDULE_FILE = Path(__file__).parent / "data" / "schedules.json"
ANCHORS = ("referral", "start", "end")
STATES = ("upcoming", "due", "overdue", "missed", "done")
OFFERED_STATES = frozenset({"due", "overdue"})


class ScheduleError(ValueError):
    """A malformed schedule file; the message names the field."""


@dataclass(frozen=True)
class MeasurementPoint:
    code: str
    label: str
    anchor: str
    offset_days: int
    offset_months: int
    every_days: int | None
    due_from_days: int
    due_by_days: int
    closes_after_days: int
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class ServiceSchedule:
    kind: str
    record_school_days_missed: bool
    points: tuple[MeasurementPoint, ...]


@dataclass(frozen=True)
class Schedule:
    services: Mapping[str, ServiceSchedule]
    source: str

    def for_kind(self, kind: str) -> ServiceSchedule | None:
        return self.services.get(kind)


@dataclass(frozen=True)
class EpisodeDates:
    """What the schedule needs of an episode: its dates and whether it is still open."""

    referral: date | None
    start: date | None
    end: date | None
    open: bool


@dataclass(frozen=True)
class DueItem:
    point: str  # "intake", "review-2", "follow-up-3m"...
    label: str
    instrument: str
    on: date
    due_from: date
    due_by: date
    closes: date
    state: str

    @property
    def offered(self) -> bool:
        return self.state in OFFERED_STATES


# --- loading -------------------------------------------------------------------------


def load(path: Path | str | None = None, known_instruments: Collection[str] = ()) -> Schedule:
    """Read and validate a schedule file (default: the shipped one, cached).

    ``known_instruments``, when given, are the catalogue's codes: a schedule naming any
    other instrument is refused.
    """
    if path is None and not known_instruments:
        return _load_default()
    return _read(Path(path or SCHEDULE_FILE), frozenset(known_instruments))


@lru_cache(maxsize=1)
def _load_default() -> Schedule:
    return _read(SCHEDULE_FILE, frozenset())


def _read(path: Path, known: frozenset[str]) -> Schedule:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise ScheduleError(f"{path.name}: cannot read: {error}") from error
    return parse(data, known, path.name)


def parse(data: Any, known: Collection[str] = (), filename: str = "schedules.json") -> Schedule:
    """Build a :class:`Schedule` from decoded JSON, or raise naming file and field."""
    if not isinstance(data, dict):
        raise ScheduleError(f"{filename}: expected an object at the top level")
    source = data.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("citation"), str):
        raise ScheduleError(f"{filename}: source.citation: a citation is required")
    services = data.get("services")
    if not isinstance(services, dict) or not services:
        raise ScheduleError(f"{filename}: services: expected a non-empty object")
    parsed = {
        kind: _service(kind, body, known, f"{filename}: services.{kind}")
        for kind, body in services.items()
    }
    return Schedule(services=parsed, source=source["citation"])


def _service(kind: str, body: Any, known: Collection[str], where: str) -> ServiceSchedule:
    if not isinstance(body, dict):
        raise ScheduleError(f"{where}: expected an object")
    school = body.get("record_school_days_missed", False)
    if not isinstance(school, bool):
        raise ScheduleError(f"{where}.record_school_days_missed: expected true or false")
    points = body.get("points")
    if not isinstance(points, list) or not points:
        raise ScheduleError(f"{where}.points: expected a non-empty list")
    parsed = tuple(_point(p, known, f"{where}.points[{i}]") for i, p in enumerate(points))
    codes = [p.code for p in parsed]
    if len(set(codes)) != len(codes):
        raise ScheduleError(f"{where}.points: point codes must be unique")
    return ServiceSchedule(kind=kind, record_school_days_missed=school, points=parsed)


def _int(body: dict[str, Any], name: str, where: str, default: int | None = None) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ScheduleError(f"{where}.{name}: expected a whole number >= 0")
    return value


def _point(body: Any, known: Collection[str], where: str) -> MeasurementPoint:
    if not isinstance(body, dict):
        raise ScheduleError(f"{where}: expected an object")
    code = body.get("code")
    if not isinstance(code, str) or not code or len(code) > 30:
        raise ScheduleError(f"{where}.code: expected a short text code")
    label = body.get("label")
    if not isinstance(label, str) or not label:
        raise ScheduleError(f"{where}.label: expected text")
    anchor = body.get("anchor")
    if anchor not in ANCHORS:
        raise ScheduleError(f"{where}.anchor: expected one of {', '.join(ANCHORS)}")
    every = body.get("every_days")
    if every is not None and (isinstance(every, bool) or not isinstance(every, int) or every < 1):
        raise ScheduleError(f"{where}.every_days: expected a whole number >= 1")
    instruments = body.get("instruments")
    if (
        not isinstance(instruments, list)
        or not instruments
        or not all(isinstance(i, str) for i in instruments)
    ):
        raise ScheduleError(f"{where}.instruments: expected a non-empty list of codes")
    unknown = [i for i in instruments if known and i not in known]
    if unknown:
        raise ScheduleError(f"{where}.instruments: not in the catalogue: {', '.join(unknown)}")
    due_by = _int(body, "due_by_days", where)
    closes = _int(body, "closes_after_days", where)
    if closes < due_by:
        raise ScheduleError(f"{where}.closes_after_days: must be at least due_by_days")
    return MeasurementPoint(
        code=code,
        label=label,
        anchor=anchor,
        offset_days=_int(body, "offset_days", where, 0),
        offset_months=_int(body, "offset_months", where, 0),
        every_days=every,
        due_from_days=_int(body, "due_from_days", where),
        due_by_days=due_by,
        closes_after_days=closes,
        instruments=tuple(instruments),
    )


# --- computing what is due -------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """Calendar months later; the 31st falls on the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def point_dates(
    point: MeasurementPoint, episode: EpisodeDates, today: date
) -> list[tuple[str, date]]:
    """Each occurrence of ``point`` for this episode: (occurrence code, date)."""
    anchor = {"referral": episode.referral, "start": episode.start, "end": episode.end}[
        point.anchor
    ]
    if anchor is None:
        return []
    if point.every_days is None:
        on = add_months(anchor, point.offset_months) + timedelta(days=point.offset_days)
        return [(point.code, on)]
    # Reviews: while the episode runs, up to the next one to come.
    occurrences = []
    last = episode.end if episode.end is not None else today + timedelta(days=point.every_days)
    number = 1
    on = anchor + timedelta(days=point.every_days)
    while on <= last and (episode.open or episode.end is not None):
        if episode.end is not None and on >= episode.end:
            break  # the discharge point measures the end
        occurrences.append((f"{point.code}-{number}", on))
        number += 1
        on = anchor + timedelta(days=point.every_days * number)
    return occurrences


def state_on(today: date, due_from: date, due_by: date, closes: date, done: bool) -> str:
    """The state of one scheduled instrument on ``today`` (boundaries inclusive)."""
    if done:
        return "done"
    if today < due_from:
        return "upcoming"
    if today <= due_by:
        return "due"
    if today <= closes:
        return "overdue"
    return "missed"


def due_items(
    schedule: ServiceSchedule,
    episode: EpisodeDates,
    done: Collection[tuple[str, str]],
    today: date,
) -> list[DueItem]:
    """Every scheduled (point, instrument) of the episode with its window and state.

    ``done`` holds the (point, instrument) pairs already completed. Ordered by date.
    """
    items: list[DueItem] = []
    for point in schedule.points:
        for occurrence, on in point_dates(point, episode, today):
            due_from = on - timedelta(days=point.due_from_days)
            due_by = on + timedelta(days=point.due_by_days)
            closes = on + timedelta(days=point.closes_after_days)
            label = (
                point.label
                if occurrence == point.code
                else f"{point.label} {occurrence[len(point.code) + 1 :]}"
            )
            for instrument in point.instruments:
                state = state_on(today, due_from, due_by, closes, (occurrence, instrument) in done)
                items.append(
                    DueItem(occurrence, label, instrument, on, due_from, due_by, closes, state)
                )
    items.sort(key=lambda item: (item.on, item.point))
    return _supersede(items, today)


def _supersede(items: list[DueItem], today: date) -> list[DueItem]:
    """An older unanswered occurrence is missed once a later one of the same instrument
    opens: the patient is asked once, about now, not twice about different times."""
    latest_open: dict[str, date] = {}
    for item in items:
        if item.due_from <= today:
            latest_open[item.instrument] = max(item.on, latest_open.get(item.instrument, item.on))
    return [
        replace(item, state="missed")
        if item.offered and item.on < latest_open.get(item.instrument, item.on)
        else item
        for item in items
    ]
