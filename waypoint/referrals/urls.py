"""Pages of the referrals app (included at the site root by waypoint/urls.py)."""

from django.urls import URLPattern, path

from . import views

urlpatterns: list[URLPattern] = [
    path("referrals/", views.referral_list, name="referral-list"),
    path("referrals/new/", views.referral_create, name="referral-create"),
    path("referrals/<uuid:rid>/", views.referral_detail, name="referral-detail"),
    path("referrals/<uuid:rid>/edit/", views.referral_edit, name="referral-edit"),
    path("referrals/<uuid:rid>/decide/", views.referral_decide, name="referral-decide"),
    path("referrals/<uuid:rid>/rescreen/", views.referral_rescreen, name="referral-rescreen"),
    path("referrals/<uuid:rid>/letters/", views.letter_create, name="letter-create"),
    path("referral-attachments/<uuid:aid>/", views.attachment_download, name="attachment-download"),
    path("letters/<uuid:lid>/", views.letter_detail, name="letter-detail"),
    path("letters/<uuid:lid>/pdf/", views.letter_pdf, name="letter-pdf"),
    path("waiting-list/", views.waiting_list, name="waiting-list"),
    path("waiting-list/<uuid:wid>/", views.waiting_entry, name="waiting-entry"),
]
