from django.urls import path

from stagebrug.supervision.evaluations import views

urlpatterns = [
    path(
        "stagiairs/<int:pk>/beoordeling/<slug:kind>/",
        views.evaluation_page,
        name="evaluation",
    ),
    path(
        "stagiairs/<int:pk>/beoordeling/<slug:kind>/<slug:part>/",
        views.evaluation_submit,
        name="evaluation_submit",
    ),
]
