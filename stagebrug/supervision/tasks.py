"""Background jobs of supervision. Each calls a service; tests call the service directly with
the clock frozen. Each schedules its next run itself, also when a run fails, so one bad run
never stops the prompts (`manage.py schedule_jobs` starts them)."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import task

from stagebrug.supervision import retention
from stagebrug.supervision.services import (
    absences_prompt,
    alert_days_without_word,
    attendance_purge,
)

EVERY = dt.timedelta(minutes=5)
NIGHTLY_AT = dt.time(3, 0)
log = logging.getLogger(__name__)


def next_night(now: dt.datetime) -> dt.datetime:
    """The next 03:00 in Europe/Amsterdam after `now`."""
    local = timezone.localtime(now)
    at = local.replace(hour=NIGHTLY_AT.hour, minute=NIGHTLY_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


@task()
def attendance_checks() -> dict[str, int]:
    """Every five minutes: "you were missed" prompts for the days whose start time passed
    without a word (W10)."""
    now = timezone.now()
    try:
        return {"prompted": absences_prompt(now=now)}
    finally:
        if attendance_checks.get_backend().supports_defer:
            attendance_checks.using(run_after=now + EVERY).enqueue()


@task()
def attendance_nightly() -> dict[str, int]:
    """Every night at 03:00: days that ended with no word count as absences without notice
    (and may alert the school); the record older than five years goes."""
    now = timezone.now()
    try:
        return {
            "alerted": alert_days_without_word(now=now),
            "purged": attendance_purge(now=now),
        }
    finally:
        if attendance_nightly.get_backend().supports_defer:
            attendance_nightly.using(run_after=next_night(now)).enqueue()


@task()
def personal_data_retention() -> dict[str, int]:
    """Every night at 03:00: CVs and support notes whose time is up, and unused accounts
    (stagebrug.supervision.retention)."""
    now = timezone.now()
    try:
        files = retention.student_files_purge(now=now)
        accounts = retention.inactive_accounts(now=now)
        return {
            "cvs": files.cvs,
            "support_notes": files.support_notes,
            "warned": accounts.warned,
            "erased": accounts.erased,
            "kept_last_owner": accounts.kept_last_owner,
        }
    finally:
        if personal_data_retention.get_backend().supports_defer:
            personal_data_retention.using(run_after=next_night(now)).enqueue()
