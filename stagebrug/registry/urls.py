from django.urls import path

from stagebrug.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    # Public directory
    path("opleidingen/", views.directory, name="directory"),
    path("scholen/<slug:slug>/", views.institution_detail, name="institution_detail"),
    path(
        "scholen/<slug:slug>/opleidingen/<slug:programme_slug>/",
        views.programme_detail,
        name="programme_detail",
    ),
    path("bedrijven/", views.company_list, name="company_list"),
    path("bedrijven/<int:company_id>/", views.company_detail, name="company_detail"),
    # Registration flow
    path("aanmelden/", views.register_start, name="register_start"),
    path("aanmelden/account/", views.register_account, name="register_account"),
    path("aanmelden/bedrijf/", views.register_company, name="register_company"),
    path(
        "aanmelden/<int:company_id>/begeleiders/",
        views.register_supervisors,
        name="register_supervisors",
    ),
    path(
        "aanmelden/<int:company_id>/erkenningen/",
        views.register_recognitions,
        name="register_recognitions",
    ),
    # Company management
    path("bedrijven/<int:company_id>/bewerken/", views.company_edit, name="company_edit"),
    path("bedrijven/<int:company_id>/team/", views.company_team, name="company_team"),
    path(
        "bedrijven/<int:company_id>/team/<int:membership_id>/verwijderen/",
        views.company_team_remove,
        name="company_team_remove",
    ),
    path(
        "uitnodigingen/<int:invitation_id>/intrekken/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "bedrijven/<int:company_id>/<slug:kind>/",
        views.company_children,
        name="company_children",
    ),
    path(
        "bedrijven/<int:company_id>/<slug:kind>/<int:obj_id>/bewerken/",
        views.company_child_edit,
        name="company_child_edit",
    ),
    path(
        "bedrijven/<int:company_id>/<slug:kind>/<int:obj_id>/verwijderen/",
        views.company_child_delete,
        name="company_child_delete",
    ),
    # School management
    path("scholen/<slug:slug>/beheer/", views.institution_manage, name="institution_manage"),
    path(
        "scholen/<slug:slug>/beheer/opleiding-toevoegen/",
        views.programme_create,
        name="programme_create",
    ),
    path(
        "scholen/<slug:slug>/opleidingen/<slug:programme_slug>/bewerken/",
        views.programme_edit,
        name="programme_edit",
    ),
    path(
        "scholen/<slug:slug>/opleidingen/<slug:programme_slug>/eisen/",
        views.requirements_edit,
        name="requirements_edit",
    ),
]
