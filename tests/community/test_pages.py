"""Community pages and API: the public events page and its filters, an event's page with
sign-up, the organiser's pages (403 for others), the door list, guest lectures, the partnership
record (the business's own and the school's partners), aftercare pages (404 for outsiders), and
constant query counts for the lists."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stagebrug.community import events
from stagebrug.community.aftercare import services as aftercare
from stagebrug.community.models import Event, Registration
from stagebrug.community.partnership import selectors as partnership
from stagebrug.community.partnership import services as partner_services
from stagebrug.internships import services as internships
from tests.community.conftest import person, publish, soon
from tests.supervision.conftest import running  # noqa: F401
from tests.supervision.test_attendance_pages import auth

pytestmark = pytest.mark.django_db


def test_the_events_page_is_public_filterable_and_paginated_in_constant_queries(client, personas):
    publish(personas, title="Open dag bakkerij", kind="open_day")
    publish(personas, title="Gastles deeg", kind="guest_lecture")
    body = client.get("/evenementen/?kind=open_day").content.decode()
    assert "Open dag bakkerij" in body and "Gastles deeg" not in body

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/evenementen/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(25):
        publish(personas, title=f"Borrel {n}")
    assert count() == few


def test_signing_up_on_the_page_and_the_waiting_list_message(client, event, personas):
    for n in range(2):
        events.event_sign_up(event=event, by=person(n))
    client.force_login(personas.student)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Op de wachtlijst" in page  # the button, when the event is full
    response = client.post(f"/evenementen/{event.pk}/aanmelden/", {"company": ""})
    assert response.status_code == 302
    assert Registration.objects.get(user=personas.student).status == "waiting"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "nummer 1" in page or "number 1" in page


def test_cancelling_on_the_page_needs_the_tick(client, event, personas):
    events.event_sign_up(event=event, by=personas.student)
    client.force_login(personas.student)
    client.post(f"/evenementen/{event.pk}/afmelden/", {})
    assert Registration.objects.get(user=personas.student).status == "confirmed"
    client.post(f"/evenementen/{event.pk}/afmelden/", {"confirm": "on"})
    assert Registration.objects.get(user=personas.student).status == "cancelled"


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "owner", "student"])
def test_only_the_organiser_changes_cancels_and_keeps_the_door(client, event, personas, who):
    client.force_login(getattr(personas, who))
    assert client.get(f"/evenementen/{event.pk}/wijzigen/").status_code == 403
    assert client.get(f"/evenementen/{event.pk}/deur/").status_code == 403
    assert client.post(f"/evenementen/{event.pk}/annuleren/", {"confirm": "on"}).status_code == 403
    # Another school's coordinator publishes for their own school, not for this one.
    expected = 200 if who == "other_coordinator" else 403
    assert client.get("/evenementen/nieuw/").status_code == expected
    event.refresh_from_db()
    assert event.state == Event.State.PUBLISHED


def test_the_coordinator_publishes_from_the_form(client, personas):
    client.force_login(personas.coordinator)
    start = soon(10)
    response = client.post(
        "/evenementen/nieuw/",
        {
            "school": personas.rocva.slug,
            "kind": "open_day",
            "title": "Open dag",
            "description": "Kom kijken.",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "venue": "Amstelcampus",
            "audience": "both",
            "capacity": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Event.objects.get()
    assert (made.institution, made.title) == (personas.rocva, "Open dag")
    bad = client.post(
        "/evenementen/nieuw/",
        {
            "school": personas.rocva.slug,
            "kind": "open_day",
            "title": "x",
            "description": "x",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
            "venue": "x",
            "audience": "both",
        },
    )
    assert bad.status_code == 400 and Event.objects.count() == 1


def test_the_door_list_marks_who_came_in_a_tap(client, event, personas):
    registration = events.event_sign_up(event=event, by=person(1))
    with time_machine.travel(event.starts_at):
        client.force_login(personas.coordinator)
        response = client.post(
            f"/evenementen/{event.pk}/deur/", {"registration": registration.pk, "present": "1"}
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None


def test_school_and_programme_pages_show_their_upcoming_events(client, personas):
    made = publish(personas, title="Netwerkavond horeca")
    body = client.get(f"/scholen/{personas.rocva.slug}/").content.decode()
    assert "Netwerkavond horeca" in body and made.get_absolute_url() in body
    other = client.get(f"/scholen/{personas.hva.slug}/").content.decode()
    assert "Netwerkavond horeca" not in other


def test_the_partnership_record_counts_per_school_year_with_empty_years(running, personas):  # noqa: F811
    records = partnership.company_record(company=personas.company)
    [record] = [r for r in records if r.institution == personas.rocva]
    assert record.totals.interns == 1 and record.totals.placements >= 1
    years = [y.year for y in record.years]
    assert years == sorted(years, reverse=True) and years == list(
        range(years[0], years[-1] - 1, -1)
    )
    internships.internship_stop(
        internship=running,
        by=personas.coordinator,
        reason="personal",
        note="Verhuisd",
        contact="all_three",
    )
    [record] = [
        r
        for r in partnership.company_record(company=personas.company)
        if r.institution == personas.rocva
    ]
    assert record.totals.stopped == 1


def test_the_public_page_shows_the_record_only_when_the_business_chooses(client, running, personas):  # noqa: F811
    url = f"/bedrijven/{personas.company.pk}/"
    personas.company.is_public = True
    personas.company.save(update_fields=["is_public"])
    assert "Partner van scholen" not in client.get(url).content.decode()
    partner_services.partner_record_show(company=personas.company, by=personas.owner, show=True)
    body = client.get(url).content.decode()
    assert "Partner van scholen" in body and personas.rocva.name in body
    with pytest.raises(Exception):  # noqa: B017  (PermissionDenied)
        partner_services.partner_record_show(
            company=personas.company, by=personas.outsider, show=False
        )


def test_the_schools_partners_sorted_and_those_quiet_for_a_year(client, running, personas):  # noqa: F811
    client.force_login(personas.coordinator)
    body = client.get(f"/scholen/{personas.rocva.slug}/partners/").content.decode()
    assert personas.company.name in body
    quiet = client.get(f"/scholen/{personas.rocva.slug}/partners/?stil=1").content.decode()
    assert personas.company.name not in quiet  # offered a place this year
    client.force_login(personas.other_coordinator)
    assert client.get(f"/scholen/{personas.rocva.slug}/partners/").status_code == 403


def test_aftercare_pages_belong_to_their_people(client, running, personas):  # noqa: F811
    internships.internship_complete(internship=running, by=personas.coordinator)
    url = f"/stagiairs/{running.pk}/contact-houden/"
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.owner)
    assert client.get(url).status_code == 403
    client.force_login(personas.student)
    response = client.post(url, {"share_email": "on", "side_job": "on"})
    assert response.status_code == 302
    client.force_login(personas.owner)
    body = client.get(f"/bedrijven/{personas.company.pk}/oud-stagiairs/").content.decode()
    assert personas.student.full_name in body and personas.student.email in body
    client.force_login(personas.outsider)
    assert client.get(f"/bedrijven/{personas.company.pk}/oud-stagiairs/").status_code in (403, 404)
    client.force_login(personas.student)
    client.post(url, {"withdraw": "1"})
    client.force_login(personas.owner)
    body = client.get(f"/bedrijven/{personas.company.pk}/oud-stagiairs/").content.decode()
    assert personas.student.full_name not in body
    assert aftercare.former_interns(company=personas.company).count() == 0


def test_the_api_signs_up_and_publishes_with_the_same_rules(client, event, personas):
    response = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {},
        content_type="application/json",
        **auth(personas.student),
    )
    assert response.status_code == 201 and response.json()["status"] == "confirmed"
    again = client.post(
        f"/api/v1/events/{event.pk}/registrations",
        {},
        content_type="application/json",
        **auth(personas.student),
    )
    assert again.status_code == 400
    listed = client.get("/api/v1/events").json()
    assert listed["count"] == 1 and listed["items"][0]["taken"] == 1
    refused = client.post(
        "/api/v1/events",
        {
            "school": personas.rocva.slug,
            "kind": "network",
            "title": "x",
            "description": "x",
            "starts_at": soon().isoformat(),
            "ends_at": (soon() + dt.timedelta(hours=1)).isoformat(),
            "venue": "x",
        },
        content_type="application/json",
        **auth(personas.owner),
    )
    assert refused.status_code == 403
    assert (
        client.get(f"/api/v1/events/{event.pk}/attendees", **auth(personas.student)).status_code
        == 404
    )


def test_bad_input_gets_a_reason_not_a_500(client, personas):
    assert client.get("/evenementen/?programme=²").status_code == 200
    assert client.get("/evenementen/agenda.ics?programme=99999999999999999999").status_code == 200
    naive = (soon() + dt.timedelta(days=1)).replace(tzinfo=None).isoformat()
    response = client.post(
        "/api/v1/events",
        {
            "school": personas.rocva.slug,
            "kind": "network",
            "title": "Borrel",
            "description": "x",
            "starts_at": naive,
            "ends_at": naive,
            "venue": "Campus",
        },
        content_type="application/json",
        **auth(personas.coordinator),
    )
    assert response.status_code == 400 and "ends_at" in response.json()["errors"]
    client.force_login(personas.coordinator)
    assert client.get("/gastlessen/vragen/?offer=²").status_code == 200
