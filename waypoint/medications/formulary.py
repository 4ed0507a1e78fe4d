"""Which drug names Waypoint knows, and their class. Plain Python, no Django imports.

Known = every ingredient named in the stewardship rules' drug classes, the bowel-regimen
and naloxone lists, and the opioid conversion table (with its synonyms). An unknown name
is refused at entry rather than guessed at: a misspelt opioid must never pass as "other".
"""

from __future__ import annotations

from functools import cache

from waypoint.medications.conversion import ConversionTable, default_table, normalise_ingredient
from waypoint.medications.medication import Medication, drug_classes
from waypoint.medications.rules import StewardshipRules, default_rules

# The order in which a medication's single class is chosen for display.
CLASS_PRIORITY = (
    "opioid", "benzodiazepine", "gabapentinoid", "snri", "tricyclic", "nsaid",
    "muscle-relaxant", "topical", "other",
)  # fmt: skip


@cache
def known_ingredients() -> frozenset[str]:
    """Every normalised ingredient name the rules and the conversion table know."""
    return _known(default_rules(), default_table())


def _known(rules: StewardshipRules, table: ConversionTable) -> frozenset[str]:
    names: set[str] = set()
    for members in rules.classes.values():
        names.update(members)
    names.update(rules.bowel_ingredients)
    names.update(rules.naloxone_rescue_ingredients)
    names.update(entry.ingredient for entry in table.entries)
    names.update(table.synonyms)
    return frozenset(normalise_ingredient(n, table) for n in names)


def unknown_ingredients(ingredient: str) -> list[str]:
    """The parts of ``ingredient`` ("codeine/acetaminophen") that nobody knows."""
    table = default_table()
    parts = [p.strip() for p in ingredient.replace(" and ", "/").split("/") if p.strip()]
    return [p for p in parts if normalise_ingredient(p, table) not in known_ingredients()]


def normalise(ingredient: str) -> str:
    """One ingredient name in the conversion table's words."""
    return normalise_ingredient(ingredient, default_table())


def main_class(ingredient: str, route: str | None) -> str:
    """The one class to show for a medication (an opioid combination is an opioid)."""
    classes = drug_classes(Medication(ingredient=ingredient, route=route), default_rules())
    return next(c for c in CLASS_PRIORITY if c in classes or c == "other")


def suggestions() -> list[str]:
    """Names for the entry form's autocomplete, sorted."""
    return sorted(known_ingredients())
