from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "stagebrug.core"
    label = "core"
    verbose_name = "Stagebrug"

    def ready(self) -> None:
        from stagebrug.core.hooks import check_providers

        checks.register(check_providers)
