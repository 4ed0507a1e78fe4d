"""/api/v1 routes of the assessments app."""

from ninja import Router

router = Router(tags=["assessments"])
