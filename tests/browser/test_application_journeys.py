"""A student completes a profile, sees placements that fit with reasons, applies and accepts an
offer; a business shortlists, invites to an interview (the .ics file is downloaded and parsed)
and makes an offer. Run in the English interface (the language switch is tested elsewhere)."""

import datetime as dt
import re

import pytest
from icalendar import Calendar

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.applications import services
from stagebrug.applications.models import Application, ApplicationStatus
from stagebrug.internships.models import Internship
from stagebrug.placements import services as placement_services
from tests.browser.conftest import check_page, english, login
from tests.dates import on
from tests.factories import (
    CompanyFactory,
    RecognitionFactory,
    SupervisorFactory,
    UserFactory,
)
from tests.placements.factories import kok_programme, make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def published_kitchen(viewport: str):
    owner = UserFactory(email=f"owner-{viewport}@kitchen.example")
    company = CompanyFactory(owner=owner, name="Keuken Oost", postcode="1094 HB", city="Amsterdam")
    buddy = SupervisorFactory(company=company, by=owner, name="Chef Bram", education_level=4)
    RecognitionFactory(company=company, by=owner, crebo="25180", valid_from=on(1, 1, -1))
    coordinator = UserFactory(email=f"coord-{viewport}@rocva.example")
    membership_grant(
        user=coordinator, role=Role.SCHOOL_COORDINATOR, institution=kok_programme().institution
    )
    placement = make_placement(company, owner, buddy=buddy, title="Stage keuken (MBO 2)")
    placement_services.placement_submit(placement=placement, by=owner)
    placement_services.placement_decide(
        target=placement.targets.get(), by=coordinator, approve=True
    )
    return owner, placement


def new_student(viewport: str):
    student = UserFactory(email=f"student-{viewport}@rocva.example", full_name="Jayden Pinas")
    membership_grant(
        user=student,
        role=Role.STUDENT,
        institution=kok_programme().institution,
        programme=kok_programme(),
    )
    return student


def test_student_completes_profile_sees_recommendations_applies_and_accepts(
    page, live_server, viewport
):
    owner, placement = published_kitchen(viewport)
    student = new_student(viewport)
    english(page, live_server)
    login(page, student.email)

    page.goto("/student/profiel/")
    check_page(page, "student-01-profile")
    page.get_by_label("Your postcode").fill("1094 HB")
    page.get_by_label("What you want to do").fill(
        "Koken in een restaurant: soep, groenten snijden en bakken."
    )
    page.get_by_label("Activities as keywords").fill("koken, groenten snijden")
    page.get_by_label("Hours per week").fill("32")
    page.get_by_label("Maximum travel distance (km)").fill("15")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved").wait_for()

    page.goto("/student/aanbevolen/")
    page.get_by_role("link", name="Stage keuken (MBO 2)").first.wait_for()
    assert "km" in page.locator("main").inner_text()  # a reason about the distance
    check_page(page, "student-02-recommendations")

    page.goto(f"/stages/{placement.pk}/")
    page.get_by_role("link", name="Apply").click()
    page.get_by_label("Why this placement?").fill(
        "Ik kook elke dag thuis en wil het vak leren in een echte keuken."
    )
    check_page(page, "student-03-apply")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("You applied").wait_for()
    application = Application.objects.get(student=student)

    # The business makes an offer (its own journey is tested below).
    services.application_move(application=application, by=owner, to=ApplicationStatus.OFFER)
    page.reload()
    check_page(page, "student-04-offer")
    page.get_by_role("button", name="Accept the offer").click()
    page.get_by_text("Congratulations").wait_for()
    check_page(page, "student-05-accepted")
    assert Internship.objects.filter(student=student, placement=placement).exists()


def test_business_shortlists_invites_with_a_calendar_file_and_offers(
    page, live_server, viewport, tmp_path
):
    owner, placement = published_kitchen(viewport)
    student = new_student(viewport)
    services.profile_save(
        user=student, by=student, programme=kok_programme(), wanted_activities="Koken"
    )
    application = services.application_create(
        student=student,
        placement=placement,
        motivation="Ik kook elke dag thuis en wil het vak leren.",
    )
    english(page, live_server)
    login(page, owner.email)

    page.goto(f"/stageplaatsen/{placement.pk}/sollicitaties/")
    check_page(page, "business-01-applications")
    page.get_by_role("link", name="Jayden Pinas").click()
    page.get_by_role("button", name="Put on shortlist").click()
    page.get_by_role("link", name="Invite to an interview").click()
    when = (dt.datetime.now() + dt.timedelta(days=3)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("Javastraat 1, Amsterdam")
    check_page(page, "business-02-interview")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("The student is invited").wait_for()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to my calendar")).click()
    path = tmp_path / "gesprek.ics"
    download_info.value.save_as(path)
    event = next(c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT")
    start = event.decoded("dtstart")
    assert (start.hour, start.minute) == (10, 30) or start.astimezone().hour == 10
    assert str(event["location"]) == "Javastraat 1, Amsterdam"
    assert "Stage keuken" in str(event["summary"])

    page.get_by_role("textbox", name="Message").fill("Tot donderdag!")
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("Tot donderdag!").wait_for()
    page.get_by_role("button", name="Make an offer").click()
    page.locator(".utrecht-status-badge", has_text="Offer").first.wait_for()
    check_page(page, "business-03-offer")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.OFFER
    assert [e.to_status for e in application.events.all()] == [
        "applied",
        "shortlisted",
        "interview",
        "offer",
    ]
