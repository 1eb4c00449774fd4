"""A school's coordinator keeps a programme's placement requirements up to date and invites a
colleague, who accepts the invitation and gets access (W15: one place with every programme's
requirements and contact)."""

import re

import pytest
from django.core import mail

from stagebrug.accounts.models import Membership, Role
from stagebrug.accounts.services import membership_grant
from stagebrug.registry.models import Institution, Programme
from tests.browser.conftest import check_page, login, second_step
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_edits_requirements_and_invites_a_colleague(page, viewport, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    hva = Institution.objects.get(brin="28DN")
    coordinator = UserFactory(email=f"coord-{viewport}@hva.example", full_name="Joost Meijer")
    membership_grant(user=coordinator, role=Role.SCHOOL_COORDINATOR, institution=hva)
    programme = Programme.objects.get(institution=hva, croho__code="34405")

    login(page, coordinator.email)
    page.goto(f"/scholen/{hva.slug}/beheer/")
    check_page(page, "school-01-manage")
    page.get_by_role(
        "link", name=re.compile("Stage-eisen.*Communicatie|Eisen.*Communicatie")
    ).first.click()
    check_page(page, "school-02-requirements")
    page.locator("#id_hours_per_week_min").fill("30")
    page.locator("#id_hours_per_week_max").fill("36")
    page.locator("#id_learning_outcomes").fill(
        "Maakt een communicatieplan\nTest een campagne bij de doelgroep"
    )
    page.locator("main form button[type=submit]").click()
    page.get_by_text("30–36").first.wait_for()
    assert "Test een campagne bij de doelgroep" in page.locator("main").inner_text()
    check_page(page, "school-03-programme")
    programme.requirements.refresh_from_db()
    assert programme.requirements.hours_per_week_min == 30

    # Invite a school supervisor (stagedocent); the invitation arrives by e-mail.
    page.goto(f"/scholen/{hva.slug}/beheer/")
    page.locator("#id_email").fill(f"docent-{viewport}@hva.example")
    page.locator("#id_role").select_option(value=Role.SCHOOL_SUPERVISOR)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text(f"docent-{viewport}@hva.example").first.wait_for()
    link = re.search(r"https?://\S+/account/uitnodiging/(\S+)/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"/account/uitnodiging/{link.group(1)}/")
    check_page(page, "school-04-invitation")
    page.get_by_label("Je naam").fill("Dora Docent")
    page.get_by_label("Wachtwoord", exact=True).fill("docent-wachtwoord-2026")
    page.get_by_label("Wachtwoord nog een keer").fill("docent-wachtwoord-2026")
    page.locator("main form button[type=submit]").click()
    # School staff set up two-step verification before anything else.
    page.wait_for_url("**/account/tweestaps/instellen/**")
    check_page(page, "school-05-two-step")
    second_step(page, f"docent-{viewport}@hva.example")
    page.wait_for_url("**/account/")
    check_page(page, "school-06-dashboard")
    assert Membership.objects.filter(
        user__email=f"docent-{viewport}@hva.example", role=Role.SCHOOL_SUPERVISOR, institution=hva
    ).exists()
