"""A safe place to report: the student reports to the school, confidentially; the school
acknowledges, follows up and closes it; the student sees the status. Nobody at the business
sees a report or hears of one, in any channel: pages, API, exports, inbox and e-mail."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import api_token_create, membership_grant, user_erase, user_export
from stagebrug.applications.models import Notification
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship, Status
from stagebrug.supervision.models import Report
from stagebrug.supervision.reports import selectors, services

pytestmark = pytest.mark.django_db

TEXT = "De chef noemt mij steeds 'dat meisje' en schreeuwt als ik iets vraag. Ik durf niet meer."
REPLY = "We hebben je bericht gelezen. Ik bel je morgen om 10 uur, goed?"
BUSINESS = ["owner", "member", "supervisor"]
NOT_READERS = [*BUSINESS, "outsider", "other_coordinator", "operator"]
READERS = ["student", "teacher", "coordinator"]


def report(running, personas, text: str = TEXT, kind: str = Report.Kind.INTIMIDATION) -> Report:
    return services.report_create(internship=running, by=personas.student, kind=kind, text=text)


def business_people(personas) -> list:
    return [getattr(personas, who) for who in BUSINESS]


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": "Bearer " + api_token_create(user=user, name="t")[1]}


def nl(message, **params) -> str:
    with override("nl"):
        return str(message % params if params else message)


# --------------------------------------------------------------------------------------------
# Services


def test_the_student_reports_and_the_school_is_told_without_what_it_says(
    running, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        found = report(running, personas)
    assert found.state == Report.State.NEW and found.student == personas.student
    told = set(Notification.objects.filter(kind="report.new").values_list("user", flat=True))
    assert told == {personas.teacher.pk, personas.coordinator.pk}
    assert {m.to[0] for m in mail.outbox} == {personas.teacher.email, personas.coordinator.email}
    for message in mail.outbox:
        assert TEXT not in message.body and "chef" not in message.body.lower()
    for note in Notification.objects.all():
        assert TEXT not in note.title + note.body


def test_without_a_school_supervisor_only_the_schools_coordinators_are_told(running, personas):
    Internship.objects.filter(pk=running.pk).update(school_supervisor=None)
    running.refresh_from_db()
    report(running, personas)
    told = set(Notification.objects.filter(kind="report.new").values_list("user", flat=True))
    assert told == {personas.coordinator.pk}


@pytest.mark.parametrize("who", ["owner", "supervisor", "teacher", "coordinator"])
def test_only_the_internships_student_sends_a_report(running, personas, who):
    with pytest.raises(PermissionDenied):
        services.report_create(
            internship=running, by=getattr(personas, who), kind="unsafe", text=TEXT
        )
    assert not Report.objects.exists()


def test_a_report_needs_what_it_is_about_and_what_happened(running, personas):
    with pytest.raises(ValidationError) as caught:
        services.report_create(internship=running, by=personas.student, kind="x", text="  ")
    assert caught.value.message_dict == {
        "kind": [str(services.KIND_REQUIRED)],
        "text": [str(services.TEXT_REQUIRED)],
    }
    with pytest.raises(ValidationError) as caught:
        report(running, personas, text="x" * (services.TEXT_MAX + 1))
    assert "text" in caught.value.message_dict


def test_reports_are_taken_until_ninety_days_after_the_internship_ended(running, personas):
    # Noon, Amsterdam time, so that summer time between then and now moves no day.
    def days_ago(n: int) -> dt.datetime:
        day = timezone.localdate() - dt.timedelta(days=n)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    Internship.objects.filter(pk=running.pk).update(
        status=Status.COMPLETED, completed_at=days_ago(services.REPORT_WINDOW_DAYS)
    )
    running.refresh_from_db()
    assert report(running, personas).pk
    Internship.objects.filter(pk=running.pk).update(
        completed_at=days_ago(services.REPORT_WINDOW_DAYS + 1)
    )
    running.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        report(running, personas)
    assert caught.value.messages == [nl(services.WINDOW_CLOSED, days=90)]
    assert Report.objects.count() == 1


def test_acknowledging_records_who_read_it_and_tells_the_student_without_the_reply(
    running, personas, django_capture_on_commit_callbacks
):
    found = report(running, personas)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_update(
            report=found, by=personas.teacher, state=Report.State.ACKNOWLEDGED, reply=REPLY
        )
    found.refresh_from_db()
    assert found.state == Report.State.ACKNOWLEDGED
    assert found.handled_by == personas.teacher and found.acknowledged_at is not None
    assert found.reply == REPLY
    [note] = Notification.objects.filter(kind="report.updated")
    assert note.user == personas.student and REPLY not in note.body
    [message] = mail.outbox
    assert message.to == [personas.student.email]
    assert REPLY not in message.body and TEXT not in message.body


def test_a_report_moves_forward_only_and_stays_closed(running, personas):
    found = report(running, personas)
    services.report_update(report=found, by=personas.coordinator, state="in_progress", reply="")
    found.refresh_from_db()
    assert found.acknowledged_at is not None and found.handled_by == personas.coordinator
    with pytest.raises(ValidationError) as caught:
        services.report_update(report=found, by=personas.teacher, state="acknowledged", reply="")
    assert "state" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.report_update(report=found, by=personas.teacher, state="in_progress", reply="")
    services.report_update(report=found, by=personas.teacher, state="closed", reply=REPLY)
    found.refresh_from_db()
    assert found.closed_at is not None
    with pytest.raises(ValidationError) as caught:
        services.report_update(report=found, by=personas.teacher, state="closed", reply="More")
    assert caught.value.messages == [nl(services.ALREADY_CLOSED)]


@pytest.mark.parametrize("who", ["student", *NOT_READERS])
def test_only_the_school_follows_a_report_up(running, personas, who):
    found = report(running, personas)
    with pytest.raises(PermissionDenied):
        services.report_update(
            report=found, by=getattr(personas, who), state="acknowledged", reply=""
        )
    found.refresh_from_db()
    assert found.state == Report.State.NEW


def test_the_audit_log_keeps_who_did_what_but_never_what_was_said(running, personas):
    found = report(running, personas)
    services.report_update(report=found, by=personas.teacher, state="acknowledged", reply=REPLY)
    events = AuditEvent.objects.filter(object_type="supervision.report", object_id=str(found.pk))
    assert [e.action for e in events.order_by("id")] == ["report.create", "report.update"]
    dumped = json.dumps([[e.object_repr, e.changes] for e in events])
    assert TEXT not in dumped and REPLY not in dumped
    assert events.get(action="report.update").changes["state"] == ["new", "acknowledged"]


# --------------------------------------------------------------------------------------------
# Who reads a report


@pytest.mark.parametrize("who", READERS)
def test_the_student_and_the_school_read_the_report(running, personas, who):
    found = report(running, personas)
    assert selectors.report_for(user=getattr(personas, who), pk=found.pk) == found
    assert found in selectors.visible_reports(user=getattr(personas, who))


@pytest.mark.parametrize("who", NOT_READERS)
def test_the_business_operators_and_other_schools_do_not(running, personas, who):
    found = report(running, personas)
    assert selectors.report_for(user=getattr(personas, who), pk=found.pk) is None
    assert not selectors.visible_reports(user=getattr(personas, who)).exists()


def test_a_school_supervisor_who_also_works_at_the_business_does_not_read_it(running, personas):
    found = report(running, personas)
    membership_grant(user=personas.teacher, role=Role.COMPANY_MEMBER, company=personas.company)
    teacher = type(personas.teacher).objects.get(pk=personas.teacher.pk)  # fresh memberships
    assert selectors.report_for(user=teacher, pk=found.pk) is None
    assert not selectors.visible_reports(user=teacher).exists()


def test_an_unassigned_school_supervisor_of_the_same_school_does_not_read_it(running, personas):
    found = report(running, personas)
    Internship.objects.filter(pk=running.pk).update(school_supervisor=None)
    assert selectors.report_for(user=personas.teacher, pk=found.pk) is None
    assert selectors.report_for(user=personas.coordinator, pk=found.pk) is not None


# --------------------------------------------------------------------------------------------
# Pages


def test_the_student_finds_the_link_on_the_internship_page_and_the_business_does_not(
    client, running, personas
):
    report(running, personas)
    client.force_login(personas.student)
    page = client.get(running.get_absolute_url())
    assert "/melding/" in page.content.decode()
    for person in business_people(personas):
        client.force_login(person)
        page = client.get(running.get_absolute_url())
        assert page.status_code == 200
        content = page.content.decode()
        assert "/melding/" not in content and "vertrouwelijke-meldingen" not in content
        assert "confidential" not in content.lower() and TEXT not in content
    client.force_login(personas.teacher)
    content = client.get(running.get_absolute_url()).content.decode()
    assert f"/vertrouwelijke-meldingen/?stagiair={running.pk}" in content


def test_the_report_page_explains_where_else_to_go_and_lists_earlier_reports(
    client, running, personas
):
    found = report(running, personas)
    services.report_update(report=found, by=personas.teacher, state="acknowledged", reply=REPLY)
    client.force_login(personas.student)
    page = client.get(f"/stagiairs/{running.pk}/melding/")
    content = page.content.decode()
    assert page.status_code == 200
    assert "https://www.s-bb.nl" in content and "112" in content
    assert f"/vertrouwelijke-meldingen/{found.pk}/" in content and REPLY in content


@pytest.mark.parametrize("who", [*BUSINESS, "teacher", "coordinator", "outsider"])
def test_only_the_student_opens_the_report_form(client, running, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(f"/stagiairs/{running.pk}/melding/").status_code == 404
    response = client.post(f"/stagiairs/{running.pk}/melding/", {"kind": "unsafe", "text": TEXT})
    assert response.status_code == 404
    assert not Report.objects.exists()


def test_the_student_sends_a_report_from_the_page(client, running, personas):
    client.force_login(personas.student)
    response = client.post(f"/stagiairs/{running.pk}/melding/", {"kind": "unsafe", "text": ""})
    assert response.status_code == 400
    assert nl(services.TEXT_REQUIRED) in response.content.decode()
    response = client.post(f"/stagiairs/{running.pk}/melding/", {"kind": "unsafe", "text": TEXT})
    found = Report.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/vertrouwelijke-meldingen/{found.pk}/"
    )
    assert found.kind == "unsafe" and found.text == TEXT


@pytest.mark.parametrize("who", NOT_READERS)
def test_the_business_gets_404_on_the_report_page(client, running, personas, who):
    found = report(running, personas)
    client.force_login(getattr(personas, who))
    assert client.get(f"/vertrouwelijke-meldingen/{found.pk}/").status_code == 404
    response = client.post(
        f"/vertrouwelijke-meldingen/{found.pk}/", {"state": "closed", "reply": "x"}
    )
    assert response.status_code == 404
    found.refresh_from_db()
    assert found.state == Report.State.NEW


def test_the_school_acknowledges_and_replies_on_the_report_page(client, running, personas):
    found = report(running, personas)
    client.force_login(personas.teacher)
    page = client.get(f"/vertrouwelijke-meldingen/{found.pk}/")
    assert TEXT.replace("'", "&#x27;") in page.content.decode()
    response = client.post(
        f"/vertrouwelijke-meldingen/{found.pk}/", {"state": "acknowledged", "reply": REPLY}
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.state == "acknowledged" and found.reply == REPLY
    response = client.post(
        f"/vertrouwelijke-meldingen/{found.pk}/", {"state": "new", "reply": REPLY}
    )
    assert response.status_code == 400  # not a choice any more
    client.force_login(personas.student)
    page = client.get(f"/vertrouwelijke-meldingen/{found.pk}/")
    content = page.content.decode()
    assert REPLY in content and nl(Report.State.ACKNOWLEDGED.label) in content
    assert (
        client.post(f"/vertrouwelijke-meldingen/{found.pk}/", {"state": "closed"}).status_code
        == 403
    )


def test_the_school_list_shows_open_reports_first_to_school_staff_only(client, running, personas):
    first = report(running, personas, kind="discrimination")
    second = report(running, personas, kind="unsafe")
    services.report_update(report=second, by=personas.teacher, state="closed", reply="")
    url = f"/scholen/{personas.rocva.slug}/vertrouwelijke-meldingen/"
    for who in ("coordinator", "teacher"):
        client.force_login(getattr(personas, who))
        content = client.get(url).content.decode()
        assert content.index(f"/vertrouwelijke-meldingen/{first.pk}/") < content.index(
            f"/vertrouwelijke-meldingen/{second.pk}/"
        )
        assert TEXT not in content  # the list names the kind, not what happened
    for who in (*BUSINESS, "outsider", "other_coordinator", "student"):
        client.force_login(getattr(personas, who))
        assert client.get(url).status_code == 404, who


def test_the_school_list_costs_the_same_for_two_or_thirty_reports(client, running, personas):
    url = f"/scholen/{personas.rocva.slug}/vertrouwelijke-meldingen/"
    client.force_login(personas.coordinator)
    for _ in range(2):
        report(running, personas)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(28):
        report(running, personas)
    with CaptureQueriesContext(connection) as many:
        content = client.get(url).content.decode()
    assert len(many) == len(few)
    assert content.count('href="/vertrouwelijke-meldingen/') == 25  # a page holds 25


def test_school_staff_see_open_reports_on_their_dashboard_and_the_business_does_not(
    client, running, personas
):
    report(running, personas)
    client.force_login(personas.teacher)
    assert (
        f"/scholen/{personas.rocva.slug}/vertrouwelijke-meldingen/"
        in client.get("/account/").content.decode()
    )
    for person in business_people(personas):
        client.force_login(person)
        assert "vertrouwelijke-meldingen" not in client.get("/account/").content.decode()


# --------------------------------------------------------------------------------------------
# API


def test_the_student_files_and_reads_a_report_through_the_api(client, running, personas):
    headers = bearer(personas.student)
    response = client.post(
        f"/api/v1/internships/{running.pk}/reports",
        {"kind": "discrimination", "text": TEXT},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "new" and body["text"] == TEXT
    assert [r["id"] for r in client.get("/api/v1/reports", **headers).json()["items"]] == [
        body["id"]
    ]
    response = client.patch(
        f"/api/v1/reports/{body['id']}",
        {"state": "closed"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 403 and response.json()["detail"]


def test_the_school_follows_up_through_the_api_with_reasons_for_mistakes(client, running, personas):
    found = report(running, personas)
    headers = bearer(personas.teacher)
    url = f"/api/v1/reports/{found.pk}"
    assert client.get(url, **headers).json()["student_name"] == personas.student.full_name
    response = client.patch(url, {"state": "sideways"}, content_type="application/json", **headers)
    assert response.status_code == 400 and response.json()["errors"]["state"]
    response = client.patch(
        url,
        {"state": "acknowledged", "reply": REPLY},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json()["state"] == "acknowledged" and response.json()["acknowledged_at"]
    response = client.patch(url, {"state": "new"}, content_type="application/json", **headers)
    assert response.status_code == 400 and response.json()["detail"]
    assert client.get(f"/api/v1/reports/{2**60}", **headers).status_code == 422


@pytest.mark.parametrize("who", NOT_READERS)
def test_the_api_does_not_show_a_report_to_the_business(client, running, personas, who):
    found = report(running, personas)
    headers = bearer(getattr(personas, who))
    listed = client.get("/api/v1/reports", **headers)
    assert listed.status_code == 200 and listed.json()["items"] == []
    detail = client.get(f"/api/v1/reports/{found.pk}", **headers)
    assert detail.status_code == 404 and TEXT not in detail.content.decode()
    response = client.patch(
        f"/api/v1/reports/{found.pk}",
        {"state": "closed"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    response = client.post(
        f"/api/v1/internships/{running.pk}/reports",
        {"kind": "other", "text": "x"},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 404
    assert Report.objects.count() == 1


def test_the_api_list_costs_the_same_for_two_or_ten_reports(client, running, personas):
    headers = bearer(personas.coordinator)
    for _ in range(2):
        report(running, personas)
    client.get("/api/v1/reports", **headers)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/reports", **headers).json()["items"]) == 2
    for _ in range(8):
        report(running, personas)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/reports", **headers).json()["items"]) == 10
    assert len(many) == len(few)


# --------------------------------------------------------------------------------------------
# Exports, e-mail and erasure: the business never


def test_the_students_export_holds_their_reports_and_the_business_exports_do_not(running, personas):
    found = report(running, personas)
    services.report_update(report=found, by=personas.teacher, state="acknowledged", reply=REPLY)
    [exported] = user_export(user=personas.student)["confidential_reports"]
    assert exported["text"] == TEXT and exported["reply"] == REPLY
    assert exported["state"] == "acknowledged"
    for person in business_people(personas):
        dumped = json.dumps(user_export(user=person), default=str)
        assert TEXT not in dumped and REPLY not in dumped
        assert '"confidential_reports": []' in dumped


def test_the_hours_record_of_the_internship_and_the_company_holds_no_report(
    client, running, personas
):
    report(running, personas)
    client.force_login(personas.owner)
    for url in (
        f"/stagiairs/{running.pk}/aanwezigheid/uren.csv",
        f"/bedrijven/{personas.company.pk}/uren.csv",
    ):
        response = client.get(url)
        if response.status_code == 404:
            pytest.skip("the hours export is not there yet")
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert TEXT.encode() not in content
        assert "vertrouwelijk" not in content.decode().lower()


def test_no_message_about_a_report_ever_goes_to_the_business(
    running, personas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        found = report(running, personas)
        services.report_update(report=found, by=personas.teacher, state="acknowledged", reply=REPLY)
        services.report_update(report=found, by=personas.coordinator, state="closed", reply=REPLY)
    business = business_people(personas)
    business_emails = {p.email for p in business}
    assert mail.outbox
    for message in mail.outbox:
        assert not business_emails & set(message.to + message.cc + message.bcc)
        assert TEXT not in message.subject + message.body
        assert REPLY not in message.subject + message.body
    notes = Notification.objects.filter(kind__startswith="report.")
    assert notes.count() == 2 + 2  # the school twice (new); the student twice (updates)
    assert not notes.filter(user__in=business).exists()
    assert not Notification.objects.filter(
        user__in=business, created_at__gte=found.created_at
    ).exists()


def test_erasing_the_student_blanks_the_report_and_keeps_what_kind_it_was(running, personas):
    found = report(running, personas)
    services.report_update(report=found, by=personas.teacher, state="acknowledged", reply=REPLY)
    user_erase(user=personas.student)
    found.refresh_from_db()
    assert found.text == "" and found.reply == "" and found.student is None
    assert found.kind == Report.Kind.INTIMIDATION and found.state == "acknowledged"
    events = AuditEvent.objects.filter(object_type="supervision.report", object_id=str(found.pk))
    assert events.exists() and not any(e.changes or e.object_repr for e in events)


def test_after_the_window_the_page_sends_the_student_to_the_school_directly(
    client, running, personas
):
    Internship.objects.filter(pk=running.pk).update(
        status=Status.COMPLETED, completed_at=timezone.now() - dt.timedelta(days=120)
    )
    client.force_login(personas.student)
    page = client.get(f"/stagiairs/{running.pk}/melding/")
    assert page.status_code == 200 and b'name="text"' not in page.content
    assert b"https://www.s-bb.nl" in page.content
    response = client.post(f"/stagiairs/{running.pk}/melding/", {"kind": "unsafe", "text": TEXT})
    assert response.status_code == 400 and not Report.objects.exists()
