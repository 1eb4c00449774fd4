"""The recurring job that keeps the insight figures up to date. It calls the service; tests
call the service directly. It schedules its next run itself, also when a run fails, unless a
next run is queued already (`manage.py schedule_jobs` starts it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus, task

from stagebrug.insights.services import figures_refresh

#: How often the figures are recomputed (the pages say so).
EVERY = dt.timedelta(hours=1)


def _next_is_queued(job) -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=job.module_path, status=TaskResultStatus.READY
    ).exists()


@task()
def insights_refresh() -> dict:
    """Every hour: recompute the regional figures from the live data (C10)."""
    now = timezone.now()
    try:
        return {k: str(v) for k, v in figures_refresh(now=now).items()}
    finally:
        backend = insights_refresh.get_backend()
        # Two runs at once (a second worker) leave one next run, not two.
        if backend.supports_defer and not _next_is_queued(insights_refresh):
            insights_refresh.using(run_after=now + EVERY).enqueue()
