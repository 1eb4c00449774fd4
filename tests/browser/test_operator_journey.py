"""The operator opens the audit log from the dashboard, narrows it to one person's changes,
downloads exactly those as CSV, and checks that the background jobs keep up; on a phone too."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import Page

from stagebrug.core.audit import audit_log
from stagebrug.core.models import AuditEvent
from tests.browser.conftest import check_page, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_operator_reads_the_audit_log_and_the_queue(page: Page, personas):
    AuditEvent.objects.all().delete()
    audit_log(actor=personas.owner, action="company.updated", obj=personas.company)
    audit_log(actor=personas.coordinator, action="placement.approved", obj=personas.company)

    login(page, personas.operator.email)
    page.get_by_role("link", name="Logboek: wie wijzigde wat").click()
    page.get_by_role("heading", name="Logboek", level=1).wait_for()
    log = page.get_by_role("table", name="Wijzigingen, nieuwste eerst")
    assert "company.updated" in log.inner_text() and "placement.approved" in log.inner_text()
    check_page(page, "operator-01-audit-log")

    page.get_by_label("Wie (e-mailadres)").fill(personas.coordinator.email)
    page.get_by_role("button", name="Tonen").click()
    page.get_by_text("1 wijziging gevonden.").wait_for()
    assert "company.updated" not in log.inner_text()
    check_page(page, "operator-02-filtered")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download deze wijzigingen (CSV)").click()
    with open(info.value.path(), encoding="utf-8-sig") as downloaded:
        rows = list(csv.reader(io.StringIO(downloaded.read()), delimiter=";"))
    assert [row[1:3] for row in rows[1:]] == [[personas.coordinator.email, "placement.approved"]]

    page.goto("/account/")
    page.get_by_role("link", name="Achtergrondtaken").click()
    page.get_by_role("heading", name="Achtergrondtaken", level=1).wait_for()
    page.get_by_role("status").get_by_text("Alles is in orde").wait_for()
    check_page(page, "operator-03-queue")
