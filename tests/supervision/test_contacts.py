"""Contact moments (W8, W13, W14): three by default (start, mid-term at the workplace, end),
planned from the internship's dates at 10:00 Amsterdam time; calendar invitations to the three
who meet; rescheduling, cancelling, extra moments, the record; the coordinator's compliance
list; the reminder the day before, with a frozen clock.

Who may do what (decided here, see `contacts/permissions.py`): every party of the internship
reads the moments and their records; the school supervisor, the coordinator and the workplace
supervisor plan (move, add, cancel); only the school supervisor and the workplace supervisor
write the record: the business's owner who is not the workplace supervisor may not. Outsiders
get 404."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from stagebrug.accounts.services import api_token_create
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision.contacts import selectors, services, tasks
from stagebrug.supervision.models import ContactMoment
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def sent(request, monkeypatch):
    """E-mail is queued on commit; a test runs in one transaction that never commits, so here
    on-commit work runs at once. Each test starts with an empty outbox (after the fixtures')."""
    if "running" in request.fixturenames:
        request.getfixturevalue("running")
    mail.outbox.clear()
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )
    return mail.outbox


def nl(text, **params) -> str:
    with translation.override("nl"):
        out = translation.gettext(str(text))
    return out % params if params else out


def auth(user) -> dict:
    _token, raw = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def at(day: dt.date, hhmm: str = "10:00") -> dt.datetime:
    hour, minute = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def moments(internship) -> list[ContactMoment]:
    return list(ContactMoment.objects.filter(internship=internship).order_by("planned_at"))


def first(internship, kind=ContactMoment.Kind.START) -> ContactMoment:
    return ContactMoment.objects.get(internship=internship, kind=kind)


def invitations() -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(content)
        for message in mail.outbox
        for _name, content, mimetype in message.attachments
        if mimetype.startswith("text/calendar")
    ]


def before_start(internship) -> dt.datetime:
    return at(internship.start_date - dt.timedelta(days=7), "09:00")


# --------------------------------------------------------------------------------------------
# Planning


def test_a_confirmed_internship_gets_start_mid_term_on_site_and_end_at_ten(running):
    start, middle, end = moments(running)
    assert [m.kind for m in (start, middle, end)] == ["start", "middle", "end"]
    local = [m.planned_at.astimezone(AMS) for m in (start, middle, end)]
    assert all(t.time() == dt.time(10, 0) and t.weekday() < 5 for t in local)
    assert (local[0].date() - running.start_date).days < 7
    assert (running.end_date - local[2].date()).days < 7
    halfway = running.start_date + (running.end_date - running.start_date) / 2
    assert abs((local[1].date() - halfway).days) <= 3
    assert [m.on_site for m in (start, middle, end)] == [False, True, False]
    assert AuditEvent.objects.filter(action="contact_moment.plan").count() == 3


def test_planning_again_adds_nothing(running):
    assert services.contact_moments_plan(internships=[running]) == []
    assert services.contact_moments_backfill() == 0
    assert len(moments(running)) == 3


def test_existing_internships_without_moments_get_them(running):
    ContactMoment.objects.filter(internship=running).delete()
    assert services.contact_moments_backfill() == 3
    assert [m.kind for m in moments(running)] == ["start", "middle", "end"]


def test_a_short_internship_keeps_its_moments_within_its_days():
    monday = dt.date(2027, 3, 1)  # calendar arithmetic only: the year does not matter
    days = services.plan_days(monday, monday + dt.timedelta(days=4))
    assert days == sorted(days)
    assert all(monday <= d <= monday + dt.timedelta(days=4) and d.weekday() < 5 for d in days)
    assert services.plan_days(monday, monday) == [monday] * 3
    # Starting on a Saturday: the first moment is on the Monday after.
    assert services.plan_days(dt.date(2027, 3, 6), dt.date(2027, 5, 28))[0] == dt.date(2027, 3, 8)


def test_the_agreement_decides_how_many_but_never_fewer_than_three():
    def content(n):
        return {"supervision": {"data": {"contact_moments": n}}}

    assert services.wanted_count({}) == 3
    assert services.wanted_count(content(2)) == 3
    assert services.wanted_count(content(5)) == 5
    assert services.plan_kinds(5) == ["start", "extra", "middle", "extra", "end"]


def test_an_agreement_with_five_moments_gets_two_extra_ones(running, monkeypatch):
    monkeypatch.setattr(
        services,
        "_signed_contents",
        lambda ids: {running.pk: {"supervision": {"data": {"contact_moments": 5}}}},
    )
    new = services.contact_moments_plan(internships=[running])
    assert [m.kind for m in new] == ["extra", "extra"]
    assert len(invitations()) == 3  # the three are invited to the new ones
    assert services.contact_moments_plan(internships=[running]) == []


# --------------------------------------------------------------------------------------------
# The invitation


def test_the_invitation_parses_back_with_uid_sequence_amsterdam_time_and_three_attendees(
    running, personas
):
    moment = first(running)
    cal = icalendar.Calendar.from_ical(services.moment_ics(moment))
    assert cal["METHOD"] == "PUBLISH"
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == services.ics.uid(moment)
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Amsterdam"
    assert start == moment.planned_at and start.hour == 10
    attendees = sorted(str(a).removeprefix("mailto:") for a in event.get("ATTENDEE"))
    assert attendees == sorted(
        [personas.student.email, running.supervisor.email, personas.teacher.email]
    )
    assert str(event["ORGANIZER"]) == f"mailto:{personas.teacher.email}"
    assert cal.walk("VTIMEZONE")


def test_the_summary_is_in_the_recipients_language(running, personas):
    personas.teacher.language = "en"
    personas.teacher.save(update_fields=["language"])
    moment = first(running)
    services.contact_moment_reschedule(
        moment=moment,
        by=personas.teacher,
        planned_at=moment.planned_at + dt.timedelta(hours=2),
        now=before_start(running),
    )
    by_address = {m.to[0]: icalendar.Calendar.from_ical(m.attachments[0][1]) for m in mail.outbox}
    english = by_address[personas.teacher.email].walk("VEVENT")[0]["SUMMARY"]
    dutch = by_address[personas.student.email].walk("VEVENT")[0]["SUMMARY"]
    with translation.override("en"):
        assert english == services.ics.summary(moment)
    with translation.override("nl"):
        assert dutch == services.ics.summary(moment)


# --------------------------------------------------------------------------------------------
# Rescheduling, adding, cancelling


def test_rescheduling_raises_the_sequence_and_sends_the_same_uid_to_all_three(running, personas):
    moment = first(running)
    new_time = at(moment.planned_at.astimezone(AMS).date() + dt.timedelta(days=1), "14:30")
    services.contact_moment_reschedule(
        moment=moment, by=personas.teacher, planned_at=new_time, now=before_start(running)
    )
    moment.refresh_from_db()
    assert moment.sequence == 1 and moment.planned_at == new_time
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.student.email, running.supervisor.email, personas.teacher.email]
    )
    for cal in invitations():
        assert cal["METHOD"] == "REQUEST"
        (event,) = cal.walk("VEVENT")
        assert str(event["UID"]) == services.ics.uid(moment)
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART").astimezone(AMS).time() == dt.time(14, 30)
    event = AuditEvent.objects.get(action="contact_moment.reschedule")
    assert event.actor == personas.teacher and event.changes["sequence"] == 1


@pytest.mark.parametrize("who", ["teacher", "coordinator", "supervisor"])
def test_the_three_planners_may_reschedule(running, personas, who):
    moment = first(running)
    services.contact_moment_reschedule(
        moment=moment,
        by=getattr(personas, who),
        planned_at=moment.planned_at + dt.timedelta(hours=1),
        now=before_start(running),
    )
    assert ContactMoment.objects.get(pk=moment.pk).sequence == 1


@pytest.mark.parametrize("who", ["student", "owner"])
def test_the_student_and_the_business_do_not_plan(running, personas, who):
    moment = first(running)
    with pytest.raises(PermissionDenied):
        services.contact_moment_reschedule(
            moment=moment,
            by=getattr(personas, who),
            planned_at=moment.planned_at + dt.timedelta(hours=1),
            now=before_start(running),
        )


def test_a_moment_cannot_move_into_the_past_or_outside_the_internship(running, personas):
    moment = first(running)
    now = at(running.start_date + dt.timedelta(days=1), "12:00")
    early = before_start(running)
    with translation.override("nl"):
        cases = [
            (now, now - dt.timedelta(minutes=1), nl(services.IN_THE_PAST)),
            (
                early,
                at(running.start_date - dt.timedelta(days=1)),
                nl(services.BEFORE_START, date=services._d(running.start_date)),
            ),
            (
                early,
                at(running.end_date + dt.timedelta(days=1)),
                nl(services.AFTER_END, date=services._d(running.end_date)),
            ),
        ]
    for now, when, message in cases:
        with translation.override("nl"), pytest.raises(ValidationError) as exc:
            services.contact_moment_reschedule(
                moment=moment, by=personas.teacher, planned_at=when, now=now
            )
        assert exc.value.message_dict["planned_at"] == [message]
    assert ContactMoment.objects.get(pk=moment.pk).sequence == 0
    assert not mail.outbox


def test_the_only_on_site_moment_stays_on_site(running, personas):
    middle = first(running, ContactMoment.Kind.MIDDLE)
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_reschedule(
            moment=middle,
            by=personas.teacher,
            planned_at=middle.planned_at,
            on_site=False,
            now=before_start(running),
        )
    assert exc.value.message_dict["on_site"] == [str(services.LAST_ON_SITE)]


def test_cancelling_keeps_three_moments_and_one_on_site(running, personas):
    start = first(running)
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_cancel(moment=start, by=personas.teacher, confirm=True)
    assert exc.value.messages == [str(services.TOO_FEW) % {"min": 3}]
    extra = services.contact_moment_add(
        internship=running,
        by=personas.supervisor,
        planned_at=at(running.start_date + dt.timedelta(days=14), "15:00"),
        now=before_start(running),
    )
    assert extra.kind == "extra" and len(invitations()) == 3
    middle = first(running, ContactMoment.Kind.MIDDLE)
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_cancel(moment=middle, by=personas.teacher, confirm=True)
    assert exc.value.messages == [str(services.LAST_ON_SITE)]
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_cancel(moment=start, by=personas.teacher, confirm=False)
    assert exc.value.message_dict["confirm"] == [str(services.CONFIRM_REQUIRED)]
    mail.outbox.clear()
    services.contact_moment_cancel(moment=start, by=personas.teacher, confirm=True)
    start.refresh_from_db()
    assert start.cancelled_at is not None and start.sequence == 1
    cals = invitations()
    assert len(cals) == 3 and all(c["METHOD"] == "CANCEL" for c in cals)
    assert str(cals[0].walk("VEVENT")[0]["UID"]) == services.ics.uid(start)
    assert AuditEvent.objects.filter(action="contact_moment.cancel", object_id=str(start.pk))


# --------------------------------------------------------------------------------------------
# The record


def test_a_moment_is_recorded_only_after_its_time(running, personas):
    start = first(running)
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_record(
            moment=start, by=personas.teacher, agreed="x", now=start.planned_at - dt.timedelta(1)
        )
    assert exc.value.messages == [str(services.NOT_YET)]
    after = start.planned_at + dt.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_record(moment=start, by=personas.teacher, agreed=" ", now=after)
    assert exc.value.message_dict["agreed"] == [str(services.AGREED_REQUIRED)]
    services.contact_moment_record(
        moment=start,
        by=personas.teacher,
        agreed="Stan werkt eerst mee in de bakkerij.",
        next_steps="Leerdoelen bespreken in week 3.",
        now=after,
    )
    start.refresh_from_db()
    assert start.held_at == start.planned_at and start.recorded_by == personas.teacher
    event = AuditEvent.objects.get(action="contact_moment.record")
    assert "Stan" not in str(event.changes)  # what was said stays on the page
    # The student and the workplace supervisor are told that the record is there.
    assert {m.to[0] for m in mail.outbox} >= {personas.student.email}


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("teacher", True),
        ("supervisor", True),
        ("owner", False),  # the business, not the workplace supervisor
        ("coordinator", False),
        ("student", False),
    ],
)
def test_who_writes_the_record(running, personas, who, may):
    start = first(running)
    call = dict(
        moment=start,
        by=getattr(personas, who),
        agreed="Afspraken",
        now=start.planned_at + dt.timedelta(hours=1),
    )
    if may:
        services.contact_moment_record(**call)
    else:
        with pytest.raises(PermissionDenied):
            services.contact_moment_record(**call)


def test_a_held_moment_is_neither_moved_nor_cancelled(running, personas):
    start = first(running)
    services.contact_moment_record(
        moment=start, by=personas.teacher, agreed="Ok", now=start.planned_at
    )
    with pytest.raises(ValidationError) as exc:
        services.contact_moment_reschedule(
            moment=start,
            by=personas.teacher,
            planned_at=start.planned_at + dt.timedelta(days=1),
            now=before_start(running),
        )
    assert exc.value.messages == [str(services.ALREADY_HELD)]


# --------------------------------------------------------------------------------------------
# Pages and the API


def test_every_party_sees_the_page_and_outsiders_get_404(client, running, personas):
    url = reverse("supervision:contacts", args=[running.pk])
    moment = first(running)
    ics_url = reverse("supervision:contact_ics", args=[running.pk, moment.pk])
    for who in ("student", "teacher", "coordinator", "supervisor", "owner"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 200, who
        response = client.get(ics_url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    for who in ("outsider", "other_coordinator"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 404
        assert client.get(ics_url).status_code == 404
        post = reverse("supervision:contact_reschedule", args=[running.pk, moment.pk])
        assert client.post(post, {}).status_code == 404


def test_the_student_reads_but_does_not_change(client, running, personas):
    moment = first(running)
    client.force_login(personas.student)
    page = client.get(reverse("supervision:contacts", args=[running.pk])).content.decode()
    assert "verzetten" not in page
    response = client.post(
        reverse("supervision:contact_reschedule", args=[running.pk, moment.pk]),
        {f"m{moment.pk}-move-date": "2030-01-01", f"m{moment.pk}-move-time": "10:00"},
    )
    assert response.status_code == 403


def test_the_school_supervisor_moves_a_moment_on_the_page(client, running, personas):
    moment = first(running)
    day = moment.planned_at.astimezone(AMS).date() + dt.timedelta(days=1)
    client.force_login(personas.teacher)
    url = reverse("supervision:contact_reschedule", args=[running.pk, moment.pk])
    p = f"m{moment.pk}-move"
    bad = client.post(
        url,
        {f"{p}-date": (running.end_date + dt.timedelta(days=3)).isoformat(), f"{p}-time": "10:00"},
    )
    assert bad.status_code == 400
    assert nl(services.AFTER_END, date=services._d(running.end_date)) in bad.content.decode()
    response = client.post(
        url, {f"{p}-date": day.isoformat(), f"{p}-time": "13:15", f"{p}-location": "Kantine"}
    )
    assert response.status_code == 302
    moment.refresh_from_db()
    assert moment.planned_at == at(day, "13:15") and moment.location == "Kantine"
    assert moment.on_site is False and len(mail.outbox) == 3


def test_the_api_lists_moves_records_and_refuses_with_reasons(client, running, personas):
    base = f"/api/v1/internships/{running.pk}/contact-moments"
    listed = client.get(base, **auth(personas.student)).json()
    assert [m["kind"] for m in listed] == ["start", "middle", "end"]
    assert client.get(base, **auth(personas.outsider)).status_code == 404
    start = listed[0]
    response = client.post(
        f"{base}/{start['id']}/reschedule",
        {"planned_at": "2001-01-01T10:00:00"},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert response.status_code == 400
    assert response.json()["errors"]["planned_at"] == [nl(services.IN_THE_PAST)]
    new = at(running.start_date + dt.timedelta(days=3), "11:00")
    response = client.post(
        f"{base}/{start['id']}/reschedule",
        {"planned_at": new.replace(tzinfo=None).isoformat()},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert response.status_code == 200 and response.json()["sequence"] == 1
    assert dt.datetime.fromisoformat(response.json()["planned_at"]) == new
    response = client.post(
        f"{base}/{start['id']}/reschedule",
        {"planned_at": new.isoformat()},
        content_type="application/json",
        **auth(personas.student),
    )
    assert response.status_code == 403
    response = client.post(
        f"{base}/{start['id']}/record",
        {"agreed": "Afspraak"},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert response.status_code == 400 and response.json()["detail"] == nl(services.NOT_YET)
    response = client.post(
        f"{base}/{start['id']}/cancel",
        {"confirm": True},
        content_type="application/json",
        **auth(personas.teacher),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == nl(services.TOO_FEW) % {"min": 3}
    response = client.post(
        base,
        {"planned_at": new.isoformat(), "on_site": True},
        content_type="application/json",
        **auth(personas.supervisor),
    )
    assert response.status_code == 201 and response.json()["kind"] == "extra"
    assert (
        client.post(
            f"{base}/{start['id']}/cancel",
            {"confirm": True},
            content_type="application/json",
            **auth(personas.outsider),
        ).status_code
        == 404
    )
    with time_machine.travel(new + dt.timedelta(hours=1)):
        response = client.post(
            f"{base}/{start['id']}/record",
            {"agreed": "Afspraak", "next_steps": "Verder"},
            content_type="application/json",
            **auth(personas.supervisor),
        )
    assert response.status_code == 200 and response.json()["held_at"] is not None


# --------------------------------------------------------------------------------------------
# The coordinator's compliance list


def _another(running, n: int) -> Internship:
    student = UserFactory(email=f"extra{n}@rocva.example", full_name=f"Extra {n}")
    return Internship.objects.create(
        student=student,
        placement=running.placement,
        programme=running.programme,
        institution=running.institution,
        status=Status.ACTIVE,
        start_date=running.start_date,
        end_date=running.end_date,
        hours_per_week=32,
        supervisor=running.supervisor,
        source="application",
    )


def test_compliance_lists_the_most_overdue_first_and_leaves_the_complete_out(running):
    now = at(running.start_date + dt.timedelta(days=30), "12:00")
    # `running` is behind: its start moment (day 2) passed without a record.
    long_ago = _another(running, 1)  # a moment 20 days overdue
    services.contact_moments_plan(internships=[long_ago], invite=False)
    ContactMoment.objects.filter(internship=long_ago, kind="start").update(
        planned_at=now - dt.timedelta(days=29, hours=1)
    )
    fine = _another(running, 2)
    services.contact_moments_plan(internships=[fine], invite=False)
    ContactMoment.objects.filter(internship=fine, kind="start").update(held_at=now, agreed="ok")
    short = _another(running, 3)  # only two planned, none overdue, none on site
    ContactMoment.objects.bulk_create(
        ContactMoment(internship=short, kind=k, planned_at=now + dt.timedelta(days=d))
        for k, d in (("middle", 5), ("end", 60))
    )
    rows = list(selectors.compliance(institution=running.institution, now=now))
    assert [r.pk for r in rows] == [long_ago.pk, running.pk, short.pk]
    assert (rows[0].overdue, rows[2].planned, rows[2].on_site) == (1, 2, 0)


def test_compliance_runs_the_same_queries_for_one_row_and_for_many(client, running, personas):
    url = reverse("supervision:contacts_compliance", args=[running.institution.slug])
    now = at(running.start_date + dt.timedelta(days=30), "12:00")

    def count() -> int:
        with time_machine.travel(now):
            client.force_login(personas.coordinator)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    one = count()
    for n in range(6):
        _another(running, n)
    many = count()
    assert many == one
    client.force_login(personas.other_coordinator)
    assert client.get(url).status_code == 404
    client.force_login(personas.teacher)
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------------------------
# The reminder the day before, with a frozen clock


def test_the_reminder_goes_to_the_three_once_the_day_before(running, personas):
    start = first(running)
    with time_machine.travel(start.planned_at - dt.timedelta(days=2)):
        assert tasks.contact_moment_reminders.call() == {"reminded": 0}
    with time_machine.travel(start.planned_at - dt.timedelta(hours=20)):
        assert tasks.contact_moment_reminders.call() == {"reminded": 1}
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            [personas.student.email, running.supervisor.email, personas.teacher.email]
        )
        assert tasks.contact_moment_reminders.call() == {"reminded": 0}
    with time_machine.travel(start.planned_at - dt.timedelta(hours=2)):
        assert tasks.contact_moment_reminders.call() == {"reminded": 0}
    assert len(mail.outbox) == 3


def test_a_moved_moment_is_reminded_again(running, personas):
    start = first(running)
    now = start.planned_at - dt.timedelta(hours=20)
    assert services.contact_moments_remind(now=now) == {"reminded": 1}
    services.contact_moment_reschedule(
        moment=start,
        by=personas.teacher,
        planned_at=start.planned_at + dt.timedelta(hours=2),
        now=now,
    )
    assert services.contact_moments_remind(now=now + dt.timedelta(hours=3)) == {"reminded": 1}
    assert services.contact_moments_remind(now=now + dt.timedelta(hours=4)) == {"reminded": 0}


def test_the_reminder_job_is_registered_as_recurring():
    from stagebrug.core.hooks import recurring_jobs

    assert tasks.contact_moment_reminders in recurring_jobs.providers


# --------------------------------------------------------------------------------------------
# Links, the privacy export and erasure


def test_every_party_finds_the_link_and_the_coordinator_the_follow_up_list(
    client, running, personas
):
    client.force_login(personas.student)
    page = client.get(running.get_absolute_url()).content.decode()
    assert reverse("supervision:contacts", args=[running.pk]) in page
    client.force_login(personas.coordinator)
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("supervision:contacts_compliance", args=[running.institution.slug]) in page


def test_the_export_holds_the_records_and_erasure_removes_them(running, personas):
    from stagebrug.accounts.services import user_erase, user_export

    start = first(running)
    services.contact_moment_record(
        moment=start, by=personas.teacher, agreed="Afspraak over taken", now=start.planned_at
    )
    exported = user_export(user=personas.student)["contact_moments"]
    assert [m["agreed"] for m in exported if m["held"]] == ["Afspraak over taken"]
    user_erase(user=personas.student)
    start.refresh_from_db()
    assert (start.agreed, start.next_steps) == ("", "")
    assert start.held_at is not None
