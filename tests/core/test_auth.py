"""Sign-in: argon2 hashing, throttling, the TOTP second factor, API tokens."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from waypoint.core.models import ApiToken, AuditEvent

from ..conftest import World
from ..factories import PASSWORD


@pytest.mark.real_hashers
def test_passwords_are_hashed_with_argon2(db: None) -> None:
    user = get_user_model().objects.create_user("argon", password="a long passphrase")
    assert user.password.startswith("argon2$")
    assert user.check_password("a long passphrase")


def test_login_is_throttled_after_five_failures(world: World) -> None:
    client = Client()
    statuses = [
        client.post("/login/", {"username": "nurse", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    locked = client.post("/login/", {"username": "nurse", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert AuditEvent.objects.filter(action="login-failed").count() >= 5


def test_login_and_logout_are_audited(world: World, login: Callable[[str], Client]) -> None:
    client = login("nurse")
    client.post("/logout/")
    actions = list(AuditEvent.objects.filter(username="nurse").values_list("action", flat=True))
    assert "login" in actions and "logout" in actions


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_with_a_device_must_enter_a_code(
    world: World, login: Callable[[str], Client]
) -> None:
    device = TOTPDevice.objects.create(user=world.staff["nurse"].user, name="phone", confirmed=True)
    client = login("nurse")
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/account/second-factor/verify/")
    assert client.get("/api/v1/patients").json()["code"] == "second-factor-required"
    wrong = client.post("/account/second-factor/verify/", {"otp_token": "000000"})
    assert wrong.status_code == 200 and "did not match" in wrong.content.decode()
    # django-otp throttles a device after a wrong code; a person would wait a moment.
    throttled = client.post("/account/second-factor/verify/", {"otp_token": _code(device)})
    assert "wait" in throttled.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    right = client.post(
        "/account/second-factor/verify/?next=/patients/", {"otp_token": _code(device)}
    )
    assert right.status_code == 302 and right["Location"] == "/patients/"
    assert client.get("/").status_code == 200


def test_clinic_can_require_the_second_factor(world: World, login: Callable[[str], Client]) -> None:
    world.clinic.require_staff_second_factor = True
    world.clinic.save()
    client = login("clinician")
    response = client.get("/")
    assert response["Location"].startswith("/account/second-factor/setup/")
    setup = client.get(response["Location"])
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=world.staff["clinician"].user, confirmed=False)
    done = client.post("/account/second-factor/setup/", {"otp_token": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    # Patients are not asked for it.
    assert login("patient").get("/portal/", follow=True).status_code == 200


def test_admin_mints_a_token_in_the_ui_and_it_authenticates(
    world: World, login: Callable[[str], Client]
) -> None:
    admin = login("admin")
    page = admin.post("/tokens/", {"user": world.staff["coordinator"].user.pk, "name": "GP feed"})
    raw = page.context["raw"]
    assert raw.startswith("wp_") and raw in page.content.decode()
    token = ApiToken.objects.get(name="GP feed")
    assert token.key_hash != raw and raw not in token.hint + token.key_hash
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    me = api.get("/api/v1/me").json()
    assert me == {"username": "coordinator", "role": "coordinator", "patient": None}
    assert api.get("/api/v1/patients").json()["count"] >= 4
    admin.post(f"/tokens/{token.external_id}/revoke/")
    assert api.get("/api/v1/me").status_code == 401
    assert login("nurse").get("/tokens/").status_code == 403


def test_cli_mints_a_token(world: World) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "nurse", "--name", "lab feed", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert "not shown again" in err.getvalue()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me")
    assert response.json()["username"] == "nurse"
    with pytest.raises(Exception, match="No active user"):
        call_command("token", "create", "nobody", stdout=out, stderr=err)


def test_bad_bearer_token_is_401_json(world: World) -> None:
    response = Client(HTTP_AUTHORIZATION="Bearer wp_nope").get("/api/v1/patients")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Sign in, or send a valid bearer token.",
        "code": "unauthenticated",
    }


def test_audit_log_is_the_clinic_leads(world: World, login: Callable[[str], Client]) -> None:
    login("nurse").get(f"/patients/{world.adult_patient.external_id}/")
    lead = login("lead")
    page = lead.get(f"/audit/?patient={world.adult_patient.mrn}&user=nurse")
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows and all(
        e.username == "nurse" and e.patient_ref == world.adult_patient.external_id for e in rows
    )
    assert "MORGAN, Alex" in page.content.decode()
    bad = lead.get("/audit/?date_from=2026-05-02&date_to=2026-05-01")
    assert "cannot be before" in bad.content.decode()
    for other in ("nurse", "admin", "coordinator"):
        assert login(other).get("/audit/").status_code == 403


def test_healthz_answers_without_signing_in(db: None) -> None:
    response = Client().get("/healthz/")
    assert (response.status_code, response.content) == (200, b"ok\n")
