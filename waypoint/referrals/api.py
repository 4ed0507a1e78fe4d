"""/api/v1 routes of the referrals app."""

from ninja import Router

router = Router(tags=["referrals"])
