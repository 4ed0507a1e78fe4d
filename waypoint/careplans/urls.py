"""Pages of the careplans app (included at the site root by waypoint/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("patients/<uuid:pid>/plan/", views.plan_page, name="plan"),
    path("patients/<uuid:pid>/plan/new/", views.plan_create, name="plan-create"),
    path("patients/<uuid:pid>/plan/edit/", views.plan_edit, name="plan-edit"),
    path("patients/<uuid:pid>/plan/problems/add/", views.problem_add, name="problem-add"),
    path("patients/<uuid:pid>/plan/goals/add/", views.goal_add, name="goal-add"),
    path(
        "patients/<uuid:pid>/plan/interventions/add/",
        views.intervention_add,
        name="intervention-add",
    ),
    path("patients/<uuid:pid>/plan/reviews/add/", views.review_add, name="review-add"),
    path("patients/<uuid:pid>/notes/", views.notes, name="notes"),
    path("patients/<uuid:pid>/notes/add/", views.note_add, name="note-add"),
    path("patients/<uuid:pid>/notes/<uuid:nid>/edit/", views.note_edit, name="note-edit"),
    path("patients/<uuid:pid>/notes/<uuid:nid>/addendum/", views.addendum_add, name="addendum-add"),
]
