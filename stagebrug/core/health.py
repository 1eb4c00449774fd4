"""Health checks for a load balancer and an orchestrator.

- `/livez` (liveness): the process answers. It touches nothing else, so a database outage never
  makes the orchestrator restart healthy web processes.
- `/readyz` (readiness): this process can serve: the database answers `SELECT 1` and every
  migration this code knows is applied. Otherwise 503 with a JSON reason, and the load balancer
  sends no traffic here (e.g. new code started before `migrate` ran).
- `/healthz`: the older combined check (the database answers), kept for existing monitors.

HealthCheckMiddleware answers these paths before anything else, so a load balancer may ask over
plain HTTP by IP address: no HTTPS redirect, no ALLOWED_HOSTS check, no session.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse

UNAVAILABLE = 503


def livez(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations on disk that the database has not applied, as "app.name"."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def readyz(request: HttpRequest) -> JsonResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        pending = pending_migrations()
    except DatabaseError as exc:
        # The class only: the message may name hosts and users.
        return JsonResponse(
            {"status": "unavailable", "reason": "database", "error": type(exc).__name__},
            status=UNAVAILABLE,
        )
    if pending:
        return JsonResponse(
            {"status": "unavailable", "reason": "migrations", "pending": pending[:20]},
            status=UNAVAILABLE,
        )
    return JsonResponse({"status": "ok"})


def healthz(request: HttpRequest) -> JsonResponse:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


CHECKS: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/livez": livez,
    "/readyz": readyz,
    "/healthz": healthz,
}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the health paths (GET and HEAD) and passes on the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        check = CHECKS.get(request.path_info)
        if check is not None and request.method in ("GET", "HEAD"):
            return check(request)
        return self.get_response(request)
