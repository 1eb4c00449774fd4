"""The agreement's rules, as plain functions: each says what is wrong, what the rule is and
where it comes from, so a form can show it on the field it is about."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from stagebrug.agreements.models import Party

STAGEPACT = "Stagepact mbo 2023–2027"

END_BEFORE_START = _("The end date cannot be before the start date.")
HOURS_OUTSIDE_RANGE = _(
    "%(programme)s asks for %(low)s to %(high)s hours a week (the programme's placement "
    "requirements)."
)
HOURS_BELOW = _(
    "%(programme)s asks for at least %(low)s hours a week (the programme's placement requirements)."
)
HOURS_ABOVE = _(
    "%(programme)s allows at most %(high)s hours a week (the programme's placement requirements)."
)
EXPENSES_NOT_COVERED = _(
    "The expense allowance must cover at least all costs the student makes for this internship "
    "(%(stagepact)s, theme 4: a fitting allowance). Raise it to %(costs)s or more a month."
)
TOO_FEW_CONTACT_MOMENTS = _(
    "At least three contact moments between student, school and workplace (%(stagepact)s, "
    "theme 1: better supervision)."
)
NO_CONTACT_ON_SITE = _(
    "At least one contact moment takes place at the workplace (%(stagepact)s, theme 1)."
)
SCHEDULE_EMPTY = _("Give the working hours of at least one day.")
SCHEDULE_END_BEFORE_START = _("The end of the day comes before its start.")
SCHEDULE_HOURS_DIFFER = _(
    "The schedule adds up to %(scheduled)s hours a week, the agreement says %(agreed)s. Make them "
    "agree (a difference of up to 2 hours for breaks is fine)."
)
GUARDIAN_NEEDED = _(
    "You are under 18 on the start date, so a parent or guardian signs too: give their name and "
    "e-mail address."
)
BBL_NEEDS_LEARNING_JOB = _(
    "BBL is a learning job (leerbaan): choose that, and agree an employment contract with the "
    "business besides this agreement."
)


def check_period(
    *,
    start: dt.date | None,
    end: dt.date | None,
    hours: int | None,
    programme: str,
    low: int | None,
    high: int | None,
) -> dict[str, list]:
    """W18: the dates in order, the hours within the programme's range."""
    errors: dict[str, list] = {}
    if start and end and end < start:
        errors["end_date"] = [END_BEFORE_START]
    if hours is not None:
        params = {"programme": programme, "low": low, "high": high}
        if low is not None and high is not None and not low <= hours <= high:
            errors["hours_per_week"] = [HOURS_OUTSIDE_RANGE % params]
        elif low is not None and high is None and hours < low:
            errors["hours_per_week"] = [HOURS_BELOW % params]
        elif high is not None and low is None and hours > high:
            errors["hours_per_week"] = [HOURS_ABOVE % params]
    return errors


def check_expenses(
    *, is_mbo: bool, expense_allowance: Decimal | None, expected_costs: Decimal | None
) -> dict[str, list]:
    """Stagepact mbo: an MBO student's expense allowance covers all costs of the internship."""
    if not is_mbo or expected_costs is None:
        return {}
    if (expense_allowance or Decimal(0)) < expected_costs:
        return {
            "expense_allowance": [
                EXPENSES_NOT_COVERED % {"stagepact": STAGEPACT, "costs": f"€ {expected_costs:.2f}"}
            ]
        }
    return {}


def check_contact_moments(*, is_mbo: bool, count: int | None, on_site: bool) -> dict[str, list]:
    """Stagepact mbo (W8): at least three contact moments, one of them at the workplace."""
    if not is_mbo:
        return {}
    errors: dict[str, list] = {}
    if count is None or count < 3:
        errors["contact_moments"] = [TOO_FEW_CONTACT_MOMENTS % {"stagepact": STAGEPACT}]
    if not on_site:
        errors["contact_on_site"] = [NO_CONTACT_ON_SITE % {"stagepact": STAGEPACT}]
    return errors


def scheduled_hours(days: dict[str, tuple[dt.time | None, dt.time | None]]) -> float:
    total = 0.0
    for start, end in days.values():
        if start and end and end > start:
            total += (
                dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)
            ).seconds / 3600
    return round(total, 1)


def check_schedule(
    *, days: dict[str, tuple[dt.time | None, dt.time | None]], agreed_hours: int
) -> dict[str, list]:
    """The weekly schedule: at least one day, each day ending after it starts, and adding up
    to the agreed hours (breaks allowed for: up to 2 hours a week apart)."""
    errors: dict[str, list] = {}
    worked = {day: span for day, span in days.items() if span[0] or span[1]}
    if not worked:
        return {"__all__": [SCHEDULE_EMPTY]}
    for day, (start, end) in worked.items():
        if not (start and end) or end <= start:
            errors[f"{day}_end"] = [SCHEDULE_END_BEFORE_START]
    if not errors:
        total = scheduled_hours(worked)
        if abs(total - agreed_hours) > 2:
            errors["__all__"] = [
                SCHEDULE_HOURS_DIFFER % {"scheduled": f"{total:g}", "agreed": agreed_hours}
            ]
    return errors


BIRTH_DATE_IMPLAUSIBLE = _("Check the date: it is your own date of birth.")


def check_birth_date(day: dt.date, *, today: dt.date) -> dict[str, list]:
    """A student's own date of birth: between 10 and 80 years ago."""
    if not (_add_years(today, -80) <= day <= _add_years(today, -10)):
        return {"birth_date": [BIRTH_DATE_IMPLAUSIBLE]}
    return {}


def is_minor(birth_date: dt.date | None, on: dt.date) -> bool:
    """Under 18 on `on` (the start date): a parent or guardian signs too."""
    if birth_date is None:
        return False
    eighteenth = _add_years(birth_date, 18)
    return on < eighteenth


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def required_parties(*, minor: bool) -> list[str]:
    """Student, business and school sign; a parent or guardian too for a minor."""
    parties = [Party.STUDENT.value, Party.BUSINESS.value, Party.SCHOOL.value]
    if minor:
        parties.append(Party.GUARDIAN.value)
    return parties


def canonical(content: dict[str, Any]) -> bytes:
    """The exact bytes a signature is about: sorted keys, no whitespace, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(content)).hexdigest()
