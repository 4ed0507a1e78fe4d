"""Triage rules as versioned rows: validated by ``parse_rules``, never changed in place,
every version kept, and each screening records the version it used."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from waypoint.core.errors import InvalidInput
from waypoint.referrals import services
from waypoint.referrals.models import Referral, RuleSet

from ..conftest import World
from .conftest import actor


def shipped(world: World) -> dict[str, Any]:
    return copy.deepcopy(services.current_rule_set(world.clinic).document)


def stricter(document: dict[str, Any], months: int) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    changed["version"] = f"test-{months}-months"
    for rule in changed["services"]["adult-programme"]["rules"]:
        if rule["check"] == "pain-duration-at-least":
            rule["months"] = months
    return changed


def test_the_first_use_stores_the_shipped_rules_as_version_1(world: World) -> None:
    first = services.current_rule_set(world.clinic)
    assert first.number == 1 and first.document["version"] == "waypoint-default-1"
    assert services.current_rule_set(world.clinic) == first
    assert RuleSet.objects.count() == 1


def test_a_new_version_is_used_and_the_old_one_kept(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    before = make_referral(world.adult, pain_duration_months=24)
    assert before.screening["rule_set"] == 1
    second = services.save_rule_set(
        clinic=world.clinic, document=stricter(shipped(world), 36), note="36 months", user=None
    )
    assert second.number == 2
    after = make_referral(world.adult, family_name="Later", pain_duration_months=24)
    assert after.rule_set == second and after.screening["rules_version"] == "test-36-months"
    adult = next(e for e in after.screening["eligibility"] if e["kind"] == "adult-programme")
    assert adult["eligible"] is False
    # The earlier referral keeps the screening (and version) it was made with until rescreened.
    before.refresh_from_db()
    assert before.screening["rule_set"] == 1
    services.rescreen(actor=actor("coordinator"), referral=before)
    assert before.screening["rule_set"] == 2
    assert list(RuleSet.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("red_flags"), "red_flags"),
        (lambda d: d["services"]["adult-programme"]["rules"][1].update(months=-2), "months"),
        (lambda d: d["services"].update(dentistry=d["services"]["adult-programme"]), "dentistry"),
        (lambda d: d.update(format=2), "format"),
    ],
)
def test_invalid_rules_are_refused_naming_the_field(
    world: World, mutate: Callable[[dict[str, Any]], Any], field: str
) -> None:
    document = shipped(world)
    mutate(document)
    with pytest.raises(InvalidInput) as caught:
        services.save_rule_set(clinic=world.clinic, document=document, note="", user=None)
    assert field in caught.value.fields["document"][0]
    assert RuleSet.objects.count() == 1


def test_a_rule_set_is_never_changed_in_place(world: World) -> None:
    first = services.current_rule_set(world.clinic)
    first.note = "edited"
    with pytest.raises(Exception, match="never changed"):
        first.save()


def test_rules_are_edited_in_the_admin_as_new_versions(
    world: World, login: Callable[[str], Client]
) -> None:
    services.current_rule_set(world.clinic)
    superuser = get_user_model().objects.create_superuser(
        "root", "root@example.org", "x-Very-long-1"
    )
    client = Client()
    client.force_login(superuser)
    add = client.get("/admin/referrals/ruleset/add/")
    assert add.status_code == 200 and "waypoint-default-1" in add.content.decode()
    bad = stricter(shipped(world), 6)
    bad["services"]["adult-programme"]["rules"][0]["min"] = "eighteen"
    refused = client.post(
        "/admin/referrals/ruleset/add/",
        {"clinic": world.clinic.pk, "document": json.dumps(bad), "note": "typo"},
    )
    assert (
        refused.status_code == 200
        and "services.adult-programme.rules[0].min" in refused.content.decode()
    )
    assert RuleSet.objects.count() == 1
    saved = client.post(
        "/admin/referrals/ruleset/add/",
        {
            "clinic": world.clinic.pk,
            "document": json.dumps(stricter(shipped(world), 6)),
            "note": "6 months",
        },
    )
    assert saved.status_code == 302
    assert list(RuleSet.objects.order_by("number").values_list("number", "note")) == [
        (1, "Shipped rules"),
        (2, "6 months"),
    ]
    assert RuleSet.objects.get(number=2).created_by == superuser
    change = client.post(f"/admin/referrals/ruleset/{RuleSet.objects.get(number=1).pk}/change/", {})
    assert change.status_code == 403
