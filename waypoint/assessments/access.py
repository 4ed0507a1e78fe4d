"""Who may answer, enter, read and act on questionnaires: the assessments' access rules.

Plain Python, no Django imports; built on ``core.access`` (issue #4):

* a patient answers only their own questionnaires, as ``self``;
* a guardian answers for a linked child while proxy access holds, always marked
  ``parent-proxy`` (the answers are the parent's view, not the child's);
* staff who may change a patient's record enter paper questionnaires on their behalf
  (marked as on paper) and read every response; portal users read only what they may see;
* a safety alert is acknowledged by a clinician, nurse or the clinic lead who can see the
  patient: coordinators and administrators see alerts but cannot close them, because
  acknowledging states a clinical action.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from waypoint.assessments.definitions import Instrument
from waypoint.core.access import PatientFacts, Principal, Role, can_edit_patient, can_view_patient

CLINICAL_ROLES = frozenset({Role.CLINICIAN, Role.NURSE, Role.CLINIC_LEAD})


def can_answer_in_portal(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """A patient for themselves, a guardian for a child they hold proxy access to."""
    if principal.role not in (Role.PATIENT, Role.GUARDIAN):
        return False
    return can_view_patient(principal, patient, today)


def portal_respondent(principal: Principal) -> str:
    """How a portal user's answers are marked: a guardian's are always proxy answers."""
    return "parent-proxy" if principal.role == Role.GUARDIAN else "self"


def can_enter_on_paper(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """Staff who may change the record may type in a paper questionnaire."""
    return can_edit_patient(principal, patient, today)


def can_submit_response(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """Anyone who may answer in the portal or enter on paper for this patient."""
    return can_answer_in_portal(principal, patient, today) or can_enter_on_paper(
        principal, patient, today
    )


def can_read_responses(principal: Principal, patient: PatientFacts, today: date) -> bool:
    return can_view_patient(principal, patient, today)


def can_acknowledge_alert(principal: Principal, patient: PatientFacts, today: date) -> bool:
    """Clinical staff who can see the patient close an alert by saying what they did."""
    return principal.role in CLINICAL_ROLES and can_view_patient(principal, patient, today)


def licensed_for(instrument: Instrument, enabled: Collection[str]) -> bool:
    """Whether an instrument may be offered electronically: its licence allows free use,
    or the clinic has permission and enabled it (issue #4: licence shown with each)."""
    return not instrument.licence.requires_permission or instrument.code in enabled
