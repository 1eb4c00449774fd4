from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Matching rounds (the Django side). The engine in `matching/engine/` has no Django."""

    name = "stagebrug.matching"
    label = "matching"
    verbose_name = _("Matching rounds")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.matching import dashboard, selectors

        accounts.personal_data.register(selectors.personal_data)
        accounts.membership_links.register(dashboard.membership_links)
