"""Background work for applications. `daily_reminders` runs the daily jobs (reminders, closing
unanswered applications, taking placements whose start dates have passed offline) and schedules
itself for the next day, so a running worker keeps the promise that students always get an
answer without a separate cron."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.applications.services import applications_remind
from stagebrug.placements.services import placements_expire


@task()
def daily_reminders() -> dict[str, int]:
    """Once a day; the next run is scheduled also when this one fails."""
    now = timezone.now()
    try:
        result = applications_remind()
        result["expired"] = placements_expire()
        return result
    finally:
        if daily_reminders.get_backend().supports_defer:  # the database queue, not in tests
            daily_reminders.using(run_after=now + dt.timedelta(days=1)).enqueue()
