"""The body pain map: named regions on front and back outlines, and what they add up to.

Plain Python (no Django). Regions are data (``data/body_regions.json``, validated at
load: each has a unique code, a view, a label, one shape, and optionally the Widespread
Pain Index area it belongs to). :func:`summarise` counts regions and WPI areas (0-19,
Wolfe 2016) for the chart.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

REGIONS_FILE = Path(__file__).parent / "data" / "body_regions.json"
VIEWS = ("front", "back")
# The 19 WPI areas (Wolfe et al. 2016, Semin Arthritis Rheum 46:319).
WPI_AREAS = frozenset(
    [
        f"{area}-{side}"
        for area in (
            "jaw",
            "shoulder-girdle",
            "upper-arm",
            "lower-arm",
            "hip",
            "upper-leg",
            "lower-leg",
        )
        for side in ("left", "right")
    ]
    + ["neck", "upper-back", "lower-back", "chest", "abdomen"]
)
MIN_REGIONS = 40


class BodyMapError(ValueError):
    """A malformed regions file, or a region code that does not exist; names the field."""


@dataclass(frozen=True)
class Region:
    code: str
    view: str
    label: str
    wpi: str | None
    shape: str  # "rect" | "ellipse"
    geometry: Mapping[str, int]


@dataclass(frozen=True)
class BodyRegions:
    regions: tuple[Region, ...]
    width: int
    height: int
    source: str

    def by_code(self) -> dict[str, Region]:
        return {region.code: region for region in self.regions}

    def in_view(self, view: str) -> tuple[Region, ...]:
        return tuple(region for region in self.regions if region.view == view)


@dataclass(frozen=True)
class Summary:
    count: int
    wpi_areas: tuple[str, ...]

    @property
    def wpi(self) -> int:
        """The Widespread Pain Index (0-19): WPI areas with pain marked."""
        return len(self.wpi_areas)


@lru_cache(maxsize=1)
def load() -> BodyRegions:
    return parse(json.loads(REGIONS_FILE.read_text(encoding="utf-8")), REGIONS_FILE.name)


def parse(data: Any, filename: str = "body_regions.json") -> BodyRegions:
    if not isinstance(data, dict):
        raise BodyMapError(f"{filename}: expected an object")
    source = data.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("citation"), str):
        raise BodyMapError(f"{filename}: source.citation: a citation is required")
    box = data.get("viewbox")
    if not (isinstance(box, list) and len(box) == 2 and all(isinstance(n, int) for n in box)):
        raise BodyMapError(f"{filename}: viewbox: expected [width, height]")
    rows = data.get("regions")
    if not isinstance(rows, list):
        raise BodyMapError(f"{filename}: regions: expected a list")
    regions = tuple(_region(row, f"{filename}: regions[{n}]") for n, row in enumerate(rows))
    codes = [region.code for region in regions]
    if len(set(codes)) != len(codes):
        raise BodyMapError(f"{filename}: regions: codes must be unique")
    if len(regions) < MIN_REGIONS:
        raise BodyMapError(f"{filename}: regions: at least {MIN_REGIONS} are needed")
    return BodyRegions(regions, box[0], box[1], source["citation"])


def _region(row: Any, where: str) -> Region:
    if not isinstance(row, dict):
        raise BodyMapError(f"{where}: expected an object")
    for name in ("code", "label"):
        if not isinstance(row.get(name), str) or not row[name]:
            raise BodyMapError(f"{where}.{name}: expected text")
    if row.get("view") not in VIEWS:
        raise BodyMapError(f"{where}.view: expected front or back")
    wpi = row.get("wpi")
    if wpi is not None and wpi not in WPI_AREAS:
        raise BodyMapError(f"{where}.wpi: not a Widespread Pain Index area: {wpi!r}")
    shapes = [name for name in ("rect", "ellipse") if name in row]
    if len(shapes) != 1 or not isinstance(row[shapes[0]], dict):
        raise BodyMapError(f"{where}: expected exactly one rect or ellipse")
    geometry = row[shapes[0]]
    if not all(isinstance(v, int) and v >= 0 for v in geometry.values()):
        raise BodyMapError(f"{where}.{shapes[0]}: expected whole numbers >= 0")
    return Region(row["code"], row["view"], row["label"], wpi, shapes[0], dict(geometry))


def check_codes(regions: BodyRegions, codes: Collection[str]) -> list[str]:
    """The codes, de-duplicated in map order; an unknown code raises naming it."""
    known = regions.by_code()
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise BodyMapError(f"unknown body region: {', '.join(unknown)}")
    wanted = set(codes)
    return [region.code for region in regions.regions if region.code in wanted]


def summarise(regions: BodyRegions, codes: Collection[str]) -> Summary:
    """Regions marked and the WPI areas they cover (a front and back region count once)."""
    known = regions.by_code()
    areas = {known[c].wpi for c in codes if c in known}
    return Summary(
        count=len(set(codes) & set(known)), wpi_areas=tuple(sorted(a for a in areas if a))
    )
