"""Supervision at national scale: the "you were missed" job and the supervisor's today page, on
SQLite and PostgreSQL.

    .venv/bin/python bench/supervision.py                          # both databases
    .venv/bin/python bench/supervision.py --internships 300000 --weeks 52 --skip-sqlite

For each database a child process builds a fresh data set: the demo logins (the bakery, its
placement, ROC van Amsterdam), then --internships running internships of as many students
(written with bulk inserts: the services' own costs are not what this measures), one workplace
supervisor for every --per-supervisor interns, four working days each (today's weekday among
them, start times from 07:00 to 10:00), a holiday today for 1 %, and --weeks weeks of attendance
before today (every planned day marked present). Today, 98 % were marked already; 2 % sent no
word. Set-up time is printed apart. Then it measures

* the prompt job `supervision.services.absences_prompt` at 12:00 today, Amsterdam time: its
  time, the rows it opens and the prompts it writes (inbox notifications; the e-mails are queued
  on commit, and the run is rolled back, so none is sent), and its peak Python memory
  (tracemalloc), --repeat times;
* the same job's search alone (`due_prompts(...).count()`) with the index on
  (weekday, start) and without it (dropped and made again in the run): the ratio;
* the supervisor's today page (`GET /begeleiding/vandaag/`, Django's test client) for a
  supervisor with 5 and with 30 interns: p50/p95 and the number of SQL queries, which must be
  the same.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._databases import add_database_arguments, percentiles, run_on_both  # noqa: E402

PG_DATABASE = "stagebrug_bench_supervision"


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import datetime as dt
    import random
    import zoneinfo
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stagebrug.accounts.models import User
    from stagebrug.applications.models import Notification
    from stagebrug.demo.personas import create_personas
    from stagebrug.internships.models import Internship, Status
    from stagebrug.placements.models import Placement
    from stagebrug.registry.models import Supervisor
    from stagebrug.registry.reference import load_all
    from stagebrug.supervision import services
    from stagebrug.supervision.models import Attendance, Leave, Mark, WorkDay

    def log(message: str) -> None:
        print(f"[{connection.vendor}] {message}", file=sys.stderr, flush=True)

    setup: dict[str, float] = {}

    def step(label: str, action) -> Any:
        began = time.perf_counter()
        result = action()
        setup[label] = time.perf_counter() - began
        log(f"{label}: {setup[label]:.1f} s")
        return result

    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    today = timezone.localdate()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=amsterdam)
    rng = random.Random(41)
    n = args.internships
    batch = 5000

    step("migrate and reference data", lambda: (call_command("migrate", verbosity=0), load_all()))
    step("demo logins", create_personas)
    placement = Placement.objects.filter(company__name__icontains="Zuurdesem").first() or (
        Placement.objects.first()
    )
    programme = placement.targets.first().programme
    company = placement.company

    def users() -> None:
        for start in range(0, n, batch):
            User.objects.bulk_create(
                User(email=f"s{i}@bench.example", full_name=f"Student {i}", password="!")
                for i in range(start, min(n, start + batch))
            )
        supervisors = n // args.per_supervisor + 2
        User.objects.bulk_create(
            User(email=f"w{i}@bench.example", full_name=f"Werkbegeleider {i}", password="!")
            for i in range(supervisors)
        )
        Supervisor.objects.bulk_create(
            Supervisor(
                company=company,
                user=user,
                name=user.full_name,
                email=user.email,
                phone="0612345678",
                education_level=4,
                education_sector="economie",
            )
            for user in User.objects.filter(email__startswith="w", email__endswith="@bench.example")
        )

    step(f"{n} students and their supervisors", users)
    supervisor_ids = list(
        Supervisor.objects.filter(email__endswith="@bench.example").values_list("pk", flat=True)
    )
    # The first two supervisors are the page's: 5 and 30 interns; the rest share the others.
    small, large = supervisor_ids[0], supervisor_ids[1]

    def supervisor_for(i: int) -> int:
        if i < 5:
            return small
        if i < 35:
            return large
        return supervisor_ids[2 + (i - 35) // args.per_supervisor]

    start_date = today - dt.timedelta(days=7 * args.weeks + 7)
    end_date = today + dt.timedelta(days=120)

    def internships() -> None:
        student_ids = list(
            User.objects.filter(email__startswith="s", email__endswith="@bench.example")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, n, batch):
            Internship.objects.bulk_create(
                Internship(
                    student_id=student_ids[i],
                    placement=placement,
                    programme=programme,
                    institution=programme.institution,
                    status=Status.ACTIVE,
                    start_date=start_date,
                    end_date=end_date,
                    hours_per_week=32,
                    supervisor_id=supervisor_for(i),
                    source="application",
                )
                for i in range(start, min(n, start + batch))
            )

    step(f"{n} running internships", internships)
    ids = list(
        Internship.objects.filter(student__email__endswith="@bench.example")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    starts = [dt.time(7 + k // 2, 30 * (k % 2)) for k in range(7)]  # 07:00 … 10:00
    plan: dict[int, dict[int, dt.time]] = {}

    def work_days() -> None:
        rows = []
        for pk in ids:
            others = rng.sample([w for w in range(5) if w != today.weekday()], 3)
            days = {w: rng.choice(starts) for w in [today.weekday(), *others]}
            plan[pk] = days
            rows.extend(
                WorkDay(
                    internship_id=pk,
                    weekday=w,
                    start=s,
                    end=dt.time(s.hour + 8, s.minute),
                )
                for w, s in days.items()
            )
            if len(rows) >= batch * 4:
                WorkDay.objects.bulk_create(rows)
                rows = []
        WorkDay.objects.bulk_create(rows)

    step(f"{n * 4} working days", work_days)
    on_holiday = set(rng.sample(ids, n // 100))
    step(
        "holidays",
        lambda: Leave.objects.bulk_create(
            Leave(internship_id=pk, start_date=today, end_date=today + dt.timedelta(days=4))
            for pk in on_holiday
        ),
    )
    no_word = set(rng.sample([pk for pk in ids if pk not in on_holiday], n // 50))

    def attendance() -> int:
        written = 0
        rows = []
        first = today - dt.timedelta(days=7 * args.weeks)
        days = [first + dt.timedelta(days=k) for k in range((today - first).days + 1)]
        marked_at = timezone.now()
        for day in days:
            for pk in ids:
                if day.weekday() not in plan[pk]:
                    continue
                if day == today and (pk in no_word or pk in on_holiday):
                    continue
                rows.append(
                    Attendance(
                        internship_id=pk,
                        date=day,
                        mark=Mark.PRESENT,
                        source=Attendance.Source.SUPERVISOR,
                        hours=Decimal("8.00"),
                        marked_at=marked_at,
                    )
                )
                if len(rows) >= 20000:
                    Attendance.objects.bulk_create(rows)
                    written += len(rows)
                    rows = []
        Attendance.objects.bulk_create(rows)
        return written + len(rows)

    attendance_rows = step(f"{args.weeks} weeks of attendance", attendance)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    log(f"{attendance_rows} attendance rows; {len(no_word)} without word today")

    # 1. The prompt job, rolled back after each run.
    job_times, peaks, prompted, notes = [], [], 0, 0
    for _ in range(args.repeat):
        with transaction.atomic():
            tracemalloc.start()
            began = time.perf_counter()
            prompted = services.absences_prompt(now=noon)
            job_times.append(time.perf_counter() - began)
            peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
            tracemalloc.stop()
            notes = Notification.objects.filter(kind="attendance.missed").count()
            transaction.set_rollback(True)
    log(f"job: {prompted} prompted, {min(job_times):.2f} s")

    # 2. The search alone, with and without the index on (weekday, start).
    def search_times() -> list[float]:
        out = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            found = services.due_prompts(noon).count()
            out.append(time.perf_counter() - began)
        assert found >= len(no_word), (found, len(no_word))  # and the demo intern
        return out

    with_index = search_times()
    index = WorkDay._meta.indexes[0]
    with connection.schema_editor() as editor:
        editor.remove_index(WorkDay, index)
    without_index = search_times()
    with connection.schema_editor() as editor:
        editor.add_index(WorkDay, index)

    # 3. The today page for 5 and for 30 interns.
    client = Client(HTTP_HOST="localhost")
    page: dict[str, Any] = {}
    for label, supervisor_pk in (("5 interns", small), ("30 interns", large)):
        client.force_login(Supervisor.objects.get(pk=supervisor_pk).user)
        times = []
        for _ in range(args.page_repeat):
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = client.get("/begeleiding/vandaag/")
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        page[label] = {"ms": percentiles(times), "queries": len(ctx.captured_queries)}

    print(
        json.dumps(
            {
                "setup_s": setup,
                "internships": n,
                "attendance_rows": attendance_rows,
                "without_word": len(no_word),
                "job": {
                    "s": percentiles(job_times),
                    "peak_mb": max(peaks),
                    "prompted": prompted,
                    "notifications": notes,
                },
                "search_s": {
                    "with_index": percentiles(with_index),
                    "without_index": percentiles(without_index),
                    "ratio_p50": statistics_ratio(without_index, with_index),
                },
                "today_page": page,
            }
        )
    )


def statistics_ratio(slow: list[float], fast: list[float]) -> float:
    import statistics

    return statistics.median(slow) / statistics.median(fast)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--internships", type=int, default=300_000)
    parser.add_argument("--weeks", type=int, default=4, help="weeks of attendance before today")
    parser.add_argument("--per-supervisor", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--page-repeat", type=int, default=30)
    add_database_arguments(parser, PG_DATABASE)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    child = [
        f"--internships={args.internships}",
        f"--weeks={args.weeks}",
        f"--per-supervisor={args.per_supervisor}",
        f"--repeat={args.repeat}",
        f"--page-repeat={args.page_repeat}",
    ]
    runs = run_on_both(
        args, script=__file__, name="supervision", pg_database=PG_DATABASE, child_args=child
    )
    for vendor, r in runs.items():
        job, search = r["job"], r["search_s"]
        print(f"\n{vendor}: {r['internships']} running internships, {r['attendance_rows']} days")
        print(
            f"  prompt job: p50 {job['s']['p50']:.2f} s, max {job['s']['max']:.2f} s, "
            f"peak {job['peak_mb']:.1f} MB, {job['prompted']} prompted "
            f"({r['without_word']} without word), {job['notifications']} notifications"
        )
        print(
            f"  search: {search['with_index']['p50'] * 1000:.0f} ms with the index, "
            f"{search['without_index']['p50'] * 1000:.0f} ms without (x{search['ratio_p50']:.1f})"
        )
        for label, p in r["today_page"].items():
            print(
                f"  today page, {label}: p50 {p['ms']['p50']:.1f} ms, p95 {p['ms']['p95']:.1f} ms, "
                f"{p['queries']} queries"
            )
        print(f"  set-up: { {k: round(v, 1) for k, v in r['setup_s'].items()} }")


if __name__ == "__main__":
    main()
