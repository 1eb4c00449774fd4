from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    name = "stagebrug.core"
    label = "core"
    verbose_name = "Stagebrug"

    def ready(self) -> None:
        from stagebrug.core import tasks
        from stagebrug.core.hooks import check_providers, recurring_jobs

        checks.register(check_providers)
        recurring_jobs.register(tasks.queue_housekeeping)
