from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision during the internship (C7), on the floor above agreements: it reads the
    signed agreement's schedule and goals."""

    name = "stagebrug.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from stagebrug.supervision import wiring
        from stagebrug.supervision.contacts import wiring as contacts
        from stagebrug.supervision.progress import wiring as progress
        from stagebrug.supervision.reports import wiring as reports

        wiring.register()
        contacts.register()
        progress.register()
        reports.register()
