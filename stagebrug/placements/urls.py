from django.urls import path, re_path

from stagebrug.placements import views

app_name = "placements"

urlpatterns = [
    # Public
    path("stages/", views.search_page, name="search"),
    path("stages/<int:pk>/", views.public_page, name="public"),
    path("stages/feeds/", views.feeds_index, name="feeds"),
    path(
        "stages/feeds/opleiding/<int:programme_id>/", views.ProgrammeFeed(), name="feed_programme"
    ),
    path("stages/feeds/sector/<str:code>/", views.SectorFeed(), name="feed_sector"),
    path("stages/feeds/gemeente/<str:code>/", views.MunicipalityFeed(), name="feed_municipality"),
    # Business
    path("bedrijven/<int:company_id>/stages/", views.company_placements, name="company_list"),
    path("bedrijven/<int:company_id>/stages/nieuw/", views.placement_create, name="create"),
    path("bedrijven/<int:company_id>/stages/advies/", views.placement_advice, name="advice"),
    path("bedrijven/<int:company_id>/stages/export.csv", views.company_export, name="export"),
    path("stageplaatsen/<int:pk>/", views.placement_manage, name="manage"),
    path("stageplaatsen/<int:pk>/bewerken/", views.placement_edit, name="edit"),
    re_path(
        r"^stageplaatsen/(?P<pk>\d+)/(?P<action>indienen|intrekken|vervuld|sluiten)/$",
        views.placement_action,
        name="action",
    ),
    # School
    path("scholen/<slug:slug>/stages/", views.review_list, name="review_list"),
    path("scholen/<slug:slug>/stages/<int:target_id>/", views.review_detail, name="review_detail"),
]
