"""The morning job of supervision: the review that raises and resolves early warnings, the
reminders of overdue check-ins and of evaluations that are due. It calls the services; tests
call them directly with the clock frozen. It schedules its next run itself, also when a run
fails (`manage.py schedule_jobs` starts it)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from stagebrug.supervision.evaluations.services import evaluations_remind
from stagebrug.supervision.progress.services import checkin_reminders, warnings_review

MORNING_AT = dt.time(6, 30)


def next_morning(now: dt.datetime) -> dt.datetime:
    """The next 06:30 in Europe/Amsterdam after `now`: early enough to read before work."""
    local = timezone.localtime(now)
    at = local.replace(hour=MORNING_AT.hour, minute=MORNING_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@task()
def supervision_morning() -> dict[str, int]:
    """Every morning at 06:30: early warnings (W18), overdue check-ins, evaluations due."""
    now = timezone.now()
    try:
        counts = warnings_review(now=now)
        counts["checkin_reminders"] = checkin_reminders(now=now)
        counts["evaluation_reminders"] = evaluations_remind(now=now)
        return counts
    finally:
        if supervision_morning.get_backend().supports_defer:
            supervision_morning.using(run_after=next_morning(now)).enqueue()
