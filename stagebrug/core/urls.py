from django.urls import path

from stagebrug.core import views

app_name = "core"

urlpatterns = [
    path("over-de-gegevens/", views.about_data, name="about_data"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
]
