"""Background jobs of community. Each calls a service; tests call the service directly."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.community.events import events_remind

EVERY = dt.timedelta(hours=1)


@task()
def event_reminders() -> dict[str, int]:
    """Every hour: a reminder, the day before, to everyone with a place at an event. It
    schedules its next run itself (`manage.py schedule_jobs` starts it)."""
    now = timezone.now()
    try:
        return {"reminded": events_remind(now=now)}
    finally:
        if event_reminders.get_backend().supports_defer:
            event_reminders.using(run_after=now + EVERY).enqueue()
