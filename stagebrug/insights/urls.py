from django.urls import path

from stagebrug.insights import views

app_name = "insights"

urlpatterns = [
    # The operator: the whole region.
    path("inzicht/", views.region, name="region"),
    path("inzicht/<slug:slug>/", views.region_chart, name="region_chart"),
    path("inzicht/<slug:slug>.csv", views.region_csv, name="region_csv"),
    # A school: its own figures (coordinators).
    path("scholen/<slug:slug>/inzicht/", views.school, name="school"),
    path("scholen/<slug:slug>/inzicht/<slug:chart>/", views.school_chart, name="school_chart"),
    path("scholen/<slug:slug>/inzicht/<slug:chart>.csv", views.school_csv, name="school_csv"),
    # Everyone: the chance of a place per programme.
    path("kans-op-stage/", views.chance, name="chance"),
    path("kans-op-stage.csv", views.chance_csv, name="chance_csv"),
]
