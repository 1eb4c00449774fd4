"""The attendance pages, exports and API: who sees and does what, the messages on refusal, and
the supervisor's "today" in a fixed number of queries whatever the number of interns."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from stagebrug.accounts.services import api_token_create
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision import rules, services
from stagebrug.supervision.models import Attendance, Mark, WorkDay
from tests.factories import UserFactory
from tests.supervision.test_attendance import at, working_day

pytestmark = pytest.mark.django_db


def nl(text: str, **params) -> str:
    """The Dutch of a text of the code (the pages speak Dutch by default)."""
    with translation.override("nl"):
        out = translation.gettext(str(text))
    return out % params if params else out


def auth(user) -> dict:
    _token, raw = api_token_create(user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_today_leads_with_the_missed_intern_and_their_phone(client, running, personas):
    day = working_day(running)
    services.absences_prompt(now=at(day, "09:20"))
    with time_machine.travel(at(day, "09:25")):
        client.force_login(personas.supervisor)
        page = client.get(reverse("supervision:today")).content.decode()
    missed = page.index(nl("Not arrived, no word"))
    assert missed < page.index('href="tel:0611111111"')
    assert "We missen je vandaag, alles goed?" in page
    assert nl("I called") in page


def test_one_tap_on_today_marks_the_day(client, running, personas):
    day = working_day(running)
    with time_machine.travel(at(day, "09:05")):
        client.force_login(personas.supervisor)
        response = client.post(
            reverse("supervision:mark", args=[running.pk]),
            {"date": day.isoformat(), "mark": "present", "next": reverse("supervision:today")},
        )
    assert response.status_code == 302 and response.url == reverse("supervision:today")
    assert Attendance.objects.get(internship=running, date=day).mark == Mark.PRESENT


def test_a_refused_mark_on_today_says_why(client, running, personas):
    day = working_day(running, 2)
    with time_machine.travel(at(working_day(running), "09:05")):
        client.force_login(personas.supervisor)
        response = client.post(
            reverse("supervision:mark", args=[running.pk]),
            {"date": day.isoformat(), "mark": "present", "next": reverse("supervision:today")},
            follow=True,
        )
    assert nl(rules.IN_THE_FUTURE, date=day.isoformat()) in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_business_owner_may_not_mark_and_outsiders_get_404(client, running, personas):
    day = working_day(running)
    with time_machine.travel(at(day, "12:00")):
        client.force_login(personas.owner)
        assert (
            client.post(
                reverse("supervision:mark", args=[running.pk]),
                {"date": day.isoformat(), "mark": "absent"},
            ).status_code
            == 403
        )
        client.force_login(personas.outsider)
        assert client.get(reverse("supervision:attendance", args=[running.pk])).status_code == 404
        assert client.get(reverse("supervision:hours_export", args=[running.pk])).status_code == 404


def test_the_student_reports_sick_from_the_page(client, running, personas):
    day = working_day(running)
    with time_machine.travel(at(day, "07:30")):
        client.force_login(personas.student)
        page = client.get(reverse("supervision:attendance", args=[running.pk]))
        assert nl("Sick or late?") in page.content.decode()
        response = client.post(
            reverse("supervision:absence", args=[running.pk]),
            {"date": day.isoformat(), "mark": "sick", "note": "Buikgriep"},
        )
    assert response.status_code == 302
    row = Attendance.objects.get(internship=running, date=day)
    assert row.mark == Mark.SICK and row.announced


def test_a_late_report_after_the_start_is_refused_on_the_form(client, running, personas):
    day = working_day(running)
    with time_machine.travel(at(day, "09:30")):
        client.force_login(personas.student)
        response = client.post(
            reverse("supervision:absence", args=[running.pk]),
            {"date": day.isoformat(), "mark": "late", "minutes_late": "15"},
        )
    assert response.status_code == 400
    assert nl(rules.DAY_STARTED, time="09:00") in response.content.decode()


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_the_hours_record_per_internship_and_per_business(client, running, personas):
    first, second = working_day(running, 0), working_day(running, 1)
    services.attendance_mark(
        internship=running,
        by=personas.supervisor,
        day=first,
        mark=Mark.PRESENT,
        now=at(first, "18:00"),
    )
    services.attendance_mark(
        internship=running,
        by=personas.supervisor,
        day=second,
        mark=Mark.LATE,
        minutes_late=60,
        now=at(second, "18:00"),
    )
    with time_machine.travel(at(second, "18:00")):
        client.force_login(personas.owner)
        rows = read_csv(client.get(reverse("supervision:hours_export", args=[running.pk])))
        company = read_csv(
            client.get(reverse("supervision:company_hours", args=[running.placement.company_id]))
        )
    header, week = rows[0], rows[1]
    assert week[header.index(nl("Workplace hours"))] == "15.00"
    assert week[header.index(nl("Present"))] == "1" and week[header.index(nl("Late"))] == "1"
    assert company[1][0] == personas.student.full_name
    assert company[1][company[0].index(nl("Workplace hours"))] == "15.00"
    with time_machine.travel(at(second, "18:00")):
        client.force_login(personas.outsider)
        response = client.get(
            reverse("supervision:company_hours", args=[running.placement.company_id])
        )
    assert response.status_code == 404


def _more_running(running, n: int) -> None:
    """n more running internships of the same supervisor, each with a schedule."""
    for i in range(n):
        student = UserFactory(email=f"extra{i}@rocva.example", full_name=f"Extra {i}")
        other = Internship.objects.create(
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
        WorkDay.objects.bulk_create(
            WorkDay(internship=other, weekday=w, start=dt.time(9), end=dt.time(17))
            for w in range(4)
        )


def test_today_runs_the_same_queries_for_one_intern_and_for_many(client, running, personas):
    day = working_day(running)

    def count() -> int:
        with time_machine.travel(at(day, "10:00")):
            client.force_login(personas.supervisor)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(reverse("supervision:today")).status_code == 200
        return len(ctx.captured_queries)

    services.absences_prompt(now=at(day, "09:20"))
    one = count()
    _more_running(running, 6)
    services.absences_prompt(now=at(day, "09:40"))
    assert Attendance.objects.filter(date=day).count() == 7
    assert count() == one


def test_the_api_marks_reports_and_refuses_with_reasons(client, running, personas):
    day = working_day(running)
    path = f"/api/v1/internships/{running.pk}/attendance"
    with time_machine.travel(at(day, "07:00")):
        response = client.post(
            f"{path}/report",
            {"date": day.isoformat(), "mark": "late", "minutes_late": 20, "note": "Trein"},
            content_type="application/json",
            **auth(personas.student),
        )
        assert response.status_code == 201 and response.json()["announced"] is True
    with time_machine.travel(at(day, "12:00")):
        future = (day + dt.timedelta(days=1)).isoformat()
        response = client.put(
            path,
            {"date": future, "mark": "present"},
            content_type="application/json",
            **auth(personas.supervisor),
        )
        assert response.status_code == 400
        assert response.json()["errors"]["date"] == [nl(rules.IN_THE_FUTURE, date=future)]
        response = client.put(
            path,
            {"date": day.isoformat(), "mark": "late", "minutes_late": 20},
            content_type="application/json",
            **auth(personas.owner),
        )
        assert response.status_code == 403
        response = client.put(
            path,
            {"date": day.isoformat(), "mark": "late", "minutes_late": 20},
            content_type="application/json",
            **auth(personas.supervisor),
        )
        assert response.status_code == 200 and response.json()["announced"] is True
        assert client.get(path, **auth(personas.outsider)).status_code == 404
        listed = client.get(path, **auth(personas.teacher)).json()
        assert [a["mark"] for a in listed] == ["late"]
        weeks = client.get(f"/api/v1/internships/{running.pk}/weeks", **auth(personas.owner))
        assert weeks.status_code == 200 and weeks.json()[0]["counts"]["late"] == 1


def test_the_internship_page_says_when_to_call_and_who_sees_the_phone(client, running, personas):
    with time_machine.travel(at(working_day(running), "08:00")):
        client.force_login(personas.student)
        page = client.get(running.get_absolute_url()).content.decode()
        assert nl("When to call") in page and "Bel chef Bram vóór 8:00" in page
        assert "0611111111" not in page  # the student's own number is not shown as "to call"
        client.force_login(personas.supervisor)
        page = client.get(running.get_absolute_url()).content.decode()
        assert 'href="tel:0611111111"' in page
        client.force_login(personas.owner)
        assert "0611111111" not in client.get(running.get_absolute_url()).content.decode()
