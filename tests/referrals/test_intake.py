"""Receiving a referral: validation naming the field, duplicate matching, attachments,
nothing half-saved, the acknowledgement letter and the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tests.factories import PatientFactory
from waypoint.core.errors import Forbidden, InvalidInput
from waypoint.core.models import AuditEvent
from waypoint.referrals import services
from waypoint.referrals.models import Attachment, Letter, Referral
from waypoint.referrals.services import PossibleDuplicate, Upload

from ..conftest import World, years_ago
from .conftest import actor, referral_fields

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def receive(world: World, **kwargs: Any) -> Referral:
    kwargs.setdefault("fields", referral_fields())
    return services.create_referral(actor=actor("coordinator"), service=world.adult, **kwargs)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": timezone.localdate() + timedelta(days=1)}, "birth_date"),
        ({"received_on": timezone.localdate() + timedelta(days=2)}, "received_on"),
        ({"birth_date": years_ago(40), "received_on": years_ago(41)}, "birth_date"),
        ({"pain_duration_months": -1}, "pain_duration_months"),
        ({"pain_duration_months": 5000}, "pain_duration_months"),
        # 40 years old and pain for 600 months (50 years): longer than a life.
        ({"pain_duration_months": 600}, "pain_duration_months"),
        ({"diagnosis": "broken-heart"}, "diagnosis"),
        ({"reason": ""}, "reason"),
        ({"referrer_name": ""}, "referrer_name"),
        ({"given_name": ""}, "given_name"),
        ({"source": "carrier-pigeon"}, "source"),
        ({"red_flags": {"cauda-equina": "maybe"}}, "red_flags"),
        ({"red_flags": {"gout": "present"}}, "red_flags"),
        ({"disclosures": {"horoscope": True}}, "disclosures"),
        ({"phone": "call me"}, "phone"),
        ({"mrn": "!"}, "mrn"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world: World, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(world, fields=referral_fields(**overrides))
    assert field in caught.value.fields
    assert not Referral.objects.exists()
    assert not Letter.objects.exists()


def test_unknown_or_foreign_service_is_refused(world: World) -> None:
    foreign_service = world.foreign.episodes.first().service
    for service in (None, foreign_service):
        with pytest.raises(InvalidInput) as caught:
            services.create_referral(
                actor=actor("coordinator"), service=service, fields=referral_fields()
            )
        assert "service" in caught.value.fields
    # Working only in the paediatric service, the outsider cannot receive adult referrals.
    with pytest.raises(InvalidInput, match="do not work in this service"):
        services.create_referral(
            actor=actor("outsider"), service=world.adult, fields=referral_fields()
        )
    with pytest.raises(Forbidden):
        services.create_referral(
            actor=actor("patient"), service=world.adult, fields=referral_fields()
        )


def test_a_good_referral_is_screened_acknowledged_and_audited(world: World) -> None:
    referral = receive(world)
    assert referral.status == "received"
    assert referral.patient is None  # a new patient: registered on acceptance
    assert referral.screening["rule_set"] == referral.rule_set.number == 1
    adult = next(e for e in referral.screening["eligibility"] if e["kind"] == "adult-programme")
    assert adult["eligible"] is True
    missing = {d["code"] for d in referral.screening["missing_disclosures"]}
    assert "addictions" in missing and "mental-health" not in missing
    assert referral.letters.get().kind == "acknowledgement"
    assert AuditEvent.objects.filter(
        action="create", object_ref=str(referral.external_id), username="coordinator"
    ).exists()


def test_red_flag_present_makes_it_urgent_and_first_in_the_queue(world: World) -> None:
    calm = receive(world)
    urgent = receive(
        world,
        fields=referral_fields(
            family_name="Flagged", red_flags={"cauda-equina": "present"}, received_on=date.today()
        ),
    )
    assert urgent.urgent and not calm.urgent
    assert [f["code"] for f in urgent.screening["red_flags_present"]] == ["cauda-equina"]
    from waypoint.core.principals import principal_for
    from waypoint.referrals.queries import triage_queue

    queue = list(triage_queue(principal_for(world.staff["coordinator"].user)))
    assert queue[0] == urgent


# --- duplicates ---------------------------------------------------------------------


def test_existing_mrn_links_the_patient(world: World) -> None:
    patient = world.other_adult
    referral = receive(
        world,
        fields=referral_fields(
            mrn=patient.mrn.lower(),
            given_name=patient.given_name,
            family_name=patient.family_name,
            birth_date=patient.birth_date,
        ),
    )
    assert referral.patient == patient
    assert AuditEvent.objects.filter(patient_ref=patient.external_id, action="create").exists()


def test_mrn_of_someone_else_is_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(world, fields=referral_fields(mrn=world.other_adult.mrn))
    assert "mrn" in caught.value.fields
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("Olivia", "Other"),
        ("olivia", "OTHER"),
        ("Liv", "Other"),
        ("Olivia Jane", "Other"),
        ("Other", "Olivia"),
    ],
)
def test_name_and_birth_date_match_warns_and_needs_a_choice(
    world: World, given: str, family: str
) -> None:
    existing = world.other_adult
    fields = referral_fields(given_name=given, family_name=family, birth_date=existing.birth_date)
    if given == "Liv":
        # "Liv" is not a prefix of "Olivia": different enough to be a different person.
        assert receive(world, fields=fields).patient is None
        return
    with pytest.raises(PossibleDuplicate) as caught:
        receive(world, fields=fields)
    assert caught.value.candidates == [existing]
    assert "duplicate_choice" in caught.value.fields
    assert not Referral.objects.exists()
    same = receive(world, fields=fields, duplicate_choice="same", duplicate_of=existing.external_id)
    assert same.patient == existing and same.duplicate_choice == "same"
    different = receive(world, fields=fields, duplicate_choice="different")
    assert different.patient is None and different.duplicate_choice == "different"


def test_same_needs_to_say_which_when_several_match(world: World) -> None:
    born = years_ago(50)
    first = PatientFactory(
        clinic=world.clinic, given_name="Sam", family_name="Lee", birth_date=born
    )
    PatientFactory(clinic=world.clinic, given_name="Samuel", family_name="Lee", birth_date=born)
    fields = referral_fields(given_name="Sam", family_name="Lee", birth_date=born)
    with pytest.raises(PossibleDuplicate) as caught:
        receive(world, fields=fields)
    assert len(caught.value.candidates) == 2
    with pytest.raises(InvalidInput) as which:
        receive(world, fields=fields, duplicate_choice="same")
    assert "duplicate_of" in which.value.fields
    assert (
        receive(
            world, fields=fields, duplicate_choice="same", duplicate_of=str(first.external_id)
        ).patient
        == first
    )


def test_other_clinics_patients_are_never_matched(world: World) -> None:
    foreign = world.foreign
    referral = receive(
        world,
        fields=referral_fields(
            given_name=foreign.given_name,
            family_name=foreign.family_name,
            birth_date=foreign.birth_date,
        ),
    )
    assert referral.patient is None


# --- attachments --------------------------------------------------------------------


def test_attachments_are_stored_with_the_referral(world: World) -> None:
    referral = receive(
        world,
        uploads=[
            Upload("letter.pdf", "application/pdf", PDF),
            Upload("scan.png", "image/png", PNG),
        ],
    )
    assert sorted(referral.attachments.values_list("name", flat=True)) == ["letter.pdf", "scan.png"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            Upload("big.pdf", "application/pdf", b"%PDF-" + b"x" * (10 * 1024 * 1024)),
            "over the limit",
        ),
        (Upload("macro.docx", "application/msword", b"PK\x03\x04"), "only PDF, PNG or JPEG"),
        (Upload("fake.pdf", "application/pdf", b"MZ\x90\x00 not a pdf"), "only PDF, PNG or JPEG"),
        (Upload("empty.pdf", "application/pdf", b""), "empty"),
    ],
)
def test_attachment_limits(world: World, upload: Upload, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        receive(world, uploads=[Upload("ok.pdf", "application/pdf", PDF), upload])
    assert list(caught.value.fields) == ["attachments"]
    assert not Referral.objects.exists() and not Attachment.objects.exists()


def test_too_many_attachments(world: World) -> None:
    with pytest.raises(InvalidInput, match="At most 10"):
        receive(world, uploads=[Upload(f"{i}.pdf", "application/pdf", PDF) for i in range(11)])


# --- the form -----------------------------------------------------------------------


def form_data(world: World, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "service": world.adult.pk,
        "received_on": timezone.localdate().isoformat(),
        "source": "gp",
        "referrer_name": "Dr Ann Hughes",
        "given_name": "Nadia",
        "family_name": "Novak",
        "birth_date": years_ago(40).isoformat(),
        "sex": "female",
        "reason": "Back pain",
        "pain_sites": "Lower back",
        "pain_duration_months": "24",
        "diagnosis": "musculoskeletal-non-malignant",
        "flag_cauda-equina": "absent",
        "disclosure_mental-health": "on",
    }
    for name in (
        "pain_is_primary",
        "biomedical_intervention_unhelpful",
        "functional_disability",
        "outpatient_mdt_tried",
        "medical_complexity",
        "neurological_impairment",
        "recurrent_pain_behaviours",
        "self_management_activated",
        "referrer_is_physician",
    ):
        data.setdefault(name, "unknown")
    data.update(overrides)
    return data


def test_form_receives_a_referral_with_an_attachment(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("coordinator")
    data = form_data(world, pain_is_primary="true")
    for code in ("severe-mental-illness", "unmanaged-suicide-risk"):
        data[f"flag_{code}"] = "absent"
    data["attachments"] = [SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")]
    response = client.post("/referrals/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get()
    assert referral.pain_is_primary is True and referral.self_management_activated is None
    assert referral.red_flags["cauda-equina"] == "absent"
    assert referral.red_flags["acute-trauma"] == "unknown"
    assert referral.disclosures["mental-health"] is True
    attachment = referral.attachments.get()
    download = client.get(f"/referral-attachments/{attachment.external_id}/")
    assert download.status_code == 200 and download.content == PDF


def test_form_shows_errors_and_the_duplicate_warning(
    world: World, login: Callable[[str], Client]
) -> None:
    client = login("coordinator")
    bad = client.post(
        "/referrals/new/",
        form_data(world, birth_date="2999-01-01", pain_duration_months="-3"),
    )
    assert bad.status_code == 422
    page = bad.content.decode()
    assert "Nothing was saved" in page and "cannot be in the future" in page
    assert "Pain duration (months)" in page
    existing = world.other_adult
    dup = form_data(
        world,
        given_name=existing.given_name,
        family_name=existing.family_name,
        birth_date=existing.birth_date.isoformat(),
    )
    warned = client.post("/referrals/new/", dup)
    assert warned.status_code == 422
    assert (
        "Possible duplicate" in warned.content.decode() and existing.mrn in warned.content.decode()
    )
    assert not Referral.objects.exists()
    dup.update(duplicate_choice="same", duplicate_of=str(existing.external_id))
    assert client.post("/referrals/new/", dup).status_code == 302
    assert Referral.objects.get().patient == existing


def test_form_refuses_a_forbidden_attachment(world: World, login: Callable[[str], Client]) -> None:
    data = form_data(world)
    data["attachments"] = [
        SimpleUploadedFile("run.exe", b"MZ\x90", content_type="application/x-msdownload")
    ]
    response = login("coordinator").post("/referrals/new/", data)
    assert response.status_code == 422
    assert "only PDF, PNG or JPEG" in response.content.decode()
    assert not Referral.objects.exists()


def test_edit_rescreens_and_refuses_a_stale_version(
    world: World, login: Callable[[str], Client]
) -> None:
    referral = receive(world)
    assert referral.urgent is False
    client = login("coordinator")
    data = form_data(world, **{"flag_acute-trauma": "present", "version": referral.version})
    del data["service"]
    assert client.post(f"/referrals/{referral.external_id}/edit/", data).status_code == 302
    referral.refresh_from_db()
    assert referral.urgent is True and referral.version == 2
    stale = client.post(f"/referrals/{referral.external_id}/edit/", {**data, "version": 1})
    assert stale.status_code == 409
    assert referral.history.count() == 2


def test_self_referral_only_where_the_service_allows_it(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        receive(world, fields=referral_fields(source="self"))
    assert "source" in caught.value.fields
    world.adult.settings = {"self_referral": True}
    world.adult.save()
    assert receive(world, fields=referral_fields(source="self")).source == "self"


def test_queue_filters_by_service_and_status(world: World, login: Callable[[str], Client]) -> None:
    receive(world, fields=referral_fields(family_name="Grownup"))
    services.create_referral(
        actor=actor("coordinator"),
        service=world.paeds,
        fields=referral_fields(
            family_name="Kiddo", birth_date=years_ago(12), pain_duration_months=6
        ),
    )
    client = login("coordinator")
    both = client.get("/referrals/").content.decode()
    assert "GROWNUP" in both and "KIDDO" in both
    paeds = client.get(f"/referrals/?service={world.paeds.pk}&status=open").content.decode()
    assert "KIDDO" in paeds and "GROWNUP" not in paeds
    assert "KIDDO" not in client.get("/referrals/?status=accepted").content.decode()
