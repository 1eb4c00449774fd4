from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "stagebrug.internships"
    label = "internships"
    verbose_name = _("Internships")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.internships import dashboard, selectors

        accounts.personal_data.register(selectors.personal_data)
        accounts.dashboard_cards.register(dashboard.dashboard_cards)
