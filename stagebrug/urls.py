from django.contrib import admin
from django.urls import include, path

from stagebrug.api import api

admin.site.site_header = "Stagebrug beheer"
admin.site.site_title = "Stagebrug"

urlpatterns = [
    path("", include("stagebrug.core.urls")),
    path("", include("stagebrug.insights.urls")),
    path("", include("stagebrug.placements.urls")),
    path("", include("stagebrug.applications.recommendations.urls")),
    path("", include("stagebrug.matching.urls")),
    # Before the registry: its /bedrijven/<id>/<kind>/ would take /bedrijven/<id>/stagiairs/.
    path("", include("stagebrug.community.urls")),
    path("", include("stagebrug.supervision.urls")),
    path("", include("stagebrug.agreements.urls")),
    path("", include("stagebrug.internships.urls")),
    path("", include("stagebrug.registry.urls")),
    path("", include("stagebrug.applications.urls")),
    path("account/", include("stagebrug.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("beheer/", admin.site.urls),
]

handler500 = "stagebrug.core.views.server_error"
