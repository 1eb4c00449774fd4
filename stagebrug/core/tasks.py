"""Background tasks. Each task is small and calls plain functions, so tests call it directly."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django_tasks import task


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
