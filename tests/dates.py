"""Calendar dates for tests, relative to the day the tests run.

Stagebrug compares dates with today: a placement's start dates lie between today and three
years ahead, applications and rounds look at the clock, and so on. A test that hard-codes a
year starts failing once that year has passed, so tests take their dates from here.

`YEAR` is next year. 1 February of `YEAR` (`START`) is always in the future and always
within three years, whatever the day, so a placement can start then. Write such dates as
`on(month, day)` / `iso(month, day)`; "the year before" (a recognition that started
already, say) is `year_offset=-1`, i.e. the current year.

Tests about calendar arithmetic itself (a recognition from 29 February, four years that end
on 28 February) keep their fixed dates: they don't depend on today.

Django's settings are loaded before any test module is imported (pytest-django), so today
is Stagebrug's own today: `timezone.localdate()` in Europe/Amsterdam, the same day
`placements.services._check_start_dates` uses.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

TODAY = timezone.localdate()

#: Next year: every date in it is in the future and within three years.
YEAR = TODAY.year + 1


def on(month: int, day: int, year_offset: int = 0) -> dt.date:
    """The date `day` `month` in `YEAR + year_offset`."""
    return dt.date(YEAR + year_offset, month, day)


def iso(month: int, day: int, year_offset: int = 0) -> str:
    """`on(...)` as an ISO string, as forms, the API and `Placement.start_dates` take it."""
    return on(month, day, year_offset).isoformat()


#: The usual start date of a test placement: 1 February next year.
START = on(2, 1)
