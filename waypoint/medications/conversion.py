"""The opioid conversion table: loading and validating it, and matching a dose to a row.

Source of record: CDC Clinical Practice Guideline for Prescribing Opioids for Pain —
United States, 2022 (MMWR Recomm Rep 2022;71(No. RR-3)), its MME conversion table; the
factors live in ``data/opioid-conversion.json`` with their source (cross-checked against
cqframework/opioid-mme-r4 @ 82ce804, CodeSystem ``CDCMMEClinicalConversionFactors``).

Orders name ingredients, routes and forms in many spellings (salts, UK names, SNOMED
displays, RxNorm dose forms); they are normalised here before a row is matched, so that a
factor never depends on how an order was typed. No Django imports.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from waypoint.medications import datafile
from waypoint.medications.datafile import DataFileError

__all__ = [
    "ConversionDataError",
    "ConversionEntry",
    "ConversionTable",
    "EntryStatus",
    "NoMatch",
    "default_table",
    "load_conversion_table",
    "normalise_form",
    "normalise_ingredient",
    "normalise_route",
]

DATA_FILE = Path(__file__).parent / "data" / "opioid-conversion.json"

EntryStatus = Literal["factor", "excluded", "no-factor"]
NoMatch = Literal["unknown-ingredient", "missing-route", "no-factor-route", "no-factor-form"]

_STATUSES: Mapping[str, EntryStatus] = {
    "factor": "factor",
    "excluded": "excluded",
    "no-factor": "no-factor",
}


@dataclass(frozen=True)
class ConversionEntry:
    """One row of the conversion table: an ingredient on some routes and its status."""

    ingredient: str
    status: EntryStatus
    routes: frozenset[str]
    forms: frozenset[str]
    factor: Decimal | None
    unit: str | None
    reason: str
    source: str
    rxnorm: str | None = None


@dataclass(frozen=True)
class ConversionTable:
    """The validated content of ``opioid-conversion.json``."""

    entries: tuple[ConversionEntry, ...]
    synonyms: Mapping[str, str]
    salt_words: frozenset[str]
    form_routes: Mapping[str, str]
    max_mg_per_administration: Decimal
    max_units_per_administration: Decimal
    max_administrations_per_day: Decimal
    max_transdermal_mcg_per_hr: Decimal
    citation: str

    def entries_for(self, ingredient: str) -> tuple[ConversionEntry, ...]:
        """The rows for one normalised ingredient, in file order."""
        return tuple(e for e in self.entries if e.ingredient == ingredient)

    @property
    def ingredients(self) -> frozenset[str]:
        """Every ingredient the table knows, whatever its status."""
        return frozenset(e.ingredient for e in self.entries)

    def match(
        self, ingredient: str, route: str | None, form: str | None
    ) -> ConversionEntry | NoMatch:
        """The row for a normalised ingredient, route and form, or why there is none.

        An excluded ingredient matches on any route; an ingredient known only on other
        routes, or a factor row whose forms do not include ``form``, has no factor.
        """
        entries = self.entries_for(ingredient)
        if not entries:
            return "unknown-ingredient"
        excluded = [e for e in entries if e.status == "excluded"]
        if excluded:
            return excluded[0]
        if route is None:
            routeless = [e for e in entries if not e.routes]
            return routeless[0] if routeless else "missing-route"
        for entry in entries:
            if route in entry.routes or not entry.routes:
                if entry.status == "factor" and form is not None and form not in entry.forms:
                    return "no-factor-form"
                return entry
        return "no-factor-route"


class ConversionDataError(DataFileError):
    """The conversion data file is malformed; raised on load, never at calculation."""


def load_conversion_table(path: Path | None = None) -> ConversionTable:
    """Load and validate the conversion table (default: the bundled CDC 2022 file).

    Every entry must carry a ``source``; ``factor`` entries a positive factor and a unit
    of ``mg`` or ``mcg/hr``; ``excluded`` and ``no-factor`` entries a ``reason``. Two rows
    for one ingredient and route are refused. Raises ``ConversionDataError``.
    """
    try:
        return _table(datafile.read_object(path or DATA_FILE))
    except DataFileError as error:
        raise ConversionDataError(str(error)) from error


def _table(raw: Mapping[str, object]) -> ConversionTable:
    citation = datafile.text(datafile.object_at(raw, "source"), "citation", "source")
    opioids = raw.get("opioids")
    if not isinstance(opioids, list) or not opioids:
        raise DataFileError("'opioids' must be a non-empty list")
    entries = [_entry(item, f"opioids[{i}]") for i, item in enumerate(opioids)]
    _check_no_route_overlap(entries)

    synonyms = raw.get("synonyms", {})
    form_routes = raw.get("form_routes", {})
    if not isinstance(synonyms, dict) or not isinstance(form_routes, dict):
        raise DataFileError("'synonyms' and 'form_routes' must be objects")
    maxima = datafile.object_at(raw, "plausible_maxima")
    return ConversionTable(
        entries=tuple(entries),
        synonyms={str(k).lower(): str(v).lower() for k, v in synonyms.items()},
        salt_words=datafile.names(raw.get("salt_words"), "salt_words", optional=True),
        form_routes={
            str(k).lower(): str(v).lower() for k, v in form_routes.items() if not k.startswith("_")
        },
        max_mg_per_administration=_maximum(maxima, "mg_per_administration"),
        max_units_per_administration=_maximum(maxima, "units_per_administration"),
        max_administrations_per_day=_maximum(maxima, "administrations_per_day"),
        max_transdermal_mcg_per_hr=_maximum(maxima, "transdermal_mcg_per_hr"),
        citation=citation,
    )


def _maximum(maxima: Mapping[str, object], key: str) -> Decimal:
    return datafile.positive_number(maxima, key, "plausible_maxima")


def _entry(item: object, where: str) -> ConversionEntry:
    if not isinstance(item, dict):
        raise DataFileError(f"{where}: must be an object")
    ingredient = datafile.text(item, "ingredient", where).lower()
    status = datafile.text(item, "status", where)
    source = datafile.text(item, "source", where)
    routes = datafile.names(item.get("routes"), f"{where}.routes", optional=True)
    forms = datafile.names(item.get("forms"), f"{where}.forms", optional=True)
    rxnorm = item.get("rxnorm")
    if rxnorm is not None and not isinstance(rxnorm, str):
        raise DataFileError(f"{where}: 'rxnorm' must be a string")
    entry_status = _STATUSES.get(status)
    if entry_status is None:
        raise DataFileError(f"{where}: unknown status {status!r}")
    factor: Decimal | None = None
    unit: str | None = None
    if entry_status == "factor":
        unit = datafile.text(item, "unit", where)
        if unit not in ("mg", "mcg/hr"):
            raise DataFileError(f"{where}: unit must be 'mg' or 'mcg/hr'")
        if not routes:
            raise DataFileError(f"{where}: a factor needs its routes")
        factor = datafile.positive_number(item, "factor", where)
        reason = str(item.get("note", ""))
    else:
        reason = datafile.text(item, "reason", where)
    return ConversionEntry(
        ingredient=ingredient,
        status=entry_status,
        routes=routes,
        forms=forms,
        factor=factor,
        unit=unit,
        reason=reason,
        source=source,
        rxnorm=rxnorm,
    )


def _check_no_route_overlap(entries: Sequence[ConversionEntry]) -> None:
    # Two rows for one ingredient and one route would make the factor depend on file order.
    seen: dict[tuple[str, str], int] = {}
    for i, entry in enumerate(entries):
        for route in entry.routes or frozenset({"*"}):
            key = (entry.ingredient, route)
            if key in seen:
                raise DataFileError(
                    f"opioids[{i}]: {entry.ingredient} by {route} already at opioids[{seen[key]}]"
                )
            seen[key] = i


@lru_cache(maxsize=1)
def default_table() -> ConversionTable:
    """The bundled CDC 2022 table, loaded and validated once per process."""
    return load_conversion_table()


# --------------------------------------------------------------------- vocabulary

# Route spellings seen in orders (FHIR SNOMED displays, UK/US abbreviations). Looked up
# after a trailing " route" is dropped, so "Intranasal route" is "nasal" too.
_ROUTE_SYNONYMS: Mapping[str, str] = {
    "po": "oral",
    "by mouth": "oral",
    "orally": "oral",
    "oral route": "oral",
    "td": "transdermal",
    "transdermal route": "transdermal",
    "sl": "sublingual",
    "iv": "intravenous",
    "im": "intramuscular",
    "sc": "subcutaneous",
    "sq": "subcutaneous",
    "subcut": "subcutaneous",
    "pr": "rectal",
    "in": "nasal",
    "intranasal": "nasal",
    "intra-nasal": "nasal",
    "oromucosal": "transmucosal",
}

# Release modifiers do not change a CDC factor, so they are dropped before matching.
_FORM_NOISE = re.compile(
    r"\b(?:extended|immediate|modified|prolonged|delayed|controlled|sustained)[- ]release\b"
    r"|\b(?:er|sr|xr|cr|xl|la|ir|mr|dr|oral|film-coated|orally disintegrating)\b"
    r"|\b\d+\s*(?:hr|hour|h)\b"  # RxNorm "72 HR ..." and "12 HR ..." release prefixes
)
_FORM_SYNONYMS: Mapping[str, str] = {
    "tab": "tablet",
    "tabs": "tablet",
    "tablets": "tablet",
    "cap": "capsule",
    "caps": "capsule",
    "capsules": "capsule",
    "soln": "solution",
    "liquid": "solution",
    "patches": "patch",
    "transdermal system": "patch",
    "transdermal patch": "patch",
    "system": "patch",
    "suppositories": "suppository",
}


def normalise_ingredient(name: str, table: ConversionTable | None = None) -> str:
    """RxNorm-style lower-case ingredient name: salts dropped, synonyms mapped.

    "Oxycodone Hydrochloride" → "oxycodone"; "Docusate Sodium" → "docusate";
    "pethidine" → "meperidine". A name that is nothing but salt words is kept whole.
    """
    table = table or default_table()
    words = [w for w in re.split(r"\s+", name.strip().lower()) if w]
    words = [w for w in words if w not in table.salt_words] or words
    base = " ".join(words)
    return table.synonyms.get(base, base)


def normalise_route(route: str | None) -> str | None:
    """A route in the table's words ("PO" → "oral", "Intranasal route" → "nasal").

    The one route normalisation of the package: the MME code matches table rows with it
    and the stewardship rules compare routes (rescue naloxone, topical) with it.
    """
    if route is None or not route.strip():
        return None
    text = " ".join(route.strip().lower().split()).removesuffix(" route")
    return _ROUTE_SYNONYMS.get(text, text)


def normalise_form(form: str | None) -> str | None:
    """A dose form in the table's words, release modifiers dropped ("ER tablet" → "tablet")."""
    if form is None or not form.strip():
        return None
    text = " ".join(_FORM_NOISE.sub(" ", form.strip().lower()).split())
    return _FORM_SYNONYMS.get(text, text) or None
