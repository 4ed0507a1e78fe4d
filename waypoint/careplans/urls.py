"""Pages of the careplans app (included at the site root by waypoint/urls.py)."""

from django.urls import path

from . import meeting_views, views

urlpatterns = [
    path("patients/<uuid:pid>/plan/", views.plan_page, name="plan"),
    path("patients/<uuid:pid>/plan/new/", views.plan_create, name="plan-create"),
    path("patients/<uuid:pid>/plan/history/", views.plan_history, name="plan-history"),
    path("patients/<uuid:pid>/plan/edit/", views.plan_edit, name="plan-edit"),
    path("patients/<uuid:pid>/plan/problems/add/", views.problem_add, name="problem-add"),
    path("patients/<uuid:pid>/plan/goals/add/", views.goal_add, name="goal-add"),
    path(
        "patients/<uuid:pid>/plan/interventions/add/",
        views.intervention_add,
        name="intervention-add",
    ),
    path("patients/<uuid:pid>/plan/reviews/add/", views.review_add, name="review-add"),
    path("patients/<uuid:pid>/plan/letters/new/", views.letter_add, name="plan-letter-add"),
    path("patients/<uuid:pid>/plan/letters/<uuid:lid>/", views.letter_page, name="plan-letter"),
    path(
        "patients/<uuid:pid>/plan/letters/<uuid:lid>/pdf/", views.letter_pdf, name="plan-letter-pdf"
    ),
    path("patients/<uuid:pid>/notes/", views.notes, name="notes"),
    path("patients/<uuid:pid>/notes/add/", views.note_add, name="note-add"),
    path("patients/<uuid:pid>/notes/<uuid:nid>/edit/", views.note_edit, name="note-edit"),
    path("patients/<uuid:pid>/notes/<uuid:nid>/addendum/", views.addendum_add, name="addendum-add"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings/<uuid:mid>/", meeting_views.meeting_page, name="meeting"),
    path(
        "meetings/<uuid:mid>/items/<int:item_id>/",
        meeting_views.meeting_discuss,
        name="meeting-discuss",
    ),
    path(
        "meetings/<uuid:mid>/attendance/",
        meeting_views.meeting_attendance,
        name="meeting-attendance",
    ),
    path("meetings/<uuid:mid>/close/", meeting_views.meeting_close, name="meeting-close"),
]
