"""Pages of the assessments app (included at the site root by waypoint/urls.py)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path(
        "portal/patients/<uuid:pid>/questionnaires/",
        views.portal_questionnaires,
        name="portal-questionnaires",
    ),
    path(
        "portal/patients/<uuid:pid>/questionnaires/start/",
        views.portal_start,
        name="portal-questionnaire-start",
    ),
    path(
        "portal/questionnaires/<uuid:rid>/",
        views.portal_questionnaire,
        name="portal-questionnaire",
    ),
    path(
        "portal/questionnaires/<uuid:rid>/answer/",
        views.portal_answer,
        name="portal-questionnaire-answer",
    ),
    path(
        "portal/questionnaires/<uuid:rid>/review/",
        views.portal_review,
        name="portal-questionnaire-review",
    ),
    path(
        "portal/questionnaires/<uuid:rid>/done/",
        views.portal_done,
        name="portal-questionnaire-done",
    ),
    path(
        "patients/<uuid:pid>/questionnaires/paper/",
        views.paper_entry,
        name="questionnaire-paper",
    ),
    path(
        "patients/<uuid:pid>/performance-tests/new/",
        views.performance_test,
        name="performance-test",
    ),
    path("patients/<uuid:pid>/body-map/", views.body_map_staff, name="body-map"),
    path("portal/patients/<uuid:pid>/body-map/", views.body_map_portal, name="portal-body-map"),
    path("questionnaires/<uuid:rid>/", views.response_detail, name="questionnaire-detail"),
    path(
        "questionnaires/<uuid:rid>/entered-in-error/",
        views.response_withdraw,
        name="questionnaire-withdraw",
    ),
    path(
        "safety-alerts/<uuid:aid>/acknowledge/",
        views.alert_acknowledge,
        name="safety-alert-acknowledge",
    ),
]
