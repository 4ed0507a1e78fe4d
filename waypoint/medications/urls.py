"""Pages of the medications app (included at the site root by waypoint/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("patients/<uuid:pid>/medicines/", views.medicines, name="medicines"),
    path("patients/<uuid:pid>/medicines/add/", views.medication_add, name="medication-add"),
    path(
        "patients/<uuid:pid>/medicines/<uuid:eid>/change/",
        views.medication_change,
        name="medication-change",
    ),
    path(
        "patients/<uuid:pid>/medicines/<uuid:eid>/stop/",
        views.medication_stop,
        name="medication-stop",
    ),
    path("patients/<uuid:pid>/medicines/reconcile/", views.reconcile, name="medication-reconcile"),
    path("patients/<uuid:pid>/medicines/checks/add/", views.check_add, name="monitoring-add"),
    path("patients/<uuid:pid>/medicines/agreement/add/", views.agreement_add, name="agreement-add"),
    path("patients/<uuid:pid>/medicines/risk/", views.risk_edit, name="risk-edit"),
    path(
        "patients/<uuid:pid>/medicines/acknowledge/",
        views.acknowledge,
        name="stewardship-acknowledge",
    ),
    path("patients/<uuid:pid>/medicines/taper/add/", views.taper_add, name="taper-add"),
    path(
        "patients/<uuid:pid>/medicines/taper/steps/<int:step_id>/",
        views.taper_step_edit,
        name="taper-step-edit",
    ),
    path("patients/<uuid:pid>/procedures/add/", views.procedure_add, name="procedure-add"),
    path(
        "patients/<uuid:pid>/procedures/<uuid:prid>/follow-up/",
        views.procedure_follow_up,
        name="procedure-follow-up",
    ),
]
