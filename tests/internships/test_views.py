"""The internship pages, party by party: who sees the page and what is on it, who may use which
form, what a refused or a wrong change answers, and the coordinator's and company's lists.

Outsiders (a foreign company, the other school, a school supervisor who was not assigned) get
404 on every internship URL; a party acting outside their own part gets 403; a wrong value
re-renders the page with 400 and the message on the form.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.applications import services as application_services
from stagebrug.applications.models import StudentProfile
from stagebrug.core.models import AuditEvent
from stagebrug.internships import services
from stagebrug.internships.models import Internship, Status, StopReason
from stagebrug.placements import services as placement_services
from stagebrug.registry.models import EducationLevel
from tests.agreements.conftest import signed_by_everyone
from tests.dates import TODAY, on
from tests.factories import SupervisorFactory, UserFactory, confirm_internship
from tests.placements.factories import kok_programme, make_placement

pytestmark = pytest.mark.django_db

SECRET = "Geef mij één taak tegelijk en bel als ik te laat ben."
# The Dutch texts of the detail page (stagebrug/locale/nl/LC_MESSAGES/django.po).
NOTES_HEADING = "Hoe je deze student het best benadert"
BUSINESS_HEADING = "Begeleiding in je bedrijf"
SCHOOL_HEADING = "Begeleiding vanuit school"
DATES_HEADING = "Data en uren"
TIMELINE_HEADING = "Tijdlijn"
STOP_LINK = "De stage voortijdig stoppen"
CONFIRMED_LABEL = "Stage bevestigd"


def detail(internship) -> str:
    return f"/stagiairs/{internship.pk}/"


def nl(message, **params) -> str:
    with translation.override("nl"):
        return str(message % params if params else message)


def flashed(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def given(internship, **fields):
    """Put the internship in the state a test starts from, directly: a precondition, not the
    change under test."""
    Internship.objects.filter(pk=internship.pk).update(**fields)
    internship.refresh_from_db()
    return internship


def assign_teacher(internship, personas):
    return given(internship, school_supervisor=personas.teacher)


def stopped(internship, *, by, reason, note):
    return given(
        internship,
        status=Status.STOPPED,
        stopped_at=timezone.now(),
        stopped_by=by,
        stop_reason=reason,
        stop_note=note,
    )


def make_student(name: str, programme=None):
    """A Kok student of ROC van Amsterdam with a profile (as tests/matching/conftest.py)."""
    programme = programme or kok_programme()
    email = name.lower().replace(" ", ".") + "@student.rocva.example"
    user = UserFactory(email=email, full_name=name)
    membership_grant(
        user=user, role=Role.STUDENT, institution=programme.institution, programme=programme
    )
    StudentProfile.objects.create(user=user, programme=programme, year=2)
    return user


def published_placement(personas, *, title: str, positions: int):
    """Another of company A's kitchen placements, approved for Kok by the ROC."""
    chef = personas.company.supervisors.get(name="Chef Bram")
    placement = make_placement(
        personas.company, personas.owner, title=title, positions=positions, buddy=chef
    )
    placement_services.placement_submit(placement=placement, by=personas.owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=personas.coordinator, approve=True
    )
    placement.refresh_from_db()
    return placement


@pytest.fixture
def notes(kok_student, personas):
    """The student wrote how best to approach them (W14)."""
    return application_services.support_note_add(
        profile=kok_student, by=personas.student, text=SECRET
    )


@pytest.fixture
def other_supervisor(personas):
    """A supervisor of company B: not one company A may name."""
    return SupervisorFactory(company=personas.other_company, by=personas.outsider, name="Chef Wim")


# --------------------------------------------------------------------------------------------
# The detail page: who sees it, and what


@pytest.mark.parametrize(
    "who",
    ["student", "supervisor", "owner", "member", "coordinator", "teacher", "operator"],
)
def test_every_party_gets_200_on_the_internship_page(client, internship, personas, who):
    if who == "teacher":
        assign_teacher(internship, personas)
    client.force_login(getattr(personas, who))
    response = client.get(detail(internship))
    assert response.status_code == 200
    assert response.context["internship"] == internship
    html = response.content.decode()
    assert internship.placement.title in html
    assert "Chef Bram" in html  # everyone sees whom to go to at the workplace


# What each party finds on the page: the support notes, the business's form, the school's
# forms, the stop link, the timeline.
SEES = {
    "student": set(),
    "supervisor": {"notes"},
    "owner": {"business", "stop"},
    "member": {"business", "stop"},
    "coordinator": {"school", "stop", "timeline"},
    "teacher": {"timeline"},
    "operator": {"business", "school", "stop", "timeline"},
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_party_sees_only_what_their_part_may_see(client, internship, personas, notes, who):
    if who == "teacher":
        assign_teacher(internship, personas)
    client.force_login(getattr(personas, who))
    response = client.get(detail(internship))
    context, html = response.context, response.content.decode()
    expected = SEES[who]

    assert (context.get("notes") is not None) == ("notes" in expected)
    assert (NOTES_HEADING in html) == ("notes" in expected)
    assert (SECRET in html) == ("notes" in expected)

    assert ("supervisors_form" in context) == ("business" in expected)
    assert (BUSINESS_HEADING in html) == ("business" in expected)

    assert ("school_form" in context) == ("school" in expected)
    assert ("dates_form" in context) == ("school" in expected)
    assert (SCHOOL_HEADING in html) == ("school" in expected)
    assert (DATES_HEADING in html) == ("school" in expected)

    assert context["may_stop"] == ("stop" in expected)
    assert (f"/stagiairs/{internship.pk}/stoppen/" in html) == ("stop" in expected)

    assert (context.get("timeline") is not None) == ("timeline" in expected)
    assert (TIMELINE_HEADING in html) == ("timeline" in expected)


def test_the_workplace_supervisor_reads_the_support_notes_and_the_reading_is_logged(
    client, internship, personas, notes
):
    client.force_login(personas.supervisor)
    response = client.get(detail(internship))
    assert list(response.context["notes"]) == [notes]
    assert AuditEvent.objects.filter(
        action="support_notes.read", actor=personas.supervisor
    ).exists()


@pytest.mark.parametrize("who", ["owner", "member", "coordinator", "teacher", "operator"])
def test_the_business_and_the_school_never_see_the_support_notes(
    client, internship, personas, notes, who
):
    if who == "teacher":
        assign_teacher(internship, personas)
    client.force_login(getattr(personas, who))
    response = client.get(detail(internship))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()
    assert NOTES_HEADING not in response.content.decode()


def test_a_buddy_who_is_not_the_workplace_supervisor_sees_the_page_but_not_the_notes(
    client, internship, personas, notes
):
    bo = UserFactory(email="bo@a.example", full_name="Bo Buddy")
    membership_grant(user=bo, role=Role.COMPANY_SUPERVISOR, company=personas.company)
    record = SupervisorFactory(
        company=personas.company, by=personas.owner, name="Bo Buddy", email=bo.email
    )
    record.user = bo
    record.save(update_fields=["user"])
    given(internship, buddy=record)
    client.force_login(bo)
    response = client.get(detail(internship))
    assert response.status_code == 200
    assert response.context["roles"] == {"buddy"}
    assert response.context.get("notes") is None
    assert SECRET not in response.content.decode()


def test_the_workplace_supervisor_no_longer_reads_the_notes_once_the_internship_stopped(
    client, internship, personas, notes
):
    stopped(internship, by=personas.coordinator, reason=StopReason.OTHER, note="Verhuisd.")
    client.force_login(personas.supervisor)
    response = client.get(detail(internship))
    assert response.status_code == 200
    assert SECRET not in response.content.decode()


def test_the_coordinator_sees_the_timeline_with_the_confirmation(client, internship, personas):
    client.force_login(personas.coordinator)
    response = client.get(detail(internship))
    assert [e.action for e in response.context["timeline"]] == ["internship.confirmed"]
    assert CONFIRMED_LABEL in response.content.decode()


def test_a_stopped_internship_shows_no_forms_to_anyone(client, internship, personas):
    stopped(internship, by=personas.owner, reason=StopReason.BUSINESS, note="Failliet.")
    for who in ("owner", "coordinator", "operator"):
        client.force_login(getattr(personas, who))
        response = client.get(detail(internship))
        assert response.status_code == 200
        for form in ("supervisors_form", "school_form", "dates_form"):
            assert form not in response.context, (who, form)
        assert response.context["may_stop"] is False
        assert "Failliet." in response.content.decode()


# --------------------------------------------------------------------------------------------
# Outsiders: 404 everywhere, and nothing changes


def all_urls(internship) -> list[tuple[str, str, dict]]:
    pk = internship.pk
    return [
        ("get", f"/stagiairs/{pk}/", {}),
        ("get", f"/stagiairs/{pk}/stoppen/", {}),
        ("post", f"/stagiairs/{pk}/begeleiders/", {"supervisor": "", "buddy": ""}),
        ("post", f"/stagiairs/{pk}/stagedocent/", {"school_supervisor": ""}),
        (
            "post",
            f"/stagiairs/{pk}/afspraken/",
            {"start_date": TODAY.isoformat(), "end_date": TODAY.isoformat(), "hours_per_week": 8},
        ),
        ("post", f"/stagiairs/{pk}/start/", {}),
        ("post", f"/stagiairs/{pk}/complete/", {}),
        (
            "post",
            f"/stagiairs/{pk}/stoppen/",
            {"reason": "other", "contact": "none", "note": "x", "confirm": "on"},
        ),
    ]


@pytest.mark.parametrize("who", ["outsider", "other_coordinator", "teacher"])
def test_people_without_a_part_get_404_on_every_internship_url_and_change_nothing(
    client, internship, personas, notes, who
):
    client.force_login(getattr(personas, who))
    before = Internship.objects.values().get(pk=internship.pk)
    for method, url, data in all_urls(internship):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (who, method, url, response.status_code)
        assert "Stan Student" not in response.content.decode()
        assert SECRET not in response.content.decode()
    assert Internship.objects.values().get(pk=internship.pk) == before


def test_a_foreign_company_gets_404_on_the_internship_page(client, internship, personas):
    client.force_login(personas.outsider)
    assert client.get(detail(internship)).status_code == 404


def test_a_school_supervisor_gets_the_page_once_assigned_and_loses_it_when_replaced(
    client, internship, personas
):
    client.force_login(personas.teacher)
    assert client.get(detail(internship)).status_code == 404
    assign_teacher(internship, personas)
    assert client.get(detail(internship)).status_code == 200
    given(internship, school_supervisor=personas.coordinator)
    assert client.get(detail(internship)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page_on_every_internship_url(client, internship):
    for method, url, data in all_urls(internship):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/account/inloggen/"), (method, url)
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


def test_an_internship_that_does_not_exist_is_a_404(client, internship, personas):
    client.force_login(personas.operator)
    assert client.get(f"/stagiairs/{internship.pk + 1000}/").status_code == 404


# --------------------------------------------------------------------------------------------
# Supervisors: the business's part


def test_the_owner_names_the_workplace_supervisor_and_the_buddy(client, internship, personas):
    petra = SupervisorFactory(company=personas.company, by=personas.owner, name="Petra Praktijk")
    client.force_login(personas.owner)
    response = client.post(
        f"/stagiairs/{internship.pk}/begeleiders/", {"supervisor": petra.pk, "buddy": ""}
    )
    assert response.status_code == 302 and response["Location"] == detail(internship)
    internship.refresh_from_db()
    assert internship.supervisor == petra
    assert internship.buddy is None
    assert AuditEvent.objects.filter(
        action="internship.supervisors", object_id=str(internship.pk), actor=personas.owner
    ).exists()


def test_a_colleague_may_name_the_supervisors_too(client, internship, personas):
    petra = SupervisorFactory(company=personas.company, by=personas.owner, name="Petra Praktijk")
    client.force_login(personas.member)
    response = client.post(
        f"/stagiairs/{internship.pk}/begeleiders/", {"supervisor": "", "buddy": petra.pk}
    )
    assert response.status_code == 302
    internship.refresh_from_db()
    assert (internship.supervisor, internship.buddy) == (None, petra)


@pytest.mark.parametrize("who", ["student", "supervisor", "coordinator", "teacher"])
def test_parties_outside_the_business_may_not_set_the_supervisors(
    client, internship, personas, who
):
    if who == "teacher":
        assign_teacher(internship, personas)
    petra = SupervisorFactory(company=personas.company, by=personas.owner, name="Petra Praktijk")
    client.force_login(getattr(personas, who))
    response = client.post(
        f"/stagiairs/{internship.pk}/begeleiders/", {"supervisor": petra.pk, "buddy": ""}
    )
    assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.supervisor.name == "Chef Bram"
    assert internship.buddy.name == "Chef Bram"


def test_a_supervisor_of_another_company_is_refused_on_the_form(
    client, internship, personas, other_supervisor
):
    client.force_login(personas.owner)
    response = client.post(
        f"/stagiairs/{internship.pk}/begeleiders/",
        {"supervisor": other_supervisor.pk, "buddy": ""},
    )
    assert response.status_code == 400
    form = response.context["supervisors_form"]
    assert form.is_bound and "supervisor" in form.errors
    internship.refresh_from_db()
    assert internship.supervisor.name == "Chef Bram"


def test_setting_the_supervisors_needs_a_post(client, internship, personas):
    client.force_login(personas.owner)
    assert client.get(f"/stagiairs/{internship.pk}/begeleiders/").status_code == 405


# --------------------------------------------------------------------------------------------
# School supervisor: the coordinator's part


def test_the_coordinator_assigns_the_school_supervisor(client, internship, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/stagiairs/{internship.pk}/stagedocent/", {"school_supervisor": personas.teacher.pk}
    )
    assert response.status_code == 302 and response["Location"] == detail(internship)
    internship.refresh_from_db()
    assert internship.school_supervisor == personas.teacher
    assert personas.teacher.notifications.filter(kind="internship.school_supervisor").exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "owner", "member"])
def test_parties_outside_the_school_may_not_assign_the_school_supervisor(
    client, internship, personas, who
):
    client.force_login(getattr(personas, who))
    response = client.post(
        f"/stagiairs/{internship.pk}/stagedocent/", {"school_supervisor": personas.teacher.pk}
    )
    assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.school_supervisor is None


def test_an_assigned_school_supervisor_may_not_reassign_it(client, internship, personas):
    assign_teacher(internship, personas)
    client.force_login(personas.teacher)
    response = client.post(f"/stagiairs/{internship.pk}/stagedocent/", {"school_supervisor": ""})
    assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.school_supervisor == personas.teacher


def test_someone_who_is_not_staff_of_the_school_cannot_be_the_school_supervisor(
    client, internship, personas
):
    client.force_login(personas.coordinator)
    for stranger in (personas.other_coordinator, personas.owner, personas.student):
        response = client.post(
            f"/stagiairs/{internship.pk}/stagedocent/", {"school_supervisor": stranger.pk}
        )
        assert response.status_code == 400, stranger
        assert "school_supervisor" in response.context["school_form"].errors
    internship.refresh_from_db()
    assert internship.school_supervisor is None


# --------------------------------------------------------------------------------------------
# Dates and hours: the coordinator's part


def test_the_coordinator_changes_the_dates_and_hours(client, internship, personas):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/stagiairs/{internship.pk}/afspraken/",
        {
            "start_date": on(3, 1).isoformat(),
            "end_date": on(6, 30).isoformat(),
            "hours_per_week": 24,
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(internship)
    internship.refresh_from_db()
    assert (internship.start_date, internship.end_date, internship.hours_per_week) == (
        on(3, 1),
        on(6, 30),
        24,
    )
    event = AuditEvent.objects.get(action="internship.updated", object_id=str(internship.pk))
    assert event.actor == personas.coordinator


@pytest.mark.parametrize("who", ["student", "supervisor", "owner", "member", "teacher"])
def test_parties_outside_the_school_may_not_change_the_dates(client, internship, personas, who):
    if who == "teacher":
        assign_teacher(internship, personas)
    client.force_login(getattr(personas, who))
    response = client.post(
        f"/stagiairs/{internship.pk}/afspraken/",
        {
            "start_date": on(3, 1).isoformat(),
            "end_date": on(6, 30).isoformat(),
            "hours_per_week": 8,
        },
    )
    assert response.status_code == 403
    internship.refresh_from_db()
    assert internship.hours_per_week == 32
    assert internship.start_date == on(2, 1)


def test_an_end_date_before_the_start_date_re_renders_the_form_with_400(
    client, internship, personas
):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/stagiairs/{internship.pk}/afspraken/",
        {
            "start_date": on(3, 1).isoformat(),
            "end_date": on(2, 1).isoformat(),
            "hours_per_week": 32,
        },
    )
    assert response.status_code == 400
    form = response.context["dates_form"]
    assert form.is_bound and not form.is_valid()
    assert nl(services.END_BEFORE_START) in response.content.decode()
    internship.refresh_from_db()
    assert internship.start_date == on(2, 1)


def test_an_end_date_before_the_start_date_is_shown_on_the_end_date_field(
    client, internship, personas
):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/stagiairs/{internship.pk}/afspraken/",
        {
            "start_date": on(3, 1).isoformat(),
            "end_date": on(2, 1).isoformat(),
            "hours_per_week": 32,
        },
    )
    assert response.context["dates_form"].errors.get("end_date") == [nl(services.END_BEFORE_START)]


def test_an_internship_longer_than_two_years_is_refused_on_the_end_date_field(
    client, internship, personas
):
    client.force_login(personas.coordinator)
    response = client.post(
        f"/stagiairs/{internship.pk}/afspraken/",
        {
            "start_date": on(2, 1).isoformat(),
            "end_date": on(2, 1, 3).isoformat(),
            "hours_per_week": 32,
        },
    )
    assert response.status_code == 400
    assert response.context["dates_form"].errors["end_date"] == [nl(services.TOO_LONG)]
    internship.refresh_from_db()
    assert internship.end_date < on(1, 1, 1)


def test_hours_outside_4_to_40_are_refused_on_the_hours_field(client, internship, personas):
    client.force_login(personas.coordinator)
    for hours in (2, 41):
        response = client.post(
            f"/stagiairs/{internship.pk}/afspraken/",
            {
                "start_date": on(2, 1).isoformat(),
                "end_date": on(6, 1).isoformat(),
                "hours_per_week": hours,
            },
        )
        assert response.status_code == 400, hours
        assert "hours_per_week" in response.context["dates_form"].errors
    internship.refresh_from_db()
    assert internship.hours_per_week == 32


# --------------------------------------------------------------------------------------------
# Start and complete: the coordinator's part


def starts_today(internship):
    return given(internship, start_date=TODAY, end_date=TODAY + dt.timedelta(weeks=20))


def test_the_coordinator_starts_and_completes_the_internship(client, internship, personas):
    signed_by_everyone(internship, personas)
    starts_today(internship)
    client.force_login(personas.coordinator)
    response = client.post(f"/stagiairs/{internship.pk}/start/")
    assert response.status_code == 302 and response["Location"] == detail(internship)
    internship.refresh_from_db()
    assert internship.status == Status.ACTIVE and internship.started_at is not None
    response = client.post(f"/stagiairs/{internship.pk}/complete/")
    assert response.status_code == 302
    internship.refresh_from_db()
    assert internship.status == Status.COMPLETED and internship.completed_at is not None


def test_an_internship_does_not_start_before_its_start_date(client, internship, personas):
    client.force_login(personas.coordinator)
    response = client.post(f"/stagiairs/{internship.pk}/start/")
    assert response.status_code == 302
    assert flashed(response) == [
        nl(services.START_TOO_EARLY, date=internship.start_date.isoformat())
    ]
    internship.refresh_from_db()
    assert internship.status == Status.CONFIRMED


def test_a_confirmed_internship_cannot_be_completed(client, internship, personas):
    client.force_login(personas.coordinator)
    response = client.post(f"/stagiairs/{internship.pk}/complete/")
    assert response.status_code == 302
    assert len(flashed(response)) == 1
    internship.refresh_from_db()
    assert internship.status == Status.CONFIRMED


@pytest.mark.parametrize("who", ["student", "supervisor", "owner", "member", "teacher"])
@pytest.mark.parametrize("action", ["start", "complete"])
def test_parties_outside_the_school_may_not_start_or_complete(
    client, internship, personas, who, action
):
    starts_today(internship)
    if action == "complete":
        given(internship, status=Status.ACTIVE, started_at=timezone.now())
    if who == "teacher":
        assign_teacher(internship, personas)
    before = Internship.objects.get(pk=internship.pk).status
    client.force_login(getattr(personas, who))
    response = client.post(f"/stagiairs/{internship.pk}/{action}/")
    assert response.status_code == 403
    assert Internship.objects.get(pk=internship.pk).status == before


def test_an_unknown_status_action_is_a_404(client, internship, personas):
    client.force_login(personas.coordinator)
    assert client.post(f"/stagiairs/{internship.pk}/herstarten/").status_code == 404


def test_start_needs_a_post(client, internship, personas):
    client.force_login(personas.coordinator)
    assert client.get(f"/stagiairs/{internship.pk}/start/").status_code == 405


# --------------------------------------------------------------------------------------------
# Stopping: the school's or the business's part, with a reason, a note and a confirmation

STOP = {
    "reason": StopReason.SUPERVISION.value,
    "contact": "all_three",
    "note": "Geen begeleiding in de keuken.",
    "confirm": "on",
}


@pytest.mark.parametrize("who", ["coordinator", "owner", "member"])
def test_the_school_and_the_business_stop_an_internship_on_the_record(
    client, internship, personas, who
):
    user = getattr(personas, who)
    client.force_login(user)
    page = client.get(f"/stagiairs/{internship.pk}/stoppen/")
    assert page.status_code == 200
    assert STOP_LINK in page.content.decode()
    response = client.post(f"/stagiairs/{internship.pk}/stoppen/", STOP)
    assert response.status_code == 302 and response["Location"] == detail(internship)
    internship.refresh_from_db()
    assert internship.status == Status.STOPPED
    assert internship.stop_reason == StopReason.SUPERVISION
    assert internship.stop_note == STOP["note"]
    assert internship.stop_contact == "all_three"
    assert internship.stopped_by == user
    assert internship.stopped_at is not None
    assert personas.student.notifications.filter(kind="internship.stopped").exists()


@pytest.mark.parametrize("who", ["student", "supervisor", "teacher"])
def test_parties_outside_the_school_and_the_business_may_not_stop(
    client, internship, personas, who
):
    if who == "teacher":
        assign_teacher(internship, personas)
    client.force_login(getattr(personas, who))
    assert client.get(f"/stagiairs/{internship.pk}/stoppen/").status_code == 403
    assert client.post(f"/stagiairs/{internship.pk}/stoppen/", STOP).status_code == 403
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


@pytest.mark.parametrize("missing", ["reason", "contact", "note", "confirm"])
def test_stopping_needs_a_reason_a_note_and_the_confirmation(client, internship, personas, missing):
    client.force_login(personas.coordinator)
    data = {k: v for k, v in STOP.items() if k != missing}
    response = client.post(f"/stagiairs/{internship.pk}/stoppen/", data)
    assert response.status_code == 200  # the stop page again, with the form's errors
    assert list(response.context["form"].errors) == [missing]
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


def test_a_blank_note_or_an_unknown_reason_does_not_stop_it(client, internship, personas):
    client.force_login(personas.coordinator)
    for data in ({**STOP, "note": "   "}, {**STOP, "reason": "verveeld"}):
        response = client.post(f"/stagiairs/{internship.pk}/stoppen/", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Internship.objects.get(pk=internship.pk).status == Status.CONFIRMED


def test_a_stopped_internship_cannot_be_stopped_again(client, internship, personas):
    stopped(internship, by=personas.owner, reason=StopReason.BUSINESS, note="Failliet.")
    client.force_login(personas.coordinator)
    response = client.post(f"/stagiairs/{internship.pk}/stoppen/", STOP)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    internship.refresh_from_db()
    assert (internship.stop_reason, internship.stopped_by) == (StopReason.BUSINESS, personas.owner)


# --------------------------------------------------------------------------------------------
# The coordinator's list


@pytest.fixture
def school(internship, personas, published):
    """Three internships of the ROC: Stan (confirmed, no school supervisor yet), Anna
    (confirmed, Tess Teacher supervises) and Bram (stopped early)."""
    anna = make_student("Anna Aydin")
    bram = make_student("Bram Bakker")
    anna_i = confirm_internship(student=anna, placement=published)
    assign_teacher(anna_i, personas)
    other = published_placement(personas, title="Stage lunchroom (MBO 2)", positions=1)
    bram_i = confirm_internship(student=bram, placement=other)
    stopped(bram_i, by=personas.coordinator, reason=StopReason.STUDY, note="Gestopt.")
    return {"stan": internship, "anna": anna_i, "bram": bram_i}


def listed(response) -> set[int]:
    return {i.pk for i in response.context["page_obj"].object_list}


def school_url(personas) -> str:
    return f"/scholen/{personas.rocva.slug}/stagiairs/"


def test_the_coordinator_sees_every_internship_of_the_school(client, school, personas):
    client.force_login(personas.coordinator)
    response = client.get(school_url(personas))
    assert response.status_code == 200
    assert listed(response) == {i.pk for i in school.values()}
    html = response.content.decode()
    for name in ("Stan Student", "Anna Aydin", "Bram Bakker", "Tess Teacher"):
        assert name in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "stopped"}, {"bram"}),
        ({"status": "confirmed"}, {"stan", "anna"}),
        ({"school_supervisor": "none"}, {"stan", "bram"}),
        ({"q": "aydin"}, {"anna"}),
        ({"q": "lunchroom"}, {"bram"}),
        ({"q": "Bakkerij"}, {"stan", "anna", "bram"}),
        ({"status": "confirmed", "school_supervisor": "none"}, {"stan"}),
    ],
)
def test_the_coordinator_filters_the_list(client, school, personas, query, expected):
    client.force_login(personas.coordinator)
    response = client.get(school_url(personas), query)
    assert response.status_code == 200
    assert listed(response) == {school[k].pk for k in expected}


def test_the_coordinator_filters_by_school_supervisor_and_by_programme(client, school, personas):
    client.force_login(personas.coordinator)
    response = client.get(school_url(personas), {"school_supervisor": personas.teacher.pk})
    assert listed(response) == {school["anna"].pk}
    response = client.get(school_url(personas), {"programme": kok_programme().pk})
    assert listed(response) == {i.pk for i in school.values()}
    other = personas.rocva.programmes.exclude(pk=kok_programme().pk).first()
    response = client.get(school_url(personas), {"programme": other.pk})
    assert listed(response) == set()
    assert "Geen stage past bij deze filters." in response.content.decode()


def test_open_internships_come_first_on_the_coordinators_list(client, school, personas):
    later = school["bram"]
    Internship.objects.filter(pk=later.pk).update(
        start_date=on(4, 1), end_date=on(8, 1)
    )  # the stopped one started later
    client.force_login(personas.coordinator)
    response = client.get(school_url(personas))
    statuses = [i.status for i in response.context["page_obj"].object_list]
    assert statuses == sorted(statuses, key=lambda s: s not in (Status.CONFIRMED, Status.ACTIVE))


@pytest.mark.parametrize("who", ["other_coordinator", "teacher", "owner", "student"])
def test_others_may_not_open_the_schools_list(client, school, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get(school_url(personas))
    assert response.status_code == 403
    assert "Stan Student" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page_from_the_schools_list(client, personas):
    response = client.get(school_url(personas))
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def make_internships(personas, count: int, *, start: int = 0) -> list[Internship]:
    """`count` Kok students confirmed over several placements of company A (up to 10 each);
    every other one gets Tess Teacher as school supervisor."""
    made = []
    per_placement = 10
    for first in range(0, count, per_placement):
        n = min(per_placement, count - first)
        placement = published_placement(
            personas, title=f"Stage keuken {start + first} (MBO 2)", positions=n
        )
        for k in range(n):
            number = start + first + k
            student = make_student(f"Student Nummer{number}")
            internship = confirm_internship(student=student, placement=placement)
            if number % 2:
                assign_teacher(internship, personas)
            made.append(internship)
    return made


def test_the_coordinators_list_runs_the_same_queries_for_3_and_30_internships(
    client, recognised, django_assert_max_num_queries
):
    personas = recognised
    make_internships(personas, 3)
    client.force_login(personas.coordinator)
    url = school_url(personas)
    client.get(url)  # warm up the session and the caches
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 3
    make_internships(personas, 27, start=3)
    with django_assert_max_num_queries(len(small)) as large:
        response = client.get(url)
    assert len(response.context["page_obj"].object_list) == 25
    assert len(large) == len(small)


def test_the_coordinators_list_shows_25_a_page(client, recognised):
    personas = recognised
    made = make_internships(personas, 30)
    client.force_login(personas.coordinator)
    first = client.get(school_url(personas))
    second = client.get(school_url(personas), {"page": 2})
    assert first.context["page_obj"].paginator.count == 30
    assert len(listed(first)) == 25 and len(listed(second)) == 5
    assert listed(first) | listed(second) == {i.pk for i in made}


# --------------------------------------------------------------------------------------------
# The company's list


def company_url(personas) -> str:
    return f"/bedrijven/{personas.company.pk}/stagiairs/"


@pytest.mark.parametrize("who", ["owner", "member", "operator"])
def test_the_business_sees_its_interns(client, internship, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get(company_url(personas))
    assert response.status_code == 200
    assert listed(response) == {internship.pk}
    assert "Stan Student" in response.content.decode()


def test_the_company_list_does_not_show_other_companies_interns(client, internship, personas):
    client.force_login(personas.outsider)
    response = client.get(f"/bedrijven/{personas.other_company.pk}/stagiairs/")
    assert response.status_code == 200
    assert listed(response) == set()


def test_a_foreign_company_owner_is_refused_the_company_list(client, internship, personas):
    # Company A is public, so its existence is no secret: company_view answers 403, as on
    # every other page of a public company (tests/test_permissions.py).
    client.force_login(personas.outsider)
    response = client.get(company_url(personas))
    assert response.status_code == 403
    assert "Stan Student" not in response.content.decode()


def test_a_foreign_company_owner_gets_404_on_a_private_companys_list(client, internship, personas):
    from stagebrug.registry import services as registry_services

    registry_services.company_update(company=personas.company, by=personas.owner, is_public=False)
    client.force_login(personas.outsider)
    response = client.get(company_url(personas))
    assert response.status_code == 404
    assert "Stan Student" not in response.content.decode()


@pytest.mark.parametrize("who", ["supervisor", "coordinator", "student"])
def test_others_may_not_open_the_company_list(client, internship, personas, who):
    client.force_login(getattr(personas, who))
    response = client.get(company_url(personas))
    assert response.status_code in (403, 404)
    assert "Stan Student" not in response.content.decode()


# --------------------------------------------------------------------------------------------
# The student's own page


def test_the_student_is_sent_to_their_internship(client, internship, personas):
    client.force_login(personas.student)
    response = client.get("/student/stage/")
    assert response.status_code == 302
    assert response["Location"] == detail(internship)


def test_the_student_sees_their_past_internships_when_none_is_current(client, internship, personas):
    stopped(internship, by=personas.coordinator, reason=StopReason.PERSONAL, note="Ziek.")
    client.force_login(personas.student)
    response = client.get("/student/stage/")
    assert response.status_code == 200
    assert [i.pk for i in response.context["internships"]] == [internship.pk]


def test_someone_without_internships_gets_an_empty_page(client, internship, personas):
    client.force_login(personas.owner)
    response = client.get("/student/stage/")
    assert response.status_code == 200
    assert response.context["internships"] == []


def test_anonymous_visitors_are_sent_to_the_login_page_from_the_students_page(client):
    response = client.get("/student/stage/")
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_chef_bram_is_both_the_workplace_supervisor_and_the_buddy(internship, personas):
    # The fixture's premise, on which the parts above rest: his account is `supervisor`.
    assert internship.supervisor.name == "Chef Bram"
    assert internship.supervisor.education_level == EducationLevel.MBO_4
    assert internship.supervisor.user == personas.supervisor
    assert internship.buddy_id == internship.supervisor_id
