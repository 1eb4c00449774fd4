from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "stagebrug.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.registry import dashboard, selectors, services

        accounts.personal_data.register(selectors.personal_data)
        accounts.erasing.register(services.personal_data_erase)
        accounts.membership_links.register(dashboard.membership_links)
