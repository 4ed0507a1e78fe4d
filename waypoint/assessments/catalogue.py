"""The instrument catalogue: questionnaire definitions loaded from data and validated.

Plain Python (no Django). Each instrument is one JSON file in
``data/instruments/<code>.json``; :func:`load` reads a directory of them into a
:class:`Catalogue` (a mapping ``code -> Instrument``). Rules are data: the file carries
the items, the scoring rule, the bands, the MCID, the safety items and the licence, each
rule with its ``source`` (``verified: false`` plus ``to_confirm`` when the fact could not
be checked against a primary source). Anything malformed raises :class:`CatalogueError`
naming the file and the field, e.g. ``phq9.json: items[3].options: ...``.

The dataclasses are defined in :mod:`.definitions` and importable from here; reading a
file is private to the catalogue: :mod:`._reading` (JSON with field paths),
:mod:`._parsing` (building the dataclasses) and :mod:`._validation` (cross-field checks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from waypoint.assessments._parsing import read_instrument
from waypoint.assessments._reading import Invalid, Node
from waypoint.assessments._validation import check_instrument
from waypoint.assessments.bands import RULES
from waypoint.assessments.definitions import (
    ITEM_TEXT,
    METHODS,
    RESPONDENTS,
    SAFETY_OPS,
    STATUSES,
    BandLevel,
    Bands,
    Instrument,
    Item,
    Licence,
    Mcid,
    MissingRule,
    Option,
    SafetyItem,
    Scoring,
    Source,
    Subscale,
    TableRow,
    Weights,
    total_items,
    total_range,
)

__all__ = [
    "BAND_RULES", "DATA_DIR", "ITEM_TEXT", "METHODS", "RESPONDENTS", "SAFETY_OPS", "STATUSES",
    "BandLevel", "Bands", "Catalogue", "CatalogueError", "Instrument", "Item", "Licence", "Mcid",
    "MissingRule", "Option", "SafetyItem", "Scoring", "Source", "Subscale", "TableRow",
    "Weights", "load", "parse", "total_items", "total_range",
]  # fmt: skip

DATA_DIR = Path(__file__).parent / "data" / "instruments"

# Band rules that need more than a range lookup; interpreted in bands.py.
BAND_RULES = frozenset(RULES)


class CatalogueError(ValueError):
    """A malformed instrument file; the message names the file and the field."""


class Catalogue(Mapping[str, Instrument]):
    """Instruments by code, in file-name order."""

    def __init__(self, instruments: Mapping[str, Instrument]) -> None:
        self._by_code = dict(instruments)

    def __getitem__(self, code: str) -> Instrument:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)


def load(directory: Path | str | None = None) -> Catalogue:
    """Load every ``*.json`` instrument in ``directory`` (default: the shipped data).

    The default catalogue is read once per process and cached; an explicit directory is
    read afresh each call (tests write malformed files into a temporary directory).
    """
    if directory is None:
        return _load_default()
    return _load_directory(Path(directory))


@lru_cache(maxsize=1)
def _load_default() -> Catalogue:
    return _load_directory(DATA_DIR)


def _load_directory(directory: Path) -> Catalogue:
    if not directory.is_dir():
        raise CatalogueError(f"{directory}: not a directory of instrument files")
    instruments: dict[str, Instrument] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            # Decimal, not float: 0.1-step T-scores and multipliers must stay exact.
            data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CatalogueError(f"{path.name}: not valid JSON: {error}") from error
        instrument = parse(data, path.name)
        instruments[instrument.code] = instrument
    return Catalogue(instruments)


def parse(data: Any, filename: str) -> Instrument:
    """Build and validate one instrument from decoded JSON; ``filename`` is for messages."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{filename}: expected a JSON object at the top level")
    try:
        instrument = read_instrument(Node(data, ""))
        check_instrument(instrument, Path(filename).stem)
    except Invalid as error:
        raise CatalogueError(f"{filename}: {error.path}: {error.message}") from None
    return instrument
