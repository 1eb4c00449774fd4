"""A school's staff member logs in for the first time: after the password, Stagebrug asks them
to set up an authenticator app (QR code or a key to type), shows the recovery codes once, and
from then on asks for a code at every login; a wrong code is explained, a recovery code works
once."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page

from stagebrug.accounts.models import Role
from stagebrug.accounts.services import membership_grant
from stagebrug.registry.models import Institution
from tests.browser.conftest import check_page, logout
from tests.factories import PASSWORD, UserFactory
from tests.two_step import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_shows(secret: str) -> str:
    """What an authenticator app that was given `secret` shows now."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    return f"{totp.token():06d}"


def password(page: Page, email: str) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/account/tweestaps/"))


def test_staff_log_in_with_a_code_from_their_phone(page: Page):
    teacher = UserFactory(email="docent@rocva.example", full_name="Dina Docent")
    membership_grant(
        user=teacher, role=Role.SCHOOL_SUPERVISOR, institution=Institution.objects.get(brin="25PZ")
    )
    password(page, teacher.email)
    main = page.locator("main")
    main.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    assert main.get_by_role(
        "img", name="QR-code om te scannen met je authenticator-app"
    ).is_visible()
    check_page(page, "second-factor-01-set-up")
    # Every other page waits until this is done.
    page.goto("/account/mijn-gegevens/")
    main.get_by_role("heading", name="Tweestapsverificatie instellen").wait_for()
    secret = page.locator("#secret").inner_text()
    main.get_by_label("De code die je app nu laat zien").fill(app_shows(secret))
    main.get_by_role("button", name="Aanzetten").click()
    main.get_by_role("heading", name="Je herstelcodes").wait_for()
    codes = main.get_by_role("list", name="Herstelcodes").locator("code").all_inner_texts()
    assert len(codes) == 10
    check_page(page, "second-factor-02-recovery-codes")
    main.get_by_role("button", name="Ik heb ze bewaard").click()
    page.wait_for_url("**/account/mijn-gegevens/")
    logout(page)

    # The next login: the password, then a code.
    password(page, teacher.email)
    main.get_by_role("heading", name="Tweestapsverificatie").wait_for()
    main.get_by_label("Code").fill("000000")
    main.get_by_role("button", name="Bevestigen").click()
    main.get_by_text("Deze code klopt niet").wait_for()
    check_page(page, "second-factor-03-wrong-code")
    time.sleep(1.2)  # a wrong code slows the next try down by a second
    # The app's next code: the one it showed at set-up is used, and the device has learnt
    # how far the phone's clock is off.
    main.get_by_label("Code").fill(code_for(teacher.email))
    main.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/account/")
    main.get_by_role("link", name="Tweestapsverificatie").click()
    main.get_by_text("Je hebt nog 10 ongebruikte herstelcodes.").wait_for()
    check_page(page, "second-factor-04-manage")
    logout(page)

    # No phone at hand: a recovery code, once.
    password(page, teacher.email)
    main.get_by_label("Code").fill(codes[0])
    main.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/account/")
    assert "er zijn er nog 9 over" in main.inner_text()
