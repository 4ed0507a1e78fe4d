"""An active medication on the list, and the drug classes it belongs to.

Class membership is data: the ``drug_classes`` of ``data/stewardship-rules.json`` list
RxNorm-style ingredient names per class. Ingredient names, on the medication and in the
rules alike, are normalised with a conversion table's salts and synonyms (an explicit
argument, the bundled CDC 2022 table by default), so "Oxycodone HCl" is an opioid,
"Docusate Sodium" is docusate and "pethidine" is meperidine. Routes are normalised with
``conversion.normalise_route``, the MME code's own, so "IN" and "Intranasal route" are
the nasal route. No Django imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from waypoint.medications.conversion import (
    ConversionTable,
    default_table,
    normalise_ingredient,
    normalise_route,
)
from waypoint.medications.rules import StewardshipRules

__all__ = ["Medication", "drug_classes", "is_rescue_naloxone", "normalised_names"]


@dataclass(frozen=True)
class Medication:
    """An active medication as plain values.

    ``ingredient`` is an RxNorm-style ingredient name; a combination product may list its
    ingredients joined by "/" ("buprenorphine/naloxone"). ``route`` matters for topical
    preparations and for naloxone (only a rescue route counts as naloxone on hand).
    """

    ingredient: str
    route: str | None = None
    label: str = ""

    def ingredients_in(self, table: ConversionTable | None = None) -> frozenset[str]:
        """Each ingredient, normalised with ``table`` (default: the bundled table).

        "Oxycodone HCl/Acetaminophen" → oxycodone, acetaminophen.
        """
        parts = self.ingredient.replace(" and ", "/").split("/")
        return normalised_names((p for p in parts if p.strip()), table)

    @property
    def ingredients(self) -> frozenset[str]:
        """Each ingredient, normalised with the bundled table (see ``ingredients_in``)."""
        return self.ingredients_in()

    @property
    def route_name(self) -> str:
        """The route in the conversion table's words ("IN" → "nasal"; "" when not given)."""
        return normalise_route(self.route) or ""


def normalised_names(names: Iterable[str], table: ConversionTable | None = None) -> frozenset[str]:
    """Ingredient names normalised with ``table`` (default: the bundled table).

    Used on both sides of every comparison, so a name in the rules file ("sodium
    picosulfate") and on an order ("Sodium Picosulfate") always read alike.
    """
    table = table or default_table()
    return frozenset(normalise_ingredient(name, table) for name in names)


def drug_classes(
    medication: Medication, rules: StewardshipRules, table: ConversionTable | None = None
) -> frozenset[str]:
    """The drug classes of a medication: any class one of its ingredients belongs to.

    Names are read with ``table`` (default: the bundled table). A topical preparation of
    a non-opioid (diclofenac gel, lidocaine plaster) is ``topical`` by its route; a
    medication in no listed class is ``other``.
    """
    ingredients = medication.ingredients_in(table)
    found = {
        name
        for name, members in rules.classes.items()
        if name not in ("topical", "other") and ingredients & normalised_names(members, table)
    }
    if "opioid" not in found and (
        medication.route_name in rules.topical_routes
        or ingredients & normalised_names(rules.classes.get("topical", frozenset()), table)
    ):
        found = (found - {"nsaid"}) | {"topical"}
    return frozenset(found) or frozenset({"other"})


def is_rescue_naloxone(
    medication: Medication, rules: StewardshipRules, table: ConversionTable | None = None
) -> bool:
    """Whether the medication is an opioid antagonist by a rescue route (CDC 2022 Rec. 8).

    Names are read with ``table`` (default: the bundled table). Naloxone inside
    buprenorphine/naloxone is sublingual and is no rescue supply.
    """
    rescue = normalised_names(rules.naloxone_rescue_ingredients, table)
    return bool(
        medication.ingredients_in(table) & rescue
        and medication.route_name in rules.naloxone_rescue_routes
    )
