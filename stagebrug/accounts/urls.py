from django.contrib.auth import views as auth_views
from django.urls import path

from stagebrug.accounts import operator_views, second_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", views.dashboard, name="dashboard"),
    path("tweestaps/", second_factor_views.verify, name="second_factor_verify"),
    path("tweestaps/instellen/", second_factor_views.setup, name="second_factor_setup"),
    path("tweestaps/herstelcodes/", second_factor_views.recovery_codes, name="second_factor_codes"),
    path("tweestaps/beheren/", second_factor_views.manage, name="second_factor"),
    path("uitnodiging/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/intrekken/", views.api_token_revoke, name="api_token_revoke"),
    path("mijn-gegevens/", views.my_data, name="my_data"),
    path("mijn-gegevens/verwijderen/", views.erase_account, name="erase"),
    path("beheer/logboek/", operator_views.audit_log, name="audit_log"),
    path("beheer/logboek.csv", operator_views.audit_log_csv, name="audit_log_csv"),
    path("beheer/taken/", operator_views.queue, name="queue"),
]
