"""A visitor, not logged in, looks around: the public company directory (the list filters
live while typing), a public company's page, the privacy and data pages from the footer, and
an address that does not exist. A company that chose not to be listed is not shown, and its
page does not exist for the visitor. In Dutch, the interface a visitor gets first."""

from __future__ import annotations

import re

import pytest

from stagebrug.registry.models import Company
from tests.browser.conftest import check_page
from tests.factories import CompanyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def company_links(results) -> list[str]:
    return [name.strip() for name in results.locator("h2 a").all_inner_texts()]


def test_visitor_searches_companies_reads_a_company_and_the_footer_pages_and_gets_a_404(
    page, live_server, personas
):
    CompanyFactory(
        name="Brouwerij Oost",
        street="Zeeburgerdijk",
        house_number="55",
        postcode="1094 AE",
        description="Ambachtelijk bier uit Amsterdam-Oost; we leiden koks en gastheren op.",
    )
    hidden = CompanyFactory(name="Bakkerij Geheim", is_public=False)
    assert not hidden.is_public

    # 1. The public directory lists the public companies only.
    page.goto("/bedrijven/")
    page.get_by_role("heading", name="Bedrijven die stagiairs ontvangen").wait_for()
    results = page.locator("#results")
    assert company_links(results) == ["Bakkerij A", "Brouwerij Oost", "Garage B"]
    assert "3 bedrijven" in results.inner_text()
    assert "Bakkerij Geheim" not in page.locator("main").inner_text()
    check_page(page, "public-01-companies")

    # 2. Typing filters the list without loading the page again (htmx).
    page.evaluate("window.sbSamePage = true")
    page.get_by_role("searchbox", name="Bedrijven zoeken").fill("bakkerij")
    results.get_by_role("link", name="Garage B").wait_for(state="detached")
    assert company_links(results) == ["Bakkerij A"]  # the hidden bakery is not found either
    assert "1 bedrijf" in results.inner_text()
    assert page.evaluate("window.sbSamePage === true")  # no full page load
    page.wait_for_url(re.compile(r"/bedrijven/\?.*q=bakkerij"))  # to share and bookmark
    check_page(page, "public-02-search")

    # A word in the description finds the company too; nothing found says so.
    page.get_by_role("searchbox", name="Bedrijven zoeken").fill("gastheren")
    results.get_by_role("link", name="Brouwerij Oost").wait_for()
    assert company_links(results) == ["Brouwerij Oost"]
    page.get_by_role("searchbox", name="Bedrijven zoeken").fill("fietsenmaker")
    results.get_by_text("Er is geen bedrijf gevonden dat past bij je zoekopdracht.").wait_for()
    assert company_links(results) == []
    assert page.evaluate("window.sbSamePage === true")
    check_page(page, "public-03-no-results")

    # 3. A public company's page: what it chose to share, not its private details.
    page.get_by_role("searchbox", name="Bedrijven zoeken").fill("brouwerij")
    results.get_by_role("link", name="Brouwerij Oost").click()
    page.get_by_role("heading", name="Brouwerij Oost", exact=True).wait_for()
    brewery = Company.objects.get(name="Brouwerij Oost")
    page.wait_for_url(f"**/bedrijven/{brewery.pk}/")
    main = page.locator("main").inner_text()
    assert "Ambachtelijk bier uit Amsterdam-Oost" in main
    assert brewery.kvk_number in main
    assert "Zeeburgerdijk 55" not in main  # the street address is private
    assert page.get_by_role("heading", name="Werkbegeleiders").count() == 0
    assert page.get_by_role("link", name="Bedrijfsgegevens bewerken").count() == 0
    check_page(page, "public-04-company")

    # 4. The company that is not listed does not exist for a visitor.
    response = page.goto(f"/bedrijven/{hidden.pk}/")
    assert response.status == 404
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    assert "Bakkerij Geheim" not in page.content()
    check_page(page, "public-05-hidden-company-404")

    # 5. The footer links: privacy, and the sources and licences of the data.
    page.goto("/bedrijven/")
    page.locator("footer").get_by_role("link", name="Privacy").click()
    page.wait_for_url("**/privacy/")
    page.get_by_role("heading", name="Privacy", exact=True).wait_for()
    assert page.get_by_text("Veel van onze studenten zijn minderjarig.").is_visible()
    check_page(page, "public-06-privacy")

    page.locator("footer").get_by_role(
        "link", name="Bronnen en licenties van de referentiegegevens"
    ).click()
    page.wait_for_url("**/over-de-gegevens/")
    page.get_by_role(
        "heading", name="Bronnen en licenties van de referentiegegevens", exact=True
    ).wait_for()
    table = page.get_by_role("table")
    assert table.get_by_role("cell", name="CC BY 4.0").first.is_visible()
    assert "GeoNames" in table.inner_text()
    check_page(page, "public-07-about-data")

    # 6. An address that does not exist: a clear 404 page with a way back.
    response = page.goto("/deze-pagina-bestaat-niet/")
    assert response.status == 404
    page.get_by_role("heading", name="Pagina niet gevonden").wait_for()
    assert page.get_by_text("Deze pagina bestaat niet, of je mag hem niet zien.").is_visible()
    check_page(page, "public-08-not-found")
    page.get_by_role("link", name="Naar de startpagina").click()
    page.wait_for_url(f"{live_server.url}/")
