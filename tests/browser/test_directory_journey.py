"""Anyone, without logging in: whom do I contact for a marketing intern?"""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import check_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_finds_the_contact_for_a_marketing_intern(page):
    page.goto("/")
    check_page(page, "directory-01-home")
    page.get_by_role("searchbox").fill("marketing")
    page.get_by_role("button", name="Opleidingen zoeken").click()

    results = page.locator("#results")
    results.get_by_role("link", name="Medewerker marketing en communicatie").first.wait_for()
    assert "stages.economie@rocva.example" in results.inner_text()
    check_page(page, "directory-02-results")

    # Live filtering: narrowing to HBO updates the results without a page load.
    page.get_by_label("Soort").select_option(value="hbo")
    results.get_by_role("link", name="Commerciële Economie").wait_for()
    expect(results).not_to_contain_text("Medewerker marketing")
    assert "kind=hbo" in page.url

    results.get_by_role("link", name="Commerciële Economie").click()
    page.get_by_role("heading", name="Commerciële Economie").wait_for()
    contact = page.get_by_role("complementary")
    assert "stages.fbe@hva.example" in contact.inner_text()
    assert "Stage-eisen" in page.content()
    check_page(page, "directory-03-programme")

    page.get_by_role("link", name="Hogeschool van Amsterdam").first.click()
    page.get_by_role("heading", name="Hogeschool van Amsterdam").wait_for()
    check_page(page, "directory-04-school")


def test_language_switch_shows_the_directory_in_english(page):
    page.goto("/opleidingen/")
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Find the right programme").wait_for()
    check_page(page, "directory-05-english")
