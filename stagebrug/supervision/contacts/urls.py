"""Included by `stagebrug.supervision.urls` (namespace "supervision")."""

from django.urls import path

from stagebrug.supervision.contacts import views

urlpatterns: list = [
    path("stagiairs/<int:pk>/contactmomenten/", views.contacts, name="contacts"),
    path("stagiairs/<int:pk>/contactmomenten/nieuw/", views.contact_add, name="contact_add"),
    path(
        "stagiairs/<int:pk>/contactmomenten/<int:moment_pk>/verzetten/",
        views.contact_reschedule,
        name="contact_reschedule",
    ),
    path(
        "stagiairs/<int:pk>/contactmomenten/<int:moment_pk>/verslag/",
        views.contact_record,
        name="contact_record",
    ),
    path(
        "stagiairs/<int:pk>/contactmomenten/<int:moment_pk>/afzeggen/",
        views.contact_cancel,
        name="contact_cancel",
    ),
    path(
        "stagiairs/<int:pk>/contactmomenten/<int:moment_pk>/agenda.ics",
        views.contact_ics,
        name="contact_ics",
    ),
    path(
        "scholen/<slug:slug>/contactmomenten/",
        views.contacts_compliance,
        name="contacts_compliance",
    ),
]
