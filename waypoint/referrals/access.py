"""Who may see and act on referrals. Plain Python, no Django imports.

Follows ``waypoint.core.access`` (DESIGN.md, "Security"; issue #3):

* a referral belongs to the service it asks for; staff see the referrals of the services
  they work in, the clinic lead sees every referral of the clinic, nobody sees another
  clinic's;
* patients and guardians never see referrals (they are the clinic's working papers);
* staff who see a referral may receive new ones for that service, correct them, manage
  its waiting list and write its letters;
* only a clinician working in the service (or the clinic lead) makes triage decisions:
  rules inform, a person with clinical training decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.core.access import Principal, Role

DECIDING_ROLES = frozenset({Role.CLINICIAN, Role.CLINIC_LEAD})


@dataclass(frozen=True)
class ReferralFacts:
    """What the rules need to know of a referral (or a waiting-list entry)."""

    clinic_id: int
    service_id: int


def works_in(principal: Principal, clinic_id: int, service_id: int) -> bool:
    """Staff of this clinic who work in this service; the clinic lead works in all."""
    if not principal.is_staff_member or principal.clinic_id != clinic_id:
        return False
    return principal.role == Role.CLINIC_LEAD or service_id in principal.service_ids


def can_view_referral(principal: Principal, referral: ReferralFacts) -> bool:
    return works_in(principal, referral.clinic_id, referral.service_id)


def can_receive_referral(principal: Principal, clinic_id: int, service_id: int) -> bool:
    """Register a new referral asking for ``service_id``."""
    return works_in(principal, clinic_id, service_id)


def can_edit_referral(principal: Principal, referral: ReferralFacts) -> bool:
    return can_view_referral(principal, referral)


def can_decide_referral(principal: Principal, referral: ReferralFacts) -> bool:
    """Triage decisions are a clinician's (of the service) or the clinic lead's."""
    return principal.role in DECIDING_ROLES and can_view_referral(principal, referral)


def can_manage_waiting_list(principal: Principal, entry: ReferralFacts) -> bool:
    """Change expected start or remove someone (with a reason)."""
    return can_view_referral(principal, entry)


def can_see_referrals_at_all(principal: Principal) -> bool:
    """Whether the Referrals pages exist for this person (the nav item, the home panel)."""
    return principal.is_staff_member and (
        principal.role == Role.CLINIC_LEAD or bool(principal.service_ids)
    )
