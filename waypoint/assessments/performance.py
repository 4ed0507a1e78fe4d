"""Physical performance tests (6-minute walk, sit-to-stand...): units and plausible ranges.

Plain Python (no Django). The tests are data (``data/performance_tests.json``, validated at
load); :func:`check_value` refuses a value outside the plausible range or off the step,
naming the test, so that a typing error (6000 m walked in six minutes) is caught.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

TESTS_FILE = Path(__file__).parent / "data" / "performance_tests.json"


class PerformanceError(ValueError):
    """A malformed tests file or an implausible value; the message names the field."""


@dataclass(frozen=True)
class PerformanceTestKind:
    code: str
    name: str
    unit: str
    min: Decimal
    max: Decimal
    step: Decimal
    higher_is_better: bool
    source: str


@lru_cache(maxsize=1)
def load() -> dict[str, PerformanceTestKind]:
    data = json.loads(TESTS_FILE.read_text(encoding="utf-8"), parse_float=Decimal)
    return parse(data, TESTS_FILE.name)


def parse(data: Any, filename: str = "performance_tests.json") -> dict[str, PerformanceTestKind]:
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        raise PerformanceError(f"{filename}: tests: expected a list")
    if not isinstance(data.get("source"), dict):
        raise PerformanceError(f"{filename}: source: a citation is required")
    kinds: dict[str, PerformanceTestKind] = {}
    for index, row in enumerate(data["tests"]):
        where = f"{filename}: tests[{index}]"
        if not isinstance(row, dict):
            raise PerformanceError(f"{where}: expected an object")
        for name in ("code", "name", "unit", "source"):
            if not isinstance(row.get(name), str) or not row[name]:
                raise PerformanceError(f"{where}.{name}: expected text")
        numbers = {}
        for name in ("min", "max", "step"):
            value = row.get(name)
            if isinstance(value, bool) or not isinstance(value, int | Decimal):
                raise PerformanceError(f"{where}.{name}: expected a number")
            numbers[name] = Decimal(value)
        if numbers["min"] >= numbers["max"] or numbers["step"] <= 0:
            raise PerformanceError(f"{where}: expected min < max and a positive step")
        if not isinstance(row.get("higher_is_better"), bool):
            raise PerformanceError(f"{where}.higher_is_better: expected true or false")
        if row["code"] in kinds:
            raise PerformanceError(f"{where}.code: {row['code']!r} appears twice")
        kinds[row["code"]] = PerformanceTestKind(
            code=row["code"],
            name=row["name"],
            unit=row["unit"],
            higher_is_better=row["higher_is_better"],
            source=row["source"],
            **numbers,
        )
    return kinds


def check_value(kind: PerformanceTestKind, raw: Any) -> Decimal:
    """The value as a Decimal, or PerformanceError saying the plausible range and unit."""
    if isinstance(raw, bool):
        raise PerformanceError(f"{kind.name}: {raw!r} is not a number")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise PerformanceError(f"{kind.name}: {raw!r} is not a number") from None
    if not value.is_finite():
        raise PerformanceError(f"{kind.name}: {raw!r} is not a number")
    if not kind.min <= value <= kind.max:
        raise PerformanceError(
            f"{kind.name}: {value} {kind.unit} is outside the plausible range "
            f"{kind.min}-{kind.max} {kind.unit}"
        )
    if (value - kind.min) % kind.step:
        raise PerformanceError(f"{kind.name}: record to the nearest {kind.step} {kind.unit}")
    return value
