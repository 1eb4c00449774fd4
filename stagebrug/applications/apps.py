from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "stagebrug.applications"
    label = "applications"
    verbose_name = _("Students and applications")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.applications import dashboard, selectors, services
        from stagebrug.applications.tasks import daily_reminders
        from stagebrug.core.hooks import page_context, recurring_jobs
        from stagebrug.placements.hooks import placement_ended

        page_context.register(selectors.header_context)
        recurring_jobs.register(daily_reminders)
        placement_ended.register(services.close_open_applications)
        accounts.personal_data.register(selectors.personal_data)
        accounts.erasing.register(services.personal_data_erase)
        accounts.membership_links.register(dashboard.membership_links)
