"""The medication record in the database: validation, changes kept, MME, alerts, tapers,
procedures. Expected numbers are worked by hand from the CDC 2022 factors."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from waypoint.core.audit import system_actor
from waypoint.core.errors import Conflict, Forbidden, InvalidInput
from waypoint.medications import queries, services
from waypoint.medications.models import MedicationEntry

from ..conftest import World

TODAY = timezone.localdate


def oral(ingredient: str, strength: str, frequency: str, **more: Any) -> dict[str, Any]:
    return {
        "ingredient": ingredient,
        "form": "tablet",
        "route": "oral",
        "strength": Decimal(strength),
        "strength_unit": "mg",
        "frequency": frequency,
        **more,
    }


@pytest.fixture
def doctor(world: World) -> Any:
    return system_actor(world.staff["clinician"].user)


BAD = [
    (oral("oxycodoen", "10", "bd"), "ingredient", "Unknown drug"),
    (oral("oxycodone", "0", "bd"), "strength", "greater than 0"),
    (oral("oxycodone", "5000", "bd"), "strength", ""),
    (oral("oxycodone", "10", "whenever"), "frequency", "frequency"),
    (
        {**oral("fentanyl", "25", "every 72 hours"), "form": "patch", "strength_unit": "mcg/hr"},
        "route",
        "transdermal",
    ),
    (oral("oxycodone", "10", "bd", start=TODAY() + timedelta(days=3)), "start", "future"),
    (
        oral(
            "oxycodone",
            "10",
            "bd",
            start=TODAY() - timedelta(days=3),
            stop=TODAY() - timedelta(days=5),
        ),
        "stop",
        "before",
    ),
]


@pytest.mark.parametrize(
    ("fields", "field", "words"), BAD, ids=[b[1] + ":" + b[0]["ingredient"] for b in BAD]
)
def test_bad_entries_are_refused_and_nothing_saved(
    world: World, doctor: Any, fields: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.add_medication(actor=doctor, patient=world.adult_patient, fields=fields)
    assert field in refused.value.fields, refused.value.fields
    assert words.lower() in " ".join(refused.value.fields[field]).lower()
    assert MedicationEntry.objects.count() == 0


# (entries, expected total MME/day, incomplete) — CDC 2022: oxycodone 1.5, morphine 1,
# hydromorphone 5, tramadol 0.2, fentanyl patch 2.4 per mcg/hr; PRN at the maximum.
MME_CASES = [
    ([oral("oxycodone", "10", "bd")], Decimal("30"), False),
    (
        [oral("oxycodone", "10", "bd"), oral("morphine", "10", "prn max 3/day")],
        Decimal("60"),
        False,
    ),
    ([oral("tramadol", "50", "qds")], Decimal("40"), False),
    ([oral("hydromorphone", "2", "q4h")], Decimal("60"), False),
    (
        [
            {
                "ingredient": "fentanyl",
                "form": "patch",
                "route": "transdermal",
                "strength": Decimal("12"),
                "strength_unit": "mcg/hr",
                "frequency": "every 72 hours",
            }
        ],
        Decimal("28.8"),
        False,
    ),
    ([oral("oxycodone", "5", "bd"), oral("diazepam", "5", "nocte")], Decimal("15"), False),
    (
        [
            oral("oxycodone", "5", "bd"),
            {
                "ingredient": "buprenorphine",
                "form": "patch",
                "route": "transdermal",
                "strength": Decimal("10"),
                "strength_unit": "mcg/hr",
                "frequency": "every 7 days",
            },
        ],
        Decimal("15"),
        True,
    ),
]


@pytest.mark.parametrize(("entries", "total", "incomplete"), MME_CASES)
def test_mme_of_the_record(
    world: World, doctor: Any, entries: list[dict[str, Any]], total: Decimal, incomplete: bool
) -> None:
    for fields in entries:
        services.add_medication(actor=doctor, patient=world.adult_patient, fields=fields)
    summary = queries.stewardship(world.adult_patient).summary
    assert (summary.total, summary.incomplete) == (total, incomplete)


def alert_codes(world: World) -> set[str]:
    return {a.alert.code for a in queries.stewardship(world.adult_patient).open_alerts}


def test_two_opioids_and_a_benzodiazepine_raise_both_alerts(world: World, doctor: Any) -> None:
    services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "10", "bd")
    )
    assert "mme-review-threshold" not in alert_codes(world)  # 30 MME/day, below 50
    services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("morphine", "10", "prn max 2/day")
    )
    assert "mme-review-threshold" in alert_codes(world)  # 30 + 20 = 50: at the threshold counts
    services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("diazepam", "5", "nocte")
    )
    codes = alert_codes(world)
    assert {"mme-review-threshold", "opioid-benzodiazepine"} <= codes


def test_acknowledged_alert_returns_when_the_condition_changes(world: World, doctor: Any) -> None:
    first = services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "20", "bd")
    )
    alert = next(
        a
        for a in queries.stewardship(world.adult_patient).open_alerts
        if a.alert.code == "mme-review-threshold"
    )
    with pytest.raises(InvalidInput):
        services.acknowledge_alert(
            actor=doctor,
            patient=world.adult_patient,
            code="mme-review-threshold",
            fingerprint=alert.fingerprint,
            note=" ",
        )
    services.acknowledge_alert(
        actor=doctor,
        patient=world.adult_patient,
        code="mme-review-threshold",
        fingerprint=alert.fingerprint,
        note="Discussed; naloxone offered",
    )
    assert "mme-review-threshold" not in alert_codes(world)
    services.change_medication(
        actor=doctor, entry=first, fields={"strength": Decimal("30")}, reason="pain worse"
    )
    assert "mme-review-threshold" in alert_codes(world)  # 90 MME/day now: a new condition
    with pytest.raises(Conflict):  # the old fingerprint no longer matches
        services.acknowledge_alert(
            actor=doctor,
            patient=world.adult_patient,
            code="mme-review-threshold",
            fingerprint=alert.fingerprint,
            note="again",
        )


def test_changes_are_new_entries_and_stale_changes_are_refused(world: World, doctor: Any) -> None:
    first = services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "10", "bd")
    )
    stale = MedicationEntry.objects.get(pk=first.pk)
    second = services.change_medication(
        actor=doctor, entry=first, fields={"frequency": "tds"}, reason="titration"
    )
    first.refresh_from_db()
    assert (first.status, second.supersedes, second.administrations_per_day) == (
        "stopped",
        first,
        3,
    )
    assert MedicationEntry.objects.count() == 2
    with pytest.raises(Conflict):
        services.change_medication(
            actor=doctor, entry=stale, fields={"frequency": "qds"}, reason="again"
        )
    with pytest.raises(InvalidInput):
        services.change_medication(actor=doctor, entry=second, fields={}, reason="")


def test_reconciliation_refuses_a_list_that_changed(world: World, doctor: Any) -> None:
    a = services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "10", "bd")
    )
    services.reconcile(actor=doctor, patient=world.adult_patient, entry_ids=[a.pk])
    services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("ibuprofen", "400", "tds")
    )
    with pytest.raises(Conflict):
        services.reconcile(actor=doctor, patient=world.adult_patient, entry_ids=[a.pk])


def test_portal_users_cannot_change_medicines(world: World) -> None:
    with pytest.raises(Forbidden):
        services.add_medication(
            actor=system_actor(world.adult_patient.user),
            patient=world.adult_patient,
            fields=oral("oxycodone", "10", "bd"),
        )


def test_taper_plan_steps(world: World, doctor: Any) -> None:
    entry = services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "20", "bd")
    )
    start = TODAY()
    plan = services.plan_taper(
        actor=doctor,
        entry=entry,
        rate_percent=Decimal(10),
        interval_days=28,
        starts_on=start,
        floor_mg=Decimal(0),
    )
    steps = list(plan.steps.all())
    # 40 mg/day, 10% of the original (4 mg) a step, rounded to 5 mg: 40 → 35 → 30 …
    assert plan.start_dose_mg == Decimal(40)
    assert [s.dose_mg for s in steps][:3] == [Decimal(35), Decimal(30), Decimal(25)]
    assert steps[-1].dose_mg == 0
    assert steps[0].mme == Decimal("52.5")  # 35 mg oxycodone × 1.5
    assert all(b.starts_on > a.starts_on for a, b in zip(steps, steps[1:], strict=False))
    with pytest.raises(InvalidInput) as order:
        services.edit_taper_step(
            actor=doctor, step=steps[1], dose_mg=Decimal(30), starts_on=steps[0].starts_on
        )
    assert "starts_on" in order.value.fields
    with pytest.raises(InvalidInput) as rate:
        services.plan_taper(
            actor=doctor, entry=entry, rate_percent=Decimal(80), interval_days=28, starts_on=start
        )
    assert "rate_percent" in rate.value.fields


PROCEDURE = {
    "kind": "radiofrequency-denervation",
    "side": "right",
    "level": "L4-L5",
    "performed_by": "Dr Patel",
    "consent_recorded": True,
    "pain_before": 8,
}


@pytest.mark.parametrize(
    ("relief", "days", "verdict"),
    [
        (50, 90, "helped"),
        (49, 200, "did-not-help"),
        (80, 89, "did-not-help"),
        (None, None, "not-yet-known"),
    ],
)
def test_procedure_effect(
    world: World, doctor: Any, relief: int | None, days: int | None, verdict: str
) -> None:
    procedure = services.record_procedure(
        actor=doctor,
        patient=world.adult_patient,
        fields={**PROCEDURE, "performed_on": TODAY() - timedelta(days=100)},
    )
    if relief is not None and days is not None:
        services.record_follow_up(
            actor=doctor,
            procedure=procedure,
            expected_version=1,
            relief_percent=relief,
            relief_days=days,
            pain_after=3,
            followed_up_on=TODAY(),
        )
    [(_, effect)] = queries.procedures_with_effect(world.adult_patient)
    assert effect.verdict == verdict


def test_procedure_needs_consent_and_refuses_stale_follow_up(world: World, doctor: Any) -> None:
    with pytest.raises(InvalidInput) as no_consent:
        services.record_procedure(
            actor=doctor,
            patient=world.adult_patient,
            fields={**PROCEDURE, "consent_recorded": False, "performed_on": TODAY()},
        )
    assert "consent_recorded" in no_consent.value.fields
    procedure = services.record_procedure(
        actor=doctor, patient=world.adult_patient, fields={**PROCEDURE, "performed_on": TODAY()}
    )
    services.record_follow_up(
        actor=doctor,
        procedure=procedure,
        expected_version=1,
        relief_percent=60,
        relief_days=10,
        pain_after=4,
        followed_up_on=TODAY(),
    )
    with pytest.raises(Conflict):
        services.record_follow_up(
            actor=doctor,
            procedure=procedure,
            expected_version=1,
            relief_percent=10,
            relief_days=1,
            pain_after=8,
            followed_up_on=TODAY(),
        )


def test_mme_trend_follows_changes(world: World, doctor: Any) -> None:
    start = TODAY() - timedelta(days=60)
    entry = services.add_medication(
        actor=doctor, patient=world.adult_patient, fields=oral("oxycodone", "10", "bd", start=start)
    )
    services.change_medication(
        actor=doctor, entry=entry, fields={"strength": Decimal("20")}, reason="titration"
    )
    points = queries.mme_trend(world.adult_patient)
    assert [(p.day, p.total) for p in points] == [(start, Decimal(30)), (TODAY(), Decimal(60))]
