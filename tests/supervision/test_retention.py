"""Personal data over time (stagebrug.supervision.retention), with a frozen clock: CVs and
support notes go the school's months after the internship ended; unused accounts are warned and
then erased."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from stagebrug.accounts.models import User
from stagebrug.applications import services as applications
from stagebrug.applications.models import StudentProfile, SupportNote
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship
from stagebrug.supervision import retention
from stagebrug.supervision import services as supervision
from stagebrug.supervision.tasks import personal_data_retention
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENDED = dt.date(2026, 6, 30)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def at(day: dt.date, hour: int = 3):
    return time_machine.travel(
        timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), tick=False
    )


@pytest.fixture
def files(internship, personas):
    """The student's CV and a support note, both from before the internship; the internship
    completed on ENDED."""
    with at(dt.date(2026, 1, 10)):
        profile = StudentProfile.objects.get(user=personas.student)
        applications.profile_set_cv(
            profile=profile, by=personas.student, name="cv.pdf", content=PDF
        )
        applications.support_note_add(
            profile=profile, by=personas.student, text="Ik heb soms extra uitleg nodig."
        )
    Internship.objects.filter(pk=internship.pk).update(
        status="completed", start_date=dt.date(2026, 2, 2), end_date=ENDED
    )
    profile.refresh_from_db()
    return profile


def purge(day: dt.date) -> retention.Removed:
    with at(day):
        return retention.student_files_purge()


def test_cv_and_notes_stay_the_schools_months_then_go(files, django_capture_on_commit_callbacks):
    stored = files.cv.name
    assert files.cv.storage.exists(stored)
    assert purge(dt.date(2027, 6, 29)) == retention.Removed()
    with django_capture_on_commit_callbacks(execute=True):
        done = purge(dt.date(2027, 6, 30))
    assert (done.cvs, done.support_notes) == (1, 1)
    files.refresh_from_db()
    assert not files.cv and files.cv_token == "" and files.cv_uploaded_at is None
    assert not files.cv.storage.exists(stored)
    assert not SupportNote.objects.filter(profile=files).exists()
    events = AuditEvent.objects.filter(action__startswith="retention.", object_id=str(files.pk))
    assert sorted(events.values_list("action", flat=True)) == [
        "retention.cv",
        "retention.support_notes",
    ]
    assert all(e.actor_id is None for e in events)
    assert purge(dt.date(2027, 7, 30)) == retention.Removed()  # nothing twice


def test_the_school_sets_the_months(files, personas):
    supervision.school_settings_save(
        institution=files.programme.institution,
        by=personas.coordinator,
        absence_alert_after=2,
        checkin_every_weeks=None,
        student_files_months=6,
    )
    assert purge(dt.date(2026, 12, 29)).cvs == 0
    assert purge(dt.date(2026, 12, 30)).cvs == 1


def test_nothing_goes_while_the_student_has_a_current_internship(files, internship):
    Internship.objects.filter(pk=internship.pk).update(status="active")
    assert purge(dt.date(2030, 1, 1)) == retention.Removed()


def test_a_cv_or_note_added_after_the_internship_has_its_own_time(files, personas):
    with at(dt.date(2026, 9, 15)):
        applications.profile_set_cv(profile=files, by=personas.student, name="cv.pdf", content=PDF)
        applications.support_note_add(profile=files, by=personas.student, text="Nieuwe tip.")
    done = purge(dt.date(2027, 7, 1))
    assert (done.cvs, done.support_notes) == (0, 1)  # the old note only
    assert list(SupportNote.objects.filter(profile=files).values_list("text", flat=True)) == [
        "Nieuwe tip."
    ]
    done = purge(dt.date(2027, 9, 15))
    assert (done.cvs, done.support_notes) == (1, 1)


def test_a_stopped_internship_counts_from_the_day_it_stopped(files, internship):
    stopped = timezone.make_aware(dt.datetime(2026, 3, 2, 12))
    Internship.objects.filter(pk=internship.pk).update(
        status="stopped", stopped_at=stopped, stop_reason="other"
    )
    assert purge(dt.date(2027, 3, 1)).cvs == 0
    assert purge(dt.date(2027, 3, 2)).cvs == 1


def test_months_are_calendar_months():
    assert retention.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert retention.add_months(dt.date(2026, 12, 15), 12) == dt.date(2027, 12, 15)
    assert retention.add_months(dt.date(2027, 1, 15), -1) == dt.date(2026, 12, 15)
    assert retention.add_months(dt.date(2024, 3, 31), -1) == dt.date(2024, 2, 29)


# --- Unused accounts ------------------------------------------------------------------------

NOW = dt.datetime(2027, 3, 1, 3, 0, tzinfo=dt.UTC)


def last_seen(user: User, when: dt.datetime) -> User:
    User.objects.filter(pk=user.pk).update(last_login=when, date_joined=when - dt.timedelta(days=9))
    return user


def run(now: dt.datetime, capture) -> retention.Removed:
    with time_machine.travel(now, tick=False), capture(execute=True):
        return retention.inactive_accounts(now=now)


@override_settings(INACTIVE_ACCOUNT_MONTHS=24, INACTIVE_ACCOUNT_WARNING_DAYS=30)
def test_an_unused_account_is_warned_then_erased(django_capture_on_commit_callbacks):
    sleeper = last_seen(UserFactory(email="slaper@example.org"), NOW - dt.timedelta(days=740))
    recent = last_seen(UserFactory(email="recent@example.org"), NOW - dt.timedelta(days=700))
    done = run(NOW, django_capture_on_commit_callbacks)
    assert (done.warned, done.erased) == (1, 0)
    assert [m.to for m in mail.outbox] == [[sleeper.email]]
    assert "31 maart 2027" in mail.outbox[0].body
    assert "/account/inloggen/" in mail.outbox[0].body
    # Warned once, not every night.
    assert run(NOW + dt.timedelta(days=1), django_capture_on_commit_callbacks).warned == 0
    assert len(mail.outbox) == 1
    assert run(NOW + dt.timedelta(days=29), django_capture_on_commit_callbacks).erased == 0
    done = run(NOW + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert done.erased == 1
    assert not User.objects.filter(pk=sleeper.pk).exists()
    assert User.objects.filter(pk=recent.pk).exists()
    assert AuditEvent.objects.filter(action="user.erase", object_id=str(sleeper.pk)).exists()


@override_settings(INACTIVE_ACCOUNT_MONTHS=24, INACTIVE_ACCOUNT_WARNING_DAYS=30)
def test_a_login_after_the_warning_keeps_the_account(django_capture_on_commit_callbacks):
    sleeper = last_seen(UserFactory(), NOW - dt.timedelta(days=740))
    run(NOW, django_capture_on_commit_callbacks)
    last_seen(sleeper, NOW + dt.timedelta(days=3))
    done = run(NOW + dt.timedelta(days=31), django_capture_on_commit_callbacks)
    assert done.erased == 0 and User.objects.filter(pk=sleeper.pk).exists()
    # Unused again for two years: a new warning.
    done = run(NOW + dt.timedelta(days=3 + 740), django_capture_on_commit_callbacks)
    assert done.warned == 1


@override_settings(INACTIVE_ACCOUNT_MONTHS=24, INACTIVE_ACCOUNT_WARNING_DAYS=30)
def test_people_still_needed_are_not_removed(
    internship, personas, django_capture_on_commit_callbacks
):
    long_ago = NOW - dt.timedelta(days=800)
    # The student and the workplace supervisor of a current internship; a superuser; the only
    # owner of a business; and the colleague, who may go.
    for person in [personas.student, personas.supervisor, personas.owner, personas.member]:
        last_seen(person, long_ago)
    admin = last_seen(User.objects.create_superuser("admin@example.org", "x" * 12), long_ago)
    done = run(NOW, django_capture_on_commit_callbacks)
    warned = set(User.objects.exclude(inactivity_warned_at=None).values_list("pk", flat=True))
    assert personas.student.pk not in warned and personas.supervisor.pk not in warned
    assert admin.pk not in warned
    assert {personas.owner.pk, personas.member.pk} <= warned
    done = run(NOW + dt.timedelta(days=30), django_capture_on_commit_callbacks)
    assert done.kept_last_owner >= 1
    assert User.objects.filter(pk=personas.owner.pk).exists()
    assert not User.objects.filter(pk=personas.member.pk).exists()


def test_the_nightly_job_reports_what_it_removed(files):
    with at(dt.date(2027, 7, 1)):
        result = personal_data_retention.call()
    assert result["cvs"] == 1 and result["support_notes"] == 1
