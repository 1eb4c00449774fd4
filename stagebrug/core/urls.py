from django.urls import path

from stagebrug.core import health, views

app_name = "core"

urlpatterns = [
    path("over-de-gegevens/", views.about_data, name="about_data"),
    path("privacy/", views.privacy, name="privacy"),
    # Answered by health.HealthCheckMiddleware first; listed here so they can be reversed.
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    path("readyz", health.readyz, name="readyz"),
]
