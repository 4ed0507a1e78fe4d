"""Referral pages: triage queue, intake, the referral, decisions, waiting list, letters.

Views stay thin: parse, check access (``queries``), call a service, render. To anyone
but staff these pages do not exist (404, audited).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from weasyprint import HTML

from waypoint.core import audit
from waypoint.core.access import Role
from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.models import Clinic, Service
from waypoint.core.rendering import apply_errors, paginate, render_page

from . import queries, services
from .access import can_decide_referral
from .forms import (
    DecisionForm,
    ExpectedStartForm,
    LetterForm,
    QueueFilterForm,
    ReferralForm,
    RemoveForm,
    WaitingFilterForm,
)
from .models import Attachment, Letter, Referral


def staff_actor(request: HttpRequest) -> Actor:
    actor = actor_from_request(request)
    if not actor.principal.is_staff_member:
        audit.log(actor, AuditAction.DENIED, detail="referral page asked for by a non-staff user")
        raise NotFound("No such page.")
    return actor


def my_services(actor: Actor) -> QuerySet[Service]:
    found = Service.objects.filter(clinic_id=actor.principal.staff_clinic_id, active=True)
    if actor.principal.role != Role.CLINIC_LEAD:
        found = found.filter(pk__in=actor.principal.service_ids)
    return found


def _uploads(request: HttpRequest) -> list[services.Upload]:
    return [
        services.Upload(
            name=f.name or "attachment", content_type=f.content_type or "", content=f.read()
        )
        for f in request.FILES.getlist("attachments")
    ]


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    form = QueueFilterForm(request.GET or None, services=my_services(actor))
    status, service = "open", None
    if request.GET and form.is_valid():
        status, service = form.cleaned_data["status"], form.cleaned_data["service"]
    page = paginate(
        request,
        queries.triage_queue(
            actor.principal, status=status, service_id=service.pk if service else None
        ),
    )
    audit.log(actor, AuditAction.LIST, detail=f"referrals ({page.paginator.count} found)")
    urgent = queries.triage_queue(actor.principal).filter(urgent=True).count()
    return render_page(
        request,
        "referrals/referral_list.html",
        {
            "page": page,
            "form": form,
            "urgent_count": urgent,
            "extra_query": f"status={status}&service={service.pk if service else ''}&",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    clinic_rules = services.rules_of(services.current_rule_set(_clinic(actor)))
    form = ReferralForm(
        request.POST or None,
        request.FILES or None,
        services=my_services(actor),
        rules=clinic_rules,
        creating=True,
    )
    candidates: list[Any] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.create_referral(
                    actor=actor,
                    service=form.cleaned_data["service"],
                    fields=form.values(),
                    duplicate_choice=form.cleaned_data["duplicate_choice"],
                    duplicate_of=request.POST.get("duplicate_of", ""),
                    uploads=_uploads(request),
                )
            except services.PossibleDuplicate as exc:
                candidates = exc.candidates
                apply_errors(form, exc)
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"Referral of {referral.patient_name} received.")
                return redirect("referral-detail", referral.external_id)
        status = 422
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "creating": True, "candidates": candidates},
        status=status,
    )


def _clinic(actor: Actor) -> Clinic:
    return Clinic.objects.get(pk=actor.principal.staff_clinic_id)


@login_required
def referral_detail(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    referral = queries.get_visible_referral(actor, rid)
    facts = queries.referral_facts(referral)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            "referral": referral,
            "screening": referral.screening,
            "decisions": list(referral.decisions.select_related("service")),
            "attachments": list(referral.attachments.defer("content")),
            "letters": list(referral.letters.all()),
            "entries": list(referral.waiting_list_entries.select_related("service")),
            "can_decide": can_decide_referral(actor.principal, facts),
            "letter_form": LetterForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=request.method == "GET")
    clinic_rules = services.rules_of(services.current_rule_set(referral.clinic))
    form = ReferralForm(
        request.POST or None,
        instance=Referral.objects.get(pk=referral.pk),
        services=my_services(actor),
        rules=clinic_rules,
        creating=False,
    )
    status = 200
    candidates: list[Any] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_referral(
                    actor=actor,
                    referral=referral,
                    expected_version=form.cleaned_data["version"] or 0,
                    fields=form.values(),
                    duplicate_choice=form.cleaned_data["duplicate_choice"],
                    duplicate_of=request.POST.get("duplicate_of", ""),
                )
            except services.PossibleDuplicate as exc:
                candidates = exc.candidates
                apply_errors(form, exc)
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                status = 409
            else:
                messages.success(request, "Referral saved and screened again.")
                return redirect("referral-detail", referral.external_id)
        status = status if status == 409 else 422
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "referral": referral, "creating": False, "candidates": candidates},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_decide(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=request.method == "GET")
    if not can_decide_referral(actor.principal, queries.referral_facts(referral)):
        raise Forbidden("Triage decisions are made by a clinician of the service.")
    form = DecisionForm(
        request.POST or None,
        services=Service.objects.filter(clinic_id=referral.clinic_id, active=True),
        initial={"version": referral.version, "priority": "routine"},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = services.decide(
                    actor=actor,
                    referral=referral,
                    expected_version=data["version"],
                    outcome=data["outcome"],
                    reason=data["reason"],
                    service=data["service"],
                    priority=data["priority"],
                    redirect_to=data["redirect_to"],
                    missing_items=form.items(),
                )
            except InvalidInput as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.detail)
                status = 409
            else:
                messages.success(request, f"Decision recorded: {decision.get_outcome_display()}.")
                return redirect("referral-detail", referral.external_id)
        status = status if status == 409 else 422
    return render(
        request,
        "referrals/decide_form.html",
        {"form": form, "referral": referral, "screening": referral.screening},
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def referral_rescreen(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=False)
    services.rescreen(actor=actor, referral=referral)
    messages.success(request, "Screened again with the current rules.")
    return redirect("referral-detail", referral.external_id)


@login_required
def attachment_download(request: HttpRequest, aid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    attachment = get_object_or_404(Attachment.objects.select_related("referral"), external_id=aid)
    referral = queries.get_visible_referral(
        actor, attachment.referral.external_id, audit_read=False
    )
    queries.audit_referral(
        actor, AuditAction.READ, referral, target=attachment, detail="attachment opened"
    )
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{_safe_name(attachment.name)}"'
    return response


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:100] or "file"


@login_required
@require_http_methods(["POST"])
def letter_create(request: HttpRequest, rid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=False)
    form = LetterForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a kind of letter.")
        return redirect("referral-detail", referral.external_id)
    letter = services.write_letter(actor=actor, referral=referral, kind=form.cleaned_data["kind"])
    return redirect("letter-detail", letter.external_id)


def _letter(actor: Actor, lid: UUID) -> Letter:
    letter = Letter.objects.select_related("referral").filter(external_id=lid).first()
    if letter is None:
        audit.log(actor, AuditAction.DENIED, detail="letter not found (404)")
        raise NotFound("No letter with this id.")
    referral = queries.get_visible_referral(actor, letter.referral.external_id, audit_read=False)
    queries.audit_referral(actor, AuditAction.READ, referral, target=letter, detail="letter read")
    letter.referral = referral
    return letter


@login_required
def letter_detail(request: HttpRequest, lid: UUID) -> HttpResponse:
    letter = _letter(staff_actor(request), lid)
    return render(request, "referrals/letter_page.html", {"letter": letter})


@login_required
def letter_pdf(request: HttpRequest, lid: UUID) -> HttpResponse:
    letter = _letter(staff_actor(request), lid)
    html = render_to_string("referrals/letter_print.html", {"letter": letter})
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"letter-{letter.get_kind_display().lower().replace(' ', '-')}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def waiting_list(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    choices = my_services(actor)
    form = WaitingFilterForm(request.GET or None, services=choices)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "service_id": data["service"].pk if data["service"] else None,
            "priority": data["priority"],
            "breached": data["breached"],
            "sort": data["sort"] or "priority",
        }
    today = timezone.localdate()
    page = paginate(request, queries.waiting_list(actor.principal, today=today, **filters))
    audit.log(actor, AuditAction.LIST, detail=f"waiting list ({page.paginator.count} waiting)")
    rows = [
        {"entry": e, "days": e.days_waiting(today), "breached": e.breached(today)}
        for e in page.object_list
    ]
    return render_page(
        request,
        "referrals/waiting_list.html",
        {"form": form, "page": page, "rows": rows, "today": today},
    )


@login_required
@require_http_methods(["GET", "POST"])
def waiting_entry(request: HttpRequest, wid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    entry = queries.get_visible_entry(actor, wid)
    if request.method == "GET":
        audit.log(actor, AuditAction.READ, patient_ref=entry.patient.external_id, target=entry)
    action = request.POST.get("action", "")
    start_form = ExpectedStartForm(
        request.POST if action == "start" else None,
        initial={"expected_start": entry.expected_start},
    )
    remove_form = RemoveForm(request.POST if action == "remove" else None)
    status = 200
    if request.method == "POST":
        form = start_form if action == "start" else remove_form
        if form.is_valid():
            try:
                if action == "start":
                    services.set_expected_start(
                        actor=actor, entry=entry, expected_start=form.cleaned_data["expected_start"]
                    )
                    messages.success(request, "Expected start saved.")
                else:
                    services.remove_from_waiting_list(
                        actor=actor, entry=entry, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, f"{entry.patient} removed from the waiting list.")
            except InvalidInput as exc:
                apply_errors(form, exc)
            else:
                return redirect("waiting-list")
        status = 422
    return render(
        request,
        "referrals/waiting_entry.html",
        {
            "entry": entry,
            "days": entry.days_waiting(),
            "breached": entry.breached(),
            "start_form": start_form,
            "remove_form": remove_form,
        },
        status=status,
    )
