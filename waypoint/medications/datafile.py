"""Reading the files in ``data/``: JSON with exact numbers, checked field by field.

Rules are data, validated when loaded (DESIGN.md, "Conventions"): the conversion table
and the stewardship rules are read with these checks, so a malformed file fails at load
with the place at fault ("opioids[3]: 'factor' must be a positive number"), never at
calculation. Numbers are parsed as Decimal, so a factor of 0.15 stays 0.15. Each loader
re-raises ``DataFileError`` as its own error type. No Django imports.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

__all__ = [
    "DataFileError",
    "flag",
    "names",
    "object_at",
    "positive_number",
    "positive_whole",
    "read_object",
    "text",
]


class DataFileError(ValueError):
    """A data file is malformed; raised on load, never at calculation."""


def read_object(path: Path) -> Mapping[str, object]:
    """The JSON object in ``path``, numbers with a fraction parsed as Decimal."""
    raw = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    if not isinstance(raw, dict):
        raise DataFileError("top level must be an object")
    return raw


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def object_at(raw: Mapping[str, object], key: str, where: str = "") -> Mapping[str, object]:
    """``raw[key]``, which must be an object."""
    value = raw.get(key)
    if not isinstance(value, dict):
        raise DataFileError(f"{_at(where)}'{key}' must be an object")
    return value


def text(raw: Mapping[str, object], key: str, where: str) -> str:
    """``raw[key]``, which must be a non-empty string."""
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}: '{key}' must be a non-empty string")
    return value


def positive_number(raw: Mapping[str, object], key: str, where: str) -> Decimal:
    """``raw[key]`` as a Decimal, which must be a number greater than 0."""
    value = raw.get(key)
    # Floats never reach here (parse_float=Decimal); bool is an int to Python, not to us.
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value <= 0:
        raise DataFileError(f"{where}: '{key}' must be a positive number, got {value!r}")
    return Decimal(value)


def positive_whole(raw: Mapping[str, object], key: str, where: str) -> int:
    """``raw[key]``, which must be a whole number greater than 0 (days, years, scores)."""
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DataFileError(f"{where}: '{key}' must be a positive whole number")
    return value


def flag(raw: Mapping[str, object], key: str, where: str, default: bool | None = None) -> bool:
    """``raw[key]``, which must be true or false (``default`` when absent, if given)."""
    value = raw.get(key, default)
    if not isinstance(value, bool):
        raise DataFileError(f"{where}: '{key}' must be true or false")
    return value


def names(value: object, where: str, *, optional: bool = False) -> frozenset[str]:
    """A list of names, lower-cased; ``optional`` lets a missing list (None) be empty."""
    if value is None and optional:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}: expected a list of names")
    return frozenset(v.lower() for v in value)
