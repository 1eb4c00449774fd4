"""What the database benchmarks share: run the same measurement on a fresh SQLite file and a
fresh PostgreSQL database, each in its own child process, and summarise timings."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


def percentiles(times: list[float]) -> dict[str, float]:
    """p50, p95 (nearest rank) and max of a list of timings."""
    times = sorted(times)
    return {
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
    }


def log(message: str) -> None:
    """A line of progress on stderr, marked with the child's database (never a figure)."""
    from django.db import connection

    print(f"[{connection.vendor}] {message}", file=sys.stderr, flush=True)


def logged_in(client: Any, user: Any) -> Any:
    """`client` logged in as `user` past both steps of the login: `force_login` skips the
    form, and the session it makes would still wait for the second step (school staff and
    operators), which the benchmarks do not measure."""
    from stagebrug.accounts.second_factor import SESSION_KEY

    client.force_login(user)
    session = client.session
    if session.pop(SESSION_KEY, None) is not None:
        session.save()
    return client


class SetUp(dict):
    """A child's set-up steps, timed apart from the figures: seconds by label."""

    def step(self, label: str, action: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        result = action()
        self[label] = time.perf_counter() - began
        log(f"{label}: {self[label]:.1f} s")
        return result


def add_database_arguments(parser: argparse.ArgumentParser, pg_database: str) -> None:
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--pg-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a database on the server to connect to for creating and dropping "
        f"{pg_database} (default: %(default)s)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)


def run_on_both(
    args: argparse.Namespace, *, script: str, name: str, pg_database: str, child_args: list[str]
) -> dict[str, dict[str, Any]]:
    """Run `script --worker child_args` once per database (unless skipped); each child prints
    its result as JSON on its last line. The databases are removed afterwards unless --keep."""
    runs: dict[str, dict[str, Any]] = {}
    if not args.skip_sqlite:
        directory = ROOT / "var" / "bench"
        directory.mkdir(parents=True, exist_ok=True)
        sqlite_file = directory / f"{name}.sqlite3"
        _sqlite_remove(sqlite_file)
        try:
            runs["sqlite"] = _run_child(script, f"sqlite:///{sqlite_file}", child_args, name)
        finally:
            if not args.keep:
                _sqlite_remove(sqlite_file)
    if not args.skip_postgres:
        _pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {pg_database}")
        _pg_admin(args.pg_url, f"CREATE DATABASE {pg_database}")
        try:
            bench_url = urlunsplit(urlsplit(args.pg_url)._replace(path=f"/{pg_database}"))
            runs["postgresql"] = _run_child(script, bench_url, child_args, name)
        finally:
            if not args.keep:
                _pg_admin(args.pg_url, f"DROP DATABASE IF EXISTS {pg_database}")
    return runs


_STATIC_COLLECTED = False


def _collect_static(env: dict[str, str]) -> None:
    """With production settings the pages name their static files by the manifest that
    `collectstatic` writes (as the container image does when it is built): once per run."""
    global _STATIC_COLLECTED
    if not _STATIC_COLLECTED:
        manage = [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v0"]
        subprocess.run(manage, env=env, check=True)
        _STATIC_COLLECTED = True


def _run_child(script: str, database_url: str, child_args: list[str], name: str) -> dict[str, Any]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="stagebrug.settings",
        DEBUG="false",  # production settings: no query log kept in memory
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost",
        # The requests come from the test client over plain HTTP, as behind the load balancer
        # that ends TLS; no redirect to HTTPS.
        SECURE_SSL_REDIRECT="false",
        # Each benchmark collects into its own folder: two may run at once.
        STATIC_ROOT=str(ROOT / "var" / "bench" / f"static-{name}"),
    )
    _collect_static(env)
    command = [sys.executable, script, "--worker", *child_args]
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _sqlite_remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def _pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)
