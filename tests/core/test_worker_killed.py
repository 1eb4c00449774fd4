"""A task worker killed in the middle of a job: the job is found abandoned and runs again on
another worker, nothing the killed run wrote remains, and its e-mail is sent once
(stagebrug.core.tasks.requeue_abandoned)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus

from stagebrug.core.tasks import requeue_abandoned
from stagebrug.settings import BASE_DIR
from tests.core.test_workers import _test_database_url
from tests.core.worker_tasks import RUNS_TABLE, record_run, write_then_mail


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.mark.django_db
def test_only_jobs_running_too_long_are_queued_again(database_queue, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASK_ABANDONED_MINUTES = 30
    now = timezone.now()
    jobs = [record_run.enqueue(marker=n).id for n in range(3)]
    started = {jobs[0]: now - dt.timedelta(minutes=31), jobs[1]: now - dt.timedelta(minutes=5)}
    for job_id, at in started.items():
        DBTaskResult.objects.filter(id=job_id).update(
            status=TaskResultStatus.RUNNING, started_at=at, worker_ids=["gone"]
        )
    assert requeue_abandoned(now=now) == 1
    status = {str(k): v for k, v in DBTaskResult.objects.values_list("id", "status")}
    assert status[jobs[0]] == TaskResultStatus.READY  # abandoned: ready again
    assert status[jobs[1]] == TaskResultStatus.RUNNING  # still working
    assert status[jobs[2]] == TaskResultStatus.READY  # never started
    assert requeue_abandoned(now=now) == 0


def _worker(env: dict[str, str], worker_id: str, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    command += ["--interval", "0.05", "-v", "0", "--worker-id", worker_id, *extra]
    return subprocess.Popen(
        command, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def _runs() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {RUNS_TABLE}")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.skipif(
    not django_settings.IS_POSTGRES,
    reason="SQLite has one writer at a time; production runs workers on PostgreSQL",
)
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_s_job_runs_again_once(database_queue, tmp_path):
    from django_tasks_db.models import DBTaskResult

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RUNS_TABLE} (marker integer NOT NULL, pid integer NOT NULL)")
    try:
        job = write_then_mail.enqueue(marker=7)
        mail_dir = tmp_path / "mail"
        started = tmp_path / "started"
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "STAGEBRUG_VAR_DIR": str(tmp_path),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "FAULT_TEST_STARTED": str(started),
        }
        first = _worker(env, "worker-1")
        deadline = time.monotonic() + 60
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the first worker never started the job"
        first.send_signal(signal.SIGKILL)  # no chance to clean up
        first.communicate(timeout=30)

        # The killed run left no row and sent nothing; the job looks as if it still runs.
        assert _runs() == 0
        assert not mail_dir.exists() or not list(mail_dir.iterdir())
        assert DBTaskResult.objects.get(id=job.id).status == TaskResultStatus.RUNNING

        # Housekeeping, 31 minutes later, puts it back; another worker runs it.
        assert requeue_abandoned(now=timezone.now() + dt.timedelta(minutes=31)) == 1
        second = _worker({**env, "FAULT_TEST_QUICK": "1"}, "worker-2", "--batch")
        output = second.communicate(timeout=120)[0]
        assert second.returncode == 0, output

        result = DBTaskResult.objects.get(id=job.id)
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.worker_ids == ["worker-1", "worker-2"]
        assert _runs() == 1  # written once, by the run that finished
        assert len(list(mail_dir.iterdir())) == 1  # one e-mail
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {RUNS_TABLE}")
