"""Progress and early warning (W18), with the clock frozen: the rules as plain functions, and the
morning review that raises a warning with its reason and what to do, tells the school
supervisor and the workplace once, and resolves it when the cause is gone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.applications.models import Notification
from stagebrug.supervision import services as attendance
from stagebrug.supervision.models import (
    ContactMoment,
    EarlyWarning,
    GoalStatus,
    Progress,
)
from stagebrug.supervision.progress import rules, services
from tests.supervision.test_attendance import at, in_english, working_day  # noqa: F401
from tests.supervision.test_logbook import checkin

Kind = EarlyWarning.Kind


# --------------------------------------------------------------------------------------------
# The rules


def facts(**kw) -> rules.Facts:
    base = {
        "today": dt.date(2027, 3, 10),
        "start": dt.date(2027, 2, 1),
        "end": dt.date(2027, 3, 31),  # mid-term: 2 March
        "checkin_every_weeks": 2,
        "next_checkin_due": dt.date(2027, 3, 12),
    }
    return rules.Facts(**(base | kw))


def kinds(f: rules.Facts) -> set[str]:
    return {r.kind for r in rules.risks(f)}


def test_a_goal_behind_counts_from_mid_term_on():
    assert kinds(facts(goals_behind=1, today=dt.date(2027, 2, 10))) == set()
    assert kinds(facts(goals_behind=1, today=dt.date(2027, 3, 1))) == set()
    assert kinds(facts(goals_behind=1, today=dt.date(2027, 3, 2))) == {Kind.GOALS}
    assert kinds(facts(midterm_at_risk=True)) == {Kind.GOALS}


def test_hours_out_of_reach_compares_done_and_planned_with_required():
    assert kinds(facts(hours_done=Decimal(100), minutes_left=60 * 200, hours_required=300)) == set()
    found = rules.risks(facts(hours_done=Decimal(100), minutes_left=60 * 190, hours_required=300))
    assert [r.kind for r in found] == [Kind.HOURS]
    assert found[0].detail == {"reachable": 290, "required": 300, "done": 100}
    assert "290" in found[0].reason and "300" in found[0].reason


def test_check_ins_are_missed_a_whole_rhythm_after_the_due_date():
    due = dt.date(2027, 3, 1)
    assert kinds(facts(next_checkin_due=due, today=due + dt.timedelta(days=14))) == set()
    assert kinds(facts(next_checkin_due=due, today=due + dt.timedelta(days=15))) == {Kind.CHECKINS}


def test_contact_and_absence():
    assert kinds(facts(contact_missed=(("start", dt.date(2027, 2, 2)),))) == {Kind.CONTACT}
    assert kinds(facts(absences=1, absence_threshold=2)) == set()
    assert kinds(facts(absences=2, absence_threshold=2)) == {Kind.ABSENCE}


def test_every_risk_says_the_reason_and_what_to_do():
    every = rules.risks(
        facts(
            goals_behind=2,
            hours_done=Decimal(1),
            hours_required=1000,
            next_checkin_due=dt.date(2027, 1, 1),
            contact_missed=(("start", dt.date(2027, 2, 2)),),
            absences=5,
        )
    )
    assert {r.kind for r in every} == set(Kind.values)
    for risk in every:
        assert risk.reason and "%(" not in risk.reason
        assert risk.fix


@given(
    start=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 1, 1)),
    days=st.integers(min_value=0, max_value=120),
    schedule=st.dictionaries(st.integers(0, 6), st.integers(30, 600), max_size=7),
)
def test_planned_minutes_equal_a_day_by_day_count(start, days, schedule):
    end = start + dt.timedelta(days=days)
    expected = sum(
        schedule.get((start + dt.timedelta(days=n)).weekday(), 0) for n in range(days + 1)
    )
    assert rules.planned_minutes(start=start, end=end, weekday_minutes=schedule) == expected


@given(
    days=st.integers(min_value=0, max_value=60),
    leave_from=st.integers(min_value=-5, max_value=70),
    leave_days=st.integers(min_value=0, max_value=20),
)
def test_leave_takes_its_working_days_off_the_plan(days, leave_from, leave_days):
    start = dt.date(2027, 2, 1)
    end = start + dt.timedelta(days=days)
    schedule = {0: 480, 1: 480, 2: 240, 3: 480}
    first = start + dt.timedelta(days=leave_from)
    last = first + dt.timedelta(days=leave_days)
    expected = sum(
        schedule.get(d.weekday(), 0)
        for d in (start + dt.timedelta(days=n) for n in range(days + 1))
        if not first <= d <= last
    )
    got = rules.planned_minutes(
        start=start, end=end, weekday_minutes=schedule, leave=[(first, last)]
    )
    assert got == expected


def test_the_rhythm_is_weekly_for_mbo_1_and_2_unless_the_school_sets_another():
    assert rules.checkin_every_weeks(school_kind="mbo", level=2, school_setting=None) == 1
    assert rules.checkin_every_weeks(school_kind="mbo", level=3, school_setting=None) == 2
    assert rules.checkin_every_weeks(school_kind="hbo", level=5, school_setting=None) == 2
    assert rules.checkin_every_weeks(school_kind="mbo", level=1, school_setting=3) == 3


# --------------------------------------------------------------------------------------------
# The review, against the database


pytestmark = pytest.mark.django_db


def review(day: dt.date, hhmm: str = "06:30") -> dict:
    with time_machine.travel(at(day, hhmm)):
        return services.warnings_review()


def test_a_goal_behind_after_mid_term_warns_school_and_workplace_once(running, personas):
    mid = rules.midpoint(running.start_date, running.end_date)
    with time_machine.travel(at(mid, "16:00")):
        checkin(running, personas, verdict=GoalStatus.BEHIND, going="hard")
    first = review(mid + dt.timedelta(days=1))
    assert first["raised"] >= 1
    warning = EarlyWarning.objects.get(internship=running, kind=Kind.GOALS, resolved_at=None)
    assert warning.detail["behind"] >= 1
    for person in (personas.teacher, personas.supervisor):
        note = Notification.objects.get(user=person, kind="supervision.at_risk")
        assert "Stan Student" in note.title
        assert str(rules.FIXES[Kind.GOALS]) in note.body
    assert Progress.objects.get(internship=running).open_warnings >= 1
    # The next morning: still behind, nobody is told again.
    review(mid + dt.timedelta(days=2))
    assert Notification.objects.filter(kind="supervision.at_risk").count() == 2
    # A check-in with every goal on track resolves it.
    with time_machine.travel(at(mid + dt.timedelta(days=3), "16:00")):
        checkin(running, personas, verdict=GoalStatus.ON_TRACK)
    review(mid + dt.timedelta(days=4))
    warning.refresh_from_db()
    assert warning.resolved_at is not None


def test_missed_check_ins_and_an_unrecorded_contact_moment_warn(running, personas):
    start = ContactMoment.objects.get(internship=running, kind="start")
    due = Progress.objects.get(internship=running).next_checkin_due
    day = max(due + dt.timedelta(weeks=1, days=1), start.planned_at.date() + dt.timedelta(days=8))
    review(day)
    found = set(
        EarlyWarning.objects.filter(internship=running, resolved_at=None).values_list(
            "kind", flat=True
        )
    )
    assert {Kind.CHECKINS, Kind.CONTACT} <= found


def test_repeated_absence_warns_and_days_with_notice_do_not_count(running, personas):
    first, second, third = (working_day(running, n) for n in (0, 1, 2))
    with time_machine.travel(at(first, "18:00")):
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=first, mark="sick"
        )
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=first, mark="present"
        )
    with time_machine.travel(at(second, "18:00")):
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=second, mark="absent"
        )
    review(third)
    assert not EarlyWarning.objects.filter(internship=running, kind=Kind.ABSENCE).exists()
    with time_machine.travel(at(third, "18:00")):
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=third, mark="absent"
        )
    review(third + dt.timedelta(days=1))
    warning = EarlyWarning.objects.get(internship=running, kind=Kind.ABSENCE)
    assert warning.detail == {"count": 2, "threshold": 2}


def test_required_hours_out_of_reach_warn(running, personas):
    Progress.objects.filter(internship=running).update(hours_required=100_000)
    review(working_day(running, 1))
    assert EarlyWarning.objects.filter(internship=running, kind=Kind.HOURS).exists()


def test_warnings_of_an_internship_that_ended_are_resolved(running, personas):
    from stagebrug.internships import services as internships

    Progress.objects.filter(internship=running).update(hours_required=100_000)
    review(working_day(running, 1))
    internships.internship_stop(
        internship=running,
        by=personas.coordinator,
        reason="personal",
        note="Verhuisd",
        contact="all_three",
    )
    review(working_day(running, 2))
    assert not EarlyWarning.objects.filter(internship=running, resolved_at=None).exists()


def test_the_review_makes_missing_progress_rows(running, personas):
    Progress.objects.filter(internship=running).delete()
    review(working_day(running, 1))
    assert Progress.objects.filter(internship=running).exists()


def test_the_morning_job_reviews_and_reminds_and_schedules_the_next_morning(running, personas):
    from stagebrug.core.hooks import recurring_jobs
    from stagebrug.supervision.progress import tasks

    assert tasks.supervision_morning in recurring_jobs.providers
    due = Progress.objects.get(internship=running).next_checkin_due
    morning = at(due + dt.timedelta(days=1), "06:30")
    with time_machine.travel(morning):
        first = tasks.supervision_morning.call()
        again = tasks.supervision_morning.call()
    assert first["reviewed"] == 1 and first["checkin_reminders"] == 1
    assert again["checkin_reminders"] == 0 and again["raised"] == 0
    assert tasks.next_morning(morning) == morning + dt.timedelta(days=1)
    assert tasks.next_morning(at(due, "06:00")) == at(due, "06:30")


def _exact_total(running) -> int:
    schedule = {d.weekday: rules_minutes(d) for d in running.work_days.all()}
    minutes = rules.planned_minutes(
        start=running.start_date, end=running.end_date, weekday_minutes=schedule
    )
    Progress.objects.filter(internship=running).update(hours_required=minutes // 60)
    return minutes // 60


def rules_minutes(work_day) -> int:
    from stagebrug.supervision.rules import minutes_between

    return minutes_between(work_day.start, work_day.end)


def test_days_not_marked_yet_count_as_planned_so_no_false_hours_warning(running, personas):
    _exact_total(running)
    review(working_day(running, 3))  # three working days passed, none marked
    assert not EarlyWarning.objects.filter(internship=running, kind=Kind.HOURS).exists()


def test_hours_lost_beyond_a_working_day_warn(running, personas):
    _exact_total(running)
    first, second, third = (working_day(running, n) for n in range(3))
    with time_machine.travel(at(first, "18:00")):
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=first, mark="sick"
        )
    review(second)
    assert not EarlyWarning.objects.filter(internship=running, kind=Kind.HOURS).exists()
    with time_machine.travel(at(second, "18:00")):
        attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=second, mark="sick"
        )
    review(third)
    warning = EarlyWarning.objects.get(internship=running, kind=Kind.HOURS, resolved_at=None)
    assert warning.detail["required"] - warning.detail["reachable"] == 16


def test_an_extra_day_worked_makes_up_the_hours(running, personas):
    _exact_total(running)
    first, second = (working_day(running, n) for n in range(2))
    for day in (first, second):
        with time_machine.travel(at(day, "18:00")):
            attendance.attendance_mark(
                internship=running, by=personas.supervisor, day=day, mark="sick"
            )
    friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    with time_machine.travel(at(friday, "18:00")):
        row = attendance.attendance_mark(
            internship=running, by=personas.supervisor, day=friday, mark="present"
        )
    assert row.hours == Decimal("8.00")
    review(friday + dt.timedelta(days=3))
    assert not EarlyWarning.objects.filter(
        internship=running, kind=Kind.HOURS, resolved_at=None
    ).exists()


def test_new_dates_move_the_contact_moments_the_next_check_in_and_the_evaluations(
    internship, personas
):
    from stagebrug.internships import services as internships
    from stagebrug.supervision.contacts.services import plan_days
    from stagebrug.supervision.models import Evaluation

    start = internship.start_date + dt.timedelta(weeks=10)
    end = internship.end_date + dt.timedelta(weeks=10)
    internships.internship_update(
        internship=internship,
        by=personas.coordinator,
        start_date=start,
        end_date=end,
        hours_per_week=internship.hours_per_week,
    )
    days = plan_days(start, end, 3)
    moments = {
        m.kind: m
        for m in ContactMoment.objects.filter(
            internship=internship, kind__in=["start", "middle", "end"]
        )
    }
    from django.utils import timezone

    assert [timezone.localdate(moments[k].planned_at) for k in ("start", "middle", "end")] == days
    assert all(m.sequence == 1 for m in moments.values())
    progress = Progress.objects.get(internship=internship)
    assert progress.next_checkin_due == rules.next_checkin_due(
        start=start, end=end, last=None, every=progress.checkin_every_weeks
    )
    evaluations = {e.kind: e.due_on for e in Evaluation.objects.filter(internship=internship)}
    assert evaluations == {"midterm": rules.midpoint(start, end), "final": end}
