"""Attendance with "you were missed" (W10): the planned days from the signed agreement, the
supervisor's marks, the student's own reports, the same-day prompt when a student sent no word,
the school's alert after repeated absence without notice, the weekly sign-off, and the hours
record.

Every write runs in a transaction with the internship locked, so two marks of the same day at
the same moment end as one row (the last one wins; both are in the audit log).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stagebrug.accounts.models import Role, User
from stagebrug.accounts.services import speaking_to
from stagebrug.agreements.models import Agreement, Version
from stagebrug.applications.services import notify
from stagebrug.core.audit import audit_log, snapshot
from stagebrug.core.mail import queue_email
from stagebrug.internships import permissions as roles_of
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision import rules
from stagebrug.supervision.models import (
    Attendance,
    Leave,
    Mark,
    SchoolSettings,
    WeekSignoff,
    WorkDay,
)

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOT_RUNNING = gettext_lazy("Attendance is kept while the internship is under way.")
MISSED_TITLE = gettext_lazy("%(name)s has not arrived yet")
MISSED_BODY = gettext_lazy(
    "%(name)s was due at %(time)s and has not sent word. Call %(phone)s, kindly: "
    "“We missen je vandaag, alles goed?” Then note on Stagebrug that you called."
)
NO_PHONE = gettext_lazy("(no phone number in the agreement; use the e-mail address)")


# --------------------------------------------------------------------------------------------
# The plan: working days from the signed agreement


def _time(value: Any) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def schedule_from_content(content: dict) -> dict[int, tuple[dt.time, dt.time]]:
    """Weekday (Monday 0) → (start, end), from an agreement version's weekly schedule."""
    data = (content.get("schedule") or {}).get("data") or {}
    out = {}
    for weekday, key in enumerate(WEEKDAY_KEYS):
        start, end = _time(data.get(f"{key}_start")), _time(data.get(f"{key}_end"))
        if start and end and end > start:
            out[weekday] = (start, end)
    return out


def work_days_refresh(*, agreement: Agreement, version: Version) -> int:
    """`agreements.hooks.agreement_signed`: the signed version's schedule becomes the planned
    days (an amendment that changes the schedule changes them from then on)."""
    schedule = schedule_from_content(version.content)
    internship_id = agreement.internship_id
    WorkDay.objects.filter(internship_id=internship_id).delete()
    WorkDay.objects.bulk_create(
        WorkDay(internship_id=internship_id, weekday=w, start=s, end=e)
        for w, (s, e) in sorted(schedule.items())
    )
    return len(schedule)


def weekdays_of(internship: Internship) -> dict[int, tuple[dt.time, dt.time]]:
    return {d.weekday: (d.start, d.end) for d in internship.work_days.all()}


def leave_of(internship: Internship) -> list[tuple[dt.date, dt.date]]:
    return [(leave.start_date, leave.end_date) for leave in internship.leaves.all()]


def signed_content(internship: Internship) -> dict:
    version = (
        Version.objects.filter(agreement__internship=internship, state=Version.State.SIGNED)
        .order_by("-number")
        .only("content")
        .first()
    )
    return version.content if version else {}


def student_phone(content: dict) -> str:
    return str(((content.get("student") or {}).get("data") or {}).get("phone") or "")


# --------------------------------------------------------------------------------------------
# Marks


def _locked(internship: Internship) -> Internship:
    return (
        Internship.objects.select_for_update(of=("self",))
        .select_related("supervisor", "student", "school_supervisor", "institution", "programme")
        .get(pk=internship.pk)
    )


#: After an internship is completed or stopped, its last days can still be marked this long.
GRACE_AFTER_END = dt.timedelta(days=14)


def record_end(internship: Internship) -> dt.date:
    """The last day of the attendance record: the end date, or the day the internship was
    completed or stopped when that came first."""
    closed = internship.stopped_at or internship.completed_at
    if closed is not None and internship.status in (Status.STOPPED, Status.COMPLETED):
        return min(internship.end_date, timezone.localdate(closed))
    return internship.end_date


def _require_running(internship: Internship, *, today: dt.date | None = None) -> None:
    """Marks are kept while the internship is under way, and for two weeks after it was
    completed or stopped (the last days' marks and the last week's sign-off)."""
    if internship.status == Status.ACTIVE:
        return
    closed = internship.status in (Status.STOPPED, Status.COMPLETED)
    if closed and today is not None and today <= record_end(internship) + GRACE_AFTER_END:
        return
    raise ValidationError(NOT_RUNNING)


def _require_week_open(internship: Internship, day: dt.date) -> None:
    week = rules.monday(day)
    if WeekSignoff.objects.filter(internship=internship, week=week).exists():
        raise ValidationError({"date": [rules.WEEK_SIGNED % {"date": week.strftime("%d-%m-%Y")}]})


def _is_supervisor(user: User, internship: Internship) -> bool:
    return bool(internship.supervisor_id) and internship.supervisor.user_id == user.pk


def _write(
    internship: Internship, day: dt.date, *, by: User | None, action: str, values: dict
) -> Attendance:
    """Create or update the day's one row (the internship is locked by the caller); the audit
    log keeps every version of the mark."""
    values = values | {"marked_by": by, "marked_at": timezone.now()}
    existing = Attendance.objects.filter(internship=internship, date=day).first()
    if existing is None:
        try:
            with transaction.atomic():
                row = Attendance.objects.create(internship=internship, date=day, **values)
        except IntegrityError:  # written in between (the prompt job does not lock)
            existing = Attendance.objects.get(internship=internship, date=day)
        else:
            audit_log(actor=by, action=action, obj=row, changes=_audit_values(values))
            return row
    before = snapshot(existing, ["mark", "minutes_late", "hours", "announced"])
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    audit_log(
        actor=by,
        action=action,
        obj=existing,
        changes={"before": before} | _audit_values(values),
    )
    return existing


def _audit_values(values: dict) -> dict:
    return {
        k: v
        for k, v in values.items()
        if k in ("mark", "minutes_late", "hours", "announced", "source", "date")
    }


def attendance_mark(
    *,
    internship: Internship,
    by: User,
    day: dt.date,
    mark: str,
    minutes_late: int | None = None,
    now: dt.datetime | None = None,
) -> Attendance:
    """The workplace supervisor marks a day present, late, absent, sick or off (W10). Marking
    the same day again replaces the mark. An absence without notice may alert the school."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if mark not in rules.SUPERVISOR_MARKS:
        raise ValidationError({"mark": [rules.NOT_A_MARK]})
    if mark == Mark.LATE and not (minutes_late and 1 <= minutes_late <= 600):
        raise ValidationError({"minutes_late": [rules.MINUTES_LATE_NEEDED]})
    with transaction.atomic():
        locked = _locked(internship)
        if not _is_supervisor(by, locked):
            raise PermissionDenied
        _require_running(locked, today=today)
        errors = rules.check_day(
            day=day, start=locked.start_date, end=record_end(locked), today=today
        )
        if errors:
            raise ValidationError(errors)
        _require_week_open(locked, day)
        weekdays = weekdays_of(locked)
        # A day outside the schedule that was worked counts as a usual working day.
        planned = weekdays.get(day.weekday()) or rules.usual_day(weekdays)
        previous = Attendance.objects.filter(internship=locked, date=day).first()
        # The student's own report before the start stays "with notice".
        announced = bool(previous and previous.announced and mark in (Mark.SICK, Mark.LATE))
        row = _write(
            locked,
            day,
            by=by,
            action="attendance.marked",
            values={
                "mark": mark,
                "source": Attendance.Source.SUPERVISOR,
                "announced": announced,
                "minutes_late": minutes_late if mark == Mark.LATE else None,
                "hours": rules.hours_for(mark, planned=planned, minutes_late=minutes_late),
            },
        )
        if mark == Mark.ABSENT:
            _alert_if_repeated(locked, row, now=now)
    return row


def absence_report(
    *,
    internship: Internship,
    by: User,
    day: dt.date,
    mark: str,
    minutes_late: int | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Attendance:
    """The student reports sick or late themselves, before the day's start (W10): an absence
    with notice, and their workplace supervisor is told at once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if mark not in rules.STUDENT_MARKS:
        raise ValidationError({"mark": [rules.NOT_A_MARK]})
    if mark == Mark.LATE and not (minutes_late and 1 <= minutes_late <= 600):
        raise ValidationError({"minutes_late": [rules.MINUTES_LATE_NEEDED]})
    with transaction.atomic():
        locked = _locked(internship)
        if locked.student_id != by.pk:
            raise PermissionDenied
        _require_running(locked)
        weekdays = weekdays_of(locked)
        upcoming = rules.planned_days(
            start=max(today, locked.start_date),
            end=min(today + dt.timedelta(days=14), locked.end_date),
            weekdays=weekdays,
            leave=leave_of(locked),
        )
        # Today (before the start) and the next working day; or only the next working day.
        allowed = upcoming[:2] if upcoming[:1] == [today] else upcoming[:1]
        if day not in allowed:
            raise ValidationError({"date": [rules.TOO_FAR_AHEAD]})
        start, end = weekdays[day.weekday()]
        if day == today and timezone.localtime(now).time() >= start:
            raise ValidationError({"date": [rules.DAY_STARTED % {"time": start.strftime("%H:%M")}]})
        previous = Attendance.objects.filter(internship=locked, date=day).first()
        if previous and previous.source == Attendance.Source.SUPERVISOR:
            raise ValidationError({"date": [rules.ALREADY_MARKED]})
        row = _write(
            locked,
            day,
            by=by,
            action="attendance.reported",
            values={
                "mark": mark,
                "source": Attendance.Source.STUDENT,
                "announced": True,
                "minutes_late": minutes_late if mark == Mark.LATE else None,
                # What the report implies until the supervisor marks the day.
                "hours": rules.hours_for(mark, planned=(start, end), minutes_late=minutes_late),
                "student_note": note[:300],
            },
        )
        _tell_supervisor_of_report(locked, row)
    return row


def _tell_supervisor_of_report(internship: Internship, row: Attendance) -> None:
    supervisor = internship.supervisor
    if supervisor is None:
        return
    name = internship.student.full_name
    if row.mark == Mark.SICK:
        title = gettext_lazy("%(name)s reported sick for %(date)s")
    else:
        title = gettext_lazy("%(name)s will be %(minutes)s minutes late on %(date)s")
    values = {"name": name, "date": row.date.strftime("%d-%m-%Y"), "minutes": row.minutes_late}
    tell_workplace(
        supervisor,
        kind="attendance.reported",
        write=written(
            title,
            gettext_lazy("Message: %(note)s") if row.student_note else "",
            values | {"note": row.student_note},
        ),
    )


def written(title, body="", values: dict | None = None) -> Callable[[], tuple[str, str]]:
    """A message's title and body, written when called (in the reader's language)."""
    values = values or {}
    return lambda: (str(title) % values, str(body) % values if body else "")


def tell_workplace(
    supervisor, *, kind: str, write: Callable[[], tuple[str, str]], url: str | None = None
) -> None:
    """The workplace supervisor: in their inbox when they have an account, else by e-mail;
    `write` gives the title and body in the language it is called in."""
    url = url or reverse("supervision:today")
    user = supervisor.user
    if user is not None:
        with speaking_to(user):
            title, body = write()
            notify(user=user, kind=kind, title=title, body=body, url=url)
        return
    if not supervisor.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title, body = write()
    queue_email(
        to=supervisor.email,
        language=settings.LANGUAGE_CODE,
        template="notification",
        context={"title": title, "body": body, "url": f"{settings.SITE_URL}{url}"},
    )


def attendance_called(
    *, attendance: Attendance, by: User, note: str = "", now: dt.datetime | None = None
) -> Attendance:
    """The supervisor records that they called the student who was missed (W10)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(attendance.internship)
        if not _is_supervisor(by, locked):
            raise PermissionDenied
        row = Attendance.objects.select_for_update().get(pk=attendance.pk)
        if row.mark not in (Mark.NO_WORD, Mark.ABSENT, Mark.LATE):
            raise ValidationError(rules.NOT_MISSED)
        row.called_at = now
        row.called_by = by
        row.call_note = note[:300]
        row.save(update_fields=["called_at", "called_by", "call_note"])
        audit_log(actor=by, action="attendance.called", obj=row, changes={"date": row.date})
    return row


# --------------------------------------------------------------------------------------------
# The prompt: "you were missed" (W10)


def due_prompts(now: dt.datetime):
    """Today's planned days whose start time passed `PROMPT_AFTER` ago, of running
    internships, with no word (no attendance row) and not on holiday or a day off."""
    local = timezone.localtime(now)
    today = local.date()
    cutoff = (local - rules.PROMPT_AFTER).time()
    if (local - rules.PROMPT_AFTER).date() != today:
        return WorkDay.objects.none()
    marked = Attendance.objects.filter(internship_id=OuterRef("internship_id"), date=today)
    on_leave = Leave.objects.filter(
        internship_id=OuterRef("internship_id"), start_date__lte=today, end_date__gte=today
    )
    return (
        WorkDay.objects.filter(
            weekday=today.weekday(),
            start__lte=cutoff,
            internship__status=Status.ACTIVE,
            internship__start_date__lte=today,
            internship__end_date__gte=today,
        )
        .exclude(Exists(marked))
        .exclude(Exists(on_leave))
    )


def absences_prompt(*, now: dt.datetime | None = None, batch: int = 2000) -> int:
    """Open a "no word yet" day for each student missed today and prompt their workplace
    supervisor with the student's phone number and a kind sentence. Each day is prompted
    once: the row it creates is what makes it so."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    prompted = 0
    while True:
        found = list(due_prompts(now).values_list("internship_id", "start")[:batch])
        if not found:
            return prompted
        with transaction.atomic():
            Attendance.objects.bulk_create(
                [
                    Attendance(
                        internship_id=internship_id,
                        date=today,
                        mark=Mark.NO_WORD,
                        source=Attendance.Source.PROMPT,
                        marked_at=now,
                        prompted_at=now,
                        hours=Decimal("0.00"),
                    )
                    for internship_id, _start in found
                ],
                ignore_conflicts=True,
            )
            _send_prompts(dict(found), today=today, now=now)
        prompted += len(found)


def _send_prompts(starts: dict[int, dt.time], *, today: dt.date, now: dt.datetime) -> None:
    internships = (
        Internship.objects.filter(
            pk__in=starts,
            attendance__date=today,
            attendance__prompted_at=now,
        )
        .select_related("student", "supervisor__user")
        .distinct()
    )
    contents = {
        v.agreement.internship_id: v.content
        for v in Version.objects.filter(
            agreement__internship_id__in=starts, state=Version.State.SIGNED
        ).select_related("agreement")
    }
    for internship in internships:
        if internship.supervisor is None or internship.student is None:
            continue
        phone = student_phone(contents.get(internship.pk, {}))
        values = {
            "name": internship.student.full_name,
            "time": starts[internship.pk].strftime("%H:%M"),
            "phone": phone or NO_PHONE,
        }
        tell_workplace(
            internship.supervisor,
            kind="attendance.missed",
            write=written(MISSED_TITLE, MISSED_BODY, values),
        )


# --------------------------------------------------------------------------------------------
# Repeated absence without notice: the school is alerted (W10, W13)


#: Absences without notice: marked absent, or no word all day (W10).
WITHOUT_NOTICE = (Mark.ABSENT, Mark.NO_WORD)


def alert_days_without_word(*, now: dt.datetime | None = None) -> int:
    """Nightly: a day that ended with no word at all (the supervisor never marked it) counts
    as an absence without notice, and may alert the school like one marked absent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    alerted = 0
    rows = (
        Attendance.objects.filter(
            mark=Mark.NO_WORD,
            date__lt=today,
            date__gte=today - rules.ALERT_WINDOW,
            alerted_at__isnull=True,
            internship__status=Status.ACTIVE,
        )
        .select_related("internship__school_supervisor", "internship__student")
        .order_by("internship_id", "-date")
    )
    seen: set[int] = set()
    for row in rows.iterator(chunk_size=1000):
        if row.internship_id in seen:
            continue  # the latest day of each internship decides
        seen.add(row.internship_id)
        with transaction.atomic():
            alerted += _alert_if_repeated(row.internship, row, now=now)
    return alerted


def threshold_for(institution_id: int) -> int:
    found = (
        SchoolSettings.objects.filter(institution_id=institution_id)
        .values_list("absence_alert_after", flat=True)
        .first()
    )
    return found or SchoolSettings._meta.get_field("absence_alert_after").default


def _alert_if_repeated(internship: Internship, row: Attendance, *, now: dt.datetime) -> bool:
    since = row.date - rules.ALERT_WINDOW
    window = Attendance.objects.filter(
        internship=internship,
        date__gt=since,
        date__lte=row.date,
        mark__in=WITHOUT_NOTICE,
        announced=False,
    )
    count = window.count()
    if not rules.needs_alert(count, threshold_for(internship.institution_id)):
        return False
    if window.filter(alerted_at__isnull=False).exists():
        return False  # alerted already for an absence in this window
    Attendance.objects.filter(pk=row.pk).update(alerted_at=now)
    people = (
        [internship.school_supervisor]
        if internship.school_supervisor
        else list(
            User.objects.filter(
                memberships__institution_id=internship.institution_id,
                memberships__role=Role.SCHOOL_COORDINATOR,
                is_active=True,
            )
            .distinct()
            .order_by("pk")
        )
    )
    name = internship.student.full_name if internship.student else _("(erased)")
    for person in people:
        with speaking_to(person):
            notify(
                user=person,
                kind="attendance.alert",
                title=str(gettext_lazy("%(name)s was absent without notice %(count)s times"))
                % {"name": name, "count": count},
                body=str(
                    gettext_lazy(
                        "In the last four weeks %(name)s was absent %(count)s times without "
                        "letting the workplace know. Get in touch with the student and the "
                        "workplace supervisor this week, before the internship is at risk."
                    )
                )
                % {"name": name, "count": count},
                url=reverse("supervision:attendance", args=[internship.pk]),
            )
    audit_log(actor=None, action="attendance.alerted", obj=row, changes={"count": count})
    return True


# --------------------------------------------------------------------------------------------
# Holidays, the weekly sign-off, school settings


def leave_add(
    *,
    internship: Internship,
    by: User,
    start_date: dt.date,
    end_date: dt.date,
    kind: str,
    note: str = "",
) -> Leave:
    """A holiday or day off in the schedule, agreed with the workplace: no prompt that day."""
    parts = roles_of.roles(by, internship)
    if not parts & {
        roles_of.WORKPLACE_SUPERVISOR,
        roles_of.BUSINESS,
        roles_of.SCHOOL_SUPERVISOR,
        roles_of.COORDINATOR,
    }:
        raise PermissionDenied
    if end_date < start_date:
        raise ValidationError({"end_date": [_("The last day cannot be before the first.")]})
    errors = rules.check_day(
        day=start_date, start=internship.start_date, end=internship.end_date, today=dt.date.max
    ) or rules.check_day(
        day=end_date, start=internship.start_date, end=internship.end_date, today=dt.date.max
    )
    if errors:
        raise ValidationError({"start_date": errors["date"]})
    if kind not in Leave.Kind.values:
        raise ValidationError({"kind": [_("Choose holiday or day off.")]})
    if not internship.is_open:
        raise ValidationError(NOT_RUNNING)
    signed = WeekSignoff.objects.filter(
        internship=internship,
        week__gte=rules.monday(start_date),
        week__lte=rules.monday(end_date),
    ).first()
    if signed is not None:
        raise ValidationError(
            {"start_date": [rules.WEEK_SIGNED % {"date": signed.week.strftime("%d-%m-%Y")}]}
        )
    with transaction.atomic():
        leave = Leave.objects.create(
            internship=internship,
            start_date=start_date,
            end_date=end_date,
            kind=kind,
            note=note[:200],
            created_by=by,
        )
        audit_log(
            actor=by,
            action="attendance.leave",
            obj=leave,
            changes={"from": start_date, "until": end_date, "kind": kind},
        )
    return leave


def leave_remove(*, leave: Leave, by: User, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    if not roles_of.roles(by, leave.internship) & {
        roles_of.WORKPLACE_SUPERVISOR,
        roles_of.BUSINESS,
        roles_of.SCHOOL_SUPERVISOR,
        roles_of.COORDINATOR,
    }:
        raise PermissionDenied
    if leave.start_date <= today:
        raise ValidationError(_("A holiday that has begun stays on the record."))
    with transaction.atomic():
        audit_log(
            actor=by,
            action="attendance.leave_removed",
            obj=leave,
            changes={"from": leave.start_date, "until": leave.end_date},
        )
        leave.delete()


def week_is_over(internship: Internship, week: dt.date, today: dt.date) -> bool:
    """A week can be signed off once its Sunday, or the internship's last day, has passed."""
    return min(week + dt.timedelta(days=6), record_end(internship)) < today


def week_signoff(
    *, internship: Internship, by: User, week: dt.date, now: dt.datetime | None = None
) -> WeekSignoff:
    """The supervisor confirms a finished week whose working days are all marked."""
    today = timezone.localdate(now or timezone.now())
    week = rules.monday(week)
    label = week.strftime("%d-%m-%Y")
    with transaction.atomic():
        locked = _locked(internship)
        if not _is_supervisor(by, locked):
            raise PermissionDenied
        if not week_is_over(locked, week, today):
            raise ValidationError(rules.WEEK_NOT_OVER % {"date": label})
        row = week_table(locked, today=today, weeks=[week])
        if not row:
            raise ValidationError(
                rules.OUTSIDE_INTERNSHIP
                % {
                    "date": label,
                    "start": locked.start_date.isoformat(),
                    "end": locked.end_date.isoformat(),
                }
            )
        week_row = row[0]
        if week_row.open_days:
            raise ValidationError(
                rules.WEEK_HAS_OPEN_DAYS % {"date": label, "days": week_row.open_days}
            )
        try:
            with transaction.atomic():
                signoff = WeekSignoff.objects.create(
                    internship=locked,
                    week=week,
                    hours=week_row.hours,
                    signed_by=by,
                    signed_by_name=by.full_name,
                )
        except IntegrityError:
            raise ValidationError(rules.WEEK_ALREADY_SIGNED % {"date": label}) from None
        audit_log(
            actor=by,
            action="attendance.week_signed",
            obj=signoff,
            changes={"week": week, "hours": week_row.hours},
        )
    return signoff


def week_table(
    internship: Internship, *, today: dt.date, weeks: Iterable[dt.date] | None = None
) -> list[rules.WeekRow]:
    """The hours record of an internship, a row a week (only `weeks` when given). Reads the
    internship's work days, leave and attendance through its related managers, so a caller
    that prefetched them (the company's export) runs no query here."""
    rows = rules.week_rows(
        start=internship.start_date,
        end=record_end(internship),
        today=today,
        weekdays=weekdays_of(internship),
        leave=leave_of(internship),
        marks={a.date: (a.mark, a.hours) for a in internship.attendance.all()},
    )
    if weeks is not None:
        wanted = set(weeks)
        rows = [r for r in rows if r.week in wanted]
    return rows


def school_settings_save(
    *,
    institution,
    by: User,
    absence_alert_after: int,
    checkin_every_weeks: int | None,
    student_files_months: int | None = None,
) -> SchoolSettings:
    from stagebrug.accounts import permissions as perms

    if not perms.can_edit_institution(by, institution):
        raise PermissionDenied
    with transaction.atomic():
        settings_row, _created = SchoolSettings.objects.select_for_update().get_or_create(
            institution=institution
        )
        before = snapshot(
            settings_row, ["absence_alert_after", "checkin_every_weeks", "student_files_months"]
        )
        settings_row.absence_alert_after = absence_alert_after
        settings_row.checkin_every_weeks = checkin_every_weeks
        if student_files_months is not None:
            settings_row.student_files_months = student_files_months
        settings_row.updated_by = by
        settings_row.full_clean()
        settings_row.save()
        audit_log(
            actor=by,
            action="supervision.settings",
            obj=settings_row,
            changes={
                "before": before,
                "absence_alert_after": absence_alert_after,
                "checkin_every_weeks": checkin_every_weeks,
                "student_files_months": settings_row.student_files_months,
            },
        )
        if before["checkin_every_weeks"] != checkin_every_weeks:
            from stagebrug.supervision.progress.services import rhythm_refresh

            rhythm_refresh(institution_id=institution.pk)
    return settings_row


# --------------------------------------------------------------------------------------------
# Retention and erasure


def attendance_purge(*, now: dt.datetime | None = None) -> int:
    """The record is kept five years after the internship ended, then removed."""
    today = timezone.localdate(now or timezone.now())
    try:
        cutoff = today.replace(year=today.year - rules.KEEP_FOR_YEARS)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - rules.KEEP_FOR_YEARS, day=28)
    ended = Q(internship__end_date__lt=cutoff) & ~Q(
        internship__status__in=[Status.CONFIRMED, Status.ACTIVE]
    )
    removed, _counts = Attendance.objects.filter(ended).delete()
    removed += WeekSignoff.objects.filter(ended).delete()[0]
    # The plan goes too, so no empty weeks are shown for an internship whose record is gone.
    WorkDay.objects.filter(ended).delete()
    Leave.objects.filter(ended).delete()
    return removed


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`: the student's own messages on their days go; the marks and
    hours stay with the anonymised internship (the business's record, kept five years)."""
    rows = Attendance.objects.filter(internship__student=user).exclude(
        student_note="", call_note=""
    )
    ids = list(rows.values_list("pk", flat=True))
    rows.update(student_note="", call_note="")
    return [("supervision.attendance", ids)]
