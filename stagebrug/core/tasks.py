"""Background tasks. Each task is small and calls plain functions, so tests call it directly."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)
HOUSEKEEPING_EVERY = dt.timedelta(minutes=5)


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    attachments: list[list[str]] | None = None,
) -> int:
    """Send one already rendered e-mail, with text attachments if any (file name, content,
    MIME type: a calendar invitation). Retried by the worker if the mail server fails."""
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to or None,
    )
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return message.send()


def enqueue_unless_waiting(job) -> bool:
    """Queue a recurring task unless it is queued or running already (the database backend);
    returns whether it was queued. With another backend (tests: immediate) it just runs."""
    from django_tasks import TaskResultStatus

    if job.get_backend().supports_defer:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(
            task_path=job.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).exists()
        if waiting:
            return False
    job.enqueue()
    return True


def requeue_abandoned(*, now: dt.datetime | None = None) -> int:
    """Put jobs whose worker died mid-run back in the queue.

    A worker claims a job (status "running") in one transaction and runs it after; a worker
    that is killed (a machine lost, an out-of-memory kill, SIGKILL) leaves its job "running"
    for ever, and a recurring job would never be queued again. A job running for longer than
    `TASK_ABANDONED_MINUTES` (no job here takes more than a few minutes) is ready again: the
    next worker runs it from the start. Its writes were in transactions the dead worker never
    committed, so nothing was half-written; an e-mail job runs again only if its worker died
    before the mail server took the message."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - dt.timedelta(minutes=settings.TASK_ABANDONED_MINUTES)
    with transaction.atomic():
        stuck = list(
            DBTaskResult.objects.select_for_update(skip_locked=True)
            .filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
            .values_list("id", "task_path", "worker_ids")
        )
        DBTaskResult.objects.filter(id__in=[job_id for job_id, *_rest in stuck]).update(
            status=TaskResultStatus.READY, started_at=None
        )
    for job_id, path, workers in stuck:
        log.warning("Job %s (%s) of worker %s was abandoned: queued again", job_id, path, workers)
    return len(stuck)


@task()
def queue_housekeeping() -> dict[str, int]:
    """Every five minutes: jobs abandoned by a dead worker go back in the queue."""
    now = timezone.now()
    try:
        return {"requeued": requeue_abandoned(now=now)}
    finally:
        if queue_housekeeping.get_backend().supports_defer:
            queue_housekeeping.using(run_after=now + HOUSEKEEPING_EVERY).enqueue()
