"""Liveness and readiness for the load balancer: /livez never needs the database, /readyz
answers 503 with a reason while the database is away or migrations are missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from stagebrug.settings import BASE_DIR


def test_liveness_answers_without_touching_the_database(client):
    # No db fixture: pytest-django would raise on any database access.
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_is_ok_when_the_database_answers_and_is_migrated(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "ok"}


def test_readiness_is_503_while_a_migration_is_not_applied(client, db):
    recorder = MigrationRecorder(connection)
    (_app, newest), *_ = MigrationLoader(connection).graph.leaf_nodes("core")
    recorder.record_unapplied("core", newest)  # rolled back with the test
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["reason"] == "migrations"
    assert f"core.{newest}" in body["pending"]


def _get_in_fresh_process(path: str, env: dict[str, str]) -> tuple[int, dict]:
    code = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        f"r = Client(HTTP_HOST='10.0.0.7:8000').get({path!r})\n"
        "print(json.dumps([r.status_code, json.loads(r.content)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "stagebrug.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    return status, body


@pytest.mark.parametrize(
    "database_url",
    [
        "postgres://nobody@127.0.0.1:1/nowhere",  # nothing listens on port 1
        "sqlite:////nonexistent-folder/stagebrug.sqlite3",  # cannot be opened
    ],
)
def test_readiness_is_503_with_a_reason_when_the_database_cannot_be_reached(database_url):
    status, body = _get_in_fresh_process("/readyz", {"DATABASE_URL": database_url})
    assert status == 503
    assert body == {"status": "unavailable", "reason": "database", "error": "OperationalError"}


def test_health_checks_answer_plain_http_by_ip_address_in_production(tmp_path):
    """A load balancer asks http://10.0.0.7:8000/livez: no HTTPS redirect, no host check."""
    env = {
        "DEBUG": "false",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "stagebrug.example",
        "STAGEBRUG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere",
    }
    assert _get_in_fresh_process("/livez", env) == (200, {"status": "ok"})
    assert _get_in_fresh_process("/readyz", env)[0] == 503
