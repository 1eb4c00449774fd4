"""A report to the school that the business cannot see: on a phone, the student reports
intimidation from their internship page; the school supervisor finds it on the dashboard,
acknowledges it and replies; the student sees the status and the reply. The owner and the
workplace supervisor see neither the report nor a link to it, and get 404 on its page. Run in
the English interface."""

from __future__ import annotations

import pytest

from stagebrug.supervision.models import Report
from tests.browser.conftest import check_page, english, login, logout
from tests.supervision.conftest import running  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "De chef schreeuwt elke dag tegen mij en zegt dat ik dom ben. Ik durf niet meer te gaan."
REPLY = "We hebben je melding gelezen. Ik bel je morgen om 10 uur; je hoeft niet alleen te gaan."


@pytest.fixture
def viewport() -> str:
    return "phone"


def test_a_report_to_the_school_that_the_business_cannot_see(page, live_server, personas, running):  # noqa: F811
    p = personas
    internship_url = f"/stagiairs/{running.pk}/"
    english(page, live_server)

    # 1. The student reports from the internship page; the page says who reads it.
    login(page, p.student.email)
    page.goto(internship_url)
    page.get_by_role("link", name="Report something to your school, confidentially").click()
    page.get_by_role("heading", name="Report something to your school").wait_for()
    assert page.get_by_text("does not see your report").is_visible()
    assert page.get_by_role("link", name="www.s-bb.nl (Meldpunt)").count() == 1
    assert page.get_by_text("In danger right now? Call 112.").is_visible()
    check_page(page, "report-01-student-form")
    page.get_by_role("button", name="Send to my school").click()
    page.get_by_text("Tell us in your own words what happened.").wait_for()
    page.get_by_label("Intimidation or harassment").check()
    page.get_by_label("What happened?").fill(TEXT)
    page.get_by_role("button", name="Send to my school").click()
    page.get_by_text("Sent. Only your school can read your report").wait_for()
    check_page(page, "report-02-student-sent")
    report = Report.objects.get()
    assert report.text == TEXT and report.kind == Report.Kind.INTIMIDATION
    logout(page)

    # 2. The school supervisor finds it on the dashboard, reads it, acknowledges and replies.
    login(page, p.teacher.email)
    card = page.locator("section", has=page.get_by_role("heading", name="Confidential reports"))
    card.get_by_role("link", name="Reports to ROC van Amsterdam").click()
    page.get_by_role("heading", name="Reports to ROC van Amsterdam").wait_for()
    check_page(page, "report-03-school-list")
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("heading", name="Confidential report").wait_for()
    assert page.get_by_text(TEXT).is_visible()
    check_page(page, "report-04-school-detail")
    page.get_by_label("Status").select_option(label="Read by the school")
    page.get_by_role("textbox", name="Message to the student").fill(REPLY)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. The student sees the new status.").wait_for()
    report.refresh_from_db()
    assert report.state == Report.State.ACKNOWLEDGED and report.handled_by == p.teacher
    logout(page)

    # 3. The student sees the status and the school's reply.
    login(page, p.student.email)
    page.goto(internship_url)
    page.get_by_role("link", name="Report something to your school, confidentially").click()
    earlier = page.locator("section", has=page.get_by_role("heading", name="Your earlier reports"))
    assert "Read by the school" in earlier.inner_text()
    earlier.get_by_role("link").first.click()
    page.get_by_role("heading", name="Message from your school").wait_for()
    assert page.get_by_text(REPLY).is_visible()
    check_page(page, "report-05-student-status")
    logout(page)

    # 4. The owner and the workplace supervisor see neither the report nor a link to it.
    for person in (p.owner, p.supervisor):
        login(page, person.email)
        page.goto(internship_url)
        page.get_by_role("heading", name="Stan Student").wait_for()
        content = page.content()
        assert TEXT not in content and "confidential" not in content.lower()
        assert page.get_by_role("link", name="Report something", exact=False).count() == 0
        check_page(page, f"report-06-internship-{person.email.split('@')[0]}")
        response = page.goto(f"/vertrouwelijke-meldingen/{report.pk}/")
        assert response.status == 404
        assert TEXT not in page.content()
        response = page.goto(f"/scholen/{p.rocva.slug}/vertrouwelijke-meldingen/")
        assert response.status == 404
        page.goto("/meldingen/")  # their inbox
        assert "confidential" not in page.content().lower()
        page.goto("/account/")
        logout(page)
