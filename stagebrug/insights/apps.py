from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Regional insight (C10): figures of the region's internship market, computed from what
    every app below records. The top floor of the product: it reads everything and nothing
    reads it."""

    name = "stagebrug.insights"
    label = "insights"
    verbose_name = _("Regional insight")

    def ready(self) -> None:
        from stagebrug.insights import wiring

        wiring.register()
