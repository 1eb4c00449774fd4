"""Background job of contact moments. It calls a service; tests call the service directly
with a frozen clock."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.supervision.contacts.services import contact_moments_remind


@task()
def contact_moment_reminders() -> dict[str, int]:
    """Every hour: remind the three of a contact moment the day before (once per moment and
    time). It schedules its next run itself (with the database queue; `manage.py
    schedule_jobs` starts it), also when a run fails, so one bad run never stops the
    reminders."""
    now = timezone.now()
    try:
        return contact_moments_remind(now=now)
    finally:
        if contact_moment_reminders.get_backend().supports_defer:
            contact_moment_reminders.using(run_after=now + dt.timedelta(hours=1)).enqueue()
