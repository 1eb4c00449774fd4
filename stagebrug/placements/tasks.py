"""Background jobs of placements. Each calls a service; tests call the service directly."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.placements.services import recognitions_daily


@task()
def daily_rules_check() -> dict[str, int]:
    """Every day (W3): placements of companies whose recognition ended are checked again, and
    recognitions that end in 90 or 30 days are announced to their company. It schedules its
    next run itself (with the database queue; `manage.py schedule_jobs` starts it), also when
    a run fails."""
    now = timezone.now()
    try:
        return recognitions_daily()
    finally:
        if daily_rules_check.get_backend().supports_defer:
            daily_rules_check.using(run_after=now + dt.timedelta(days=1)).enqueue()
