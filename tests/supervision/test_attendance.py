"""Attendance with "you were missed" (W10): planned days from the signed agreement, marks by
the workplace supervisor (and only them), the student's own report before the start, the
same-day prompt with a frozen clock in Europe/Amsterdam, the school's alert after repeated
absence without notice, the weekly sign-off, the hours record and its retention."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.applications.models import Notification
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision import services
from stagebrug.supervision.models import Attendance, Leave, Mark, SchoolSettings, WeekSignoff

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def in_english(personas):
    """Messages in English, the code's own texts (the pages' Dutch is tested on the pages)."""
    from django.utils import translation

    from stagebrug.accounts.models import User

    User.objects.update(language="en")
    with translation.override("en"):
        yield


def at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def working_day(internship, n: int = 0, weekday: int | None = None) -> dt.date:
    """The n-th Monday-to-Thursday day of the internship (or the first with `weekday`)."""
    day = internship.start_date
    found = -1
    while True:
        if day.weekday() < 4 and (weekday is None or day.weekday() == weekday):
            found += 1
            if found == n:
                return day
        day += dt.timedelta(days=1)


def mark(running, personas, day, value, minutes=None, now=None):
    return services.attendance_mark(
        internship=running,
        by=personas.supervisor,
        day=day,
        mark=value,
        minutes_late=minutes,
        now=now or at(day, "18:00"),
    )


def test_the_planned_days_are_the_signed_schedule(running):
    days = {(d.weekday, d.start, d.end) for d in running.work_days.all()}
    assert days == {(w, dt.time(9), dt.time(17)) for w in range(4)}


def test_marking_again_replaces_the_mark_and_both_are_in_the_log(running, personas):
    day = working_day(running)
    first = mark(running, personas, day, Mark.PRESENT)
    assert first.hours == Decimal("8.00")
    second = mark(running, personas, day, Mark.LATE, minutes=30)
    assert Attendance.objects.filter(internship=running, date=day).count() == 1
    assert second.pk == first.pk and second.mark == Mark.LATE
    assert second.hours == Decimal("7.50")
    events = AuditEvent.objects.filter(action="attendance.marked", object_id=str(first.pk))
    assert sorted(e.changes["mark"] for e in events) == ["late", "present"]


@pytest.mark.parametrize(
    "offset, message",
    [(-1, "is not a day of this internship"), (1, "has not happened yet")],
)
def test_a_day_outside_the_internship_or_in_the_future_is_refused(
    running, personas, offset, message
):
    if offset < 0:
        day, now = running.start_date - dt.timedelta(days=1), at(running.start_date, "18:00")
    else:
        day, now = working_day(running, 3), at(working_day(running, 2), "18:00")
    with pytest.raises(ValidationError) as exc:
        mark(running, personas, day, Mark.PRESENT, now=now)
    assert message in str(exc.value)
    assert not Attendance.objects.filter(internship=running).exists()


def test_only_the_interns_workplace_supervisor_marks(running, personas):
    day = working_day(running)
    for who in (personas.owner, personas.teacher, personas.student, personas.coordinator):
        with pytest.raises(PermissionDenied):
            services.attendance_mark(
                internship=running, by=who, day=day, mark=Mark.PRESENT, now=at(day, "18:00")
            )
    assert not Attendance.objects.exists()


def test_late_needs_minutes_and_no_word_is_not_a_mark(running, personas):
    day = working_day(running)
    with pytest.raises(ValidationError, match="How many minutes late"):
        mark(running, personas, day, Mark.LATE)
    with pytest.raises(ValidationError, match="Choose present"):
        mark(running, personas, day, Mark.NO_WORD)


def test_a_stopped_internship_takes_no_marks(running, personas):
    stopped = at(running.start_date - dt.timedelta(days=20), "12:00")
    Internship.objects.filter(pk=running.pk).update(
        status=Status.STOPPED, stop_reason="other", stopped_at=stopped
    )
    running.refresh_from_db()
    with pytest.raises(ValidationError, match="under way"):
        mark(running, personas, working_day(running), Mark.PRESENT)


# --------------------------------------------------------------------------------------------
# The prompt


def prompts(now):
    return services.absences_prompt(now=now)


def test_no_word_fifteen_minutes_after_the_start_prompts_the_supervisor_once(running, personas):
    day = working_day(running)
    assert prompts(at(day, "09:14")) == 0
    assert prompts(at(day, "09:16")) == 1
    assert prompts(at(day, "09:30")) == 0  # prompted once
    row = Attendance.objects.get(internship=running, date=day)
    assert row.mark == Mark.NO_WORD and row.prompted_at == at(day, "09:16")
    note = Notification.objects.get(user=personas.supervisor, kind="attendance.missed")
    assert "0611111111" in note.body and "We missen je vandaag, alles goed?" in note.body
    assert "09:00" in note.body
    assert not Notification.objects.filter(kind="attendance.missed").exclude(
        user=personas.supervisor
    )


def test_the_start_time_is_amsterdam_time(running):
    day = working_day(running)
    # 08:20 UTC is 09:20 in Amsterdam in winter and 10:20 in summer: past the start either way;
    # 07:50 UTC is before 09:15 in Amsterdam all year.
    assert prompts(dt.datetime.combine(day, dt.time(7, 50), tzinfo=dt.UTC)) == 0
    assert prompts(dt.datetime.combine(day, dt.time(8, 20), tzinfo=dt.UTC)) == 1


def test_no_prompt_on_a_day_that_is_not_planned(running):
    friday = running.start_date + dt.timedelta(days=(4 - running.start_date.weekday()) % 7)
    assert prompts(at(friday, "12:00")) == 0


def test_no_prompt_on_a_holiday_in_the_schedule(running, personas):
    day = working_day(running, 1)
    services.leave_add(
        internship=running, by=personas.owner, start_date=day, end_date=day, kind="holiday"
    )
    assert prompts(at(day, "12:00")) == 0


def test_no_prompt_when_the_student_reported_sick_or_was_marked(running, personas):
    sick, present = working_day(running, 0), working_day(running, 1)
    services.absence_report(
        internship=running, by=personas.student, day=sick, mark=Mark.SICK, now=at(sick, "07:30")
    )
    assert prompts(at(sick, "10:00")) == 0
    mark(running, personas, present, Mark.PRESENT, now=at(present, "09:05"))
    assert prompts(at(present, "10:00")) == 0


def test_no_prompt_before_the_internship_has_started(internship, personas):
    from tests.agreements.conftest import signed_by_everyone

    signed_by_everyone(internship, personas)
    assert prompts(at(working_day(internship), "12:00")) == 0


def test_the_supervisor_records_the_call(running, personas):
    day = working_day(running)
    prompts(at(day, "09:20"))
    row = Attendance.objects.get(internship=running, date=day)
    with pytest.raises(PermissionDenied):
        services.attendance_called(attendance=row, by=personas.owner, note="")
    services.attendance_called(
        attendance=row, by=personas.supervisor, note="Bus gemist, komt om 10:00"
    )
    row.refresh_from_db()
    assert row.called_by == personas.supervisor and row.call_note == "Bus gemist, komt om 10:00"
    # Then the day is marked: the call stays on the record.
    row = mark(running, personas, day, Mark.LATE, minutes=60, now=at(day, "10:05"))
    assert row.called_at is not None and row.hours == Decimal("7.00")


# --------------------------------------------------------------------------------------------
# The student's own report


def test_the_student_reports_sick_before_the_start(running, personas):
    day = working_day(running)
    row = services.absence_report(
        internship=running,
        by=personas.student,
        day=day,
        mark=Mark.SICK,
        note="Koorts",
        now=at(day, "07:45"),
    )
    assert row.announced and row.source == Attendance.Source.STUDENT
    note = Notification.objects.get(user=personas.supervisor, kind="attendance.reported")
    assert "sick" in note.title and "Koorts" in note.body


def test_after_the_start_the_student_calls_instead(running, personas):
    day = working_day(running)
    with pytest.raises(ValidationError, match="started at 09:00"):
        services.absence_report(
            internship=running,
            by=personas.student,
            day=day,
            mark=Mark.LATE,
            minutes_late=15,
            now=at(day, "09:01"),
        )


def test_the_student_reports_for_the_next_working_day_only(running, personas):
    first, second, third = (working_day(running, n) for n in range(3))
    evening = at(first, "20:00")
    row = services.absence_report(
        internship=running, by=personas.student, day=second, mark=Mark.SICK, now=evening
    )
    assert row.date == second
    with pytest.raises(ValidationError, match="today and the next working day"):
        services.absence_report(
            internship=running, by=personas.student, day=third, mark=Mark.SICK, now=evening
        )


def test_a_day_the_supervisor_marked_is_not_overwritten_by_the_student(running, personas):
    day = working_day(running, 1)
    mark(running, personas, working_day(running, 0), Mark.PRESENT)
    services.attendance_mark(
        internship=running,
        by=personas.supervisor,
        day=working_day(running, 0),
        mark=Mark.PRESENT,
        now=at(working_day(running, 0), "08:00"),
    )
    with time_machine.travel(at(day, "07:00")):
        # the supervisor marked "day off" in the morning of a day (allowed: today)
        services.attendance_mark(
            internship=running, by=personas.supervisor, day=day, mark=Mark.DAY_OFF
        )
        with pytest.raises(ValidationError, match="already marked"):
            services.absence_report(
                internship=running, by=personas.student, day=day, mark=Mark.SICK
            )


def test_someone_else_cannot_report_for_the_student(running, personas):
    day = working_day(running)
    with pytest.raises(PermissionDenied):
        services.absence_report(
            internship=running, by=personas.owner, day=day, mark=Mark.SICK, now=at(day, "07:00")
        )


# --------------------------------------------------------------------------------------------
# Repeated absence without notice alerts the school


def alerts(user):
    return Notification.objects.filter(user=user, kind="attendance.alert")


def test_the_second_absence_without_notice_in_four_weeks_alerts_the_school_supervisor(
    running, personas
):
    first, second, third = (working_day(running, n) for n in (0, 4, 8))
    mark(running, personas, first, Mark.ABSENT)
    assert not alerts(personas.teacher).exists()
    mark(running, personas, second, Mark.ABSENT)
    [alert] = alerts(personas.teacher)
    assert "2" in alert.title
    mark(running, personas, third, Mark.ABSENT)
    assert alerts(personas.teacher).count() == 1  # once for this stretch
    assert not Notification.objects.filter(kind="attendance.alert", user=personas.owner)


def test_sick_with_notice_does_not_count_and_the_school_sets_the_threshold(running, personas):
    SchoolSettings.objects.create(institution=running.institution, absence_alert_after=3)
    days = [working_day(running, n) for n in range(4)]
    mark(running, personas, days[0], Mark.ABSENT)
    mark(running, personas, days[1], Mark.SICK)
    mark(running, personas, days[2], Mark.ABSENT)
    assert not alerts(personas.teacher).exists()
    mark(running, personas, days[3], Mark.ABSENT)
    assert alerts(personas.teacher).count() == 1


def test_absences_more_than_four_weeks_apart_do_not_add_up(running, personas):
    mark(running, personas, working_day(running, 0), Mark.ABSENT)
    mark(running, personas, working_day(running, 0) + dt.timedelta(days=35), Mark.ABSENT)
    assert not alerts(personas.teacher).exists()


def test_without_a_school_supervisor_the_coordinators_are_alerted(running, personas):
    Internship.objects.filter(pk=running.pk).update(school_supervisor=None)
    running.refresh_from_db()
    for n in (0, 1):
        mark(running, personas, working_day(running, n), Mark.ABSENT)
    assert alerts(personas.coordinator).count() == 1


# --------------------------------------------------------------------------------------------
# The week's sign-off and the hours record


def test_a_week_is_signed_off_once_every_working_day_is_marked(running, personas):
    week = running.start_date - dt.timedelta(days=running.start_date.weekday())
    days = [d for d in (week + dt.timedelta(days=n) for n in range(4)) if d >= running.start_date]
    after = at(week + dt.timedelta(days=7), "09:00")
    with pytest.raises(ValidationError, match="Mark every working day"):
        services.week_signoff(internship=running, by=personas.supervisor, week=week, now=after)
    for day in days:
        mark(running, personas, day, Mark.PRESENT)
    with pytest.raises(ValidationError, match="is not over yet"):
        services.week_signoff(
            internship=running, by=personas.supervisor, week=week, now=at(days[-1], "18:00")
        )
    signoff = services.week_signoff(
        internship=running, by=personas.supervisor, week=week, now=after
    )
    assert signoff.hours == Decimal(8 * len(days)).quantize(Decimal("0.01"))
    with pytest.raises(ValidationError, match="already signed off"):
        services.week_signoff(internship=running, by=personas.supervisor, week=week, now=after)
    with pytest.raises(PermissionDenied):
        services.week_signoff(internship=running, by=personas.owner, week=week, now=after)


def test_sick_and_holiday_weeks_are_told_apart(running, personas):
    monday = running.start_date + dt.timedelta(days=(7 - running.start_date.weekday()) % 7)
    sick_week, holiday_week = monday, monday + dt.timedelta(days=7)
    for n in range(4):
        mark(running, personas, sick_week + dt.timedelta(days=n), Mark.SICK)
    services.leave_add(
        internship=running,
        by=personas.owner,
        start_date=holiday_week,
        end_date=holiday_week + dt.timedelta(days=4),
        kind="holiday",
    )
    rows = {r.week: r for r in services.week_table(running, today=monday + dt.timedelta(days=21))}
    assert rows[sick_week].kind == "sick" and rows[sick_week].hours == 0
    assert rows[holiday_week].kind == "holiday" and rows[holiday_week].planned_days == 0


def test_the_record_is_removed_five_years_after_the_end_and_not_before(running, personas):
    mark(running, personas, working_day(running), Mark.PRESENT)
    Internship.objects.filter(pk=running.pk).update(status=Status.COMPLETED)
    end = running.end_date
    assert services.attendance_purge(now=at(end.replace(year=end.year + 5), "12:00")) == 0
    assert Attendance.objects.filter(internship=running).exists()
    later = at(end.replace(year=end.year + 5) + dt.timedelta(days=1), "12:00")
    assert services.attendance_purge(now=later) == 1
    assert not Attendance.objects.filter(internship=running).exists()
    assert not WeekSignoff.objects.filter(internship=running).exists()


def test_a_holiday_must_lie_within_the_internship(running, personas):
    before = running.start_date - dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="is not a day of this internship"):
        services.leave_add(
            internship=running,
            by=personas.owner,
            start_date=before,
            end_date=before,
            kind="holiday",
        )
    with pytest.raises(PermissionDenied):
        services.leave_add(
            internship=running,
            by=personas.student,
            start_date=running.start_date,
            end_date=running.start_date,
            kind="holiday",
        )
    assert not Leave.objects.exists()


def test_erasure_removes_the_students_messages_and_keeps_the_record(running, personas):
    from stagebrug.accounts.services import user_erase

    day = working_day(running)
    services.absence_report(
        internship=running,
        by=personas.student,
        day=day,
        mark=Mark.SICK,
        note="Griep",
        now=at(day, "07:00"),
    )
    user_erase(user=personas.student)
    row = Attendance.objects.get(internship=running, date=day)
    assert row.student_note == "" and row.mark == Mark.SICK


def test_the_students_export_holds_their_attendance(running, personas):
    from stagebrug.accounts.services import user_export

    day = working_day(running)
    mark(running, personas, day, Mark.PRESENT)
    exported = user_export(user=personas.student)
    [found] = exported["attendance"]
    assert found["date"] == day.isoformat() and found["mark"] == "present"


def test_the_jobs_prompt_every_run_and_count_days_without_word_at_night(running, personas):
    from stagebrug.supervision import tasks

    first, second = working_day(running, 0), working_day(running, 1)
    with time_machine.travel(at(first, "09:20")):
        assert tasks.attendance_checks.call() == {"prompted": 1}
    with time_machine.travel(at(first, "09:25")):
        assert tasks.attendance_checks.call() == {"prompted": 0}
    # Two days without a word, never marked afterwards: the night after the second alerts.
    with time_machine.travel(at(second, "09:20")):
        assert tasks.attendance_checks.call() == {"prompted": 1}
    night = at(second + dt.timedelta(days=1), "03:00")
    with time_machine.travel(night):
        assert tasks.attendance_nightly.call() == {"alerted": 1, "purged": 0}
        assert tasks.attendance_nightly.call() == {"alerted": 0, "purged": 0}
    assert alerts(personas.teacher).count() == 1
    assert tasks.next_night(night) == night + dt.timedelta(days=1)
    assert tasks.next_night(at(first, "02:59")) == at(first, "03:00")


def test_a_signed_off_week_no_longer_changes(running, personas):
    week = running.start_date - dt.timedelta(days=running.start_date.weekday())
    days = [d for d in (week + dt.timedelta(days=n) for n in range(4)) if d >= running.start_date]
    for day in days:
        mark(running, personas, day, Mark.PRESENT)
    after = at(week + dt.timedelta(days=7), "09:00")
    services.week_signoff(internship=running, by=personas.supervisor, week=week, now=after)
    with pytest.raises(ValidationError, match="is signed off"):
        mark(running, personas, days[0], Mark.ABSENT, now=after)
    with pytest.raises(ValidationError, match="is signed off"):
        services.leave_add(
            internship=running,
            by=personas.owner,
            start_date=days[0],
            end_date=days[0],
            kind="day_off",
        )


def test_after_a_stop_the_record_ends_and_the_last_days_can_still_be_marked(running, personas):
    from stagebrug.internships import services as internship_services

    day = working_day(running, 2)
    with time_machine.travel(at(day, "12:00")):
        internship_services.internship_stop(
            internship=running,
            by=personas.coordinator,
            reason="other",
            note="Verhuisd",
            contact="student_school",
        )
    running.refresh_from_db()
    assert services.record_end(running) == day
    mark(running, personas, day, Mark.PRESENT, now=at(day + dt.timedelta(days=3), "12:00"))
    with pytest.raises(ValidationError, match="under way"):
        mark(running, personas, day, Mark.PRESENT, now=at(day + dt.timedelta(days=15), "12:00"))
    rows = services.week_table(running, today=day + dt.timedelta(days=60))
    assert rows[-1].week == services.rules.monday(day)


def test_a_call_is_noted_only_for_a_day_that_was_missed(running, personas):
    day = working_day(running)
    row = mark(running, personas, day, Mark.PRESENT)
    with pytest.raises(ValidationError, match="Only a day the student was missed"):
        services.attendance_called(attendance=row, by=personas.supervisor)
