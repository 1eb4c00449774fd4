from django.urls import path

from stagebrug.supervision.logbook import views

urlpatterns = [
    path("stagiairs/<int:pk>/logboek/", views.logbook, name="logbook"),
    path(
        "stagiairs/<int:pk>/logboek/<slug:kind>/",
        views.logbook_write,
        name="logbook_write",
    ),
]
