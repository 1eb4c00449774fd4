"""A school's coordinator adds a programme (an MBO programme without a qualification is
refused on the field, nothing saved) and edits a programme: the public programme page shows
the change. Run in the English interface."""

from __future__ import annotations

import pytest

from stagebrug.registry.models import Programme, Requirements
from tests.browser.conftest import check_page, english, login
from tests.placements.factories import kok_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_add_form(page) -> None:
    page.get_by_role("link", name="Manage programmes and staff").click()
    page.get_by_role("heading", name="Manage ROC van Amsterdam").wait_for()
    check_page(page, "programme-01-manage")
    page.get_by_role("link", name="Add a programme").click()
    page.get_by_role("heading", name="Add a programme").wait_for()


def fill_kapper(page) -> None:
    page.get_by_label("Name", exact=True).fill("Kapper")
    assert page.get_by_label("Type").input_value() == "mbo"  # the school's kind
    page.get_by_label("Field", exact=True).select_option(value="gedrag_en_maatschappij")
    page.get_by_label("Place (optional)").fill("Amsterdam")


def test_coordinator_is_told_what_a_programme_needs_and_edits_a_programme(
    page, live_server, personas
):
    p = personas
    school = p.rocva
    english(page, live_server)
    login(page, p.coordinator.email)

    # 1. Adding an MBO programme without a qualification (crebo) is refused on that field.
    open_add_form(page)
    check_page(page, "programme-02-form")
    fill_kapper(page)
    page.get_by_role("button", name="Save").click()
    error = page.locator("#id_qualification_error")
    error.wait_for()
    assert "An MBO programme needs a qualification (crebo)." in error.inner_text()
    assert page.get_by_label("Qualification (MBO)").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Name", exact=True).input_value() == "Kapper"  # input kept
    check_page(page, "programme-03-form-error")
    assert not Programme.objects.filter(institution=school, name="Kapper").exists()

    # 2. Edit a programme from the manage page: a new contact, and closed for placements.
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("heading", name="Manage ROC van Amsterdam").wait_for()
    page.get_by_role("link", name="Edit Kok", exact=True).click()
    page.get_by_role("heading", name="Kok", exact=True).wait_for()
    assert page.get_by_label("Contact person").input_value() == "Stagebureau Horeca & Toerisme"
    check_page(page, "programme-05-edit")
    # A bad e-mail address is refused on its field.
    page.get_by_label("Contact e-mail").fill("kees.kam-at-rocva")
    page.get_by_role("button", name="Save").click()
    page.locator("#id_contact_email_error").wait_for()
    assert page.get_by_label("Contact e-mail").get_attribute("aria-invalid") == "true"
    assert kok_programme().contact_email == "stages.horeca@rocva.example"

    page.get_by_label("Contact person").fill("Kees Kam")
    page.get_by_label("Contact role").fill("Stagecoördinator keuken")
    page.get_by_label("Contact e-mail").fill("kees.kam@rocva.example")
    page.get_by_label("Open for placements").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/scholen/{school.slug}/opleidingen/kok-25180/")
    page.get_by_text("Saved.").wait_for()
    contact = page.get_by_role("complementary")
    assert "Kees Kam" in contact.inner_text()
    assert contact.get_by_role("link", name="kees.kam@rocva.example").is_visible()
    assert page.get_by_text("Not open for placements").is_visible()
    check_page(page, "programme-06-edited")
    programme = kok_programme()
    assert programme.contact_name == "Kees Kam" and not programme.is_active
    assert programme.contact_role == "Stagecoördinator keuken"
    assert programme.slug == "kok-25180"  # the address stays the same


def test_coordinator_adds_a_programme(page, live_server, personas):
    p = personas
    school = p.rocva
    english(page, live_server)
    login(page, p.coordinator.email)
    open_add_form(page)
    fill_kapper(page)
    page.get_by_label("Qualification (MBO)").select_option(value="25400")
    page.get_by_label("What students learn").fill("Knippen, kleuren en klanten adviseren.")
    page.get_by_label("Contact person").fill("Karin Knip")
    page.get_by_label("Contact e-mail").fill("stages.kapper@rocva.example")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    check_page(page, "programme-04-added")
    # What the coordinator sees instead: "This field cannot be blank." at the top of the form.
    assert page.get_by_role("alert").filter(has_text="This field cannot be blank.").count() == 0
    page.get_by_text("Programme added. Now set its placement requirements.").wait_for()
    page.wait_for_url(f"**/scholen/{school.slug}/opleidingen/kapper-25400/eisen/")
    programme = Programme.objects.get(institution=school, name="Kapper")
    assert programme.slug == "kapper-25400" and programme.kind == "mbo"
    assert programme.qualification_id == "25400" and programme.mbo_level == 2
    assert programme.contact_email == "stages.kapper@rocva.example" and programme.is_active
    assert Requirements.objects.filter(programme=programme).exists()
