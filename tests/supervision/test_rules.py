"""The attendance rules as properties (hypothesis): the week table adds up to the days and hours
it was given, whatever the schedule, holidays and marks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stagebrug.supervision import rules
from stagebrug.supervision.models import Mark

START = dt.date(2030, 1, 1)
MARKS = [m.value for m in Mark]


@st.composite
def internships(draw):
    start = START + dt.timedelta(days=draw(st.integers(0, 6)))
    end = start + dt.timedelta(days=draw(st.integers(0, 70)))
    today = start + dt.timedelta(days=draw(st.integers(0, 90)))
    weekdays = {
        w: (dt.time(draw(st.integers(6, 10))), dt.time(draw(st.integers(11, 18))))
        for w in draw(st.sets(st.integers(0, 6), max_size=7))
    }
    leave = []
    for _ in range(draw(st.integers(0, 3))):
        a = start + dt.timedelta(days=draw(st.integers(0, 70)))
        leave.append((a, a + dt.timedelta(days=draw(st.integers(0, 10)))))
    last = min(end, today)
    days = rules.planned_days(start=start, end=last, weekdays=weekdays, leave=leave)
    marked = draw(st.lists(st.sampled_from(days), unique=True)) if days else []
    marks = {
        d: (draw(st.sampled_from(MARKS)), Decimal(draw(st.integers(0, 800))) / 100) for d in marked
    }
    return start, end, today, weekdays, leave, marks


@given(internships())
def test_the_weeks_add_up_to_the_days_and_hours_given(case):
    start, end, today, weekdays, leave, marks = case
    rows = rules.week_rows(
        start=start, end=end, today=today, weekdays=weekdays, leave=leave, marks=marks
    )
    # The current week counts whole: what is planned for it, also after today.
    last = min(end, rules.monday(today) + dt.timedelta(days=6))
    planned = rules.planned_days(start=start, end=last, weekdays=weekdays, leave=leave)
    assert sum(r.planned_days for r in rows) == len(planned)
    assert sum(r.hours for r in rows) == sum(h for _m, h in marks.values())
    assert sum(sum(r.counts.values()) for r in rows) == len(marks)
    assert sum(r.open_days for r in rows) == sum(
        1 for d in planned if d < today and (d not in marks or marks[d][0] == Mark.NO_WORD)
    )
    for r in rows:
        assert r.week.weekday() == 0
        # A holiday week: nothing planned, or every planned day marked as a day off.
        assert (r.kind == "holiday") == (r.planned_days <= r.counts[Mark.DAY_OFF])
        if r.kind == "sick":
            assert r.counts[Mark.SICK] >= r.planned_days > 0


@given(
    st.sampled_from(MARKS),
    st.integers(6, 12),
    st.integers(13, 20),
    st.one_of(st.none(), st.integers(0, 700)),
)
def test_hours_of_a_day_never_exceed_the_plan_nor_go_below_zero(mark, a, b, late):
    hours = rules.hours_for(mark, planned=(dt.time(a), dt.time(b)), minutes_late=late)
    assert Decimal(0) <= hours <= Decimal(b - a)
    if mark not in (Mark.PRESENT, Mark.LATE):
        assert hours == 0
