"""Pages of the assessments app (included at the site root by waypoint/urls.py)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
