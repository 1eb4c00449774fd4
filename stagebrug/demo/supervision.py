"""A running internship to supervise in the demo: Daan at the bakery, started three weeks ago,
his agreement filled in and signed by the three parties through the services, and his days so
far marked the way a workplace supervisor would (present mostly; one day late, one reported
sick, one absence without notice with the call recorded). Today is left open, so the prompt
job asks Michal about Daan once the start time has passed. The logbook has Michal's weekly
check-ins (the last one a week ago, so the next is due), Daan's own entry and a note of the
school; the morning review has looked at it, so the school supervisor's caseload shows what it
found."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import transaction
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.agreements import services as agreement_services
from stagebrug.agreements.models import Agreement
from stagebrug.applications import services as application_services
from stagebrug.applications.models import ApplicationStatus
from stagebrug.internships import services as internship_services
from stagebrug.internships.models import Internship
from stagebrug.placements.models import Status
from stagebrug.registry.models import Company, Postcode
from stagebrug.supervision import services as supervision
from stagebrug.supervision.logbook import selectors as logbook_selectors
from stagebrug.supervision.logbook import services as logbook
from stagebrug.supervision.models import Attendance, Mark
from stagebrug.supervision.progress import services as progress

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
SCHEDULE = {f"{d}_start": "08:30" for d in ("mon", "tue", "wed", "thu")} | {
    f"{d}_end": "16:30" for d in ("mon", "tue", "wed", "thu")
}


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMSTERDAM)


def running_internship(
    *,
    student: User,
    programme,
    company: Company,
    owner: User,
    coordinator: User,
    teacher: User,
    supervisor_user: User,
    today: dt.date | None = None,
) -> Internship | None:
    """Daan's internship (once: nothing happens when he has one)."""
    today = today or timezone.localdate()
    if Internship.objects.filter(student=student).exists():
        return None
    placement = company.placements.filter(status=Status.PUBLISHED).first()
    if placement is None or placement.free_positions < 1:
        return None
    start = today - dt.timedelta(days=today.weekday() + 21)  # begun three weeks ago
    with transaction.atomic():
        internship = started_internship(
            student=student,
            programme=programme,
            placement=placement,
            owner=owner,
            coordinator=coordinator,
            teacher=teacher,
            start=start,
            end=start + dt.timedelta(weeks=20) - dt.timedelta(days=3),
            home="1094",
            wants="Brood bakken, deeg maken en broodjes beleggen.",
            motivation="Ik bak thuis elk weekend brood en wil dat echt leren.",
        )
        _history(internship, supervisor_user=supervisor_user, student=student, today=today)
        _logbook(internship, supervisor_user=supervisor_user, student=student, teacher=teacher)
        progress.warnings_review(now=_at(today, "06:30"))
    return internship


def started_internship(
    *,
    student: User,
    programme,
    placement,
    owner: User,
    coordinator: User,
    teacher: User,
    start: dt.date,
    end: dt.date,
    home: str,
    wants: str,
    motivation: str,
) -> Internship:
    """A student placed the way students are (profile, application, offer, acceptance), with
    the demo's dates, a school supervisor, the agreement signed by all three, and started."""
    application_services.profile_save(
        user=student,
        by=student,
        programme=programme,
        year=2,
        home_pc4=Postcode.objects.filter(code=home).first(),
        hours_per_week=32,
        wanted_activities=wants,
        activity_tags=["bakken"],
        languages=["nl"],
        max_travel_km=10,
        school_may_add_notes=True,
    )
    application = application_services.application_create(
        student=student, placement=placement, motivation=motivation
    )
    application_services.application_move(
        application=application, by=owner, to=ApplicationStatus.OFFER
    )
    internship = application_services.offer_accept(application=application, by=student)
    internship = internship_services.internship_update(
        internship=internship,
        by=coordinator,
        start_date=start,
        end_date=end,
        hours_per_week=internship.hours_per_week,
    )
    internship_services.internship_assign_school_supervisor(
        internship=internship, by=coordinator, school_supervisor=teacher
    )
    _sign(internship, student=student, owner=owner, coordinator=coordinator, start=start)
    internship_services.internship_start(internship=internship, by=coordinator, today=start)
    internship.refresh_from_db()
    return internship


def _sign(internship: Internship, *, student: User, owner: User, coordinator: User, start):
    agreement = Agreement.objects.get(internship=internship)
    version = agreement_services.open_version(agreement)

    def save(by: User, key: str, data: dict) -> None:
        agreement_services.agreement_section_save(agreement=agreement, by=by, key=key, data=data)

    for key in ("programme", "period", "goals", "supervision", "ending"):
        data = dict((version.content.get(key) or {}).get("data") or {})
        if key == "period":
            data |= {
                "start_date": internship.start_date.isoformat(),
                "end_date": internship.end_date.isoformat(),
            }
        if key == "goals" and not data.get("goal_1"):
            data["goal_1"] = "Zelfstandig brood en eenvoudige lunchgerechten bereiden"
        save(coordinator, key, data)
    save(
        coordinator,
        "school_expectations",
        {"expectations": "Daan meldt zich om half negen bij Michal. De school belt elke week."},
    )
    save(owner, "schedule", SCHEDULE)
    goals = (agreement_services.open_version(agreement).content.get("goals") or {}).get(
        "data"
    ) or {}
    save(
        owner,
        "tasks",
        {
            f"tasks_{i}": "Deeg maken\nBroodjes beleggen"
            for i in range(1, 7)
            if goals.get(f"goal_{i}")
        },
    )
    offer = dict((version.content.get("offer") or {}).get("data") or {})
    save(owner, "offer", offer | {"expected_costs": "15.00", "expense_allowance": "20.00"})
    save(
        owner,
        "workplace_rules",
        {"sick_and_late": "Ziek of later? Meld het vóór 8:00 in Stagebrug of bel Michal."},
    )
    agreement_services.agreement_section_save(
        agreement=agreement,
        by=student,
        key="student",
        data={"phone": "0687654321", "learning_wishes": "Zuurdesembrood bakken."},
        birth_date=dt.date(start.year - 19, 4, 12),
    )
    save(student, "approach", {"share_notes": "on"})
    sent = agreement_services.agreement_send(
        agreement=agreement,
        by=coordinator,
        deadline=timezone.now() + dt.timedelta(days=7),
    )
    for who in (student, owner, coordinator):
        agreement_services.agreement_sign(
            agreement=agreement,
            by=who,
            content_hash=sent.content_hash,
            full_name=who.full_name,
            confirm=True,
        )


def _history(internship: Internship, *, supervisor_user: User, student: User, today: dt.date):
    """The working days before today, marked as they went."""
    days = [
        d
        for d in (internship.start_date + dt.timedelta(days=n) for n in range(21))
        if d.weekday() < 4 and d < today
    ]
    for n, day in enumerate(days):
        if n == 4:
            supervision.absence_report(
                internship=internship,
                by=student,
                day=day,
                mark=Mark.SICK,
                note="Koorts, ik blijf thuis.",
                now=_at(day, "07:40"),
            )
            supervision.attendance_mark(
                internship=internship,
                by=supervisor_user,
                day=day,
                mark=Mark.SICK,
                now=_at(day, "17:00"),
            )
        elif n == 7:
            # What the prompt job opened that morning (for this internship only).
            row = Attendance.objects.create(
                internship=internship,
                date=day,
                mark=Mark.NO_WORD,
                source=Attendance.Source.PROMPT,
                marked_at=_at(day, "08:45"),
                prompted_at=_at(day, "08:45"),
            )
            supervision.attendance_called(
                attendance=row,
                by=supervisor_user,
                note="Wekker niet gehoord; komt morgen op tijd.",
                now=_at(day, "09:00"),
            )
            supervision.attendance_mark(
                internship=internship,
                by=supervisor_user,
                day=day,
                mark=Mark.ABSENT,
                now=_at(day, "17:00"),
            )
        else:
            late = n == 2
            supervision.attendance_mark(
                internship=internship,
                by=supervisor_user,
                day=day,
                mark=Mark.LATE if late else Mark.PRESENT,
                minutes_late=20 if late else None,
                now=_at(day, "17:00"),
            )
    for week in sorted({supervision.rules.monday(d) for d in days}):
        if supervision.week_is_over(internship, week, today):
            supervision.week_signoff(
                internship=internship, by=supervisor_user, week=week, now=_at(today, "08:00")
            )


def _logbook(internship: Internship, *, supervisor_user: User, student: User, teacher: User):
    """Two weekly check-ins by Michal (the second with a goal that needs attention), Daan's own
    entry and the school supervisor's note after a phone call."""
    goals = logbook_selectors.goals_of(internship)
    start = internship.start_date
    for week, verdict, going, text in (
        (0, "on_track", "well", "Daan is op tijd en leert snel. Deeg kneden gaat al goed."),
        (1, "attention", "okay", "Eén dag afwezig zonder bericht; daarover gesproken."),
    ):
        logbook.logbook_write(
            internship=internship,
            by=supervisor_user,
            kind="checkin",
            going=going,
            goals={g.key: (verdict if n == 0 else "on_track") for n, g in enumerate(goals)},
            goal_list=goals,
            text=text,
            now=_at(start + dt.timedelta(weeks=week, days=3), "16:15"),
        )
    logbook.logbook_write(
        internship=internship,
        by=student,
        kind="student",
        going="well",
        text="Deze week voor het eerst zelf zuurdesembrood gebakken. Vroeg opstaan blijft lastig.",
        now=_at(start + dt.timedelta(weeks=1, days=3), "20:00"),
    )
    logbook.logbook_write(
        internship=internship,
        by=teacher,
        kind="school",
        text="Gebeld met Daan en Michal over de gemiste dag. Afspraak: wekker om 6:30.",
        now=_at(start + dt.timedelta(weeks=1, days=4), "11:00"),
    )
