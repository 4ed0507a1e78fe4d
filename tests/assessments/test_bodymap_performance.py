"""Body pain map (regions as data, WPI areas) and performance tests (units, ranges)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from waypoint.assessments import bodymap, performance
from waypoint.assessments.bodymap import BodyMapError
from waypoint.assessments.models import BodyMap, PerformanceTest
from waypoint.assessments.performance import PerformanceError

from ..conftest import World

REGIONS = bodymap.load()


def test_at_least_40_named_regions_front_and_back_covering_the_19_wpi_areas() -> None:
    assert len(REGIONS.regions) >= 40
    assert {r.view for r in REGIONS.regions} == {"front", "back"}
    assert len({r.label for r in REGIONS.regions}) == len(REGIONS.regions)  # names are unique
    assert {r.wpi for r in REGIONS.regions if r.wpi} == bodymap.WPI_AREAS
    assert len(bodymap.WPI_AREAS) == 19


@pytest.mark.parametrize(
    ("codes", "count", "wpi"),
    [
        ([], 0, 0),
        (["front-chest-left", "front-chest-right"], 2, 1),  # chest is one WPI area
        (["back-lower-back-left", "back-lower-back-right", "back-buttock-left"], 3, 2),
        (["front-hand-left", "front-knee-right", "back-head"], 3, 0),  # not WPI areas
        (["front-jaw-left", "front-jaw-right", "front-neck"], 3, 3),
    ],
)
def test_summary_counts_regions_and_wpi_areas(codes: list[str], count: int, wpi: int) -> None:
    summary = bodymap.summarise(REGIONS, codes)
    assert (summary.count, summary.wpi) == (count, wpi)


def test_unknown_region_is_named() -> None:
    with pytest.raises(BodyMapError, match="unknown body region: nowhere"):
        bodymap.check_codes(REGIONS, ["front-head", "nowhere"])


def test_malformed_regions_file_names_the_field() -> None:
    data = json.loads(bodymap.REGIONS_FILE.read_text())
    data["regions"][3]["wpi"] = "elbow"
    with pytest.raises(BodyMapError, match=r"regions\[3\]\.wpi"):
        bodymap.parse(data)
    data = json.loads(bodymap.REGIONS_FILE.read_text())
    data["regions"] = data["regions"][:39]
    with pytest.raises(BodyMapError, match="at least 40"):
        bodymap.parse(data)


def test_patient_marks_a_body_map_and_the_chart_shows_it(
    world: World, login: Callable[[str], Client]
) -> None:
    patient = login("patient")
    url = f"/portal/patients/{world.adult_patient.external_id}/body-map/"
    page = patient.get(url)
    assert page.status_code == 200
    assert page.content.count(b'type="checkbox" name="regions"') == len(REGIONS.regions)
    bad = patient.post(url, {"regions": ["front-head", "made-up"]})
    assert bad.status_code == 422 and b"made-up" in bad.content
    chosen = ["back-lower-back-left", "back-lower-back-right", "back-buttock-right"]
    assert patient.post(url, {"regions": chosen}).status_code == 302
    saved = BodyMap.objects.get(patient=world.adult_patient)
    assert saved.regions == chosen and saved.respondent == "self"
    chart = login("clinician").get(f"/patients/{world.adult_patient.external_id}/")
    text = chart.content.decode()
    assert "3 painful areas" in text and "Widespread Pain Index areas: 2 of 19" in text
    assert text.count('class="region on"') == 3
    # Another patient's body map page is not there for this patient.
    other = patient.get(f"/portal/patients/{world.other_adult.external_id}/body-map/")
    assert other.status_code == 404


KINDS = performance.load()


def test_the_six_tests_are_declared_with_units() -> None:
    assert {k: v.unit for k, v in KINDS.items()} == {
        "six-minute-walk": "m",
        "sit-to-stand-30s": "repetitions",
        "stair-climb": "s",
        "standing-tolerance": "min",
        "lifting-tolerance": "kg",
        "comfortable-walking-time": "min",
    }


@pytest.mark.parametrize(
    ("test", "value", "ok"),
    [
        ("six-minute-walk", 0, True),
        ("six-minute-walk", 1000, True),
        ("six-minute-walk", 1001, False),  # six minutes is not enough for a kilometre
        ("six-minute-walk", -1, False),
        ("six-minute-walk", "412.5", False),  # whole metres
        ("sit-to-stand-30s", 50, True),
        ("sit-to-stand-30s", 51, False),
        ("stair-climb", "0.9", False),
        ("stair-climb", "12.3", True),
        ("lifting-tolerance", "12.5", True),
        ("lifting-tolerance", "12.3", False),
        ("standing-tolerance", "lots", False),
        ("comfortable-walking-time", True, False),
    ],
)
def test_plausible_ranges(test: str, value: Any, ok: bool) -> None:
    kind = KINDS[test]
    if ok:
        assert performance.check_value(kind, value) == Decimal(str(value))
    else:
        with pytest.raises(PerformanceError, match=re.escape(kind.name)):
            performance.check_value(kind, value)


def test_staff_record_performance_tests_and_the_chart_shows_change(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("clinician")
    url = f"/patients/{world.adult_patient.external_id}/performance-tests/new/"
    implausible = client.post(
        url, {"test": "six-minute-walk", "value": "4100", "measured_on": "2026-01-10"}
    )
    assert implausible.status_code == 422 and b"plausible range 0-1000 m" in implausible.content
    for value, day in (("320", "2026-01-10"), ("410", "2026-03-10")):
        saved = client.post(url, {"test": "six-minute-walk", "value": value, "measured_on": day})
        assert saved.status_code == 302
    assert PerformanceTest.objects.filter(patient=world.adult_patient).count() == 2
    chart = client.get(f"/patients/{world.adult_patient.external_id}/").content.decode()
    assert "6-minute walk distance" in chart and "+90 m" in chart
    # Patients do not record performance tests.
    assert login("patient").get(url).status_code == 404
    assert PerformanceTest.objects.get(value=Decimal(320)).measured_on == date(2026, 1, 10)
