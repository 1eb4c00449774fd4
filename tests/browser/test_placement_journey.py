"""A business writes a placement and watches the advice change as it types, then submits; the
school's coordinator approves; a student finds it by an activity word and a postcode distance."""

import re

import pytest
from playwright.sync_api import expect

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.placements.models import Placement, Status
from stagebrug.registry import services as registry_services
from tests.browser.conftest import check_page, login
from tests.dates import iso, on
from tests.factories import (
    CompanyFactory,
    RecognitionFactory,
    SupervisorFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_writes_school_approves_student_finds(page, viewport):
    from stagebrug.registry.models import Institution, Programme

    owner = UserFactory(email=f"chef-{viewport}@example.org")
    company = CompanyFactory(
        owner=owner, name="Eetcafé De Pont", postcode="1031 KW", city="Amsterdam"
    )
    registry_services.company_registration_advance(company=company, by=owner, step="done")
    SupervisorFactory(company=company, by=owner, name="Chef Bram", education_level=4)
    RecognitionFactory(company=company, by=owner, crebo="25180", valid_from=on(1, 1, -1))
    coordinator = UserFactory(email=f"coord-{viewport}@rocva.example")
    membership_grant(
        user=coordinator,
        role=Role.SCHOOL_COORDINATOR,
        institution=Institution.objects.get(brin="25PZ"),
    )

    # 1. The business writes; the advice panel follows what it types.
    login(page, owner.email)
    page.goto(f"/bedrijven/{company.pk}/stages/nieuw/")
    advice = page.locator("#advice")
    assert "Begin met een titel" in advice.inner_text() or "titel" in advice.inner_text()
    page.get_by_label("Titel").fill("Keuken")
    page.get_by_label("Soort stage").select_option(value="mbo_bol")
    page.get_by_label("Beschrijving").fill(
        "Eetcafé De Pont ligt aan het IJ. Je werkt in onze keuken met drie koks. Je leert snel en netjes werken."
    )
    page.get_by_label("Activiteiten").fill(
        "Groenten snijden\nSoep koken\nMise-en-place voorbereiden"
    )
    # Wait for the advice on the whole text (an activity is named), not an earlier, partial one.
    advice.get_by_text('Activiteit "Soep koken"', exact=False).first.wait_for()
    advice.get_by_text("Kok", exact=False).first.wait_for()
    quality_before = advice.get_by_role("heading", name="Kwaliteit").inner_text()
    check_page(page, "placement-01-writing")

    # Choosing the programme from the advice shows the rules; level MBO 3 does not fit Kok (MBO 2).
    advice_answers: list[int] = []
    page.on(
        "response",
        lambda r: advice_answers.append(r.status) if "/stages/advies/" in r.url else None,
    )

    def advice_shows(locator) -> None:
        try:
            locator.wait_for()
        except Exception as exc:
            raise AssertionError(
                f"advice answers {advice_answers}; the panel says: {advice.inner_text()[:1500]}"
            ) from exc

    advice.get_by_role("button", name=re.compile(r"^Kies bij .*\(Kok\)$")).first.click()
    kok = Programme.objects.filter(qualification_id="25180").values_list("pk", flat=True)
    assert any(page.locator(f"#programme-{pk}").is_checked() for pk in kok)
    # The rules for the chosen programme are shown, then a level that does not fit it.
    advice_shows(advice.locator("h4.sb-advice__programme").filter(has_text="Kok").first)
    page.get_by_label("MBO 3", exact=True).check()
    advice_shows(advice.get_by_text("Niet toegestaan").first)
    page.get_by_label("MBO 3", exact=True).uncheck()
    page.get_by_label("MBO 2", exact=True).check()
    page.get_by_label("Startdatum", exact=True).fill(iso(2, 1))
    page.get_by_label("Uren per week").fill("32")
    page.get_by_label("Duur in weken").fill("20")
    expect(page.locator("#advice")).not_to_contain_text("Niet toegestaan")

    # Better title and a buddy raise the quality score.
    page.get_by_label("Titel").fill("Stage keuken (MBO 2)")
    page.get_by_label("Buddy / werkbegeleider").select_option(label="Chef Bram")
    expect(page.locator("#advice h3#quality-h")).not_to_have_text(quality_before)
    check_page(page, "placement-02-advice")
    page.get_by_role("button", name="Opslaan als concept").click()
    page.get_by_role("button", name="Indienen bij de scholen").click()
    page.get_by_text("Ingediend").first.wait_for()
    check_page(page, "placement-03-submitted")
    placement = Placement.objects.get(company=company)
    assert placement.status == Status.SUBMITTED

    # 2. The coordinator approves.
    page.get_by_role("button", name="Uitloggen").click()
    login(page, coordinator.email)
    page.goto("/scholen/roc-van-amsterdam/stages/")
    check_page(page, "placement-04-review-list")
    page.get_by_role("link", name="Stage keuken (MBO 2)").click()
    check_page(page, "placement-05-review")
    page.get_by_label("Goedkeuren voor deze opleiding").check()
    page.get_by_role("button", name="Besluit opslaan").click()
    page.get_by_text("Je besluit is opgeslagen").wait_for()
    placement.refresh_from_db()
    assert placement.status == Status.PUBLISHED

    # 3. A student finds it by what they will do, near their postcode.
    page.get_by_role("button", name="Uitloggen").click()
    page.goto("/stages/")
    page.get_by_label("Wat wil je doen?").fill("soep")
    page.get_by_label("Je postcode").fill("1011 AB")
    page.get_by_label("Afstand").select_option(value="10")
    results = page.locator("#results")
    expect(page.locator("#results")).to_contain_text(" km")
    assert "Stage keuken (MBO 2)" in results.inner_text()
    check_page(page, "placement-06-search")
    page.get_by_label("Afstand").select_option(value="5")
    page.get_by_label("Je postcode").fill("2011 AB")  # Haarlem, too far away
    expect(page.locator("#results")).not_to_contain_text("Stage keuken")
    page.get_by_label("Je postcode").fill("1011 AB")
    page.get_by_label("Je postcode").press(
        "Tab"
    )  # leave the field: its change event searches once more
    expect(page.locator("#results")).to_contain_text(" km")
    page.wait_for_load_state("networkidle")
    results.get_by_role("link", name="Stage keuken (MBO 2)").click()
    page.wait_for_url(re.compile(r"/stages/\d+/$"))
    assert page.locator('script[type="application/ld+json"]').count() == 1
    check_page(page, "placement-07-public")
