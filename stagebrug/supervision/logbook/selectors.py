"""What the logbook page reads: the entries, each learning goal's verdicts over time, the hours
against the hours required, and the open warnings; a fixed number of queries per page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import ExtractIsoWeekDay

from stagebrug.accounts.models import User
from stagebrug.internships.models import Internship
from stagebrug.supervision.logbook.services import Goal, goals_from
from stagebrug.supervision.models import (
    Attendance,
    EarlyWarning,
    LogEntry,
    Progress,
)
from stagebrug.supervision.progress import rules
from stagebrug.supervision.rules import minutes_between
from stagebrug.supervision.services import leave_of, signed_content, weekdays_of

#: Columns of the goals table: the latest check-ins.
HISTORY_WEEKS = 8


def entries(*, internship: Internship) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(internship=internship).order_by("-created_at", "-id")


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    verdicts: list[tuple[dt.date, str]]  # (week, status or "") for each column

    @property
    def latest(self) -> str:
        return next((v for _w, v in reversed(self.verdicts) if v), "")


def goal_history(
    *, internship: Internship, goals: list[Goal], weeks: int = HISTORY_WEEKS
) -> tuple[list[dt.date], list[GoalRow]]:
    """Each learning goal's verdict in the latest check-ins (the last check-in of a week
    counts for that week), the oldest column first."""
    latest: dict[dt.date, dict] = {}
    for week, verdicts in (
        LogEntry.objects.filter(internship=internship, kind=LogEntry.Kind.CHECKIN)
        .order_by("-week", "-created_at", "-id")
        .values_list("week", "goals")[: weeks * 3]
    ):
        latest.setdefault(week, verdicts)
    columns = sorted(latest)[-weeks:]
    rows = [
        GoalRow(goal, [(w, str(latest[w].get(goal.key, ""))) for w in columns]) for goal in goals
    ]
    return columns, rows


@dataclass(frozen=True)
class Hours:
    done: Decimal
    planned_left: Decimal
    required: int | None
    # The longest working day: the hours may fall this much short (progress.rules).
    margin: Decimal = Decimal(0)

    @property
    def reachable(self) -> Decimal:
        return self.done + self.planned_left

    @property
    def percent_done(self) -> int:
        if not self.required:
            return 0
        return min(100, int(self.done * 100 / self.required))

    @property
    def out_of_reach(self) -> bool:
        return bool(self.required) and self.reachable < self.required - self.margin


def hours(*, internship: Internship, progress: Progress | None, today: dt.date) -> Hours:
    """Workplace hours of the days marked before today, the planned hours of the working
    days not marked yet (past or to come), and the hours the signed agreement requires."""
    done = Decimal(0)
    marked: dict[int, int] = {}
    for iso_weekday, n, total in (
        Attendance.objects.filter(internship=internship, date__lt=today)
        .values(wd=ExtractIsoWeekDay("date"))
        .annotate(n=Count("pk"), total=Sum("hours"))
        .values_list("wd", "n", "total")
    ):
        done += total or Decimal(0)
        marked[iso_weekday - 1] = n
    schedule = {
        weekday: minutes_between(start, end)
        for weekday, (start, end) in weekdays_of(internship).items()
    }
    left = rules.unaccounted_minutes(
        start=internship.start_date,
        end=internship.end_date,
        weekday_minutes=schedule,
        leave=leave_of(internship),
        marked_per_weekday=marked,
    )
    return Hours(
        done=done,
        planned_left=(Decimal(left) / 60).quantize(Decimal("0.01")),
        required=progress.hours_required if progress else None,
        margin=Decimal(max(schedule.values(), default=0)) / 60,
    )


def open_warnings(*, internship: Internship) -> list[EarlyWarning]:
    return list(
        EarlyWarning.objects.filter(internship=internship, resolved_at__isnull=True).order_by(
            "raised_at", "pk"
        )
    )


def goals_of(internship: Internship) -> list[Goal]:
    return goals_from(signed_content(internship))


def personal_data(*, user: User) -> dict:
    """`accounts.hooks.personal_data`: the student's own logbook entries."""
    return {
        "logbook": [
            {
                "internship": e.internship_id,
                "week": e.week.isoformat(),
                "how_it_goes": e.going,
                "text": e.text,
                "written_at": e.created_at.isoformat(),
            }
            for e in LogEntry.objects.filter(
                internship__student=user, kind=LogEntry.Kind.STUDENT
            ).order_by("created_at")
        ]
    }
