"""Building the instrument dataclasses from a JSON object, field by field.

Private to the catalogue. Each builder accepts only the fields it knows and checks what
can be checked within one object (an item has options or a numeric range, an unverified
source says what to confirm, a band rule's parameters are the ones it declares); checks
across fields are in :mod:`._validation`.

The built instruments are shared by every caller (the default catalogue is cached), so
their mappings are read-only (:class:`types.MappingProxyType`) and lists are tuples.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from waypoint.assessments._reading import Invalid, Node
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
)

_INSTRUMENT_FIELDS = (
    "$comment", "code", "name", "short_name", "version", "status", "status_note", "respondent",
    "age_min", "age_max", "loinc", "higher_is_better", "item_text", "item_text_note", "items",
    "subscales", "reverse_items", "scoring", "missing", "bands", "mcid", "safety_items",
    "licence", "source",
)  # fmt: skip


def read_instrument(node: Node) -> Instrument:
    """The instrument in this top-level object; raises :class:`Invalid` naming the field."""
    node.only(*_INSTRUMENT_FIELDS)
    loinc = node.opt_node("loinc")
    if loinc is not None:
        loinc.only("panel", "total")
    bands = node.opt_node("bands")
    return Instrument(
        code=node.text("code"),
        name=node.text("name"),
        short_name=node.text("short_name"),
        version=node.text("version"),
        status=node.choice("status", STATUSES),
        status_note=node.opt_text("status_note"),
        respondent=node.choice("respondent", RESPONDENTS),
        age_min=node.opt_integer("age_min"),
        age_max=node.opt_integer("age_max"),
        loinc_panel=loinc.opt_text("panel") if loinc else None,
        loinc_total=loinc.opt_text("total") if loinc else None,
        higher_is_better=node.flag("higher_is_better"),
        item_text=node.choice("item_text", ITEM_TEXT),
        item_text_note=node.opt_text("item_text_note"),
        items=tuple(_item(n) for n in node.nodes("items")),
        subscales=tuple(_subscale(n) for n in node.nodes("subscales", required=False)),
        reverse_items=node.texts("reverse_items"),
        scoring=_scoring(node.node("scoring")),
        missing=_missing(node.node("missing")),
        bands=_bands(bands) if bands else None,
        mcid=tuple(_mcid(n) for n in node.nodes("mcid", required=False)),
        safety_items=tuple(_safety(n) for n in node.nodes("safety_items", required=False)),
        licence=_licence(node.node("licence")),
        source=_source(node.node("source")),
    )


def _source(node: Node) -> Source:
    node.only("citation", "verified", "to_confirm")
    source = Source(node.text("citation"), node.flag("verified"), node.opt_text("to_confirm"))
    if not source.verified and source.to_confirm is None:
        raise Invalid(node.at("to_confirm"), "an unverified source must say what to confirm")
    return source


def _item(node: Node) -> Item:
    node.only("code", "text", "options", "required", "min", "max", "step", "loinc")
    options = []
    for option in node.nodes("options", required=False):
        option.only("value", "label", "score", "code")
        value = option.number("value")
        options.append(
            Option(
                value, option.text("label"), option.number("score", value), option.opt_text("code")
            )
        )
    item = Item(
        code=node.text("code"),
        text=node.text("text"),
        options=tuple(options),
        required=node.flag("required", True),
        min=node.opt_number("min"),
        max=node.opt_number("max"),
        step=node.number("step", Decimal(1)),
        loinc=node.opt_text("loinc"),
    )
    numeric = item.min is not None or item.max is not None
    if options and numeric:
        raise Invalid(node.at("options"), "an item has either options or min/max, not both")
    if not options and not numeric:
        raise Invalid(node.at("options"), "an item needs options, or min and max")
    if numeric and (item.min is None or item.max is None or item.min >= item.max):
        raise Invalid(node.at("max"), "a numeric item needs min < max")
    if len({o.value for o in options}) != len(options):
        raise Invalid(node.at("options"), "option values must be unique")
    if item.step <= 0:
        raise Invalid(node.at("step"), "step must be positive")
    return item


def _subscale(node: Node) -> Subscale:
    node.only("code", "name", "items", "method", "multiplier", "bands", "source")
    bands = node.opt_node("bands")
    items = node.texts("items")
    if not items:
        raise Invalid(node.at("items"), "a subscale needs items")
    if bands is not None:
        # Subscale bands are a range lookup on the subscale value (bands.subscale_band):
        # a rule or another value to band on would be accepted and never applied.
        if bands.has("rule"):
            raise Invalid(bands.at("rule"), "a band rule applies to the total only")
        if bands.has("on"):
            raise Invalid(bands.at("on"), "subscale bands are on the subscale value")
    return Subscale(
        code=node.text("code"),
        name=node.text("name"),
        items=items,
        method=node.choice("method", ("sum", "mean"), "sum"),
        multiplier=node.number("multiplier", Decimal(1)),
        bands=_bands(bands) if bands else None,
        source=_source(node.node("source")),
    )


def _scoring(node: Node) -> Scoring:
    node.only(
        "method", "items", "multiplier", "range", "weights", "table", "table_provenance", "source"
    )
    weights = node.opt_node("weights")
    range_node = node.opt_node("range")
    table = node.opt_node("table")
    return Scoring(
        method=node.choice("method", METHODS),
        items=node.texts("items"),
        multiplier=node.number("multiplier", Decimal(1)),
        range=_range(range_node) if range_node else None,
        weights=_weights(weights) if weights else None,
        table=_table(table) if table else None,
        table_provenance=node.opt_text("table_provenance"),
        source=_source(node.node("source")),
    )


def _range(node: Node) -> tuple[Decimal, Decimal]:
    node.only("min", "max")
    return node.number("min"), node.number("max")


def _weights(node: Node) -> Weights:
    node.only("selector", "by_value")
    by_value: dict[Decimal, Mapping[str, Decimal]] = {}
    table = node.node("by_value")
    for key in table.data:
        try:
            selector_value = Decimal(key)
        except ArithmeticError:
            raise Invalid(table.at(key), "keys are the selector item's answer values") from None
        row = table.node(key)
        by_value[selector_value] = MappingProxyType({code: row.number(code) for code in row.data})
    return Weights(node.text("selector"), MappingProxyType(by_value))


def _table(node: Node) -> Mapping[int, TableRow]:
    rows: dict[int, TableRow] = {}
    for key in node.data:
        if not key.isdigit():
            raise Invalid(node.at(key), "table keys are raw summed scores")
        row = node.node(key)
        row.only("t", "se")
        rows[int(key)] = TableRow(row.number("t"), row.number("se"))
    return MappingProxyType(rows)


def _missing(node: Node) -> MissingRule:
    node.only("max_missing", "prorate", "source")
    max_missing = node.opt_integer("max_missing")
    if max_missing is None or max_missing < 0:
        raise Invalid(node.at("max_missing"), "expected a whole number >= 0")
    return MissingRule(max_missing, node.flag("prorate"), _source(node.node("source")))


def _bands(node: Node) -> Bands:
    node.only("on", "resolution", "levels", "rule", "params", "source")
    levels = []
    for level in node.nodes("levels"):
        level.only("code", "label", "min", "max")
        levels.append(
            BandLevel(
                level.text("code"),
                level.text("label"),
                level.opt_number("min"),
                level.opt_number("max"),
            )
        )
    rule = node.opt_text("rule")
    if rule is not None and rule not in RULES:
        raise Invalid(node.at("rule"), f"unknown band rule {rule!r}")
    return Bands(
        on=node.choice("on", ("total", "t_score"), "total"),
        resolution=node.number("resolution", Decimal(1)),
        levels=tuple(levels),
        rule=rule,
        params=_params(node, rule),
        source=_source(node.node("source")),
    )


def _params(bands: Node, rule: str | None) -> Mapping[str, Any]:
    """The parameters ``rule`` declares, each read as its kind: no more, no fewer.

    Numbers become Decimals like every other number in the file; item codes a tuple. That
    the codes name items, subscales and levels of this instrument is checked in
    :mod:`._validation`.
    """
    if rule is None:
        if bands.has("params"):
            raise Invalid(bands.at("params"), "only a band rule takes parameters")
        return MappingProxyType({})
    node = bands.opt_node("params") or Node({}, bands.at("params"))
    declared = RULES[rule].params
    node.only(*declared)
    params: dict[str, Any] = {}
    for key, kind in declared.items():
        if kind == "number":
            params[key] = node.number(key)
        elif kind == "items":
            params[key] = node.texts(key, required=True)
        else:  # "subscale" or "level": a code
            params[key] = node.text(key)
    return MappingProxyType(params)


def _mcid(node: Node) -> Mcid:
    node.only("kind", "value", "source")
    mcid = Mcid(
        node.choice("kind", ("points", "percent")),
        node.number("value"),
        _source(node.node("source")),
    )
    if mcid.value <= 0:
        raise Invalid(node.at("value"), "an MCID must be positive")
    return mcid


def _safety(node: Node) -> SafetyItem:
    node.only("item", "op", "value", "action", "source")
    return SafetyItem(
        item=node.text("item"),
        op=node.choice("op", SAFETY_OPS),
        value=node.number("value"),
        action=node.text("action"),
        source=_source(node.node("source")),
    )


def _licence(node: Node) -> Licence:
    node.only("text", "url", "requires_permission")
    return Licence(node.text("text"), node.opt_text("url"), node.flag("requires_permission"))
