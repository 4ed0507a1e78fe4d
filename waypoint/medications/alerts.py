"""The stewardship alert, and the helpers every alert module shares.

An alert names its rule's source (CDC Clinical Practice Guideline for Prescribing
Opioids for Pain — United States, 2022, MMWR Recomm Rep 2022;71(No. RR-3), or the other
source the rules file gives) and carries the numbers behind it. ``stewardship`` (dose,
combinations, naloxone, STOP-Bang, bowel regimen) and ``monitoring`` (agreement,
re-evaluation, PDMP, toxicology, falls) both build them here. No Django imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from waypoint.medications.rules import RuleText, Severity

__all__ = ["Alert", "ReasonValue", "days_since", "latest", "rule_alert"]

ReasonValue = str | int | bool | Decimal | date | tuple[str, ...] | None


@dataclass(frozen=True)
class Alert:
    """One stewardship alert: stable ``code``, the numbers behind it, and its source.

    ``label`` is the rule's short label where the rules file gives one (the optional
    2016 90 MME/day flag says it is a 2016 level), else "".
    """

    code: str
    severity: Severity
    message: str
    reason: Mapping[str, ReasonValue]
    source: str
    label: str = ""


def rule_alert(
    code: str,
    rule: RuleText,
    reason: Mapping[str, ReasonValue],
    *,
    message: str | None = None,
    detail: str | None = None,
    severity: Severity = "warning",
) -> Alert:
    """An alert citing ``rule`` (its source and label) with its own message, the rule's
    followed by ``(detail)``, or the rule's message alone."""
    if message is None:
        message = rule.message if detail is None else f"{rule.message.rstrip('.')} ({detail})."
    return Alert(
        code=code,
        severity=severity,
        message=message,
        reason=reason,
        source=rule.source,
        label=rule.label,
    )


def days_since(last: date | None, today: date) -> int | None:
    """Whole days from ``last`` to ``today`` (None when never recorded)."""
    return None if last is None else (today - last).days


def latest(*dates: date | None) -> date | None:
    """The latest of the dates given, ignoring None (None when all are)."""
    known = [d for d in dates if d is not None]
    return max(known) if known else None
