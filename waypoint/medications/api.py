"""/api/v1 routes of the medications app."""

from ninja import Router

router = Router(tags=["medications"])
