"""Attendance API: the same services, rules and messages as the pages. Someone without a part
in the internship gets 404; a party acting outside their part gets 403."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from stagebrug.accounts.api_auth import AUTH
from stagebrug.core.schemas import ERRORS, Id
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship
from stagebrug.internships.selectors import internship_for
from stagebrug.supervision import selectors, services
from stagebrug.supervision.models import Attendance, Leave

router = Router(tags=["supervision"])


class AttendanceOut(Schema):
    id: int
    date: dt.date
    mark: str = Field(..., description="present, late, absent, sick, day_off or no_word")
    source: str = Field(..., description="supervisor, student or prompt")
    announced: bool = Field(..., description="The student told before the start")
    minutes_late: int | None
    hours: Decimal | None
    student_note: str
    prompted_at: dt.datetime | None
    called_at: dt.datetime | None
    call_note: str


class MarkIn(Schema):
    date: dt.date
    mark: str = Field(..., description="present, late, absent, sick or day_off")
    minutes_late: int | None = Field(None, ge=1, le=600)


class ReportIn(Schema):
    date: dt.date
    mark: str = Field(..., description="sick or late")
    minutes_late: int | None = Field(None, ge=1, le=600)
    note: str = Field("", max_length=300)


class CalledIn(Schema):
    note: str = Field("", max_length=300)


class LeaveIn(Schema):
    kind: str = Field("holiday", description="holiday or day_off")
    start_date: dt.date
    end_date: dt.date
    note: str = Field("", max_length=200)


class LeaveOut(Schema):
    id: int
    kind: str
    start_date: dt.date
    end_date: dt.date
    note: str


class WeekOut(Schema):
    week: dt.date
    kind: str = Field(..., description="work, sick (every planned day sick) or holiday")
    planned_days: int
    planned_hours: Decimal
    hours: Decimal
    counts: dict[str, int]
    open_days: int
    signed_off_by: str | None = None
    signed_off_at: dt.datetime | None = None


class WeekIn(Schema):
    week: dt.date = Field(..., description="Any day of the week")


class TodayOut(Schema):
    internship_id: int
    student: str | None
    phone: str
    planned_start: dt.time | None
    planned_end: dt.time | None
    on_leave: bool
    missed: bool = Field(..., description="No word at the start time and no call recorded")
    attendance: AttendanceOut | None
    checkin_due: dt.date | None = Field(None, description="A check-in is due (since this day)")
    evaluation_due: str | None = Field(
        None, description="midterm or final: your assessment is due within a week"
    )
    evaluation_due_on: dt.date | None = None


def _internship(request: HttpRequest, internship_id: int) -> Internship:
    internship = internship_for(user=request.user, pk=internship_id)
    if internship is None:
        raise Http404
    return internship


@router.get("/supervision/today", response=list[TodayOut], auth=AUTH)
def today(request: HttpRequest):
    """Your running interns as workplace supervisor, those missed today first (at most 200)."""
    day = timezone.localdate()
    interns = selectors.interns_today(
        internships=list(selectors.supervised_running(user=request.user)[:200]), today=day
    )
    return [
        {
            "internship_id": i.internship.pk,
            "student": i.internship.student.full_name if i.internship.student else None,
            "phone": i.phone,
            "planned_start": i.planned.start if i.planned else None,
            "planned_end": i.planned.end if i.planned else None,
            "on_leave": i.on_leave is not None,
            "missed": i.missed,
            "attendance": i.attendance,
            "checkin_due": i.checkin_due,
            "evaluation_due": i.evaluation_due.kind if i.evaluation_due else None,
            "evaluation_due_on": i.evaluation_due.due_on if i.evaluation_due else None,
        }
        for i in interns
    ]


@router.get(
    "/internships/{internship_id}/attendance",
    response={200: list[AttendanceOut], **ERRORS},
    auth=AUTH,
)
def list_attendance(request: HttpRequest, internship_id: Id):
    """Every marked day of the internship, oldest first."""
    internship = _internship(request, internship_id)
    rows = list(internship.attendance.order_by("date"))
    if not selectors.sees_notes(can.roles(request.user, internship)):
        for row in rows:  # not for the whole business (health, minors)
            row.student_note = row.call_note = ""
    return rows


@router.put(
    "/internships/{internship_id}/attendance",
    response={200: AttendanceOut, **ERRORS},
    auth=AUTH,
)
def mark_day(request: HttpRequest, internship_id: Id, payload: MarkIn):
    """The workplace supervisor marks a day; marking it again replaces the mark."""
    return services.attendance_mark(
        internship=_internship(request, internship_id),
        by=request.user,
        day=payload.date,
        mark=payload.mark,
        minutes_late=payload.minutes_late,
    )


@router.post(
    "/internships/{internship_id}/attendance/report",
    response={201: AttendanceOut, **ERRORS},
    auth=AUTH,
)
def report_absence(request: HttpRequest, internship_id: Id, payload: ReportIn):
    """The student reports sick or late, before the day's start."""
    row = services.absence_report(
        internship=_internship(request, internship_id),
        by=request.user,
        day=payload.date,
        mark=payload.mark,
        minutes_late=payload.minutes_late,
        note=payload.note,
    )
    return Status(201, row)


@router.post(
    "/internships/{internship_id}/attendance/{attendance_id}/called",
    response={200: AttendanceOut, **ERRORS},
    auth=AUTH,
)
def record_call(request: HttpRequest, internship_id: Id, attendance_id: Id, payload: CalledIn):
    """The workplace supervisor called the student who was missed."""
    internship = _internship(request, internship_id)
    row = get_object_or_404(Attendance, pk=attendance_id, internship=internship)
    return services.attendance_called(attendance=row, by=request.user, note=payload.note)


@router.get(
    "/internships/{internship_id}/leave", response={200: list[LeaveOut], **ERRORS}, auth=AUTH
)
def list_leave(request: HttpRequest, internship_id: Id):
    return list(_internship(request, internship_id).leaves.all())


@router.post("/internships/{internship_id}/leave", response={201: LeaveOut, **ERRORS}, auth=AUTH)
def add_leave(request: HttpRequest, internship_id: Id, payload: LeaveIn):
    """A holiday or day off in the schedule: no attendance asked, no prompt sent."""
    leave = services.leave_add(
        internship=_internship(request, internship_id),
        by=request.user,
        start_date=payload.start_date,
        end_date=payload.end_date,
        kind=payload.kind,
        note=payload.note,
    )
    return Status(201, leave)


@router.delete(
    "/internships/{internship_id}/leave/{leave_id}", response={204: None, **ERRORS}, auth=AUTH
)
def remove_leave(request: HttpRequest, internship_id: Id, leave_id: Id):
    internship = _internship(request, internship_id)
    services.leave_remove(
        leave=get_object_or_404(Leave, pk=leave_id, internship=internship), by=request.user
    )
    return Status(204, None)


@router.get(
    "/internships/{internship_id}/weeks", response={200: list[WeekOut], **ERRORS}, auth=AUTH
)
def list_weeks(request: HttpRequest, internship_id: Id):
    """The hours record, a row a week from the start to today."""
    internship = _internship(request, internship_id)
    signed = {s.week: s for s in internship.week_signoffs.all()}
    return [
        _week_out(row, signed.get(row.week))
        for row in services.week_table(internship, today=timezone.localdate())
    ]


def _week_out(row, signoff) -> WeekOut:
    return WeekOut(
        week=row.week,
        kind=row.kind,
        planned_days=row.planned_days,
        planned_hours=row.planned_hours,
        hours=row.hours,
        counts=row.counts,
        open_days=row.open_days,
        signed_off_by=signoff.signed_by_name if signoff else None,
        signed_off_at=signoff.signed_at if signoff else None,
    )


@router.post(
    "/internships/{internship_id}/weeks/signoff", response={201: WeekOut, **ERRORS}, auth=AUTH
)
def sign_off_week(request: HttpRequest, internship_id: Id, payload: WeekIn):
    """The workplace supervisor signs off a finished week whose days are all marked."""
    internship = _internship(request, internship_id)
    signoff = services.week_signoff(internship=internship, by=request.user, week=payload.week)
    [row] = services.week_table(internship, today=timezone.localdate(), weeks=[signoff.week])
    return Status(201, _week_out(row, signoff))
