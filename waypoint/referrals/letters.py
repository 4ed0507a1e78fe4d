"""Letters to referrers: editable templates, filled from the referral, as HTML or PDF.

Templates use Django template syntax, rendered by a bare engine (no loaders, no
custom tags) over a context of plain strings, so a clinic's template can show only
the fields listed in ``LETTER_FIELDS`` and can reach no model or file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.template import Context, Engine, TemplateDoesNotExist, TemplateSyntaxError
from django.utils import timezone

from .choices import LetterKind

LETTER_FIELDS = {
    "today": "the date of the letter",
    "clinic": "the clinic's name",
    "service": "the service asked for (or accepted into)",
    "patient_name": "the patient's full name",
    "birth_date": "the patient's date of birth",
    "mrn": "the patient's MRN, when known",
    "referrer_name": "the referrer",
    "referrer_organisation": "the referrer's organisation",
    "referrer_contact": "the referrer's address or contact",
    "received_on": "the day the referral was received",
    "reason": "the reason given with the decision",
    "missing_items": "a list of what is missing (request for information)",
    "redirected_to": "where the referral was redirected",
    "priority": "the waiting-list priority (acceptance)",
    "target_wait_days": "the service's target wait in days",
}

_SIGN_OFF = "\n\nYours sincerely,\n\n{{ clinic }}"
_HEAD = "Re: {{ patient_name }}, born {{ birth_date }}{% if mrn %}, MRN {{ mrn }}{% endif %}\n\n"
_DEAR = "Dear {{ referrer_name }},\n\n"
DEFAULT_TEMPLATES: Mapping[str, tuple[str, str]] = {
    LetterKind.ACKNOWLEDGEMENT: (
        "Referral received: {{ patient_name }}",
        _HEAD
        + _DEAR
        + "Thank you for your referral to the {{ service }}, received on {{ received_on }}. "
        "A clinician will review it and we will write to you with the outcome." + _SIGN_OFF,
    ),
    LetterKind.REQUEST_INFORMATION: (
        "More information needed: {{ patient_name }}",
        _HEAD
        + _DEAR
        + "Thank you for your referral to the {{ service }}. Before we can decide on it we "
        "need the following:\n{% for item in missing_items %}\n- {{ item }}{% endfor %}\n\n"
        "{% if reason %}{{ reason }}\n\n{% endif %}"
        "The referral will wait until we hear from you." + _SIGN_OFF,
    ),
    LetterKind.ACCEPTANCE: (
        "Referral accepted: {{ patient_name }}",
        _HEAD + _DEAR + "We have accepted {{ patient_name }} into the {{ service }} "
        "(priority: {{ priority }}). Our target is to begin within {{ target_wait_days }} "
        "days of the referral; we will contact the patient directly." + _SIGN_OFF,
    ),
    LetterKind.DECLINE: (
        "Referral not accepted: {{ patient_name }}",
        _HEAD
        + _DEAR
        + "Thank you for your referral to the {{ service }}. We are unable to accept it, "
        "for this reason:\n\n{{ reason }}\n\nPlease contact us if you would like to discuss "
        "other options." + _SIGN_OFF,
    ),
    LetterKind.REDIRECT: (
        "Referral redirected: {{ patient_name }}",
        _HEAD
        + _DEAR
        + "Thank you for your referral to the {{ service }}. We have redirected it to "
        "{{ redirected_to }}, for this reason:\n\n{{ reason }}" + _SIGN_OFF,
    ),
}

_ENGINE = Engine(autoescape=False, libraries={}, builtins=["django.template.defaultfilters"])


_REFUSED_TAGS = re.compile(r"{%-?\s*(debug|include|extends|load|ssi)\b")


def check_template(text: str) -> None:
    """Raise ``TemplateSyntaxError`` if the text is not a template we can fill."""
    if found := _REFUSED_TAGS.search(text):
        raise TemplateSyntaxError(f"The {found.group(1)!r} tag cannot be used in letters.")
    _ENGINE.from_string(text)


def fill(text: str, context: Mapping[str, Any]) -> str:
    """Fill a letter template. Plain text out: the page and the PDF escape it."""
    try:
        check_template(text)
        return _ENGINE.from_string(text).render(Context(dict(context), autoescape=False)).strip()
    except (TemplateSyntaxError, TemplateDoesNotExist) as exc:
        # A clinic's edit gone wrong must not stop triage: the letter says what happened.
        return f"[This letter template has an error and could not be filled: {exc}]"


def default_date() -> str:
    return f"{timezone.localdate():%d %B %Y}"
