"""E-mail where a person must act: rendered now (in the right language), sent by the worker
after the transaction commits, so a rolled-back change never sends mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from stagebrug.core.tasks import send_email

#: An attachment: file name, text content, MIME type (text only, so the task's arguments stay
#: JSON for the database queue).
Attachment = tuple[str, str, str]


def queue_email(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    reply_to: list[str] | None = None,
    attachments: list[Attachment] | None = None,
) -> None:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` and queue them
    (with `attachments`, if any)."""
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or translation.get_language() or "nl"):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)

    def enqueue() -> None:
        extra = {"attachments": [list(a) for a in attachments]} if attachments else {}
        send_email.enqueue(to=recipients, subject=subject, body=body, reply_to=reply_to, **extra)

    transaction.on_commit(enqueue)


def queue_email_to_people(people: Iterable[Any], *, template: str, context: dict[str, Any]) -> None:
    """The same e-mail to several people (users), each in their own language: one message per
    language, addressed to those who read it. People without an e-mail address are skipped."""
    by_language: dict[str, set[str]] = defaultdict(set)
    for person in people:
        if person.email:
            by_language[person.language].add(person.email)
    for language, emails in sorted(by_language.items()):
        queue_email(to=sorted(emails), template=template, context=context, language=language)
