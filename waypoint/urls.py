from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from waypoint.api import api
from waypoint.core import views as core_views
from waypoint.core.forms import LoginForm
from waypoint.patients import views as patient_views
from waypoint.portal import views as portal_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz/", core_views.healthz, name="healthz"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/second-factor/setup/", core_views.second_factor_setup, name="second-factor-setup"
    ),
    path(
        "account/second-factor/verify/",
        core_views.second_factor_verify,
        name="second-factor-verify",
    ),
    path("patients/", patient_views.patient_search, name="patient-search"),
    path("patients/new/", patient_views.patient_create, name="patient-create"),
    path("patients/<uuid:pid>/", patient_views.patient_chart, name="patient-chart"),
    path("patients/<uuid:pid>/edit/", patient_views.patient_edit, name="patient-edit"),
    path("patients/<uuid:pid>/status/", patient_views.patient_status, name="patient-status"),
    path("patients/<uuid:pid>/history/", patient_views.patient_history, name="patient-history"),
    path("patients/<uuid:pid>/episodes/new/", patient_views.episode_create, name="episode-create"),
    path("patients/<uuid:pid>/guardians/new/", patient_views.guardian_add, name="guardian-add"),
    path("episodes/<uuid:eid>/edit/", patient_views.episode_edit, name="episode-edit"),
    path("episodes/<uuid:eid>/care-team/add/", patient_views.care_team_add, name="care-team-add"),
    path("care-team/<uuid:mid>/end/", patient_views.care_team_end, name="care-team-end"),
    path("guardian-links/<uuid:lid>/end/", patient_views.guardian_end, name="guardian-end"),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("tokens/", core_views.api_tokens, name="api-tokens"),
    path("tokens/<uuid:tid>/revoke/", core_views.api_token_revoke, name="api-token-revoke"),
    path("portal/", portal_views.portal_home, name="portal-home"),
    path("portal/patients/<uuid:pid>/", portal_views.portal_patient, name="portal-patient"),
    path("", include("waypoint.referrals.urls")),
    path("", include("waypoint.assessments.urls")),
    path("", include("waypoint.medications.urls")),
    path("", include("waypoint.careplans.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
