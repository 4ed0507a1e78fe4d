"""Demo referrals in every state (idempotent), the home panel and the nav items."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from waypoint.demo.clinic import build
from waypoint.referrals.choices import ReferralStatus
from waypoint.referrals.models import Decision, Referral, WaitingListEntry

from ..conftest import World


@pytest.mark.django_db
def test_demo_referrals_cover_every_state_and_are_idempotent() -> None:
    build(seed=3, patients=10)
    counts = (Referral.objects.count(), Decision.objects.count(), WaitingListEntry.objects.count())
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert Referral.objects.filter(urgent=True).exists()
    assert WaitingListEntry.objects.filter(target_date__lt=timezone.localdate()).exists()
    build(seed=3, patients=10)
    assert (
        Referral.objects.count(),
        Decision.objects.count(),
        WaitingListEntry.objects.count(),
    ) == counts


def test_home_panel_lists_urgent_referrals_first(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    make_referral(world.adult, family_name="Calm")
    make_referral(
        world.adult, family_name="Flagged", red_flags={"unexplained-weight-loss": "present"}
    )
    page = login("coordinator").get("/").content.decode()
    assert "FLAGGED" in page and "red flags present" in page
    assert "2 referrals awaiting a decision" in page
    assert page.index('href="/referrals/"') < page.index("My patients")
    # Not for the administrator, who works in no service, nor in their nav.
    admin_page = login("admin").get("/").content.decode()
    assert "awaiting a decision" not in admin_page and 'href="/referrals/"' not in admin_page


def test_referral_queue_page_shows_the_urgent_alert(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    make_referral(world.adult, family_name="Calm")
    make_referral(world.adult, family_name="Flagged", red_flags={"acute-trauma": "present"})
    page = login("nurse").get("/referrals/").content.decode()
    assert 'role="alert"' in page and "urgent medical review" in page
    assert page.index("FLAGGED") < page.index("CALM")


def test_chart_shows_the_patients_referrals_to_those_who_may_see_them(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    child = world.child
    make_referral(
        world.paeds,
        mrn=child.mrn,
        given_name=child.given_name,
        family_name=child.family_name,
        birth_date=child.birth_date,
        pain_duration_months=6,
    )
    chart = f"/patients/{child.external_id}/"
    assert "Paediatric programme, received" in login("coordinator").get(chart).content.decode()
    assert "Paediatric programme, received" in login("outsider").get(chart).content.decode()
    # An adult referral of a paediatric patient: the paediatric outsider sees the chart
    # but not the referral, which is the adult service's.
    grown = world.grown_up
    make_referral(
        world.adult,
        mrn=grown.mrn,
        given_name=grown.given_name,
        family_name=grown.family_name,
        birth_date=grown.birth_date,
        pain_duration_months=6,
    )
    grown_chart = login("outsider").get(f"/patients/{grown.external_id}/")
    assert grown_chart.status_code == 200
    assert "Adult programme, received" not in grown_chart.content.decode()
    assert (
        "Adult programme, received"
        in login("lead").get(f"/patients/{grown.external_id}/").content.decode()
    )
