"""The rules of attendance, as plain functions (W10, W13, W14). No database here: the services
pass in what they read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from stagebrug.supervision.models import Mark

#: The supervisor is prompted this long after the planned start when the student sent no word.
PROMPT_AFTER = dt.timedelta(minutes=15)
#: Absences without notice within this window count toward the school's alert threshold.
ALERT_WINDOW = dt.timedelta(days=28)
#: How long the attendance record is kept after the internship ends (the Subsidieregeling
#: praktijkleren asks a BBL host to keep the record five years).
KEEP_FOR_YEARS = 5

#: What the workplace supervisor marks (the prompt job's "no word yet" is not one of them).
SUPERVISOR_MARKS = (Mark.PRESENT, Mark.LATE, Mark.ABSENT, Mark.SICK, Mark.DAY_OFF)
#: What a student reports themselves, before the start.
STUDENT_MARKS = (Mark.SICK, Mark.LATE)

OUTSIDE_INTERNSHIP = _("%(date)s is not a day of this internship (%(start)s to %(end)s).")
IN_THE_FUTURE = _("%(date)s has not happened yet. Mark a day on the day itself or afterwards.")
NOT_A_MARK = _("Choose present, late, absent, sick or day off.")
NOT_MISSED = _("Only a day the student was missed, late or absent can have a call noted.")
WEEK_SIGNED = _("The week of %(date)s is signed off; its days no longer change.")
DAY_STARTED = _(
    "Your day started at %(time)s. Call your workplace supervisor to tell them instead."
)
ALREADY_MARKED = _("Your workplace supervisor already marked this day.")
TOO_FAR_AHEAD = _("You can report for today and the next working day only.")
MINUTES_LATE_NEEDED = _("How many minutes late? Between 1 and 600.")
WEEK_NOT_OVER = _("The week of %(date)s is not over yet.")
WEEK_HAS_OPEN_DAYS = _(
    "Mark every working day of the week of %(date)s first (%(days)s still open)."
)
WEEK_ALREADY_SIGNED = _("You already signed off the week of %(date)s.")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def check_day(*, day: dt.date, start: dt.date, end: dt.date, today: dt.date) -> dict[str, list]:
    """A day that can be marked: within the internship, and not in the future."""
    if not start <= day <= end:
        return {
            "date": [
                OUTSIDE_INTERNSHIP
                % {"date": day.isoformat(), "start": start.isoformat(), "end": end.isoformat()}
            ]
        }
    if day > today:
        return {"date": [IN_THE_FUTURE % {"date": day.isoformat()}]}
    return {}


def minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def usual_day(
    weekdays: Mapping[int, tuple[dt.time, dt.time]],
) -> tuple[dt.time, dt.time] | None:
    """The longest working day of the schedule: what an extra day worked counts as."""
    return max(weekdays.values(), key=lambda day: minutes_between(*day), default=None)


def hours_for(
    mark: str, *, planned: tuple[dt.time, dt.time] | None, minutes_late: int | None
) -> Decimal:
    """Workplace hours of a marked day: the planned hours when present, less the minutes late
    when late, none when absent, sick or off."""
    if planned is None or mark not in (Mark.PRESENT, Mark.LATE):
        return Decimal("0.00")
    minutes = minutes_between(*planned)
    if mark == Mark.LATE:
        minutes = max(0, minutes - (minutes_late or 0))
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


def planned_days(
    *,
    start: dt.date,
    end: dt.date,
    weekdays: Mapping[int, tuple[dt.time, dt.time]],
    leave: Iterable[tuple[dt.date, dt.date]],
) -> list[dt.date]:
    """The working days between `start` and `end` (inclusive): a weekday in the schedule, not
    in a holiday or day off."""
    leave = list(leave)
    out = []
    day = start
    while day <= end:
        if day.weekday() in weekdays and not any(a <= day <= b for a, b in leave):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def needs_alert(absences_without_notice: int, threshold: int) -> bool:
    """Repeated absence without notice alerts the school supervisor (W10): the school sets
    how many absences within four weeks."""
    return absences_without_notice >= threshold


def checkin_every_weeks(*, is_mbo: bool, level: int, school_setting: int | None) -> int:
    """The check-in rhythm: weekly for MBO 1–2, every two weeks otherwise, unless the school
    sets another (W13, W14)."""
    if school_setting:
        return school_setting
    return 1 if is_mbo and level <= 2 else 2


@dataclass(frozen=True)
class WeekRow:
    """One week of the hours record."""

    week: dt.date
    planned_days: int
    planned_hours: Decimal
    hours: Decimal
    counts: dict[str, int]
    kind: str  # "work", "sick" (every planned day sick) or "holiday" (no planned day)
    open_days: int  # planned days before today without a mark


def week_rows(
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    weekdays: Mapping[int, tuple[dt.time, dt.time]],
    leave: Sequence[tuple[dt.date, dt.date]],
    marks: Mapping[dt.date, tuple[str, Decimal | None]],
) -> list[WeekRow]:
    """The internship's weeks from its start to the week of `min(end, today)`, each with its
    planned and worked hours and what happened on its days (the current week's plan counts
    whole; its days not marked yet are open only once they have passed). Sick and holiday weeks are told apart, as the
    Subsidieregeling praktijkleren counts only weeks of actual supervision."""
    rows = []
    last = min(end, today)
    week = monday(start)
    while week <= last:
        first_day, last_day = max(week, start), min(week + dt.timedelta(days=6), end)
        days = planned_days(start=first_day, end=last_day, weekdays=weekdays, leave=leave)
        counts = {m.value: 0 for m in Mark}
        hours = Decimal("0.00")
        open_days = 0
        planned_hours = Decimal("0.00")
        for day in days:
            planned_hours += hours_for(
                Mark.PRESENT, planned=weekdays[day.weekday()], minutes_late=None
            )
            mark, worked = marks.get(day, (None, None))
            if mark is None or mark == Mark.NO_WORD:
                # Not marked, or no word and never marked after: open once it has passed.
                if day < today:
                    open_days += 1
                if mark is None:
                    continue
            counts[mark] += 1
            hours += worked or Decimal("0.00")
        # Days marked on a day that is not planned (an extra day) count too.
        for day, (mark, worked) in marks.items():
            if first_day <= day <= last_day and day not in days:
                counts[mark] += 1
                hours += worked or Decimal("0.00")
        if not days or counts[Mark.DAY_OFF] >= len(days):
            kind = "holiday"
        elif counts[Mark.SICK] >= len(days):
            kind = "sick"
        else:
            kind = "work"
        rows.append(
            WeekRow(
                week=week,
                planned_days=len(days),
                planned_hours=planned_hours,
                hours=hours,
                counts=counts,
                kind=kind,
                open_days=open_days,
            )
        )
        week += dt.timedelta(days=7)
    return rows
