"""Validation when loaded: a malformed instrument file fails with a message naming the
file and the field, whether the fault is in one field (_reading, _parsing) or across
fields (_validation); a valid copy loads from any directory."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from waypoint.assessments import catalogue
from waypoint.assessments.catalogue import CatalogueError


def _file(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((catalogue.DATA_DIR / name).read_text())
    return data


def _parent(data: dict[str, Any], path: list[Any]) -> Any:
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    return target


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _parent(data, path)[path[-1]] = value

    return change


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del _parent(data, path)[path[-1]]

    return change


def _each(*changes: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        for one in changes:
            one(data)

    return change


def _duplicate_option(data: dict[str, Any]) -> None:
    data["items"][3]["options"][1]["value"] = 0


_DASS_RANGED_RULE = {"stop_items": ["dass3"], "plus_items": ["dass5"], "stop_min": 1,
                     "escalate_to": "severe"}  # fmt: skip


PHQ9 = "phq9.json"
MALFORMED = [
    (PHQ9, _duplicate_option, "items[3].options: option values must be unique"),
    (PHQ9, _delete(["items", 0, "text"]), "items[0].text: required field is missing"),
    (PHQ9, _set(["items", 2, "requried"], True), "items[2].requried: unknown field"),
    (PHQ9, _set(["items", 0, "options", 2, "value"], "2"),
     "items[0].options[2].value: expected a number"),
    (PHQ9, _set(["items", 1, "code"], "44250-9"), "items[1].code: duplicate item code"),
    (PHQ9, _set(["scoring", "range", "max"], 30), "scoring.range: declared"),
    (PHQ9, _set(["bands", "levels", 2, "min"], 11), "bands.levels[2].min: must be 10"),
    (PHQ9, _set(["bands", "levels", 4, "max"], 26),
     "bands.levels[4].max: leaves 27 without a band"),
    (PHQ9, _set(["reverse_items"], ["nope"]), "reverse_items[0]: 'nope'"),
    (PHQ9, _set(["safety_items", 0, "item"], "44260-9"),
     "safety_items[0].item: unknown item code"),
    (PHQ9, _set(["safety_items", 0, "op"], "!="), "safety_items[0].op: '!='"),
    (PHQ9, _delete(["mcid", 0, "source", "to_confirm"]),
     "mcid[0].source.to_confirm: an unverified source must say what to confirm"),
    (PHQ9, _set(["code"], "phq8"), "code: 'phq8' does not match the file name"),
    (PHQ9, _set(["licence", "requires_permission"], True),
     "item_text: an instrument that needs permission must use paraphrase"),
    (PHQ9, _set(["respondent"], "carer"), "respondent: 'carer' is not one of"),
    (PHQ9, _set(["missing", "max_missing"], 2),
     "missing.prorate: a summed score with missing items must prorate"),
    (PHQ9, _set(["scoring", "method"], "median"), "scoring.method: 'median'"),
    (PHQ9, _set(["items", 0, "min"], 0),
     "items[0].options: an item has either options or min/max"),
    ("ort.json", _delete(["scoring", "weights", "by_value", "1", "depression"]),
     "scoring.weights.by_value.1: must weight every scored item"),
    ("promis_pi_4a_v1_0.json", _delete(["scoring", "table", "12"]),
     "scoring.table: must have one row per raw score 4..20"),
    ("stop_bang.json", _set(["bands", "params", "plus_items"], ["bmi", "weight"]),
     "bands.params.plus_items: unknown item code 'weight'"),
    ("start_back.json", _set(["bands", "rule"], "keele"), "bands.rule: unknown band rule 'keele'"),
    ("pain_nrs.json", _set(["items", 1, "max"], 0), "items[1].max: a numeric item needs min < max"),
    # Repeated codes would count an item twice (the ranges still match, so only this catches it).
    (PHQ9, _set(["scoring", "items", 8], "44250-9"),
     "scoring.items[8]: duplicate item code '44250-9'"),
    ("dass21.json", _set(["subscales", 0, "items", 6], "dass3"),
     "subscales[0].items[6]: duplicate item code 'dass3'"),
    ("stop_bang.json", _set(["bands", "params", "stop_items"], ["snoring", "tired", "snoring"]),
     "bands.params.stop_items[2]: duplicate item code 'snoring'"),
    # A multiplier is only applied to a sum: anywhere else it would be silently ignored.
    ("pain_nrs.json", _each(_set(["subscales", 0, "method"], "mean"),
                            _set(["subscales", 0, "multiplier"], 2)),
     "subscales[0].multiplier: a 'mean' subscale takes no multiplier"),
    ("dass21.json", _set(["subscales", 0, "method"], "mean"),
     "subscales[0].multiplier: a 'mean' subscale takes no multiplier"),
    ("peg.json", _set(["scoring", "multiplier"], 2),
     "scoring.multiplier: a 'mean' total takes no multiplier"),
    ("ort.json", _set(["scoring", "multiplier"], 2),
     "scoring.multiplier: a 'weighted-sum' total takes no multiplier"),
    ("dass21.json", _set(["scoring", "multiplier"], 2),
     "scoring.multiplier: a 'none' total takes no multiplier"),
    (PHQ9, _each(_set(["scoring", "multiplier"], 0), _set(["scoring", "range", "max"], 0)),
     "scoring.multiplier: must be positive"),
    ("dass21.json", _set(["subscales", 1, "multiplier"], -2),
     "subscales[1].multiplier: must be positive"),
    # PROMIS: the table is indexed by the whole raw summed score.
    ("promis_pi_4a_v1_0.json", _each(_set(["scoring", "multiplier"], 2),
                                     _set(["scoring", "range"], {"min": 8, "max": 40})),
     "scoring.multiplier: a 'promis-table' total takes no multiplier"),
    ("promis_pi_4a_v1_0.json", _each(_set(["items", 0, "options", 0, "score"], 1.5),
                                     _set(["scoring", "range", "min"], 4.5)),
     "items[0].options[0].score: a promis-table item must score whole numbers"),
    # Subscale bands are ranges on the subscale value: a rule or an "on" would be ignored.
    ("dass21.json", _each(_set(["subscales", 0, "bands", "rule"], "stop-bang"),
                          _set(["subscales", 0, "bands", "params"], _DASS_RANGED_RULE)),
     "subscales[0].bands.rule: a band rule applies to the total only"),
    ("dass21.json", _set(["subscales", 2, "bands", "on"], "t_score"),
     "subscales[2].bands.on: subscale bands are on the subscale value"),
    # Band parameters are read by the rule: any others would be ignored.
    (PHQ9, _set(["bands", "params"], {"stop_min": 2}),
     "bands.params: only a band rule takes parameters"),
    ("stop_bang.json", _set(["bands", "params", "stop_max"], 4),
     "bands.params.stop_max: unknown field"),
    ("start_back.json", _set(["bands", "params", "total_low_max"], "3"),
     "bands.params.total_low_max: expected a number"),
    ("start_back.json", _set(["bands", "params", "total_low_max"], True),
     "bands.params.total_low_max: expected a number"),
    ("start_back.json", _delete(["bands", "params", "subscale_high_min"]),
     "bands.params.subscale_high_min: required field is missing"),
    ("stop_bang.json", _set(["bands", "params", "plus_items"], []),
     "bands.params.plus_items: expected a list of item codes"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "mutate", "expected"), MALFORMED, ids=[m[2][:40] for m in MALFORMED]
)
def test_malformed_file_names_file_and_field(
    tmp_path: Path, filename: str, mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    data = copy.deepcopy(_file(filename))
    catalogue.parse(data, filename)  # the unmodified file is valid
    mutate(data)
    (tmp_path / filename).write_text(json.dumps(data))
    with pytest.raises(CatalogueError) as caught:
        catalogue.load(tmp_path)
    assert str(caught.value).startswith(f"{filename}: {expected}")


def _floats(name: str) -> dict[str, Any]:
    """A shipped file decoded as plain JSON: non-integers are floats, not Decimals."""
    data: dict[str, Any] = json.loads((catalogue.DATA_DIR / name).read_text())
    return data


@pytest.mark.parametrize("name", sorted(p.name for p in catalogue.DATA_DIR.glob("*.json")))
def test_parse_accepts_float_json(name: str) -> None:
    assert catalogue.parse(_floats(name), name) == catalogue.load()[name.removesuffix(".json")]


# Band-rule numbers read like every other number: any real number except bool, NaN and inf.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.0, Decimal("3.0")),
        (3.5, Decimal("3.5")),
        (0.1, Decimal("0.1")),  # through its shortest repr, not 0.1000000000000000055...
        (3, Decimal(3)),
        (Decimal("2.5"), Decimal("2.5")),
        (True, "bands.params.total_low_max: expected a number"),
        ("3", "bands.params.total_low_max: expected a number"),
        (float("nan"), "bands.params.total_low_max: expected a finite number"),
        (float("inf"), "bands.params.total_low_max: expected a finite number"),
    ],
)
def test_band_rule_numbers(value: Any, expected: Decimal | str) -> None:
    data = _floats("start_back.json")
    data["bands"]["params"]["total_low_max"] = value
    if isinstance(expected, str):
        with pytest.raises(CatalogueError) as caught:
            catalogue.parse(data, "start_back.json")
        assert str(caught.value) == f"start_back.json: {expected}"
    else:
        bands = catalogue.parse(data, "start_back.json").bands
        assert bands is not None and bands.params["total_low_max"] == expected
        assert str(bands.params["total_low_max"]) == str(expected)


def test_invalid_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"code": "broken",')
    with pytest.raises(CatalogueError, match=r"^broken\.json: not valid JSON"):
        catalogue.load(tmp_path)


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    (tmp_path / "list.json").write_text("[]")
    with pytest.raises(CatalogueError, match=r"^list\.json: expected a JSON object"):
        catalogue.load(tmp_path)


def test_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="not a directory"):
        catalogue.load(tmp_path / "absent")


def test_a_valid_copy_loads_from_another_directory(tmp_path: Path) -> None:
    (tmp_path / "phq9.json").write_text(json.dumps(_file(PHQ9)))
    loaded = catalogue.load(tmp_path)
    assert list(loaded) == ["phq9"]
    assert loaded["phq9"].scoring.range == (Decimal(0), Decimal(27))
