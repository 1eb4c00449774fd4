"""The rules of progress and early warning, as plain functions over plain data (W13, W14, W18).
No database here: the review passes in what it read.

An internship is at risk, and the school supervisor and the business are warned with the reason
and what to do, before a stop is needed (W18), when:

* goals: at mid-term or later, the last check-in has a learning goal behind, or the mid-term
  evaluation found the internship at risk;
* hours: the hours of the days marked so far, and the planned hours of the days not marked yet
  (past or to come), fall more than a working day short of the hours the agreement requires;
* checkins: no check-in for a whole rhythm after the one that was due;
* contact: a contact moment passed a week ago without a record;
* absence: the school's threshold of absences without notice within four weeks is reached.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from stagebrug.supervision.models import EarlyWarning

Kind = EarlyWarning.Kind

#: A contact moment without a record this long after its time counts as missed.
CONTACT_GRACE = dt.timedelta(days=7)


def checkin_every_weeks(*, school_kind: str, level: int, school_setting: int | None) -> int:
    """The check-in rhythm: what the school set, else weekly for MBO 1–2 (W13, W14) and every
    two weeks otherwise."""
    if school_setting:
        return school_setting
    return 1 if school_kind == "mbo" and level <= 2 else 2


def next_checkin_due(*, start: dt.date, end: dt.date, last: dt.date | None, every: int) -> dt.date:
    """A check-in is due a rhythm after the last one (or after the start), and at the latest in
    the internship's last week."""
    due = (last or start) + dt.timedelta(weeks=every)
    return min(due, end)


def midpoint(start: dt.date, end: dt.date) -> dt.date:
    return start + (end - start) / 2


def unaccounted_minutes(
    *,
    start: dt.date,
    end: dt.date,
    weekday_minutes: Mapping[int, int],
    leave: Iterable[tuple[dt.date, dt.date]] = (),
    marked_per_weekday: Mapping[int, int] | None = None,
) -> int:
    """The planned minutes of the internship's working days that have no mark yet: every
    planned day from start to end, less the planned minutes of the days already marked
    (`marked_per_weekday`: how many marked days fell on each weekday, Monday 0). A day not
    marked yet counts as planned, whether it is past or to come."""
    total = planned_minutes(start=start, end=end, weekday_minutes=weekday_minutes, leave=leave)
    marked = sum(
        n * weekday_minutes.get(weekday, 0) for weekday, n in (marked_per_weekday or {}).items()
    )
    return max(total - marked, 0)


def planned_minutes(
    *,
    start: dt.date,
    end: dt.date,
    weekday_minutes: Mapping[int, int],
    leave: Iterable[tuple[dt.date, dt.date]] = (),
) -> int:
    """Minutes of work planned from `start` to `end` (both included): each working day of the
    schedule, less the days of leave."""
    if end < start or not weekday_minutes:
        return 0
    days = (end - start).days + 1
    full_weeks, rest = divmod(days, 7)
    total = full_weeks * sum(weekday_minutes.values())
    for n in range(rest):
        total += weekday_minutes.get((start.weekday() + n) % 7, 0)
    for first, last in leave:
        first, last = max(first, start), min(last, end)
        day = first
        while day <= last:
            total -= weekday_minutes.get(day.weekday(), 0)
            day += dt.timedelta(days=1)
    return max(total, 0)


@dataclass(frozen=True)
class Facts:
    """What the review knows of one running internship."""

    today: dt.date
    start: dt.date
    end: dt.date
    checkin_every_weeks: int
    next_checkin_due: dt.date | None
    last_checkin_on: dt.date | None = None
    goals_behind: int = 0
    midterm_at_risk: bool = False
    hours_done: Decimal = Decimal(0)
    minutes_left: int = 0
    hours_required: int | None = None
    contact_missed: tuple[tuple[str, dt.date], ...] = ()  # (kind, day), the oldest first
    absences: int = 0
    absence_threshold: int = 2
    # The longest working day of the schedule: the hours may fall this much short (a day can
    # be made up without changing the agreement).
    day_minutes: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def hours_reachable(self) -> Decimal:
        return self.hours_done + (Decimal(self.minutes_left) / 60).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Risk:
    kind: str
    detail: dict

    @property
    def reason(self) -> str:
        return reason_of(self.kind, self.detail)

    @property
    def fix(self) -> str:
        return str(FIXES[self.kind])


REASONS = {
    Kind.GOALS: _("At mid-term, %(behind)s learning goal(s) are behind."),
    Kind.HOURS: _(
        "At the planned schedule the student reaches %(reachable)s of the %(required)s hours "
        "the agreement requires (%(done)s done so far)."
    ),
    Kind.CHECKINS: _(
        "No check-in by the workplace since %(since)s; one every %(every)s week(s) was agreed."
    ),
    Kind.CONTACT: _("The contact moment of %(date)s has no record."),
    Kind.ABSENCE: _(
        "%(count)s absences without notice in the last four weeks (the school's limit is "
        "%(threshold)s)."
    ),
}
MIDTERM_AT_RISK = _("The mid-term evaluation found the internship at risk.")
FIXES = {
    Kind.GOALS: _(
        "Talk it over with the student and the workplace this week: agree what must change for "
        "each goal that is behind, write it in the logbook, and plan an extra contact moment."
    ),
    Kind.HOURS: _(
        "Agree extra working days or a later end date with the workplace and the student, and "
        "amend the agreement; the programme's hours must be reached (W18)."
    ),
    Kind.CHECKINS: _(
        "Ask the workplace supervisor for a check-in this week; a check-in takes a minute on "
        "a phone."
    ),
    Kind.CONTACT: _(
        "Record what was agreed at the contact moment, or plan it again if it did not take place."
    ),
    Kind.ABSENCE: _(
        "Get in touch with the student and the workplace supervisor this week, kindly: find out "
        "what is going on before the internship is at risk."
    ),
}


def reason_of(kind: str, detail: dict) -> str:
    if kind == Kind.GOALS and not detail.get("behind"):
        return str(MIDTERM_AT_RISK)
    try:
        return str(REASONS[kind]) % detail
    except (KeyError, TypeError, ValueError):
        return str(Kind(kind).label)


def risks(facts: Facts) -> list[Risk]:
    """What puts this internship at risk today, each with what the message needs."""
    found: list[Risk] = []
    if facts.today >= midpoint(facts.start, facts.end) and (
        facts.goals_behind or facts.midterm_at_risk
    ):
        found.append(Risk(Kind.GOALS, {"behind": facts.goals_behind}))
    margin = Decimal(facts.day_minutes) / 60
    if facts.hours_required and facts.hours_reachable < facts.hours_required - margin:
        found.append(
            Risk(
                Kind.HOURS,
                {
                    "reachable": int(facts.hours_reachable),
                    "required": facts.hours_required,
                    "done": int(facts.hours_done),
                },
            )
        )
    due = facts.next_checkin_due
    if due is not None and facts.today > due + dt.timedelta(weeks=facts.checkin_every_weeks):
        since = facts.last_checkin_on or facts.start
        found.append(
            Risk(
                Kind.CHECKINS,
                {"since": since.strftime("%d-%m-%Y"), "every": facts.checkin_every_weeks},
            )
        )
    if facts.contact_missed:
        _kind, day = facts.contact_missed[0]
        found.append(Risk(Kind.CONTACT, {"date": day.strftime("%d-%m-%Y")}))
    if facts.absences >= facts.absence_threshold:
        found.append(
            Risk(Kind.ABSENCE, {"count": facts.absences, "threshold": facts.absence_threshold})
        )
    return found
