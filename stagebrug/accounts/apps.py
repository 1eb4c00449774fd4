from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stagebrug.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from stagebrug.accounts.sessions import on_login

        user_logged_in.connect(on_login, dispatch_uid="accounts.staff_session")
