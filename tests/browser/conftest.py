"""Browser tests: Playwright drives Chromium (Debian's /usr/bin/chromium where it exists,
otherwise Playwright's own), every visited page is checked with axe-core, and screenshots land
in test-artifacts/screenshots/."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (set-up and assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("STAGEBRUG_CHROMIUM") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> str:
    return request.param


@pytest.fixture
def page(browser, live_server, reference_data, viewport) -> Page:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport], locale="nl-NL", base_url=live_server.url
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.viewport_name = viewport  # type: ignore[attr-defined]
    # Everything the Content Security Policy refused on any page of the test: Chromium reports
    # each refusal (an inline script or style, a foreign source, eval) on the console.
    refused: list[str] = []
    page.csp_refused = refused  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert not refused, "Content Security Policy violations:\n" + "\n".join(refused)


def check_page(page: Page, name: str) -> None:
    """Run axe-core on the page (no serious or critical violations) and take a screenshot.

    A click on a link returns before the next page has loaded, so wait for it; should a
    navigation still replace the document while axe runs, run it once more on the new page."""
    page.wait_for_load_state()
    try:
        results = _axe.run(page)
    except PlaywrightError:
        page.wait_for_load_state()
        results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
    csp = list(getattr(page, "csp_refused", []))
    assert not csp, f"{name}: Content Security Policy violations:\n" + "\n".join(csp)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.viewport_name}.png"), full_page=True)
    assert not bad, f"{name}: accessibility violations:\n" + "\n".join(bad)


def uses_english(*users) -> None:
    """These people have used the site in English before (as the site records it), so what is
    sent to them before they next log in, inbox messages included, is written in English."""
    from stagebrug.accounts.models import User

    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def english(page: Page, live_server) -> None:
    """Show the site in English in this browser (the language switch's cookie)."""
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def login(page: Page, email: str, password: str | None = None) -> None:
    """Log in on the login page, in Dutch or English, and wait for the account page."""
    from tests.factories import PASSWORD

    page.goto("/account/inloggen/")
    page.get_by_label(re.compile(r"^(E-mailadres|E-mail address)$")).fill(email)
    page.get_by_label(re.compile(r"^(Wachtwoord|Password)$")).fill(password or PASSWORD)
    page.locator("main").get_by_role("button", name=re.compile(r"^(Inloggen|Log in)$")).click()
    after_password(page, email)


def after_password(page: Page, email: str) -> None:
    """After the login form: the second step where the person has one, then the account page."""
    page.wait_for_url(re.compile(r"/account/(tweestaps/(instellen/)?\?.*)?$"))
    if "/tweestaps/" in page.url:
        second_step(page, email)
    page.wait_for_url("**/account/")


def second_step(page: Page, email: str) -> None:
    """Two-step verification, as the person does it: a code from the app (tests.two_step
    computes it from the key), after setting the app up where they have none yet."""
    from tests.two_step import code_for

    setting_up = "/instellen/" in page.url
    page.get_by_label(
        re.compile(r"^(Code|De code die je app nu laat zien|The code your app shows now)")
    ).fill(code_for(email))
    page.locator("main").get_by_role(
        "button", name=re.compile(r"^(Aanzetten|Turn on|Bevestigen|Confirm)$")
    ).click()
    if setting_up:
        page.wait_for_url("**/tweestaps/herstelcodes/**")
        page.get_by_role(
            "button", name=re.compile(r"^(Ik heb ze bewaard|I have stored them)$")
        ).click()


def logout(page: Page) -> None:
    """Log out with the header's button, in Dutch or English."""
    page.get_by_role("button", name=re.compile(r"^(Uitloggen|Log out)$")).click()
    page.wait_for_load_state()
