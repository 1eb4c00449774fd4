from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "stagebrug.internships"
    label = "internships"
    verbose_name = _("Internships")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.applications import hooks as applications
        from stagebrug.internships import dashboard, selectors, services
        from stagebrug.matching import hooks as matching

        applications.confirm_placements.register(services.internship_confirm)
        applications.support_note_readers.register(selectors.support_note_readers)
        applications.placed_periods.register(selectors.placed_periods)
        matching.placed_students.register(selectors.placed_students)
        accounts.personal_data.register(selectors.personal_data)
        accounts.erasing.register(services.personal_data_erase)
        accounts.membership_links.register(dashboard.membership_links)
        accounts.dashboard_cards.register(dashboard.dashboard_cards)
