"""Which patient a referral is about: an MRN that agrees, or a possible duplicate to settle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from waypoint.core.errors import InvalidInput
from waypoint.patients.models import Patient, search_key

from .choices import DuplicateChoice
from .models import Referral


class PossibleDuplicate(InvalidInput):
    """Name and date of birth match existing patients: the coordinator must choose."""

    def __init__(self, candidates: Sequence[Patient]) -> None:
        shown = "; ".join(
            f"{p.given_name} {p.family_name}, born {p.birth_date:%d %b %Y}, MRN {p.mrn}"
            for p in candidates
        )
        super().__init__(
            {
                "duplicate_choice": [
                    f"Possible duplicate of an existing patient: {shown}. Say whether this "
                    "is the same person or a different one."
                ]
            }
        )
        self.candidates = list(candidates)


def possible_duplicates(
    clinic_id: int, given_name: str, family_name: str, birth_date: date | None
) -> list[Patient]:
    """Patients of the clinic with this date of birth and a name that looks the same.

    Same family name (accents and case aside) and a given name where one starts with
    the other ("Jo" / "Joanne"), or the two names swapped.
    """
    if not birth_date or not family_name or not given_name:
        return []
    family, given = search_key(family_name), search_key(given_name)
    found = []
    for patient in Patient.objects.filter(clinic_id=clinic_id, birth_date=birth_date):
        p_family, p_given = search_key(patient.family_name), search_key(patient.given_name)
        same = p_family == family and (p_given.startswith(given) or given.startswith(p_given))
        swapped = p_family == given and p_given == family
        if same or swapped:
            found.append(patient)
    return found


def match_patient(
    referral: Referral, *, duplicate_choice: str, duplicate_of: Any = None
) -> Patient | None:
    """The existing patient this referral is about, None for a new one, or refuse.

    An MRN that exists is a match, if the name and date of birth agree with it; a name
    and date of birth that match someone else's record need the coordinator's word.
    """
    clinic_id = referral.clinic_id
    if referral.mrn:
        by_mrn = Patient.objects.filter(clinic_id=clinic_id, mrn__iexact=referral.mrn).first()
        if by_mrn is not None:
            if by_mrn.birth_date != referral.birth_date or search_key(
                by_mrn.family_name
            ) != search_key(referral.family_name):
                raise InvalidInput(
                    {
                        "mrn": [
                            f"MRN {by_mrn.mrn} belongs to a patient with a different name or "
                            "date of birth. Check the MRN, or leave it blank."
                        ]
                    }
                )
            return by_mrn
    candidates = possible_duplicates(
        clinic_id, referral.given_name, referral.family_name, referral.birth_date
    )
    if not candidates:
        return None
    referral.duplicate_choice = duplicate_choice
    if duplicate_choice == DuplicateChoice.DIFFERENT:
        return None
    if duplicate_choice == DuplicateChoice.SAME:
        wanted = str(duplicate_of or "")
        chosen = [p for p in candidates if str(p.external_id) == wanted]
        if len(candidates) == 1 and not wanted:
            chosen = candidates
        if not chosen:
            raise InvalidInput(
                {"duplicate_of": ["Choose which existing patient this referral is about."]}
            )
        return chosen[0]
    raise PossibleDuplicate(candidates)
