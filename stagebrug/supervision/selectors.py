"""What the supervision pages read, in a fixed number of queries whatever the number of
interns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from stagebrug.accounts.models import User
from stagebrug.agreements.models import Version
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision.models import Attendance, Evaluation, Leave, Progress, WorkDay
from stagebrug.supervision.services import student_phone

#: An evaluation shows on "today" from this long before it is due.
EVALUATION_NOTICE = dt.timedelta(days=7)


@dataclass
class InternToday:
    """One intern on the workplace supervisor's "today"."""

    internship: Internship
    planned: WorkDay | None
    on_leave: Leave | None
    attendance: Attendance | None
    phone: str
    sick_and_late: str = ""
    week: list[tuple[dt.date, Attendance | None, bool]] = field(default_factory=list)
    # What else waits for the supervisor: a check-in that is due, an evaluation to fill in.
    checkin_due: dt.date | None = None
    evaluation_due: Evaluation | None = None

    @property
    def missed(self) -> bool:
        """No word at the start time, and no call recorded yet: first on the page."""
        a = self.attendance
        return a is not None and a.mark == "no_word" and a.called_at is None


def _contents(internship_ids: list[int]) -> dict[int, dict[str, Any]]:
    return {
        v.agreement.internship_id: v.content
        for v in Version.objects.filter(
            agreement__internship_id__in=internship_ids, state=Version.State.SIGNED
        ).select_related("agreement")
    }


def sees_notes(roles: frozenset[str]) -> bool:
    """The student's messages on their days and the notes of calls are for the student, those
    who supervise them at work and the school supervisor; not for the whole business."""
    return bool(roles & {can.STUDENT, can.WORKPLACE_SUPERVISOR, can.BUDDY, can.SCHOOL_SUPERVISOR})


def supervised_running(*, user: User) -> QuerySet[Internship]:
    """The running internships whose workplace supervisor is `user`."""
    return (
        Internship.objects.filter(supervisor__user=user, status=Status.ACTIVE)
        .select_related("student", "placement__company", "supervisor", "buddy")
        .order_by("student__full_name", "pk")
    )


def interns_today(*, internships: list[Internship], today: dt.date) -> list[InternToday]:
    """Each intern with today's plan, mark, phone number and this week's days so far; those
    missed first, then those planned today, then the rest."""
    ids = [i.pk for i in internships]
    week_start = today - dt.timedelta(days=today.weekday())
    work_days: dict[int, dict[int, WorkDay]] = {}
    for d in WorkDay.objects.filter(internship_id__in=ids):
        work_days.setdefault(d.internship_id, {})[d.weekday] = d
    leaves: dict[int, list[Leave]] = {}
    for leave in Leave.objects.filter(
        internship_id__in=ids, end_date__gte=week_start, start_date__lte=today
    ):
        leaves.setdefault(leave.internship_id, []).append(leave)
    marks = {
        (a.internship_id, a.date): a
        for a in Attendance.objects.filter(
            internship_id__in=ids, date__gte=week_start, date__lte=today
        )
    }
    contents = _contents(ids)
    due_checkins = dict(
        Progress.objects.filter(pk__in=ids, next_checkin_due__lte=today).values_list(
            "pk", "next_checkin_due"
        )
    )
    to_assess: dict[int, Evaluation] = {}
    for evaluation in Evaluation.objects.filter(
        internship_id__in=ids,
        decided_at__isnull=True,
        workplace_at__isnull=True,
        due_on__lte=today + EVALUATION_NOTICE,
    ).order_by("due_on"):
        to_assess.setdefault(evaluation.internship_id, evaluation)
    out = []
    for internship in internships:
        days = work_days.get(internship.pk, {})
        own_leave = leaves.get(internship.pk, [])
        today_leave = next((x for x in own_leave if x.start_date <= today <= x.end_date), None)
        content = contents.get(internship.pk, {})
        rules_data = (content.get("workplace_rules") or {}).get("data") or {}
        week = []
        for n in range(today.weekday() + 1):
            day = week_start + dt.timedelta(days=n)
            if n in days and internship.start_date <= day <= internship.end_date:
                off = any(x.start_date <= day <= x.end_date for x in own_leave)
                week.append((day, marks.get((internship.pk, day)), off))
        out.append(
            InternToday(
                internship=internship,
                planned=days.get(today.weekday()),
                on_leave=today_leave,
                attendance=marks.get((internship.pk, today)),
                phone=student_phone(content),
                sick_and_late=str(rules_data.get("sick_and_late") or ""),
                week=week,
                checkin_due=due_checkins.get(internship.pk),
                evaluation_due=to_assess.get(internship.pk),
            )
        )
    out.sort(
        key=lambda x: (not x.missed, x.planned is None, x.planned.start if x.planned else None)
    )
    return out


def attendance_rows(*, internship: Internship, since: dt.date, until: dt.date):
    return Attendance.objects.filter(
        internship=internship, date__gte=since, date__lte=until
    ).select_related("marked_by", "called_by")


def company_hours_internships(*, company_id: int) -> QuerySet[Internship]:
    """The company's internships with an hours record (running or ended), for its export."""
    return (
        Internship.objects.filter(placement__company_id=company_id)
        .exclude(status=Status.CONFIRMED)
        .select_related("student", "programme", "placement")
        .prefetch_related(
            Prefetch("work_days"),
            Prefetch("leaves"),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.only("internship_id", "date", "mark", "hours"),
            ),
            Prefetch("week_signoffs"),
        )
        .order_by("start_date", "pk")
    )


def personal_data(*, user: User) -> dict:
    """`accounts.hooks.personal_data`: a student's attendance, as recorded."""
    rows = Attendance.objects.filter(internship__student=user).order_by("date")
    return {
        "attendance": [
            {
                "internship": a.internship_id,
                "date": a.date.isoformat(),
                "mark": a.mark,
                "announced": a.announced,
                "minutes_late": a.minutes_late,
                "hours": str(a.hours) if a.hours is not None else None,
                "message": a.student_note,
                "called_at": a.called_at.isoformat() if a.called_at else None,
                "call_note": a.call_note,
            }
            for a in rows
        ]
    }
