"""Supervision at national scale, on SQLite and PostgreSQL: the "you were missed" job, the
supervisor's today page, the morning job of supervision and the school's dashboards.

    .venv/bin/python bench/supervision.py                          # both databases
    .venv/bin/python bench/supervision.py --internships 300000 --weeks 52 --skip-sqlite
    .venv/bin/python bench/supervision.py --internships 20000 --weeks 4 --repeat 2 --page-repeat 10

For each database a child process builds a fresh data set: the demo logins (the bakery, its
placement, ROC van Amsterdam), then --internships running internships of as many students
(written with bulk inserts: the services' own costs are not what this measures), one workplace
supervisor for every --per-supervisor interns, four working days each (today's weekday among
them, start times from 07:00 to 10:00), a holiday today for 1 %, and --weeks weeks of attendance
before today (every planned day marked present; the internships start on its first day and run
1 to --weeks more weeks). The past days are generated inside the database (one INSERT ... SELECT:
`generate_series` on PostgreSQL, a recursive CTE of dates on SQLite, with the table's secondary
indexes and constraints dropped during the load and made again after it); today's rows are
written from Python: 98 % were marked already, 2 % sent no word. The first --school-internships
internships belong to ROC TOP (with a programme of its own, a coordinator, and school supervisors:
one with 5, one with 30, the rest about --per-school-supervisor each, none for 5 %); the others to
ROC van Amsterdam (school supervisors alike, and a coordinator). Every internship has its
`Progress` (check-in every 1 or 2 weeks, the next one due from 20 days ago to 14 days ahead,
goals behind for 2 %, required hours the planned hours, a bit more for 3 %), a mid-term and a
final evaluation (most past mid-terms decided, 1 % at risk; 2 % due in the next 3 days) and three
contact moments (start held, mid-term held when past except for 2 %, end to come); 0.5 % were
absent without notice on last week's days. Set-up time is printed apart. Then it measures

* the prompt job `supervision.services.absences_prompt` at 12:00 today, Amsterdam time: its
  time, the rows it opens and the prompts it writes (inbox notifications; the e-mails are queued
  on commit, and the run is rolled back, so none is sent), and its peak Python memory
  (tracemalloc), --repeat times;
* the same job's search alone (`due_prompts(...).count()`) with the index on
  (weekday, start) and without it (dropped and made again in the run): the ratio;
* the supervisor's today page (`GET /begeleiding/vandaag/`, Django's test client) for a
  supervisor with 5 and with 30 interns: p50/p95 and the number of SQL queries, which must be
  the same;
* the morning job of supervision (`progress.tasks.supervision_morning` calls the three):
  `warnings_review`, `checkin_reminders` and `evaluations_remind` at 06:30 today, timed (with
  tracemalloc on, as the prompt job) with their peak Python memory and the counts they return:
  once committed (the cold start: it raises the warnings and sends the reminders; its inbox
  notifications stay and its e-mails are only queued as tasks), then --repeat times rolled back
  (the steady state); and `warnings_review` alone with two --batch-sizes, alternated, rolled
  back: the ratio;
* the school's dashboards, after the cold run (so the warnings are there), requests of all cases
  alternated, one warm-up each: the coordinator's overview (`GET /scholen/<slug>/begeleiding/`)
  of ROC TOP, its first page and a deep one (`?page=100`), the same for ROC van Amsterdam (the
  other internships) as a contrast with the big/small ratio, and the school supervisor's caseload
  (`GET /begeleiding/mijn-stagiairs/`) with 5 and with 30 internships: p50/p95 and the number of
  SQL queries, which must be the same for 5 and 30 and for the first and the deep page.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._databases import (  # noqa: E402
    SetUp,
    add_database_arguments,
    log,
    logged_in,
    percentiles,
    run_on_both,
)

PG_DATABASE = "stagebrug_bench_supervision"
ATTENDANCE = "supervision_attendance"


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import datetime as dt
    import math
    import random
    import zoneinfo
    from collections import Counter
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from stagebrug.accounts.models import Membership, Role, User
    from stagebrug.accounts.services import membership_grant
    from stagebrug.applications.models import Notification
    from stagebrug.demo.personas import create_personas
    from stagebrug.internships.models import Internship, Status
    from stagebrug.placements.models import Placement
    from stagebrug.registry.models import Institution, Programme, Supervisor
    from stagebrug.registry.reference import load_all
    from stagebrug.supervision import services
    from stagebrug.supervision.evaluations.services import evaluations_remind
    from stagebrug.supervision.models import (
        Attendance,
        ContactMoment,
        EarlyWarning,
        Evaluation,
        Leave,
        Mark,
        Progress,
        WorkDay,
    )
    from stagebrug.supervision.progress.rules import midpoint, planned_minutes
    from stagebrug.supervision.progress.services import (
        checkin_reminders,
        facts_for_batch,
        warnings_review,
    )

    setup = SetUp()
    step = setup.step

    def sql(statement: str, params: list | tuple = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    postgres = connection.vendor == "postgresql"
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    today = timezone.localdate()
    noon = dt.datetime.combine(today, dt.time(12), tzinfo=amsterdam)
    morning_at = dt.datetime.combine(today, dt.time(6, 30), tzinfo=amsterdam)
    rng = random.Random(41)
    n = args.internships
    n_school = min(args.school_internships, n)
    batch = 5000

    step("migrate and reference data", lambda: (call_command("migrate", verbosity=0), load_all()))
    step("demo logins", create_personas)
    placement = Placement.objects.filter(company__name__icontains="Zuurdesem").first() or (
        Placement.objects.first()
    )
    programme = placement.targets.first().programme
    company = placement.company
    big_school = programme.institution  # ROC van Amsterdam
    top = Institution.objects.exclude(pk=big_school.pk).filter(name__icontains="TOP").first()
    top_programme = Programme.objects.filter(institution=top, kind="mbo").first()
    assert top is not None and top_programme is not None, "ROC TOP and its programmes"

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

    # The school side: ROC TOP's coordinator and two school supervisors (5 and 30 internships),
    # every other internship a school supervisor of its school (about --per-school-supervisor
    # each), none for 5 %; ROC van Amsterdam's alike, and a coordinator of its own.
    def school_staff() -> tuple[User, User, User, User, list[int | None]]:
        def person(email: str, name: str, role: str, institution: Institution) -> User:
            user = User.objects.create(email=email, full_name=name, password="!")
            membership_grant(user=user, role=role, institution=institution)
            return user

        top_coordinator = person(
            "coordinator-top@bench.example", "Coördinator TOP", Role.SCHOOL_COORDINATOR, top
        )
        big_coordinator = person(
            "coordinator-rocva@bench.example",
            "Coördinator ROCvA",
            Role.SCHOOL_COORDINATOR,
            big_school,
        )
        docent_5 = person("docent-5@bench.example", "Stagedocent Vijf", Role.SCHOOL_SUPERVISOR, top)
        docent_30 = person(
            "docent-30@bench.example", "Stagedocent Dertig", Role.SCHOOL_SUPERVISOR, top
        )
        unassigned = [i >= 35 and rng.random() < 0.05 for i in range(n)]
        plan: list[tuple[int, int]] = []  # (first internship, last + 1) per other docent
        for first, last in ((35, n_school), (max(n_school, 35), n)):
            assigned = [i for i in range(first, last) if not unassigned[i]]
            for k in range(0, len(assigned), args.per_school_supervisor):
                plan.append(
                    (assigned[k], assigned[min(len(assigned), k + args.per_school_supervisor) - 1])
                )
        User.objects.bulk_create(
            User(email=f"teacher{k}@bench.example", full_name=f"Stagedocent {k}", password="!")
            for k in range(len(plan))
        )
        docents = list(
            User.objects.filter(email__startswith="teacher", email__endswith="@bench.example")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        owner: list[int | None] = [None] * n
        owner[:5] = [docent_5.pk] * min(5, n)
        owner[5:35] = [docent_30.pk] * max(0, min(30, n - 5))
        for pk, (first, last) in zip(docents, plan, strict=True):
            for i in range(first, last + 1):
                if not unassigned[i]:
                    owner[i] = pk
        Membership.objects.bulk_create(
            Membership(
                user_id=pk,
                role=Role.SCHOOL_SUPERVISOR,
                institution=top if first < n_school else big_school,
            )
            for pk, (first, _last) in zip(docents, plan, strict=True)
        )
        return top_coordinator, big_coordinator, docent_5, docent_30, owner

    top_coordinator, big_coordinator, docent_5, docent_30, school_supervisor_of = step(
        "school coordinators and supervisors", school_staff
    )

    # The internships start on the first day of attendance and end 1 to 2 x --weeks weeks
    # (at least 4) from today, on any day, so their mid-terms are spread over the days around
    # today: about half are past.
    start_date = today - dt.timedelta(days=7 * args.weeks)
    ends = [today + dt.timedelta(days=rng.randint(7, 7 * max(4, 2 * args.weeks))) for _ in range(n)]

    def end_of(i: int) -> dt.date:
        return ends[i]

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
                    programme=top_programme if i < n_school else programme,
                    institution=top if i < n_school else big_school,
                    status=Status.ACTIVE,
                    start_date=start_date,
                    end_date=end_of(i),
                    hours_per_week=32,
                    supervisor_id=supervisor_for(i),
                    school_supervisor_id=school_supervisor_of[i],
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
    assert ids == list(range(ids[0], ids[0] + n)), "the bench's internships are one range of ids"
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

    def past_attendance() -> int:
        """Every planned day from the start to yesterday, present, in one INSERT ... SELECT;
        the table's secondary indexes and constraints are dropped for the load and made again
        after it (as a restore would)."""
        first, last = start_date, today - dt.timedelta(days=1)
        if last < first:
            return 0
        marked_at = connection.ops.adapt_datetimefield_value(timezone.now())
        columns = (
            "internship_id, date, mark, source, announced, hours, student_note, marked_at, "
            "call_note"
        )
        if postgres:
            sql("SET maintenance_work_mem = '1GB'")
            sql("SET synchronous_commit = off")
            constraints = _pg_secondary(connection, ATTENDANCE)
            try:
                for statement in constraints.drop:
                    sql(statement)
                written = sql(
                    f"INSERT INTO {ATTENDANCE} ({columns}) "
                    "SELECT w.internship_id, d::date, 'present', 'supervisor', false, 8.00, '', "
                    "%s, '' "
                    "FROM generate_series(%s::date, %s::date, interval '1 day') AS d "
                    "JOIN supervision_workday w ON w.weekday = extract(isodow from d) - 1 "
                    "WHERE w.internship_id >= %s",
                    [marked_at, first, last, ids[0]],
                )
            finally:
                for statement in constraints.create:
                    sql(statement)
                sql("RESET maintenance_work_mem")
                sql("RESET synchronous_commit")
            return written
        # SQLite: the days (with their weekday, Monday 0) once, then each working day of the
        # bench's internships in the order of the table's unique (internship, date) index, which
        # cannot be dropped, so it grows at its end. A big page cache and a rollback journal
        # (not the WAL, which would hold the whole load once more) for the load only.
        sql("PRAGMA journal_mode = DELETE")
        sql("PRAGMA cache_size = -4000000")
        indexes = _sqlite_secondary(connection, ATTENDANCE)
        try:
            for name, _create in indexes:
                sql(f'DROP INDEX "{name}"')
            written = sql(
                f"INSERT INTO {ATTENDANCE} ({columns}) "
                "WITH RECURSIVE dates(d) AS ("
                "  SELECT date(%s) UNION ALL SELECT date(d, '+1 day') FROM dates WHERE d < date(%s)"
                "), days(d, weekday) AS MATERIALIZED ("
                "  SELECT d, (CAST(strftime('%%w', d) AS INTEGER) + 6) %% 7 FROM dates"
                ") SELECT w.internship_id, days.d, 'present', 'supervisor', 0, '8.00', '', %s, '' "
                "FROM supervision_workday w CROSS JOIN days "
                "WHERE w.weekday = days.weekday AND w.internship_id >= %s "
                "ORDER BY w.internship_id, days.d",
                [first.isoformat(), last.isoformat(), marked_at, ids[0]],
            )
        finally:
            for _name, create in indexes:
                sql(create)
            sql("PRAGMA cache_size = -2000")
            sql("PRAGMA journal_mode = WAL")
        return written

    def today_attendance() -> int:
        rows = [
            Attendance(
                internship_id=pk,
                date=today,
                mark=Mark.PRESENT,
                source=Attendance.Source.SUPERVISOR,
                hours=Decimal("8.00"),
                marked_at=timezone.now(),
            )
            for pk in ids
            if pk not in no_word and pk not in on_holiday
        ]
        Attendance.objects.bulk_create(rows, batch_size=batch)
        return len(rows)

    past_rows = step(f"{args.weeks} weeks of attendance (in the database)", past_attendance)
    today_rows = step("today's attendance", today_attendance)
    attendance_rows = past_rows + today_rows
    per_weekday = Counter(
        (start_date + dt.timedelta(days=k)).weekday() for k in range((today - start_date).days)
    )
    expected_past = sum(per_weekday[w] for days in plan.values() for w in days)
    counted = Attendance.objects.filter(internship_id__gte=ids[0]).count()
    assert past_rows == expected_past, (past_rows, expected_past)
    assert counted == expected_past + today_rows, (counted, expected_past, today_rows)
    log(f"{attendance_rows} attendance rows (checked); {len(no_word)} without word today")

    # 0.5 % were absent without notice on last week's days: early warnings of absence.
    absent = rng.sample(ids, n // 200)
    step(
        "absences",
        lambda: Attendance.objects.filter(
            internship_id__in=absent, date__gte=today - dt.timedelta(days=7), date__lt=today
        ).update(mark=Mark.ABSENT, hours=None),
    )

    def progress() -> None:
        rows = []
        for i, pk in enumerate(ids):
            every = 1 if rng.random() < 0.3 else 2
            due = today + dt.timedelta(days=rng.randint(-20, 14))
            # The planned hours: 8 h on each working day of the schedule from start to end.
            planned = (
                planned_minutes(
                    start=start_date, end=end_of(i), weekday_minutes=dict.fromkeys(plan[pk], 480)
                )
                // 60
            )
            rows.append(
                Progress(
                    internship_id=pk,
                    checkin_every_weeks=every,
                    last_checkin_on=due - dt.timedelta(weeks=every),
                    next_checkin_due=due,
                    goals_behind=rng.randint(1, 3) if rng.random() < 0.02 else 0,
                    goals_attention=1 if rng.random() < 0.1 else 0,
                    hours_required=(
                        planned + rng.randint(20, 80) if rng.random() < 0.03 else planned
                    ),
                )
            )
            if len(rows) >= batch:
                Progress.objects.bulk_create(rows)
                rows = []
        Progress.objects.bulk_create(rows)

    step(f"{n} progress rows", progress)
    criteria = [
        {"key": "c1", "text": "Professional attitude: on time, reliable, takes responsibility"},
        {"key": "c2", "text": "Skills of the trade: does the tasks at the expected level"},
        {"key": "c3", "text": "Working together and communicating with colleagues"},
    ]
    due_soon = set(rng.sample(ids, n // 50))
    now = timezone.now()

    def evaluations() -> None:
        rows = []
        for i, pk in enumerate(ids):
            middle = midpoint(start_date, end_of(i))
            midterm = Evaluation(
                internship_id=pk, kind=Evaluation.Kind.MIDTERM, due_on=middle, criteria=criteria
            )
            if pk in due_soon:
                midterm.due_on = today + dt.timedelta(days=rng.randint(0, 3))
            elif middle < today - dt.timedelta(days=7) and rng.random() < 0.9:
                at = dt.datetime.combine(middle + dt.timedelta(days=2), dt.time(15), amsterdam)
                draw = rng.random()
                midterm.decision = (
                    Evaluation.Decision.AT_RISK
                    if draw < 0.01
                    else Evaluation.Decision.ATTENTION
                    if draw < 0.06
                    else Evaluation.Decision.ON_TRACK
                )
                midterm.workplace_at = midterm.student_at = midterm.decided_at = at
                midterm.workplace_by_name = midterm.decided_by_name = "Bench"
            rows += [
                midterm,
                Evaluation(
                    internship_id=pk,
                    kind=Evaluation.Kind.FINAL,
                    due_on=end_of(i),
                    criteria=criteria,
                ),
            ]
            if len(rows) >= batch:
                Evaluation.objects.bulk_create(rows)
                rows = []
        Evaluation.objects.bulk_create(rows)

    step(f"{2 * n} evaluations", evaluations)

    def contact_moments() -> None:
        past_middle = [pk for i, pk in enumerate(ids) if midpoint(start_date, end_of(i)) < today]
        not_held = set(rng.sample(past_middle, min(len(past_middle), n // 50)))
        rows = []
        for i, pk in enumerate(ids):
            at = [
                dt.datetime.combine(day, dt.time(10), amsterdam)
                for day in (start_date, midpoint(start_date, end_of(i)), end_of(i))
            ]
            middle_held = at[1] if at[1] < now and pk not in not_held else None
            rows += [
                ContactMoment(
                    internship_id=pk,
                    kind=ContactMoment.Kind.START,
                    planned_at=at[0],
                    on_site=True,
                    held_at=at[0],
                    agreed="Goals and working days agreed.",
                ),
                ContactMoment(
                    internship_id=pk,
                    kind=ContactMoment.Kind.MIDDLE,
                    planned_at=at[1],
                    held_at=middle_held,
                    agreed="On track." if middle_held else "",
                ),
                ContactMoment(internship_id=pk, kind=ContactMoment.Kind.END, planned_at=at[2]),
            ]
            if len(rows) >= batch:
                ContactMoment.objects.bulk_create(rows)
                rows = []
        ContactMoment.objects.bulk_create(rows)

    step(f"{3 * n} contact moments", contact_moments)

    def analyse() -> None:
        if postgres:
            sql("VACUUM ANALYZE")
        else:
            sql("PRAGMA analysis_limit = 1000")
            sql("ANALYZE")

    step("vacuum and analyse" if postgres else "analyse", analyse)

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
        logged_in(client, Supervisor.objects.get(pk=supervisor_pk).user)
        times = []
        for _ in range(args.page_repeat):
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = client.get("/begeleiding/vandaag/")
                times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        page[label] = {"ms": percentiles(times), "queries": len(ctx.captured_queries)}

    # 4. The morning job: cold (committed), then steady (rolled back); the review's batch sizes.
    def morning() -> dict[str, Any]:
        notes_before = Notification.objects.count()
        tasks_before = DBTaskResult.objects.count()
        parts: dict[str, float] = {}
        tracemalloc.start()
        began = time.perf_counter()
        counts = warnings_review(now=morning_at)
        parts["warnings_review"] = time.perf_counter() - began
        counts["checkin_reminders"] = checkin_reminders(now=morning_at)
        parts["checkin_reminders"] = time.perf_counter() - began - sum(parts.values())
        counts["evaluation_reminders"] = evaluations_remind(now=morning_at)
        parts["evaluations_remind"] = time.perf_counter() - began - sum(parts.values())
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        return {
            "s": seconds,
            "parts_s": parts,
            "peak_mb": peak,
            "counts": counts,
            "notifications": Notification.objects.count() - notes_before,
            "tasks": DBTaskResult.objects.count() - tasks_before,
        }

    cold = morning()
    cold["open_warnings"] = dict(
        EarlyWarning.objects.filter(resolved_at__isnull=True)
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    log(f"morning job, cold: {cold['s']:.1f} s {cold['counts']}")
    step(
        "vacuum and analyse after the cold run" if postgres else "analyse after the cold run",
        analyse,
    )
    steady_runs = []
    for _ in range(args.repeat):
        with transaction.atomic():
            steady_runs.append(morning())
            transaction.set_rollback(True)
    log(f"morning job, steady: {[round(r['s'], 1) for r in steady_runs]} s")
    batch_times: dict[int, list[float]] = {size: [] for size in args.batch_sizes}
    for _ in range(args.repeat):
        for size in args.batch_sizes:
            with transaction.atomic():
                began = time.perf_counter()
                warnings_review(now=morning_at, batch=size)
                batch_times[size].append(time.perf_counter() - began)
                transaction.set_rollback(True)
    log(f"review by batch size: { {k: [round(t, 1) for t in v] for k, v in batch_times.items()} }")

    # One batch of the review's reads (the default 2000, from the middle of the bench's
    # internships), query by query: where its time goes.
    middle_batch = list(
        Internship.objects.filter(status=Status.ACTIVE, pk__gt=ids[n // 2])
        .order_by("pk")
        .values("pk", "start_date", "end_date", "institution_id")[:2000]
    )
    with CaptureQueriesContext(connection) as ctx:
        facts_for_batch(middle_batch, now=morning_at, thresholds={})
    review_batch = sorted(
        ((float(q["time"]) * 1000, _table_of(q["sql"]), q["sql"]) for q in ctx.captured_queries),
        reverse=True,
    )
    for ms, table, _text in review_batch:
        log(f"review batch of {len(middle_batch)}: {ms:.0f} ms {table}")
    _explain(connection, review_batch[0][2], log)

    # 5. The school's dashboards: every case's requests alternated, one warm-up each.
    pages = math.ceil(n_school / 25)
    deep = min(100, max(2, pages))
    cases = {
        "overview TOP, page 1": (top_coordinator, f"/scholen/{top.slug}/begeleiding/"),
        f"overview TOP, page {deep}": (
            top_coordinator,
            f"/scholen/{top.slug}/begeleiding/?page={deep}",
        ),
        "overview ROCvA, page 1": (big_coordinator, f"/scholen/{big_school.slug}/begeleiding/"),
        f"overview ROCvA, page {deep}": (
            big_coordinator,
            f"/scholen/{big_school.slug}/begeleiding/?page={deep}",
        ),
        "caseload, 5": (docent_5, "/begeleiding/mijn-stagiairs/"),
        "caseload, 30": (docent_30, "/begeleiding/mijn-stagiairs/"),
    }
    clients = {}
    for label, (user, _url) in cases.items():
        clients[label] = Client(HTTP_HOST="localhost")
        logged_in(clients[label], user)
    dash_times: dict[str, list[float]] = {label: [] for label in cases}
    dash_queries: dict[str, set[int]] = {label: set() for label in cases}
    dash_sql: dict[str, list[float]] = {label: [] for label in cases}
    slowest: dict[str, list] = {}
    for round_ in range(args.page_repeat + 1):
        for label, (_user, url) in cases.items():
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = clients[label].get(url)
                ms = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (label, response.status_code)
            if round_ == 0:
                continue  # warm-up
            dash_times[label].append(ms)
            dash_queries[label].add(len(ctx.captured_queries))
            dash_sql[label].append(sum(float(q["time"]) * 1000 for q in ctx.captured_queries))
            slowest[label] = sorted(
                ((float(q["time"]) * 1000, q["sql"]) for q in ctx.captured_queries),
                reverse=True,
            )
    for label, found in slowest.items():
        for ms, text in found[:2]:
            log(f"{label}: {ms:.0f} ms {text[:300]}")
        _explain(connection, found[0][1], log)
    dashboards = {
        label: {
            "ms": percentiles(times),
            "sql_ms": statistics.median(dash_sql[label]),
            "queries": sorted(dash_queries[label]),
            "slowest_ms": slowest[label][0][0],
            "slowest": _table_of(slowest[label][0][1]),
        }
        for label, times in dash_times.items()
    }

    print(
        json.dumps(
            {
                "setup_s": setup,
                "internships": n,
                "school_internships": n_school,
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
                "morning": {
                    "cold": cold,
                    "steady": {
                        "s": percentiles([r["s"] for r in steady_runs]),
                        "parts_s": {
                            part: statistics.median(r["parts_s"][part] for r in steady_runs)
                            for part in steady_runs[0]["parts_s"]
                        },
                        "peak_mb": max(r["peak_mb"] for r in steady_runs),
                        "counts": steady_runs[-1]["counts"],
                        "notifications": steady_runs[-1]["notifications"],
                    },
                    "batch_s": {str(k): percentiles(v) for k, v in batch_times.items()},
                    "review_batch": {
                        "size": len(middle_batch),
                        "queries_ms": [(round(ms, 1), table) for ms, table, _t in review_batch],
                    },
                },
                "dashboards": dashboards,
                "deep_page": deep,
            },
            default=str,
        )
    )


def _table_of(statement: str) -> str:
    """The statement's kind and first table, to name it in a line."""
    import re

    found = re.search(r'FROM "(\w+)"', statement)
    return f"{statement.split()[0]} {found.group(1) if found else '?'}"


def _explain(connection, statement: str, log) -> None:
    """Log the plan of a captured statement (PostgreSQL: run, with buffers)."""
    if not statement.lstrip().upper().startswith("SELECT"):
        return
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + statement.replace("%", "%%"), ())
            rows = cursor.fetchall()
    except Exception as exc:  # a captured statement may not run as text; the plan is a bonus
        log(f"no plan: {exc}")
        return
    plan = "\n    ".join(" ".join(str(c) for c in row)[:240] for row in rows)
    log(f"plan of {statement[:200]} ...\n    {plan}")


class _Secondary:
    """The statements that drop a table's secondary indexes and constraints, and make them
    again."""

    def __init__(self) -> None:
        self.drop: list[str] = []
        self.create: list[str] = []


def _pg_secondary(connection, table: str) -> _Secondary:
    """PostgreSQL: the unique and foreign-key constraints and the indexes that no constraint
    owns (the primary key stays); indexes are made before constraints, which use them."""
    out = _Secondary()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = current_schema() AND tablename = %s AND indexname NOT IN ("
            "  SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass"
            ")",
            [table, table],
        )
        indexes = cursor.fetchall()
    out.drop += [f'ALTER TABLE {table} DROP CONSTRAINT "{name}"' for name, _d in constraints]
    out.drop += [f'DROP INDEX "{name}"' for name, _d in indexes]
    out.create += [definition for _n, definition in indexes]
    out.create += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for name, definition in constraints
    ]
    return out


def _sqlite_secondary(connection, table: str) -> list[tuple[str, str]]:
    """SQLite: the indexes made with CREATE INDEX (those of the table's own constraints cannot
    be dropped), by name, with the statement that makes each."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        return cursor.fetchall()


def statistics_ratio(slow: list[float], fast: list[float]) -> float:
    return statistics.median(slow) / statistics.median(fast)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--internships", type=int, default=300_000)
    parser.add_argument("--weeks", type=int, default=4, help="weeks of attendance before today")
    parser.add_argument("--per-supervisor", type=int, default=3)
    parser.add_argument(
        "--school-internships",
        type=int,
        default=10_000,
        help="internships of ROC TOP, the school whose dashboards are measured",
    )
    parser.add_argument("--per-school-supervisor", type=int, default=40)
    parser.add_argument(
        "--batch-sizes",
        type=lambda text: [int(x) for x in text.split(",")],
        default=[500, 2000],
        help="the review's batch sizes to compare (default: 500,2000)",
    )
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
        f"--school-internships={args.school_internships}",
        f"--per-school-supervisor={args.per_school_supervisor}",
        f"--batch-sizes={','.join(map(str, args.batch_sizes))}",
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
        _print_morning(r["morning"])
        _print_dashboards(r)
        print(f"  set-up: { {k: round(v, 1) for k, v in r['setup_s'].items()} }")


def _print_morning(m: dict[str, Any]) -> None:
    cold, steady = m["cold"], m["steady"]
    parts = ", ".join(f"{k} {v:.1f}" for k, v in cold["parts_s"].items())
    print(
        f"  morning job, cold (committed, tracemalloc on): {cold['s']:.1f} s ({parts}), "
        f"peak {cold['peak_mb']:.1f} MB, {cold['counts']}, "
        f"{cold['notifications']} notifications, {cold['tasks']} e-mails queued"
    )
    print(f"    open warnings after it: {cold['open_warnings']}")
    parts = ", ".join(f"{k} {v:.1f}" for k, v in steady["parts_s"].items())
    print(
        f"  morning job, steady (rolled back, tracemalloc on): p50 {steady['s']['p50']:.1f} s, "
        f"max {steady['s']['max']:.1f} s ({parts}), peak {steady['peak_mb']:.1f} MB, "
        f"{steady['counts']}, {steady['notifications']} notifications"
    )
    sizes = list(m["batch_s"])
    figures = ", ".join(f"batch {k}: p50 {m['batch_s'][k]['p50']:.1f} s" for k in sizes)
    ratio = m["batch_s"][sizes[0]]["p50"] / m["batch_s"][sizes[-1]]["p50"]
    print(f"  warnings_review by batch size: {figures} ({sizes[0]}/{sizes[-1]} x{ratio:.2f})")
    batch = m["review_batch"]
    top3 = ", ".join(f"{ms:.0f} ms {table}" for ms, table in batch["queries_ms"][:3])
    total = sum(ms for ms, _t in batch["queries_ms"])
    print(
        f"  one review batch of {batch['size']}: {len(batch['queries_ms'])} queries, "
        f"{total:.0f} ms SQL ({top3})"
    )
    if "2000" in m["batch_s"]:  # the review's default batch: its time without tracemalloc
        traced = steady["parts_s"]["warnings_review"] / m["batch_s"]["2000"]["p50"]
        print(f"    (the steady warnings_review with tracemalloc on / without: x{traced:.1f})")


def _print_dashboards(r: dict[str, Any]) -> None:
    d = r["dashboards"]
    for label, p in d.items():
        queries = "/".join(map(str, p["queries"]))
        print(
            f"  {label}: p50 {p['ms']['p50']:.1f} ms, p95 {p['ms']['p95']:.1f} ms, "
            f"{queries} queries (SQL p50 {p['sql_ms']:.0f} ms, slowest {p['slowest_ms']:.0f} ms: "
            f"{p['slowest']})"
        )
    deep = r["deep_page"]

    def same(*labels: str) -> str:
        counts = {q for label in labels for q in d[label]["queries"]}
        return "same" if len(counts) == 1 else f"DIFFERENT: {sorted(counts)}"

    print(
        f"  queries: caseload 5 vs 30 {same('caseload, 5', 'caseload, 30')}; "
        f"overview page 1 vs {deep} {same('overview TOP, page 1', f'overview TOP, page {deep}')}"
    )
    big = r["internships"] - r["school_internships"]
    for page in (1, deep):
        ratio = (
            d[f"overview ROCvA, page {page}"]["ms"]["p50"]
            / d[f"overview TOP, page {page}"]["ms"]["p50"]
        )
        print(
            f"  overview page {page}, ROCvA ({big}) / TOP ({r['school_internships']}): "
            f"x{ratio:.1f} (p50)"
        )


if __name__ == "__main__":
    main()
