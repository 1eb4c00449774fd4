"""The Content Security Policy holds in a real browser: an injected inline handler does not
run and is reported, and the pages (htmx included) work under the policy. Every other browser
test fails as well on any violation a page reports (conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import check_page

pytestmark = pytest.mark.django_db(transaction=True)
ADMIN = "/beheer/"


def test_an_injected_inline_script_does_not_run_and_is_reported(page: Page):
    page.goto("/")
    check_page(page, "csp-01-home")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend',"
        ' \'<img alt="" src="/no-such-image" onerror="window.injected = true">\')'
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.injected") is None
    refused = page.csp_refused  # type: ignore[attr-defined]
    assert any("inline event handler" in r for r in refused), refused
    refused.clear()  # seen: the fixture checks for any other


def test_live_search_works_under_the_policy(page: Page):
    page.goto("/opleidingen/")
    check_page(page, "csp-02-directory")
    page.get_by_role("searchbox").fill("marketing")
    # htmx fetched the results, swapped them in and pushed the search into the address.
    page.locator("#results").get_by_role(
        "link", name="Medewerker marketing en communicatie"
    ).first.wait_for()
    page.wait_for_url("**q=marketing**")
    check_page(page, "csp-03-directory-search")


def test_the_policy_is_sent_with_every_page(client, reference_data):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_the_api_documentation_and_the_admin_work_under_the_policy(page: Page):
    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/institutions").first.wait_for()
    assert not page.csp_refused  # type: ignore[attr-defined]
    page.goto(ADMIN + "login/")
    page.get_by_text("Stagebrug beheer").wait_for()
    assert not page.csp_refused  # type: ignore[attr-defined]
