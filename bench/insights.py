"""Regional insight at national scale: the hourly job that precomputes the figures, and every
insight chart's page and API answer, which read only those figures; on PostgreSQL and SQLite.

    .venv/bin/python bench/insights.py --skip-sqlite                  # full scale, PostgreSQL
    .venv/bin/python bench/insights.py --scale 0.05                   # both databases, 1/20th
    .venv/bin/python bench/insights.py --scale 0.02 --repeat 10 --skip-postgres

For each database a child process builds a fresh data set over three school years (the current
one and the two before), written with bulk inserts (the services' own costs are not what this
measures): the reference data; --schools schools besides the four of the reference data (60 %
MBO with 80 programmes each, the rest HBO with 30), each at home in one municipality with its
placements in the 15 municipalities around it; --companies businesses spread over the SBI
sections, each programme's placements at businesses of the two sections that fit it;
--placements published placements (1 to 3 positions, 10 % open to a second programme of the
school, allowances around the guidance, a "published" event in their history); --students
students (a membership, and for 60 % a profile with the day they can start and, for the
Amsterdam region's schools, their home postcode area); --internships internships of distinct
students at placements of their programme (past years: 85 % completed, 10 % stopped with a
reason; this year: confirmed, under way, a few stopped), confirmed 0 to 120 days after the
placement was published, each with a mid-term and a final evaluation (decided in past years);
matching rounds of 1,000 students; --events events with 15 sign-ups each, 60 % attended.
Set-up time is printed apart. Then it measures

* the refresh job (`insights.services.figures_refresh`): its time per step and in all, its
  peak Python memory (tracemalloc) and the facts it writes; cold (the first run), then again;
* every insight chart (the eleven, and the public chance of a place) as the operator sees it
  (`GET /inzicht/<chart>/`), narrowed to a school and a level, to a sector and a municipality,
  to one programme, as a school's coordinator sees it (`GET /scholen/<slug>/inzicht/<chart>/`)
  and through the API (`GET /api/v1/insights/charts/<chart>`): p50/p95 after a warm-up, and the
  SQL queries of each request, which must be the same for every request of a chart;
* the same figures two ways, alternated: the "supply and demand by level" chart's sums read
  from the precomputed facts (what the page does) and computed live from the source tables
  with the job's own grouped SQL for that school year: the ratio.
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

PG_DATABASE = "stagebrug_bench_insights"
P95_BUDGET_MS = 200


def worker(args: argparse.Namespace) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stagebrug.settings")
    import datetime as dt
    import random
    from decimal import Decimal

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Sum
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from stagebrug.accounts.models import Membership, Role, User
    from stagebrug.accounts.services import membership_grant
    from stagebrug.applications.models import StudentProfile
    from stagebrug.community.models import Event, Registration
    from stagebrug.insights import charts, refresh, rules, selectors
    from stagebrug.insights.models import Fact, Grain
    from stagebrug.insights.services import figures_refresh
    from stagebrug.internships.models import Internship, StopReason
    from stagebrug.matching.models import Round, RoundStudent
    from stagebrug.placements.models import (
        HOURS_PER_MONTH_PER_WEEKLY_HOUR,
        AllowanceGuidance,
        Kind,
        Placement,
        PlacementEvent,
        PlacementProgramme,
        ProgrammeDecision,
        Status,
    )
    from stagebrug.registry.models import (
        Company,
        CrohoProgramme,
        Institution,
        Location,
        Municipality,
        Postcode,
        Programme,
        Qualification,
        SectorCode,
    )
    from stagebrug.registry.reference import load_all
    from stagebrug.supervision.models import Evaluation

    setup = SetUp()
    step = setup.step

    def sql(statement: str, params: list | tuple = ()) -> int:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    postgres = connection.vendor == "postgresql"
    rng = random.Random(7)
    scale = args.scale
    n_students = int(args.students * scale)
    n_placements = int(args.placements * scale)
    n_internships = int(args.internships * scale)
    n_companies = max(200, int(args.companies * scale))
    n_events = max(50, int(args.events * scale))
    n_schools = max(4, int(args.schools * min(1.0, scale * 4)))
    batch = 5000
    today = timezone.localdate()
    now = timezone.now()
    current = rules.school_year_of(today)
    years = [current - 2, current - 1, current]

    def manual_timestamps(*models) -> None:
        """Bulk inserts keep the dates we give (created_at is otherwise "now")."""
        for model in models:
            for f in model._meta.concrete_fields:
                if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                    f.auto_now_add = f.auto_now = False
                    f.default = timezone.now

    manual_timestamps(Placement, PlacementEvent, Internship, StudentProfile, Evaluation)

    def write(objs) -> None:
        """Insert model instances as they are: COPY on PostgreSQL, bulk_create on SQLite."""
        objs = list(objs)
        if not objs:
            return
        model = type(objs[0])
        if not postgres:
            model.objects.bulk_create(objs, batch_size=1000)
            return
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        statement = f"COPY {model._meta.db_table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for obj in objs:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )

    step("migrate and reference data", lambda: (call_command("migrate", verbosity=0), load_all()))

    # ---------------------------------------------------------------------------------------
    # Schools and programmes

    municipalities = list(Municipality.objects.order_by("code").values_list("code", flat=True))
    mra = set(Municipality.objects.filter(is_mra=True).values_list("code", flat=True))
    pc4_by_municipality: dict[str, list[str]] = {}
    for code, municipality in Postcode.objects.exclude(municipality=None).values_list(
        "code", "municipality_id"
    ):
        pc4_by_municipality.setdefault(municipality, []).append(code)
    sections = list(SectorCode.objects.filter(level="sectie").values_list("code", flat=True))
    division_of = {
        s: SectorCode.objects.filter(parent_id=s).order_by("code").values_list("code", flat=True)[0]
        for s in sections
        if SectorCode.objects.filter(parent_id=s).exists()
    }
    sections = [s for s in sections if s in division_of]

    def schools() -> None:
        qualifications = list(Qualification.objects.all())
        crohos = list(CrohoProgramme.objects.all())
        institutions = []
        for i in range(n_schools - 4):
            kind = "mbo" if i < 0.6 * (n_schools - 4) else "hbo"
            institutions.append(
                Institution(
                    name=f"Bench {kind.upper()} {i}",
                    short_name=f"B{i}",
                    slug=f"bench-{i}",
                    kind=kind,
                    brin=f"{i:03d}Q",
                    city="",
                )
            )
        Institution.objects.bulk_create(institutions)
        programmes = []
        for school in Institution.objects.filter(slug__startswith="bench-"):
            if school.kind == "mbo":
                for q in rng.sample(qualifications, min(80, len(qualifications))):
                    programmes.append(
                        Programme(
                            institution=school,
                            name=q.name,
                            slug=f"{q.crebo}",
                            kind="mbo",
                            qualification=q,
                            mbo_level=q.level,
                            sector="economie",
                        )
                    )
            else:
                for c in rng.sample(crohos, min(30, len(crohos))):
                    programmes.append(
                        Programme(
                            institution=school,
                            name=c.name,
                            slug=c.code,
                            kind="hbo",
                            croho=c,
                            hbo_level="bachelor",
                            sector=c.sector,
                        )
                    )
        Programme.objects.bulk_create(programmes, batch_size=batch)

    step(f"{n_schools} schools and their programmes", schools)
    programmes = list(Programme.objects.values_list("pk", "institution_id", "kind", "mbo_level"))
    school_ids = sorted({p[1] for p in programmes})
    # A school's home, and the 15 municipalities around it where its placements are; the
    # reference data's four schools are in Amsterdam.
    home: dict[int, int] = {}
    for school in school_ids:
        home[school] = (
            municipalities.index("0363") if school <= 4 else rng.randrange(len(municipalities))
        )

    def near(school: int) -> str:
        return municipalities[(home[school] + rng.randrange(15)) % len(municipalities)]

    programme_sections = {p[0]: rng.sample(sections, 2) for p in programmes}
    by_school: dict[int, list[int]] = {}
    for pk, school, _kind, _level in programmes:
        by_school.setdefault(school, []).append(pk)
    programme_info = {p[0]: p for p in programmes}

    # ---------------------------------------------------------------------------------------
    # Businesses

    def companies() -> None:
        pc4 = Postcode.objects.exclude(municipality=None).values_list("code", flat=True)[0]
        rows = (
            Company(
                kvk_number=f"{50_000_000 + i}",
                name=f"Bedrijf {i}",
                sector_id=division_of[sections[i % len(sections)]],
                employee_count=5 + i % 40,
                street="Benchstraat",
                house_number=str(1 + i % 200),
                postcode=f"{pc4} AB",
                city="Amsterdam",
                pc4_id=pc4,
                is_public=True,
                registration_step="done",
            )
            for i in range(n_companies)
        )
        Company.objects.bulk_create(rows, batch_size=batch)
        Location.objects.bulk_create(
            (
                Location(
                    company_id=pk,
                    name="Hoofdvestiging",
                    is_main=True,
                    street="Benchstraat",
                    house_number="1",
                    postcode=f"{pc4} AB",
                    city="Amsterdam",
                    pc4_id=pc4,
                )
                for pk in Company.objects.filter(kvk_number__gte="50000000").values_list(
                    "pk", flat=True
                )
            ),
            batch_size=batch,
        )

    step(f"{n_companies} businesses", companies)
    company_by_section: dict[str, list[tuple[int, int]]] = {}
    for company, location, code in Location.objects.filter(
        company__kvk_number__gte="50000000"
    ).values_list("company_id", "pk", "company__sector_id"):
        section = next(s for s, d in division_of.items() if d == code)
        company_by_section.setdefault(section, []).append((company, location))

    # ---------------------------------------------------------------------------------------
    # Placements, offered to programmes, with their history

    guidance_hour = Decimal("2.00")

    def day_in(year: int) -> dt.date:
        return rules.school_year_start(year) + dt.timedelta(days=rng.randrange(365))

    # Per placement: programme, positions, first publication, school year, first start date.
    placement_meta: list[tuple[int, int, dt.datetime, int, dt.date]] = []

    def placements() -> None:
        programme_ids = [p[0] for p in programmes]
        for start in range(0, n_placements, batch):
            rows, meta = [], []
            for i in range(start, min(n_placements, start + batch)):
                programme = rng.choice(programme_ids)
                _pk, school, kind, level = programme_info[programme]
                year = years[i % 3]
                first = day_in(year)
                published = timezone.make_aware(
                    dt.datetime.combine(
                        first - dt.timedelta(days=rng.randint(14, 150)), dt.time(10)
                    )
                )
                company, location = rng.choice(
                    company_by_section[rng.choice(programme_sections[programme])]
                )
                hours = rng.choice((24, 32, 36, 40))
                per_hour = (
                    Decimal(0)
                    if rng.random() < 0.15
                    else guidance_hour * Decimal(rng.uniform(0.3, 2))
                ).quantize(Decimal("0.01"))
                hbo = kind == "hbo"
                positions = rng.choice((1, 1, 1, 2, 3))
                rows.append(
                    Placement(
                        company_id=company,
                        location_id=location,
                        title=f"Stage {i}",
                        description="Een stage.",
                        activities=["werken"],
                        kind=Kind.HBO_PLACEMENT if hbo else Kind.MBO_BOL,
                        levels=[5 if hbo else level],
                        hours_per_week=hours,
                        duration_weeks=20,
                        start_dates=[first.isoformat()],
                        positions=positions,
                        allowance_amount=per_hour,
                        allowance_unit="hour",
                        allowance_basis="net",
                        status=Status.PUBLISHED,
                        created_at=published,
                        updated_at=published,
                        submitted_at=published,
                        published_at=published,
                        earliest_start=first,
                        monthly_allowance=(
                            per_hour * hours * HOURS_PER_MONTH_PER_WEEKLY_HOUR
                        ).quantize(Decimal("0.01")),
                        municipality_id=near(school),
                    )
                )
                meta.append((programme, positions, published, year, first))
            write(rows)
            placement_meta.extend(meta)

    step(f"{n_placements} placements", placements)
    placement_ids = list(Placement.objects.order_by("pk").values_list("pk", flat=True))
    assert len(placement_ids) == n_placements

    def targets() -> None:
        rows = []
        for pk, (programme, _pos, published, _year, _first) in zip(
            placement_ids, placement_meta, strict=True
        ):
            rows.append(
                PlacementProgramme(
                    placement_id=pk,
                    programme_id=programme,
                    decision=ProgrammeDecision.APPROVED,
                    decided_at=published,
                )
            )
            if rng.random() < 0.1:  # open to a second programme of the school
                other = rng.choice(by_school[programme_info[programme][1]])
                if other != programme:
                    rows.append(
                        PlacementProgramme(
                            placement_id=pk,
                            programme_id=other,
                            decision=ProgrammeDecision.APPROVED,
                            decided_at=published,
                        )
                    )
            if len(rows) >= batch:
                write(rows)
                rows = []
        write(rows)
        events = []
        for pk, (_p, _pos, published, _y, _f) in zip(placement_ids, placement_meta, strict=True):
            events.append(PlacementEvent(placement_id=pk, action="published", created_at=published))
            if len(events) >= batch:
                write(events)
                events = []
        write(events)

    step("their programmes and history", targets)

    # ---------------------------------------------------------------------------------------
    # Students

    programme_ids = [p[0] for p in programmes]
    student_programme: list[int] = [rng.choice(programme_ids) for _ in range(n_students)]

    def students() -> None:
        for start in range(0, n_students, batch):
            write(
                User(email=f"s{i}@bench.example", full_name=f"Student {i}", password="!")
                for i in range(start, min(n_students, start + batch))
            )
        ids = list(
            User.objects.filter(email__endswith="@bench.example", email__startswith="s")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, n_students, batch):
            write(
                Membership(
                    user_id=ids[i],
                    role=Role.STUDENT,
                    institution_id=programme_info[student_programme[i]][1],
                    programme_id=student_programme[i],
                )
                for i in range(start, min(n_students, start + batch))
            )
            profiles = []
            for i in range(start, min(n_students, start + batch)):
                if rng.random() >= 0.6:
                    continue
                school = programme_info[student_programme[i]][1]
                home_code = municipalities[home[school]]
                pc4s = pc4_by_municipality.get(home_code) if home_code in mra else None
                year = rng.choice(years)
                made = timezone.make_aware(
                    dt.datetime.combine(day_in(year) - dt.timedelta(days=90), dt.time(12))
                )
                profiles.append(
                    StudentProfile(
                        user_id=ids[i],
                        programme_id=student_programme[i],
                        home_pc4_id=rng.choice(pc4s) if pc4s else None,
                        available_from=day_in(year) if rng.random() < 0.8 else None,
                        created_at=made,
                        updated_at=made,
                    )
                )
            write(profiles)
        return ids

    student_ids = step(f"{n_students} students", students)

    # ---------------------------------------------------------------------------------------
    # Internships at placements of the student's programme

    def internships() -> None:
        free: dict[int, list[int]] = {}
        for index, (programme, positions, _pub, _year, _first) in enumerate(placement_meta):
            free.setdefault(programme, []).extend([index] * positions)
        for places in free.values():
            rng.shuffle(places)
        rows, made = [], 0
        reasons = [r.value for r in StopReason]
        for i in rng.sample(range(n_students), n_students):
            if made >= n_internships:
                break
            places = free.get(student_programme[i])
            if not places:
                continue
            index = places.pop()
            programme, _positions, published, year, start = placement_meta[index]
            confirmed = min(
                published + dt.timedelta(days=rng.randint(0, 120)),
                timezone.make_aware(dt.datetime.combine(start, dt.time(9))),
                now,
            )
            if year < current:
                status = "stopped" if rng.random() < 0.1 else "completed"
            else:
                roll = rng.random()
                status = "stopped" if roll < 0.03 else "active" if roll < 0.6 else "confirmed"
            rows.append(
                Internship(
                    student_id=student_ids[i],
                    placement_id=placement_ids[index],
                    programme_id=programme,
                    institution_id=programme_info[programme][1],
                    status=status,
                    start_date=start,
                    end_date=start + dt.timedelta(weeks=20),
                    hours_per_week=32,
                    source="application",
                    stop_reason=rng.choice(reasons) if status == "stopped" else "",
                    stop_note="Gestopt." if status == "stopped" else "",
                    created_at=confirmed,
                    updated_at=confirmed,
                )
            )
            made += 1
            if len(rows) >= batch:
                write(rows)
                rows = []
        write(rows)
        # Positions taken, and full placements filled, as `placement_take_positions` leaves them.
        taken = (
            "SELECT placement_id, COUNT(*) AS n FROM internships_internship GROUP BY placement_id"
        )
        if postgres:
            sql(
                f"UPDATE placements_placement p SET positions_taken = t.n FROM ({taken}) t "
                "WHERE t.placement_id = p.id"
            )
        else:
            sql(
                "UPDATE placements_placement SET positions_taken = (SELECT COUNT(*) FROM "
                "internships_internship i WHERE i.placement_id = placements_placement.id)"
            )
        sql(
            "UPDATE placements_placement SET status = 'filled' "
            "WHERE positions_taken = positions AND status = 'published'"
        )
        return made

    made = step(f"{n_internships} internships", internships)

    def evaluations() -> None:
        rows = []
        decided = timezone.now()
        for pk, status, start, end in Internship.objects.values_list(
            "pk", "status", "start_date", "end_date"
        ).iterator(chunk_size=batch):
            past = status in ("completed", "stopped")
            roll = rng.random()
            mid = "on_track" if roll < 0.7 else "attention" if roll < 0.9 else "at_risk"
            rows.append(
                Evaluation(
                    internship_id=pk,
                    kind="midterm",
                    due_on=start + (end - start) / 2,
                    decision=mid if past or rng.random() < 0.3 else "",
                    decided_at=decided if past else None,
                    created_at=decided,
                    updated_at=decided,
                )
            )
            if status == "completed":
                rows.append(
                    Evaluation(
                        internship_id=pk,
                        kind="final",
                        due_on=end,
                        decision="passed" if rng.random() < 0.92 else "not_passed",
                        decided_at=decided,
                        created_at=decided,
                        updated_at=decided,
                    )
                )
            if len(rows) >= batch:
                write(rows)
                rows = []
        write(rows)

    step("their evaluations", evaluations)

    def rounds_and_events() -> None:
        for r in range(max(1, int(20 * scale * 5))):
            programme = rng.choice(programme_ids)
            made_at = timezone.make_aware(
                dt.datetime.combine(day_in(rng.choice(years)), dt.time(9))
            )
            round_ = Round.objects.create(
                institution_id=programme_info[programme][1],
                programme_id=programme,
                name=f"Ronde {r}",
                deadline=made_at + dt.timedelta(days=14),
                status="published",
            )
            Round.objects.filter(pk=round_.pk).update(created_at=made_at)
            members = [student_ids[i] for i in rng.sample(range(n_students), 1000)]
            RoundStudent.objects.bulk_create(
                RoundStudent(round=round_, student_id=s) for s in members
            )
        kinds = [k.value for k in Event.Kind]
        events = []
        postcodes = [c for codes in pc4_by_municipality.values() for c in codes]
        for e in range(n_events):
            starts_at = timezone.make_aware(dt.datetime.combine(day_in(years[e % 3]), dt.time(15)))
            programme = rng.choice(programme_ids) if rng.random() < 0.5 else None
            events.append(
                Event(
                    kind=kinds[e % len(kinds)],
                    title=f"Bijeenkomst {e}",
                    description="Een bijeenkomst.",
                    institution_id=rng.choice(school_ids) if rng.random() < 0.9 else None,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    venue="Aula",
                    pc4_id=rng.choice(postcodes),
                    programme_id=programme,
                    sector_id=rng.choice(sections) if rng.random() < 0.3 else None,
                    state="cancelled" if rng.random() < 0.03 else "published",
                )
            )
        Event.objects.bulk_create(events, batch_size=batch)
        registrations = []
        for event in Event.objects.values_list("pk", flat=True).iterator(chunk_size=batch):
            for r in range(15):
                registrations.append(
                    Registration(
                        event_id=event,
                        name=f"Gast {r}",
                        status="confirmed" if r < 12 else "waiting",
                        attended_at=now if r < 9 else None,
                    )
                )
            if len(registrations) >= batch:
                write(registrations)
                registrations = []
        write(registrations)

    step(f"matching rounds, {n_events} events and their sign-ups", rounds_and_events)

    operator = User.objects.create(
        email="operator@bench.example", full_name="Operator", password="!"
    )
    membership_grant(user=operator, role=Role.OPERATOR)
    school = Institution.objects.get(brin="25PZ")  # ROC van Amsterdam
    coordinator = User.objects.create(
        email="coordinator@bench.example", full_name="Coördinator", password="!"
    )
    membership_grant(user=coordinator, role=Role.SCHOOL_COORDINATOR, institution=school)

    def analyse() -> None:
        if postgres:
            sql("VACUUM ANALYZE")
        else:
            sql("PRAGMA analysis_limit = 1000")
            sql("ANALYZE")

    step("vacuum and analyse" if postgres else "analyse", analyse)
    counts = {
        "students": User.objects.filter(
            email__startswith="s", email__endswith="@bench.example"
        ).count(),
        "profiles": StudentProfile.objects.count(),
        "placements": Placement.objects.count(),
        "targets": PlacementProgramme.objects.count(),
        "internships": Internship.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "programmes": Programme.objects.count(),
        "schools": Institution.objects.count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
    }
    log(f"data: {counts}")

    # ---------------------------------------------------------------------------------------
    # 1. The refresh job: cold, then again.

    def timed_refresh() -> dict:
        tracemalloc.start()
        began = time.perf_counter()
        done = figures_refresh(force=True)
        seconds = time.perf_counter() - began
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        return {"s": seconds, "peak_mb": peak, "facts": done["facts"], "steps_s": done["steps_s"]}

    job_runs = [timed_refresh() for _ in range(args.refreshes)]
    log(f"refresh: {[round(r['s'], 1) for r in job_runs]} s, {job_runs[0]['facts']} facts")
    grains = dict(Fact.objects.order_by().values_list("grain").annotate(n=Count("pk")))

    # ---------------------------------------------------------------------------------------
    # 2. Every chart, as every reader sees it.

    hbo_programme = (
        Fact.objects.filter(grain=Grain.PROGRAMME, school_year=current, measure=refresh.PLACES)
        .order_by("-value")
        .values_list("programme_id", "institution_id")
        .first()
    )
    busiest_school = (
        Fact.objects.filter(grain=0, school_year=current, measure=refresh.PLACES)
        .values("institution_id")
        .annotate(n=Sum("value"))
        .order_by("-n")
        .first()["institution_id"]
    )
    busiest_municipality = (
        # The filter offers the region's municipalities (and "outside the region").
        Fact.objects.filter(
            grain=Grain.MUNICIPALITY,
            school_year=current,
            measure=refresh.PLACES,
            municipality__is_mra=True,
        )
        .values("municipality_id")
        .annotate(n=Sum("value"))
        .order_by("-n")
        .first()["municipality_id"]
    )
    coordinator_client = Client(HTTP_HOST="localhost")
    logged_in(coordinator_client, coordinator)
    operator_client = Client(HTTP_HOST="localhost")
    logged_in(operator_client, operator)
    public_client = Client(HTTP_HOST="localhost")

    cases: dict[str, tuple[Client, str]] = {}
    for chart in charts.CHARTS:
        s = chart.slug
        cases[f"{s}: region"] = (operator_client, f"/inzicht/{s}/")
        cases[f"{s}: school and level"] = (
            operator_client,
            f"/inzicht/{s}/?school={busiest_school}&level=4",
        )
        cases[f"{s}: sector and municipality"] = (
            operator_client,
            f"/inzicht/{s}/?sector=G&municipality={busiest_municipality}",
        )
        cases[f"{s}: one programme"] = (
            operator_client,
            f"/inzicht/{s}/?school={hbo_programme[1]}&programme={hbo_programme[0]}",
        )
        cases[f"{s}: a school's own"] = (coordinator_client, f"/scholen/{school.slug}/inzicht/{s}/")
        cases[f"{s}: API"] = (operator_client, f"/api/v1/insights/charts/{s}")
    cases["chance: public page"] = (public_client, "/kans-op-stage/")
    cases["chance: public page, a school"] = (
        public_client,
        f"/kans-op-stage/?school={busiest_school}",
    )
    cases["chance: API"] = (public_client, "/api/v1/insights/chance")

    times: dict[str, list[float]] = {label: [] for label in cases}
    queries: dict[str, set[int]] = {label: set() for label in cases}
    sizes: dict[str, int] = {}
    for round_ in range(args.repeat + 1):
        for label, (client, url) in cases.items():
            connection.queries_log.clear()  # it keeps 9,000 queries; each request counts anew
            with CaptureQueriesContext(connection) as ctx:
                began = time.perf_counter()
                response = client.get(url)
                ms = (time.perf_counter() - began) * 1000
            assert response.status_code == 200, (label, response.status_code)
            if round_ == 0:
                sizes[label] = len(response.content)
                continue  # warm-up
            times[label].append(ms)
            queries[label].add(len(ctx.captured_queries))
    pages = {
        label: {"ms": percentiles(t), "queries": sorted(queries[label]), "bytes": sizes[label]}
        for label, t in times.items()
    }

    # ---------------------------------------------------------------------------------------
    # 3. Precomputed facts against the same figures computed live (supply and demand by level).

    chart = charts.BY_SLUG["levels"]
    filters = selectors.Filters(school_year=current)
    guidance = list(AllowanceGuidance.objects.all())

    def live_levels() -> dict:
        """The job's grouped SQL for this school year only, summed by level, nothing written."""
        out: dict[int, dict[str, int]] = {}
        supply_sql, p1 = refresh.supply(guidance).query.sql_with_params()
        placed_sql, p2 = refresh.internships().query.sql_with_params()
        sources = [qs.query.sql_with_params() for qs in refresh.search_sources()]
        union = " UNION ALL ".join(s for s, _ in sources)
        searches, p3 = refresh.searches_sql(f"({union})", [p for _, ps in sources for p in ps])
        with connection.cursor() as cursor:
            for measure, statement, params in (
                (
                    "places",
                    f"SELECT f_level, SUM(f_places) FROM ({supply_sql}) q "
                    "WHERE f_school_year = %s GROUP BY f_level",
                    [*p1, current],
                ),
                (
                    "placed",
                    f"SELECT f_level, COUNT(*) FROM ({placed_sql}) q "
                    "WHERE f_school_year = %s GROUP BY f_level",
                    [*p2, current],
                ),
                (
                    "looking",
                    f"SELECT f_level, SUM(f_n) FROM ({searches}) q "
                    "WHERE f_school_year = %s GROUP BY f_level",
                    [*p3, current],
                ),
            ):
                cursor.execute(statement, params)
                for level, total in cursor.fetchall():
                    out.setdefault(level, {})[measure] = int(total)
        return out

    def precomputed_levels() -> dict:
        return selectors.chart_sums(chart=chart, filters=filters)

    live_times, fact_times = [], []
    live = precomputed = None
    for _ in range(args.live_repeat):
        began = time.perf_counter()
        live = live_levels()
        live_times.append(time.perf_counter() - began)
        began = time.perf_counter()
        precomputed = precomputed_levels()
        fact_times.append(time.perf_counter() - began)
    differences = [
        (level, m, live.get(level, {}).get(m, 0), precomputed.get(level, {}).get((m, ""), 0))
        for level in range(0, 6)
        for m in ("places", "placed", "looking")
        if live.get(level, {}).get(m, 0) != precomputed.get(level, {}).get((m, ""), 0)
    ]
    same = not differences
    if differences:
        log(f"live and precomputed differ: {differences}")

    print(
        json.dumps(
            {
                "setup_s": setup,
                "counts": counts,
                "refresh": job_runs,
                "facts_by_grain": {str(k): v for k, v in grains.items()},
                "pages": pages,
                "live_vs_facts": {
                    "live_s": percentiles(live_times),
                    "facts_s": percentiles(fact_times),
                    "ratio_p50": statistics.median(live_times) / statistics.median(fact_times),
                    "same_figures": same,
                },
                "internships_made": made,
            },
            default=str,
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="of the national figures below")
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--placements", type=int, default=500_000)
    parser.add_argument("--internships", type=int, default=300_000)
    parser.add_argument("--companies", type=int, default=150_000)
    parser.add_argument("--schools", type=int, default=96)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--refreshes", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=30, help="requests per page case")
    parser.add_argument("--live-repeat", type=int, default=3)
    add_database_arguments(parser, PG_DATABASE)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return
    child = [
        f"--scale={args.scale}",
        f"--students={args.students}",
        f"--placements={args.placements}",
        f"--internships={args.internships}",
        f"--companies={args.companies}",
        f"--schools={args.schools}",
        f"--events={args.events}",
        f"--refreshes={args.refreshes}",
        f"--repeat={args.repeat}",
        f"--live-repeat={args.live_repeat}",
    ]
    runs = run_on_both(
        args, script=__file__, name="insights", pg_database=PG_DATABASE, child_args=child
    )
    worst = 0.0
    for vendor, r in runs.items():
        c = r["counts"]
        print(
            f"\n{vendor}: {c['students']} students ({c['profiles']} profiles), "
            f"{c['placements']} placements ({c['targets']} offers to programmes), "
            f"{c['internships']} internships, {c['evaluations']} evaluations, "
            f"{c['programmes']} programmes at {c['schools']} schools, {c['events']} events "
            f"({c['registrations']} sign-ups), three school years"
        )
        for i, run in enumerate(r["refresh"]):
            steps = ", ".join(f"{k} {v:.1f}" for k, v in run["steps_s"].items())
            print(
                f"  refresh job, {'cold' if i == 0 else 'again'}: {run['s']:.1f} s ({steps}), "
                f"peak {run['peak_mb']:.1f} MB, {run['facts']} facts"
            )
        print(
            "  facts by grain (bits: 1 sector, 2 municipality, 4 programme; all keep school "
            f"year, school, level and key): {r['facts_by_grain']}"
        )
        by_chart: dict[str, list[tuple[str, dict]]] = {}
        for label, p in r["pages"].items():
            by_chart.setdefault(label.split(":")[0], []).append((label.split(": ", 1)[1], p))
        for chart, found in by_chart.items():
            print(f"  {chart}:")
            for case, p in found:
                worst = max(worst, p["ms"]["p95"]) if vendor == "postgresql" else worst
                print(
                    f"    {case}: p50 {p['ms']['p50']:.1f} ms, p95 {p['ms']['p95']:.1f} ms, "
                    f"{'/'.join(map(str, p['queries']))} queries, {p['bytes'] // 1024} kB"
                )
            steady = all(len(p["queries"]) == 1 for _c, p in found)
            print(f"    queries: {'each case the same on every request' if steady else 'VARYING'}")
        lv = r["live_vs_facts"]
        print(
            f"  supply and demand by level, this school year: live from the source tables "
            f"p50 {lv['live_s']['p50'] * 1000:.0f} ms, from the precomputed facts "
            f"p50 {lv['facts_s']['p50'] * 1000:.1f} ms: x{lv['ratio_p50']:.0f} "
            f"(same figures: {lv['same_figures']})"
        )
        print(f"  set-up: { {k: round(v, 1) for k, v in r['setup_s'].items()} }")
    if "postgresql" in runs:
        verdict = "within" if worst <= P95_BUDGET_MS else "OVER"
        print(
            f"\nPostgreSQL: slowest chart p95 {worst:.1f} ms, {verdict} the {P95_BUDGET_MS} ms budget"
        )


if __name__ == "__main__":
    main()
