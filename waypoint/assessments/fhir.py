"""An instrument as a FHIR R4 Questionnaire (JSON-shaped dict).

Plain Python (no Django). Item and answer codes are LOINC where the instrument file has
them; each answer carries its score as the ``ordinalValue`` extension. The shape is
validated in the tests with ``fhir.resources.R4B.questionnaire.Questionnaire``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .definitions import Instrument, Item

LOINC = "http://loinc.org"
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
BASE_URL = "urn:waypoint:questionnaire"
STATUS = {"active": "active", "retired": "retired", "draft": "draft"}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral() else float(value)


def _item(instrument: Instrument, item: Item) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "linkId": item.code,
        "text": item.text,
        "required": item.required,
    }
    if item.loinc:
        entry["code"] = [{"system": LOINC, "code": item.loinc}]
    if item.options:
        entry["type"] = "choice"
        entry["answerOption"] = [
            {
                "valueCoding": {
                    **({"system": LOINC, "code": option.code} if option.code else {}),
                    **({} if option.code else {"code": str(_number(option.value))}),
                    "display": option.label,
                },
                "extension": [{"url": ORDINAL, "valueDecimal": _number(option.score)}],
            }
            for option in item.options
        ]
        return entry
    assert item.min is not None and item.max is not None
    whole = item.step == item.step.to_integral() and item.min == item.min.to_integral()
    kind = "integer" if whole else "decimal"
    entry["type"] = kind
    value_key = "valueInteger" if whole else "valueDecimal"
    entry["extension"] = [
        {"url": MIN_VALUE, value_key: _number(item.min)},
        {"url": MAX_VALUE, value_key: _number(item.max)},
    ]
    return entry


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire resource."""
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": instrument.code.replace("_", "-"),
        "url": f"{BASE_URL}:{instrument.code}",
        "version": instrument.version,
        "name": re.sub(r"[^A-Za-z0-9]", "", instrument.short_name.title()) or "Questionnaire",
        "title": instrument.name,
        "status": STATUS.get(instrument.status, "unknown"),
        "subjectType": ["Patient"],
        "copyright": instrument.licence.text,
        "item": [_item(instrument, item) for item in instrument.items],
    }
    if instrument.loinc_panel:
        resource["code"] = [
            {"system": LOINC, "code": instrument.loinc_panel, "display": instrument.name}
        ]
    return resource
