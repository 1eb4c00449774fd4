"""An answer for everyone (W1): the answer ladder after applying, on the shortlist and after an
interview; a closed application's conversation is closed; a student placed for a period is not
offered, and cannot apply, for the same period."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from stagebrug.accounts.services import api_token_create
from stagebrug.applications import services
from stagebrug.applications.models import Application, ApplicationStatus, Notification
from stagebrug.applications.periods import placed_for, start_windows
from stagebrug.applications.recommendations.query import candidates_for_placement
from stagebrug.placements import services as placement_services
from tests.dates import on
from tests.placements.factories import make_placement

pytestmark = pytest.mark.django_db

S = ApplicationStatus
MOTIVATION = "Ik wil graag leren koken in een echte keuken."
LADDER = {
    "APPLICATION_REPLY_DAYS": 7,
    "APPLICATION_CLOSE_DAYS": 21,
    "SHORTLIST_REPLY_DAYS": 10,
    "SHORTLIST_CLOSE_DAYS": 28,
    "INTERVIEW_REPLY_DAYS": 5,
    "INTERVIEW_CLOSE_DAYS": 14,
}


def days(n: float) -> dt.timedelta:
    return dt.timedelta(days=n)


def apply(personas, placement) -> Application:
    return services.application_create(
        student=personas.student, placement=placement, motivation=MOTIVATION
    )


def reminders(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="application.reminder").order_by("pk"))


@override_settings(**LADDER)
def test_after_applying_the_business_is_reminded_once_then_it_closes_kindly(
    published, personas, kok_student
):
    application = apply(personas, published)
    since = application.stage_since
    assert services.applications_remind(now=since + days(6.9)) == {"reminded": 0, "closed": 0}
    assert services.applications_remind(now=since + days(7)) == {"reminded": 1, "closed": 0}
    assert services.applications_remind(now=since + days(8)) == {"reminded": 0, "closed": 0}
    assert len(reminders(personas.owner)) == 1
    assert "Na 21 dagen" in reminders(personas.owner)[0].body
    assert services.applications_remind(now=since + days(21)) == {"reminded": 0, "closed": 1}
    application.refresh_from_db()
    assert application.status == S.CLOSED
    to_student = Notification.objects.get(user=personas.student, kind="application.closed")
    assert "niet op tijd gereageerd" in to_student.body
    assert "zegt niets over jou" in to_student.body
    to_business = Notification.objects.get(user=personas.owner, kind="application.closed")
    assert "21 dagen" in to_business.body
    assert application.events.last().reason == to_student.body
    # Closed once: nothing more to do.
    assert services.applications_remind(now=since + days(60)) == {"reminded": 0, "closed": 0}


@override_settings(**LADDER)
def test_a_message_is_not_an_answer(published, personas, kok_student):
    application = apply(personas, published)
    services.message_send(
        application=application, by=personas.owner, body="Dank je, we kijken ernaar."
    )
    since = application.stage_since
    assert services.applications_remind(now=since + days(7)) == {"reminded": 1, "closed": 0}
    assert services.applications_remind(now=since + days(21)) == {"reminded": 0, "closed": 1}


@override_settings(**LADDER)
def test_no_application_closes_without_its_reminder_first(published, personas, kok_student):
    """A day the job did not run (or a first run long after applying): the reminder comes
    first, and the closure the stage's close days minus its reply days after it."""
    application = apply(personas, published)
    late = application.stage_since + days(40)
    assert services.applications_remind(now=late) == {"reminded": 1, "closed": 0}
    assert services.applications_remind(now=late + days(13.9)) == {"reminded": 0, "closed": 0}
    assert services.applications_remind(now=late + days(14)) == {"reminded": 0, "closed": 1}


@override_settings(**LADDER)
def test_the_shortlist_has_its_own_clock_reminder_and_closure(published, personas, kok_student):
    application = apply(personas, published)
    applied = application.stage_since
    services.applications_remind(now=applied + days(7))  # reminded while applied
    application = services.application_move(
        application=application, by=personas.owner, to=S.SHORTLISTED
    )
    assert application.reminded_at is None  # a new stage: its own reminder
    since = application.stage_since
    assert services.applications_remind(now=since + days(9.9)) == {"reminded": 0, "closed": 0}
    assert services.applications_remind(now=since + days(10)) == {"reminded": 1, "closed": 0}
    assert "op je shortlist" in reminders(personas.owner)[-1].body
    # The applied stage's days no longer count: 21 days after applying it is not closed.
    assert services.applications_remind(now=applied + days(21)) == {"reminded": 0, "closed": 0}
    assert services.applications_remind(now=since + days(27.9)) == {"reminded": 0, "closed": 0}
    assert services.applications_remind(now=since + days(28)) == {"reminded": 0, "closed": 1}
    closure = Notification.objects.get(user=personas.student, kind="application.closed")
    assert "shortlist" in closure.body


@override_settings(**LADDER)
def test_after_an_interview_the_days_count_from_the_interview(published, personas, kok_student):
    application = apply(personas, published)
    interview_at = application.stage_since + days(12)
    services.interview_propose(
        application=application, by=personas.owner, starts_at=interview_at, location="De keuken"
    )
    # Waiting for the interview itself is no delay of the business.
    assert services.applications_remind(now=interview_at - days(1)) == {
        "reminded": 0,
        "closed": 0,
    }
    assert services.applications_remind(now=interview_at + days(4.9)) == {
        "reminded": 0,
        "closed": 0,
    }
    assert services.applications_remind(now=interview_at + days(5)) == {
        "reminded": 1,
        "closed": 0,
    }
    assert "gesprek" in reminders(personas.owner)[-1].body
    assert services.applications_remind(now=interview_at + days(14)) == {
        "reminded": 0,
        "closed": 1,
    }
    closure = Notification.objects.get(user=personas.student, kind="application.closed")
    assert "na je gesprek" in closure.body


@override_settings(**LADDER)
def test_a_cancelled_interview_counts_from_the_invitation(published, personas, kok_student):
    application = apply(personas, published)
    interview = services.interview_propose(
        application=application,
        by=personas.owner,
        starts_at=application.stage_since + days(30),
        location="De keuken",
    )
    application.refresh_from_db()
    type(interview).objects.filter(pk=interview.pk).update(cancelled_at=application.stage_since)
    since = application.stage_since
    assert services.applications_remind(now=since + days(5)) == {"reminded": 1, "closed": 0}
    assert services.applications_remind(now=since + days(14)) == {"reminded": 0, "closed": 1}


@override_settings(**LADDER)
def test_an_earlier_stages_interview_does_not_count(published, personas, kok_student):
    application = apply(personas, published)
    services.interview_propose(
        application=application,
        by=personas.owner,
        starts_at=application.stage_since + days(1),
        location="De keuken",
    )
    # Long after that interview, the business moves it to interview again (no new date yet).
    later = application.stage_since + days(60)
    Application.objects.filter(pk=application.pk).update(stage_since=later)
    assert services.applications_remind(now=later + days(4)) == {"reminded": 0, "closed": 0}


@override_settings(**LADDER)
def test_an_offer_waits_for_the_student_not_the_business(published, personas, kok_student):
    application = apply(personas, published)
    application = services.application_move(application=application, by=personas.owner, to=S.OFFER)
    result = services.applications_remind(now=application.stage_since + days(90))
    assert result == {"reminded": 0, "closed": 0}


@override_settings(**LADDER)
def test_an_application_that_moved_meanwhile_is_not_closed(published, personas, kok_student):
    application = apply(personas, published)
    stale = Application.objects.select_related("placement", "student").get(pk=application.pk)
    services.application_move(application=application, by=personas.owner, to=S.SHORTLISTED)
    rung = services.answer_ladder()[0]
    assert services._close_unanswered(stale, rung) is False
    application.refresh_from_db()
    assert application.status == S.SHORTLISTED


def test_the_ladder_runs_in_the_daily_task(
    published, personas, kok_student, django_capture_on_commit_callbacks
):
    from stagebrug.applications.tasks import daily_reminders

    application = apply(personas, published)
    Application.objects.filter(pk=application.pk).update(
        stage_since=application.stage_since - days(40),
        reminded_at=application.stage_since - days(20),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert daily_reminders.call()["closed"] == 1
    assert {m.to[0] for m in mail.outbox} >= {personas.student.email, personas.owner.email}


# --------------------------------------------------------------------------------------------
# A closed conversation


def bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


@pytest.mark.parametrize("ended", [S.REJECTED, S.WITHDRAWN, S.CLOSED, S.DECLINED])
def test_no_messages_on_an_application_that_ended(published, personas, kok_student, ended):
    application = apply(personas, published)
    Application.objects.filter(pk=application.pk).update(status=ended)
    application.refresh_from_db()
    for who in (personas.student, personas.owner):
        with pytest.raises(ValidationError) as refused:
            services.message_send(application=application, by=who, body="Nog één ding")
        assert "gesprek is gesloten" in refused.value.messages[0]
    assert not application.messages.exists()


def test_a_closed_conversation_on_the_page_and_in_the_api(client, published, personas, kok_student):
    application = apply(personas, published)
    url = f"/sollicitaties/{application.pk}/"
    client.force_login(personas.student)
    assert f'action="{url}bericht/"' in client.get(url).text
    Application.objects.filter(pk=application.pk).update(status=S.CLOSED)
    page = client.get(url).text
    assert "gesprek is gesloten" in page
    assert 'name="body"' not in page
    response = client.post(url + "bericht/", {"body": "Hallo?"}, follow=True)
    assert "gesprek is gesloten" in response.text
    response = client.post(
        f"/api/v1/applications/{application.pk}/messages",
        {"body": "Hallo?"},
        content_type="application/json",
        **bearer(personas.owner),
    )
    assert 400 <= response.status_code < 500
    assert "gesprek is gesloten" in response.text
    assert not application.messages.exists()


def test_messages_go_on_after_the_offer_was_accepted(internship, personas):
    application = Application.objects.get(student=personas.student, status=S.ACCEPTED)
    services.message_send(application=application, by=personas.owner, body="Tot maandag!")
    assert application.messages.count() == 1


# --------------------------------------------------------------------------------------------
# Placed already


def second_placement(personas, starts: list[dt.date]):
    placement = make_placement(
        personas.company,
        personas.owner,
        title="Tweede keukenstage",
        start_dates=[d.isoformat() for d in starts],
    )
    placement_services.placement_submit(placement=placement, by=personas.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=personas.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement


def test_a_placed_student_cannot_apply_for_the_same_period(internship, personas):
    same_period = second_placement(personas, [internship.start_date])
    with pytest.raises(ValidationError) as refused:
        apply(personas, same_period)
    assert "al een stage in de periode" in refused.value.messages[0]
    after = second_placement(personas, [on(9, 1)])
    assert internship.end_date < on(9, 1)
    assert apply(personas, after).status == S.APPLIED


def test_accepting_an_offer_withdraws_only_the_applications_of_the_same_period(
    published, personas, kok_student
):
    same_period = second_placement(personas, [on(2, 1)])
    after = second_placement(personas, [on(9, 1)])
    waiting_same = apply(personas, same_period)
    waiting_after = apply(personas, after)
    from tests.internships.conftest import accept_offer

    accept_offer(student=personas.student, placement=published, owner=personas.owner)
    waiting_same.refresh_from_db()
    waiting_after.refresh_from_db()
    assert waiting_same.status == S.WITHDRAWN
    assert waiting_after.status == S.APPLIED


def test_one_free_start_date_is_enough(internship, personas):
    both = second_placement(personas, [internship.start_date, on(9, 1)])
    assert apply(personas, both).status == S.APPLIED


def test_a_stopped_internship_frees_the_student(internship, personas):
    type(internship).objects.filter(pk=internship.pk).update(
        status="stopped", stop_reason="expectations"
    )
    same_period = second_placement(personas, [internship.start_date])
    assert apply(personas, same_period).status == S.APPLIED


def test_placed_students_are_not_offered_as_candidates(internship, personas, kok_student):
    from stagebrug.applications.models import StudentProfile

    StudentProfile.objects.filter(user=personas.student).update(discoverable=True)
    same_period = second_placement(personas, [internship.start_date])
    after = second_placement(personas, [on(9, 1)])
    assert personas.student.pk not in {
        c.profile.student_id for c in candidates_for_placement(same_period)
    }
    assert personas.student.pk in {c.profile.student_id for c in candidates_for_placement(after)}


def test_start_windows_run_the_placements_weeks(published):
    (window,) = start_windows(published)
    assert window == (on(2, 1), on(2, 1) + days(7 * published.duration_weeks - 1))


DAY0 = dt.date(2027, 1, 1)
spans = st.tuples(st.integers(0, 400), st.integers(0, 120)).map(
    lambda t: (DAY0 + days(t[0]), DAY0 + days(t[0] + t[1]))
)


@given(windows=st.lists(spans, max_size=4), periods=st.lists(spans, max_size=3))
def test_placed_for_means_no_start_is_free_of_internship_days(windows, periods):
    """A brute-force reading of the rule: the student is taken when no start window is free
    of every day of their current internships."""

    def dates(span):
        return {span[0] + days(i) for i in range((span[1] - span[0]).days + 1)}

    taken = set().union(*(dates(p) for p in periods)) if periods else set()
    expected = all(dates(w) & taken for w in windows) if windows else bool(periods)
    assert placed_for(windows, periods) is expected
