"""A student reads the inbox and marks everything read, withdraws one application and declines
the offer on another; then downloads "my data" as JSON and deletes the account, after which
logging in no longer works. Run in the English interface."""

from __future__ import annotations

import json
import re

import pytest

from stagebrug.accounts.models import User
from stagebrug.applications import services
from stagebrug.applications.models import Application, ApplicationStatus, Notification
from stagebrug.core.models import AuditEvent
from stagebrug.placements import services as placement_services
from tests.browser.conftest import check_page, english
from tests.factories import PASSWORD
from tests.placements.factories import make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTIVATION = "Ik kook elke dag thuis en wil het vak leren in een echte keuken."


def login(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/account/inloggen/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Log in").click()


def test_student_reads_inbox_withdraws_declines_downloads_data_and_deletes_account(
    page, live_server, personas, published, kok_student, tmp_path
):
    p = personas
    student = p.student
    kitchen = published
    bakery = make_placement(
        p.company,
        p.owner,
        title="Stage bakkerij (MBO 2)",
        buddy=p.company.supervisors.get(name="Chef Bram"),
    )
    placement_services.placement_submit(placement=bakery, by=p.owner)
    placement_services.placement_decide(target=bakery.targets.get(), by=p.coordinator, approve=True)
    to_withdraw = services.application_create(
        student=student, placement=kitchen, motivation=MOTIVATION
    )
    to_decline = services.application_create(
        student=student, placement=bakery, motivation=MOTIVATION
    )
    services.application_move(application=to_withdraw, by=p.owner, to=ApplicationStatus.SHORTLISTED)
    services.application_move(application=to_decline, by=p.owner, to=ApplicationStatus.OFFER)
    assert Notification.objects.filter(user=student, read_at=None).count() == 2
    english(page, live_server)
    login(page, student.email)
    page.wait_for_url("**/account/")

    # 1. The inbox: two unread messages, then all read.
    nav = page.get_by_role("navigation", name="Main menu")
    assert nav.get_by_role("link", name="Inbox 2 unread").is_visible()
    page.goto("/meldingen/")
    page.get_by_role("heading", name="Your inbox").wait_for()
    main = page.locator("main")
    assert main.get_by_text("2 unread").is_visible()
    # Notifications are stored in the language of the moment they were made (here: Dutch).
    offer_link = main.get_by_role("link", name=re.compile(r"Stage bakkerij \(MBO 2\)"))
    shortlist_link = main.get_by_role("link", name=re.compile(r"Stage keuken \(MBO 2\)"))
    assert offer_link.is_visible() and shortlist_link.is_visible()
    assert main.locator(".utrecht-status-badge", has_text="new").count() == 2
    check_page(page, "student-account-01-inbox")
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_role("button", name="Mark all as read").wait_for(state="detached")
    assert main.locator(".utrecht-status-badge", has_text="new").count() == 0
    assert nav.get_by_role("link", name="Inbox", exact=True).is_visible()
    check_page(page, "student-account-02-inbox-read")
    assert not Notification.objects.filter(user=student, read_at=None).exists()

    # 2. Withdraw the kitchen application (after confirming).
    shortlist_link.click()
    page.wait_for_url(f"**/sollicitaties/{to_withdraw.pk}/")
    page.get_by_role("heading", name="Stage keuken (MBO 2)").wait_for()
    check_page(page, "student-account-03-application")
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Withdraw").click()
    page.locator("main .utrecht-status-badge", has_text="Withdrawn").wait_for()
    assert dialogs == ["Withdraw your application?"]
    assert page.get_by_role("button", name="Withdraw").count() == 0
    check_page(page, "student-account-04-withdrawn")
    to_withdraw.refresh_from_db()
    assert to_withdraw.status == ApplicationStatus.WITHDRAWN

    # 3. Decline the offer on the bakery placement.
    page.goto("/sollicitaties/")
    check_page(page, "student-account-05-applications")
    page.get_by_role("link", name="Stage bakkerij (MBO 2)").click()
    page.get_by_role("button", name="Accept the offer").wait_for()
    check_page(page, "student-account-06-offer")
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Decline").click()
    page.locator("main .utrecht-status-badge", has_text="Offer declined").wait_for()
    assert dialogs[-1] == "Decline this offer?"
    assert page.get_by_role("button", name="Accept the offer").count() == 0
    check_page(page, "student-account-07-declined")
    to_decline.refresh_from_db()
    assert to_decline.status == ApplicationStatus.DECLINED
    # The business is told both.
    assert Notification.objects.filter(user=p.owner, kind="application.withdrawn").exists()
    assert Notification.objects.filter(user=p.owner, kind="application.declined").exists()

    # 4. My data: shown on the page and downloaded as JSON.
    page.goto("/account/")
    page.get_by_role("link", name="My data").click()
    page.get_by_role("heading", name="My data", exact=True).wait_for()
    assert main.get_by_text(student.email).is_visible()
    check_page(page, "student-account-08-my-data")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = download_info.value
    assert download.suggested_filename == "stagebrug-mijn-gegevens.json"
    path = tmp_path / "data.json"
    download.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["user"]["email"] == student.email
    assert data["user"]["full_name"] == "Stan Student"
    assert data["student_profile"]["programme"] == "Kok"
    assert data["student_profile"]["home_postcode_area"] == "1094"
    assert {(a["placement"], a["status"]) for a in data["applications"]} == {
        ("Stage keuken (MBO 2)", "withdrawn"),
        ("Stage bakkerij (MBO 2)", "declined"),
    }
    assert {m["role"] for m in data["memberships"]} == {"student"}
    assert len(data["notifications"]) == 2

    # 5. Delete the account: a wrong password is refused, the right one deletes it.
    page.get_by_role("link", name="Delete my account").click()
    page.get_by_role("heading", name="Delete my account").wait_for()
    check_page(page, "student-account-09-erase")
    page.get_by_label("Your password, to confirm").fill("not-my-password")
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("This password is not correct.").wait_for()
    assert page.get_by_label("Your password, to confirm").get_attribute("aria-invalid") == "true"
    check_page(page, "student-account-10-erase-error")
    assert User.objects.filter(pk=student.pk).exists()
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("Your account and your personal data were deleted.").wait_for()
    assert page.get_by_role("link", name="Log in").first.is_visible()  # logged out
    check_page(page, "student-account-11-deleted")
    assert not User.objects.filter(email=student.email).exists()
    assert not Application.objects.filter(pk__in=[to_withdraw.pk, to_decline.pk]).exists()
    assert AuditEvent.objects.filter(action="user.erase", object_id=str(student.pk)).exists()

    # 6. Logging in no longer works.
    login(page, student.email)
    page.get_by_role("alert").wait_for()
    assert page.url.endswith("/account/inloggen/")
    check_page(page, "student-account-12-login-refused")
