"""The three-party agreement, start to finish (C6; W20): the coordinator completes the school's
part of the draft, the business and the student add theirs, the coordinator sends it, all
three sign, the parent of the under-18 student signs through the e-mailed link without an
account, and the business downloads the PDF. Every page axe-clean, desktop and phone. Run in
the English interface."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from stagebrug.agreements.models import Agreement, Party, Status
from tests.browser.conftest import check_page, english, login, logout
from tests.dates import on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def part(page, title: str) -> None:
    """Open a section's form from the agreement page."""
    page.get_by_role(
        "link", name=re.compile(rf"^(Fill in|Check and save|Change)\s*: {title}$")
    ).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()


def save(page, expect: str) -> None:
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(f"Saved: {expect}.").wait_for()


def test_the_agreement_from_draft_to_signed_pdf(page, live_server, personas, internship, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    p = personas
    url = f"/stagiairs/{internship.pk}/overeenkomst/"
    english(page, live_server)
    viewport = page.viewport_name

    # 1. The coordinator opens the agreement from the internship and does the school's part.
    login(page, p.coordinator.email)
    page.goto(f"/stagiairs/{internship.pk}/")
    page.get_by_role("link", name=re.compile("^Agreement: draft")).click()
    page.get_by_role("heading", name="Whose turn").wait_for()
    check_page(page, "agreement-01-draft")
    for title in ("Programme", "Period and hours", "Supervision and assessment"):
        part(page, title)
        if title == "Period and hours":
            check_page(page, "agreement-02-section-form")
        save(page, title)
    part(page, "Learning goals")
    goal = page.get_by_label("Learning goal 1", exact=True)
    if not goal.input_value():
        goal.fill("Zelfstandig eenvoudige gerechten bereiden")
    save(page, "Learning goals")
    part(page, "What the school expects")
    page.get_by_label(re.compile("What the school expects of the student")).fill(
        "De school belt elke week met student en chef."
    )
    save(page, "What the school expects")
    part(page, "Ending early, insurance and complaints")
    save(page, "Ending early, insurance and complaints")
    logout(page)

    # 2. The business: the weekly schedule (refused first when it does not add up), tasks,
    #    what it offers, the agreements at the workplace.
    login(page, p.owner.email)
    page.goto(url)
    part(page, "Weekly schedule")
    page.get_by_label("Monday from").fill("09:00")
    page.get_by_label("Monday until").fill("17:00")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(re.compile("The schedule adds up to 8 hours a week")).wait_for()
    check_page(page, "agreement-03-schedule-refused")
    for day in ("Tuesday", "Wednesday", "Thursday"):
        page.get_by_label(f"{day} from").fill("09:00")
        page.get_by_label(f"{day} until").fill("17:00")
    save(page, "Weekly schedule")
    part(page, "Tasks")
    for box in page.locator("main form textarea").all():
        if not box.input_value():
            box.fill("Groenten snijden\nSoep bereiden")
    save(page, "Tasks")
    part(page, "What the business offers")
    page.get_by_label("What the internship costs the student a month").fill("30")
    page.get_by_label("Expense allowance a month").fill("20")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text(re.compile("Stagepact mbo")).wait_for()  # below the costs: refused
    page.get_by_label("Expense allowance a month").fill("30")
    save(page, "What the business offers")
    part(page, "Agreements at the workplace")
    page.get_by_label("Ill or late: whom to call, and by when").fill("Bel chef Bram vóór 8:00.")
    save(page, "Agreements at the workplace")
    logout(page)

    # 3. The student, who is 16: date of birth once, phone, the parent's name and e-mail.
    login(page, p.student.email)
    page.goto(url)
    part(page, "About me")
    page.get_by_label("Your date of birth").fill(on(4, 4, -17).isoformat())
    page.get_by_label("Your phone number").fill("0612345678")
    page.get_by_label("Name of your parent or guardian").fill("Petra Student")
    page.get_by_label("E-mail of your parent or guardian").fill(f"ouder-{viewport}@example.org")
    check_page(page, "agreement-04-about-me")
    save(page, "About me")
    part(page, "How best to approach me")
    save(page, "How best to approach me")
    assert "Every part is done" in page.locator("main").inner_text()
    logout(page)

    # 4. The coordinator sends it; 5. student, business and school sign.
    login(page, p.coordinator.email)
    page.goto(url)
    page.get_by_role("link", name="Send for signature").click()
    page.wait_for_url("**/overeenkomst/versturen/")
    check_page(page, "agreement-05-send")
    page.get_by_role("button", name="Send for signature").click()
    page.get_by_text("Sent: every party is asked to sign.").wait_for()
    logout(page)
    for who in (p.student, p.owner, p.coordinator):
        login(page, who.email)
        page.goto(url)
        page.get_by_label("Your full name, as your signature").fill(who.full_name)
        page.get_by_label("I have read this version and agree to it.").check()
        if who == p.student:
            check_page(page, "agreement-06-sign")
        page.get_by_role("button", name="Sign", exact=True).click()
        page.get_by_text("Signed. Thank you.").wait_for()
        logout(page)

    # 6. The parent signs through the e-mailed link, without an account.
    agreement = Agreement.objects.get(internship=internship)
    assert agreement.status == Status.SIGNING
    [email] = [m for m in mail.outbox if m.to == [f"ouder-{viewport}@example.org"]]
    link = re.search(r"https?://\S+(/ondertekenen/\S+/)", email.body).group(1)
    page.goto(link)
    page.get_by_role("heading", name="Sign the agreement").wait_for()
    check_page(page, "agreement-07-guardian")
    page.get_by_label("I have read this version and agree to it.").check()
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_role("heading", name="Thank you: you signed").wait_for()
    check_page(page, "agreement-08-guardian-done")
    page.goto(link)  # a second time: used
    page.get_by_role("heading", name="This link cannot be used").wait_for()
    check_page(page, "agreement-08b-link-used")
    agreement.refresh_from_db()
    assert agreement.status == Status.SIGNED
    version = agreement.versions.get(state="signed")
    assert {s.party for s in version.signatures.all()} == {p.value for p in Party}

    # 7. The business downloads the PDF.
    login(page, p.owner.email)
    page.goto(url)
    page.get_by_text("Signed by everyone.").wait_for()
    check_page(page, "agreement-09-signed")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF (English)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # 8. The signed version's page, and anyone checks the PDF's code on the verification page.
    page.goto(f"{url}versies/{version.number}/")
    page.get_by_text(version.content_hash).first.wait_for()
    check_page(page, "agreement-10-version")
    logout(page)
    code = re.search(r"SB-\d+-[0-9A-F]{12}", _pdf_text(path)).group(0)
    page.goto("/overeenkomst-controleren/")
    page.get_by_label("Verification code").fill(code)
    page.get_by_role("button", name="Check").click()
    page.get_by_text("This code matches an agreement on Stagebrug.").wait_for()
    check_page(page, "agreement-11-verified")
    page.get_by_label("Verification code").fill(code[:-1] + ("0" if code[-1] != "0" else "1"))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("This code does not match any agreement on Stagebrug.").wait_for()


def _pdf_text(path) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
