"""A business owner finishes the registration and keeps the company's people and papers up to
date: edits a workplace supervisor (an e-mail address another supervisor has is refused),
deletes another supervisor after a confirmation page, edits the SBB recognition (an end date
before the start is refused), and tries to delete the company's only location, which is refused
with a clear message. Run in the English interface."""

from __future__ import annotations

import re

import pytest

import stagebrug.registry.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.registry import services as registry_services
from stagebrug.registry.models import (
    Company,
    EducationLevel,
    EducationSector,
    Location,
    Recognition,
    Supervisor,
)
from tests.browser.conftest import check_page, english, login
from tests.dates import YEAR, iso, on
from tests.factories import (
    CompanyFactory,
    RecognitionFactory,
    SupervisorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def registered_salon():
    """A hair salon at its last registration step: two supervisors and one SBB recognition."""
    owner = UserFactory(email="aylin@kapsalon.example", full_name="Aylin Kaya")
    company = CompanyFactory(
        owner=owner,
        name="Kapsalon Knip",
        street="Kinkerstraat",
        house_number="12",
        postcode="1053 DX",
        city="Amsterdam",
    )
    SupervisorFactory(
        company=company,
        by=owner,
        name="Rayan Bouzid",
        email="rayan@kapsalon.example",
        job_title="Kapper",
        education_level=EducationLevel.MBO_4,
        education_sector=EducationSector.ECONOMIE,
    )
    SupervisorFactory(
        company=company,
        by=owner,
        name="Sanne de Vries",
        email="sanne@kapsalon.example",
        education_level=EducationLevel.BACHELOR,
    )
    RecognitionFactory(
        company=company,
        by=owner,
        crebo="25400",
        leerbedrijf_id="100445566",
        valid_from=on(1, 15, -1),
    )
    registry_services.company_registration_advance(
        company=company, by=owner, step=Company.RegistrationStep.RECOGNITIONS
    )
    return owner, company


def registered(page):
    return page.get_by_role("heading", name=re.compile(r"^Registered \(\d+\)$"))


def test_owner_edits_and_deletes_supervisors_edits_a_recognition_and_keeps_a_location(
    page, live_server
):
    owner, company = registered_salon()
    rayan = company.supervisors.get(name="Rayan Bouzid")
    sanne = company.supervisors.get(name="Sanne de Vries")
    recognition = company.recognitions.get()
    location = company.locations.get()
    english(page, live_server)

    # 1. The owner finishes the registration where she left off.
    login(page, owner.email)
    page.get_by_role("link", name="Finish your registration").click()
    page.get_by_role("heading", name="SBB recognitions").wait_for()
    assert registered(page).inner_text() == "Registered (1)"
    check_page(page, "people-01-last-registration-step")
    page.get_by_role("button", name="Finish registration").click()
    page.get_by_text("Your registration is complete. Welcome to Stagebrug!").wait_for()
    page.get_by_role("heading", name="Kapsalon Knip", exact=True).wait_for()
    page.wait_for_url(f"**/bedrijven/{company.pk}/")
    check_page(page, "people-02-company")
    company.refresh_from_db()
    assert company.registration_step == Company.RegistrationStep.DONE

    # 2. Edit a supervisor: another supervisor's e-mail address is refused, then it is saved.
    page.get_by_role("link", name="Manage supervisors").click()
    page.get_by_role("heading", name="Workplace supervisors", exact=True).wait_for()
    assert registered(page).inner_text() == "Registered (2)"
    check_page(page, "people-03-supervisors")
    page.get_by_role("link", name="Edit Rayan Bouzid").click()
    page.get_by_role("heading", name="Rayan Bouzid", exact=True).wait_for()
    assert page.get_by_label("E-mail").input_value() == "rayan@kapsalon.example"
    check_page(page, "people-04-supervisor-edit")
    page.get_by_label("E-mail").fill("Sanne@Kapsalon.example")
    page.get_by_label("Job title").fill("Salonmanager")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("This company already has a supervisor with this e-mail address.").wait_for()
    assert page.get_by_label("Job title").input_value() == "Salonmanager"  # input kept
    check_page(page, "people-05-supervisor-error")
    rayan.refresh_from_db()
    assert rayan.email == "rayan@kapsalon.example" and rayan.job_title == "Kapper"

    page.get_by_label("E-mail").fill("rayan.bouzid@kapsalon.example")
    page.get_by_label("Highest education").select_option(value=str(EducationLevel.ASSOCIATE))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    page.wait_for_url(f"**/bedrijven/{company.pk}/begeleiders/")
    row = page.locator("main .sb-results > li").filter(has_text="Rayan Bouzid")
    assert "rayan.bouzid@kapsalon.example · Salonmanager" in row.inner_text()
    assert "Associate degree" in row.inner_text()
    check_page(page, "people-06-supervisor-saved")
    rayan.refresh_from_db()
    assert rayan.email == "rayan.bouzid@kapsalon.example"
    assert rayan.job_title == "Salonmanager"
    assert rayan.education_level == EducationLevel.ASSOCIATE

    # 3. Delete the other supervisor, after a confirmation page ("No, go back" keeps her).
    page.get_by_role("link", name="Delete Sanne de Vries").click()
    page.get_by_role("heading", name="Delete Sanne de Vries?").wait_for()
    assert page.get_by_text("This cannot be undone.").is_visible()
    check_page(page, "people-07-supervisor-delete")
    page.get_by_role("link", name="No, go back").click()
    page.get_by_role("heading", name="Workplace supervisors", exact=True).wait_for()
    assert registered(page).inner_text() == "Registered (2)"
    assert Supervisor.objects.filter(pk=sanne.pk).exists()

    page.get_by_role("link", name="Delete Sanne de Vries").click()
    page.get_by_role("button", name="Yes, delete").click()
    page.get_by_text("Deleted.").wait_for()
    assert registered(page).inner_text() == "Registered (1)"
    assert page.get_by_text("Sanne de Vries").count() == 0
    check_page(page, "people-08-supervisor-deleted")
    assert not Supervisor.objects.filter(pk=sanne.pk).exists()
    assert list(company.supervisors.values_list("name", flat=True)) == ["Rayan Bouzid"]

    # 4. Edit the SBB recognition: an end date before the start is refused, then it is saved.
    page.goto(f"/bedrijven/{company.pk}/")
    page.get_by_role("link", name="Manage recognitions").click()
    page.get_by_role("heading", name="SBB recognitions", exact=True).wait_for()
    listed = page.locator("main .sb-results > li").filter(has_text="Kapper")
    assert f"valid from 15 January {YEAR - 1} until 14 January {YEAR + 3}" in listed.inner_text()
    listed.get_by_role("link", name=re.compile(r"^Edit ")).click()
    page.get_by_role("heading", name=re.compile(r"^Kapper ")).wait_for()
    assert page.get_by_label("SBB leerbedrijf ID").input_value() == "100445566"
    check_page(page, "people-09-recognition-edit")
    page.get_by_label("SBB leerbedrijf ID").fill("100445577")
    page.get_by_label("Valid until").fill(iso(12, 31, -2))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The end date must be after the start date.").first.wait_for()
    check_page(page, "people-10-recognition-error")
    recognition.refresh_from_db()
    assert recognition.leerbedrijf_id == "100445566"
    assert recognition.valid_until == on(1, 14, 3)

    page.get_by_label("Valid until").fill(iso(12, 31, 2))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    page.wait_for_url(f"**/bedrijven/{company.pk}/erkenningen/")
    listed = page.locator("main .sb-results > li").filter(has_text="Kapper")
    assert "leerbedrijf ID 100445577" in listed.inner_text()
    assert f"valid from 15 January {YEAR - 1} until 31 December {YEAR + 2}" in listed.inner_text()
    check_page(page, "people-11-recognition-saved")
    recognition = Recognition.objects.get(pk=recognition.pk)
    assert recognition.leerbedrijf_id == "100445577"
    assert recognition.valid_until == on(12, 31, 2)
    assert recognition.qualification_id == "25400" and recognition.level == 2

    # 5. The only location cannot be deleted: a clear message, and it stays.
    page.goto(f"/bedrijven/{company.pk}/")
    page.get_by_role("link", name="Manage locations").click()
    page.get_by_role("heading", name="Locations", exact=True).wait_for()
    assert registered(page).inner_text() == "Registered (1)"
    page.get_by_role("link", name="Delete Kapsalon Knip (Amsterdam)").click()
    page.get_by_role("heading", name="Delete Kapsalon Knip (Amsterdam)?").wait_for()
    check_page(page, "people-12-location-delete")
    page.get_by_role("button", name="Yes, delete").click()
    alert = page.get_by_role("alert").filter(has_text="location")
    alert.wait_for()
    assert alert.inner_text().strip() == "A company keeps at least one location."
    page.wait_for_url(f"**/bedrijven/{company.pk}/locaties/")
    assert registered(page).inner_text() == "Registered (1)"
    assert page.get_by_text("Deleted.").count() == 0
    check_page(page, "people-13-last-location-kept")
    assert list(Location.objects.filter(company=company)) == [location]


def test_the_recognition_pages_speak_english_in_the_english_interface(page, live_server):
    owner, company = registered_salon()
    recognition = company.recognitions.get()
    english(page, live_server)
    login(page, owner.email)
    page.goto(f"/bedrijven/{company.pk}/erkenningen/{recognition.pk}/bewerken/")
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    check_page(page, "people-14-recognition-edit-english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert heading.inner_text() == "Kapper (level 2)"
    chosen = page.get_by_label("Qualification").locator("option:checked").inner_text()
    assert chosen == "Kapper — crebo 25400, level 2"
