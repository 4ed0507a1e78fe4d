"""A clinic's triage rules as stored versions: the shipped rules first, edits after.

``rules.py`` reads and checks a rules document; this module keeps the versions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

from django.db import transaction

from waypoint.core.errors import InvalidInput
from waypoint.core.models import Clinic

from . import triage
from .models import RuleSet
from .rules import RulesError, parse_rules


def current_rule_set(clinic: Clinic) -> RuleSet:
    """The clinic's newest rules; the first use stores the shipped rules as version 1."""
    latest = RuleSet.objects.filter(clinic=clinic).order_by("-number").first()
    if latest is not None:
        return latest
    shipped = json.loads(
        (resources.files("waypoint.referrals") / "data" / "triage-rules.json").read_text("utf-8")
    )
    return save_rule_set(
        clinic=clinic, document=shipped, note="Shipped rules", user=None, only_if_first=True
    )


def save_rule_set(
    *,
    clinic: Clinic,
    document: Mapping[str, Any],
    note: str,
    user: Any,
    only_if_first: bool = False,
) -> RuleSet:
    """Validate and store a new version; earlier versions stay as they were.

    ``only_if_first`` stores nothing if the clinic has rules by the time the lock is held
    (two first uses at once must not make two copies of the shipped rules).
    """
    try:
        parse_rules(document)
    except RulesError as exc:
        raise InvalidInput({"document": [str(exc)]}) from exc
    with transaction.atomic():
        # Lock the clinic row so that two editors cannot take the same number.
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
        latest = RuleSet.objects.filter(clinic=clinic).order_by("-number").first()
        if only_if_first and latest is not None:
            return latest
        return RuleSet.objects.create(
            clinic=clinic,
            number=(latest.number if latest else 0) + 1,
            document=dict(document),
            note=note[:300],
            created_by=user,
        )


def rules_of(rule_set: RuleSet) -> triage.Rules:
    return parse_rules(rule_set.document)
