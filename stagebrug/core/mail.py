"""E-mail where a person must act: rendered now (in the right language), sent by the worker
after the transaction commits, so a rolled-back change never sends mail."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from stagebrug.core.tasks import send_email


def queue_email(
    *,
    to: str | list[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    reply_to: list[str] | None = None,
) -> None:
    """Render `emails/<template>_subject.txt` and `emails/<template>.txt` and queue them."""
    recipients = [to] if isinstance(to, str) else list(to)
    with translation.override(language or translation.get_language() or "nl"):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)

    def enqueue() -> None:
        send_email.enqueue(to=recipients, subject=subject, body=body, reply_to=reply_to)

    transaction.on_commit(enqueue)
