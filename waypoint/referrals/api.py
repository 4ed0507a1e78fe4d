"""/api/v1 routes of the referrals app: create, read, screening, decisions, waiting list.

Handlers parse, check access (through ``queries``), call a service and return a schema;
errors are ``{"detail", "code"}`` (``waypoint.api``). Portal users get 404 for every
referral and an empty list, as if referrals did not exist.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Query, Router, Status, UploadedFile

from waypoint.core import audit
from waypoint.core.audit import Actor, actor_from_request
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Forbidden, InvalidInput, NotFound
from waypoint.core.models import Service
from waypoint.core.schemas import ERRORS, InputSchema, Page, limit_field, offset_field

from . import queries, services
from .models import Attachment
from .schemas import (
    AttachmentOut,
    DecisionIn,
    DecisionOut,
    PriorityCode,
    ReferralIn,
    ReferralOut,
    RemoveIn,
    ScreeningOut,
    WaitingEntryOut,
    as_fields,
)

router = Router(tags=["referrals"])


class ReferralQuery(InputSchema):
    status: str = Field("", max_length=32, description="open (default), all, or a status.")
    service: UUID | None = None
    limit: int = limit_field()
    offset: int = offset_field()


class WaitingQuery(InputSchema):
    service: UUID | None = None
    priority: PriorityCode | None = None
    breached: bool = False
    sort: str = Field("", max_length=16, description="priority, waiting, expected or name.")
    limit: int = limit_field()
    offset: int = offset_field()


def _staff(request: HttpRequest) -> Actor:
    actor = actor_from_request(request)
    if not actor.principal.is_staff_member:
        raise Forbidden("Staff only.")
    return actor


def _service(actor: Actor, external_id: UUID | None, field: str = "service") -> Service | None:
    if external_id is None:
        return None
    service = Service.objects.filter(
        external_id=external_id, clinic_id=actor.principal.staff_clinic_id
    ).first()
    if service is None:
        raise InvalidInput({field: ["No such service in your clinic."]})
    return service


def _page(items: Any, limit: int, offset: int) -> dict[str, Any]:
    return {
        "count": items.count(),
        "limit": limit,
        "offset": offset,
        "items": list(items[offset : offset + limit]),
    }


@router.post("/referrals", response={201: ReferralOut, **ERRORS})
def create_referral(request: HttpRequest, payload: ReferralIn) -> Any:
    """Receive a referral. A name and date of birth matching an existing patient answers
    422 on ``duplicate_choice`` until it is resolved (``same`` + ``duplicate_of``, or
    ``different``)."""
    actor = _staff(request)
    service = _service(actor, payload.service)
    referral = services.create_referral(
        actor=actor,
        service=service,
        fields=as_fields(payload),
        duplicate_choice=payload.duplicate_choice,
        duplicate_of=payload.duplicate_of,
    )
    return Status(201, referral)


@router.get("/referrals", response={200: Page[ReferralOut], **ERRORS})
def list_referrals(request: HttpRequest, query: Query[ReferralQuery]) -> Any:
    """Referrals you may see, urgent first. ``status``: ``open`` (default), a status, or all."""
    actor = actor_from_request(request)
    service = _service(actor, query.service) if actor.principal.is_staff_member else None
    status = "" if query.status == "all" else query.status or "open"
    referrals = queries.triage_queue(
        actor.principal, status=status, service_id=service.pk if service else None
    )
    page = _page(referrals, query.limit, query.offset)
    audit.log(actor, AuditAction.LIST, detail=f"API referral list ({page['count']})")
    return page


@router.get("/referrals/{rid}", response={200: ReferralOut, **ERRORS})
def read_referral(request: HttpRequest, rid: UUID) -> Any:
    return queries.get_visible_referral(actor_from_request(request), rid)


@router.get("/referrals/{rid}/screening", response={200: ScreeningOut, **ERRORS})
def read_screening(request: HttpRequest, rid: UUID) -> Any:
    return queries.get_visible_referral(actor_from_request(request), rid).screening


@router.get("/referrals/{rid}/decisions", response={200: list[DecisionOut], **ERRORS})
def list_decisions(request: HttpRequest, rid: UUID) -> Any:
    """The decision history, newest first."""
    referral = queries.get_visible_referral(actor_from_request(request), rid)
    return referral.decisions.select_related("service")


@router.post("/referrals/{rid}/decisions", response={201: DecisionOut, **ERRORS})
def decide(request: HttpRequest, rid: UUID, payload: DecisionIn) -> Any:
    actor = actor_from_request(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=False)
    decision = services.decide(
        actor=actor,
        referral=referral,
        expected_version=payload.version,
        outcome=payload.outcome,
        reason=payload.reason,
        service=_service(actor, payload.service),
        priority=payload.priority,
        redirect_to=payload.redirect_to,
        missing_items=payload.missing_items,
    )
    return Status(201, decision)


@router.get("/waiting-list", response={200: Page[WaitingEntryOut], **ERRORS})
def read_waiting_list(request: HttpRequest, query: Query[WaitingQuery]) -> Any:
    """People waiting, sorted by ``priority`` (default), ``waiting``, ``expected`` or ``name``."""
    actor = actor_from_request(request)
    service = _service(actor, query.service) if actor.principal.is_staff_member else None
    entries = queries.waiting_list(
        actor.principal,
        service_id=service.pk if service else None,
        priority=query.priority or "",
        breached=query.breached,
        sort=query.sort or "priority",
    )
    page = _page(entries, query.limit, query.offset)
    audit.log(actor, AuditAction.LIST, detail=f"API waiting list ({page['count']})")
    return page


@router.post("/waiting-list/{wid}/remove", response={200: WaitingEntryOut, **ERRORS})
def remove_from_waiting_list(request: HttpRequest, wid: UUID, payload: RemoveIn) -> Any:
    actor = actor_from_request(request)
    entry = queries.get_visible_entry(actor, wid)
    return services.remove_from_waiting_list(actor=actor, entry=entry, reason=payload.reason)


@router.get("/referrals/{rid}/attachments", response={200: list[AttachmentOut], **ERRORS})
def list_attachments(request: HttpRequest, rid: UUID) -> Any:
    referral = queries.get_visible_referral(actor_from_request(request), rid)
    return referral.attachments.defer("content")


@router.post("/referrals/{rid}/attachments", response={201: AttachmentOut, **ERRORS})
def upload_attachment(request: HttpRequest, rid: UUID, file: File[UploadedFile]) -> Any:
    """Attach a PDF, PNG or JPEG of at most 10 MB (multipart form field ``file``)."""
    actor = actor_from_request(request)
    referral = queries.get_visible_referral(actor, rid, audit_read=False)
    # Read one byte past the limit: enough to refuse a huge file without holding it all.
    upload = services.Upload(
        name=file.name or "attachment",
        content_type=file.content_type or "",
        content=file.read(services.MAX_ATTACHMENT_BYTES + 1),
    )
    return Status(201, services.add_attachment(actor=actor, referral=referral, upload=upload))


@router.get("/referral-attachments/{aid}/content", response=ERRORS)
def download_attachment(request: HttpRequest, aid: UUID) -> Any:
    """The attachment's bytes, with its content type."""
    actor = actor_from_request(request)
    attachment = Attachment.objects.select_related("referral").filter(external_id=aid).first()
    if attachment is None:
        raise NotFound("No attachment with this id.")
    referral = queries.get_visible_referral(
        actor, attachment.referral.external_id, audit_read=False
    )
    queries.audit_referral(
        actor, AuditAction.READ, referral, target=attachment, detail="attachment downloaded"
    )
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = "attachment"
    return response
