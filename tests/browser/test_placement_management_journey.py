"""A company owner manages a published placement: downloads the Stagemarkt CSV and reads the
programme's Atom feed, sees the students who fit (with reasons), edits the placement (it goes
back to the school), withdraws and resubmits it, marks it filled, and closes another one.
Run in the English interface."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core import mail

import stagebrug.placements.views  # noqa: F401  (imported before any request, as on a fresh server)
from stagebrug.applications import services as application_services
from stagebrug.placements import exports
from stagebrug.placements import services as placement_services
from stagebrug.placements.models import Placement, PlacementEvent, ProgrammeDecision, Status
from tests.browser.conftest import check_page, english, login
from tests.placements.factories import kok_programme, make_placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ATOM = "{http://www.w3.org/2005/Atom}"


def status_badge(page):
    return page.locator("main .sb-row .utrecht-status-badge").first


def test_owner_exports_sees_candidates_edits_withdraws_resubmits_fills_and_closes(
    page, live_server, personas, published, kok_student, tmp_path
):
    p = personas
    placement = published
    application_services.profile_save(user=p.student, by=p.student, discoverable=True)
    draft = make_placement(p.company, p.owner, title="Stage afwas (MBO 2)")
    english(page, live_server)
    login(page, p.owner.email)

    # 1. The company's placements, and the CSV for Stagemarkt.
    page.goto(f"/bedrijven/{p.company.pk}/stages/")
    page.get_by_role("heading", name="Placements", exact=True).wait_for()
    check_page(page, "placement-mgmt-01-list")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download for Stagemarkt (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == f"stagebrug-{p.company.kvk_number}-stages.csv"
    path = tmp_path / "stagemarkt.csv"
    download.save_as(path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0] == exports.COLUMNS
    assert len(rows) == 2  # only the published placement, not the draft
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["titel"] == "Stage keuken (MBO 2)"
    assert row["crebo"] == "25180" and row["leerbedrijf_id"] == "100234567"
    assert row["kvk_nummer"] == p.company.kvk_number and row["bedrijfsnaam"] == "Bakkerij A"
    assert row["uren_per_week"] == "32" and row["aantal_plaatsen"] == "2"
    assert row["url"].endswith(f"/stages/{placement.pk}/")

    # 2. The Atom feed of the programme lists the published placement.
    page.goto("/stages/feeds/")
    page.get_by_role("heading", name="Follow new placements (Atom feeds)").wait_for()
    check_page(page, "placement-mgmt-02-feeds")
    feed_link = page.locator(f'a[href="/stages/feeds/opleiding/{kok_programme().pk}/"]')
    assert feed_link.inner_text().startswith("Kok")
    response = page.request.get(feed_link.get_attribute("href"))
    assert response.ok and "atom" in response.headers["content-type"]
    feed = ET.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    assert "Kok" in feed.findtext(f"{ATOM}title")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Stage keuken (MBO 2)"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/stages/{placement.pk}/")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Bakkerij A"
    assert "Groenten snijden" in entry.findtext(f"{ATOM}summary")

    # 3. The students who fit: the discoverable student, with the reasons why.
    page.goto(f"/stageplaatsen/{placement.pk}/")
    page.get_by_role("link", name="Students who fit").click()
    page.get_by_role("heading", name="Students who fit this placement").wait_for()
    # Businesses see the first name only, with programme, school and distance.
    candidate = page.locator("main ol.sb-results > li").filter(
        has=page.get_by_role("heading", name="Stan · Kok (MBO 2, ROC van Amsterdam)")
    )
    candidate.wait_for()
    assert "Stan Student" not in candidate.inner_text()  # not the surname
    reasons = candidate.get_by_role("list", name="Why it fits").get_by_role("listitem")
    assert reasons.count() >= 1
    assert "km" in candidate.inner_text()
    check_page(page, "placement-mgmt-03-candidates")

    # 4. Editing the published placement sends it back to the school.
    page.get_by_role("link", name="Stage keuken (MBO 2)").click()
    assert status_badge(page).inner_text() == "Published"
    check_page(page, "placement-mgmt-04-manage")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_role("heading", name="Edit placement").wait_for()
    assert page.get_by_text("This placement was already sent to the schools.").is_visible()
    check_page(page, "placement-mgmt-05-edit")
    page.get_by_label("Title").fill("Stage keuken en lunchroom (MBO 2)")
    mails_before = len(mail.outbox)
    page.get_by_role("button", name="Save as draft").click()
    page.get_by_role("heading", name="Stage keuken en lunchroom (MBO 2)").wait_for()
    page.get_by_text("Saved.").wait_for()
    assert status_badge(page).inner_text() == "Submitted to the school"
    assert page.get_by_text("Sent to the schools again after a change").is_visible()
    check_page(page, "placement-mgmt-06-resubmitted-after-edit")
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED and placement.published_at is None
    assert placement.title == "Stage keuken en lunchroom (MBO 2)"
    assert placement.targets.get().decision == ProgrammeDecision.PENDING
    # The coordinator is e-mailed to look at it again.
    assert any(p.coordinator.email in m.to for m in mail.outbox[mails_before:])

    # 5. Withdraw (confirmed in a dialog), then submit again.
    dialogs = []
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_role("button", name="Submit to the schools").wait_for()
    assert dialogs == ["Take this placement back to draft? Students will no longer see it."]
    assert status_badge(page).inner_text() == "Draft"
    check_page(page, "placement-mgmt-07-withdrawn")
    placement.refresh_from_db()
    assert placement.status == Status.DRAFT

    page.get_by_role("button", name="Submit to the schools").click()
    page.get_by_role("button", name="Withdraw").wait_for()
    assert status_badge(page).inner_text() == "Submitted to the school"
    check_page(page, "placement-mgmt-08-submitted")
    placement.refresh_from_db()
    assert placement.status == Status.SUBMITTED

    # 6. The school approves again; the owner marks the placement filled.
    placement_services.placement_decide(
        target=placement.targets.get(), by=p.coordinator, approve=True
    )
    page.reload()
    page.get_by_role("button", name="Mark as filled").click()
    page.get_by_role("button", name="Mark as filled").wait_for(state="detached")
    assert status_badge(page).inner_text() == "Filled"
    assert page.get_by_role("button", name="Close").count() == 0
    check_page(page, "placement-mgmt-09-filled")
    placement.refresh_from_db()
    assert placement.status == Status.FILLED
    actions = list(
        PlacementEvent.objects.filter(placement=placement)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions[4:] == [
        "updated",
        "resubmitted",
        "withdrawn",
        "submitted",
        "approved",
        "published",
        "filled",
    ]

    # 7. Close the draft placement (confirmed in a dialog).
    page.goto(f"/stageplaatsen/{draft.pk}/")
    page.once("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    page.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="Submit to the schools").wait_for(state="detached")
    assert dialogs[-1] == "Close this placement? This cannot be undone."
    assert status_badge(page).inner_text() == "Closed"
    check_page(page, "placement-mgmt-10-closed")
    assert Placement.objects.get(pk=draft.pk).status == Status.CLOSED


def test_owner_reads_in_english_that_the_placement_is_withdrawn(
    page, live_server, personas, published
):
    english(page, live_server)
    login(page, personas.owner.email)
    page.goto(f"/stageplaatsen/{published.pk}/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Withdraw").click()
    page.get_by_role("button", name="Submit to the schools").wait_for()
    check_page(page, "placement-mgmt-11-withdrawn-message")
    published.refresh_from_db()
    assert published.status == Status.DRAFT
    status = page.get_by_role("status").first.inner_text()
    assert "Withdrawn. It is a draft again." in status, status
