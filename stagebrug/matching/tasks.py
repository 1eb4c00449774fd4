"""The background jobs of a matching round: run the engine over one queued RoundRun, and tell
a whole cohort when a round opens or is published.

The task only calls the service, which claims the run (queued → running in one UPDATE) before
it does anything, so a job delivered twice, or picked up by two workers, runs once. Tests call
`round_run_execute` directly or let the immediate backend run this task.
"""

from __future__ import annotations

from django_tasks import task

from stagebrug.matching.services import round_notify, round_run_execute


@task()
def run_round(*, run_id: int) -> str:
    """Run a queued round run; returns its final status (or "skipped" if already claimed)."""
    run = round_run_execute(run_id=run_id)
    return run.status if run is not None else "skipped"


@task()
def notify_round(*, round_id: int, event: str) -> None:
    """Inbox messages and e-mails for everyone in a round ("opened" or "published")."""
    round_notify(round_id=round_id, event=event)
