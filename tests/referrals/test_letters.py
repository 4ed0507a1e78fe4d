"""Letters: editable templates filled from the referral, a printable page and a PDF."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client
from pypdf import PdfReader

from waypoint.core.errors import InvalidInput
from waypoint.referrals import letters, services
from waypoint.referrals.models import LetterTemplate, Referral

from ..conftest import World
from .conftest import actor


def test_pdf_opens_and_names_the_patient(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    referral = make_referral(world.adult, given_name="Zofia", family_name="Kowalczyk")
    services.decide(
        actor=actor("clinician"),
        referral=referral,
        expected_version=referral.version,
        outcome="decline",
        reason="Pain for less than three months.",
    )
    letter = referral.letters.get(kind="decline")
    response = login("coordinator").get(f"/letters/{letter.external_id}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Zofia Kowalczyk" in text
    assert "Pain for less than three months." in text
    assert "Dr Ann Hughes" in text


def test_every_kind_of_letter_fills_from_the_referral(
    world: World, make_referral: Callable[..., Referral], login: Callable[[str], Client]
) -> None:
    referral = make_referral(world.adult)
    client = login("coordinator")
    for kind in ("acknowledgement", "request-information", "acceptance", "decline", "redirect"):
        response = client.post(f"/referrals/{referral.external_id}/letters/", {"kind": kind})
        assert response.status_code == 302
        letter = referral.letters.filter(kind=kind).first()
        assert letter is not None and "Nadia Novak" in letter.body, kind
        assert "{{" not in letter.body and "{%" not in letter.body
        page = client.get(response["Location"])
        assert page.status_code == 200 and "Nadia Novak" in page.content.decode()


def test_an_edited_template_is_used_and_old_letters_keep_their_text(
    world: World, make_referral: Callable[..., Referral]
) -> None:
    first = make_referral(world.adult)
    old_body = first.letters.get().body
    template = LetterTemplate.objects.get(clinic=world.clinic, kind="acknowledgement")
    template.body = "Hello {{ referrer_name }}, we have {{ patient_name }}'s referral. {{ secret }}"
    template.save()
    second = make_referral(world.adult, family_name="Second")
    assert second.letters.get().body == "Hello Dr Ann Hughes, we have Nadia Second's referral."
    first.refresh_from_db()
    assert first.letters.get().body == old_body
    assert template.history.count() == 2


def test_broken_templates_are_caught(world: World) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.check_letter_template("{% if %}", "body")
    assert "body" in caught.value.fields
    # A template that went wrong anyway never stops triage: the letter says so.
    assert "could not be filled" in letters.fill("{% for %}", {})
    # Templates cannot reach files or tags beyond the built-in filters.
    assert "could not be filled" in letters.fill('{% include "base.html" %}', {})
