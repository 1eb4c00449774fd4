"""A company owner keeps the company up to date: edits its details (a bad KvK number is refused
on the field), adds, edits and deletes a location, invites a colleague and removes another, and
creates and revokes a personal API token. Run in the English interface."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from stagebrug.accounts.models import ApiToken, Invitation, Membership, Role
from stagebrug.registry.models import Location
from tests.browser.conftest import check_page, english, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_edits_company_locations_team_and_api_tokens(page, live_server, browser, personas):
    p = personas
    company = p.company
    kvk_before = company.kvk_number
    english(page, live_server)
    login(page, p.owner.email)

    # 1. Company details: a bad KvK number is refused on its field, then a good edit is saved.
    page.get_by_role("link", name="Company page").click()
    page.get_by_role("heading", name="Bakkerij A", exact=True).wait_for()
    check_page(page, "company-01-page")
    page.get_by_role("link", name="Edit company details").click()
    page.get_by_role("heading", name="Company details").wait_for()
    check_page(page, "company-02-edit")
    page.get_by_label("KvK number").fill("1234")
    page.get_by_label("Name", exact=True).fill("Bakkerij A & Zonen")
    page.get_by_role("button", name="Save").click()
    error = page.locator("#id_kvk_number_error")
    error.wait_for()
    assert "A KvK number has exactly 8 digits" in error.inner_text()
    assert page.get_by_label("KvK number").get_attribute("aria-invalid") == "true"
    check_page(page, "company-03-edit-error")
    company.refresh_from_db()
    assert company.kvk_number == kvk_before and company.name == "Bakkerij A"

    page.get_by_label("KvK number").fill("8765 4321")
    page.get_by_label("Number of employees").fill("12")
    page.get_by_label("Description").fill("Ambachtelijke bakkerij in Amsterdam-Oost.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Bakkerij A & Zonen").wait_for()
    page.get_by_text("Saved.").wait_for()
    assert page.get_by_text("Ambachtelijke bakkerij in Amsterdam-Oost.").is_visible()
    company.refresh_from_db()
    assert company.name == "Bakkerij A & Zonen"
    assert company.kvk_number == "87654321" and company.employee_count == 12

    # 2. Locations: add one, edit it, delete it after a confirmation page.
    page.get_by_role("link", name="Manage locations").click()
    page.get_by_role("heading", name="Locations", exact=True).wait_for()
    check_page(page, "company-04-locations")
    form = page.locator("form", has=page.get_by_role("button", name="Add"))
    form.get_by_label("Name").fill("Filiaal Zuid")
    form.get_by_label("Street").fill("Beethovenstraat")
    form.get_by_label("House number").fill("20")
    form.get_by_label("Postcode").fill("1077 JH")
    form.get_by_label("Place").fill("Amsterdam")
    page.get_by_role("button", name="Add").click()
    page.get_by_text("Saved.").wait_for()
    page.get_by_role("heading", name="Registered (2)").wait_for()
    assert page.get_by_text("Beethovenstraat 20").first.is_visible()
    check_page(page, "company-05-location-added")
    location = Location.objects.get(company=company, name="Filiaal Zuid")
    assert location.postcode == "1077 JH" and not location.is_main

    page.get_by_role("link", name="Edit Filiaal Zuid (Amsterdam)").click()
    page.get_by_role("heading", name="Filiaal Zuid (Amsterdam)").wait_for()
    check_page(page, "company-06-location-edit")
    page.get_by_label("House number").fill("22")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved.").wait_for()
    page.get_by_text("Beethovenstraat 22").first.wait_for()
    location.refresh_from_db()
    assert location.house_number == "22"

    page.get_by_role("link", name="Delete Filiaal Zuid (Amsterdam)").click()
    page.get_by_role("heading", name="Delete Filiaal Zuid (Amsterdam)?").wait_for()
    check_page(page, "company-07-location-delete")
    page.get_by_role("button", name="Yes, delete").click()
    page.get_by_text("Deleted.").wait_for()
    page.get_by_role("heading", name="Registered (1)").wait_for()
    check_page(page, "company-08-location-deleted")
    assert not Location.objects.filter(pk=location.pk).exists()
    assert company.locations.count() == 1

    # 3. The team: invite a colleague (by e-mail) and remove another (after confirming).
    page.goto(f"/bedrijven/{company.pk}/")
    page.get_by_role("link", name="Colleagues and invitations").click()
    page.get_by_role("heading", name="Colleagues and invitations").wait_for()
    team = page.get_by_role("table")
    assert team.get_by_role("cell", name="Mo Member", exact=True).is_visible()
    check_page(page, "company-09-team")
    page.get_by_label("E-mail address of the person you invite").fill("nieuw@a.example")
    page.get_by_label("Role").select_option(value=Role.COMPANY_MEMBER)
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("We sent an invitation to nieuw@a.example.").wait_for()
    assert page.get_by_text("nieuw@a.example — Company colleague").is_visible()
    check_page(page, "company-10-invited")
    invitation = Invitation.objects.get(email="nieuw@a.example")
    assert invitation.company == company and invitation.role == Role.COMPANY_MEMBER
    invite_mail = next(m for m in mail.outbox if m.to == ["nieuw@a.example"])
    assert re.search(r"/account/uitnodiging/\S+/", invite_mail.body)

    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Remove Mo Member").click()
    page.get_by_text("Removed.").wait_for()
    assert dialogs == ["Remove this person?"]
    assert team.get_by_role("cell", name="Mo Member", exact=True).count() == 0
    check_page(page, "company-11-removed")
    assert not Membership.objects.filter(user=p.member, company=company).exists()
    assert Membership.objects.filter(user=p.supervisor, company=company).exists()

    # 4. An API token: shown once, works for the API, and stops working when revoked.
    page.goto("/account/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_role("heading", name="API tokens").wait_for()
    assert page.get_by_text("You have no tokens.").is_visible()
    check_page(page, "company-12-api-tokens")
    page.get_by_label("Name of the token").fill("Roostersysteem")
    page.get_by_role("button", name="Create token").click()
    key = page.locator("#new-token")
    key.wait_for()
    raw = key.inner_text().strip()
    assert raw.startswith("sb_")
    assert page.get_by_role("button", name="Revoke Roostersysteem").is_visible()
    check_page(page, "company-13-token-created")
    token = ApiToken.objects.get(user=p.owner, name="Roostersysteem")
    assert token.revoked_at is None and raw[3:11] == token.prefix

    api = browser.new_context(base_url=live_server.url)  # no session: only the token counts
    try:
        headers = {"Authorization": f"Bearer {raw}"}
        response = api.request.get("/api/v1/me/companies", headers=headers)
        assert response.status == 200
        assert "Bakkerij A & Zonen" in response.text()

        page.get_by_role("button", name="Revoke Roostersysteem").click()
        page.get_by_text("The token no longer works.").wait_for()
        page.get_by_text("You have no tokens.").wait_for()
        check_page(page, "company-14-token-revoked")
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert api.request.get("/api/v1/me/companies", headers=headers).status == 401
    finally:
        api.close()
