"""A student adds a CV to the profile (a Word file and a web page called .pdf are refused and
nothing is stored), then applies. The business opens the application and the student's CV,
which is served privately and its reading is logged; a business the student did not apply to
cannot open it. The business sends a message, the student replies from the inbox and the
business reads the reply. Then the student removes the CV: the business's link is gone and the
file with it. Run in the English interface."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from stagebrug.applications.models import Application, Message, StudentProfile
from stagebrug.core.models import AuditEvent
from tests.browser.conftest import VIEWPORTS, check_page, english, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTIVATION = "Ik kook elke dag thuis en wil het vak leren in een echte keuken."
CV_LABEL = "CV (PDF, at most 2 MB)"
# A small, valid one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def thread(page):
    return page.locator("main ol.sb-thread")


def test_student_adds_a_cv_applies_talks_with_the_business_and_removes_the_cv(
    page, live_server, browser, personas, published, kok_student
):
    p = personas
    student = p.student
    placement = published
    english(page, live_server)

    # 1. The student adds a CV: a Word file is refused, a web page called .pdf too.
    login(page, student.email)
    page.goto("/student/profiel/")
    page.get_by_role("heading", name="My student profile").wait_for()
    assert page.get_by_role("link", name="cv.pdf").count() == 0
    assert page.get_by_role("button", name="Remove my CV").count() == 0
    check_page(page, "cv-01-profile")
    page.get_by_label(CV_LABEL).set_input_files(
        files=[
            {
                "name": "cv.docx",
                "mimeType": "application/vnd.openxmlformats-officedocument"
                ".wordprocessingml.document",
                "buffer": b"PK\x03\x04 not a pdf at all",
            }
        ]
    )
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Upload your CV as a PDF file.").wait_for()
    assert page.get_by_label(CV_LABEL).get_attribute("aria-invalid") == "true"
    assert page.get_by_text("Your profile is saved").count() == 0
    check_page(page, "cv-02-not-a-pdf")

    page.get_by_label(CV_LABEL).set_input_files(
        files=[
            {
                "name": "cv.pdf",
                "mimeType": "application/pdf",
                "buffer": b"<html><script>alert(1)</script></html>",
            }
        ]
    )
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Upload your CV as a PDF file.").wait_for()
    assert page.get_by_role("link", name="cv.pdf").count() == 0
    profile = StudentProfile.objects.get(user=student)
    assert not profile.cv and profile.cv_token == "" and profile.cv_uploaded_at is None
    assert not AuditEvent.objects.filter(action="profile.cv_upload").exists()

    # A real PDF is stored, under a random name, and linked on the profile.
    page.get_by_label(CV_LABEL).set_input_files(
        files=[{"name": "Mijn CV.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile is saved.").wait_for()
    own_link = page.locator("main form").get_by_role("link", name="cv.pdf")
    own_link.wait_for()
    assert page.get_by_role("button", name="Remove my CV").is_visible()
    check_page(page, "cv-03-saved")
    profile.refresh_from_db()
    cv_name = profile.cv.name
    assert cv_name and "Mijn CV" not in cv_name and len(profile.cv_token) == 32
    assert default_storage.exists(cv_name)
    with default_storage.open(cv_name, "rb") as handle:
        assert handle.read() == PDF
    assert AuditEvent.objects.filter(
        action="profile.cv_upload", actor=student, object_id=str(profile.pk)
    ).exists()
    cv_url = f"/studenten/{student.pk}/cv/"
    assert own_link.get_attribute("href") == cv_url
    own = page.request.get(cv_url)
    assert own.status == 200 and own.body() == PDF
    # The student reading their own CV is not logged as someone reading it.
    assert not AuditEvent.objects.filter(action="profile.cv_read").exists()

    # 2. The student applies.
    page.goto(f"/stages/{placement.pk}/")
    page.get_by_role("link", name="Apply").click()
    page.get_by_text("your CV if you added one").wait_for()
    page.get_by_label("Why this placement?").fill(MOTIVATION)
    check_page(page, "cv-04-apply")
    page.get_by_role("button", name="Send application").click()
    page.get_by_text("You applied").wait_for()
    application = Application.objects.get(student=student, placement=placement)
    page.wait_for_url(f"**/sollicitaties/{application.pk}/")
    logout(page)

    # 3. The business opens the application and the student's CV.
    login(page, p.owner.email)
    page.goto(f"/stageplaatsen/{placement.pk}/sollicitaties/")
    check_page(page, "cv-05-business-applications")
    page.get_by_role("link", name="Stan Student").click()
    page.wait_for_url(f"**/sollicitaties/{application.pk}/")
    page.get_by_role("heading", name="Stan Student").wait_for()
    student_card = page.get_by_role("region", name="The student")
    cv_link = student_card.get_by_role("link", name="cv.pdf")
    assert cv_link.get_attribute("href") == cv_url
    assert thread(page).inner_text().strip() == "No messages yet."
    check_page(page, "cv-06-business-application")
    response = page.request.get(cv_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    cache_control = {v.strip() for v in response.headers["cache-control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.body() == PDF
    read = AuditEvent.objects.filter(action="profile.cv_read", object_id=str(profile.pk))
    assert list(read.values_list("actor_id", flat=True)) == [p.owner.pk]

    # A business the student did not apply to gets nothing (its own logged-in browser).
    other = browser.new_context(
        viewport=VIEWPORTS[page.viewport_name], locale="nl-NL", base_url=live_server.url
    )
    try:
        other_page = other.new_page()
        english(other_page, live_server)
        login(other_page, p.outsider.email)
        assert other_page.request.get(cv_url).status == 404
    finally:
        other.close()
    assert read.count() == 1  # a refused reading is not a reading

    # 4. The business sends a message.
    page.get_by_role("textbox", name="Message").fill("Kun je dinsdag om 10 uur langskomen?")
    page.get_by_role("button", name="Send", exact=True).click()
    thread(page).get_by_text("Kun je dinsdag om 10 uur langskomen?").wait_for()
    assert "Olga Owner" in thread(page).inner_text()
    check_page(page, "cv-07-business-message")
    assert list(Message.objects.filter(application=application).values_list("author", "body")) == [
        (p.owner.pk, "Kun je dinsdag om 10 uur langskomen?")
    ]
    logout(page)

    # 5. The student reads it from the inbox and replies on the application page.
    login(page, student.email)
    page.goto("/meldingen/")
    page.get_by_role("link", name="New message about Stage keuken (MBO 2)").click()
    page.wait_for_url(f"**/sollicitaties/{application.pk}/")
    page.get_by_role("heading", name="Stage keuken (MBO 2)").wait_for()
    assert thread(page).get_by_text("Kun je dinsdag om 10 uur langskomen?").is_visible()
    # The student's own page does not show the business-only student card.
    assert page.get_by_role("region", name="The student").count() == 0
    check_page(page, "cv-08-student-reads")
    page.get_by_role("textbox", name="Message").fill("Ja, dinsdag om 10 uur kan ik. Tot dan!")
    page.get_by_role("button", name="Send", exact=True).click()
    thread(page).get_by_text("Ja, dinsdag om 10 uur kan ik. Tot dan!").wait_for()
    assert thread(page).locator("li").count() == 2
    check_page(page, "cv-09-student-replied")
    assert Message.objects.filter(application=application, author=student).count() == 1

    # 6. The student removes the CV.
    page.goto("/student/profiel/")
    page.get_by_role("button", name="Remove my CV").click()
    page.get_by_text("Your CV is removed.").wait_for()
    assert page.get_by_role("link", name="cv.pdf").count() == 0
    assert page.get_by_role("button", name="Remove my CV").count() == 0
    check_page(page, "cv-10-removed")
    profile.refresh_from_db()
    assert not profile.cv and profile.cv_token == "" and profile.cv_uploaded_at is None
    assert not default_storage.exists(cv_name)
    assert AuditEvent.objects.filter(action="profile.cv_remove", actor=student).exists()
    logout(page)

    # 7. The business reads the reply; the CV link is gone and the old address is a 404.
    login(page, p.owner.email)
    page.goto(f"/sollicitaties/{application.pk}/")
    page.get_by_role("heading", name="Stan Student").wait_for()
    replies = thread(page).locator("li")
    assert replies.count() == 2
    assert "Ja, dinsdag om 10 uur kan ik. Tot dan!" in replies.nth(1).inner_text()
    assert "Stan Student" in replies.nth(1).inner_text()
    assert page.get_by_role("region", name="The student").is_visible()
    assert page.get_by_role("link", name="cv.pdf").count() == 0
    check_page(page, "cv-11-business-reads-reply")
    gone = page.request.get(cv_url)
    assert gone.status == 404
    assert gone.headers["content-type"] != "application/pdf"
    assert read.count() == 1
