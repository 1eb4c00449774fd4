from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stagebrug.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from stagebrug.accounts import second_factor, sessions

        user_logged_in.connect(sessions.on_login, dispatch_uid="accounts.staff_session")
        user_logged_in.connect(second_factor.on_login, dispatch_uid="accounts.second_factor")
