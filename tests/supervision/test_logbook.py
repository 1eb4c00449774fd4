"""The shared logbook (W1, W8, W14): the workplace's check-in with a verdict per learning goal of
the signed agreement, the student's entry, the school's note; each party writes only their own
kind; the check-in moves the next due date; overdue check-ins remind the supervisor once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from stagebrug.applications.models import Notification
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship
from stagebrug.supervision.logbook import selectors, services
from stagebrug.supervision.models import GoalStatus, LogEntry, Progress
from stagebrug.supervision.progress import services as progress
from tests.supervision.test_attendance import at, in_english, working_day  # noqa: F401

pytestmark = pytest.mark.django_db


def checkin(running, personas, verdict=GoalStatus.ON_TRACK, going="well", **kw):
    goals = selectors.goals_of(running)
    return services.logbook_write(
        internship=running,
        by=personas.supervisor,
        kind=LogEntry.Kind.CHECKIN,
        going=going,
        goals={g.key: verdict for g in goals},
        goal_list=goals,
        **kw,
    )


def test_the_goals_of_a_check_in_are_the_signed_agreements(running, personas):
    from stagebrug.agreements.models import Version

    signed = Version.objects.get(agreement__internship=running, state="signed").content
    data = signed["goals"]["data"]
    goals = selectors.goals_of(running)
    assert goals and [(g.key, g.text) for g in goals] == [
        (key, data[key]) for key in sorted(data) if key.startswith("goal_") and data[key]
    ]


def test_a_check_in_needs_how_it_goes_and_a_verdict_on_every_goal(running, personas):
    goals = selectors.goals_of(running)
    with pytest.raises(ValidationError) as caught:
        services.logbook_write(
            internship=running,
            by=personas.supervisor,
            kind="checkin",
            going="",
            goals={},
            goal_list=goals,
        )
    assert set(caught.value.error_dict) == {"going", *(g.key for g in goals)}
    with pytest.raises(ValidationError) as caught:
        services.logbook_write(
            internship=running,
            by=personas.supervisor,
            kind="checkin",
            going="well",
            goals={g.key: "great" for g in goals},
            goal_list=goals,
        )
    assert caught.value.error_dict[goals[0].key][0].messages == [str(services.GOAL_REQUIRED)]
    assert not LogEntry.objects.exists()


def test_a_check_in_counts_the_goals_behind_and_moves_the_next_due_date(running, personas):
    day = working_day(running, 3)
    with time_machine.travel(at(day, "16:00")):
        entry = checkin(running, personas, verdict=GoalStatus.BEHIND, going="hard")
    row = Progress.objects.get(internship=running)
    assert entry.behind == len(selectors.goals_of(running)) and entry.attention == 0
    assert row.goals_behind == entry.behind
    assert row.last_checkin_on == day
    # Kok is MBO 2: weekly (W13, W14).
    assert row.checkin_every_weeks == 1
    assert row.next_checkin_due == day + dt.timedelta(weeks=1)
    event = AuditEvent.objects.get(action="logbook.checkin")
    assert "text" not in event.changes and event.actor == personas.supervisor


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        ("student", "checkin"),
        ("teacher", "checkin"),
        ("owner", "checkin"),
        ("supervisor", "student"),
        ("teacher", "student"),
        ("student", "school"),
        ("supervisor", "school"),
        ("owner", "school"),
    ],
)
def test_each_party_writes_only_their_own_kind(running, personas, who, kind):
    with pytest.raises(PermissionDenied):
        services.logbook_write(
            internship=running, by=getattr(personas, who), kind=kind, text="x", going="well"
        )


def test_the_student_and_the_school_write_text(running, personas):
    with pytest.raises(ValidationError) as caught:
        services.logbook_write(internship=running, by=personas.student, kind="student", text=" ")
    assert caught.value.error_dict["text"][0].messages == [str(services.TEXT_REQUIRED)]
    services.logbook_write(
        internship=running, by=personas.student, kind="student", text="Soep gemaakt", going="okay"
    )
    services.logbook_write(
        internship=running, by=personas.teacher, kind="school", text="Gebeld met Stan"
    )
    kinds = list(selectors.entries(internship=running).values_list("kind", flat=True))
    assert kinds == ["school", "student"]


def test_nothing_is_written_before_the_internship_is_under_way(internship, personas):
    with pytest.raises(ValidationError):
        services.logbook_write(
            internship=internship, by=personas.student, kind="student", text="Hallo"
        )


def test_an_overdue_check_in_reminds_the_workplace_supervisor_once(running, personas):
    row = Progress.objects.get(internship=running)
    due = row.next_checkin_due
    with time_machine.travel(at(due, "06:30")):
        assert progress.checkin_reminders() == 0  # due today: not overdue yet
    with time_machine.travel(at(due + dt.timedelta(days=1), "06:30")):
        assert progress.checkin_reminders() == 1
        assert progress.checkin_reminders() == 0
    note = Notification.objects.get(user=personas.supervisor, kind="logbook.checkin_due")
    assert "Stan Student" in note.title and note.url.endswith(f"/stagiairs/{running.pk}/logboek/")
    # A check-in, then overdue again: reminded again.
    with time_machine.travel(at(due + dt.timedelta(days=2), "10:00")):
        checkin(running, personas)
    later = Progress.objects.get(internship=running).next_checkin_due
    with time_machine.travel(at(later + dt.timedelta(days=1), "06:30")):
        assert progress.checkin_reminders() == 1


def test_the_schools_rhythm_changes_the_next_due_date(running, personas):
    from stagebrug.supervision import services as supervision

    supervision.school_settings_save(
        institution=running.institution,
        by=personas.coordinator,
        absence_alert_after=2,
        checkin_every_weeks=3,
    )
    row = Progress.objects.get(internship=running)
    assert row.checkin_every_weeks == 3
    assert row.next_checkin_due == running.start_date + dt.timedelta(weeks=3)


def test_goal_history_shows_the_last_verdict_of_each_week(running, personas):
    first, second = working_day(running, 0), working_day(running, 5)
    with time_machine.travel(at(first, "10:00")):
        checkin(running, personas, verdict=GoalStatus.BEHIND)
    with time_machine.travel(at(first, "15:00")):
        checkin(running, personas, verdict=GoalStatus.ATTENTION)
    with time_machine.travel(at(second, "15:00")):
        checkin(running, personas, verdict=GoalStatus.ON_TRACK)
    goals = selectors.goals_of(running)
    columns, rows = selectors.goal_history(internship=running, goals=goals)
    assert len(columns) == 2
    assert [v for _w, v in rows[0].verdicts] == ["attention", "on_track"]
    assert rows[0].latest == "on_track"


def test_erasing_the_student_blanks_the_texts_and_keeps_the_verdicts(running, personas):
    from stagebrug.accounts.services import user_erase

    checkin(running, personas, verdict=GoalStatus.BEHIND, text="Stan kwam te laat")
    services.logbook_write(internship=running, by=personas.student, kind="student", text="Mijn dag")
    user_erase(user=personas.student)
    texts = set(LogEntry.objects.values_list("text", flat=True))
    assert texts == {""}
    assert LogEntry.objects.get(kind="checkin").behind > 0
    assert LogEntry.objects.get(kind="student").author_name == ""


def test_a_supervisor_with_several_interns_due_gets_one_reminder_naming_them(running, personas):
    from tests.supervision.test_supervision_pages import _more_running

    others = _more_running(running, 2)
    for other in others:
        Internship.objects.filter(pk=other.pk).update(supervisor=running.supervisor)
    due = Progress.objects.get(internship=running).next_checkin_due
    Progress.objects.filter(pk__in=[o.pk for o in others]).update(next_checkin_due=due)
    with time_machine.travel(at(due + dt.timedelta(days=1), "06:30")):
        assert progress.checkin_reminders() == 3
    [note] = Notification.objects.filter(user=personas.supervisor, kind="logbook.checkin_due")
    assert all(name in note.title for name in ("Stan Student", "Case 0", "Case 1"))
