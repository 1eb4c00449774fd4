"""Events (C8; W0, W7): who publishes, the checks on time and place, sign-up with a waiting list
that moves up by itself, cancelling kindly refused after the start or twice, attendance at the
door on the day, reminders the day before with the clock frozen, calendar files."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from icalendar import Calendar

from stagebrug.applications.models import Notification
from stagebrug.community import events, ics
from stagebrug.community.models import Event, Registration
from tests.community.conftest import person, publish, soon

pytestmark = pytest.mark.django_db

Status = Registration.Status


def test_a_school_publishes_and_others_may_not(personas):
    made = publish(personas)
    assert made.institution == personas.rocva and made.pc4.code == "1091"
    for who in ("other_coordinator", "teacher", "owner", "student"):
        with pytest.raises(PermissionDenied):
            events.event_publish(by=getattr(personas, who), institution=personas.rocva, title="x")


def test_the_operator_publishes_the_regions_own_events(personas):
    made = events.event_publish(
        by=personas.operator,
        institution=None,
        kind="meet_and_match",
        title="Meet & match MRA",
        description="Studenten en bedrijven ontmoeten elkaar.",
        starts_at=soon(),
        ends_at=soon() + dt.timedelta(hours=3),
        online=True,
        online_url="https://meet.example.org/mra",
        audience="both",
    )
    assert made.institution is None and made.place_line


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (lambda: {"starts_at": soon(-1)}, "starts_at"),
        (lambda: {"ends_at": soon() - dt.timedelta(hours=1)}, "ends_at"),
        (lambda: {"ends_at": soon() + dt.timedelta(days=4)}, "ends_at"),
        (lambda: {"online": True, "online_url": ""}, "online_url"),
        (lambda: {"venue": "", "street": "", "city": ""}, "venue"),
        (lambda: {"postcode": "99999"}, "postcode"),
    ],
)
def test_bad_times_and_places_are_field_errors(personas, values, field):
    # The times are made when the test runs (not when it is collected: midnight may pass).
    with pytest.raises(ValidationError) as caught:
        publish(personas, **values())
    assert field in caught.value.error_dict
    assert not Event.objects.exists()


def test_past_capacity_goes_to_the_waiting_list_and_moves_up_by_itself(event):
    a, b, c, d = (person(n) for n in range(4))
    assert [events.event_sign_up(event=event, by=p).status for p in (a, b, c, d)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    events.registration_cancel(registration=Registration.objects.get(user=a), by=a)
    assert Registration.objects.get(user=c).status == Status.CONFIRMED
    assert Registration.objects.get(user=d).status == Status.WAITING
    assert Notification.objects.filter(user=c, kind="event.moved_up").exists()
    assert event.registrations.filter(status=Status.CONFIRMED).count() == 2


def test_signing_up_twice_and_cancelling_twice_or_after_the_start_are_refused(event):
    a = person(1)
    registration = events.event_sign_up(event=event, by=a)
    with pytest.raises(ValidationError) as caught:
        events.event_sign_up(event=event, by=a)
    assert caught.value.messages == [str(events.ALREADY)]
    events.registration_cancel(registration=registration, by=a)
    with pytest.raises(ValidationError) as caught:
        events.registration_cancel(registration=registration, by=a)
    assert caught.value.messages == [str(events.ALREADY_CANCELLED)]
    again = events.event_sign_up(event=event, by=a)  # after cancelling, once more
    with (
        time_machine.travel(event.starts_at + dt.timedelta(minutes=5)),
        pytest.raises(ValidationError) as caught,
    ):
        events.registration_cancel(registration=again, by=a)
    assert caught.value.messages == [str(events.STARTED)]


def test_someone_elses_place_is_not_yours_to_cancel(event, personas):
    registration = events.event_sign_up(event=event, by=person(1))
    with pytest.raises(PermissionDenied):
        events.registration_cancel(registration=registration, by=person(2))
    events.registration_cancel(registration=registration, by=personas.coordinator)  # organiser


def test_a_businesses_event_wants_a_business_and_a_students_event_a_student(personas):
    for_businesses = publish(personas, audience="businesses")
    with pytest.raises(ValidationError):
        events.event_sign_up(event=for_businesses, by=personas.student)
    made = events.event_sign_up(event=for_businesses, by=personas.owner, company=personas.company)
    assert made.company == personas.company
    with pytest.raises(PermissionDenied):
        events.event_sign_up(event=for_businesses, by=personas.outsider, company=personas.company)
    for_students = publish(personas, audience="students")
    with pytest.raises(ValidationError):
        events.event_sign_up(event=for_students, by=personas.owner)
    assert events.event_sign_up(event=for_students, by=personas.student).status == "confirmed"


def test_lowering_the_places_below_the_signed_up_is_refused_and_raising_moves_up(event, personas):
    a, b, c = (person(n) for n in range(3))
    for p in (a, b, c):
        events.event_sign_up(event=event, by=p)
    with pytest.raises(ValidationError) as caught:
        events.event_change(event=event, by=personas.coordinator, capacity=1)
    assert "capacity" in caught.value.error_dict
    events.event_change(event=event, by=personas.coordinator, capacity=3)
    assert Registration.objects.get(user=c).status == Status.CONFIRMED


def test_moving_an_event_tells_everyone_signed_up_with_a_new_sequence(
    event, personas, mailoutbox, django_capture_on_commit_callbacks
):
    a = person(1)
    events.event_sign_up(event=event, by=a)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = events.event_change(
            event=event,
            by=personas.coordinator,
            starts_at=soon(31),
            ends_at=soon(31) + dt.timedelta(hours=2),
        )
    assert changed.sequence == 1
    [mail] = [m for m in mailoutbox if m.to == [a.email]]
    _name, content, mime = mail.attachments[0]
    assert mime == "text/calendar"
    cal = Calendar.from_ical(content)
    [vevent] = cal.walk("VEVENT")
    assert int(vevent["SEQUENCE"]) == 1 and vevent["UID"] == ics.uid(event)


def test_cancelling_the_event_tells_everyone_with_a_cancelled_calendar(
    event, personas, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = (person(n) for n in range(3))
    for p in (a, b, c):
        events.event_sign_up(event=event, by=p)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        events.event_cancel(event=event, by=personas.coordinator)
    told = {m.to[0] for m in mailoutbox}
    assert told == {a.email, b.email, c.email}  # the waiting one too
    cal = Calendar.from_ical(mailoutbox[0].attachments[0][1])
    assert str(cal["METHOD"]) == "CANCEL"
    with pytest.raises(ValidationError):
        events.event_sign_up(event=event, by=person(9))


def test_attendance_at_the_door_on_the_day_only(event, personas):
    a = person(1)
    registration = events.event_sign_up(event=event, by=a)
    with pytest.raises(ValidationError):
        events.attendance_mark(registration=registration, by=personas.coordinator, present=True)
    with time_machine.travel(event.starts_at):
        done = events.attendance_mark(
            registration=registration, by=personas.coordinator, present=True
        )
        assert done.attended_at is not None
        with pytest.raises(PermissionDenied):
            events.attendance_mark(registration=registration, by=a, present=True)


def test_the_reminder_goes_the_day_before_once(event):
    a, b, c = (person(n) for n in range(3))
    for p in (a, b, c):
        events.event_sign_up(event=event, by=p)
    with time_machine.travel(event.starts_at - dt.timedelta(days=1, hours=1)):
        assert events.events_remind() == 0
    with time_machine.travel(event.starts_at - dt.timedelta(hours=20)):
        assert events.events_remind() == 2  # not the one waiting
        assert events.events_remind() == 0
    assert set(
        Notification.objects.filter(kind="event.reminder").values_list("user", flat=True)
    ) == {a.pk, b.pk}


def test_the_reminder_task_is_recurring():
    from stagebrug.community import tasks
    from stagebrug.core.hooks import recurring_jobs

    assert tasks.event_reminders in recurring_jobs.providers


def test_the_feed_is_a_calendar_of_the_filtered_events(client, personas):
    network = publish(personas)
    lecture = publish(personas, kind="guest_lecture", title="Gastles brood")
    response = client.get("/evenementen/agenda.ics?kind=guest_lecture")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    uids = [str(v["UID"]) for v in Calendar.from_ical(response.content).walk("VEVENT")]
    assert uids == [ics.uid(lecture)] and ics.uid(network) not in uids


def test_erasing_keeps_the_count_not_the_person(event):
    from stagebrug.accounts.services import user_erase

    a = person(1)
    events.event_sign_up(event=event, by=a)
    user_erase(user=a)
    row = Registration.objects.get()
    assert (row.user, row.name, row.status) == (None, "", Status.CONFIRMED)


def test_a_cancelled_event_moves_nobody_up_and_leaves_the_dashboard(event, personas):
    from stagebrug.community import selectors

    a, b = person(1), person(2)
    events.event_change(event=event, by=personas.coordinator, capacity=1)
    first = events.event_sign_up(event=event, by=a)
    events.event_sign_up(event=event, by=b)
    events.event_cancel(event=event, by=personas.coordinator)
    with pytest.raises(ValidationError):
        events.registration_cancel(registration=first, by=a)
    assert Registration.objects.get(user=b).status == Status.WAITING
    assert not selectors.my_events(user=a).exists()


def test_the_link_to_join_online_is_only_for_those_with_a_place(client, personas):
    online = publish(
        personas, online=True, online_url="https://meet.example.org/geheim", venue="", capacity=1
    )
    assert b"geheim" not in client.get("/evenementen/agenda.ics").content
    assert b"geheim" not in client.get(f"/evenementen/{online.pk}/agenda.ics").content
    a = person(1)
    events.event_sign_up(event=online, by=a)
    client.force_login(a)
    assert b"geheim" in client.get(f"/evenementen/{online.pk}/agenda.ics").content
