"""Did a procedure help? Plain Python, no Django imports.

The rule is data (``data/procedure-effect.json``): relief of at least N% (default 50%,
IMMPACT's "substantial") lasting at least the procedure kind's minimum number of days.
The care plan's stop rules read this classification, so it is one function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

DATA = Path(__file__).with_name("data") / "procedure-effect.json"
Verdict = Literal["helped", "did-not-help", "not-yet-known"]


@dataclass(frozen=True)
class EffectRule:
    relief_percent_at_least: int
    minimum_days: dict[str, int]
    source: str


@dataclass(frozen=True)
class Effect:
    verdict: Verdict
    reason: str


class EffectRuleError(ValueError):
    """The rule file is malformed; the message names the field."""


def parse_rule(data: dict[str, object]) -> EffectRule:
    percent = data.get("relief_percent_at_least")
    if not isinstance(percent, int) or isinstance(percent, bool) or not 0 < percent <= 100:
        raise EffectRuleError("relief_percent_at_least: a whole number from 1 to 100")
    days = data.get("minimum_days")
    if not isinstance(days, dict) or "other" not in days:
        raise EffectRuleError("minimum_days: a mapping of procedure kind to days, with 'other'")
    for kind, value in days.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise EffectRuleError(f"minimum_days.{kind}: a whole number of days, 0 or more")
    source = data.get("relief_source")
    citation = source.get("citation") if isinstance(source, dict) else None
    if not isinstance(citation, str) or not citation:
        raise EffectRuleError("relief_source.citation: required")
    return EffectRule(percent, dict(days), citation)


@cache
def default_rule() -> EffectRule:
    return parse_rule(json.loads(DATA.read_text()))


def classify(
    kind: str, relief_percent: int | None, relief_days: int | None, rule: EffectRule | None = None
) -> Effect:
    """Whether a procedure of ``kind`` helped, from the relief reported at follow-up."""
    rule = rule or default_rule()
    need_days = rule.minimum_days.get(kind, rule.minimum_days["other"])
    days = f"{need_days} day{'s' if need_days != 1 else ''}"
    target = f"≥ {rule.relief_percent_at_least}% relief for ≥ {days}"
    if relief_percent is None or relief_days is None:
        return Effect("not-yet-known", f"No follow-up recorded yet (helped means {target}).")
    if relief_percent >= rule.relief_percent_at_least and relief_days >= need_days:
        return Effect("helped", f"{relief_percent}% relief for {relief_days} days: {target}.")
    return Effect(
        "did-not-help", f"{relief_percent}% relief for {relief_days} days: less than {target}."
    )
