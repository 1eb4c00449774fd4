"""A coordinator does not approve a submitted placement for a programme (without a reason that
is refused: the business must know what to change); the business owner reads the reason on
the placement's page, edits the placement and it goes back to the school; the coordinator then
approves it and it is published. Run in the English interface."""

from __future__ import annotations

import pytest
from django.core import mail

import stagebrug.placements.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.placements import services as placement_services
from stagebrug.placements.models import (
    Placement,
    PlacementEvent,
    PlacementProgramme,
    ProgrammeDecision,
    Status,
)
from tests.browser.conftest import check_page, english, login
from tests.placements.factories import make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Say who supervises the student on Saturdays, and how many hours a week."
LEARNING = (
    "Je leert zelfstandig eenvoudige gerechten bereiden en hygiënisch werken in een keuken. "
    "Op zaterdag begeleidt Chef Bram je, vier uur per week."
)


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def status_badge(page):
    return page.locator("main .sb-row .utrecht-status-badge").first


def open_for_review(page, title: str) -> None:
    page.get_by_role("link", name="Placements to review").first.click()
    page.get_by_role("heading", name="Placements for your programmes").wait_for()
    page.locator("main .sb-results").get_by_role("link", name=title).click()
    page.get_by_role("heading", name="Your decision").wait_for()


def events(placement) -> list[str]:
    return list(
        PlacementEvent.objects.filter(placement=placement)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )


def test_coordinator_rejects_with_a_reason_business_fixes_it_and_it_is_approved(
    page, live_server, recognised
):
    p = recognised
    placement = make_placement(
        p.company, p.owner, buddy=p.company.supervisors.get(name="Chef Bram")
    )
    placement_services.placement_submit(placement=placement, by=p.owner)
    target = placement.targets.get()
    assert target.decision == ProgrammeDecision.PENDING
    english(page, live_server)

    # 1. The coordinator does not approve it; without a reason that is refused.
    login(page, p.coordinator.email)
    open_for_review(page, "Stage keuken (MBO 2)")
    assert page.get_by_text("Waiting for the school").first.is_visible()
    check_page(page, "rejection-01-review")
    page.get_by_label("Do not approve").check()
    page.get_by_role("button", name="Save decision").click()
    error = page.locator("#id_reason_error")
    error.wait_for()
    assert "Give the business a reason, so it knows what to change." in error.inner_text()
    assert page.get_by_label("Do not approve").is_checked()  # the choice is kept
    check_page(page, "rejection-02-no-reason")
    target.refresh_from_db()
    assert target.decision == ProgrammeDecision.PENDING and target.reason == ""
    assert "rejected" not in events(placement)

    mails_before = len(mail.outbox)
    page.get_by_label("Reason for the business").fill(REASON)
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Your decision is saved and the business is informed.").wait_for()
    page.get_by_text("Nothing here right now.").wait_for()  # no placement waits any more
    page.get_by_role("link", name="Not approved", exact=True).click()
    rejected = page.locator("main .sb-results > li").filter(has_text="Stage keuken (MBO 2)")
    rejected.wait_for()
    assert "Not approved" in rejected.inner_text()
    check_page(page, "rejection-03-not-approved-list")
    target.refresh_from_db()
    assert target.decision == ProgrammeDecision.REJECTED and target.reason == REASON
    assert target.decided_by == p.coordinator
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED  # not published, still with the school
    # The business is e-mailed the reason.
    sent = [m for m in mail.outbox[mails_before:] if p.owner.email in m.to]
    assert len(sent) == 1 and REASON in sent[0].body
    assert f"/stageplaatsen/{placement.pk}/" in sent[0].body
    logout(page)

    # 2. The owner reads the reason on the placement's page.
    login(page, p.owner.email)
    page.locator("main").get_by_role("link", name="Placements", exact=True).click()
    page.get_by_role("heading", name="Placements", exact=True).wait_for()
    page.get_by_role("link", name="Stage keuken (MBO 2)").click()
    page.wait_for_url(f"**/stageplaatsen/{placement.pk}/")
    decisions = page.get_by_role("heading", name="Programmes and the schools' decisions").locator(
        ".."
    )
    decision = decisions.locator("p").filter(has_text="Not approved")
    assert decision.inner_text() == f"Not approved — {REASON}"
    history = page.get_by_role("heading", name="History").locator("..")
    assert "Not approved for Kok" in history.inner_text()
    assert f"“{REASON}”" in history.inner_text()
    assert status_badge(page).inner_text() == "Submitted to the school"
    check_page(page, "rejection-04-owner-reads-reason")

    # 3. She edits the placement; it goes back to the school, waiting for a new decision.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name="Edit placement").wait_for()
    check_page(page, "rejection-05-edit")
    mails_before = len(mail.outbox)
    page.get_by_label("What the student will learn").fill(LEARNING)
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_text("Saved.").wait_for()
    page.wait_for_url(f"**/stageplaatsen/{placement.pk}/")
    assert status_badge(page).inner_text() == "Submitted to the school"
    assert decisions.locator("p").filter(has_text="Waiting for the school").is_visible()
    assert decisions.get_by_text(REASON).count() == 0  # the old reason no longer applies
    assert page.get_by_text("Sent to the schools again after a change").is_visible()
    check_page(page, "rejection-06-resubmitted")
    placement.refresh_from_db()
    target.refresh_from_db()
    assert placement.status == Status.SUBMITTED and placement.learning == LEARNING
    assert target.decision == ProgrammeDecision.PENDING and target.reason == ""
    assert events(placement)[-2:] == ["updated", "resubmitted"]
    assert any(p.coordinator.email in m.to for m in mail.outbox[mails_before:])
    logout(page)

    # 4. The coordinator looks again and approves: the placement is published.
    login(page, p.coordinator.email)
    open_for_review(page, "Stage keuken (MBO 2)")
    assert page.get_by_text(LEARNING).is_visible()  # the new version
    mails_before = len(mail.outbox)
    page.get_by_label("Approve for this programme").check()
    page.get_by_role("button", name="Save decision").click()
    page.get_by_text("Your decision is saved and the business is informed.").wait_for()
    page.get_by_role("link", name="Approved", exact=True).click()
    approved = page.locator("main .sb-results > li").filter(has_text="Stage keuken (MBO 2)")
    approved.wait_for()
    assert "Approved" in approved.inner_text()
    check_page(page, "rejection-07-approved-list")
    target = PlacementProgramme.objects.get(pk=target.pk)
    assert target.decision == ProgrammeDecision.APPROVED and target.decided_by == p.coordinator
    placement = Placement.objects.get(pk=placement.pk)
    assert placement.status == Status.PUBLISHED and placement.published_at is not None
    assert events(placement)[-2:] == ["approved", "published"]
    assert any(p.owner.email in m.to for m in mail.outbox[mails_before:])

    # Students can find it now.
    page.goto(f"/stages/{placement.pk}/")
    page.get_by_role("heading", name="Stage keuken (MBO 2)").wait_for()
    check_page(page, "rejection-08-public")
