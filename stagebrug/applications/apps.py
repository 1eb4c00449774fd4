from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "stagebrug.applications"
    label = "applications"
    verbose_name = _("Students and applications")

    def ready(self) -> None:
        from stagebrug.applications import selectors, services
        from stagebrug.core.hooks import page_context
        from stagebrug.placements.hooks import placement_ended

        page_context.register(selectors.header_context)
        placement_ended.register(services.close_open_applications)
