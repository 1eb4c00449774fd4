"""Background jobs of agreements. Each calls a service; tests call the service directly."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.agreements.services import agreements_remind


@task()
def agreement_checks() -> dict[str, int]:
    """Every hour: reminders before signing deadlines, and deadlines missed. It schedules its
    next run itself (with the database queue; `manage.py schedule_jobs` starts it), also when
    a run fails."""
    now = timezone.now()
    try:
        return agreements_remind(now=now)
    finally:
        if agreement_checks.get_backend().supports_defer:
            agreement_checks.using(run_after=now + dt.timedelta(hours=1)).enqueue()
