"""A business owner turns down a student's application (without a reason that is refused:
students always get an answer); the student reads the answer and the reason in the inbox and on
the application page. Run in the English interface."""

from __future__ import annotations

import re

import pytest

import stagebrug.applications.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.applications import services as application_services
from stagebrug.applications.models import Application, ApplicationStatus, Notification
from tests.browser.conftest import check_page, english, login, uses_english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = (
    "We chose a student who can also work on Saturdays. Your motivation was good: "
    "apply again in the spring!"
)
TITLE = "Answer on your application for Stage keuken (MBO 2)"


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def status_badge(page):
    return page.locator("main h1 + p .utrecht-status-badge")


def history(page):
    return page.get_by_role("heading", name="History").locator("..")


def test_owner_turns_an_application_down_with_a_reason_and_the_student_reads_it(
    page, live_server, personas, published, kok_student
):
    p = personas
    placement = published
    application = application_services.application_create(
        student=p.student,
        placement=placement,
        motivation="Ik kook elke dag thuis en wil het vak leren in een echte keuken.",
    )
    english(page, live_server)
    uses_english(p.student)

    # 1. The owner opens the application from the placement's list of applications.
    login(page, p.owner.email)
    page.goto(f"/stageplaatsen/{placement.pk}/")
    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_role("heading", name="Applications", exact=True).wait_for()
    check_page(page, "turn-down-01-applications")
    page.get_by_role("link", name="Stan Student").click()
    page.get_by_role("heading", name="Stan Student").wait_for()
    assert status_badge(page).inner_text() == "Applied"
    check_page(page, "turn-down-02-application")

    # Turning down without a reason is refused; nothing changes.
    page.get_by_role("button", name="Turn down with this reason").click()
    alert = page.get_by_role("alert").filter(has_text="Give the student a reason")
    alert.wait_for()
    assert "Give the student a reason: they always get an answer." in alert.inner_text()
    assert status_badge(page).inner_text() == "Applied"
    check_page(page, "turn-down-03-no-reason")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert not Notification.objects.filter(user=p.student, kind="application.rejected").exists()

    # With a reason: the application is turned down and the reason is in its history.
    page.get_by_role("textbox", name=re.compile(r"^Reason\b")).fill(REASON)
    page.get_by_role("button", name="Turn down with this reason").click()
    page.get_by_role("button", name="Turn down with this reason").wait_for(state="detached")
    assert status_badge(page).inner_text() == "Not chosen"
    assert f"“{REASON}”" in history(page).inner_text()
    assert page.get_by_role("button", name="Make an offer").count() == 0
    check_page(page, "turn-down-04-turned-down")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.business_replied_at is not None
    event = application.events.order_by("-created_at", "-id").first()
    assert (event.to_status, event.reason, event.actor) == ("rejected", REASON, p.owner)
    logout(page)

    # 2. The student finds the answer, with the reason, in the inbox.
    login(page, p.student.email)
    page.locator("header").get_by_role("link", name="Inbox").click()
    page.get_by_role("heading", name="Your inbox").wait_for()
    message = page.locator("main .sb-results > li").filter(has_text=TITLE)
    assert REASON in message.inner_text()
    assert "new" in message.locator(".utrecht-status-badge").inner_text()
    check_page(page, "turn-down-05-student-inbox")
    note = Notification.objects.get(user=p.student, kind="application.rejected")
    assert note.title == TITLE and note.body == REASON and note.read_at is None

    # 3. The application page shows the status and the reason; it can no longer be withdrawn.
    message.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/sollicitaties/{application.pk}/")
    page.get_by_role("heading", name="Stage keuken (MBO 2)").wait_for()
    assert status_badge(page).inner_text() == "Not chosen"
    assert f"“{REASON}”" in history(page).inner_text()
    assert "Olga Owner" in history(page).inner_text()
    assert page.get_by_role("button", name="Withdraw").count() == 0
    # The answer is final: the conversation is closed, so no message can press for another.
    assert page.get_by_text("its conversation is closed").is_visible()
    assert page.get_by_role("button", name="Send").count() == 0
    check_page(page, "turn-down-06-student-application")

    page.get_by_role("link", name="My applications").first.click()
    page.get_by_role("heading", name="My applications").wait_for()
    row = page.locator("main .sb-results > li").filter(has_text="Stage keuken (MBO 2)")
    assert "Not chosen" in row.inner_text()
    check_page(page, "turn-down-07-my-applications")
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.REJECTED


def test_the_reason_to_turn_down_is_not_labelled_optional(
    page, live_server, personas, published, kok_student
):
    application = application_services.application_create(
        student=personas.student,
        placement=published,
        motivation="Ik kook elke dag thuis en wil het vak leren in een echte keuken.",
    )
    english(page, live_server)
    login(page, personas.owner.email)
    page.goto(f"/sollicitaties/{application.pk}/")
    form = page.locator("form", has=page.get_by_role("button", name="Turn down with this reason"))
    form.wait_for()
    check_page(page, "turn-down-08-reason-field")
    # The field is there either way; its label must not invite the owner to leave it empty.
    assert form.get_by_role("textbox", name=re.compile(r"^Reason\b")).is_visible()
    assert form.locator("label").inner_text().strip() == "Reason"
