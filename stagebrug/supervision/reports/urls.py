"""Included by `stagebrug.supervision.urls` (namespace "supervision")."""

from django.urls import path

from stagebrug.supervision.reports import views

urlpatterns: list = [
    path("stagiairs/<int:pk>/melding/", views.report_new, name="report_new"),
    path("vertrouwelijke-meldingen/<int:pk>/", views.report_detail, name="report_detail"),
    path(
        "scholen/<slug:slug>/vertrouwelijke-meldingen/", views.reports_school, name="reports_school"
    ),
]
