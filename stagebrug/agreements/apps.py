from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """The three-party agreement (C6), on the floor above internships."""

    name = "stagebrug.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.agreements import dashboard, selectors, services, tasks
        from stagebrug.core.hooks import recurring_jobs
        from stagebrug.internships import hooks as internships

        internships.internships_confirmed.register(services.agreements_draft)
        internships.start_blockers.register(services.start_blockers)
        internships.internship_closed.register(services.agreement_end)
        internships.page_links.register(dashboard.internship_links)
        accounts.personal_data.register(selectors.personal_data)
        accounts.erasing.register(services.personal_data_erase)
        accounts.membership_links.register(dashboard.membership_links)
        recurring_jobs.register(tasks.agreement_checks)
