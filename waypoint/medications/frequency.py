"""Reading a sig's frequency: administrations per day, or as needed with a maximum.

UK and US usage (od, bd/BID, tds/TID, qds/QID, nocte, mane), "N times a day/week",
intervals ("q4h", "4-hourly", "every 72 hours"), as-needed markers with their maximum and
a leading quantity ("1-2 tablets"). Where a sig is ambiguous the parser takes the maximum,
as the CDC 2022 MME method does for as-needed orders (see ``parse_frequency``), or refuses
it. No Django imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from waypoint.medications.amounts import DoseError

__all__ = ["Frequency", "parse_frequency"]

_HOURS_PER_DAY = Decimal(24)


@dataclass(frozen=True)
class Frequency:
    """A parsed frequency: scheduled administrations per day, or as needed with a maximum.

    ``every_hours`` is kept for interval sigs ("q4h", "every 72 hours") so a screen can
    show the interval; ``quantity`` / ``quantity_unit`` hold a leading "2 tablets" when
    the sig text carries one.
    """

    administrations_per_day: Decimal | None = None
    as_needed: bool = False
    max_per_day: Decimal | None = None
    every_hours: Decimal | None = None
    quantity: Decimal | None = None
    quantity_unit: str | None = None


_WORD_NUMBERS: Mapping[str, Decimal] = {
    "half": Decimal("0.5"),
    "one": Decimal(1),
    "two": Decimal(2),
    "three": Decimal(3),
    "four": Decimal(4),
    "five": Decimal(5),
    "six": Decimal(6),
    "eight": Decimal(8),
    "twelve": Decimal(12),
    "once": Decimal(1),
    "twice": Decimal(2),
    "thrice": Decimal(3),
}
_NUM = r"(?:\d+(?:\.\d+)?|half|one|two|three|four|five|six|eight|twelve)"

# Whole-text abbreviations and phrases (UK and US usage) → administrations per day.
_ONCE = (
    "od|qd|daily|once daily|once a day|once per day|every day|each day|mane|om|every morning|"
    "in the morning|nocte|on|qhs|hs|at night|at bedtime|every night|nightly"
)
_NAMED_FREQUENCIES: Mapping[str, Decimal] = {
    **dict.fromkeys(_ONCE.split("|"), Decimal(1)),
    **dict.fromkeys(["bd", "bid", "twice daily", "twice a day"], Decimal(2)),
    **dict.fromkeys(["tds", "tid", "three times daily"], Decimal(3)),
    **dict.fromkeys(["qds", "qid", "four times daily"], Decimal(4)),
    **dict.fromkeys(["every other day", "alternate days"], Decimal("0.5")),
}
_NAMED_INTERVAL_HOURS: Mapping[str, Decimal] = {
    "hourly": Decimal(1),
    "every hour": Decimal(1),
    "weekly": Decimal(168),
    "once weekly": Decimal(168),
    "once a week": Decimal(168),
}

_PRN = re.compile(
    r"\b(?:prn|as needed|as required|when required|when needed|if needed|as necessary)\b"
)
_MAX = re.compile(
    rf"\b(?:max(?:imum)?|up to|not more than|no more than)\s*(?:of\s*)?(?P<n>{_NUM})\s*"
    r"(?:doses?|tablets?|tabs?|capsules?|caps?|times|x)?\s*(?:/|per|a|in|each|every)\s*"
    r"(?:day|d|24\s*(?:h|hrs?|hours?))\b"
)
_QUANTITY = re.compile(
    rf"^(?:take|apply|give|use|insert|place)?\s*(?P<q>{_NUM})"
    rf"(?:\s*(?:-|to|or)\s*(?P<q2>{_NUM}))?\s*"
    r"(?P<unit>tablets?|tabs?|capsules?|caps?|patch(?:es)?|ml|mg|mcg|films?|sprays?|"
    r"sachets?|lozenges?|suppositor(?:y|ies)|doses?)\b"
)
_FILLER = re.compile(
    r"\b(?:by mouth|orally|po|for pain|for breakthrough pain|with food|after food|"
    r"with meals|to the skin|to skin|transdermally|regularly)\b"
)
_TIMES = re.compile(
    rf"^(?P<n>{_NUM})(?:\s*(?:-|to)\s*(?P<m>{_NUM}))?\s*(?:x|times?)\s*"
    r"(?:a|per|/|each)?\s*(?P<period>day|daily|d|week|weekly|wk)$"
)
_INTERVAL = re.compile(
    rf"^(?:q|every)\s*(?P<n>{_NUM})(?:\s*(?:-|to)\s*(?P<m>{_NUM}))?\s*"
    r"(?P<unit>h|hr|hrs|hours?|hourly|d|days?|wk|weeks?)$"
)
_HOURLY = re.compile(rf"^(?P<n>{_NUM})\s*-?\s*hourly$")


def _number(token: str) -> Decimal:
    return _WORD_NUMBERS.get(token) or Decimal(token)


def _unit_hours(unit: str) -> Decimal:
    if unit.startswith("h"):
        return Decimal(1)
    if unit.startswith("d"):
        return Decimal(24)
    return Decimal(168)


def parse_frequency(text: str) -> Frequency:
    """Parse common sig forms into administrations per day or an as-needed maximum.

    Recognises UK and US abbreviations (od, bd/BID, tds/TID, qds/QID, nocte, mane),
    "N times a day/week", intervals ("q4h", "every 6 hours", "4-hourly", "every 72
    hours"), as-needed markers (PRN, "as needed") with an explicit maximum ("max 4/day",
    "up to 4 times a day") and a leading quantity ("1 patch", "1-2 tablets").

    Decisions where sigs are ambiguous (counting the maximum, as the CDC method does for
    as-needed orders):

    * an as-needed interval without an explicit maximum gives its maximum from the
      interval ("q4h PRN" → at most 6/day); a range takes the shortest interval or the
      higher count ("q4-6h PRN" → 6/day), and a quantity range its higher end;
    * an explicit maximum wins over one derived from the interval;
    * a maximum without "PRN" is read as an as-needed order;
    * a range in a *scheduled* sig ("q4-6h") is refused: nobody can say which dose is
      taken, so the caller must state it.

    Raises ``DoseError`` (field ``frequency``) for text it cannot read entirely; words it
    does not know are never skipped, so "bd for 3 days" is refused rather than misread.
    """
    if not isinstance(text, str) or not text.strip():
        raise DoseError("frequency", "no frequency given")
    original = text
    t = text.lower()
    # "b.i.d." → "bid", "p.r.n." → "prn"; decimals like "0.5" keep their point.
    t = re.sub(r"(?<=[a-z])\.", "", t)
    t = re.sub(r"[(),;]", " ", t)
    t = " ".join(t.split())

    as_needed = bool(_PRN.search(t))
    t = _PRN.sub(" ", t)

    explicit_max: Decimal | None = None
    max_match = _MAX.search(t)
    if max_match:
        explicit_max = _number(max_match.group("n"))
        t = t[: max_match.start()] + " " + t[max_match.end() :]
        as_needed = True
    t = " ".join(t.split())

    quantity: Decimal | None = None
    quantity_unit: str | None = None
    q_match = _QUANTITY.match(t)
    if q_match:
        q_high = q_match.group("q2") or q_match.group("q")
        quantity = _number(q_high)
        unit = q_match.group("unit")
        quantity_unit = unit if unit in ("mg", "mcg", "ml") else "unit"
        t = t[q_match.end() :]
    t = " ".join(_FILLER.sub(" ", t).split()).strip(" -")

    per_day: Decimal | None = None
    every_hours: Decimal | None = None
    is_range = False
    if not t:
        pass
    elif t in _NAMED_FREQUENCIES:
        per_day = _NAMED_FREQUENCIES[t]
    elif t in _NAMED_INTERVAL_HOURS:
        every_hours = _NAMED_INTERVAL_HOURS[t]
    elif m := _TIMES.match(t):
        count = _number(m.group("m") or m.group("n"))
        is_range = m.group("m") is not None
        per_day = count if m.group("period") in ("day", "daily", "d") else count / Decimal(7)
    elif m := _INTERVAL.match(t):
        # The shortest interval of a range gives the most administrations.
        every_hours = _number(m.group("n")) * _unit_hours(m.group("unit"))
        is_range = m.group("m") is not None
    elif m := _HOURLY.match(t):
        every_hours = _number(m.group("n"))
    else:
        raise DoseError("frequency", f"cannot read frequency {original!r}")

    if every_hours is not None:
        if every_hours <= 0:
            raise DoseError("frequency", f"interval must be > 0 in {original!r}")
        per_day = _HOURS_PER_DAY / every_hours
    if per_day is not None and per_day <= 0:
        raise DoseError("frequency", f"frequency must be > 0 in {original!r}")
    if explicit_max is not None and explicit_max <= 0:
        raise DoseError("frequency", f"maximum must be > 0 in {original!r}")
    if quantity is not None and quantity <= 0:
        raise DoseError("frequency", f"quantity must be > 0 in {original!r}")

    if as_needed:
        return Frequency(
            as_needed=True,
            max_per_day=explicit_max if explicit_max is not None else per_day,
            every_hours=every_hours,
            quantity=quantity,
            quantity_unit=quantity_unit,
        )
    if is_range:
        raise DoseError(
            "frequency", f"a range in a scheduled sig is ambiguous: {original!r}; state one"
        )
    if per_day is None:
        raise DoseError("frequency", f"no frequency in {original!r}")
    return Frequency(
        administrations_per_day=per_day,
        every_hours=every_hours,
        quantity=quantity,
        quantity_unit=quantity_unit,
    )
