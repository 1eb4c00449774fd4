import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from stagebrug.applications import services
from stagebrug.applications.models import (
    Application,
    ApplicationStatus,
    Notification,
    StudentProfile,
)
from stagebrug.internships.models import Internship
from stagebrug.placements.models import Status
from tests.factories import UserFactory
from tests.placements.factories import communicatie_programme, kok_programme

pytestmark = pytest.mark.django_db
S = ApplicationStatus
MOTIVATION = "Ik kook graag en wil leren in een echte keuken."


def student(programme=None, **fields):
    from stagebrug.accounts.models import Role
    from stagebrug.accounts.services import membership_grant

    user = UserFactory()
    programme = programme or kok_programme()
    membership_grant(
        user=user, role=Role.STUDENT, institution=programme.institution, programme=programme
    )
    services.profile_save(user=user, by=user, programme=programme, **fields)
    return user


def test_the_profile_keeps_only_the_postcode_area(kok_student):
    assert kok_student.home_pc4_id == "1094"
    assert not hasattr(StudentProfile, "home_postcode")


def test_an_unknown_postcode_area_is_refused(personas):
    with pytest.raises(ValidationError):
        services.pc4_lookup("0999")
    assert services.pc4_lookup("1094 HB").code == "1094"
    assert services.pc4_lookup("") is None


def test_nobody_edits_another_students_profile(kok_student, personas):
    with pytest.raises(PermissionDenied):
        services.profile_save(user=personas.student, by=personas.coordinator, year=2)


def test_cv_must_be_a_real_pdf_and_not_too_large(kok_student, personas, settings):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        services.profile_set_cv(
            profile=kok_student, by=personas.student, name="cv.pdf", content=b"MZ\x90 not a pdf"
        )
    assert "PDF" in info.value.message_dict["cv"][0]
    with pytest.raises(ValidationError):
        services.profile_set_cv(
            profile=kok_student, by=personas.student, name="cv.exe", content=b"%PDF-1.4 x"
        )
    settings.CV_MAX_BYTES = 1024 * 1024
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            services.profile_set_cv(
                profile=kok_student,
                by=personas.student,
                name="cv.pdf",
                content=b"%PDF-" + b"x" * (1024 * 1024),
            )
        assert "too large: at most 1 MB" in info.value.message_dict["cv"][0]
    kok_student.refresh_from_db()
    assert not kok_student.cv


def test_a_cv_is_stored_under_a_random_name_outside_the_web_root(kok_student, personas, settings):
    services.profile_set_cv(
        profile=kok_student,
        by=personas.student,
        name="Stan Student CV.pdf",
        content=b"%PDF-1.7\n...",
    )
    kok_student.refresh_from_db()
    assert kok_student.cv.name.startswith(f"cv/{personas.student.pk}/")
    assert "Stan" not in kok_student.cv.name
    assert str(settings.STORAGES["default"]["OPTIONS"]["location"]) in kok_student.cv.path
    assert not kok_student.cv.url.startswith(settings.STATIC_URL)


def test_applying_needs_a_profile_a_published_placement_and_the_right_programme(
    published, personas, kok_student
):
    hbo = student(programme=communicatie_programme())
    with pytest.raises(ValidationError):
        services.application_create(student=hbo, placement=published, motivation=MOTIVATION)
    no_profile = UserFactory()
    with pytest.raises(ValidationError):
        services.application_create(student=no_profile, placement=published, motivation=MOTIVATION)
    with pytest.raises(ValidationError):
        services.application_create(
            student=personas.student, placement=published, motivation="kort"
        )
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    assert application.status == S.APPLIED
    with pytest.raises(ValidationError):
        services.application_create(
            student=personas.student, placement=published, motivation=MOTIVATION
        )


def test_the_business_is_told_by_inbox_and_email(
    published, personas, kok_student, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_create(
            student=personas.student, placement=published, motivation=MOTIVATION
        )
    owners = {personas.owner.email, personas.member.email}
    assert {m.to[0] for m in mail.outbox} == owners
    assert Notification.objects.filter(user=personas.owner, kind="application.new").exists()


def test_the_status_path_and_its_guards(published, personas, kok_student):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    with pytest.raises(PermissionDenied):
        services.application_move(application=application, by=personas.student, to=S.OFFER)
    with pytest.raises(PermissionDenied):
        services.application_move(application=application, by=personas.outsider, to=S.OFFER)
    services.application_move(application=application, by=personas.owner, to=S.SHORTLISTED)
    with pytest.raises(ValidationError):
        services.application_move(
            application=application, by=personas.owner, to=S.REJECTED
        )  # no reason
    services.application_move(application=application, by=personas.member, to=S.OFFER)
    with pytest.raises(ValidationError):
        services.application_move(
            application=application, by=personas.owner, to=S.SHORTLISTED
        )  # no way back
    application.refresh_from_db()
    assert [e.to_status for e in application.events.all()] == [S.APPLIED, S.SHORTLISTED, S.OFFER]


def test_a_rejection_always_carries_its_reason_to_the_student(published, personas, kok_student):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    services.application_move(
        application=application,
        by=personas.owner,
        to=S.REJECTED,
        reason="We kozen iemand met meer ervaring.",
    )
    note = Notification.objects.get(user=personas.student, kind="application.rejected")
    assert note.body == "We kozen iemand met meer ervaring."
    assert application.events.last().reason == "We kozen iemand met meer ervaring."


def test_interview_has_a_calendar_file_with_time_and_place(published, personas, kok_student):
    from icalendar import Calendar

    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    starts = timezone.now() + dt.timedelta(days=3)
    interview = services.interview_propose(
        application=application,
        by=personas.owner,
        starts_at=starts,
        duration_minutes=45,
        location="Javastraat 1, Amsterdam",
    )
    application.refresh_from_db()
    assert application.status == S.INTERVIEW
    event = next(
        c
        for c in Calendar.from_ical(services.interview_ics(interview)).walk()
        if c.name == "VEVENT"
    )
    assert (
        event.decoded("dtstart") == starts.replace(microsecond=0)
        or abs((event.decoded("dtstart") - starts).total_seconds()) < 1
    )
    assert (event.decoded("dtend") - event.decoded("dtstart")) == dt.timedelta(minutes=45)
    assert str(event["location"]) == "Javastraat 1, Amsterdam"
    with pytest.raises(ValidationError):
        services.interview_propose(
            application=application,
            by=personas.owner,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            location="x",
        )


def test_messages_go_both_ways_and_only_between_the_two_sides(published, personas, kok_student):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    services.message_send(application=application, by=personas.owner, body="Kun je dinsdag?")
    services.message_send(application=application, by=personas.student, body="Ja hoor!")
    assert [m.body for m in application.messages.all()] == ["Kun je dinsdag?", "Ja hoor!"]
    for stranger in (personas.outsider, personas.coordinator, personas.teacher):
        with pytest.raises(PermissionDenied):
            services.message_send(application=application, by=stranger, body="hallo")


def test_accepting_an_offer_creates_the_internship_with_the_buddy_as_supervisor(
    published, personas, kok_student
):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    services.application_move(application=application, by=personas.owner, to=S.OFFER)
    with pytest.raises(PermissionDenied):
        services.offer_accept(application=application, by=personas.owner)
    internship = services.offer_accept(application=application, by=personas.student)
    assert (
        internship.supervisor == published.buddy
        and internship.source == Internship.Source.APPLICATION
    )
    application.refresh_from_db()
    assert application.status == S.ACCEPTED


def test_the_last_place_cannot_be_taken_twice_and_the_others_get_an_answer(
    published, personas, kok_student
):
    students = [personas.student] + [student(hours_per_week=32) for _ in range(3)]
    apps = [
        services.application_create(student=s, placement=published, motivation=MOTIVATION)
        for s in students
    ]
    for a in apps[:3]:
        services.application_move(application=a, by=personas.owner, to=S.OFFER)
    services.offer_accept(application=apps[0], by=students[0])
    services.offer_accept(application=apps[1], by=students[1])  # the second (last) place
    published.refresh_from_db()
    assert published.status == Status.FILLED
    with pytest.raises(ValidationError):
        services.offer_accept(application=apps[2], by=students[2])
    assert Internship.objects.filter(placement=published).count() == 2
    apps[3].refresh_from_db()
    assert (
        apps[3].status == S.REJECTED and "filled" in apps[3].events.last().reason.lower()
    ) or "vervuld" in apps[3].events.last().reason.lower()


@override_settings(APPLICATION_REPLY_DAYS=7, APPLICATION_CLOSE_DAYS=21)
def test_unanswered_applications_are_reminded_once_and_closed_politely(
    published, personas, kok_student
):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    created = application.created_at
    assert services.applications_remind(now=created + dt.timedelta(days=6)) == {
        "reminded": 0,
        "closed": 0,
    }
    assert services.applications_remind(now=created + dt.timedelta(days=8)) == {
        "reminded": 1,
        "closed": 0,
    }
    assert services.applications_remind(now=created + dt.timedelta(days=9)) == {
        "reminded": 0,
        "closed": 0,
    }
    assert (
        Notification.objects.filter(user=personas.owner, kind="application.reminder").count() == 1
    )
    assert services.applications_remind(now=created + dt.timedelta(days=22)) == {
        "reminded": 0,
        "closed": 1,
    }
    application.refresh_from_db()
    assert application.status == S.CLOSED
    assert Notification.objects.filter(user=personas.student, kind="application.closed").exists()


def test_withdraw_and_decline_are_the_students_own(published, personas, kok_student):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=personas.owner)
    with pytest.raises(ValidationError):
        services.offer_decline(application=application, by=personas.student)  # no offer yet
    services.application_withdraw(
        application=application, by=personas.student, reason="Andere stage gevonden"
    )
    application.refresh_from_db()
    assert application.status == S.WITHDRAWN
    assert Application.objects.filter(pk=application.pk, status=S.WITHDRAWN).exists()


def test_the_daily_reminder_task_runs_the_reminder_job(published, personas, kok_student):
    from stagebrug.applications.tasks import daily_reminders

    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    Application.objects.filter(pk=application.pk).update(
        stage_since=timezone.now() - dt.timedelta(days=30),
        reminded_at=timezone.now() - dt.timedelta(days=20),
    )
    result = daily_reminders.enqueue()
    assert result.return_value == {"reminded": 0, "closed": 1, "expired": 0}


def test_accepting_succeeds_when_another_application_is_answered_at_the_same_moment(
    published, personas, kok_student, monkeypatch
):
    from stagebrug.placements import services as placement_services
    from tests.placements.factories import make_placement

    second = make_placement(personas.company, personas.owner, title="Stage keuken (avond)")
    placement_services.placement_submit(placement=second, by=personas.owner)
    placement_services.placement_decide(
        target=second.targets.get(), by=personas.coordinator, approve=True
    )
    chosen = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    other = services.application_create(
        student=personas.student, placement=second, motivation=MOTIVATION
    )
    services.application_move(application=chosen, by=personas.owner, to=S.OFFER)
    read_open = services._open_applications_of

    def business_answers_first(student_ids):
        # The business turns the other application down just after it was read as open.
        found = read_open(student_ids)
        Application.objects.filter(pk=other.pk).update(status=S.REJECTED)
        return found

    monkeypatch.setattr(services, "_open_applications_of", business_answers_first)
    internship = services.offer_accept(application=chosen, by=personas.student)
    assert internship.placement == published
    other.refresh_from_db()
    assert other.status == S.REJECTED  # the business's answer stands


def test_reasons_are_bounded_and_a_student_picks_only_their_own_programme(
    published, personas, kok_student
):
    application = services.application_create(
        student=personas.student, placement=published, motivation=MOTIVATION
    )
    with pytest.raises(ValidationError) as info:
        services.application_move(
            application=application, by=personas.owner, to=S.REJECTED, reason="x" * 2001
        )
    assert "reason" in info.value.message_dict
    application.refresh_from_db()
    assert application.status == S.APPLIED
    with pytest.raises(ValidationError) as info:
        services.profile_save(
            user=personas.student, by=personas.student, programme=communicatie_programme()
        )
    assert "programme" in info.value.message_dict
