"""Who may change a care plan. Plain Python, no Django imports.

Seeing a plan follows seeing the patient (core.access). Changing it is narrower: the
members of the episode's current care team, and the clinic lead (issue #5: "a
physiotherapist outside the care team cannot edit the plan"). A signed note is changed
by nobody; its author may edit it until signing.
"""

from __future__ import annotations

from waypoint.core.access import Principal, Role


def can_edit_plan(principal: Principal, care_team_user_ids: frozenset[int]) -> bool:
    if not principal.is_staff_member:
        return False
    return principal.role == Role.CLINIC_LEAD or principal.user_id in care_team_user_ids


def can_edit_note(principal: Principal, author_id: int, signed: bool) -> bool:
    return not signed and principal.user_id == author_id
