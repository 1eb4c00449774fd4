"""The public events page at scale (C8), on SQLite and PostgreSQL.

    .venv/bin/python bench/events.py                      # 10,000 events, both databases
    .venv/bin/python bench/events.py --events 10000 --skip-sqlite

For each database a child process builds a fresh data set: the reference data and the demo
logins, then --events published events spread over the coming year and the past year (kinds,
audiences and schools mixed; a third with places and sign-ups; bulk inserts, the services' own
costs are not what this measures). It then measures `GET /evenementen/` (the first page, a deep
page, a filtered page and the calendar feed) with Django's test client, --repeat times each:
p50/p95 and the number of SQL queries. The same pages are measured first with only --small
events in the database, so the ratio large/small shows how the page grows with the data, and
the query counts must be equal.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._databases import (  # noqa: E402
    SetUp,
    add_database_arguments,
    percentiles,
    run_on_both,
)

PG_DATABASE = "stagebrug_bench_events"
PAGES = {
    "first page": "/evenementen/",
    "page 40": "/evenementen/?page=40",
    "guest lectures of one school": "/evenementen/?kind=guest_lecture&school={school}",
    "calendar feed": "/evenementen/agenda.ics",
}


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import datetime as dt
    import random

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stagebrug.accounts.models import User
    from stagebrug.community.models import Event, Registration
    from stagebrug.demo.personas import create_personas
    from stagebrug.registry.models import Institution
    from stagebrug.registry.reference import load_all

    setup = SetUp()
    step = setup.step

    step("migrate and reference data", lambda: (call_command("migrate", verbosity=0), load_all()))
    step("demo logins", create_personas)
    schools = list(Institution.objects.order_by("pk"))
    rng = random.Random(7)
    now = timezone.now()
    kinds = [k for k, _label in Event.Kind.choices]

    def make(count: int) -> None:
        rows = []
        for n in range(count):
            start = now + dt.timedelta(hours=rng.randint(-24 * 365, 24 * 365))
            rows.append(
                Event(
                    kind=rng.choice(kinds),
                    title=f"Evenement {n}",
                    description="Bijeenkomst van scholen en bedrijven.",
                    institution=rng.choice(schools),
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=2),
                    venue="Amstelcampus",
                    audience=rng.choice(["businesses", "students", "both"]),
                    capacity=40 if n % 3 == 0 else None,
                )
            )
            if len(rows) == 2000:
                Event.objects.bulk_create(rows)
                rows = []
        Event.objects.bulk_create(rows)

    people = list(User.objects.order_by("pk")[:20])

    def sign_ups() -> None:
        rows = []
        bench_events = Event.objects.filter(capacity=40, title__startswith="Evenement ")
        for event_id in bench_events.values_list("pk", flat=True):
            for person in rng.sample(people, k=min(len(people), rng.randint(0, 12))):
                rows.append(
                    Registration(
                        event_id=event_id, user=person, name=person.full_name, status="confirmed"
                    )
                )
            if len(rows) >= 5000:
                Registration.objects.bulk_create(rows)
                rows = []
        Registration.objects.bulk_create(rows)

    client = Client(HTTP_HOST="localhost")
    school = schools[0].slug

    def measure() -> dict[str, Any]:
        out = {}
        for label, path in PAGES.items():
            times = []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    began = time.perf_counter()
                    response = client.get(path.format(school=school))
                    times.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (
                    path,
                    response.status_code,
                    response.get("Location"),
                )
            out[label] = {"ms": percentiles(times), "queries": len(ctx.captured_queries)}
        return out

    step(f"{args.small} events", lambda: make(args.small))
    small = measure()
    step(f"{args.events - args.small} more events", lambda: make(args.events - args.small))
    step("sign-ups", sign_ups)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    large = measure()
    print(
        json.dumps(
            {
                "setup_s": setup,
                "events": Event.objects.count(),
                "registrations": Registration.objects.count(),
                "small": small,
                "large": large,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    add_database_arguments(parser, PG_DATABASE)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    child = [f"--events={args.events}", f"--small={args.small}", f"--repeat={args.repeat}"]
    runs = run_on_both(
        args, script=__file__, name="events", pg_database=PG_DATABASE, child_args=child
    )
    for vendor, r in runs.items():
        print(f"\n{vendor}: {r['events']} events, {r['registrations']} sign-ups")
        for label in PAGES:
            s, big = r["small"][label], r["large"][label]
            print(
                f"  {label:30} p50 {big['ms']['p50']:6.1f} ms  p95 {big['ms']['p95']:6.1f} ms  "
                f"{big['queries']} SQL  (with {args.small}: p95 {s['ms']['p95']:.1f} ms, "
                f"{s['queries']} SQL; ratio p95 {big['ms']['p95'] / s['ms']['p95']:.2f})"
            )
        print(f"  set-up: { {k: round(v, 1) for k, v in r['setup_s'].items()} }")


if __name__ == "__main__":
    main()
