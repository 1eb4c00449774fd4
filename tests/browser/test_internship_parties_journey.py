"""One internship, four parties: the coordinator finds it in the school's list and assigns
the school supervisor; the business names a buddy; the workplace supervisor, the school
supervisor and the student each open it from their own dashboard and see what their part may
see (the support notes only for the workplace supervisor, W14; the timeline only for the
school). A foreign company and a foreign school get 404. Run in the English interface."""

from __future__ import annotations

import pytest

from stagebrug.applications import services as application_services
from stagebrug.core.models import AuditEvent
from stagebrug.internships.models import Internship
from tests.browser.conftest import check_page, english, login, logout
from tests.factories import SupervisorFactory
from tests.internships.conftest import accept_offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Geef mij de eerste week een vaste taak; als ik te laat ben, bel me even."


def section(page, heading: str):
    return page.locator("section", has=page.get_by_role("heading", name=heading))


def test_each_party_opens_the_same_internship_from_their_own_dashboard(
    page, live_server, personas, published, kok_student
):
    p = personas
    chef = published.buddy  # Chef Bram, the workplace supervisor; his account is Sam's
    chef.user = p.supervisor
    chef.phone = "0612345678"
    chef.save(update_fields=["user", "phone"])
    SupervisorFactory(company=p.company, by=p.owner, name="Lisa Lunch", email="lisa@a.example")
    application_services.support_note_add(profile=kok_student, by=p.student, text=NOTE)
    internship = accept_offer(student=p.student, placement=published, owner=p.owner)
    url = f"/stagiairs/{internship.pk}/"
    english(page, live_server)

    # 1. The coordinator finds the internship in the school's list and assigns Tess.
    login(page, p.coordinator.email)
    page.get_by_role("link", name="Internships", exact=True).click()
    page.get_by_role("heading", name="Internships of ROC van Amsterdam").wait_for()
    check_page(page, "parties-01-school-list")
    page.get_by_label("School supervisor").select_option(label="Nobody yet")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Stan Student").click()
    page.wait_for_url(f"**{url}")
    assert section(page, "Timeline").get_by_text("Internship confirmed").is_visible()
    assert section(page, "How best to approach this student").count() == 0
    page.get_by_label("School supervisor (stagedocent)").select_option(label="Tess Teacher")
    page.get_by_role("button", name="Save school supervisor").click()
    page.get_by_text("Saved. The school supervisor is told.").wait_for()
    check_page(page, "parties-02-coordinator")
    logout(page)

    # 2. The business names Lisa as the buddy; Chef Bram stays the workplace supervisor.
    login(page, p.owner.email)
    page.get_by_role("link", name="Interns", exact=True).click()
    page.get_by_role("link", name="Stan Student").click()
    page.wait_for_url(f"**{url}")
    assert section(page, "How best to approach this student").count() == 0
    assert section(page, "Timeline").count() == 0
    page.get_by_label("Buddy").select_option(label="Lisa Lunch")
    page.get_by_role("button", name="Save supervisors").click()
    page.get_by_text("Saved. The school sees who supervises the student.").wait_for()
    check_page(page, "parties-03-business")
    logout(page)

    # 3. The workplace supervisor opens the intern from "Your interns" and reads the notes.
    login(page, p.supervisor.email)
    section(page, "Your interns").get_by_role("link", name="Stan Student").click()
    page.wait_for_url(f"**{url}")
    notes = section(page, "How best to approach this student")
    notes.wait_for()
    assert NOTE in notes.inner_text()
    assert page.get_by_role("button", name="Save supervisors").count() == 0
    check_page(page, "parties-04-workplace-supervisor")
    assert AuditEvent.objects.filter(actor=p.supervisor, action="support_notes.read").exists()
    logout(page)

    # 4. The school supervisor opens it from the internships they supervise.
    login(page, p.teacher.email)
    section(page, "Internships you supervise for the school").get_by_role(
        "link", name="Stan Student"
    ).click()
    page.wait_for_url(f"**{url}")
    assert section(page, "Timeline").get_by_text("School supervisor assigned").is_visible()
    assert section(page, "How best to approach this student").count() == 0
    assert page.get_by_role("button", name="Save school supervisor").count() == 0
    check_page(page, "parties-05-school-supervisor")
    logout(page)

    # 5. The student sees whom to go to: workplace supervisor, buddy and school supervisor.
    login(page, p.student.email)
    page.get_by_role("link", name="My internship", exact=True).click()
    page.wait_for_url(f"**{url}")
    page.get_by_role("heading", name="My internship").wait_for()
    who = section(page, "Who to go to").inner_text()
    assert "Chef Bram" in who and "0612345678" in who
    assert "Lisa Lunch" in who and "Tess Teacher" in who
    assert section(page, "How best to approach this student").count() == 0
    assert section(page, "Timeline").count() == 0
    check_page(page, "parties-06-student")
    logout(page)

    # 6. A foreign company and a foreign school get "not found".
    for outsider in (p.outsider, p.other_coordinator):
        login(page, outsider.email)
        response = page.goto(url)
        assert response.status == 404
        check_page(page, "parties-07-not-found")
        logout(page)

    internship.refresh_from_db()
    assert (internship.school_supervisor, internship.buddy.name) == (p.teacher, "Lisa Lunch")
    assert Internship.objects.get(pk=internship.pk).supervisor == chef
