from django.urls import path

from stagebrug.supervision import views
from stagebrug.supervision.contacts import urls as contacts
from stagebrug.supervision.evaluations import urls as evaluations
from stagebrug.supervision.logbook import urls as logbook
from stagebrug.supervision.progress import urls as progress
from stagebrug.supervision.reports import urls as reports

app_name = "supervision"

urlpatterns = [
    path("begeleiding/vandaag/", views.today, name="today"),
    path("stagiairs/<int:pk>/aanwezigheid/", views.attendance_page, name="attendance"),
    path("stagiairs/<int:pk>/aanwezigheid/markeren/", views.attendance_mark, name="mark"),
    path("stagiairs/<int:pk>/aanwezigheid/gebeld/", views.attendance_called, name="called"),
    path("stagiairs/<int:pk>/aanwezigheid/melden/", views.absence_report, name="absence"),
    path("stagiairs/<int:pk>/aanwezigheid/vrij/", views.leave_add, name="leave"),
    path("stagiairs/<int:pk>/aanwezigheid/week/", views.week_signoff, name="signoff"),
    path("stagiairs/<int:pk>/aanwezigheid/uren.csv", views.hours_export, name="hours_export"),
    path("bedrijven/<int:company_id>/uren.csv", views.company_hours_export, name="company_hours"),
    path(
        "scholen/<slug:slug>/begeleiding/instellingen/",
        views.school_settings,
        name="school_settings",
    ),
    *contacts.urlpatterns,
    *logbook.urlpatterns,
    *progress.urlpatterns,
    *evaluations.urlpatterns,
    *reports.urlpatterns,
]
