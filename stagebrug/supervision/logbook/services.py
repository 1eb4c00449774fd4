"""One shared logbook (W1, W8, W14): the workplace supervisor's check-in (how it goes, and each
learning goal of the agreement on track, needing attention or behind), the student's own entry
and the school supervisor's note. The three parties read it all; each writes only their own
kind. Every entry is in the audit log (without its text: that stays in the logbook)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stagebrug.accounts.models import User
from stagebrug.agreements.facts import MAX_GOALS
from stagebrug.core.audit import audit_log
from stagebrug.internships import permissions as can
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision import rules as attendance_rules
from stagebrug.supervision.models import GoalStatus, Going, LogEntry
from stagebrug.supervision.progress import services as progress

TEXT_MAX = 2000

#: Who writes which kind of entry.
WRITERS = {
    LogEntry.Kind.CHECKIN: {can.WORKPLACE_SUPERVISOR, can.BUDDY},
    LogEntry.Kind.STUDENT: {can.STUDENT},
    LogEntry.Kind.SCHOOL: {can.SCHOOL_SUPERVISOR, can.COORDINATOR},
}

NOT_YOURS = _("You cannot write this kind of entry in this logbook.")
NOT_RUNNING = _("The logbook is written while the internship is under way.")
GOING_REQUIRED = _("Choose how it is going.")
GOAL_REQUIRED = _("Choose on track, needs attention or behind for this learning goal.")
TEXT_REQUIRED = _("Write a few words.")
TEXT_TOO_LONG = _("Keep it under %(n)s characters.")


@dataclass(frozen=True)
class Goal:
    key: str  # "goal_1"
    text: str
    outcome: str = ""


def goals_from(content: dict) -> list[Goal]:
    """The learning goals of a signed agreement version (its "goals" section)."""
    data = (content.get("goals") or {}).get("data") or {}
    return [
        Goal(f"goal_{i}", str(data[f"goal_{i}"]), str(data.get(f"outcome_{i}") or ""))
        for i in range(1, MAX_GOALS + 1)
        if data.get(f"goal_{i}")
    ]


def kinds_for(user: User, internship: Internship) -> list[str]:
    """The kinds of entry `user` writes in this logbook (none while it is not under way)."""
    if internship.status != Status.ACTIVE:
        return []
    roles = can.roles(user, internship)
    return [kind for kind, writers in WRITERS.items() if roles & writers]


def logbook_write(
    *,
    internship: Internship,
    by: User,
    kind: str,
    text: str = "",
    going: str = "",
    goals: dict[str, str] | None = None,
    goal_list: list[Goal] | None = None,
    now: dt.datetime | None = None,
) -> LogEntry:
    """Write an entry. A check-in needs how it is going and a verdict on each learning goal
    of the signed agreement (`goal_list`); the student's entry and the school's note need
    text. Errors are per field."""
    now = now or timezone.now()
    if kind not in WRITERS or not can.roles(by, internship) & WRITERS[kind]:
        raise PermissionDenied(NOT_YOURS)
    if internship.status != Status.ACTIVE:
        raise ValidationError(NOT_RUNNING)
    text = (text or "").strip()
    errors: dict[str, list] = {}
    verdicts: dict[str, str] = {}
    if len(text) > TEXT_MAX:
        errors["text"] = [ValidationError(TEXT_TOO_LONG, params={"n": TEXT_MAX})]
    if kind == LogEntry.Kind.CHECKIN:
        if going not in Going.values:
            errors["going"] = [GOING_REQUIRED]
        given = goals or {}
        for goal in goal_list or []:
            value = given.get(goal.key, "")
            if value not in GoalStatus.values:
                errors[goal.key] = [GOAL_REQUIRED]
            else:
                verdicts[goal.key] = value
    else:
        going = going if kind == LogEntry.Kind.STUDENT and going in Going.values else ""
        if not text:
            errors["text"] = [TEXT_REQUIRED]
    if errors:
        raise ValidationError(errors)
    values = list(verdicts.values())
    with transaction.atomic():
        entry = LogEntry.objects.create(
            internship=internship,
            kind=kind,
            author=by,
            author_name=by.full_name,
            week=attendance_rules.monday(timezone.localdate(now)),
            going=going,
            goals=verdicts,
            behind=values.count(GoalStatus.BEHIND),
            attention=values.count(GoalStatus.ATTENTION),
            text=text,
            created_at=now,
        )
        if kind == LogEntry.Kind.CHECKIN:
            progress.checkin_recorded(internship=internship, entry=entry)
        audit_log(
            actor=by,
            action=f"logbook.{kind}",
            obj=entry,
            changes={
                "internship": internship.pk,
                "going": going,
                "behind": entry.behind,
                "attention": entry.attention,
            },
        )
    return entry


def personal_data_erase(*, user: User) -> list[tuple[str, list[int]]]:
    """`accounts.hooks.erasing`. A student erased: every text of their logbook goes (free text
    about a person), and their own entries lose their name; the verdicts (how it went, the
    goals) stay with the anonymised internship. Anyone else erased: their name goes from the
    entries they wrote."""
    about = LogEntry.objects.filter(internship__student=user)
    ids = list(about.values_list("pk", flat=True))
    about.update(text="")
    about.filter(kind=LogEntry.Kind.STUDENT).update(author=None, author_name="")
    written = LogEntry.objects.filter(author=user)
    ids += list(written.values_list("pk", flat=True))
    written.update(author=None, author_name="")
    return [("supervision.logbook", sorted(set(ids)))]
