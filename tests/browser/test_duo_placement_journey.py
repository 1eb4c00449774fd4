"""A business writes a duo placement (W21): ticking "duo" swaps the number of places for an MBO
and an HBO seat count, and the placement is saved with its seats; at phone width as well."""

import pytest
from playwright.sync_api import expect

from stagebrug.placements.models import Placement
from stagebrug.registry import services as registry_services
from tests.browser.conftest import check_page, login
from tests.dates import iso
from tests.factories import CompanyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_business_writes_a_duo_placement_with_its_seats(page, viewport):
    from stagebrug.registry.models import Programme

    # An MBO 4 programme and an HBO programme that share the work (W21).
    mbo = Programme.objects.filter(kind="mbo", mbo_level=4, is_active=True).order_by("pk").first()
    hbo = Programme.objects.filter(kind="hbo", is_active=True).order_by("pk").first()
    owner = UserFactory(email=f"duo-{viewport}@example.org")
    company = CompanyFactory(owner=owner, name="Bouwbedrijf Samen", postcode="1031 KW")
    registry_services.company_registration_advance(company=company, by=owner, step="done")

    login(page, owner.email)
    page.goto(f"/bedrijven/{company.pk}/stages/nieuw/")
    places = page.get_by_label("Aantal plekken")
    mbo_seats = page.get_by_label("Plekken voor mbo-studenten")
    hbo_seats = page.get_by_label("Plekken voor hbo-studenten")
    expect(places).to_be_visible()
    expect(mbo_seats).to_be_hidden()

    page.get_by_label("Titel").fill("Duostage verbouwing (mbo en hbo)")
    page.get_by_label("Soort stage").select_option(value="mbo_bol")
    page.get_by_label("Beschrijving").fill(
        "Samen met een hbo-student bereid je een verbouwing voor."
    )
    page.get_by_label("Activiteiten").fill(
        "Bouwtekeningen lezen\nMaterialen bestellen\nPlanning maken"
    )
    page.get_by_label("duostage (een MBO-student en een HBO-student samen)").check()
    expect(places).to_be_hidden()
    expect(mbo_seats).to_be_visible()
    mbo_seats.fill("1")
    hbo_seats.fill("1")
    page.get_by_label("MBO 4", exact=True).check()
    page.get_by_label("HBO", exact=True).check()
    for programme in (mbo, hbo):  # each school's programmes are folded under its name
        box = page.locator(f"#programme-{programme.pk}")
        group = page.locator("details.sb-programme-group", has=box)
        if not group.evaluate("el => el.open"):
            group.locator("summary").click()
        box.check()
    page.get_by_label("Startdatum", exact=True).fill(iso(2, 1))
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Duur in weken").fill("20")
    check_page(page, f"duo-placement-01-seats-{viewport}")
    page.get_by_role("button", name="Opslaan als concept").click()
    try:
        page.wait_for_url("**/stageplaatsen/*/", timeout=10_000)
    except Exception as exc:
        errors = page.locator(".utrecht-form-field--invalid").all_inner_texts()
        raise AssertionError(f"not saved: {errors}") from exc
    check_page(page, f"duo-placement-02-saved-{viewport}")
    placement = Placement.objects.get(company=company)
    assert (placement.is_duo, placement.mbo_seats, placement.hbo_seats) == (True, 1, 1)
    assert placement.positions == 2
