from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "stagebrug.placements"
    label = "placements"
    verbose_name = _("Placements")

    def ready(self) -> None:
        from stagebrug.accounts import hooks as accounts
        from stagebrug.core.hooks import recurring_jobs
        from stagebrug.placements import dashboard, reach, search, services, tasks
        from stagebrug.registry.hooks import (
            company_changed,
            company_rules_changed,
            programme_rules_changed,
        )

        company_changed.register(services.placements_refresh_company)
        company_rules_changed.register(services.placements_recheck_company)
        programme_rules_changed.register(services.placements_recheck_programme)
        recurring_jobs.register(tasks.daily_rules_check)
        accounts.membership_links.register(dashboard.membership_links)
        # SQLite rebuilds a table when a migration alters it, which drops the search triggers;
        # this puts them back (one query when nothing is wrong).
        post_migrate.connect(search.ensure_search_schema, sender=self)
        post_migrate.connect(reach.ensure_reach_schema, sender=self)
