"""A new business owner registers: account → company → supervisors → recognitions."""

import pytest

from stagebrug.registry.models import Company
from tests.browser.conftest import check_page
from tests.dates import YEAR, iso

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_owner_registers_company_supervisor_and_recognition(page, viewport):
    email = f"eigenaar-{viewport}@kapsalon.example"
    kvk = "77001122" if viewport == "desktop" else "77001133"
    page.goto("/")
    check_page(page, "registration-01-home")
    page.get_by_role("link", name="Registreer je bedrijf").first.click()

    page.get_by_label("Je naam").fill("Aylin Kaya")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill("knippen-en-scheren-2026")
    page.get_by_label("Wachtwoord nog een keer").fill("knippen-en-scheren-2026")
    check_page(page, "registration-02-account")
    page.get_by_role("button", name="Account maken en verder").click()

    page.get_by_label("Naam").fill("Kapsalon Knip")
    page.get_by_label("KvK-nummer").fill("1234")
    page.get_by_label("Straat").fill("Kinkerstraat")
    page.get_by_label("Huisnummer").fill("12")
    page.get_by_label("Postcode").fill("1053dx")
    page.get_by_label("Plaats").fill("Amsterdam")
    page.get_by_label("Sector").select_option(label="Persoonlijke dienstverlening")
    page.get_by_label("Aantal medewerkers").fill("6")
    page.get_by_role("button", name="Opslaan en verder").click()
    # A bad KvK number: a clear message on the field, and nothing saved.
    error = page.locator("#id_kvk_number_error")
    assert "precies 8 cijfers" in error.inner_text()
    assert page.get_by_label("KvK-nummer").get_attribute("aria-invalid") == "true"
    check_page(page, "registration-03-company-error")
    assert not Company.objects.filter(name="Kapsalon Knip").exists()
    page.get_by_label("KvK-nummer").fill(kvk)
    page.get_by_role("button", name="Opslaan en verder").click()

    page.get_by_role("heading", name="Werkbegeleiders").wait_for()
    page.get_by_label("Naam").fill("Rayan Bouzid")
    page.get_by_label("E-mail").fill("rayan@kapsalon.example")
    page.get_by_label("Hoogste opleiding").select_option(label="MBO-niveau 4")
    page.get_by_label("Vakgebied").select_option(value="economie")
    check_page(page, "registration-04-supervisors")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text("Rayan Bouzid").first.wait_for()
    page.get_by_role("button", name="Volgende stap").click()

    page.get_by_role("heading", name="SBB-erkenningen").wait_for()
    page.get_by_label("Kwalificatie").select_option(value="25400")
    page.get_by_label("Leerbedrijf-ID bij SBB").fill("100445566")
    page.get_by_label("Geldig vanaf").fill(iso(1, 15, -1))
    check_page(page, "registration-05-recognitions")
    page.get_by_role("button", name="Toevoegen").click()
    page.get_by_text(f"geldig van 15 januari {YEAR - 1} tot 14 januari {YEAR + 3}").wait_for()
    page.get_by_role("button", name="Registratie afronden").click()

    page.get_by_role("heading", name="Kapsalon Knip").wait_for()
    check_page(page, "registration-06-company")
    company = Company.objects.get(kvk_number=kvk)
    assert company.registration_step == Company.RegistrationStep.DONE
    assert company.supervisors.get().name == "Rayan Bouzid"
    assert company.recognitions.get().qualification_id == "25400"
