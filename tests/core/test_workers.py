"""Two real worker processes (`manage.py db_worker`, as deployed) on one PostgreSQL queue run
every job exactly once: the backend claims a job with SELECT ... FOR UPDATE SKIP LOCKED."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django_tasks import TaskResultStatus

from stagebrug.settings import BASE_DIR
from tests.core.worker_tasks import RUNS_TABLE, record_run

JOBS = 60

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not django_settings.IS_POSTGRES,
        reason="SQLite has one writer at a time; production runs workers on PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def _test_database_url() -> str:
    """The test database (pytest-django's name, not the one DATABASE_URL names)."""
    s = connection.settings_dict
    user = quote(s["USER"] or "", safe="")
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{s['NAME']}"


@pytest.fixture
def runs_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {RUNS_TABLE} (marker integer NOT NULL, pid integer NOT NULL)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {RUNS_TABLE}")


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


def test_two_worker_processes_run_every_job_exactly_once(runs_table, database_queue, tmp_path):
    from django_tasks_db.models import DBTaskResult

    for marker in range(JOBS):
        record_run.enqueue(marker=marker)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == JOBS

    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "STAGEBRUG_VAR_DIR": str(tmp_path),
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload"]
    command += ["--no-startup-delay", "--interval", "0.05", "-v", "0"]
    workers = [
        subprocess.Popen(
            [*command, "--worker-id", f"worker-{n}"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for n in (1, 2)
    ]
    outputs = [worker.communicate(timeout=180)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT marker, pid FROM {RUNS_TABLE}")
        runs = cursor.fetchall()
    assert Counter(marker for marker, _pid in runs) == Counter(range(JOBS))  # each exactly once
    assert len({pid for _marker, pid in runs}) == 2  # both workers took part
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)  # claimed once, by one worker
    assert {r.worker_ids[0] for r in results} == {"worker-1", "worker-2"}
