"""Every TextChoices of the referrals app, in one place."""

from django.db import models


class Source(models.TextChoices):
    """Who sent the referral (codes shared with ``triage.REFERRAL_SOURCES``)."""

    GP = "gp", "GP"
    HOSPITAL_SPECIALIST = "hospital-specialist", "Hospital specialist"
    INTERNAL_TEAM = "internal-team", "Another internal team"
    SELF = "self", "Self-referral"


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", "Awaiting triage"
    INFORMATION_REQUESTED = "information-requested", "More information requested"
    URGENT_REVIEW = "urgent-review", "Urgent medical review"
    ACCEPTED = "accepted", "Accepted"
    REDIRECTED = "redirected", "Redirected"
    DECLINED = "declined", "Declined"


class Outcome(models.TextChoices):
    """What a triage clinician decides (``Decision.outcome``)."""

    ACCEPT = "accept", "Accept into a service"
    REQUEST_INFORMATION = "request-information", "Request more information"
    REDIRECT = "redirect", "Redirect to another service"
    DECLINE = "decline", "Decline"
    URGENT_REVIEW = "urgent-review", "Urgent medical review"


class Priority(models.TextChoices):
    URGENT = "urgent", "Urgent"
    SOON = "soon", "Soon"
    ROUTINE = "routine", "Routine"


class FlagAnswer(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    UNKNOWN = "unknown", "Unknown"


class DuplicateChoice(models.TextChoices):
    """How the coordinator resolved a "possible duplicate" warning."""

    NONE = "", "No possible duplicate"
    SAME = "same", "Same person as the existing record"
    DIFFERENT = "different", "A different person: register a new patient"


class EntryStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    REMOVED = "removed", "Removed"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    REQUEST_INFORMATION = "request-information", "Request for information"
    ACCEPTANCE = "acceptance", "Acceptance"
    DECLINE = "decline", "Decline"
    REDIRECT = "redirect", "Redirect"


OPEN_STATUSES = (
    ReferralStatus.RECEIVED,
    ReferralStatus.INFORMATION_REQUESTED,
    ReferralStatus.URGENT_REVIEW,
)
STATUS_AFTER = {
    Outcome.ACCEPT: ReferralStatus.ACCEPTED,
    Outcome.REQUEST_INFORMATION: ReferralStatus.INFORMATION_REQUESTED,
    Outcome.REDIRECT: ReferralStatus.REDIRECTED,
    Outcome.DECLINE: ReferralStatus.DECLINED,
    Outcome.URGENT_REVIEW: ReferralStatus.URGENT_REVIEW,
}
LETTER_FOR = {
    Outcome.ACCEPT: LetterKind.ACCEPTANCE,
    Outcome.REQUEST_INFORMATION: LetterKind.REQUEST_INFORMATION,
    Outcome.REDIRECT: LetterKind.REDIRECT,
    Outcome.DECLINE: LetterKind.DECLINE,
}
PRIORITY_RANK = {Priority.URGENT: 0, Priority.SOON: 1, Priority.ROUTINE: 2}
