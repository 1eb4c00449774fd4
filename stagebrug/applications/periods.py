"""Who is placed already (W1): a student with a current internship is not offered, and cannot
apply, for a placement of the same period; they can for one that starts after it ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from stagebrug.applications import hooks
from stagebrug.placements.models import Placement

# Ids per call (SQLite allows 32,766 parameters).
ID_CHUNK = 5000

Period = tuple[dt.date, dt.date]


def start_windows(placement: Placement) -> list[Period]:
    """The periods a placement can run: from each start date, its number of weeks."""
    return windows_of(placement.start_date_objects, placement.duration_weeks)


def windows_of(start_dates: Sequence[dt.date], duration_weeks: int | None) -> list[Period]:
    """`start_windows` from the start dates and the duration alone (rows read in bulk)."""
    days = max(1, duration_weeks or 1) * 7
    return [(start, start + dt.timedelta(days=days - 1)) for start in start_dates]


def placed_for(windows: Sequence[Period], periods: Sequence[Period]) -> bool:
    """Whether a student placed for `periods` (their current internships, first and last
    day) is taken for a placement that can run in `windows`: every start overlaps one of
    them. A placement without start dates counts as taken by any current internship."""
    if not windows:
        return bool(periods)
    return all(any(ws <= pe and ps <= we for ps, pe in periods) for ws, we in windows)


def placed_periods(student_ids: Sequence[int]) -> dict[int, list[Period]]:
    """The current internships' periods of these students (user ids), from the internships
    app; students without one are not in the answer."""
    ids = list(dict.fromkeys(int(i) for i in student_ids))
    out: dict[int, list[Period]] = {}
    for start in range(0, len(ids), ID_CHUNK):
        for student_id, periods in hooks.placed_periods(
            student_ids=ids[start : start + ID_CHUNK]
        ).items():
            out.setdefault(student_id, []).extend(periods)
    return out
