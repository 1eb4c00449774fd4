"""A task for tests/core/test_workers.py, importable by the worker processes it starts.

Each run writes a row (its job's marker and its process id) into a table the test creates,
then holds on until a second worker process has written one too, so the two workers are
claiming from the queue at the same time, not one after the other."""

from __future__ import annotations

import os
import time

from django.db import connection
from django_tasks import task

RUNS_TABLE = "test_worker_runs"


@task()
def record_run(*, marker: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RUNS_TABLE} (marker, pid) VALUES (%s, %s)", [marker, os.getpid()]
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            cursor.execute(f"SELECT COUNT(DISTINCT pid) FROM {RUNS_TABLE}")
            if cursor.fetchone()[0] >= 2:
                break
            time.sleep(0.05)
    time.sleep(0.01)  # a little work, so the claims interleave


@task()
def write_then_mail(*, marker: int) -> None:
    """For the fault test: writes its row and, in the same transaction, waits (a long job)
    unless FAULT_TEST_QUICK is set; then sends one e-mail. A file says it has started."""
    from pathlib import Path

    from django.core.mail import EmailMessage
    from django.db import transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {RUNS_TABLE} (marker, pid) VALUES (%s, %s)", [marker, os.getpid()]
            )
        Path(os.environ["FAULT_TEST_STARTED"]).touch()
        if not os.environ.get("FAULT_TEST_QUICK"):
            time.sleep(60)  # killed here
    EmailMessage(subject=f"job {marker}", body="once", to=["someone@example.org"]).send()
