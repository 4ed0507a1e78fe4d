"""Tests for ``waypoint.medications.datafile``: data files read with exact numbers, and
each malformed field refused with the place at fault."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from waypoint.medications import datafile
from waypoint.medications.datafile import DataFileError

D = Decimal


def test_read_object_parses_fractions_as_decimal(tmp_path: Path) -> None:
    path = tmp_path / "table.json"
    path.write_text('{"factor": 0.15, "days": 90}', encoding="utf-8")
    raw = datafile.read_object(path)
    assert raw == {"factor": D("0.15"), "days": 90}
    assert isinstance(raw["factor"], Decimal)


def test_read_object_refuses_a_list(tmp_path: Path) -> None:
    path = tmp_path / "table.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(DataFileError, match="top level must be an object"):
        datafile.read_object(path)


RAW: dict[str, object] = {
    "label": "PDMP",
    "blank": "  ",
    "factor": D("0.15"),
    "days": 90,
    "zero": 0,
    "yes": True,
    "section": {"a": 1},
    "names": ["Senna", "docusate"],
}


@pytest.mark.parametrize(
    ("read", "key", "expected"),
    [
        (datafile.text, "label", "PDMP"),
        (datafile.positive_number, "factor", D("0.15")),
        (datafile.positive_number, "days", D(90)),
        (datafile.positive_whole, "days", 90),
        (datafile.flag, "yes", True),
    ],
)
def test_readers_accept(read: object, key: str, expected: object) -> None:
    assert read(RAW, key, "where") == expected  # type: ignore[operator]


@pytest.mark.parametrize(
    ("read", "key", "message"),
    [
        (datafile.text, "blank", "where: 'blank' must be a non-empty string"),
        (datafile.text, "missing", "where: 'missing' must be a non-empty string"),
        (datafile.positive_number, "zero", "where: 'zero' must be a positive number"),
        (datafile.positive_number, "yes", "where: 'yes' must be a positive number"),
        (datafile.positive_number, "label", "where: 'label' must be a positive number"),
        (datafile.positive_whole, "factor", "where: 'factor' must be a positive whole number"),
        (datafile.positive_whole, "yes", "where: 'yes' must be a positive whole number"),
        (datafile.flag, "days", "where: 'days' must be true or false"),
        (datafile.flag, "missing", "where: 'missing' must be true or false"),
    ],
)
def test_readers_name_the_field(read: object, key: str, message: str) -> None:
    with pytest.raises(DataFileError) as caught:
        read(RAW, key, "where")  # type: ignore[operator]
    assert str(caught.value).startswith(message)


def test_flag_default_applies_only_when_absent() -> None:
    assert datafile.flag(RAW, "missing", "where", default=True) is True
    with pytest.raises(DataFileError):
        datafile.flag(RAW, "days", "where", default=True)


def test_object_at() -> None:
    assert datafile.object_at(RAW, "section") == {"a": 1}
    with pytest.raises(DataFileError, match="^'label' must be an object$"):
        datafile.object_at(RAW, "label")
    with pytest.raises(DataFileError, match="^scope: 'label' must be an object$"):
        datafile.object_at(RAW, "label", "scope")


def test_names_are_lower_cased_and_optional_only_when_asked() -> None:
    assert datafile.names(RAW["names"], "where") == {"senna", "docusate"}
    assert datafile.names(None, "where", optional=True) == frozenset()
    for bad in (None, "senna", ["senna", 3]):
        with pytest.raises(DataFileError, match="where: expected a list of names"):
            datafile.names(bad, "where")
