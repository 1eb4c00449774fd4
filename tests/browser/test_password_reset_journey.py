"""A user who forgot the password asks for a link (an unknown address gets the same answer and
no e-mail), follows the link in the e-mail, chooses a new password (two different ones are
refused) and logs in with it; the old password and the used link no longer work. Run in the
English interface: the e-mail comes in the language the user used."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.browser.conftest import check_page, english
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "nieuw-wachtwoord-voor-2026"


def log_in(page, email: str, password: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()


def ask_for_a_link(page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("heading", name="Forgot your password?").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Send link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()


def test_user_resets_a_forgotten_password_and_logs_in_with_the_new_one(page, live_server):
    user = UserFactory(email="vergeten@example.org", full_name="Vera Vergeet")
    english(page, live_server)

    # 1. An unknown address: the same answer, and no e-mail (nobody learns who has an account).
    ask_for_a_link(page, "niemand@example.org")
    assert page.url.endswith("/account/wachtwoord-vergeten/verstuurd/")
    assert mail.outbox == []

    # 2. The user's own address: an e-mail with a link.
    page.goto("/account/inloggen/")
    check_page(page, "reset-01-login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("heading", name="Forgot your password?").wait_for()
    check_page(page, "reset-02-form")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("button", name="Send link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    check_page(page, "reset-03-sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Choose a new password for Stagebrug"
    link = re.search(r"https?://[^/\s]+(/account/wachtwoord-herstellen/\S+/\S+/)", message.body)
    assert link, message.body

    # 3. The link: two different passwords are refused, then the new one is saved.
    page.goto(link.group(1))
    page.get_by_role("heading", name="Choose a new password").wait_for()
    check_page(page, "reset-04-choose")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Save password").click()
    page.locator("#id_new_password2_error").wait_for()
    assert "didn’t match" in page.locator("#id_new_password2_error").inner_text()
    check_page(page, "reset-05-mismatch")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    page.get_by_role("heading", name="Password saved").wait_for()
    check_page(page, "reset-06-saved")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)

    # 4. The old password no longer works; the new one does.
    log_in(page, user.email, PASSWORD)
    page.get_by_role("alert").wait_for()
    assert page.url.endswith("/account/inloggen/")
    check_page(page, "reset-07-old-password")
    log_in(page, user.email, NEW_PASSWORD)
    page.wait_for_url("**/account/")
    page.get_by_role("heading", name="Hello Vera").wait_for()
    check_page(page, "reset-08-dashboard")

    # 5. The link was for one use only.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    page.goto(link.group(1))
    page.get_by_text("This link is no longer valid.").wait_for()
    check_page(page, "reset-09-link-used")
