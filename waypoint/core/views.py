"""Sign-in with a second factor, the staff home, the audit log and API tokens."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from waypoint.patients import queries as patient_queries
from waypoint.patients.models import Patient

from . import audit
from .access import can_manage_api_tokens, can_view_audit_log
from .audit import actor_from_request
from .choices import AuditAction
from .extensions import home_panels
from .forms import ApiTokenForm, AuditFilterForm, TokenForm
from .models import ApiToken, AuditEvent
from .rendering import paginate


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitors: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    principal = actor.principal
    if principal.is_portal_user:
        return redirect("portal-home")
    if not principal.is_staff_member:
        raise PermissionDenied("This account has no role in Waypoint yet.")
    mine = list(patient_queries.my_patients(principal)[:50])
    page = paginate(request, patient_queries.patients_in_my_services(principal))
    audit.log(actor, AuditAction.LIST, detail="staff home patient lists")
    panels = home_panels(request, actor)
    return render(request, "core/home.html", {"mine": mine, "page": page, "panels": panels})


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: scan, then prove it with one code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(request, "Your authenticator is set up.")
            return redirect(_next_url(request))
        form.add_error(
            "otp_token", "That code did not match. Check the time on your phone and try again."
        )
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4, title="Authenticator QR code")
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/second_factor_setup.html",
        {"form": form, "qr": qr, "secret": secret, "next": _next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        devices = list(devices_for_user(request.user, confirmed=True))
        if devices and all(not d.verify_is_allowed()[0] for d in devices):
            # django-otp backs off after each wrong code; say so rather than "wrong".
            form.add_error(
                "otp_token",
                "Too many wrong codes: wait a few seconds, then enter the current code.",
            )
        else:
            for device in devices:
                if device.verify_token(form.cleaned_data["otp_token"]):
                    otp_login(request, device)
                    return redirect(_next_url(request))
            audit.log(
                actor_from_request(request),
                AuditAction.LOGIN_FAILED,
                detail="wrong second-factor code",
            )
            form.add_error("otp_token", "That code did not match. Try the current code.")
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if not can_view_audit_log(actor.principal):
        raise PermissionDenied("Only the clinic lead can browse the audit log.")
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.filter(
        Q(clinic_id=actor.principal.staff_clinic_id) | Q(clinic__isnull=True)
    ).select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["patient"]:
            refs = Patient.objects.filter(
                Q(mrn__iexact=data["patient"]) | Q(external_id__iexact=data["patient"]),
                clinic_id=actor.principal.staff_clinic_id,
            ).values("external_id")
            events = events.filter(patient_ref__in=refs)
        if data["user"]:
            events = events.filter(username__iexact=data["user"])
        if data["date_from"]:
            events = events.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            events = events.filter(at__date__lte=data["date_to"])
    page = paginate(request, events, per_page=50)
    labels = {
        ref: f"{family.upper()}, {given} ({mrn})"
        for ref, family, given, mrn in Patient.objects.filter(
            external_id__in=[e.patient_ref for e in page if e.patient_ref]
        ).values_list("external_id", "family_name", "given_name", "mrn")
    }
    for event in page:
        event.patient_label = labels.get(event.patient_ref, "")
    return render(request, "core/audit_log.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    actor = actor_from_request(request)
    if not can_manage_api_tokens(actor.principal):
        raise PermissionDenied("Only an administrator can manage API tokens.")
    form = ApiTokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        token, raw = ApiToken.mint(
            user=form.cleaned_data["user"], name=form.cleaned_data["name"], created_by=request.user
        )
        audit.log(actor, AuditAction.TOKEN, target=token, detail=f"minted for {token.user}")
        form = ApiTokenForm()
    tokens = ApiToken.objects.select_related("user").all()[:200]
    return render(request, "core/api_tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@login_required
@require_http_methods(["POST"])
def api_token_revoke(request: HttpRequest, tid: str) -> HttpResponse:
    actor = actor_from_request(request)
    if not can_manage_api_tokens(actor.principal):
        raise PermissionDenied("Only an administrator can manage API tokens.")
    token = get_object_or_404(ApiToken, external_id=tid, revoked_at__isnull=True)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.log(actor, AuditAction.TOKEN, target=token, detail="revoked")
    messages.success(request, f"Token {token.name} revoked.")
    return redirect("api-tokens")
