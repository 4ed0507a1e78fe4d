"""Team meeting pages: list and schedule, the agenda with discussion, attendance, minutes."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.core.audit import Actor
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.forms import DateInput
from waypoint.core.models import Service, StaffProfile
from waypoint.core.rendering import apply_errors
from waypoint.patients.views import registrable_services, staff_actor

from . import meetings
from .models import AgendaItem, TeamMeeting


class ScheduleForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none())
    meets_on = forms.DateField(widget=DateInput(), label="Date")


class DiscussionForm(forms.Form):
    discussion = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    decision = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


def _meeting(actor: Actor, mid: UUID) -> TeamMeeting:
    meeting = get_object_or_404(TeamMeeting.objects.select_related("service"), external_id=mid)
    if not meetings.can_run_meetings(actor, meeting.service):
        raise NotFound("No such meeting.")
    return meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    actor = staff_actor(request)
    services_ = registrable_services(actor)
    form = ScheduleForm(request.POST or None, initial={"meets_on": timezone.localdate()})
    field = form.fields["service"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = services_
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                meeting = meetings.schedule_meeting(actor=actor, **form.cleaned_data)
            except (InvalidInput, Forbidden) as exc:
                apply_errors(form, exc) if isinstance(exc, InvalidInput) else form.add_error(
                    None, exc.detail
                )
            else:
                messages.success(
                    request, f"Meeting scheduled with {meeting.items.count()} agenda items."
                )
                return redirect("meeting", meeting.external_id)
        status = 422
    rows = TeamMeeting.objects.filter(service__in=services_).select_related("service")[:50]
    return render(
        request, "careplans/meetings.html", {"form": form, "meetings": rows}, status=status
    )


@login_required
def meeting_page(request: HttpRequest, mid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    meeting = _meeting(actor, mid)
    staff = StaffProfile.objects.filter(services=meeting.service).select_related("user")
    present = set(meeting.attendees.filter(staff__isnull=False).values_list("staff_id", flat=True))
    items = meeting.items.select_related("patient")
    return render(
        request,
        "careplans/meeting.html",
        {
            "meeting": meeting,
            "items": [
                (
                    i,
                    DiscussionForm(
                        prefix=f"item{i.pk}",
                        initial={"discussion": i.discussion, "decision": i.decision},
                    ),
                )
                for i in items
            ],
            "staff": staff,
            "present": present,
            "others": meeting.attendees.filter(staff__isnull=True),
        },
    )


@login_required
@require_POST
def meeting_discuss(request: HttpRequest, mid: UUID, item_id: int) -> HttpResponse:
    actor = staff_actor(request)
    meeting = _meeting(actor, mid)
    item = get_object_or_404(AgendaItem, pk=item_id, meeting=meeting)
    form = DiscussionForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            meetings.record_discussion(actor=actor, item=item, **form.cleaned_data)
        except (InvalidInput, Conflict) as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, f"Decision for {item.patient.full_name} recorded in their notes."
            )
    else:
        messages.error(request, f"{item.patient.full_name}: record the decision (or 'no change').")
    return redirect("meeting", meeting.external_id)


@login_required
@require_POST
def meeting_attendance(request: HttpRequest, mid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    meeting = _meeting(actor, mid)
    staff = list(
        StaffProfile.objects.filter(
            services=meeting.service,
            pk__in=[int(s) for s in request.POST.getlist("staff") if s.isdigit()],
        )
    )
    others = [
        (kind, name, None)
        for kind, name in zip(
            request.POST.getlist("other_kind"), request.POST.getlist("other_name"), strict=False
        )
        if name.strip()
    ]
    try:
        meetings.record_attendance(actor=actor, meeting=meeting, staff=staff, others=others)
    except InvalidInput as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Attendance saved.")
    return redirect("meeting", meeting.external_id)


@login_required
@require_POST
def meeting_close(request: HttpRequest, mid: UUID) -> HttpResponse:
    actor = staff_actor(request)
    meeting = _meeting(actor, mid)
    try:
        meetings.close_meeting(
            actor=actor,
            meeting=meeting,
            expected_version=int(request.POST.get("version", "0")),
            minutes=request.POST.get("minutes", ""),
        )
    except Conflict as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Minutes closed.")
    return redirect("meeting", meeting.external_id)
