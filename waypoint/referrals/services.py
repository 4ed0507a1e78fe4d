"""Operations that change referrals, decisions, the waiting list, letters and rules.

Each takes keyword-only arguments, runs in one transaction, checks access and writes
the audit log. Validation errors name the field (``InvalidInput``): nothing is
half-saved. A change based on a stale ``version`` is refused (``Conflict``).

The operations live in ``intake`` (receiving and correcting referrals, attachments),
``matching`` (which patient a referral is about), ``screening``, ``rule_sets``,
``decisions``, ``waiting_list`` and ``letter_writing``; this module names them in one
place for the views, the API, the admin and the demo.
"""

from __future__ import annotations

from .decisions import NEEDS_REASON, decide
from .intake import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENTS,
    REFERRAL_FIELDS,
    Upload,
    add_attachment,
    check_upload,
    create_referral,
    rescreen,
    self_referral_allowed,
    update_referral,
)
from .letter_writing import check_letter_template, letter_context, letter_template, write_letter
from .matching import PossibleDuplicate, match_patient, possible_duplicates
from .rule_sets import current_rule_set, rules_of, save_rule_set
from .screening import FACT_FIELDS, facts_of, screening_as_data
from .waiting_list import remove_from_waiting_list, set_expected_start

__all__ = [
    "ATTACHMENT_TYPES",
    "FACT_FIELDS",
    "MAX_ATTACHMENTS",
    "MAX_ATTACHMENT_BYTES",
    "NEEDS_REASON",
    "REFERRAL_FIELDS",
    "PossibleDuplicate",
    "Upload",
    "add_attachment",
    "check_letter_template",
    "check_upload",
    "create_referral",
    "current_rule_set",
    "decide",
    "facts_of",
    "letter_context",
    "letter_template",
    "match_patient",
    "possible_duplicates",
    "remove_from_waiting_list",
    "rescreen",
    "rules_of",
    "save_rule_set",
    "screening_as_data",
    "self_referral_allowed",
    "set_expected_start",
    "update_referral",
    "write_letter",
]
