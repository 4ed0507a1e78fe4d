"""What every change to a referral shares: who may make it, against which version, by whom.

Used by the operations in ``intake``, ``decisions``, ``waiting_list`` and
``letter_writing``; nothing here opens a transaction of its own except ``versioned``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from waypoint.core import audit
from waypoint.core.access import Principal
from waypoint.core.audit import Actor
from waypoint.core.choices import AuditAction
from waypoint.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from waypoint.core.models import Service

from .access import ReferralFacts, can_receive_referral, can_view_referral
from .models import Referral
from .queries import audit_referral, referral_facts


def user_of(actor: Actor) -> Any:
    """The signed-in user behind ``actor``, or None (system and anonymous actors)."""
    return actor.authenticated_user


def save(instance: models.Model, actor: Actor, **kwargs: Any) -> None:
    """Save with ``actor``'s user recorded in the history row."""
    audit.mark_history_user(instance, actor)
    instance.save(**kwargs)


def validate(instance: models.Model, exclude: Sequence[str] = ()) -> None:
    """The model's own checks, as ``InvalidInput`` naming the fields."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput(exc.message_dict) from exc


def require(
    actor: Actor, referral: Referral, rule: Callable[[Principal, ReferralFacts], bool]
) -> None:
    """Refuse unless ``rule`` allows: 403 to those who may see the referral, else 404."""
    facts = referral_facts(referral)
    if rule(actor.principal, facts):
        return
    if can_view_referral(actor.principal, facts):
        raise Forbidden("You may view this referral but not do this.")
    raise NotFound("No referral with this id.")


def service_for(actor: Actor, service: Service | None, field: str = "service") -> Service:
    """A service of the actor's clinic that they work in and that takes referrals."""
    if service is None or service.clinic_id != actor.principal.clinic_id:
        raise InvalidInput({field: ["No such service in your clinic."]})
    if not can_receive_referral(actor.principal, service.clinic_id, service.pk):
        raise InvalidInput({field: ["You do not work in this service."]})
    if not service.active:
        raise InvalidInput({field: ["This service is closed to new referrals."]})
    return service


@contextmanager
def versioned(actor: Actor, referral: Referral, expected: int) -> Iterator[None]:
    """Claim ``expected`` → ``expected + 1`` with a conditional UPDATE, or refuse (409)."""
    try:
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk, version=expected).update(
                version=expected + 1
            )
            if not claimed:
                raise Conflict(
                    "This referral was changed by someone else after you opened it. Nothing "
                    "was saved: reload to see the current version, then try again."
                )
            referral.version = expected + 1
            yield
    except Conflict:
        audit_referral(actor, AuditAction.CONFLICT, referral, detail=f"stale version {expected}")
        raise
