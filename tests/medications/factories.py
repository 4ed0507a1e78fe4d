"""Builders for the medication tests: each test states only what it is about."""

from __future__ import annotations

from decimal import Decimal

from waypoint.medications.dose import Dose
from waypoint.medications.mme import MMESummary, daily_mme


def oral(ingredient: str, mg: str, sig: str, **kwargs: object) -> Dose:
    """An oral dose of ``mg`` milligrams per tablet, taken as the sig says."""
    return Dose(
        ingredient=ingredient,
        route="oral",
        strength=Decimal(mg),
        strength_unit="mg",
        frequency=sig,
        **kwargs,  # type: ignore[arg-type]
    )


def morphine(mme: str) -> MMESummary:
    """A summary of exactly ``mme`` MME/day: oral morphine (factor 1) once a day."""
    return daily_mme(
        [Dose("morphine", route="oral", strength=Decimal(mme), strength_unit="mg", frequency="od")]
    )
