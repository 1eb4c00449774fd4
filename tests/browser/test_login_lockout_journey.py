"""Someone who keeps typing a wrong password is paused with a kind message that says for how
long and offers a new password; the right person can log in from elsewhere meanwhile."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import check_page
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def try_password(page: Page, email: str, password: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_wrong_passwords_pause_logging_in_with_a_kind_message(page: Page):
    person = UserFactory(email="vergeetachtig@example.org")
    for attempt in range(4):
        try_password(page, person.email, f"niet-goed-{attempt}")
        page.get_by_label("Wachtwoord").wait_for()  # the form again, with its error
    check_page(page, "lockout-01-wrong-password")
    try_password(page, person.email, "niet-goed-5")
    main = page.locator("main")
    main.get_by_role("heading", name="Inloggen is gepauzeerd").wait_for()
    assert "15 minuten" in main.inner_text()
    check_page(page, "lockout-02-paused")
    # Even the right password waits now; the way out is a new password.
    try_password(page, person.email, PASSWORD)
    main.get_by_role("heading", name="Inloggen is gepauzeerd").wait_for()
    main.get_by_role("link", name="Vraag een nieuw wachtwoord aan").click()
    page.wait_for_url("**/account/wachtwoord-vergeten/")
    check_page(page, "lockout-03-new-password")
