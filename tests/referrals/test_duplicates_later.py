"""Never a silent duplicate, after the first match too: a corrected referral is matched
again, and acceptance re-checks for records that appeared since the coordinator's word."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from waypoint.core.errors import InvalidInput
from waypoint.patients.models import Patient
from waypoint.referrals import services
from waypoint.referrals.models import Referral

from ..conftest import World
from ..factories import PatientFactory
from .conftest import actor


def accept(referral: Referral) -> object:
    referral.refresh_from_db()
    return services.decide(
        actor=actor("clinician"),
        referral=referral,
        expected_version=referral.version,
        outcome="accept",
        priority="routine",
    )


def test_acceptance_refuses_a_record_registered_since(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    referral = make_referral(world.adult)  # Nadia Novak, no match at receipt
    PatientFactory(
        clinic=world.clinic,
        given_name="Nadia",
        family_name="Novak",
        birth_date=referral.birth_date,
        mrn="LATE01",
    )  # registered elsewhere meanwhile
    with pytest.raises(InvalidInput) as refused:
        accept(referral)
    assert "LATE01" in refused.value.fields["outcome"][0]
    assert Patient.objects.filter(family_name="Novak").count() == 1  # no duplicate made


def test_different_covers_only_the_records_shown(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    twin = PatientFactory(
        clinic=world.clinic,
        given_name="Nadia",
        family_name="Novak",
        mrn="TWIN01",
        birth_date=world.adult_patient.birth_date,
    )
    referral = make_referral(world.adult, birth_date=twin.birth_date, choice="different")
    accept(referral)  # the coordinator saw TWIN01 and said different: a new patient is right
    referral.refresh_from_db()
    assert referral.patient is not None and referral.patient.pk != twin.pk


def test_correcting_the_name_matches_again(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    existing = world.adult_patient  # Alex Morgan
    referral = make_referral(
        world.adult, birth_date=existing.birth_date
    )  # Nadia Novak, same birthday
    client = login("coordinator")
    url = f"/referrals/{referral.external_id}/edit/"
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["diagnosis"] = referral.diagnosis  # a choice the form shows from the instance
    data.update({"given_name": "Alex", "family_name": "Morgan", "version": referral.version})
    refused = client.post(url, _post_data(form, data))
    assert refused.status_code == 422, refused.context["form"].errors
    assert [p.pk for p in refused.context["candidates"]] == [existing.pk], refused.context[
        "form"
    ].errors.as_data()
    referral.refresh_from_db()
    assert referral.family_name == "Novak"  # nothing saved
    same = client.post(
        url,
        _post_data(
            form, data | {"duplicate_choice": "same", "duplicate_of": str(existing.external_id)}
        ),
    )
    assert same.status_code == 302
    referral.refresh_from_db()
    assert referral.patient == existing


def _post_data(form: object, data: dict[str, object]) -> dict[str, object]:
    """The edit form as a browser would send it: booleans as 'on' or absent, None as ''."""
    out: dict[str, object] = {}
    for name, value in data.items():
        if value is True:
            out[name] = "on"
        elif value is False or value is None:
            continue
        else:
            out[name] = value
    return out
