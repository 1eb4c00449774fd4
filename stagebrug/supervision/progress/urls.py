from django.urls import path

from stagebrug.supervision.progress import views

urlpatterns = [
    path("begeleiding/mijn-stagiairs/", views.caseload, name="caseload"),
    path("scholen/<slug:slug>/begeleiding/", views.school_overview, name="school_overview"),
]
